"""Label kinds: what a stateless phase can send an action, each at least once per run.

A phase's budget used to be one Hypothesis draw over all of its kinds, so a small
``--max-examples`` (and a fixed seed, which made the same draw on every action) left
most kinds unsent.  The run is stratified instead: every kind that applies to the
action gets a draw of its own, then the rest of the budget is drawn over all kinds.
Each draw has its own seed, derived from the run's seed, the action and the kind, so
one seed still replays the same run while actions no longer share one draw.
"""

from __future__ import annotations

import weakref
import zlib
from typing import Any

from ..strategies import (INVALID_CLASSES, WIRE_FAULTS, dry_run_requests, invalid_requests,
                          invalid_targets, valid_requests, wire_faults)


# A rule the rule table judges apart from its class, named back to the class it was drawn as
# (an unknown ID in a Describe listing is a nonexistent-id draw; its failing is implied).
REFINED_RULES = {"nonexistent-id-listed": "nonexistent-id"}


def label_of(case: Any) -> str:
    """The label kind a case was drawn as: ``valid``, ``invalid:<class>``, ``wire:<fault>``,
    ``dry-run``."""
    if case.kind == "invalid":
        rule = case.expectation.rule.split(":")[0]
        return "invalid:" + REFINED_RULES.get(rule, rule)
    if case.kind == "wire":
        return case.expectation.rule  # "wire:<fault>"
    return case.kind


def label_kinds(phase: str, action: Any, world: Any, catalog: Any) -> list[str]:
    """The label kinds of ``phase`` that apply to ``action`` (each is sent at least once)."""
    if phase == "invalid":
        return ["invalid:" + name for name in INVALID_CLASSES
                if invalid_targets(name, action, world, catalog)]
    if phase == "wire":
        return ["wire:" + fault for fault in WIRE_FAULTS]
    if phase == "dry-run":
        return ["dry-run"] if action.dry_run else []
    return []


def strategy_for(phase: str, action: Any, world: Any, catalog: Any, label: str | None = None):
    """The phase's strategy, drawing only ``label`` when given; None: nothing to draw.

    Built once per world: a strategy reads the world's resources when it draws, and
    building and validating one costs more than a draw (a shrink asks for it again)."""
    per_world = _STRATEGIES.setdefault(world, {})
    key = (catalog.api_version, action.name, phase, label)
    if key not in per_world:
        per_world[key] = _build(phase, action, world, catalog, label)
    return per_world[key]


_STRATEGIES: "weakref.WeakKeyDictionary[Any, dict[tuple, Any]]" = weakref.WeakKeyDictionary()


def _build(phase: str, action: Any, world: Any, catalog: Any, label: str | None):
    kind = label.split(":", 1)[1] if label and ":" in label else None
    if phase == "valid":
        return valid_requests(action, world=world, catalog=catalog)
    if phase == "invalid":
        return invalid_requests(action, world=world, catalog=catalog,
                                classes=[kind] if kind else None)
    if phase == "wire":
        return wire_faults(action, world=world, catalog=catalog,
                           faults=[kind] if kind else None)
    if phase == "dry-run" and action.dry_run:
        return dry_run_requests(action, world=world, catalog=catalog)
    return None


def derive_seed(seed: int, action: str, part: str) -> int:
    """A seed of its own for each (action, phase or label): stable for one run seed."""
    return zlib.crc32(f"{seed}:{action}:{part}".encode("utf-8"))
