"""One step runner: fills ``{name}`` placeholders, expands repeats, captures values.

The world's plan (``plan.json``), the machines' spec scenarios
(``scenarios-<version>.json``) and the fault probes (``faults/catalog.json``) are
lists of request steps written as data.  Each step's templates are filled from
the values earlier steps captured (and values a caller computes on demand, such as
the world's ``{unique}``), and each step may capture values from its answer for
the steps after it.  This module is the one place those rules live; how a step is
sent and what a failed step means stay with each caller.

``{"$repeat": n, "item": template}`` expands to ``n`` filled items with ``{i}``
from 1 to ``n`` (a list parameter); a wire parameter whose name holds ``{i}`` is
repeated the same way (``pairs(params, repeat=n)``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

# A name, or a dotted path into one ("{world.vpc.id}", "{req.VolumeId}").
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\}")


class StepError(ValueError):
    """A template names a value no earlier step captured and no caller computes."""


@dataclass
class StepResult:
    number: int  # from 1
    step: dict[str, Any]
    answer: Any
    missing: str | None = None  # the capture path the answer lacked, if any


class StepRunner:
    """``StepRunner({"zone": "us-east-1a"})``; ``compute(name)`` supplies any other value
    (raising its own error for a name it does not know)."""

    def __init__(self, values: dict[str, Any] | None = None, *,
                 compute: Callable[[str], Any] | None = None):
        self.values: dict[str, Any] = dict(values or {})
        self._compute = compute

    def value(self, name: str) -> Any:
        if name in self.values:
            return self.values[name]
        if self._compute is not None:
            return self._compute(name)
        raise StepError(f"no value {name!r} (captured by no earlier step)")

    def fill(self, template: Any) -> Any:
        """``template`` with ``{name}`` replaced and every ``$repeat`` expanded; a string
        that is one whole placeholder keeps the value's own type (an image may be None)."""
        if isinstance(template, str):
            whole = _PLACEHOLDER.fullmatch(template)
            if whole:
                return self.value(whole.group(1))
            return _PLACEHOLDER.sub(lambda m: str(self.value(m.group(1))), template)
        if isinstance(template, (list, tuple)):
            return [self.fill(item) for item in template]
        if isinstance(template, dict):
            if "$repeat" in template:
                return [self._with_index(i).fill(template["item"])
                        for i in range(1, template["$repeat"] + 1)]
            return {key: self.fill(value) for key, value in template.items()}
        return template

    def pairs(self, params: dict[str, Any], *, repeat: int | None = None) -> list[tuple[str, str]]:
        """Wire pairs from ``params``; a name holding ``{i}`` is repeated ``repeat`` times."""
        out: list[tuple[str, str]] = []
        for key, value in params.items():
            if "{i}" not in key:
                out.append((key, str(self.fill(value))))
                continue
            for i in range(1, (repeat or 1) + 1):
                indexed = self._with_index(i)
                out.append((indexed.fill(key), str(indexed.fill(value))))
        return out

    def capture(self, captures: dict[str, str], read: Callable[[str], Any]) -> str | None:
        """Store ``read(path)`` under each name; the first path that reads no text, if any
        (the names before it are kept)."""
        for name, path in captures.items():
            value = read(path)
            if not isinstance(value, str):
                return path
            self.values[name] = value
        return None

    def run(self, steps: Iterable[dict[str, Any]], send: Callable[[dict[str, Any]], Any],
            read: Callable[[Any, str], Any]) -> Iterator[StepResult]:
        """Send each step (``send`` fills what it needs through this runner), capture from
        its answer (``read(answer, path)``), and yield the result; a caller that stops
        iterating stops the run."""
        for number, step in enumerate(steps, 1):
            answer = send(step)
            missing = self.capture(step.get("capture", {}), lambda path: read(answer, path))
            yield StepResult(number, step, answer, missing)

    def _with_index(self, i: int) -> "StepRunner":
        return StepRunner({**self.values, "i": str(i)}, compute=self._compute)


def placeholders(template: Any) -> set[str]:
    """Every name ``template`` refers to."""
    if isinstance(template, str):
        return set(_PLACEHOLDER.findall(template))
    if isinstance(template, (list, tuple)):
        return set().union(*map(placeholders, template)) if template else set()
    if isinstance(template, dict):
        return set().union(*map(placeholders, template.values())) if template else set()
    return set()
