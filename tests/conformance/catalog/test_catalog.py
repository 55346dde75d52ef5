import pytest

from ec2_conformance.catalog import UnknownApiVersion, available_api_versions, load_catalog


@pytest.fixture(scope="module")
def catalog():
    return load_catalog("2014-10-01")


def test_2014_10_01_has_160_actions(catalog):
    assert len(catalog) == 160
    assert "DescribeInstanceStatus" in catalog.actions
    assert "DescribeInstanceState" not in catalog.actions


def test_2016_11_15_loads():
    later = load_catalog("2016-11-15")
    assert len(later) > 500
    assert later.namespace == "http://ec2.amazonaws.com/doc/2016-11-15/"


def test_unknown_version_is_refused():
    assert "2014-10-01" in available_api_versions()
    with pytest.raises(UnknownApiVersion):
        load_catalog("1999-01-01")


@pytest.mark.parametrize("action,wire_name", [
    ("DescribeInstances", "Filter.N.Name"),
    ("DescribeInstances", "Filter.N.Value.N"),
    ("DescribeInstances", "InstanceId.N"),
    ("AssignPrivateIpAddresses", "PrivateIpAddress.N"),
    ("RunInstances", "BlockDeviceMapping.N.Ebs.VolumeSize"),
    ("AuthorizeSecurityGroupIngress", "IpPermissions.N.IpRanges.N.CidrIp"),
    ("CreateTags", "Tag.N.Key"),
    ("CreateTags", "ResourceId.N"),
])
def test_wire_names(catalog, action, wire_name):
    assert wire_name in {p.name for p in catalog[action].params}


def test_param_types_required_and_enums(catalog):
    create_vpc = catalog["CreateVpc"]
    assert create_vpc.param("CidrBlock").type == "string"
    assert create_vpc.param("CidrBlock").top_required
    assert create_vpc.param("InstanceTenancy").enum == ("default", "dedicated")
    assert not create_vpc.param("InstanceTenancy").top_required
    run = catalog["RunInstances"]
    assert run.param("MinCount").type == "integer" and run.param("MinCount").top_required
    # Nested members are never required at the top when their parent is optional.
    assert not run.param("BlockDeviceMapping.N.DeviceName").top_required


def test_response_element_and_output_shape(catalog):
    action = catalog["CreateVpc"]
    assert action.response_element == "CreateVpcResponse"
    assert action.output_shape == "CreateVpcResult"


def test_mutating_and_dry_run(catalog):
    assert not catalog["DescribeVpcs"].mutating
    assert catalog["CreateVpc"].mutating
    assert catalog["CreateVpc"].dry_run
    assert not catalog["DescribeRegions"].mutating


def test_select_globs(catalog):
    names = [a.name for a in catalog.select(["Describe*Vpc*", "CreateVpc"])]
    assert "DescribeVpcs" in names and "CreateVpc" in names and "CreateSubnet" not in names


def test_json_form(catalog):
    data = catalog.to_json([catalog["CreateVpc"]])
    assert data["api_version"] == "2014-10-01"
    (action,) = data["actions"]
    assert set(action) >= {"name", "mutating", "dry_run", "params", "errors"}
    cidr = next(p for p in action["params"] if p["name"] == "CidrBlock")
    assert cidr == {"name": "CidrBlock", "type": "string", "required": True}


def test_actions_are_exactly_the_specs_list(catalog):
    from ec2_conformance.catalog._overlay import load_spec_facts

    listed = load_spec_facts("2014-10-01")["action_list"]
    assert sorted(listed) == sorted(catalog.actions)


def test_required_flags_agree_with_spec_or_are_recorded(catalog):
    """Spec "Required: Yes" lines versus the catalog, every difference explained in the overlay."""
    from ec2_conformance.catalog._overlay import load_spec_facts

    facts = load_spec_facts("2014-10-01")["actions"]
    unexplained = []
    for action in catalog:
        recorded = {d["param"] for d in action.overlay.get("required_disagreements", ())}
        renamed = {d["spec_name"]: d["wire"] for d in action.overlay.get("param_name_differences", ())}
        wire = {p.name: p for p in action.params}
        for param in facts[action.name]["params"]:
            name = renamed.get(param["name"], param["name"])
            if name not in wire or "." in name:
                continue  # nested members are compared by the overlay builder's own test
            if param["required"] != wire[name].top_required and name not in recorded:
                unexplained.append(f"{action.name}.{name}")
    assert unexplained == []


def test_overlay_error_codes_reach_actions(catalog):
    create_subnet = catalog["CreateSubnet"]
    assert "InvalidSubnet.Conflict" in create_subnet.errors
    assert "InvalidVpcID.NotFound" in create_subnet.errors
    assert "MissingParameter" in create_subnet.errors  # common errors apply to every action
    assert catalog["DescribeVpcs"].param("VpcId.N").id_kind == "vpc"
    assert catalog.limit("rules_per_vpc_security_group")["value"] == 50
