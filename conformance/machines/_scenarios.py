"""Spec scenarios: fixed request lists a machine walks before it explores.

Exploration reaches a deep state (a 51st rule, a volume deleted while
attached) only by chance, so a run could pass a target that breaks it.  Each
scenario in ``scenarios-<version>.json`` walks to one such state on every
run.  It holds requests only; the machine's model predicts every answer and
the invariants run after each step, exactly as during exploration, so a
scenario can report nothing the model would not.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable

from hypothesis.errors import UnsatisfiedAssumption

from ..catalog import dig
from ..world import StepRunner, placeholders
from ._session import Session
from .explore import EC2Machine
from .invariants import InvariantFailed
from .model import load_versioned

@dataclass(frozen=True)
class Scenario:
    name: str
    machine: str
    exercises: tuple[str, ...]  # rules the model must predict, or invariants that must run
    why: str
    steps: tuple[dict[str, Any], ...]


@lru_cache(maxsize=None)
def load_scenarios(api_version: str = "2014-10-01") -> tuple[Scenario, ...]:
    data = load_versioned("scenarios", api_version, __package__)
    return tuple(Scenario(s["name"], s["machine"], tuple(s["exercises"]), s["why"],
                          tuple(s["steps"])) for s in data["scenarios"])


def scenarios_for(machine: str, api_version: str = "2014-10-01") -> list[Scenario]:
    return [s for s in load_scenarios(api_version) if s.machine == machine]


def walk(machine: EC2Machine, scenario: Scenario,
         record: Callable[[InvariantFailed], None]) -> str:
    """Send ``scenario``'s steps through ``machine``; how far it got.

    An invariant failure goes to ``record`` and is set aside (as exploration
    does after one), and the walk goes on.  A step that leaves a later one
    without its premise (no value to capture; a wait after a refused request)
    ends the walk: its answer was already judged, and what follows would only
    repeat it.
    """
    config = machine.session.config
    runner = StepRunner({"zone": config.availability_zone, "other_zone": config.other_zone,
                         "image": config.image_id, "instance_type": config.instance_type,
                         "run_id": machine.session.run_id})
    unset = sorted({name for name in placeholders(list(scenario.steps))
                    if runner.values.get(name, "") is None})
    if unset:  # e.g. a target that offers no image cannot launch the instance a walk needs
        return f"skipped: the target offers no {', '.join(unset)}"
    reply = None
    for number, step in enumerate(scenario.steps, 1):
        if "wait" in step:
            if reply is not None and not reply.ok:
                return f"stopped at step {number}: nothing to wait for after {reply.describe()}"
            wait = step["wait"]
            machine.wait_for(wait["kind"], runner.fill(wait["id"]), tuple(wait["states"]))
            continue
        try:
            reply = machine.send(step["action"], runner.fill(step["params"]))
        except UnsatisfiedAssumption:  # no answer, or an unreadable one: already a finding
            return f"stopped at step {number}: no readable answer"
        while True:  # every invariant, past any that fails here
            try:
                machine.spec_invariants_hold()
                break
            except InvariantFailed as failure:
                if failure.name in machine.session.disabled:
                    break  # an unreadable listing fails whichever invariant reads it next
                machine.session.disabled.add(failure.name)
                record(failure)
        missing = runner.capture(step.get("capture", {}),
                                 lambda path: dig(reply.data, path) if reply.ok else None)
        if missing:
            return f"stopped at step {number}: {reply.describe()}, no {missing}"
    return "walked"


def run_scenarios(cls: type[EC2Machine], session: Session, scenarios: list[Scenario],
                  record: Callable[[InvariantFailed], None]) -> dict[str, str]:
    """Walk each scenario on a fresh machine (torn down after); each one's outcome.

    ``record`` gets each invariant failure as it happens.
    """
    outcomes: dict[str, str] = {}
    for scenario in scenarios:
        machine = cls.bind(session)()
        before = {sig: r.occurrences for sig, r in session.findings.items()}
        try:
            outcomes[scenario.name] = walk(machine, scenario, record)
        finally:
            machine.teardown()
        departures = [r.finding for sig, r in session.findings.items()
                      if r.occurrences > before.get(sig, 0) and r.finding.severity.fails]
        if departures:  # say what happened, so the scenario's own text never reads as a pass
            outcomes[scenario.name] += "; the target departed: " + "; ".join(
                _departure(f) for f in departures[:3]) + (
                f" (and {len(departures) - 3} more)" if len(departures) > 3 else "")
    return outcomes


def _departure(finding) -> str:
    what = f"{finding.action} " if finding.action else ""
    if finding.expected or finding.observed:
        return (f"{what}{finding.check}: expected {finding.expected or '-'}, "
                f"got {finding.observed or '-'}")
    return f"{what}{finding.check}: {finding.message}"
