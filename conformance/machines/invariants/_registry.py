"""Named invariants: what must hold after every step, each resting on a spec sentence.

``@invariant_check(name, description=..., spec_ref=..., quote=..., kinds=...)``
registers a function ``(view) -> None`` that raises ``Violated`` when the
target's state (``view.items(kind)``) departs from the spec or from the model
(``view.model``).  An invariant runs only once the model has held a resource
of one of its ``kinds``.  The machines call every enabled invariant after each
step through one Hypothesis ``@invariant``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from ...outcome import Finding, Severity
from ..model import Model
from ._observe import Observer


_ID = re.compile(r"\b(vpc|subnet|sg|eni|vol|snap|i|igw|rtb|acl|dopt|pcx|cgw|vgw|vpn|eipalloc|"
                 r"eipassoc|rtbassoc|aclassoc|r)-[0-9a-f]{8,17}\b")


def generic_ids(text: str | None) -> str | None:
    """``"from sg-0a1b2c3d"`` -> ``"from <sg>"``: what a finding's signature may hold.

    IDs differ between examples and replays; one cause must group as one finding.
    """
    return _ID.sub(lambda m: f"<{m.group(1)}>", text) if text else text


class Violated(AssertionError):
    def __init__(self, message: str, *, expected: Any = None, observed: Any = None,
                 resource: str | None = None, path: str | None = None,
                 spec_ref: str | None = None, quote: str | None = None,
                 rule_key: str | None = None):
        super().__init__(message)
        # A case the rule table classifies apart from the invariant (e.g. implied).
        self.rule_key = rule_key
        # A case the invariant's own sentence does not cover names the one that does.
        self.spec_ref, self.quote = spec_ref, quote
        self.path = path  # e.g. "subnet/CidrBlock": which attribute, for grouping
        self.message = message
        self.expected = None if expected is None else str(expected)
        self.observed = None if observed is None else str(observed)
        self.resource = resource


class InvariantFailed(AssertionError):
    """An invariant did not hold; carries the step list that led there."""

    def __init__(self, name: str, violation: Violated, steps: list[dict[str, Any]]):
        super().__init__(f"{name}: {violation.message}")
        self.name = name
        self.violation = violation
        self.steps = steps


@dataclass(frozen=True)
class Invariant:
    name: str
    description: str
    spec_ref: str
    quote: str
    kinds: tuple[str, ...]
    check: Callable[["View"], None]

    def applies(self, model: Model) -> bool:
        return bool(model.kinds_seen & set(self.kinds))

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "description": self.description, "spec_ref": self.spec_ref,
                "quote": self.quote, "kinds": list(self.kinds)}


INVARIANTS: dict[str, Invariant] = {}


def invariant_check(name: str, *, description: str, spec_ref: str, quote: str,
                    kinds: tuple[str, ...]) -> Callable[[Callable], Callable]:
    def register(fn: Callable[["View"], None]) -> Callable[["View"], None]:
        if name in INVARIANTS and INVARIANTS[name].check.__module__ != fn.__module__:
            raise ValueError(f"invariant {name!r} is registered twice")
        INVARIANTS[name] = Invariant(name, description, spec_ref, quote, kinds, fn)
        return fn
    return register


@dataclass
class View:
    """What an invariant sees: the model and the target's scoped describes."""

    model: Model
    observer: Observer

    def items(self, kind: str) -> dict[str, dict[str, Any]]:
        return self.observer.items(kind)

    def live_items(self, kind: str) -> dict[str, dict[str, Any]]:
        """Observed items the model holds alive (and can still vouch for)."""
        return {k: v for k, v in self.items(kind).items()
                if k in self.model.live and k not in self.model.tainted}


def invariant_finding(failure: InvariantFailed, severity: Severity = Severity.VIOLATION,
                      message: str | None = None) -> Finding:
    """The finding a failed invariant reports: its name, its spec passage, what was seen."""
    inv, violation = INVARIANTS[failure.name], failure.violation
    return Finding(inv.name, severity, None, message or violation.message,
                   violation.spec_ref or inv.spec_ref, generic_ids(violation.expected),
                   violation.observed, path=violation.path,
                   extra={"quote": violation.quote or inv.quote, "resource": violation.resource,
                          **({"attempts": violation.attempts}
                             if getattr(violation, "attempts", None) else {}),
                          **({"rule_key": violation.rule_key} if violation.rule_key else {})})
