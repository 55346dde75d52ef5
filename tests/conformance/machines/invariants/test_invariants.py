"""Every invariant fails on a target that breaks it, and holds when the target does not.

Each case builds a little real state on moto through the fault proxy, then
turns on a fault that makes the target break exactly one rule (or, where moto
breaks it already, one that repairs moto's answer for the control run).
"""

from __future__ import annotations

import pytest

from ec2_conformance.machines import (INVARIANTS, ComputeMachine, ConnectivityMachine,
                                      NetworkingMachine, StorageMachine)
from ec2_conformance.machines.invariants import View, Violated


def _vpc(m, cidr="10.0.0.0/16"):
    return m.send("CreateVpc", {"CidrBlock": cidr}).data["Vpc"]["VpcId"]


def _subnet(m, vpc, cidr="10.0.1.0/24"):
    return m.send("CreateSubnet", {"VpcId": vpc, "CidrBlock": cidr,
                                   "AvailabilityZone": "us-east-1a"}).data["Subnet"]["SubnetId"]


def _instance(m, **params):
    reply = m.send("RunInstances", {"ImageId": m.session.config.image_id, "MinCount": 1,
                                    "MaxCount": 1, **params})
    return reply.data["Instances"][0]["InstanceId"]


def _default_group(m, vpc):
    return m.model.of("security_group", vpc=vpc, default=True)[0].id


def net_vpc(m):
    return {"vpc": _vpc(m)}


def net_subnet(m):
    vpc = _vpc(m)
    return {"vpc": vpc, "subnet": _subnet(m, vpc)}


def net_two_subnets(m):
    vpc = _vpc(m)
    return {"vpc": vpc, "a": _subnet(m, vpc, "10.0.1.0/24"), "b": _subnet(m, vpc, "10.0.2.0/24")}


def net_group(m):
    vpc = _vpc(m)
    gid = m.send("CreateSecurityGroup", {"GroupName": "web", "Description": "web",
                                         "VpcId": vpc}).data["GroupId"]
    return {"vpc": vpc, "group": gid, "default": _default_group(m, vpc)}


def net_group_with_rule(m):
    ctx = net_group(m)
    m.send("AuthorizeSecurityGroupIngress", {"GroupId": ctx["group"], "IpPermissions": [
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
         "IpRanges": [{"CidrIp": "203.0.113.0/24"}]}]})
    return ctx


def net_interface(m):
    ctx = net_subnet(m)
    reply = m.send("CreateNetworkInterface", {"SubnetId": ctx["subnet"]})
    return {**ctx, "eni": reply.data["NetworkInterface"]["NetworkInterfaceId"]}


def net_deleted_subnet(m):
    ctx = net_subnet(m)
    m.send("DeleteSubnet", {"SubnetId": ctx["subnet"]})
    return ctx


def net_gateway(m):
    vpc = _vpc(m)
    igw = m.send("CreateInternetGateway", {}).data["InternetGateway"]["InternetGatewayId"]
    m.send("AttachInternetGateway", {"InternetGatewayId": igw, "VpcId": vpc})
    return {"vpc": vpc, "igw": igw}


def vpn_two_gateways(m):
    ctx = {}
    for n in (1, 2):
        ctx[f"vpc{n}"] = _vpc(m, f"10.{n}.0.0/16")
        ctx[f"vgw{n}"] = m.send("CreateVpnGateway", {"Type": "ipsec.1"}).data["VpnGateway"][
            "VpnGatewayId"]
        m.send("AttachVpnGateway", {"VpnGatewayId": ctx[f"vgw{n}"], "VpcId": ctx[f"vpc{n}"]})
    return ctx


def vpn_overlapping_peering(m):
    a, b = _vpc(m, "10.0.0.0/16"), _vpc(m, "10.0.0.0/16")
    reply = m.send("CreateVpcPeeringConnection", {"VpcId": a, "PeerVpcId": b})
    return {"pcx": reply.data["VpcPeeringConnection"]["VpcPeeringConnectionId"]}


def ebs_volume(m):
    vol = m.send("CreateVolume", {"Size": 2, "AvailabilityZone": "us-east-1a"}).data["VolumeId"]
    return {"volume": vol}


def ebs_attached(m):
    instance = _instance(m, Placement={"AvailabilityZone": "us-east-1a"})
    vol = ebs_volume(m)["volume"]
    m.send("AttachVolume", {"VolumeId": vol, "InstanceId": instance, "Device": "/dev/sdf"})
    return {"volume": vol, "instance": instance}


def compute_addresses(m, count=1):
    ctx = net_subnet(m)
    igw = m.send("CreateInternetGateway", {}).data["InternetGateway"]["InternetGatewayId"]
    m.send("AttachInternetGateway", {"InternetGatewayId": igw, "VpcId": ctx["vpc"]})
    for n in range(1, count + 1):
        ctx[f"i{n}"] = _instance(m, SubnetId=ctx["subnet"])
        address = m.send("AllocateAddress", {"Domain": "vpc"}).data
        ctx[f"a{n}"], ctx[f"ip{n}"] = address["AllocationId"], address["PublicIp"]
        m.send("AssociateAddress", {"AllocationId": ctx[f"a{n}"], "InstanceId": ctx[f"i{n}"]})
    return ctx


