"""Model handlers for Internet gateways, route tables, network ACLs and DHCP options."""

from __future__ import annotations

from typing import Any

from ...outcome import Expectation
from ._core import Model, applies, predicts
from ._broken_rules import expect_error


# -- Internet gateways ------------------------------------------------------------------
@applies("CreateInternetGateway")
def _igw_created(model: Model, p: dict[str, Any], r: dict[str, Any]) -> list[str]:
    gid = r["InternetGateway"]["InternetGatewayId"]
    model.add("internet_gateway", gid, {"~attachments": []}, attached=None)
    return [gid]


@predicts("AttachInternetGateway")
def _attach_igw(model: Model, p: dict[str, Any]) -> Expectation | None:
    gateway = model.get(p["InternetGatewayId"])
    if gateway is not None and gateway.data.get("attached"):
        return expect_error("internet-gateway-already-attached")
    return None


@applies("AttachInternetGateway")
def _igw_attached(model: Model, p: dict[str, Any], r: dict[str, Any]) -> None:
    _set_attachment(model, p["InternetGatewayId"], p["VpcId"])


@predicts("DetachInternetGateway")
def _detach_igw(model: Model, p: dict[str, Any]) -> Expectation | None:
    gateway = model.get(p["InternetGatewayId"])
    if gateway is not None and gateway.data.get("attached") != p["VpcId"]:
        return expect_error("internet-gateway-not-attached")
    return None


@applies("DetachInternetGateway")
def _igw_detached(model: Model, p: dict[str, Any], r: dict[str, Any]) -> None:
    _set_attachment(model, p["InternetGatewayId"], None)


@predicts("DeleteInternetGateway")
def _delete_igw(model: Model, p: dict[str, Any]) -> Expectation | None:
    gateway = model.get(p["InternetGatewayId"])
    if gateway is not None and gateway.data.get("attached"):
        return expect_error("internet-gateway-attached-delete")
    return None


@applies("DeleteInternetGateway")
def _igw_deleted(model: Model, p: dict[str, Any], r: dict[str, Any]) -> None:
    model.drop(p["InternetGatewayId"])


def _set_attachment(model: Model, gateway_id: str, vpc_id: str | None) -> None:
    gateway = model.get(gateway_id)
    if gateway is not None:
        gateway.data["attached"] = vpc_id
        gateway.attrs["~attachments"] = [vpc_id] if vpc_id else []


# -- route tables -----------------------------------------------------------------------
@applies("CreateRouteTable")
def _table_created(model: Model, p: dict[str, Any], r: dict[str, Any]) -> list[str]:
    tid = r["RouteTable"]["RouteTableId"]
    model.add("route_table", tid, {"VpcId": p["VpcId"], "~associations": []}, vpc=p["VpcId"],
              main=False, associations={})
    return [tid]


@applies("AssociateRouteTable")
def _table_associated(model: Model, p: dict[str, Any], r: dict[str, Any]) -> list[str]:
    table = model.get(p["RouteTableId"])
    if table is not None:
        table.data["associations"][r["AssociationId"]] = p["SubnetId"]
        table.attrs["~associations"] = sorted(table.data["associations"].values())
    return [r["AssociationId"]]


@applies("DisassociateRouteTable")
def _table_disassociated(model: Model, p: dict[str, Any], r: dict[str, Any]) -> None:
    for table in model.of("route_table"):
        if table.data["associations"].pop(p["AssociationId"], None) is not None:
            table.attrs["~associations"] = sorted(table.data["associations"].values())


@predicts("DeleteRouteTable")
def _delete_table(model: Model, p: dict[str, Any]) -> Expectation | None:
    table = model.get(p["RouteTableId"])
    if table is not None and table.data.get("main"):
        return expect_error("main-route-table-delete")
    if table is not None and table.data["associations"]:
        return expect_error("route-table-associated-delete")
    return None


@applies("DeleteRouteTable")
def _table_deleted(model: Model, p: dict[str, Any], r: dict[str, Any]) -> None:
    model.drop(p["RouteTableId"])


# -- network ACLs -----------------------------------------------------------------------
@applies("CreateNetworkAcl")
def _acl_created(model: Model, p: dict[str, Any], r: dict[str, Any]) -> list[str]:
    aid = r["NetworkAcl"]["NetworkAclId"]
    model.add("network_acl", aid, {"VpcId": p["VpcId"], "IsDefault": False, "~entries": []},
              vpc=p["VpcId"], default=False, entries=set())
    return [aid]


@predicts("CreateNetworkAclEntry")
def _create_entry(model: Model, p: dict[str, Any]) -> Expectation | None:
    acl = model.get(p["NetworkAclId"])
    entries = acl.data.get("entries") if acl is not None else None
    if entries is not None and (bool(p["Egress"]), p["RuleNumber"]) in entries:
        return expect_error("network-acl-entry-duplicate")
    return None


@applies("CreateNetworkAclEntry")
def _entry_created(model: Model, p: dict[str, Any], r: dict[str, Any]) -> None:
    acl = model.get(p["NetworkAclId"])
    if acl is not None and acl.data.get("entries") is not None:
        acl.data["entries"].add((bool(p["Egress"]), p["RuleNumber"]))
        acl.attrs["~entries"] = sorted(acl.data["entries"])


@predicts("DeleteNetworkAcl")
def _delete_acl(model: Model, p: dict[str, Any]) -> Expectation | None:
    acl = model.get(p["NetworkAclId"])
    return expect_error("default-network-acl-delete") if acl and acl.data.get("default") else None


@applies("DeleteNetworkAcl")
def _acl_deleted(model: Model, p: dict[str, Any], r: dict[str, Any]) -> None:
    model.drop(p["NetworkAclId"])


# -- DHCP options -----------------------------------------------------------------------
def dhcp_config(configurations: list[dict[str, Any]] | None) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for item in configurations or ():
        values = [v.get("Value") if isinstance(v, dict) else v for v in item.get("Values", ())]
        out[item.get("Key", "")] = sorted(str(v) for v in values)
    return out


@applies("CreateDhcpOptions")
def _dhcp_created(model: Model, p: dict[str, Any], r: dict[str, Any]) -> list[str]:
    did = r["DhcpOptions"]["DhcpOptionsId"]
    model.add("dhcp_options", did, {"~config": dhcp_config(p["DhcpConfigurations"])})
    return [did]


@applies("AssociateDhcpOptions")
def _dhcp_associated(model: Model, p: dict[str, Any], r: dict[str, Any]) -> None:
    vpc = model.get(p["VpcId"])
    if vpc is not None:
        vpc.attrs["DhcpOptionsId"] = p["DhcpOptionsId"]


@predicts("DeleteDhcpOptions")
def _delete_dhcp(model: Model, p: dict[str, Any]) -> Expectation | None:
    if model.of("vpc", DhcpOptionsId=p["DhcpOptionsId"]):
        return expect_error("dhcp-options-in-use")
    return None


@applies("DeleteDhcpOptions")
def _dhcp_deleted(model: Model, p: dict[str, Any], r: dict[str, Any]) -> None:
    model.drop(p["DhcpOptionsId"])
