"""Which findings a fault caused: the fault run's findings minus the ``none`` run's.

A fault counts as detected only through findings attributable to it: a failing
(or extension) finding, or a failed invariant, whose key does not occur when
the same units run with the same seed against the unfaulted reference target.
A check that fires on everything therefore detects nothing.  Keys are finding
signatures, refined by the rule family of the request (``unknown-parameter``,
``wire``) where the finding names one, so that one rule's failure does not
hide another's.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..engine import ActionResult
from ..outcome import Finding, Severity

COUNTED = (Severity.VIOLATION, Severity.NOT_IMPLEMENTED, Severity.EXTENSION)
_RESOURCE_ID = re.compile(r"\b[a-z0-9]+(?:-[a-z0-9]+)*-[0-9a-f]{8,17}\b")


@dataclass(frozen=True)
class Seen:
    """One attributable thing: a finding (or failed invariant) and when it first showed."""

    key: str
    check: str
    severity: str
    message: str
    example: int | None = None  # examples sent up to and including the first occurrence

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "check": self.check, "severity": self.severity,
                "message": self.message, "example": self.example}


def finding_key(finding: Finding) -> str:
    """The finding's signature fields with resource IDs masked, plus its rule family.

    Signatures of invariant findings quote resource IDs, which differ from run to
    run; unmasked, every such finding would look new in the fault run.
    """
    fields = (finding.check, finding.action, finding.data_type, finding.path, finding.expected)
    text = "|".join(_RESOURCE_ID.sub("<id>", str(f)) for f in fields)
    key = hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
    rule = str(finding.extra.get("rule") or "").split(":")[0]
    return f"{key}:{rule}" if rule else key


def result_keys(result: ActionResult, first_seen: dict[str, int] | None = None,
                *, counted: Iterable[Severity] = COUNTED) -> dict[str, Seen]:
    """Every counted finding and failed invariant of ``result``, by key."""
    counted = tuple(counted)
    first_seen = first_seen or {}
    out: dict[str, Seen] = {}
    for record in result.findings.values():
        finding = record.finding
        if finding.severity not in counted:
            continue
        key = finding_key(finding)
        out[key] = Seen(key, finding.check, finding.severity.value, finding.message[:300],
                        first_seen.get(key))
    for name, counts in result.invariants.items():
        if counts.get("failed"):
            key = f"invariant:{name}"
            out.setdefault(key, Seen(key, name, Severity.VIOLATION.value,
                                     f"invariant {name} failed {counts['failed']} time(s)"))
    return out


@dataclass
class Detection:
    attributable: dict[str, Seen] = field(default_factory=dict)
    warnings: dict[str, Seen] = field(default_factory=dict)  # attributable, but only warnings

    @property
    def detected(self) -> bool:
        return bool(self.attributable)

    @property
    def by(self) -> list[str]:
        return sorted({s.check for s in self.attributable.values()})

    def examples(self, fallback: int | None) -> tuple[int | None, bool]:
        """Examples the suite needed up to the first attributable finding, and whether
        that is exact (``fallback``, the run's total, bounds it from above otherwise)."""
        if not self.attributable:
            return None, True
        known = [s.example for s in self.attributable.values() if s.example is not None]
        return (min(known), True) if known else (fallback, False)


def attribute(fault: list[tuple[ActionResult, dict[str, int]]],
              baseline: set[str], baseline_warnings: set[str] = frozenset()) -> Detection:
    """Compare a fault's unit results with the keys the ``none`` runs produced.

    ``fault`` pairs each unit's result with its first-seen map (``finding_key`` ->
    the example number it first appeared at); ``baseline`` is the union of the keys
    of every ``none`` run of the same units, seed and budget.
    """
    detection = Detection()
    for result, first_seen in fault:
        for key, seen in result_keys(result, first_seen).items():
            if key not in baseline:
                _keep_earliest(detection.attributable, seen)
        warned = result_keys(result, first_seen, counted=(Severity.WARNING,))
        for key, seen in warned.items():
            if key not in baseline_warnings:
                _keep_earliest(detection.warnings, seen)
    return detection


def _keep_earliest(into: dict[str, Seen], seen: Seen) -> None:
    current = into.get(seen.key)
    if current is None or (seen.example or 10**9) < (current.example or 10**9):
        into[seen.key] = seen