def compute_token(m):
    ctx = net_subnet(m)
    ctx["params"] = {"ImageId": m.session.config.image_id, "MinCount": 1, "MaxCount": 1,
                     "SubnetId": ctx["subnet"], "ClientToken": "ec2c-test-token"}
    ctx["first"] = m.send("RunInstances", ctx["params"]).data["Instances"][0]["InstanceId"]
    return ctx


def repeat_token(m, ctx):
    m.send("RunInstances", ctx["params"])


def _rules_xml(count):
    ranges = "".join(f"<item><cidrIp>192.0.2.{i}/32</cidrIp></item>" for i in range(count))
    return (f"<item><ipProtocol>tcp</ipProtocol><fromPort>9</fromPort><toPort>9</toPort>"
            f"<groups/><ipRanges>{ranges}</ipRanges></item>")


# invariant -> (machine, scenario, faults(ctx) that break it, faults(ctx) for the control
# run, and a last step that runs under each fault set: for invariants about answers)
CASES = {
    "vpc-netmask-in-range": (NetworkingMachine, net_vpc, lambda c: [
        {"action": "DescribeVpcs", "response": [
            {"op": "sub", "select": "//vpcSet/item/cidrBlock", "pattern": "/16$", "repl": "/29"}]}],
        None),
    "subnet-netmask-in-range": (NetworkingMachine, net_subnet, lambda c: [
        {"action": "DescribeSubnets", "response": [
            {"op": "sub", "select": "//subnetSet/item/cidrBlock", "pattern": "/24$",
             "repl": "/30"}]}], None),
    "subnet-inside-vpc": (NetworkingMachine, net_subnet, lambda c: [
        {"action": "DescribeSubnets", "response": [
            {"op": "set", "select": "//subnetSet/item/cidrBlock", "value": "172.16.0.0/24"}]}],
        None),
    "subnets-do-not-overlap": (NetworkingMachine, net_two_subnets, lambda c: [
        {"action": "DescribeSubnets", "response": [
            {"op": "set", "select": "//subnetSet/item/cidrBlock", "value": "10.0.1.0/24"}]}],
        None),
    "security-group-rule-limit": (NetworkingMachine, net_group, lambda c: [
        {"action": "DescribeSecurityGroups", "response": [
            {"op": "append", "select": f"//securityGroupInfo/item[groupId='{c['group']}']"
                                       "/ipPermissions", "xml": _rules_xml(51)}]}], None),
    "security-groups-per-vpc-limit": (NetworkingMachine, net_group, lambda c: [
        {"action": "DescribeSecurityGroups", "response": [
            {"op": "duplicate", "select": f"//securityGroupInfo/item[groupId='{c['group']}']",
             "count": 100, "vary": "groupId"}]}], None),
    "vpc-has-default-security-group": (NetworkingMachine, net_vpc, lambda c: [
        {"action": "DescribeSecurityGroups", "response": [
            {"op": "remove", "select": "//securityGroupInfo/item[groupName='default']"}]}], None),
    "default-security-group-admits-members": (NetworkingMachine, net_group, lambda c: [
        {"action": "DescribeSecurityGroups", "response": [
            {"op": "remove", "select": "//securityGroupInfo/item[groupName='default']"
                                       "/ipPermissions/item"}]}],
        lambda c: [{"action": "DescribeSecurityGroups", "response": [
            {"op": "append", "select": "//securityGroupInfo/item[groupName='default']"
                                       "/ipPermissions",
             "xml": f"<item><ipProtocol>-1</ipProtocol><groups><item><groupId>{c['default']}"
                    "</groupId></item></groups><ipRanges/></item>"}]}]),
    "security-group-rules-match-model": (NetworkingMachine, net_group_with_rule, lambda c: [
        {"action": "DescribeSecurityGroups", "response": [
            {"op": "remove", "select": f"//securityGroupInfo/item[groupId='{c['group']}']"
                                       "/ipPermissions/item"}]}], None),
    "vpc-has-main-route-table": (NetworkingMachine, net_vpc, lambda c: [
        {"action": "DescribeRouteTables", "response": [
            {"op": "set", "select": "//associationSet/item/main", "value": "false"}]}], None),
    "vpc-has-default-network-acl": (NetworkingMachine, net_vpc, lambda c: [
        {"action": "DescribeNetworkAcls", "response": [
            {"op": "duplicate", "select": "//networkAclSet/item", "vary": "networkAclId"}]}],
        None),
    "internet-gateway-attached-once": (NetworkingMachine, net_gateway, lambda c: [
        {"action": "DescribeInternetGateways", "response": [
            {"op": "duplicate", "select": "//attachmentSet/item", "vary": "vpcId"}]}], None),
    "vpn-gateway-one-per-vpc": (ConnectivityMachine, vpn_two_gateways, lambda c: [
        {"action": "DescribeVpnGateways", "response": [
            {"op": "set", "select": "//attachments/item/vpcId", "value": c["vpc1"]}]}], None),
    "peering-overlap-fails": (ConnectivityMachine, vpn_overlapping_peering, lambda c: [
        {"action": "DescribeVpcPeeringConnections", "response": [
            {"op": "set", "select": "//status/code", "value": "pending-acceptance"}]}],
        lambda c: [{"action": "DescribeVpcPeeringConnections", "response": [
            {"op": "set", "select": "//status/code", "value": "failed"}]}]),
    # moto draws an interface's address from the whole subnet, the five reserved ones included
    # (about one run in 50): the control run pins a usable address so only the fault can break it
    "eni-addresses-in-subnet": (NetworkingMachine, net_interface, lambda c: [
        {"action": "DescribeNetworkInterfaces", "response": [
            {"op": "set", "select": "//privateIpAddress", "value": "10.0.1.0"}]}],
        lambda c: [{"action": "DescribeNetworkInterfaces", "response": [
            {"op": "set", "select": "//privateIpAddress", "value": "10.0.1.10"}]}]),
    "subnet-available-address-count": (NetworkingMachine, net_interface, lambda c: [
        {"action": "DescribeSubnets", "response": [
            {"op": "set", "select": "//availableIpAddressCount", "value": "251"}]}], None),
    "volume-attached-at-most-once": (StorageMachine, ebs_attached, lambda c: [
        {"action": "DescribeVolumes", "response": [
            {"op": "duplicate", "select": "//attachmentSet/item", "vary": "instanceId"}]}], None),
    "volume-attachment-agrees": (StorageMachine, ebs_attached, lambda c: [
        {"action": "DescribeInstances", "response": [
            {"op": "remove", "select": f"//blockDeviceMapping/item[ebs/volumeId='{c['volume']}']"}
        ]}], None),
    "address-associated-at-most-once": (ComputeMachine, lambda m: compute_addresses(m, 2),
                                        lambda c: [
        {"action": "DescribeInstances", "response": [
            {"op": "set", "select": "//instancesSet/item/ipAddress", "value": c["ip1"]}]}
    ], None),
    "address-association-agrees": (ComputeMachine, compute_addresses, lambda c: [
        {"action": "DescribeInstances", "response": [
            {"op": "set", "select": "//instancesSet/item/ipAddress", "value": "192.0.2.77"}]}],
        None),
    "client-token-idempotent": (ComputeMachine, compute_token, None, lambda c: [
        {"action": "RunInstances", "params": {"ClientToken": "ec2c-test-token"}, "response": [
            {"op": "set", "select": "//instancesSet/item/instanceId", "value": c["first"]}]}],
        repeat_token),
    "describe-lists-exactly-model": (NetworkingMachine, net_subnet, lambda c: [
        {"action": "DescribeSubnets", "response": [{"op": "remove", "select": "//subnetSet/item"}]}
    ], None),
    "deleted-resources-disappear": (NetworkingMachine, net_deleted_subnet, lambda c: [
        {"action": "DescribeSubnets", "response": [
            {"op": "append", "select": "//subnetSet",
             "xml": f"<item><subnetId>{c['subnet']}</subnetId><state>available</state>"
                    f"<vpcId>{c['vpc']}</vpcId><cidrBlock>10.0.1.0/24</cidrBlock></item>"}]}],
        None),
    "describe-attributes-match-model": (NetworkingMachine, net_subnet, lambda c: [
        {"action": "DescribeSubnets", "response": [
            {"op": "set", "select": "//subnetSet/item/cidrBlock", "value": "10.0.9.0/24"}]}],
        None),
    "resource-states-match-model": (StorageMachine, ebs_volume, lambda c: [
        {"action": "DescribeVolumes", "response": [
            {"op": "set", "select": "//volumeSet/item/status", "value": "error"}]}], None),
    "tags-round-trip": (NetworkingMachine, net_vpc, lambda c: [
        {"action": "DescribeVpcs", "response": [{"op": "remove", "select": "//tagSet/item"}]}],
        None),
}


def test_every_invariant_has_a_breaking_case():
    assert set(CASES) == set(INVARIANTS)
    assert len(INVARIANTS) >= 15


@pytest.mark.parametrize("name", sorted(CASES))
def test_invariant_fails_on_a_target_that_breaks_it(name, build, inject):
    machine_cls, scenario, breaking, repairing, *then = CASES[name]
    machine = build(machine_cls)
    try:
        ctx = scenario(machine)
        inject(*(repairing(ctx) if repairing else []))
        for step in then:
            step(machine, ctx)
        assert _violation(machine, name) is None, "the invariant fails without the fault"
        inject(*(breaking(ctx) if breaking else []))
        for step in then:
            step(machine, ctx)
        violation = _violation(machine, name)
        assert violation is not None, f"{name} held on a target that breaks it"
        assert violation.message and violation.expected
    finally:
        inject()
        machine.teardown()
    assert not machine.session.leftovers


def _violation(machine, name) -> Violated | None:
    machine.observer.refresh()
    try:
        INVARIANTS[name].check(View(machine.model, machine.observer))
    except Violated as violation:
        return violation
    return None
