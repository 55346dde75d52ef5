"""Invalid cases keep their label true, also after Hypothesis shrinks them."""

import pytest
from hypothesis import HealthCheck, find, given, settings

from ec2_conformance import strategies as ec2st
from ec2_conformance.catalog import load_catalog
from ec2_conformance.strategies._internal.invalid import _MALFORMED

CATALOG = load_catalog()
FAST = settings(max_examples=25, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))
SHRINK = settings(max_examples=200, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))


def assert_label_holds(case):
    """The mutation the label names is really in the request."""
    cls, _, target = case.expectation.rule.partition(":")
    pairs = dict(case.pairs)
    names = {k.replace(".1", ".N") for k in pairs}
    assert case.kind == "invalid" and case.expectation.outcome == "error"
    assert case.expectation.codes and case.expectation.spec_ref
    if cls == "missing-required":
        assert target not in case.params_sent
    elif cls == "unknown-parameter":
        assert target in pairs
    elif cls == "malformed-value":
        param = CATALOG[case.action].param(target)
        assert pairs[target] in _MALFORMED[param.type]
    elif cls == "enum-violation":
        assert pairs[target] not in CATALOG[case.action].param(target).enum
    elif cls in ("malformed-id", "nonexistent-id"):
        assert target in names
    elif cls == "cidr-out-of-range":
        block, prefix = target.split("/")
        assert pairs[block].endswith("/" + prefix) and not 16 <= int(prefix) <= 28


@pytest.mark.parametrize("action", ["CreateVpc", "DeleteVpc", "DescribeInstances",
                                    "RunInstances", "AuthorizeSecurityGroupIngress",
                                    "CreateSubnet", "AssociateAddress", "CreateTags"])
def test_every_invalid_example_carries_its_mutation(action, world):
    @FAST
    @given(ec2st.invalid_requests(action, world=world))
    def check(case):
        assert_label_holds(case)
    check()


@pytest.mark.parametrize("cls,action", [("missing-required", "CreateSubnet"),
                                        ("malformed-id", "DescribeVolumes"),
                                        ("nonexistent-id", "AttachVolume"),
                                        ("cidr-out-of-range", "CreateVpc"),
                                        ("enum-violation", "CreateVolume"),
                                        ("unknown-parameter", "DescribeRegions")])
def test_shrinking_keeps_the_label_true(cls, action, world):
    # find() shrinks to the minimal example satisfying the condition; the
    # mutation must survive: the label is computed from the mutation applied.
    minimal = find(ec2st.invalid_requests(action, world=world, classes=[cls]),
                   lambda case: len(case.pairs) >= 3, settings=SHRINK)
    assert minimal.expectation.rule.startswith(cls)
    assert_label_holds(minimal)


def test_expected_codes_follow_the_spec(world):
    case = find(ec2st.invalid_requests("DescribeInstances", world=world,
                                       classes=["malformed-id"]), lambda c: True)
    # Malformed, NotFound and InvalidParameterValue are all spec-compatible.
    assert {"InvalidInstanceID.Malformed", "InvalidInstanceID.NotFound",
            "InvalidParameterValue"} <= case.expectation.codes
    case = find(ec2st.invalid_requests("CreateVpc", world=world,
                                       classes=["cidr-out-of-range"]), lambda c: True)
    assert "InvalidVpcRange" in case.expectation.codes
    assert "/28 netmask" in case.expectation.spec_ref


def test_missing_required_respects_the_overlay(world):
    # AssociateAddress: the spec's table says InstanceId is required, its text says
    # EC2-Classic only; the overlay records the disagreement, so it is never removed.
    targets = ec2st.invalid_targets("missing-required", CATALOG["AssociateAddress"], world,
                                    CATALOG)
    assert "InstanceId" not in targets


def test_unknown_classes_are_rejected(world):
    from hypothesis.errors import InvalidArgument

    with pytest.raises(InvalidArgument):
        ec2st.invalid_requests("CreateVpc", world=world, classes=["nonsense"])


def test_malformed_booleans_are_only_values_the_spec_decides():
    """The spec says "Type: Boolean" and shows true/false: "2" or "yes" might be read as a
    boolean by some convention, so they are no label; a word no convention reads is."""
    from ec2_conformance.strategies._internal.invalid import _MALFORMED

    undecided = {"0", "1", "2", "yes", "no", "on", "off", "t", "f", "y", "n"}
    assert _MALFORMED["boolean"] and not {v.lower() for v in _MALFORMED["boolean"]} & undecided
    assert not {v.lower() for v in _MALFORMED["boolean"]} & {"true", "false"}
