"""The reference model predicts each broken rule, and holds the valid twin valid.

Pure: the model is driven with made-up answers, no target involved.
"""

from __future__ import annotations

import pytest

from ec2_conformance.catalog import load_catalog
from ec2_conformance.machines.model import Model, load_broken_rules


def _model() -> Model:
    return Model(load_catalog(), availability_zone="us-east-1a")


def vpc(m, vid="vpc-1", cidr="10.0.0.0/16"):
    m.apply("CreateVpc", {"CidrBlock": cidr}, {"Vpc": {"VpcId": vid}})
    m.apply("DescribeSecurityGroups", {}, {"SecurityGroups": [
        {"GroupId": f"sg-d{vid}", "GroupName": "default", "VpcId": vid, "IpPermissions": []}]})
    m.apply("DescribeRouteTables", {}, {"RouteTables": [
        {"RouteTableId": f"rtb-{vid}", "VpcId": vid, "Associations": [{"Main": True}]}]})
    m.apply("DescribeNetworkAcls", {}, {"NetworkAcls": [
        {"NetworkAclId": f"acl-{vid}", "VpcId": vid, "IsDefault": True}]})
    return m


def subnet(m, sid="subnet-1", cidr="10.0.1.0/24"):
    m.apply("CreateSubnet", {"VpcId": "vpc-1", "CidrBlock": cidr}, {"Subnet": {"SubnetId": sid}})
    return m


def group(m, gid="sg-1", name="web", rules=()):
    m.apply("CreateSecurityGroup", {"GroupName": name, "Description": "d", "VpcId": "vpc-1"},
            {"GroupId": gid})
    m.apply("DescribeSecurityGroups", {}, {"SecurityGroups": [
        {"GroupId": gid, "GroupName": name, "VpcId": "vpc-1", "IpPermissions": list(rules)}]})
    return m


def eni(m):
    subnet(m).apply("CreateNetworkInterface", {"SubnetId": "subnet-1", "Groups": ["sg-1"]},
                    {"NetworkInterface": {"NetworkInterfaceId": "eni-1",
                                          "PrivateIpAddress": "10.0.1.9"}})
    return m


def instance(m, iid="i-1", zone="us-east-1a", subnet_id=None):
    m.apply("RunInstances", {"ImageId": "ami-1", "SubnetId": subnet_id,
                             "Placement": {"AvailabilityZone": zone}},
            {"Instances": [{"InstanceId": iid, "RootDeviceName": "/dev/sda1"}]})
    m.live[iid].states = ("running",)
    return m


def volume(m, vid="vol-1", zone="us-east-1a", size=4):
    m.apply("CreateVolume", {"Size": size, "AvailabilityZone": zone}, {"VolumeId": vid})
    return m


def attached(m):
    instance(volume(m))
    m.apply("AttachVolume", {"VolumeId": "vol-1", "InstanceId": "i-1", "Device": "/dev/sdf"}, {})
    return m


def igw(m, attach=True):
    m.apply("CreateInternetGateway", {}, {"InternetGateway": {"InternetGatewayId": "igw-1"}})
    if attach:
        m.apply("AttachInternetGateway", {"InternetGatewayId": "igw-1", "VpcId": "vpc-1"}, {})
    return m


def address(m):
    m.apply("AllocateAddress", {"Domain": "vpc"}, {"AllocationId": "eipalloc-1"})
    m.apply("AssociateAddress", {"AllocationId": "eipalloc-1", "InstanceId": "i-1"},
            {"AssociationId": "eipassoc-1"})
    return m


def vgw(m, vpc_id="vpc-1"):
    m.apply("CreateVpnGateway", {"Type": "ipsec.1"}, {"VpnGateway": {"VpnGatewayId": "vgw-1"}})
    m.apply("AttachVpnGateway", {"VpnGatewayId": "vgw-1", "VpcId": vpc_id}, {})
    return m


