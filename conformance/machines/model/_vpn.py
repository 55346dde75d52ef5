"""Model handlers for VPC peering, customer and virtual private gateways, VPN connections."""

from __future__ import annotations

from typing import Any

from ...outcome import Expectation
from ._core import Model, Resource, applies, network, predicts
from ._broken_rules import expect_error

PENDING = ("initiating-request", "pending-acceptance")
ACTIVE = ("provisioning", "active")


# -- peering ----------------------------------------------------------------------------
def _peering_between(model: Model, a: str, b: str) -> list[Resource]:
    return [c for c in model.of("vpc_peering_connection")
            if {c.attrs["RequesterVpcInfo.VpcId"], c.attrs["AccepterVpcInfo.VpcId"]} == {a, b}]


@predicts("CreateVpcPeeringConnection")
def _create_peering(model: Model, p: dict[str, Any]) -> Expectation | None:
    if _peering_between(model, p["VpcId"], p["PeerVpcId"]):
        return expect_error("peering-duplicate")
    return None


@applies("CreateVpcPeeringConnection")
def _peering_created(model: Model, p: dict[str, Any], r: dict[str, Any]) -> list[str]:
    pid = r["VpcPeeringConnection"]["VpcPeeringConnectionId"]
    a, b = model.get(p["VpcId"]), model.get(p["PeerVpcId"])
    overlap = bool(a and b and network(a.attrs["CidrBlock"]).overlaps(
        network(b.attrs["CidrBlock"])))
    model.add("vpc_peering_connection", pid,
              {"RequesterVpcInfo.VpcId": p["VpcId"], "AccepterVpcInfo.VpcId": p["PeerVpcId"]},
              # the spec's answer to overlapping CIDRs is a failed connection, not an error
              states=("failed",) if overlap else PENDING, overlap=overlap)
    return [pid]


def _transition(rule: str):
    def predict(model: Model, p: dict[str, Any]) -> Expectation | None:
        conn = model.get(p["VpcPeeringConnectionId"]) or model.gone.get(p["VpcPeeringConnectionId"])
        if conn is not None and "pending-acceptance" not in conn.states:
            return expect_error(rule)
        return None
    return predict


predicts("AcceptVpcPeeringConnection")(_transition("peering-state-transition"))
predicts("RejectVpcPeeringConnection")(_transition("peering-state-transition"))


@predicts("DeleteVpcPeeringConnection")
def _delete_peering(model: Model, p: dict[str, Any]) -> Expectation | None:
    conn = model.get(p["VpcPeeringConnectionId"]) or model.gone.get(p["VpcPeeringConnectionId"])
    if conn is not None and not set(conn.states) & {"pending-acceptance", *ACTIVE}:
        return expect_error("peering-delete-state")
    return None


@applies("AcceptVpcPeeringConnection")
def _peering_accepted(model: Model, p: dict[str, Any], r: dict[str, Any]) -> None:
    conn = model.get(p["VpcPeeringConnectionId"])
    if conn is not None:
        conn.states = ACTIVE


@applies("RejectVpcPeeringConnection")
def _peering_rejected(model: Model, p: dict[str, Any], r: dict[str, Any]) -> None:
    conn = model.drop(p["VpcPeeringConnectionId"])
    if conn is not None:
        conn.states = ("rejected",)


@applies("DeleteVpcPeeringConnection")
def _peering_deleted(model: Model, p: dict[str, Any], r: dict[str, Any]) -> None:
    conn = model.drop(p["VpcPeeringConnectionId"])
    if conn is not None:
        conn.states = ("deleting", "deleted")


# -- customer gateways ------------------------------------------------------------------
@applies("CreateCustomerGateway")
def _cgw_created(model: Model, p: dict[str, Any], r: dict[str, Any]) -> list[str]:
    gid = r["CustomerGateway"]["CustomerGatewayId"]
    model.add("customer_gateway", gid, {"Type": p["Type"], "IpAddress": p["PublicIp"],
                                        "BgpAsn": str(p["BgpAsn"])},
              states=("pending", "available"))
    return [gid]


