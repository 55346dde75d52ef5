"""Networking: VPCs, subnets, security groups and their rules, network interfaces."""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.stateful import initialize, precondition, rule

from ._common import CommonRules
from ..model import network

GROUP_NAMES = ("web", "db", "ops")
CIDR_SOURCES = ("203.0.113.0/24", "198.51.100.7/32", "0.0.0.0/0")
PORTS = st.sampled_from([(22, 22), (80, 80), (443, 443), (1024, 2048)])
SUBNET_VARIANTS = ("valid", "outside", "netmask")


class VpcRules(CommonRules):
    """VPCs and subnets: shared by the networking and routing machines.

    Each example starts from one VPC with one subnet, so every rule can apply
    from the first step; a rule's ``variant`` picks a valid request or one
    that breaks a named rule (fewer, broader rules explore better).
    """

    @initialize()
    def first_vpc_and_subnet(self):
        reply = self.send("CreateVpc", {"CidrBlock": "10.0.0.0/16"})
        if reply.ok:
            self.send("CreateSubnet", {"VpcId": reply.data["Vpc"]["VpcId"],
                                       "CidrBlock": "10.0.1.0/24",
                                       "AvailabilityZone": self.model.availability_zone})

    @rule(block=st.integers(0, 255), prefix=st.sampled_from([16, 20, 24, 28, 15, 29]))
    def create_vpc(self, block, prefix):
        """/15 and /29 break vpc-netmask-range."""
        self.send("CreateVpc", {"CidrBlock": f"10.{block}.0.0/{prefix}"})

    @precondition(lambda self: self.has("vpc"))
    @rule(data=st.data(), variant=st.sampled_from(SUBNET_VARIANTS),
          prefix=st.integers(16, 28), index=st.integers(0, 4095))
    def create_subnet(self, data, variant, prefix, index):
        vpc = self.pick(data, "vpc")
        cidr = _inside(vpc, prefix, index)
        if variant == "outside":  # every VPC here is inside 10.0.0.0/8
            cidr = f"172.31.{index % 256}.0/24"
        elif variant == "netmask":
            cidr = _inside(vpc, 29 + index % 2, index)
        self.send("CreateSubnet", {"VpcId": vpc.id, "CidrBlock": cidr,
                                   "AvailabilityZone": self.model.availability_zone})

    @precondition(lambda self: self.has("subnet"))
    @rule(data=st.data())
    def create_overlapping_subnet(self, data):
        """Half of an existing subnet's block: breaks subnet-cidr-conflict (its own rule, so
        it is drawn as often as any other step, not one time in four subnet creations)."""
        subnet = self.pick(data, "subnet")
        net = network(subnet.attrs["CidrBlock"])
        cidr = str(next(net.subnets(prefixlen_diff=1)) if net.prefixlen < 28 else net)
        self.send("CreateSubnet", {"VpcId": subnet.data["vpc"], "CidrBlock": cidr,
                                   "AvailabilityZone": self.model.availability_zone})

    @precondition(lambda self: self.has("subnet"))
    @rule(data=st.data())
    def delete_subnet(self, data):
        self.send("DeleteSubnet", {"SubnetId": self.pick(data, "subnet").id})

    @precondition(lambda self: self.has("vpc"))
    @rule(data=st.data())
    def delete_vpc(self, data):
        self.send("DeleteVpc", {"VpcId": self.pick(data, "vpc").id})


