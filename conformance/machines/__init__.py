"""Stateful machines: resource lifecycles checked against a spec-driven model.

``run_machine("networking", client)`` explores one machine under Hypothesis
and returns a ``MachineResult``: findings (each with a replayable step list),
invariant counters, and anything teardown could not delete.
Before exploring, a machine walks its spec scenarios (``load_scenarios``):
fixed request lists that reach deep states on every run.
``replay_steps(client, steps)`` replays a saved step list and judges it again.
"""

from ._cleanup import cleanup_run
from ._replay import dependency_slice, replay_steps
from ._runner import MachineResult, run_machine, shrink_budget
from ._scenarios import Scenario, load_scenarios, walk
from ._session import MachineConfig, RecordedFinding, Session, WaitSettings, resolve_profile
from .explore import (MACHINES, ComputeMachine, ConnectivityMachine, EC2Machine, NetworkingMachine,
                      RoutingMachine, StorageMachine)
from .invariants import INVARIANTS, Invariant, InvariantFailed
from .model import load_broken_rules


def all_invariants() -> list[Invariant]:
    return list(INVARIANTS.values())


__all__ = ["ComputeMachine", "ConnectivityMachine", "EC2Machine", "INVARIANTS", "Invariant",
           "InvariantFailed", "MACHINES", "MachineConfig", "MachineResult", "NetworkingMachine",
           "RecordedFinding", "RoutingMachine", "Scenario", "Session",
           "StorageMachine", "WaitSettings", "all_invariants", "cleanup_run", "dependency_slice",
           "load_broken_rules", "load_scenarios", "replay_steps", "resolve_profile", "run_machine",
           "shrink_budget", "walk"]
