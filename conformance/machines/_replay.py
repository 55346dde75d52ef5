"""Replay a saved step list, and cut a step list down to what a finding needs.

A step is ``{"action", "params", "pairs", "expectation", "introduces"}`` (plus
``"wait"`` for a bounded wait).  Replay sends the recorded pairs with every ID
an earlier step introduced mapped onto the ID the target gives this time,
drives a fresh model with the same requests, and checks every invariant after
each step, so it reproduces both mispredicted answers and invariant failures.
"""

from __future__ import annotations

from typing import Any

from hypothesis.errors import UnsatisfiedAssumption
from hypothesis.stateful import rule

from ..catalog import Catalog, load_catalog, resource_kinds
from ..outcome import Finding
from ..protocol import Client
from ._cleanup import sweep
from ._session import Judge, MachineConfig, Session, WaitSettings, resolve_profile
from .explore import EC2Machine
from .invariants import InvariantFailed, invariant_finding


class _Replayer(EC2Machine):
    """A machine whose rules are the saved steps: ``send``, waits, invariants, teardown."""

    @rule()
    def unused(self) -> None:  # Hypothesis refuses a machine without rules; replay calls none
        pass


def replay_steps(client: Client, steps: list[dict[str, Any]], catalog: Catalog | None = None,
                 *, profile: Any = None, judge: Judge | None = None,
                 waits: WaitSettings | None = None) -> list[Finding]:
    """Replay ``steps`` against ``client``'s target; the findings it shows this time."""
    for number, step in enumerate(steps, 1):
        if not isinstance(step, dict) or not isinstance(step.get("action"), str) \
                or not isinstance(step.get("pairs"), list):
            raise ValueError(f"step {number} is not a saved step (needs 'action' and 'pairs')")
    catalog = catalog or load_catalog(client.api_version)
    session = Session(client, catalog, profile=resolve_profile(profile), judge=judge,
                      run_id=_run_id(steps, resource_kinds(catalog.api_version).run_tag),
                      waits=waits or WaitSettings(), config=MachineConfig())
    machine = _Replayer.bind(session)()
    mapping: dict[str, str] = {}
    failures: list[Finding] = []
    try:
        for step in steps:
            if step.get("wait"):
                wait = step["wait"]
                machine.wait_for(wait["kind"], _remap(wait["id"], mapping),
                                 tuple(wait.get("states", ())))
                continue
            try:
                machine.send(step["action"], _remap(step.get("params", {}), mapping),
                             pairs=[tuple(p) for p in _remap(step["pairs"], mapping)],
                             follow_up=False)
            except UnsatisfiedAssumption:
                break  # no answer, or an unreadable one: already a finding
            mapping.update(zip(step.get("introduces", ()), machine.steps[-1]["introduces"]))
            try:
                machine.spec_invariants_hold()
            except InvariantFailed as failure:
                failures.append(invariant_finding(failure))
                session.disabled.add(failure.name)
    finally:
        machine.teardown()
        sweep(session, own_kinds=True)
    return [r.finding for r in session.findings.values()] + failures


def dependency_slice(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The steps the last step depends on: those that made, or touched, what it uses.

    Starting from the IDs the last step names, take every earlier step that
    introduces or names one of them, and the IDs that step names, to a fixed
    point.  Cheap, and usually far shorter than the run's prefix; a replay
    decides whether it still shows the finding.
    """
    if not steps:
        return []
    made = {rid for step in steps for rid in step.get("introduces", ())}
    wanted = _named(steps[-1], made)
    keep = [len(steps) - 1]
    changed = True
    while changed:
        changed = False
        for index in range(len(steps) - 1):
            if index in keep:
                continue
            touched = _named(steps[index], made) | set(steps[index].get("introduces", ()))
            if touched & wanted:
                keep.append(index)
                wanted |= touched
                changed = True
    return [steps[i] for i in sorted(keep)]


def _named(step: dict[str, Any], made: set[str]) -> set[str]:
    found: set[str] = set()
    for _, value in step.get("pairs", ()):
        if value in made:
            found.add(value)
    wait = step.get("wait")
    if wait and wait.get("id") in made:
        found.add(wait["id"])
    return found


def _remap(value: Any, mapping: dict[str, str]) -> Any:
    if isinstance(value, str):
        return mapping.get(value, value)
    if isinstance(value, list):
        return [_remap(v, mapping) for v in value]
    if isinstance(value, tuple):
        return tuple(_remap(v, mapping) for v in value)
    if isinstance(value, dict):
        return {k: _remap(v, mapping) for k, v in value.items()}
    return value


def _run_id(steps: list[dict[str, Any]], run_tag: str) -> str | None:
    """The run id the steps tagged with, so the closing sweep finds what the replay made."""
    for step in steps:
        for tag in step.get("params", {}).get("Tags", ()) if step["action"] == "CreateTags" else ():
            if tag.get("Key") == run_tag:
                return tag.get("Value")
    return None
