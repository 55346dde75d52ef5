"""Our EC2 serializer against botocore's own, over generated input for every action."""

import pytest
from botocore.serialize import create_serializer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ec2_conformance.catalog import load_catalog, load_service_model
from ec2_conformance.protocol import serialize
from ec2_conformance.strategies import from_shape

ACTIONS = sorted(load_catalog("2014-10-01").actions)
_BOTOCORE = create_serializer("ec2", include_validation=False)


def botocore_pairs(action: str, params: dict, api_version: str) -> list[tuple[str, str]]:
    op = load_service_model(api_version).operation_model(action)
    body = _BOTOCORE.serialize_to_request(params, op)["body"]
    return [(k, v if isinstance(v, str) else str(v)) for k, v in body.items()]


def params_for(action: str, api_version: str = "2014-10-01") -> st.SearchStrategy:
    shape = load_service_model(api_version).operation_model(action).input_shape
    return st.just({}) if shape is None else from_shape(shape)


@pytest.mark.parametrize("action", ACTIONS)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_matches_botocore_for_every_action(action, data):
    params = data.draw(params_for(action), label="params")
    ours = serialize(action, params, "2014-10-01")
    assert ours == botocore_pairs(action, params, "2014-10-01")


@pytest.mark.parametrize("action", ["RunInstances", "DescribeInstances", "AuthorizeSecurityGroupIngress"])
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_matches_botocore_on_2016_11_15(action, data):
    params = data.draw(params_for(action, "2016-11-15"), label="params")
    ours = serialize(action, params, "2016-11-15")
    assert ours == botocore_pairs(action, params, "2016-11-15")


def test_unknown_member_is_refused():
    with pytest.raises(KeyError):
        serialize("CreateVpc", {"CidrBlok": "10.0.0.0/16"})