@predicts("DeleteCustomerGateway")
def _delete_cgw(model: Model, p: dict[str, Any]) -> Expectation | None:
    if model.of("vpn_connection", customer_gateway=p["CustomerGatewayId"]):
        return expect_error("customer-gateway-in-use-delete")
    return None


@applies("DeleteCustomerGateway")
def _cgw_deleted(model: Model, p: dict[str, Any], r: dict[str, Any]) -> None:
    _drop_to(model, p["CustomerGatewayId"], ("deleting", "deleted"))


# -- virtual private gateways -----------------------------------------------------------
@applies("CreateVpnGateway")
def _vgw_created(model: Model, p: dict[str, Any], r: dict[str, Any]) -> list[str]:
    gid = r["VpnGateway"]["VpnGatewayId"]
    model.add("vpn_gateway", gid, {"Type": p["Type"], "~attachments": []},
              states=("pending", "available"), attached=None)
    return [gid]


@predicts("AttachVpnGateway")
def _attach_vgw(model: Model, p: dict[str, Any]) -> Expectation | None:
    if model.of("vpn_gateway", attached=p["VpcId"]):
        return expect_error("vpn-gateway-vpc-taken")
    return None


@applies("AttachVpnGateway")
def _vgw_attached(model: Model, p: dict[str, Any], r: dict[str, Any]) -> None:
    _attach(model, p["VpnGatewayId"], p["VpcId"])


@predicts("DetachVpnGateway")
def _detach_vgw(model: Model, p: dict[str, Any]) -> Expectation | None:
    gateway = model.get(p["VpnGatewayId"])
    if gateway is not None and gateway.data.get("attached") != p["VpcId"]:
        return expect_error("vpn-gateway-not-attached")
    return None


@applies("DetachVpnGateway")
def _vgw_detached(model: Model, p: dict[str, Any], r: dict[str, Any]) -> None:
    _attach(model, p["VpnGatewayId"], None)


@predicts("DeleteVpnGateway")
def _delete_vgw(model: Model, p: dict[str, Any]) -> Expectation | None:
    gateway = model.get(p["VpnGatewayId"])
    if gateway is not None and gateway.data.get("attached"):
        return expect_error("vpn-gateway-attached-delete")
    return None


@applies("DeleteVpnGateway")
def _vgw_deleted(model: Model, p: dict[str, Any], r: dict[str, Any]) -> None:
    _drop_to(model, p["VpnGatewayId"], ("deleting", "deleted"))


def _attach(model: Model, gateway_id: str, vpc_id: str | None) -> None:
    gateway = model.get(gateway_id)
    if gateway is not None:
        gateway.data["attached"] = vpc_id
        gateway.attrs["~attachments"] = [vpc_id] if vpc_id else []


# -- VPN connections --------------------------------------------------------------------
@predicts("CreateVpnConnection")
def _create_vpn(model: Model, p: dict[str, Any]) -> Expectation | None:
    if model.of("vpn_connection", customer_gateway=p["CustomerGatewayId"],
                vpn_gateway=p["VpnGatewayId"]):
        return expect_error("vpn-connection-duplicate")
    return None


@applies("CreateVpnConnection")
def _vpn_created(model: Model, p: dict[str, Any], r: dict[str, Any]) -> list[str]:
    vid = r["VpnConnection"]["VpnConnectionId"]
    model.add("vpn_connection", vid, {"CustomerGatewayId": p["CustomerGatewayId"],
                                      "VpnGatewayId": p["VpnGatewayId"], "Type": p["Type"]},
              states=("pending", "available"), customer_gateway=p["CustomerGatewayId"],
              vpn_gateway=p["VpnGatewayId"])
    return [vid]


@applies("DeleteVpnConnection")
def _vpn_deleted(model: Model, p: dict[str, Any], r: dict[str, Any]) -> None:
    _drop_to(model, p["VpnConnectionId"], ("deleting", "deleted"))


def _drop_to(model: Model, rid: str, states: tuple[str, ...]) -> None:
    resource = model.drop(rid)
    if resource is not None:
        resource.states = states