class NetworkingMachine(VpcRules):
    machine_name = "networking"

    def __init__(self) -> None:
        super().__init__()
        self.filled_groups = False  # the 100-group fill is costly: once per example

    @precondition(lambda self: self.has("vpc"))
    @rule(data=st.data(), name=st.sampled_from(GROUP_NAMES + ("default",)))
    def create_security_group(self, data, name):
        vpc = self.pick(data, "vpc")
        self.send("CreateSecurityGroup", {"GroupName": name, "Description": f"{name} tier",
                                          "VpcId": vpc.id})

    @precondition(lambda self: self.has("vpc") and not self.filled_groups)
    @rule(data=st.data())
    def fill_security_groups(self, data):
        """Create groups up to the VPC limit, then one more (breaks security-groups-per-vpc)."""
        vpc = self.pick(data, "vpc")
        self.filled_groups = True
        count = len([g for g in self.model.of("security_group", vpc=vpc.id) if not g.implicit])
        made = []
        limit = self.session.catalog.limit_value("security_groups_per_vpc")
        for n in range(count, limit + 1):  # tagged in one request below, not one by one
            reply = self.send("CreateSecurityGroup", {"GroupName": self.unique("fill-"),
                                                      "Description": "limit", "VpcId": vpc.id},
                              follow_up=n == limit)  # the one too many: undo if taken
            made += [gid for gid in [reply.data.get("GroupId")] if gid in self.model.live]
        if made:
            self.send("CreateTags", {"Resources": made, "Tags": [
                {"Key": self.session.kinds.run_tag, "Value": self.session.run_id}]}, follow_up=False)

    @precondition(lambda self: self.has("security_group"))
    @rule(data=st.data())
    def delete_security_group(self, data):
        self.send("DeleteSecurityGroup", {"GroupId": self.pick(data, "security_group").id})

    @precondition(lambda self: self.has("security_group"))
    @rule(data=st.data(), egress=st.booleans(), proto=st.sampled_from(["tcp", "udp", "-1"]),
          ports=PORTS, source_group=st.booleans())
    def authorize(self, data, egress, proto, ports, source_group):
        group = self.pick(data, "security_group")
        if group.data.get("rules") is None:  # made in bulk, never read: the spec does not
            # say which rules a new VPC group starts with, so read them before predicting
            self.send("DescribeSecurityGroups", {"GroupIds": [group.id]}, follow_up=False)
        perm = {"IpProtocol": proto, **_ports(proto, ports)}
        peers = self.usable("security_group", vpc=group.data["vpc"])
        if source_group:
            peer = peers[data.draw(st.integers(0, len(peers) - 1), label="peer")]
            perm["UserIdGroupPairs"] = [{"GroupId": peer.id}]
        else:
            perm["IpRanges"] = [{"CidrIp": data.draw(st.sampled_from(CIDR_SOURCES))}]
        action = "AuthorizeSecurityGroupEgress" if egress else "AuthorizeSecurityGroupIngress"
        self.send(action, {"GroupId": group.id, "IpPermissions": [perm]})

    @precondition(lambda self: any(g.data.get("rules") is not None
                                   for g in self.usable("security_group")))
    @rule(data=st.data(), egress=st.booleans())
    def fill_rules(self, data, egress):
        """Authorize up to 50 rules in one request, then one more (breaks the rule limit)."""
        group = self.pick(data, "security_group")
        if group.data.get("rules") is None:
            return
        missing = (self.session.catalog.limit_value("rules_per_vpc_security_group")
                   - len(group.data["rules"]))
        action = "AuthorizeSecurityGroupEgress" if egress else "AuthorizeSecurityGroupIngress"
        port = 30000 + len(group.data["rules"])
        if missing > 0:
            ranges = [{"CidrIp": f"192.0.2.{i}/32"} for i in range(missing)]
            self.send(action, {"GroupId": group.id, "IpPermissions": [
                {"IpProtocol": "tcp", "FromPort": port, "ToPort": port, "IpRanges": ranges}]})
        self.send(action, {"GroupId": group.id, "IpPermissions": [
            {"IpProtocol": "tcp", "FromPort": port + 1, "ToPort": port + 1,
             "IpRanges": [{"CidrIp": "192.0.2.255/32"}]}]})

    @precondition(lambda self: any(g.data.get("rules") for g in self.usable("security_group")))
    @rule(data=st.data(), existing=st.booleans())
    def revoke(self, data, existing):
        groups = [g for g in self.usable("security_group") if g.data.get("rules")]
        group = groups[data.draw(st.integers(0, len(groups) - 1), label="group")]
        rules = sorted(group.data["rules"], key=str)
        direction, proto, low, high, source = rules[data.draw(st.integers(0, len(rules) - 1))]
        if not existing:
            low, high, proto = 7, 7, "udp"  # a rule no rule here ever authorizes
        perm = {"IpProtocol": proto, **({} if proto == "-1" else {"FromPort": low,
                                                                   "ToPort": high})}
        kind, value = source.split(":", 1)
        perm["IpRanges" if kind == "cidr" else "UserIdGroupPairs"] = [
            {"CidrIp": value} if kind == "cidr" else {"GroupId": value}]
        action = "RevokeSecurityGroupEgress" if direction == "out" else "RevokeSecurityGroupIngress"
        self.send(action, {"GroupId": group.id, "IpPermissions": [perm]})

    @precondition(lambda self: self.has("subnet"))
    @rule(data=st.data(), variant=st.sampled_from(["valid", "valid", "taken-address",
                                                   "six-groups"]),
          groups=st.integers(0, 2), described=st.booleans())
    def create_network_interface(self, data, variant, groups, described):
        """Variants break private-ip-in-use and security-groups-per-interface."""
        subnet = self.pick(data, "subnet")
        params = {"SubnetId": subnet.id}
        peers = self.usable("security_group", vpc=subnet.data["vpc"])
        taken = [e for e in self.usable("network_interface", subnet=subnet.id)]
        if variant == "taken-address" and taken:
            params["PrivateIpAddress"] = taken[0].attrs["PrivateIpAddress"]
        elif variant == "six-groups" and len(peers) > 5:
            params["Groups"] = [g.id for g in peers[:6]]
        elif groups and peers:
            params["Groups"] = sorted({peers[data.draw(st.integers(0, len(peers) - 1))].id
                                       for _ in range(groups)})
        if described:
            params["Description"] = "conformance interface"
        self.send("CreateNetworkInterface", params)

    @precondition(lambda self: self.has("network_interface"))
    # Not "": the spec does not say whether an empty value clears a description or is ignored.
    @rule(data=st.data(), text=st.sampled_from(["primary", "backup"]))
    def describe_interface(self, data, text):
        eni = self.pick(data, "network_interface")
        self.send("ModifyNetworkInterfaceAttribute", {"NetworkInterfaceId": eni.id,
                                                      "Description": {"Value": text}})

    @precondition(lambda self: self.has("network_interface"))
    @rule(data=st.data())
    def delete_network_interface(self, data):
        self.send("DeleteNetworkInterface",
                  {"NetworkInterfaceId": self.pick(data, "network_interface").id})


def _inside(vpc, prefix: int, index: int) -> str:
    """The ``index``-th aligned block of ``prefix`` inside the VPC (wrapping around)."""
    outer = network(vpc.attrs["CidrBlock"])
    prefix = max(prefix, outer.prefixlen)
    count = 2 ** (prefix - outer.prefixlen)
    start = outer.network_address + (index % count) * 2 ** (32 - prefix)
    return f"{start}/{prefix}"


def _ports(proto: str, ports: tuple[int, int]) -> dict[str, int]:
    return {} if proto == "-1" else {"FromPort": ports[0], "ToPort": ports[1]}
