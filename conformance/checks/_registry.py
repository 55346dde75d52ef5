"""The check registry: one decorator, one signature, stable names.

A check is ``fn(exchange, ctx) -> list[Finding] | None``: ``None`` means the
check does not apply to this exchange (it did not run); an empty list means it
ran and passed.  Its name is its report id and config key, so names are
unique and never reused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterator

from ..outcome import Finding

if TYPE_CHECKING:
    from ..protocol import Exchange
    from ._context import CheckContext

CheckFn = Callable[["Exchange", "CheckContext"], "list[Finding] | None"]


@dataclass(frozen=True)
class Check:
    name: str
    description: str  # one line, for the report
    spec_ref: str  # the spec section the check rests on
    fn: CheckFn

    def __call__(self, exchange: "Exchange", ctx: "CheckContext") -> list[Finding] | None:
        return self.fn(exchange, ctx)

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "description": self.description, "spec_ref": self.spec_ref}


class Registry:
    def __init__(self) -> None:
        self._checks: dict[str, Check] = {}

    def register(self, item: Check) -> Check:
        if not item.name or not item.description or not item.spec_ref:
            raise ValueError(f"check {item.name!r} needs a name, a description and a spec_ref")
        if item.name in self._checks:
            raise ValueError(f"a check named {item.name!r} is already registered")
        self._checks[item.name] = item
        return item

    def __iter__(self) -> Iterator[Check]:
        return iter(self._checks.values())

    def __len__(self) -> int:
        return len(self._checks)

    def __contains__(self, name: object) -> bool:
        return name in self._checks

    def __getitem__(self, name: str) -> Check:
        return self._checks[name]

    def names(self) -> list[str]:
        return list(self._checks)


REGISTRY = Registry()


def check(*, name: str, description: str, spec_ref: str) -> Callable[[CheckFn], Check]:
    """Register ``fn`` as a check; the decorated name becomes the ``Check``."""
    def decorate(fn: CheckFn) -> Check:
        return REGISTRY.register(Check(name, description, spec_ref, fn))
    return decorate


def all_checks() -> list[Check]:
    return list(REGISTRY)
