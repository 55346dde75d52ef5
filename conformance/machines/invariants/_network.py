"""Invariants of VPC networking: CIDR rules, security-group limits, default parts, gateways."""

from __future__ import annotations

import ipaddress
from collections import Counter

from ._registry import View, Violated, invariant_check
from ..model import PENDING, netmask_ok, network, observed_rules


def _netmask_check(view: View, kind: str) -> None:
    for rid, item in view.live_items(kind).items():
        catalog = view.model.catalog
        if not netmask_ok(catalog, kind, item.get("CidrBlock", "")):
            low = catalog.limit_value(f"{kind}_netmask", "min_prefix")
            high = catalog.limit_value(f"{kind}_netmask", "max_prefix")
            raise Violated(f"{kind} {rid} has CIDR block {item.get('CidrBlock')!r}",
                           expected=f"a netmask from /{low} to /{high}", observed=item.get("CidrBlock"),
                           resource=rid)


@invariant_check("vpc-netmask-in-range", description="every VPC's netmask is /16 to /28",
                 spec_ref="CreateVpc > Description",
                 quote="The smallest VPC you can create uses a /28 netmask (16 IP addresses), "
                       "and the largest uses a /16 netmask (65,536 IP addresses).",
                 kinds=("vpc",))
def vpc_netmask_in_range(view: View) -> None:
    _netmask_check(view, "vpc")


@invariant_check("subnet-netmask-in-range", description="every subnet's netmask is /16 to /28",
                 spec_ref="CreateSubnet > Description",
                 quote="The smallest subnet (and VPC) you can create uses a /28 netmask (16 IP "
                       "addresses), and the largest uses a /16 netmask (65,536 IP addresses).",
                 kinds=("subnet",))
def subnet_netmask_in_range(view: View) -> None:
    _netmask_check(view, "subnet")


@invariant_check("subnet-inside-vpc", description="every subnet's CIDR block lies inside its "
                 "VPC's", spec_ref="CreateSubnet > Description",
                 quote="The subnet's CIDR block can be the same as the VPC's CIDR block "
                       "(assuming you want only a single subnet in the VPC), or a subset of the "
                       "VPC's CIDR block.", kinds=("subnet",))
def subnet_inside_vpc(view: View) -> None:
    vpcs = view.items("vpc")
    for rid, item in view.live_items("subnet").items():
        vpc = vpcs.get(item.get("VpcId"))
        net = network(item.get("CidrBlock", ""))
        outer = network(vpc.get("CidrBlock", "")) if vpc else None
        if net is not None and outer is not None and not net.subnet_of(outer):
            raise Violated(f"subnet {rid} ({net}) lies outside its VPC {item.get('VpcId')} "
                           f"({outer})", expected="inside the VPC's CIDR block", observed=str(net),
                           resource=rid)


@invariant_check("subnets-do-not-overlap", description="no two subnets of one VPC overlap",
                 spec_ref="CreateSubnet > Description",
                 quote="If you create more than one subnet in a VPC, the subnets' CIDR blocks "
                       "must not overlap.", kinds=("subnet",))
def subnets_do_not_overlap(view: View) -> None:
    seen: list[tuple[str, str, ipaddress.IPv4Network]] = []
    for rid, item in sorted(view.live_items("subnet").items()):
        net = network(item.get("CidrBlock", ""))
        for other, vpc, other_net in seen:
            if net is not None and vpc == item.get("VpcId") and net.overlaps(other_net):
                raise Violated(f"subnets {other} ({other_net}) and {rid} ({net}) of VPC {vpc} "
                               "overlap", expected="disjoint CIDR blocks",
                               observed=f"{other_net} and {net}", resource=rid)
        if net is not None:
            seen.append((rid, item.get("VpcId"), net))


@invariant_check("security-group-rule-limit", description="a VPC security group holds at most "
                 "50 rules, ingress and egress together",
                 spec_ref="AuthorizeSecurityGroupIngress > Description",
                 quote="EC2-VPC: You can have up to 50 rules per group (covering both ingress "
                       "and egress rules).", kinds=("security_group",))