def vpn(m):
    vgw(vpc(m))
    m.apply("CreateCustomerGateway", {"Type": "ipsec.1", "PublicIp": "198.51.100.1",
                                      "BgpAsn": 65000},
            {"CustomerGateway": {"CustomerGatewayId": "cgw-1"}})
    m.apply("CreateVpnConnection", {"Type": "ipsec.1", "CustomerGatewayId": "cgw-1",
                                    "VpnGatewayId": "vgw-1"},
            {"VpnConnection": {"VpnConnectionId": "vpn-1"}})
    return m


def peering(m, accepted=False):
    vpc(vpc(m), "vpc-2", "10.1.0.0/16")
    m.apply("CreateVpcPeeringConnection", {"VpcId": "vpc-1", "PeerVpcId": "vpc-2"},
            {"VpcPeeringConnection": {"VpcPeeringConnectionId": "pcx-1"}})
    if accepted:
        m.apply("AcceptVpcPeeringConnection", {"VpcPeeringConnectionId": "pcx-1"}, {})
    return m


def act(m, *steps):
    """Apply (action, params, result) steps in turn; the model."""
    for action, params, result in steps:
        m.apply(action, params, result)
    return m


def many_groups(m):
    for n in range(100):
        group(m, f"sg-{n}", f"g{n}")
    return m


PERM = {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "1.2.3.4/32"}]}
FIFTY = {"IpProtocol": "tcp", "FromPort": 1, "ToPort": 1,
         "IpRanges": [{"CidrIp": f"192.0.2.{i}/32"} for i in range(50)]}

