"""The resource kinds' file against the catalog: every action, member, filter and code it
names exists in the model or the spec; what it derives agrees with the overlay."""

from __future__ import annotations

import re

import pytest

from ec2_conformance.catalog import dig, load_catalog, load_spec_facts, resource_kinds

CATALOG = load_catalog("2014-10-01")
KINDS = resource_kinds("2014-10-01")
FILTER_LINE = re.compile(r"^- `([^`]+)` ")


def _documented_filters(action: str) -> set[str]:
    params = load_spec_facts("2014-10-01")["actions"][action]["params"]
    text = next(p["description"] for p in params if p["name"] == "Filter.N")
    return {m.group(1) for line in text.splitlines() if (m := FILTER_LINE.match(line))}


def _shape_at(shape, path: str):
    """The shape reached by a dotted member path ("A[].B" steps into a list's members)."""
    for part in path.replace("[]", "").split("."):
        while shape.type_name == "list":
            shape = shape.member
        shape = shape.members[part]
    while shape.type_name == "list":
        shape = shape.member
    return shape


@pytest.mark.parametrize("name", KINDS.names())
def test_every_action_member_and_filter_exists(name):
    kind = KINDS[name]
    model = CATALOG.model
    describe = model.operation_model(kind.describe)
    item = _shape_at(describe.output_shape, kind.items)
    assert kind.id_member in item.members
    if kind.state:
        _shape_at(item, kind.state)  # raises KeyError for a member the item lacks
    assert kind.filter in _documented_filters(kind.describe)
    if kind.describe_ids:
        assert kind.describe_ids in describe.input_shape.members
    assert kind.delete_param in model.operation_model(kind.delete).input_shape.members
    for action, _params in kind.discover:
        assert action in CATALOG.actions
    for state in kind.settled_states + kind.deleted_states:
        assert isinstance(state, str) and state


@pytest.mark.parametrize("name", KINDS.names())
def test_the_id_kind_is_derived_from_the_catalog_and_agrees_with_describe_by_id(name):
    kind = KINDS[name]
    id_kind = KINDS.id_kind(name)
    assert id_kind in CATALOG.id_kinds
    if kind.describe_ids:
        by_id = [p.id_kind for p in CATALOG[kind.describe].params if p.path[0] == kind.describe_ids]
        assert by_id == [id_kind]


def test_already_gone_is_documented_and_covers_every_kinds_not_found():
    documented = set(CATALOG.common_errors) | set(CATALOG.specific_errors)
    assert KINDS.already_gone <= documented
    for name in KINDS.names():
        entry = CATALOG.id_kinds[KINDS.id_kind(name)]
        assert {entry["not_found"], *entry["other_codes"]} - {None} <= KINDS.already_gone
    # Links undone before (a detach, a disassociation) and what the two old lists held.
    assert {"Gateway.NotAttached", "InvalidAttachment.NotFound", "InvalidAssociationID.NotFound",
            "InvalidVpnGatewayAttachment.NotFound", "InvalidVpnConnectionID",
            "InvalidAMIID.Unavailable", "InvalidRoute.NotFound"} <= KINDS.already_gone
    # The spec: IncorrectState is a resource that exists in the wrong state, not a gone one.
    assert "IncorrectState" not in KINDS.already_gone


def test_teardown_order_deletes_dependents_first():
    order = [k.name for k in sorted(KINDS, key=lambda k: k.delete_order)]
    assert order.index("instance") < order.index("subnet") < order.index("vpc")
    assert order.index("volume") < order.index("snapshot")


def test_a_later_version_reads_the_newest_older_file():
    assert resource_kinds("2016-11-15").names() == KINDS.names()


def test_items_flatten_and_delete_params_follow_the_parameter():
    instance = KINDS["instance"]
    data = {"Reservations": [{"Instances": [{"InstanceId": "i-1", "State": {"Name": "running"}}]},
                             {"Instances": [{"InstanceId": "i-2"}]}]}
    assert [i["InstanceId"] for i in instance.items_of(data)] == ["i-1", "i-2"]
    assert instance.state_of(instance.items_of(data)[0]) == "running"
    assert instance.delete_params("i-1") == {"InstanceIds": ["i-1"]}
    assert KINDS["vpc"].delete_params("vpc-1") == {"VpcId": "vpc-1"}
    assert dig({"A": [{"B": "x"}]}, "A.0.B") == "x" and dig({}, "A.B") is None


def test_is_gone_takes_a_target_s_own_not_found_names_but_not_a_wrong_state():
    assert KINDS.is_gone("InvalidVpcID.NotFound")
    assert KINDS.is_gone("InvalidVpcPeeringConnectionId.NotFound")  # moto's spelling
    assert KINDS.is_gone("Gateway.NotAttached")
    assert not KINDS.is_gone("IncorrectState")
    assert not KINDS.is_gone("DependencyViolation")
    assert not KINDS.is_gone(None) and not KINDS.is_gone("")
