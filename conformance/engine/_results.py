"""Per-action and per-machine results: what the engine hands to reporting.

Everything here is plain data with ``to_json``/``from_json`` so that
pytest-xdist workers can write results to files and the controller can merge
them into one report.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..outcome import Expectation, Finding


@dataclass
class SavedExample:
    """A self-contained, replayable failing case (what ``reproduce`` reads).

    ``pairs`` are the unsigned wire pairs; replay signs them afresh.  ``references``
    maps each resource ID the request used to its kind, so a replay on another
    target can recreate and remap them.  A stateful failure carries ``steps``
    (each ``{"action", "pairs", "expectation"}``) instead of one request.
    """

    kind: str  # "stateless" or "stateful"
    action: str | None
    api_version: str
    pairs: list[tuple[str, str]]
    expectation: Expectation | None
    check: str
    expected: str | None = None
    observed: str | None = None
    references: dict[str, str] = field(default_factory=dict)
    steps: list[dict[str, Any]] = field(default_factory=list)
    exchange: dict[str, Any] | None = None  # the redacted exchange that failed
    # How a wire-level fault departs from a normal signed request (method, literal
    # body, headers, sign, clock_skew, wrong_secret); None for an ordinary request.
    raw: dict[str, Any] | None = None

    @property
    def id(self) -> str:
        key = json.dumps([self.kind, self.action, self.api_version, self.pairs, self.check,
                          self.steps, self.raw], sort_keys=True, default=str)
        return hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "action": self.action,
                "api_version": self.api_version, "pairs": [list(p) for p in self.pairs],
                "expectation": self.expectation.to_json() if self.expectation else None,
                "check": self.check, "expected": self.expected, "observed": self.observed,
                "references": self.references, "steps": self.steps, "exchange": self.exchange,
                "raw": self.raw}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "SavedExample":
        exp = data.get("expectation")
        return cls(kind=data["kind"], action=data.get("action"), api_version=data["api_version"],
                   pairs=[(str(k), str(v)) for k, v in data.get("pairs", [])],
                   expectation=Expectation.from_json(exp) if exp else None,
                   check=data["check"], expected=data.get("expected"),
                   observed=data.get("observed"), references=dict(data.get("references", {})),
                   steps=list(data.get("steps", [])), exchange=data.get("exchange"),
                   raw=data.get("raw"))


@dataclass
class FindingRecord:
    """A finding with how often it occurred and its smallest example."""

    finding: Finding
    occurrences: int = 1
    example: SavedExample | None = None

    def to_json(self) -> dict[str, Any]:
        return {**self.finding.to_json(), "occurrences": self.occurrences,
                "example": self.example.to_json() if self.example else None}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "FindingRecord":
        example = data.get("example")
        return cls(Finding.from_json(data), data.get("occurrences", 1),
                   SavedExample.from_json(example) if example else None)


@dataclass
class ActionResult:
    """What one suite learned about one action (or one state machine)."""

    action: str
    suite: str  # "stateless" or "stateful"
    examples: int = 0  # requests judged (machines: steps and their reads)
    valid_examples: int = 0
    successes: int = 0  # valid examples answered with success
    invalid_examples: int = 0
    not_implemented: bool = False
    checks_run: Counter = field(default_factory=Counter)
    checks_failed: Counter = field(default_factory=Counter)
    params_sent: set[str] = field(default_factory=set)  # wire names, ".N" form
    error_codes_seen: set[str] = field(default_factory=set)
    findings: dict[str, FindingRecord] = field(default_factory=dict)  # by signature
    invariants: dict[str, dict[str, int]] = field(default_factory=dict)  # name -> {run, failed}
    scenarios: dict[str, str] = field(default_factory=dict)  # spec scenario -> how far it got
    # label kind -> examples sent (every kind that applies is listed, 0 when none was)
    labels: dict[str, int] = field(default_factory=dict)
    requests: int = 0  # every request sent meanwhile (with the world's set-up and undo)

    def add_finding(self, finding: Finding, example: SavedExample | None = None) -> None:
        """Group by signature; keep the smallest example (fewest wire pairs)."""
        record = self.findings.get(finding.signature)
        if record is None:
            self.findings[finding.signature] = FindingRecord(finding, 1, example)
            return
        record.occurrences += 1
        if example is not None and (record.example is None
                                    or _size(example) < _size(record.example)):
            record.example = example

    def to_json(self) -> dict[str, Any]:
        return {"action": self.action, "suite": self.suite, "examples": self.examples,
                "valid_examples": self.valid_examples, "successes": self.successes,
                "invalid_examples": self.invalid_examples,
                "not_implemented": self.not_implemented,
                "checks_run": dict(self.checks_run), "checks_failed": dict(self.checks_failed),
                "params_sent": sorted(self.params_sent),
                "error_codes_seen": sorted(self.error_codes_seen),
                "findings": [r.to_json() for r in self.findings.values()],
                "invariants": self.invariants, "scenarios": self.scenarios,
                "labels": dict(sorted(self.labels.items())), "requests": self.requests}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "ActionResult":
        result = cls(action=data["action"], suite=data["suite"], examples=data["examples"],
                     valid_examples=data["valid_examples"], successes=data["successes"],
                     invalid_examples=data["invalid_examples"],
                     not_implemented=data["not_implemented"],
                     checks_run=Counter(data["checks_run"]),
                     checks_failed=Counter(data["checks_failed"]),
                     params_sent=set(data["params_sent"]),
                     error_codes_seen=set(data["error_codes_seen"]),
                     invariants=dict(data.get("invariants", {})),
                     scenarios=dict(data.get("scenarios", {})),
                     labels=dict(data.get("labels", {})),
                     requests=data.get("requests", 0))
        for item in data["findings"]:
            record = FindingRecord.from_json(item)
            result.findings[record.finding.signature] = record
        return result


def _size(example: SavedExample) -> int:
    return len(example.pairs) + sum(len(s.get("pairs", ())) for s in example.steps)
