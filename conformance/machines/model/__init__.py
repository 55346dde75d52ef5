"""The reference model: what the spec says the target's state must be after each request.

``Model.predict(action, params)`` says what the spec requires of an answer (success, or
which broken rule's error); ``Model.apply`` updates the expected state from a successful
answer.  One module per domain registers its handlers (``_network``: VPCs, subnets,
security groups, interfaces, tags; ``_routing``: route tables, ACLs, gateways, DHCP;
``_ebs``: volumes and snapshots; ``_compute``: instances, addresses, key pairs; ``_vpn``:
VPN and peering).  The rules a request can break are data: ``broken-rules-<version>.json``
(``_broken_rules``), which also judges an answer against a prediction.
"""

from . import _compute, _ebs, _network, _routing, _vpn  # noqa: F401  (register handlers)
from ._broken_rules import (BrokenRule, expect_error, judge_outcome, load_broken_rules,
                            load_versioned, not_found)
from ._core import Model, Resource, applies, network, predicts
from ._network import netmask_ok, observed_rules
from ._vpn import PENDING

__all__ = ["BrokenRule", "Model", "PENDING", "Resource", "applies", "expect_error",
           "judge_outcome", "load_broken_rules", "load_versioned", "netmask_ok", "network",
           "not_found", "observed_rules", "predicts"]
