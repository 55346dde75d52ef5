"""Resource kinds as data: how to describe, scope, tag, wait for and delete each.

One table drives observation (which ``Describe*`` call, which filter scopes it
to this run's resources), the bounded waiters (which states count as settled),
"deleted resources disappear" (which deleted states the spec lets a describe
still show) and teardown (which action deletes it, in what order).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

RUN_TAG = "ec2-conformance:run"  # the tag key the world layer uses too: one key per run

@dataclass(frozen=True)
class Kind:
    name: str
    describe: str
    items: str  # path to the item list in the parsed result; "A[].B" flattens
    id_field: str
    id_filter: str  # filter that selects items by ID
    id_kind: str  # the catalog's resource-ID kind (its NotFound code)
    state_path: str | None = None  # dotted path to the state in an item
    settled: tuple[str, ...] = ()  # states a waiter waits for after create
    # Spec-named states a deleted resource may still show in a describe.
    deleted_states: tuple[str, ...] = ()
    delete: str | None = None  # action that deletes it, taking id_param
    id_param: str | None = None
    taggable: bool = True
    scope: str = "id"  # "id": filter by own IDs; "vpc": filter by the model's VPC IDs
    teardown_rank: int = 50  # lower is deleted first


_TABLE = [
    Kind("instance", "DescribeInstances", "Reservations[].Instances", "InstanceId", "instance-id",
         "instance", "State.Name", ("running",), ("shutting-down", "terminated"),
         "TerminateInstances", "InstanceIds", teardown_rank=10),
    Kind("address", "DescribeAddresses", "Addresses", "AllocationId", "allocation-id",
         "allocation", delete="ReleaseAddress", id_param="AllocationId", taggable=False,
         teardown_rank=15),
    Kind("vpn_connection", "DescribeVpnConnections", "VpnConnections", "VpnConnectionId",
         "vpn-connection-id", "vpn_connection", "State", ("available",), ("deleting", "deleted"),
         "DeleteVpnConnection", "VpnConnectionId", teardown_rank=18),
    Kind("network_interface", "DescribeNetworkInterfaces", "NetworkInterfaces",
         "NetworkInterfaceId", "network-interface-id", "network_interface", "Status",
         ("available",), (), "DeleteNetworkInterface", "NetworkInterfaceId", teardown_rank=20),
    Kind("volume", "DescribeVolumes", "Volumes", "VolumeId", "volume-id", "volume", "State",
         ("available",), ("deleting", "deleted"), "DeleteVolume", "VolumeId", teardown_rank=25),
    Kind("snapshot", "DescribeSnapshots", "Snapshots", "SnapshotId", "snapshot-id", "snapshot",
         "State", ("completed",), (), "DeleteSnapshot", "SnapshotId", teardown_rank=30),
    Kind("vpc_peering_connection", "DescribeVpcPeeringConnections", "VpcPeeringConnections",
         "VpcPeeringConnectionId", "vpc-peering-connection-id", "vpc_peering_connection",
         "Status.Code", (), ("deleted", "deleting", "rejected", "failed", "expired"),
         "DeleteVpcPeeringConnection", "VpcPeeringConnectionId", teardown_rank=32),
    Kind("vpn_gateway", "DescribeVpnGateways", "VpnGateways", "VpnGatewayId", "vpn-gateway-id",
         "vpn_gateway", "State", ("available",), ("deleting", "deleted"), "DeleteVpnGateway",
         "VpnGatewayId", teardown_rank=35),
    Kind("customer_gateway", "DescribeCustomerGateways", "CustomerGateways",
         "CustomerGatewayId", "customer-gateway-id", "customer_gateway", "State", ("available",),
         ("deleting", "deleted"), "DeleteCustomerGateway", "CustomerGatewayId", teardown_rank=36),
    Kind("internet_gateway", "DescribeInternetGateways", "InternetGateways", "InternetGatewayId",
         "internet-gateway-id", "internet_gateway", delete="DeleteInternetGateway",
         id_param="InternetGatewayId", teardown_rank=40),
    Kind("route_table", "DescribeRouteTables", "RouteTables", "RouteTableId", "vpc-id",
         "route_table", delete="DeleteRouteTable", id_param="RouteTableId", scope="vpc",
         teardown_rank=45),
    Kind("network_acl", "DescribeNetworkAcls", "NetworkAcls", "NetworkAclId", "vpc-id",
         "network_acl", delete="DeleteNetworkAcl", id_param="NetworkAclId", scope="vpc",
         teardown_rank=46),
    Kind("security_group", "DescribeSecurityGroups", "SecurityGroups", "GroupId", "vpc-id",
         "security_group", delete="DeleteSecurityGroup", id_param="GroupId", scope="vpc",
         teardown_rank=50),
    Kind("subnet", "DescribeSubnets", "Subnets", "SubnetId", "subnet-id", "subnet", "State",
         ("available",), (), "DeleteSubnet", "SubnetId", teardown_rank=60),
    Kind("vpc", "DescribeVpcs", "Vpcs", "VpcId", "vpc-id", "vpc", "State", ("available",), (),
         "DeleteVpc", "VpcId", teardown_rank=70),
    Kind("dhcp_options", "DescribeDhcpOptions", "DhcpOptions", "DhcpOptionsId",
         "dhcp-options-id", "dhcp_options", delete="DeleteDhcpOptions", id_param="DhcpOptionsId",
         teardown_rank=75),
    Kind("key_pair", "DescribeKeyPairs", "KeyPairs", "KeyName", "key-name", "key_pair",
         delete="DeleteKeyPair", id_param="KeyName", taggable=False, teardown_rank=80),
]
KINDS: dict[str, Kind] = {kind.name: kind for kind in _TABLE}


def items_of(kind: Kind, data: dict[str, Any]) -> list[dict[str, Any]]:
    """The items of a describe result, flattening ``A[].B`` paths."""
    head, _, rest = kind.items.partition("[].")
    items = data.get(head, []) or []
    if rest:
        return [inner for outer in items for inner in outer.get(rest, []) or []]
    return list(items)


def dig(item: dict[str, Any], path: str | None) -> Any:
    """``dig(item, "State.Name")``, ``dig(reply, "Instances.0.InstanceId")``; None when any
    step is missing."""
    value: Any = item
    for part in (path or "").split("."):
        if isinstance(value, list) and part.isdigit():
            value = value[int(part)] if int(part) < len(value) else None
        elif isinstance(value, dict):
            value = value.get(part)
        else:
            return None
    return value


def tags_of(item: dict[str, Any]) -> dict[str, str]:
    tags = item.get("Tags", item.get("TagSet")) or []
    return {t.get("Key", ""): t.get("Value", "") for t in tags if isinstance(t, dict)}
