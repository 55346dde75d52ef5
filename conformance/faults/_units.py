"""Running one unit of the suite for the self-test: a stateless action or a state machine.

Both run with a fixed seed and a judge that remembers at which example each
finding first showed, so the table can say how many examples detection took.
A machine runs in one of two stages: its spec scenarios alone, or exploration.
The stateless unit uses the engine's ``run_stateless_action`` without
shrinking (shrinking changes saved examples, never which findings exist).  The
stateful unit calls ``machines.run_machine`` directly: the self-test checks
only the invariants its faults name (minus those the reference target already
fails) and bounds the reruns, which the engine session does not expose.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Callable

from ..engine import ActionResult
from ._attribution import finding_key


class FirstSeen:
    """A judge wrapper: ``finding_key`` -> the number of the exchange it first showed on."""

    def __init__(self, inner: Callable):
        self.inner = inner
        self.count = 0
        self.first: dict[str, int] = {}

    def __call__(self, exchange, expectation):
        self.count += 1
        findings, ran = self.inner(exchange, expectation)
        for finding in findings:
            self.first.setdefault(finding_key(finding), self.count)
        return findings, ran


def run_stateless(client, catalog, action: str, world: Any, *, max_examples: int, seed: int,
                  profile: str, phases: tuple[str, ...] | None
                  ) -> tuple[ActionResult, dict[str, int]]:
    from ..engine import PHASES, checks_judge, run_stateless_action

    judge = FirstSeen(checks_judge(catalog, action))
    result = run_stateless_action(client, catalog, action, world, max_examples=max_examples,
                                  seed=seed, judge=judge, profile=profile,
                                  phases=phases or PHASES, shrink=False)
    return result, judge.first


def run_stateful(client, catalog, machine: str, *, stage: str, max_examples: int, steps: int,
                 seed: int, profile: str, invariants: list[str],
                 ) -> tuple[ActionResult, dict[str, int]]:
    """One machine run checking only ``invariants`` (every rule and check stays on).

    ``stage`` "scenarios" walks the machine's spec scenarios and nothing else
    (deterministic); "explore" explores without them.  A failed invariant is set
    aside and the machine explores once more; the self-test needs no more than
    that to see a fault, and never the replays that shrink or confirm a finding.
    """
    from ..engine import checks_judge, machine_judge, machine_result_to_action_result
    from ..machines import WaitSettings, run_machine

    # The reference target behind the proxy is consistent at once: what it does not list
    # on the first read is the fault's doing, and waiting 5 s for it (three times a
    # scenario) was most of a state fault's time.
    waits = dataclasses.replace(WaitSettings.consistent(), timeout=1.0)

    judge = FirstSeen(checks_judge(catalog, None))
    explore = stage == "explore"
    result = run_machine(machine, client, catalog, max_examples=max_examples if explore else 0,
                         steps=steps, seed=seed, judge=machine_judge(judge),
                         profile=profile, run_id="selftest", invariants=invariants,
                         max_reruns=1, waits=waits, minimize=0,
                         shrink_seconds=0,
                         scenarios=not explore)
    return machine_result_to_action_result(result, catalog.api_version), judge.first


def fresh_world(offer: dict[str, Any], build_client, run_client):
    """A world on ``offer`` whose base resources are made, by ``build_client``, when the
    unit's action first asks for one (a unit runs one action; making all nineteen kinds
    for it was 44% of the self-test's time); later ones go through ``run_client``."""
    from ..world import World

    world = World.from_snapshot(offer, run_client)  # what a run makes goes through the fault
    world.base_client = build_client  # the base is made around it, whenever first asked for
    world.make_base_on_demand()
    return world
