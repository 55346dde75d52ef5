"""Model handlers for VPCs, subnets, security groups, interfaces and tags."""

from __future__ import annotations

from typing import Any

from ...outcome import Expectation
from ._core import Model, applies, network, predicts
from ._broken_rules import expect_error

_PROTOCOLS = {"6": "tcp", "17": "udp", "1": "icmp", "all": "-1"}


def netmask_ok(catalog: Any, kind: str, cidr: str) -> bool:
    """``kind``'s netmask limit (``vpc_netmask``, ``subnet_netmask``) holds for ``cidr``."""
    net = network(cidr)
    return net is not None and (catalog.limit_value(f"{kind}_netmask", "min_prefix")
                                <= net.prefixlen
                                <= catalog.limit_value(f"{kind}_netmask", "max_prefix"))


# -- VPCs -------------------------------------------------------------------------------
@predicts("CreateVpc")
def _create_vpc(model: Model, p: dict[str, Any]) -> Expectation | None:
    return None if netmask_ok(model.catalog, "vpc", p["CidrBlock"]) else expect_error("vpc-netmask-range")


@applies("CreateVpc")
def _vpc_created(model: Model, p: dict[str, Any], r: dict[str, Any]) -> list[str]:
    vpc = r["Vpc"]
    model.add("vpc", vpc["VpcId"], {"CidrBlock": p["CidrBlock"],
                                    "InstanceTenancy": p.get("InstanceTenancy", "default")},
              states=("pending", "available"))
    return [vpc["VpcId"]]


def vpc_dependents(model: Model, vpc_id: str) -> list[str]:
    """What the spec says must go before a VPC can be deleted (not its implicit parts)."""
    out = [r.id for r in model.live.values() if r.data.get("vpc") == vpc_id and not r.implicit
           and r.kind != "vpc"]
    out += [r.id for r in model.live.values()
            if r.kind in ("internet_gateway", "vpn_gateway") and r.data.get("attached") == vpc_id]
    return out


@predicts("DeleteVpc")
def _delete_vpc(model: Model, p: dict[str, Any]) -> Expectation | None:
    return expect_error("vpc-in-use") if vpc_dependents(model, p["VpcId"]) else None


@applies("DeleteVpc")
def _vpc_deleted(model: Model, p: dict[str, Any], r: dict[str, Any]) -> None:
    model.drop(p["VpcId"])
    for part in [x for x in model.live.values() if x.data.get("vpc") == p["VpcId"]]:
        model.drop(part.id)


@applies("DescribeSecurityGroups")
def _groups_read(model: Model, p: dict[str, Any], r: dict[str, Any]) -> list[str]:
    """Discovery: a VPC's default group, and the rules a new group starts with."""
    new = []
    for item in r.get("SecurityGroups", []):
        gid, vpc = item.get("GroupId"), model.get(item.get("VpcId"))
        if item.get("GroupName") == "default" and vpc is not None \
                and not model.of("security_group", vpc=vpc.id, default=True):
            model.add("security_group", gid, {"GroupName": "default", "VpcId": vpc.id},
                      implicit=True, vpc=vpc.id, default=True, rules=None)
            new.append(gid)
        group = model.get(gid)
        if group is not None and group.data.get("rules") is None:
            group.data["rules"] = observed_rules(item)
    return new


@applies("DescribeRouteTables")
def _tables_read(model: Model, p: dict[str, Any], r: dict[str, Any]) -> list[str]:
    new = []
    for item in r.get("RouteTables", []):
        main = any(a.get("Main") for a in item.get("Associations", []))
        vpc = model.get(item.get("VpcId"))
        if main and vpc is not None and not model.of("route_table", vpc=vpc.id, main=True):
            model.add("route_table", item["RouteTableId"], {"VpcId": vpc.id, "~associations": []},
                      implicit=True, vpc=vpc.id, main=True, associations={})
            new.append(item["RouteTableId"])
    return new


@applies("DescribeNetworkAcls")
def _acls_read(model: Model, p: dict[str, Any], r: dict[str, Any]) -> list[str]:
    new = []
    for item in r.get("NetworkAcls", []):
        vpc = model.get(item.get("VpcId"))
        if item.get("IsDefault") and vpc is not None \
                and not model.of("network_acl", vpc=vpc.id, default=True):
            model.add("network_acl", item["NetworkAclId"], {"VpcId": vpc.id, "IsDefault": True},
                      implicit=True, vpc=vpc.id, default=True, entries=None)
            new.append(item["NetworkAclId"])
    return new


# -- subnets ----------------------------------------------------------------------------
@predicts("CreateSubnet")
def _create_subnet(model: Model, p: dict[str, Any]) -> Expectation | None:
    vpc, net = model.get(p["VpcId"]), network(p["CidrBlock"])
    if vpc is None or net is None:
        return None
    broken = [rule for rule, bad in (
        ("subnet-netmask-range", not netmask_ok(model.catalog, "subnet", p["CidrBlock"])),
        ("subnet-outside-vpc", not net.subnet_of(network(vpc.attrs["CidrBlock"]))),
        ("subnet-cidr-conflict", any(net.overlaps(network(s.attrs["CidrBlock"]))
                                     for s in model.of("subnet", vpc=vpc.id)))) if bad]
    return expect_error(*broken) if broken else None