# rule -> (state builder, action, params breaking it, params of the valid twin or None)
CASES = {
    "vpc-netmask-range": (lambda m: m, "CreateVpc", {"CidrBlock": "10.0.0.0/29"},
                          {"CidrBlock": "10.0.0.0/28"}),
    "subnet-netmask-range": (vpc, "CreateSubnet", {"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/29"},
                             {"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/28"}),
    "subnet-outside-vpc": (vpc, "CreateSubnet", {"VpcId": "vpc-1", "CidrBlock": "10.1.0.0/24"},
                           {"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}),
    "subnet-cidr-conflict": (lambda m: subnet(vpc(m)), "CreateSubnet",
                             {"VpcId": "vpc-1", "CidrBlock": "10.0.1.128/25"},
                             {"VpcId": "vpc-1", "CidrBlock": "10.0.2.0/25"}),
    "security-group-rule-limit": (lambda m: group(vpc(m), rules=[FIFTY]),
                                  "AuthorizeSecurityGroupEgress",
                                  {"GroupId": "sg-1", "IpPermissions": [PERM]}, None),
    "security-groups-per-vpc": (lambda m: many_groups(vpc(m)), "CreateSecurityGroup",
                                {"GroupName": "x", "Description": "d", "VpcId": "vpc-1"}, None),
    "security-group-duplicate-name": (lambda m: group(vpc(m)), "CreateSecurityGroup",
                                      {"GroupName": "web", "Description": "d", "VpcId": "vpc-1"},
                                      {"GroupName": "db", "Description": "d", "VpcId": "vpc-1"}),
    "security-group-reserved-name": (vpc, "CreateSecurityGroup",
                                     {"GroupName": "default", "Description": "d",
                                      "VpcId": "vpc-1"}, None),
    "default-security-group-delete": (vpc, "DeleteSecurityGroup", {"GroupId": "sg-dvpc-1"},
                                      None),
    "security-group-in-use": (lambda m: eni(group(vpc(m))), "DeleteSecurityGroup",
                              {"GroupId": "sg-1"}, None),
    "permission-duplicate": (lambda m: group(vpc(m), rules=[PERM]),
                             "AuthorizeSecurityGroupIngress",
                             {"GroupId": "sg-1", "IpPermissions": [PERM]},
                             {"GroupId": "sg-1", "IpPermissions": [{**PERM, "FromPort": 23,
                                                                    "ToPort": 23}]}),
    "permission-not-found": (lambda m: group(vpc(m)), "RevokeSecurityGroupIngress",
                             {"GroupId": "sg-1", "IpPermissions": [PERM]}, None),
    "vpc-in-use": (lambda m: subnet(vpc(m)), "DeleteVpc", {"VpcId": "vpc-1"}, None),
    "subnet-in-use": (lambda m: instance(subnet(vpc(m)), subnet_id="subnet-1"), "DeleteSubnet",
                      {"SubnetId": "subnet-1"}, None),
    "subnet-in-use-interface": (lambda m: eni(group(vpc(m))), "DeleteSubnet",
                                {"SubnetId": "subnet-1"}, None),
    "key-pair-duplicate": (lambda m: act(m, ("CreateKeyPair", {"KeyName": "k"}, {})),
                           "CreateKeyPair", {"KeyName": "k"}, {"KeyName": "j"}),
    "volume-attached-attach": (attached, "AttachVolume",
                               {"VolumeId": "vol-1", "InstanceId": "i-1", "Device": "/dev/sdg"},
                               None),
    "volume-not-attached-detach": (volume, "DetachVolume", {"VolumeId": "vol-1"}, None),
    "volume-attached-delete": (attached, "DeleteVolume", {"VolumeId": "vol-1"}, None),
    "volume-zone-mismatch": (lambda m: instance(volume(m, zone="us-east-1b")), "AttachVolume",
                             {"VolumeId": "vol-1", "InstanceId": "i-1", "Device": "/dev/sdf"},
                             None),
    "device-in-use": (lambda m: volume(attached(m), "vol-2"), "AttachVolume",
                      {"VolumeId": "vol-2", "InstanceId": "i-1", "Device": "/dev/sdf"},
                      {"VolumeId": "vol-2", "InstanceId": "i-1", "Device": "/dev/sdg"}),
    "volume-smaller-than-snapshot": (
        lambda m: act(volume(m), ("CreateSnapshot", {"VolumeId": "vol-1"},
                                  {"SnapshotId": "snap-1"})), "CreateVolume",
        {"SnapshotId": "snap-1", "Size": 3, "AvailabilityZone": "us-east-1a"},
        {"SnapshotId": "snap-1", "Size": 4, "AvailabilityZone": "us-east-1a"}),
    "client-token-mismatch": (
        lambda m: act(m, ("RunInstances", {"ImageId": "ami-1", "ClientToken": "t"},
                          {"Instances": [{"InstanceId": "i-1"}]})), "RunInstances",
        {"ImageId": "ami-2", "ClientToken": "t"}, {"ImageId": "ami-1", "ClientToken": "t"}),
    "address-in-use-release": (lambda m: address(instance(m)), "ReleaseAddress",
                               {"AllocationId": "eipalloc-1"}, None),
    "address-instance-not-running": (
        lambda m: act(instance(m), ("TerminateInstances", {"InstanceIds": ["i-1"]}, {})),
        "AssociateAddress", {"AllocationId": "eipalloc-9", "InstanceId": "i-1"}, None),
    "internet-gateway-already-attached": (lambda m: igw(vpc(vpc(m), "vpc-2")),
                                          "AttachInternetGateway",
                                          {"InternetGatewayId": "igw-1", "VpcId": "vpc-2"},
                                          None),
    "internet-gateway-not-attached": (lambda m: igw(vpc(vpc(m), "vpc-2")),
                                      "DetachInternetGateway",
                                      {"InternetGatewayId": "igw-1", "VpcId": "vpc-2"},
                                      {"InternetGatewayId": "igw-1", "VpcId": "vpc-1"}),
    "internet-gateway-attached-delete": (lambda m: igw(vpc(m)), "DeleteInternetGateway",
                                         {"InternetGatewayId": "igw-1"}, None),
    "main-route-table-delete": (vpc, "DeleteRouteTable", {"RouteTableId": "rtb-vpc-1"}, None),
    "route-table-associated-delete": (
        lambda m: act(subnet(vpc(m)), ("CreateRouteTable", {"VpcId": "vpc-1"},
                                       {"RouteTable": {"RouteTableId": "rtb-2"}}),
                      ("AssociateRouteTable", {"RouteTableId": "rtb-2", "SubnetId": "subnet-1"},
                       {"AssociationId": "rtbassoc-1"})), "DeleteRouteTable",
        {"RouteTableId": "rtb-2"}, None),
    "default-network-acl-delete": (vpc, "DeleteNetworkAcl", {"NetworkAclId": "acl-vpc-1"},
                                   None),
    "network-acl-entry-duplicate": (
        lambda m: act(vpc(m), ("CreateNetworkAcl", {"VpcId": "vpc-1"},
                               {"NetworkAcl": {"NetworkAclId": "acl-2"}}),
                      ("CreateNetworkAclEntry", {"NetworkAclId": "acl-2", "RuleNumber": 100,
                                                 "Egress": False}, {})), "CreateNetworkAclEntry",
        {"NetworkAclId": "acl-2", "RuleNumber": 100, "Egress": False},
        {"NetworkAclId": "acl-2", "RuleNumber": 100, "Egress": True}),
    "dhcp-options-in-use": (
        lambda m: act(vpc(m), ("CreateDhcpOptions", {"DhcpConfigurations": []},
                               {"DhcpOptions": {"DhcpOptionsId": "dopt-1"}}),
                      ("AssociateDhcpOptions", {"DhcpOptionsId": "dopt-1", "VpcId": "vpc-1"}, {})),
        "DeleteDhcpOptions", {"DhcpOptionsId": "dopt-1"}, None),
    "tag-limit": (vpc, "CreateTags", {"Resources": ["vpc-1"], "Tags": [
        {"Key": f"k{i}", "Value": ""} for i in range(11)]},
        {"Resources": ["vpc-1"], "Tags": [{"Key": f"k{i}", "Value": ""} for i in range(10)]}),
    "vpn-gateway-vpc-taken": (
        lambda m: act(vgw(vpc(m)), ("CreateVpnGateway", {"Type": "ipsec.1"},
                                    {"VpnGateway": {"VpnGatewayId": "vgw-2"}})),
        "AttachVpnGateway", {"VpnGatewayId": "vgw-2", "VpcId": "vpc-1"}, None),
    "vpn-gateway-attached-delete": (lambda m: vgw(vpc(m)), "DeleteVpnGateway",
                                    {"VpnGatewayId": "vgw-1"}, None),
    "vpn-gateway-not-attached": (lambda m: vgw(vpc(vpc(m), "vpc-2")), "DetachVpnGateway",
                                 {"VpnGatewayId": "vgw-1", "VpcId": "vpc-2"},
                                 {"VpnGatewayId": "vgw-1", "VpcId": "vpc-1"}),
    "vpn-connection-duplicate": (vpn, "CreateVpnConnection",
                                 {"Type": "ipsec.1", "CustomerGatewayId": "cgw-1",
                                  "VpnGatewayId": "vgw-1"}, None),
    "customer-gateway-in-use-delete": (vpn, "DeleteCustomerGateway",
                                       {"CustomerGatewayId": "cgw-1"}, None),
    "peering-duplicate": (peering, "CreateVpcPeeringConnection",
                          {"VpcId": "vpc-2", "PeerVpcId": "vpc-1"}, None),
    "peering-state-transition": (lambda m: peering(m, accepted=True),
                                 "AcceptVpcPeeringConnection",
                                 {"VpcPeeringConnectionId": "pcx-1"}, None),
    "peering-delete-state": (
        lambda m: act(peering(m), ("RejectVpcPeeringConnection",
                                   {"VpcPeeringConnectionId": "pcx-1"}, {})),
        "DeleteVpcPeeringConnection", {"VpcPeeringConnectionId": "pcx-1"}, None),
    "security-groups-per-interface": (
        lambda m: subnet(vpc(m)), "CreateNetworkInterface",
        {"SubnetId": "subnet-1", "Groups": [f"sg-{n}" for n in range(6)]},
        {"SubnetId": "subnet-1", "Groups": [f"sg-{n}" for n in range(5)]}),
    "private-ip-in-use": (lambda m: eni(group(vpc(m))), "CreateNetworkInterface",
                          {"SubnetId": "subnet-1", "PrivateIpAddress": "10.0.1.9"},
                          {"SubnetId": "subnet-1", "PrivateIpAddress": "10.0.1.10"}),
}


def test_every_rule_has_a_case():
    assert set(CASES) == set(load_broken_rules())


@pytest.mark.parametrize("rule", sorted(CASES))
def test_model_predicts_the_broken_rule(rule):
    build, action, breaking, valid = CASES[rule]
    model = build(_model())
    expectation = model.predict(action, breaking)
    assert (expectation.outcome, expectation.rule) == ("error", rule)
    assert expectation.codes and expectation.spec_ref
    if valid is not None:
        assert model.predict(action, valid).outcome == "success"


def test_a_deleted_resource_is_not_found_with_the_catalog_code():
    model = vpc(_model())
    model.apply("DeleteVpc", {"VpcId": "vpc-1"}, {})
    expectation = model.predict("DescribeVpcs", {"VpcIds": ["vpc-1"]})
    assert expectation.rule == "deleted-vpc"
    assert expectation.codes == {"InvalidVpcID.NotFound"}
    # a VPC's implicit parts go with it
    assert model.predict("DeleteSecurityGroup", {"GroupId": "sg-dvpc-1"}).codes == \
        {"InvalidGroup.NotFound", "InvalidSecurityGroupID.NotFound"}


def test_terminated_instances_may_stay_visible_and_terminating_again_succeeds():
    model = instance(_model())
    model.apply("TerminateInstances", {"InstanceIds": ["i-1"]}, {})
    assert model.gone["i-1"].states == ("shutting-down", "terminated")
    assert model.predict("TerminateInstances", {"InstanceIds": ["i-1"]}).outcome == "success"


def test_overlapping_peering_is_accepted_but_must_fail_in_state():
    model = vpc(vpc(_model()), "vpc-2", "10.0.0.0/16")
    assert model.predict("CreateVpcPeeringConnection",
                         {"VpcId": "vpc-1", "PeerVpcId": "vpc-2"}).outcome == "success"
    model.apply("CreateVpcPeeringConnection", {"VpcId": "vpc-1", "PeerVpcId": "vpc-2"},
                {"VpcPeeringConnection": {"VpcPeeringConnectionId": "pcx-1"}})
    assert model.live["pcx-1"].states == ("failed",)
    assert model.predict("AcceptVpcPeeringConnection",
                         {"VpcPeeringConnectionId": "pcx-1"}).rule == "peering-state-transition"


def test_a_request_breaking_two_rules_may_answer_either_code():
    model = subnet(vpc(_model()))
    expectation = model.predict("CreateSubnet", {"VpcId": "vpc-1", "CidrBlock": "10.0.1.0/29"})
    assert expectation.rule == "subnet-netmask-range"
    assert expectation.codes == {"InvalidVpcRange", "InvalidSubnet.Conflict"}


def test_limits_are_read_from_the_catalog_overlay():
    """A limit has one home, the overlay: a catalog with other figures predicts with them."""
    import copy

    from ec2_conformance.catalog import Catalog

    base = load_catalog()
    overlay = copy.deepcopy(base.overlay)
    figures = {"tags_per_resource": {"value": 2}, "vpc_netmask": {"min_prefix": 20}}
    for entry in overlay["limits"]:
        entry.update(figures.get(entry["name"], {}))
    m = vpc(Model(Catalog(base.api_version, base.model, overlay), availability_zone="us-east-1a"),
            cidr="10.0.0.0/20")
    three = {"Resources": ["vpc-1"], "Tags": [{"Key": k, "Value": "v"} for k in "abc"]}
    assert m.predict("CreateTags", three).rule == "tag-limit"
    assert _model().predict("CreateTags", three).outcome == "success"
    assert m.predict("CreateVpc", {"CidrBlock": "10.1.0.0/16"}).rule == "vpc-netmask-range"
    assert _model().predict("CreateVpc", {"CidrBlock": "10.1.0.0/16"}).outcome == "success"