def security_group_rule_limit(view: View) -> None:
    for gid, item in view.items("security_group").items():
        count = len(observed_rules(item))
        limit = view.model.catalog.limit_value("rules_per_vpc_security_group")
        if item.get("VpcId") and count > limit:
            raise Violated(f"security group {gid} holds {count} rules",
                           expected=f"at most {limit}", observed=count, resource=gid)


@invariant_check("security-groups-per-vpc-limit", description="a VPC holds at most 100 "
                 "security groups besides its default group",
                 spec_ref="CreateSecurityGroup > Description",
                 quote="EC2-VPC: You can create up to 100 security groups per VPC.",
                 kinds=("security_group",))
def security_groups_per_vpc(view: View) -> None:
    counts = Counter(item.get("VpcId") for item in view.items("security_group").values()
                     if item.get("GroupName") != "default")
    limit = view.model.catalog.limit_value("security_groups_per_vpc")
    for vpc, count in counts.items():
        if count > limit:
            raise Violated(f"VPC {vpc} holds {count} security groups besides its default",
                           expected=f"at most {limit}", observed=count, resource=vpc)


def _one_per_vpc(view: View, kind: str, marker, what: str) -> None:
    counts = Counter(item.get("VpcId") for item in view.items(kind).values() if marker(item))
    model = view.model
    # A VPC whose part of this kind the target already mishandled (it deleted the main
    # route table it had to refuse to delete) was reported then, not again here.
    set_aside = model.tainted | {r.data.get("vpc") for r in [*model.live.values(),
                                                             *model.gone.values()]
                                 if r.kind == kind and r.id in model.tainted}
    for vpc in [r.id for r in model.of("vpc") if r.id not in set_aside]:
        if counts.get(vpc, 0) != 1:
            raise Violated(f"VPC {vpc} has {counts.get(vpc, 0)} {what}", expected="exactly one",
                           observed=counts.get(vpc, 0), resource=vpc)


@invariant_check("vpc-has-default-security-group", description="every VPC has exactly one "
                 "security group named 'default'", spec_ref="CreateSecurityGroup > Description",
                 quote="You have a default security group for use in EC2-Classic and a default "
                       "security group for use in your VPC.", kinds=("vpc",))
def vpc_has_default_group(view: View) -> None:
    _one_per_vpc(view, "security_group", lambda i: i.get("GroupName") == "default",
                 "default security groups")


@invariant_check("default-security-group-admits-members", description="a VPC's default group "
                 "has an ingress rule whose source is the group itself",
                 spec_ref="CreateSecurityGroup > Description",
                 quote="A default security group includes a default rule that grants instances "
                       "unrestricted network access to each other.", kinds=("vpc",))
def default_group_admits_members(view: View) -> None:
    for gid, item in view.live_items("security_group").items():
        if item.get("GroupName") != "default" or item.get("VpcId") not in view.model.live:
            continue
        if not any(r[0] == "in" and r[4] == "group:" + gid for r in observed_rules(item)):
            raise Violated(f"default security group {gid} of VPC {item.get('VpcId')} has no "
                           "ingress rule from itself", expected="an ingress rule from the group itself",
                           observed=sorted(str(r) for r in observed_rules(item)) or "no rules",
                           resource=gid)


@invariant_check("security-group-rules-match-model", description="a group's rules are exactly "
                 "those it started with plus what was authorized, minus what was revoked",
                 spec_ref="RevokeSecurityGroupEgress > Description",
                 quote="The values that you specify in the revoke request (for example, ports) "
                       "must match the existing rule's values for the rule to be revoked.",
                 kinds=("security_group",))