@applies("CreateSubnet")
def _subnet_created(model: Model, p: dict[str, Any], r: dict[str, Any]) -> list[str]:
    sid = r["Subnet"]["SubnetId"]
    attrs = {"VpcId": p["VpcId"], "CidrBlock": p["CidrBlock"]}
    if p.get("AvailabilityZone"):
        attrs["AvailabilityZone"] = p["AvailabilityZone"]
    model.add("subnet", sid, attrs, states=("pending", "available"), vpc=p["VpcId"])
    return [sid]


def subnet_users(model: Model, subnet_id: str) -> list[str]:
    return [r.id for r in model.live.values() if r.data.get("subnet") == subnet_id
            and r.kind in ("network_interface", "instance") and not r.data.get("terminated")]


@predicts("DeleteSubnet")
def _delete_subnet(model: Model, p: dict[str, Any]) -> Expectation | None:
    users = subnet_users(model, p["SubnetId"])
    if not users:
        return None
    # DeleteSubnet names running instances; an interface alone rests on DependencyViolation's
    # generic wording, a rule the table classifies as implied (a warning).
    instance = any(model.live[rid].kind == "instance" for rid in users)
    return expect_error("subnet-in-use" if instance else "subnet-in-use-interface")


@applies("DeleteSubnet")
def _subnet_deleted(model: Model, p: dict[str, Any], r: dict[str, Any]) -> None:
    model.drop(p["SubnetId"])
    for table in model.of("route_table"):
        table.data["associations"] = {k: v for k, v in table.data["associations"].items()
                                      if v != p["SubnetId"]}
        table.attrs["~associations"] = sorted(table.data["associations"].values())


# -- security groups --------------------------------------------------------------------
def atomic_rules(direction: str, permissions: list[dict[str, Any]]) -> set[tuple]:
    """One tuple per (direction, protocol, ports, source): the unit the 50-rule limit counts."""
    out = set()
    for perm in permissions or ():
        proto = str(perm.get("IpProtocol", "")).lower()
        proto = _PROTOCOLS.get(proto, proto)
        ports = (None, None) if proto == "-1" else (perm.get("FromPort"), perm.get("ToPort"))
        for item in perm.get("IpRanges", []) or ():
            out.add((direction, proto, *ports, "cidr:" + str(item.get("CidrIp"))))
        for item in perm.get("UserIdGroupPairs", []) or ():
            out.add((direction, proto, *ports, "group:" + str(item.get("GroupId"))))
    return out


def observed_rules(item: dict[str, Any]) -> set[tuple]:
    return atomic_rules("in", item.get("IpPermissions")) | \
        atomic_rules("out", item.get("IpPermissionsEgress"))


@predicts("CreateSecurityGroup")
def _create_group(model: Model, p: dict[str, Any]) -> Expectation | None:
    vpc = p.get("VpcId")
    if p["GroupName"] == "default":
        return expect_error("security-group-reserved-name")
    if model.of("security_group", vpc=vpc, GroupName=p["GroupName"]):
        return expect_error("security-group-duplicate-name")
    if len([g for g in model.of("security_group", vpc=vpc) if not g.implicit]) >= model.catalog.limit_value("security_groups_per_vpc"):
        return expect_error("security-groups-per-vpc")
    return None


@applies("CreateSecurityGroup")
def _group_created(model: Model, p: dict[str, Any], r: dict[str, Any]) -> list[str]:
    gid = r["GroupId"]
    model.add("security_group", gid, {"GroupName": p["GroupName"],
                                      "Description": p["Description"], "VpcId": p.get("VpcId")},
              vpc=p.get("VpcId"), rules=None)
    return [gid]


def group_users(model: Model, group_id: str) -> list[str]:
    users = [r.id for r in model.live.values() if group_id in r.data.get("groups", ())
             and not r.data.get("terminated")]
    users += [g.id for g in model.of("security_group") if g.id != group_id
              and any(rule[4] == "group:" + group_id for rule in g.data.get("rules") or ())]
    return users


@predicts("DeleteSecurityGroup")
def _delete_group(model: Model, p: dict[str, Any]) -> Expectation | None:
    group = model.get(p.get("GroupId"))
    if group is not None and group.data.get("default"):
        return expect_error("default-security-group-delete")
    return expect_error("security-group-in-use") if group_users(model, p["GroupId"]) else None


@applies("DeleteSecurityGroup")
def _group_deleted(model: Model, p: dict[str, Any], r: dict[str, Any]) -> None:
    model.drop(p["GroupId"])


