"""Invariants linking resources: addresses in subnets, volume and address attachments."""

from __future__ import annotations

import ipaddress
from collections import Counter

from ._registry import View, Violated, invariant_check
from ..model import network

_RESERVED_QUOTE = ("AWS reserves both the first four and the last IP address in each subnet's "
                   "CIDR block. They're not available for use.")


def _addresses(item: dict) -> list[str]:
    found = [a.get("PrivateIpAddress") for a in item.get("PrivateIpAddresses", []) or []]
    return [ip for ip in found + [item.get("PrivateIpAddress")] if ip]


@invariant_check("eni-addresses-in-subnet", description="every private address of an interface "
                 "or instance lies in its subnet, outside the five reserved addresses",
                 spec_ref="CreateNetworkInterface > Request Parameters > PrivateIpAddress; "
                          "CreateSubnet > Description",
                 quote="If you don't specify an IP address, Amazon EC2 selects one for you from "
                       "the subnet range. " + _RESERVED_QUOTE,
                 kinds=("network_interface", "instance"))
def eni_addresses_in_subnet(view: View) -> None:
    for kind in ("network_interface", "instance"):
        if kind not in view.model.kinds_seen:
            continue
        for rid, item in view.live_items(kind).items():
            subnet = view.model.get(view.model.live[rid].data.get("subnet"))
            net = network(subnet.attrs["CidrBlock"]) if subnet else None
            if net is None:
                continue
            first, last = net.network_address + 4, net.broadcast_address - 1
            for ip in _addresses(item):
                address = ipaddress.ip_address(ip) if _is_ip(ip) else None
                if address is None or not first <= address <= last:
                    raise Violated(f"{kind} {rid} has private address {ip} in subnet {subnet.id} "
                                   f"({net})", expected="inside the subnet, past the first four, before the last",
                                   observed=ip,
                                   resource=rid)


@invariant_check("subnet-available-address-count", description="a subnet's available address "
                 "count is its size, less the five reserved addresses, less the addresses its "
                 "interfaces and instances hold", spec_ref="Data Types > Subnet; "
                 "CreateSubnet > Description",
                 quote="The number of unused IP addresses in the subnet. Note that the IP "
                       "addresses for any stopped instances are considered unavailable. "
                       + _RESERVED_QUOTE, kinds=("subnet",))
def subnet_available_address_count(view: View) -> None:
    for sid, item in view.live_items("subnet").items():
        net = network(view.model.live[sid].attrs["CidrBlock"])
        held = _held_in(view.model.live.values(), sid)
        # The spec says when a stopped instance's address counts (unavailable), not when a
        # terminated one's is given back: either answer is allowed for those.
        ended = _held_in((r for r in view.model.gone.values() if r.kind == "instance"),
                           sid) - held
        most = net.num_addresses - 5 - len(held)
        observed = item.get("AvailableIpAddressCount")
        if not isinstance(observed, int) or not most - len(ended) <= observed <= most:
            allowed = str(most) if not ended else f"{most - len(ended)} to {most}"
            raise Violated(f"subnet {sid} ({net}) reports {observed} available addresses, not "
                           f"{allowed}: {len(held)} are held by this run's interfaces and "
                           f"instances" + (f", {len(ended)} by its terminated instances"
                                           if ended else ""),
                           expected="size less 5 reserved less addresses held",
                           observed=f"{observed} (expected {allowed})", resource=sid)


def _held_in(resources, subnet_id: str) -> set[str]:
    return {ip for r in resources if r.data.get("subnet") == subnet_id
            for ip in r.data.get("ips", ())}


@invariant_check("volume-attached-at-most-once", description="a volume is attached to at most "
                 "one instance", spec_ref="Client Errors For Specific Actions > VolumeInUse",
                 quote="The specified Amazon EBS volume is attached to an instance. Ensure that "
                       "the specified volume is in an 'available' state.", kinds=("volume",))
def volume_attached_once(view: View) -> None:
    for vid, item in view.items("volume").items():
        live = [a for a in item.get("Attachments", []) if a.get("State") in ("attaching",
                                                                             "attached")]
        if len(live) > 1:
            raise Violated(f"volume {vid} is attached {len(live)} times",
                           expected="at most one attachment",
                           observed=[(a.get("InstanceId"), a.get("Device")) for a in live],
                           resource=vid)


