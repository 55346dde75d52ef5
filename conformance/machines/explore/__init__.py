"""The Hypothesis state machines: the rules that choose each next request.

``EC2Machine`` (``_base``) sends every request through the model and the invariants;
``CommonRules`` (tags, using a deleted resource) and one machine per domain
(``NetworkingMachine``, ``RoutingMachine``, ``StorageMachine``, ``ComputeMachine``,
``ConnectivityMachine``) add the Hypothesis ``@rule`` methods that explore it.
"""

from ._base import EC2Machine
from ._compute import ComputeMachine
from ._connectivity import ConnectivityMachine
from ._networking import NetworkingMachine
from ._routing import RoutingMachine
from ._storage import StorageMachine

MACHINES: dict[str, type[EC2Machine]] = {
    m.machine_name: m for m in (NetworkingMachine, RoutingMachine, StorageMachine,
                                ComputeMachine, ConnectivityMachine)}

__all__ = ["ComputeMachine", "ConnectivityMachine", "EC2Machine", "MACHINES",
           "NetworkingMachine", "RoutingMachine", "StorageMachine"]