def _authorize(direction: str):
    def predict(model: Model, p: dict[str, Any]) -> Expectation | None:
        group = model.get(p["GroupId"])
        new = atomic_rules(direction, p.get("IpPermissions"))
        if group is None or group.data.get("rules") is None:
            return None
        if new & group.data["rules"]:
            return expect_error("permission-duplicate")
        if len(group.data["rules"] | new) > model.catalog.limit_value(
                "rules_per_vpc_security_group"):
            return expect_error("security-group-rule-limit")
        return None

    def apply(model: Model, p: dict[str, Any], r: dict[str, Any]) -> None:
        group = model.get(p["GroupId"])
        if group is not None and group.data.get("rules") is not None:
            group.data["rules"] |= atomic_rules(direction, p.get("IpPermissions"))
    return predict, apply


def _revoke(direction: str):
    def predict(model: Model, p: dict[str, Any]) -> Expectation | None:
        group = model.get(p["GroupId"])
        if group is None or group.data.get("rules") is None:
            return None
        missing = atomic_rules(direction, p.get("IpPermissions")) - group.data["rules"]
        return expect_error("permission-not-found") if missing else None

    def apply(model: Model, p: dict[str, Any], r: dict[str, Any]) -> None:
        group = model.get(p["GroupId"])
        if group is not None and group.data.get("rules") is not None:
            group.data["rules"] -= atomic_rules(direction, p.get("IpPermissions"))
    return predict, apply


for _action, _factory, _dir in (("AuthorizeSecurityGroupIngress", _authorize, "in"),
                                ("AuthorizeSecurityGroupEgress", _authorize, "out"),
                                ("RevokeSecurityGroupIngress", _revoke, "in"),
                                ("RevokeSecurityGroupEgress", _revoke, "out")):
    _predict, _apply = _factory(_dir)
    predicts(_action)(_predict)
    applies(_action)(_apply)


# -- network interfaces -----------------------------------------------------------------
@predicts("CreateNetworkInterface")
def _create_interface(model: Model, p: dict[str, Any]) -> Expectation | None:
    if len(p.get("Groups", ())) > model.catalog.limit_value(
            "security_groups_per_network_interface"):
        return expect_error("security-groups-per-interface")
    wanted = p.get("PrivateIpAddress")
    if wanted and any(wanted in r.data.get("ips", ()) for r in model.live.values()
                      if r.data.get("subnet") == p["SubnetId"]):
        return expect_error("private-ip-in-use")
    return None


@applies("CreateNetworkInterface")
def _interface_created(model: Model, p: dict[str, Any], r: dict[str, Any]) -> list[str]:
    eni = r["NetworkInterface"]
    subnet = model.get(p["SubnetId"])
    vpc = subnet.data["vpc"] if subnet else eni.get("VpcId")
    groups = list(p.get("Groups") or [g.id for g in model.of("security_group", vpc=vpc,
                                                               default=True)])
    ips = [a["PrivateIpAddress"] for a in eni.get("PrivateIpAddresses", [])] or \
        [eni.get("PrivateIpAddress")]
    attrs = {"SubnetId": p["SubnetId"], "VpcId": vpc, "PrivateIpAddress": eni.get("PrivateIpAddress"),
             "~groups": sorted(groups)}
    if p.get("Description") is not None:
        attrs["Description"] = p["Description"]
    model.add("network_interface", eni["NetworkInterfaceId"], attrs, states=("available",),
              subnet=p["SubnetId"], vpc=vpc, groups=groups, ips=[ip for ip in ips if ip])
    # the address too: a replay maps it, so a later request for "its" address still collides
    return [eni["NetworkInterfaceId"]] + ([attrs["PrivateIpAddress"]]
                                          if attrs["PrivateIpAddress"] else [])


@applies("ModifyNetworkInterfaceAttribute")
def _interface_modified(model: Model, p: dict[str, Any], r: dict[str, Any]) -> None:
    eni = model.get(p["NetworkInterfaceId"])
    if eni is not None and "Description" in p:
        eni.attrs["Description"] = p["Description"]["Value"]


@applies("DeleteNetworkInterface")
def _interface_deleted(model: Model, p: dict[str, Any], r: dict[str, Any]) -> None:
    model.drop(p["NetworkInterfaceId"])


# -- tags -------------------------------------------------------------------------------
@predicts("CreateTags")
def _create_tags(model: Model, p: dict[str, Any]) -> Expectation | None:
    keys = {t["Key"] for t in p.get("Tags", ())}
    for rid in p.get("Resources", ()):
        resource = model.get(rid)
        if resource is not None and len(set(resource.tags) | keys) > model.catalog.limit_value(
                "tags_per_resource"):
            return expect_error("tag-limit")
    return None


@applies("CreateTags")
def _tags_created(model: Model, p: dict[str, Any], r: dict[str, Any]) -> None:
    for rid in p.get("Resources", ()):
        resource = model.get(rid)
        if resource is not None:
            resource.tags.update({t["Key"]: t.get("Value", "") for t in p.get("Tags", ())})


@applies("DeleteTags")
def _tags_deleted(model: Model, p: dict[str, Any], r: dict[str, Any]) -> None:
    for rid in p.get("Resources", ()):
        resource = model.get(rid)
        for tag in p.get("Tags", ()) if resource is not None else ():
            if "Value" not in tag or resource.tags.get(tag["Key"]) == tag["Value"]:
                resource.tags.pop(tag["Key"], None)
