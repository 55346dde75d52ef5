"""The shared vocabulary of judging: what a request should get, and what was found.

Strategies label requests with an ``Expectation``; checks, machines and the
engine report ``Finding``s; reporting groups findings by ``signature``.  This
module depends on nothing else in the package.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any


class Severity(str, Enum):
    VIOLATION = "violation"  # departs from the spec: fails conformance
    EXTENSION = "extension"  # something a later API version added: reported, never fails
    WARNING = "warning"  # suspicious but not decidable from the spec alone
    FLAKY = "flaky"  # the target answered differently when the same request was replayed
    NOT_IMPLEMENTED = "not-implemented"  # the target does not implement the action at all
    SPEC_CONFLICT = "spec-conflict"  # the spec says it and its opposite: either reading passes
    # differential mode: the target answered otherwise than the reference target did
    # (never a spec violation; fails a diff run, whose question is "the same answer?")
    DIFFERENCE = "difference"

    @property
    def fails(self) -> bool:
        """Whether a finding of this severity fails conformance (exit code 1).

        An unimplemented action departs from the spec as surely as a wrong
        answer; a team that accepts it records it in a baseline.
        """
        return self in (Severity.VIOLATION, Severity.NOT_IMPLEMENTED, Severity.DIFFERENCE)


@dataclass(frozen=True)
class Expectation:
    """What the spec allows in answer to one request."""

    outcome: str  # "success" or "error"
    codes: frozenset[str] = frozenset()  # allowed error codes when outcome == "error"
    rule: str = ""  # the rule an invalid request breaks, e.g. "missing-required:CidrBlock"
    spec_ref: str = ""  # where the spec says so

    def __post_init__(self) -> None:
        if self.outcome not in ("success", "error"):
            raise ValueError(f"outcome must be 'success' or 'error', not {self.outcome!r}")

    def to_json(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "codes": sorted(self.codes), "rule": self.rule,
                "spec_ref": self.spec_ref}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Expectation":
        return cls(data["outcome"], frozenset(data.get("codes", ())), data.get("rule", ""),
                   data.get("spec_ref", ""))


SUCCESS = Expectation("success")


@dataclass
class Finding:
    check: str  # the registered check or invariant name
    severity: Severity
    action: str | None
    message: str
    spec_ref: str  # the spec section (or catalog entry) the finding rests on
    expected: str | None = None
    observed: str | None = None
    data_type: str | None = None
    path: str | None = None  # element path in the response, e.g. /CreateVpcResponse/vpc/state
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def signature(self) -> str:
        """Stable key for grouping findings of one cause (and for baselines)."""
        key = "|".join(str(x) for x in (self.check, self.action, self.data_type, self.path,
                                        self.expected))
        return hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = self.severity.value
        data["signature"] = self.signature
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Finding":
        fields = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        fields["severity"] = Severity(fields["severity"])
        return cls(**fields)