@invariant_check("volume-attachment-agrees", description="DescribeVolumes and DescribeInstances "
                 "agree on which instance and device each volume is attached to",
                 spec_ref="DescribeInstances > Request Parameters > Filter.N",
                 quote="`block-device-mapping.volume-id` - The volume ID of the Amazon EBS "
                       "volume.", kinds=("volume",))
def volume_attachment_agrees(view: View) -> None:
    if "instance" not in view.model.kinds_seen:
        return
    instances = view.live_items("instance")
    volumes = view.live_items("volume")
    mapped = {(iid, m.get("DeviceName"), (m.get("Ebs") or {}).get("VolumeId"))
              for iid, inst in instances.items() for m in inst.get("BlockDeviceMappings", [])
              if (m.get("Ebs") or {}).get("VolumeId") in volumes}
    attached = {(a.get("InstanceId"), a.get("Device"), vid) for vid, item in volumes.items()
                for a in item.get("Attachments", []) if a.get("State") == "attached"
                and a.get("InstanceId") in instances}
    for iid, device, vid in sorted(attached - mapped, key=str):
        raise Violated(f"DescribeVolumes shows {vid} attached to {iid} at {device}; "
                       f"DescribeInstances does not", expected="the instance maps the device to the volume",
                       observed="no such block device mapping", resource=vid)
    for iid, device, vid in sorted(mapped - {(i, d, v) for i, d, v in attached}, key=str):
        states = [a.get("State") for a in volumes[vid].get("Attachments", [])]
        if not set(states) & {"attaching", "detaching"}:
            raise Violated(f"DescribeInstances maps {device} of {iid} to {vid}; DescribeVolumes "
                           "does not show that attachment", expected="the volume shows the attachment",
                           observed=f"attachments {states}", resource=vid)


@invariant_check("address-associated-at-most-once", description="an Elastic IP address shows "
                 "on at most one instance or interface", spec_ref="Client Errors For Specific "
                 "Actions > Resource.AlreadyAssociated", quote="For example, in EC2-VPC, you "
                 "cannot associate an Elastic IP address with an instance if it's already "
                 "associated with another instance.", kinds=("address",))
def address_associated_once(view: View) -> None:
    shown: Counter = Counter()
    for kind, key in (("instance", "PublicIpAddress"), ("network_interface", "Association")):
        if kind not in view.model.kinds_seen:
            continue
        for rid, item in view.live_items(kind).items():
            value = item.get(key)
            shown[(value or {}).get("PublicIp") if isinstance(value, dict) else value] += 1
    listed = Counter(a.get("AllocationId") for a in view.items("address").values())
    for aid, address in sorted(view.live_items("address").items()):
        holders = shown.get(address.get("PublicIp"), 0)
        if holders > 1 or listed[aid] > 1:
            raise Violated(f"address {aid} ({address.get('PublicIp')}) shows on {holders} "
                           "instances or interfaces", expected="at most one",
                           observed=max(holders, listed[aid]), resource=aid)


@invariant_check("address-association-agrees", description="an associated address shows on "
                 "its instance (or interface) as that instance's public address",
                 spec_ref="Data Types > Address",
                 quote="The ID of the instance the address is associated with (if any).",
                 kinds=("address",))
def address_association_agrees(view: View) -> None:
    for aid, address in view.live_items("address").items():
        instance_id, eni_id = address.get("InstanceId"), address.get("NetworkInterfaceId")
        if instance_id in view.model.live and "instance" in view.model.kinds_seen:
            shown = view.items("instance").get(instance_id, {}).get("PublicIpAddress")
        elif eni_id in view.model.live and "network_interface" in view.model.kinds_seen:
            shown = (view.items("network_interface").get(eni_id, {}).get("Association")
                     or {}).get("PublicIp")
        else:
            continue
        if shown != address.get("PublicIp"):
            target = instance_id if instance_id in view.model.live else eni_id
            raise Violated(f"address {aid} ({address.get('PublicIp')}) is associated with "
                           f"{target}, which shows public address {shown!r}",
                           expected="the address's public IP", observed=shown, resource=aid)


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
        return True
    except ValueError:
        return False
