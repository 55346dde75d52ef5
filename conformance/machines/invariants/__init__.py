"""Invariants: what must hold on the target after every step, each resting on a spec sentence.

``@invariant_check`` registers one (``_registry``); ``_network`` (CIDR rules, limits,
default parts, gateways), ``_resources`` (volumes, instances, addresses, ...) and
``_state`` (what every kind shares: listing, deletion, attributes, states, tags) hold
them.  ``Observer`` (``_observe``) reads what the target shows, one scoped describe per
kind per step, shared by every invariant of the step.
"""

from . import _network, _resources, _state  # noqa: F401  (register invariants)
from ._observe import ObservationFailed, Observer, filter_passage, project
from ._registry import (INVARIANTS, Invariant, InvariantFailed, View, Violated, generic_ids,
                        invariant_check, invariant_finding)

__all__ = ["INVARIANTS", "Invariant", "InvariantFailed", "ObservationFailed", "Observer", "View",
           "Violated", "filter_passage", "generic_ids", "invariant_check", "invariant_finding",
           "project"]
