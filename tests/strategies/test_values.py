import inspect
import ipaddress

import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from ec2_conformance import strategies as ec2st


@given(st.data())
def test_cidr_blocks_stay_inside_their_bounds(data):
    low = data.draw(st.integers(8, 28))
    high = data.draw(st.integers(low, 30))
    block = ipaddress.ip_network(data.draw(ec2st.cidr_blocks(min_prefix=low, max_prefix=high,
                                                             within="10.0.0.0/8")))
    assert low <= block.prefixlen <= high or block.prefixlen == 8
    assert block.subnet_of(ipaddress.ip_network("10.0.0.0/8"))


@pytest.mark.parametrize("kwargs", [{"min_prefix": 20, "max_prefix": 10},
                                    {"min_prefix": -1}, {"within": "not a cidr"},
                                    {"within": "10.0.0.0/30"}, {"max_prefix": "28"}])
def test_cidr_blocks_reject_bad_arguments(kwargs):
    with pytest.raises(InvalidArgument):
        ec2st.cidr_blocks(**kwargs)


@settings(max_examples=50)
@given(ec2st.tag_keys())
def test_tag_keys_never_use_the_reserved_prefix(key):
    assert not key.lower().startswith("aws:") and 1 <= len(key) <= 127


def test_resource_ids_come_from_the_world(world):
    assert find(ec2st.resource_ids("vpc", world=world), lambda _: True) == "vpc-11111111"
    with pytest.raises(InvalidArgument):
        ec2st.resource_ids("bundle", world=world)
    with pytest.raises(InvalidArgument):
        ec2st.resource_ids("vpc", world="not a world")


@given(st.data())
def test_nonexistent_ids_are_well_formed_and_absent(world, data):
    value = data.draw(ec2st.resource_ids("vpc", world=world, existing=False, prefix="vpc-"))
    assert value.startswith("vpc-") and len(value) == 12 and value not in world.ids("vpc")


def test_every_registered_strategy_takes_options_by_keyword():
    registry = ec2st.all_strategies()
    assert {"valid_requests", "invalid_requests", "wire_faults", "dry_run_requests",
            "cidr_blocks", "resource_ids", "tag_values"} <= set(registry)
    for name, factory in registry.items():
        for param in inspect.signature(factory).parameters.values():
            if param.default is not inspect.Parameter.empty:
                assert param.kind is param.KEYWORD_ONLY, (name, param.name)
        assert name in ec2st.__all__
