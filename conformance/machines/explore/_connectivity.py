"""Connectivity: VPC peering, customer and virtual private gateways, VPN connections."""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.stateful import initialize, precondition, rule

from ._common import CommonRules
from ..model import PENDING

# Two disjoint VPCs and one overlapping the first: peering it must end in "failed".
VPC_BLOCKS = ("10.0.0.0/16", "10.1.0.0/16", "10.0.0.0/16")
GATEWAY_IPS = ("198.51.100.1", "198.51.100.2", "203.0.113.9")


class ConnectivityMachine(CommonRules):
    machine_name = "connectivity"

    @initialize()
    def build_vpcs(self):
        for block in VPC_BLOCKS:
            self.send("CreateVpc", {"CidrBlock": block})

    @precondition(lambda self: len(self.usable("vpc")) >= 2)
    @rule(data=st.data())
    def create_peering(self, data):
        vpcs = self.usable("vpc")
        first = data.draw(st.integers(0, len(vpcs) - 1), label="requester")
        second = data.draw(st.integers(0, len(vpcs) - 2), label="accepter")
        second += second >= first
        self.send("CreateVpcPeeringConnection", {"VpcId": vpcs[first].id,
                                                 "PeerVpcId": vpcs[second].id})
        for conn in self.usable("vpc_peering_connection"):
            if conn.states == PENDING:
                self.wait_for("vpc_peering_connection", conn.id, ("pending-acceptance",))

    @precondition(lambda self: self.has("vpc_peering_connection"))
    @rule(data=st.data(), accept=st.booleans())
    def answer_peering(self, data, accept):
        """Accept or reject, whatever the state: only a pending request may be answered."""
        conn = self.pick(data, "vpc_peering_connection")
        action = "AcceptVpcPeeringConnection" if accept else "RejectVpcPeeringConnection"
        self.send(action, {"VpcPeeringConnectionId": conn.id})

    @precondition(lambda self: self.has("vpc_peering_connection"))
    @rule(data=st.data())
    def delete_peering(self, data):
        self.send("DeleteVpcPeeringConnection",
                  {"VpcPeeringConnectionId": self.pick(data, "vpc_peering_connection").id})

    @rule(ip=st.sampled_from(GATEWAY_IPS), asn=st.integers(64512, 65534))
    def create_customer_gateway(self, ip, asn):
        if self.model.of("customer_gateway", IpAddress=ip):
            return  # the same address again is idempotent in practice, not specified: skip
        self.send("CreateCustomerGateway", {"Type": "ipsec.1", "PublicIp": ip, "BgpAsn": asn})

    @precondition(lambda self: self.has("customer_gateway"))
    @rule(data=st.data())
    def delete_customer_gateway(self, data):
        self.send("DeleteCustomerGateway",
                  {"CustomerGatewayId": self.pick(data, "customer_gateway").id})

    @rule()
    def create_vpn_gateway(self):
        self.send("CreateVpnGateway", {"Type": "ipsec.1"})

    @precondition(lambda self: self.has("vpn_gateway") and self.has("vpc"))
    @rule(data=st.data())
    def attach_vpn_gateway(self, data):
        """A free gateway to any VPC: a VPC that has one already must refuse a second."""
        free = [g for g in self.usable("vpn_gateway") if not g.data.get("attached")]
        if not free:
            return
        gateway = free[data.draw(st.integers(0, len(free) - 1), label="vpn_gateway")]
        self.send("AttachVpnGateway", {"VpnGatewayId": gateway.id,
                                       "VpcId": self.pick(data, "vpc").id})

    @precondition(lambda self: self.has("vpn_gateway") and self.has("vpc"))
    @rule(data=st.data())
    def detach_vpn_gateway(self, data):
        """From its VPC, or from one it is not attached to (must fail)."""
        gateway = self.pick(data, "vpn_gateway")
        self.send("DetachVpnGateway", {"VpnGatewayId": gateway.id,
                                       "VpcId": self.pick(data, "vpc").id})

    @precondition(lambda self: self.has("vpn_gateway"))
    @rule(data=st.data())
    def delete_vpn_gateway(self, data):
        self.send("DeleteVpnGateway", {"VpnGatewayId": self.pick(data, "vpn_gateway").id})

    @precondition(lambda self: self.has("vpn_gateway") and self.has("customer_gateway"))
    @rule(data=st.data())
    def create_vpn_connection(self, data):
        customer, gateway = self.pick(data, "customer_gateway"), self.pick(data, "vpn_gateway")
        self.send("CreateVpnConnection", {"Type": "ipsec.1", "CustomerGatewayId": customer.id,
                                          "VpnGatewayId": gateway.id,
                                          "Options": {"StaticRoutesOnly": True}})

    @precondition(lambda self: self.has("vpn_connection"))
    @rule(data=st.data())
    def delete_vpn_connection(self, data):
        self.send("DeleteVpnConnection",
                  {"VpnConnectionId": self.pick(data, "vpn_connection").id})
