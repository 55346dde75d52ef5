"""Hypothesis strategies for EC2 Query requests, built from the action catalog.

Use them in your own Hypothesis tests::

    from hypothesis import given
    from ec2_conformance import strategies as ec2st

    @given(ec2st.valid_requests("CreateVpc", world=world))
    def test_create_vpc(case): ...

Every strategy draws a ``Case``: ordered wire pairs plus the ``Expectation`` the
spec gives them.  ``all_strategies()`` lists the registered factories.
"""

from ._internal.case import Case, RawOverrides
from ._internal.invalid import INVALID_CLASSES, invalid_requests, invalid_targets
from ._internal.requests import valid_requests
from ._internal.shapes import from_shape
from ._internal.wire import WIRE_FAULTS, dry_run_requests, wire_faults
from ._internal.utils import all_strategies
from ._internal.values import (availability_zones, cidr_blocks, descriptions, device_names,
                               instance_types, ip_protocols, ports, public_ipv4_addresses,
                               resource_ids, tag_keys, tag_values, timestamps)

__all__ = ["INVALID_CLASSES", "WIRE_FAULTS", "Case", "RawOverrides", "all_strategies",
           "availability_zones", "cidr_blocks", "descriptions", "device_names",
           "dry_run_requests", "from_shape", "instance_types", "invalid_requests", "invalid_targets",
           "ip_protocols", "ports", "public_ipv4_addresses", "resource_ids", "tag_keys",
           "tag_values", "timestamps", "valid_requests", "wire_faults"]
