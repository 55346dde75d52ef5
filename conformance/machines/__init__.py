"""Stateful machines: resource lifecycles checked against a spec-driven model.

``run_machine("networking", client)`` explores one machine under Hypothesis
and returns a ``MachineResult``: findings (each with a replayable step list),
invariant counters, and anything teardown could not delete.
Before exploring, a machine walks its spec scenarios (``load_scenarios``):
fixed request lists that reach deep states on every run.
``replay_steps(client, steps)`` replays a saved step list and judges it again.
"""

from . import _inv_network, _inv_resources, _inv_state  # noqa: F401  (register invariants)
from . import _model_compute, _model_ebs, _model_net, _model_routing, _model_vpn  # noqa: F401
from ._base import EC2Machine, InvariantFailed
from ._invariants import INVARIANTS, Invariant
from ._compute import ComputeMachine
from ._connectivity import ConnectivityMachine
from ._networking import NetworkingMachine
from ._routing import RoutingMachine
from ._replay import dependency_slice, replay_steps
from ._rules import BrokenRule, load_rules
from ._runner import MachineResult, run_machine
from ._scenarios import Scenario, load_scenarios
from ._session import MachineConfig, WaitSettings
from ._storage import StorageMachine

MACHINES: dict[str, type[EC2Machine]] = {
    m.machine_name: m for m in (NetworkingMachine, RoutingMachine, StorageMachine,
                                ComputeMachine, ConnectivityMachine)}


def all_invariants() -> list[Invariant]:
    return list(INVARIANTS.values())


__all__ = ["BrokenRule", "EC2Machine", "INVARIANTS", "Invariant", "InvariantFailed", "MACHINES",
           "MachineConfig", "MachineResult", "Scenario", "WaitSettings", "all_invariants",
           "dependency_slice", "load_rules", "load_scenarios", "replay_steps", "run_machine"]
