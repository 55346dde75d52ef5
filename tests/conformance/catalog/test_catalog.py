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