def security_group_rules_match(view: View) -> None:
    for gid, item in view.live_items("security_group").items():
        expected = view.model.live[gid].data.get("rules")
        observed = observed_rules(item)
        if expected is not None and observed != expected:
            extra, lost = sorted(map(str, observed - expected)), sorted(map(str, expected - observed))
            raise Violated(f"security group {gid} rules differ from the model: "
                           f"unexpected {extra[:3]}, missing {lost[:3]}",
                           expected="the rules requested so far", observed=f"{len(extra)} "
                           f"unexpected, {len(lost)} missing", resource=gid,
                           path="security_group/rules")


@invariant_check("vpc-has-main-route-table", description="every VPC has exactly one main route "
                 "table", spec_ref="DeleteRouteTable > Description",
                 quote="You can't delete the main route table.", kinds=("vpc",))
def vpc_has_main_route_table(view: View) -> None:
    _one_per_vpc(view, "route_table",
                 lambda i: any(a.get("Main") for a in i.get("Associations", [])),
                 "main route tables")


@invariant_check("vpc-has-default-network-acl", description="every VPC has exactly one default "
                 "network ACL", spec_ref="DeleteNetworkAcl > Description",
                 quote="You can't delete the default network ACL.", kinds=("vpc",))
def vpc_has_default_acl(view: View) -> None:
    _one_per_vpc(view, "network_acl", lambda i: bool(i.get("IsDefault")), "default network ACLs")


@invariant_check("internet-gateway-attached-once", description="an Internet gateway is attached "
                 "to at most one VPC", spec_ref="Client Errors For Specific Actions > "
                 "Resource.AlreadyAssociated", quote="You also cannot attach an Internet gateway "
                 "to more than one VPC at a time.", kinds=("internet_gateway",))
def igw_attached_once(view: View) -> None:
    for gid, item in view.items("internet_gateway").items():
        vpcs = [a.get("VpcId") for a in item.get("Attachments", [])
                if a.get("State") not in ("detaching", "detached")]
        if len(vpcs) > 1:
            raise Violated(f"Internet gateway {gid} is attached to {len(vpcs)} VPCs",
                           expected="at most one VPC", observed=vpcs, resource=gid)


@invariant_check("vpn-gateway-one-per-vpc", description="a VPC has at most one virtual private "
                 "gateway attached", spec_ref="Client Errors For Specific Actions > "
                 "InvalidVpcState", quote="The specified VPC already has a virtual private "
                 "gateway attached to it.", kinds=("vpn_gateway",))
def vpn_gateway_one_per_vpc(view: View) -> None:
    counts = Counter(a.get("VpcId") for item in view.items("vpn_gateway").values()
                     for a in item.get("VpcAttachments", [])
                     if a.get("State") in ("attaching", "attached"))
    for vpc, count in counts.items():
        if count > 1 and vpc not in view.model.tainted:  # an accepted second attach: reported
            raise Violated(f"VPC {vpc} has {count} virtual private gateways attached",
                           expected="at most one", observed=count, resource=vpc)


@invariant_check("peering-overlap-fails", description="a peering request between VPCs with "
                 "overlapping CIDR blocks ends in status 'failed'; others start pending",
                 spec_ref="CreateVpcPeeringConnection > Description",
                 quote="A `CreateVpcPeeringConnection` request between VPCs with overlapping CIDR "
                       "blocks results in the VPC peering connection having a status of "
                       "`failed`.", kinds=("vpc_peering_connection",))
def peering_overlap_fails(view: View) -> None:
    for pid, item in view.items("vpc_peering_connection").items():
        record = view.model.live.get(pid) or view.model.gone.get(pid)
        status = (item.get("Status") or {}).get("Code")
        if record is not None and record.data.get("overlap") and status != "failed":
            raise Violated(f"peering connection {pid} joins overlapping VPCs but has status "
                           f"{status!r}", expected="failed", observed=status, resource=pid)
        if record is not None and not record.data.get("overlap") and status == "failed" \
                and record.states == PENDING:
            raise Violated(f"peering connection {pid} joins disjoint VPCs but failed",
                           expected=" or ".join(PENDING), observed=status, resource=pid)
