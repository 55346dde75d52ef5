"""``Case``: one labelled request, ready to send and to judge."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ec2_conformance.outcome import Expectation
from ec2_conformance.protocol import RawRequest

# A deferred value: filled when the case is sent, not when it is drawn, so
# replays and shrinks never reuse a name or a consumed resource.
DEFERRED_TOKENS = ("unique", "subnet_cidr", "route_cidr", "number")


@dataclass(frozen=True)
class RawOverrides:
    """How a wire-level fault departs from a normal signed request."""

    method: str | None = None  # None: the client's method
    body: bytes | None = None  # a literal body instead of the encoded pairs
    headers: tuple[tuple[str, str], ...] = ()
    sign: bool = True
    clock_skew: float | None = None  # seconds added to "now" when signing
    wrong_secret: bool = False  # signed now, with the right key ID and a wrong secret

    def to_json(self) -> dict[str, Any]:
        return {"method": self.method, "body": self.body.decode("latin-1") if self.body else None,
                "headers": [list(h) for h in self.headers], "sign": self.sign,
                "clock_skew": self.clock_skew, "wrong_secret": self.wrong_secret}


@dataclass(frozen=True)
class Case:
    """A request with its label.

    ``pairs`` are ordered wire pairs including ``Action`` and ``Version``;
    ``fresh`` maps a wire name to what fills it at send time (``"vpc"`` or
    ``"attached_volume.instance"``: a new world resource, one per kind per case;
    ``"unique"`` and the other ``DEFERRED_TOKENS``: a new name/number);
    ``references`` maps each existing resource ID the request uses to its kind;
    ``base`` is the valid request an invalid case was mutated from (the engine
    sends it as a control when the answer surprises).  ``strict=False`` marks a
    label the spec does not decide: a mismatch is a warning, not a violation.
    """

    action: str
    pairs: tuple[tuple[str, str], ...]
    expectation: Expectation
    kind: str = "valid"  # valid | invalid | wire | dry-run
    raw: RawOverrides = RawOverrides()
    references: dict[str, str] = field(default_factory=dict)
    fresh: dict[str, str] = field(default_factory=dict)
    base: tuple[tuple[str, str], ...] | None = None
    strict: bool = True

    @property
    def params_sent(self) -> frozenset[str]:
        """Wire names in ``.N`` form (for coverage), without Action/Version."""
        return frozenset(_generic(k) for k, _ in self.pairs if k not in ("Action", "Version"))

    @property
    def rule(self) -> str:
        return self.expectation.rule or self.kind

    def materialize(self, world: Any, pairs: tuple[tuple[str, str], ...] | None = None,
                    ) -> tuple[list[tuple[str, str]], dict[str, str]]:
        """Wire pairs with deferred values filled in, and the references they use."""
        made: dict[str, Any] = {}
        references = dict(self.references)
        out = []
        for key, value in (self.pairs if pairs is None else pairs):
            spec = self.fresh.get(key)
            if spec is not None and value == f"<{spec}>":  # a mutation may have replaced it
                value = _fill(spec, world, made)
                if spec not in DEFERRED_TOKENS:
                    references[value] = spec.split(".")[0]
            out.append((key, value))
        return out, references

    def to_raw(self, pairs: list[tuple[str, str]], method: str) -> RawRequest:
        return RawRequest(pairs=list(pairs), method=self.raw.method or method, body=self.raw.body,
                          headers=dict(self.raw.headers), sign=self.raw.sign,
                          wrong_secret=self.raw.wrong_secret)

    def signing_time(self) -> dt.datetime | None:
        if self.raw.clock_skew is None:
            return None
        return dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=self.raw.clock_skew)

    def to_json(self) -> dict[str, Any]:
        return {"action": self.action, "kind": self.kind, "pairs": [list(p) for p in self.pairs],
                "expectation": self.expectation.to_json(), "raw": self.raw.to_json(),
                "references": self.references, "fresh": self.fresh, "strict": self.strict}


def _fill(spec: str, world: Any, made: dict[str, Any]) -> str:
    if spec in DEFERRED_TOKENS:
        return str(getattr(world, spec)())  # World.unique, .subnet_cidr, .route_cidr, .number
    kind, _, name = spec.partition(".")
    if kind not in made:
        made[kind] = world.fresh(kind)
    return made[kind].get(name or "id")


def _generic(name: str) -> str:
    return ".".join("N" if part.isdigit() else part for part in name.split("."))
