"""Routing: Internet gateways, route tables, network ACLs and DHCP options around VPCs."""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from ._networking import VpcRules

DOMAINS = ("example.com", "corp.example.net")


class RoutingMachine(VpcRules):
    machine_name = "routing"

    @rule()
    def create_internet_gateway(self):
        self.send("CreateInternetGateway", {})

    @precondition(lambda self: self.has("internet_gateway") and self.has("vpc"))
    @rule(data=st.data())
    def attach_internet_gateway(self, data):
        """Any gateway to any VPC without one: an attached gateway breaks the one-VPC rule."""
        gateway = self.pick(data, "internet_gateway")
        free = [v for v in self.usable("vpc") if not self.model.of("internet_gateway",
                                                                    attached=v.id)]
        if not free:
            return
        vpc = free[data.draw(st.integers(0, len(free) - 1), label="vpc")]
        self.send("AttachInternetGateway", {"InternetGatewayId": gateway.id, "VpcId": vpc.id})

    @precondition(lambda self: self.has("internet_gateway") and self.has("vpc"))
    @rule(data=st.data())
    def detach_internet_gateway(self, data):
        """From its VPC, or from another one (breaks internet-gateway-not-attached)."""
        gateway = self.pick(data, "internet_gateway")
        vpc = self.pick(data, "vpc")
        self.send("DetachInternetGateway", {"InternetGatewayId": gateway.id, "VpcId": vpc.id})

    @precondition(lambda self: self.has("internet_gateway"))
    @rule(data=st.data())
    def delete_internet_gateway(self, data):
        self.send("DeleteInternetGateway",
                  {"InternetGatewayId": self.pick(data, "internet_gateway").id})

    @precondition(lambda self: self.has("vpc"))
    @rule(data=st.data())
    def create_route_table(self, data):
        self.send("CreateRouteTable", {"VpcId": self.pick(data, "vpc").id})

    @precondition(lambda self: any(self._free_subnets(t) for t in self.usable("route_table")))
    @rule(data=st.data())
    def associate_route_table(self, data):
        tables = [t for t in self.usable("route_table") if self._free_subnets(t)]
        table = tables[data.draw(st.integers(0, len(tables) - 1), label="route_table")]
        subnets = self._free_subnets(table)
        subnet = subnets[data.draw(st.integers(0, len(subnets) - 1), label="subnet")]
        self.send("AssociateRouteTable", {"RouteTableId": table.id, "SubnetId": subnet.id})

    def _free_subnets(self, table):
        taken = {s for t in self.model.of("route_table") for s in t.data["associations"].values()}
        return [s for s in self.usable("subnet", vpc=table.data["vpc"]) if s.id not in taken]

    @precondition(lambda self: any(t.data["associations"] for t in self.usable("route_table")))
    @rule(data=st.data())
    def disassociate_route_table(self, data):
        associations = sorted(a for t in self.usable("route_table") for a in t.data["associations"])
        association = associations[data.draw(st.integers(0, len(associations) - 1))]
        self.send("DisassociateRouteTable", {"AssociationId": association})

    @precondition(lambda self: self.has("route_table"))
    @rule(data=st.data())
    def delete_route_table(self, data):
        """Any table: the main one and associated ones must be refused."""
        self.send("DeleteRouteTable", {"RouteTableId": self.pick(data, "route_table").id})

    @precondition(lambda self: self.has("vpc"))
    @rule(data=st.data())
    def create_network_acl(self, data):
        self.send("CreateNetworkAcl", {"VpcId": self.pick(data, "vpc").id})

    @precondition(lambda self: any(a.data.get("entries") is not None
                                   for a in self.usable("network_acl")))
    @rule(data=st.data(), number=st.sampled_from([100, 110, 200]), egress=st.booleans(),
          allow=st.booleans())
    def create_network_acl_entry(self, data, number, egress, allow):
        """Rule numbers from a small pool, so a duplicate number comes up often."""
        acls = [a for a in self.usable("network_acl") if a.data.get("entries") is not None]
        acl = acls[data.draw(st.integers(0, len(acls) - 1), label="network_acl")]
        self.send("CreateNetworkAclEntry", {
            "NetworkAclId": acl.id, "RuleNumber": number, "Protocol": "6",
            "RuleAction": "allow" if allow else "deny", "Egress": egress,
            "CidrBlock": "203.0.113.0/24", "PortRange": {"From": 443, "To": 443}})

    @precondition(lambda self: self.has("network_acl"))
    @rule(data=st.data())
    def delete_network_acl(self, data):
        """Any ACL: a VPC's default ACL must be refused."""
        self.send("DeleteNetworkAcl", {"NetworkAclId": self.pick(data, "network_acl").id})

    @rule(domain=st.sampled_from(DOMAINS))
    def create_dhcp_options(self, domain):
        self.send("CreateDhcpOptions", {"DhcpConfigurations": [
            {"Key": "domain-name", "Values": [domain]},
            {"Key": "domain-name-servers", "Values": ["AmazonProvidedDNS"]}]})

    @precondition(lambda self: self.has("vpc"))
    @rule(data=st.data(), default=st.booleans())
    def associate_dhcp_options(self, data, default):
        vpc = self.pick(data, "vpc")
        if default or not self.has("dhcp_options"):
            options = "default"
        else:
            options = self.pick(data, "dhcp_options").id
        self.send("AssociateDhcpOptions", {"DhcpOptionsId": options, "VpcId": vpc.id})

    @precondition(lambda self: self.has("dhcp_options"))
    @rule(data=st.data())
    def delete_dhcp_options(self, data):
        self.send("DeleteDhcpOptions", {"DhcpOptionsId": self.pick(data, "dhcp_options").id})
