"""Model handlers for instances (with client tokens), key pairs and Elastic IP addresses."""

from __future__ import annotations

from typing import Any

from ...outcome import Expectation
from ._core import Model, applies, predicts
from ._broken_rules import expect_error

RUNNING = ("pending", "running")


# -- instances --------------------------------------------------------------------------
@predicts("RunInstances")
def _run(model: Model, p: dict[str, Any]) -> Expectation | None:
    token = p.get("ClientToken")
    if token and token in model.tokens and model.tokens[token]["params"] != p:
        return expect_error("client-token-mismatch")
    return None


@applies("RunInstances")
def _ran(model: Model, p: dict[str, Any], r: dict[str, Any]) -> list[str]:
    instances = r.get("Instances", [])
    ids = [i["InstanceId"] for i in instances]
    token = p.get("ClientToken")
    if token and token in model.tokens:
        if model.tokens[token]["params"] == p:  # a repeat; a changed request accepted
            model.tokens[token]["answers"].append(ids)  # is client-token-mismatch's finding
    elif token:
        model.tokens[token] = {"params": dict(p), "ids": ids, "answers": [ids]}
    new = []
    for item in instances:
        if item["InstanceId"] in model.live or item["InstanceId"] in model.gone:
            continue  # an idempotent repeat answered with the instance the model holds
        subnet = model.get(p.get("SubnetId"))
        attrs = {"ImageId": p["ImageId"], "InstanceType": p.get("InstanceType", "m1.small")}
        for field in ("SubnetId", "KeyName"):
            if p.get(field):
                attrs[field] = p[field]
        if subnet is not None:
            attrs["VpcId"] = subnet.data["vpc"]
        zone = (p.get("Placement") or {}).get("AvailabilityZone")
        if zone:
            attrs["Placement.AvailabilityZone"] = zone
        model.add("instance", item["InstanceId"], attrs, states=RUNNING,
                  subnet=p.get("SubnetId"), vpc=attrs.get("VpcId"),
                  groups=list(p.get("SecurityGroupIds", ())), token=token,
                  zone=zone or (item.get("Placement") or {}).get("AvailabilityZone"),
                  ips=[item["PrivateIpAddress"]] if item.get("PrivateIpAddress") else [],
                  devices={item.get("RootDeviceName")} - {None})
        new.append(item["InstanceId"])
    return new


@applies("TerminateInstances")
def _terminated(model: Model, p: dict[str, Any], r: dict[str, Any]) -> None:
    for iid in p.get("InstanceIds", ()):
        instance = model.drop(iid)
        if instance is None:
            continue
        instance.states = ("shutting-down", "terminated")
        instance.data["terminated"] = True
        for volume in model.of("volume"):
            if (volume.data.get("attachment") or (None,))[0] == iid:
                set_volume_attachment(volume, None)
        for address in model.of("address"):
            if address.data.get("target") == iid:
                set_address_target(address, None, None)


# -- key pairs --------------------------------------------------------------------------
@predicts("CreateKeyPair")
def _create_key(model: Model, p: dict[str, Any]) -> Expectation | None:
    return expect_error("key-pair-duplicate") if model.get(p["KeyName"]) else None


@applies("CreateKeyPair")
def _key_created(model: Model, p: dict[str, Any], r: dict[str, Any]) -> list[str]:
    model.add("key_pair", p["KeyName"], {"KeyFingerprint": r.get("KeyFingerprint")})
    return [p["KeyName"]]  # the caller's name: maps to itself on replay


@applies("DeleteKeyPair")
def _key_deleted(model: Model, p: dict[str, Any], r: dict[str, Any]) -> None:
    model.drop(p["KeyName"])


# -- addresses --------------------------------------------------------------------------
@applies("AllocateAddress")
def _allocated(model: Model, p: dict[str, Any], r: dict[str, Any]) -> list[str]:
    aid = r["AllocationId"]
    model.add("address", aid, {"Domain": "vpc", "PublicIp": r.get("PublicIp")},
              public_ip=r.get("PublicIp"), target=None, association=None)
    set_address_target(model.get(aid), None, None)
    return [aid]


@predicts("AssociateAddress")
def _associate(model: Model, p: dict[str, Any]) -> Expectation | None:
    iid = p.get("InstanceId")
    if iid and (iid in model.gone or iid in model.live and "running" not in
                model.live[iid].states):
        return expect_error("address-instance-not-running")
    return None


@applies("AssociateAddress")
def _associated(model: Model, p: dict[str, Any], r: dict[str, Any]) -> list[str]:
    address = model.get(p.get("AllocationId"))
    target = p.get("InstanceId") or p.get("NetworkInterfaceId")
    if address is not None:
        set_address_target(address, target, r.get("AssociationId"),
                           field="InstanceId" if p.get("InstanceId") else "NetworkInterfaceId")
    return [r["AssociationId"]] if r.get("AssociationId") else []


@applies("DisassociateAddress")
def _disassociated(model: Model, p: dict[str, Any], r: dict[str, Any]) -> None:
    for address in model.of("address"):
        if address.data.get("association") == p.get("AssociationId"):
            set_address_target(address, None, None)


@predicts("ReleaseAddress")
def _release(model: Model, p: dict[str, Any]) -> Expectation | None:
    address = model.get(p.get("AllocationId"))
    if address is not None and address.data.get("target"):
        return expect_error("address-in-use-release")
    return None


@applies("ReleaseAddress")
def _released(model: Model, p: dict[str, Any], r: dict[str, Any]) -> None:
    model.drop(p["AllocationId"])


def set_address_target(address: Any, target: str | None, association: str | None, *,
                       field: str = "InstanceId") -> None:
    address.data.update(target=target, association=association)
    address.attrs["~target"] = target


def set_volume_attachment(volume: Any, attachment: tuple[str, str] | None) -> None:
    volume.data["attachment"] = attachment
    volume.attrs["~attachments"] = [list(attachment)] if attachment else []
    volume.states = ("attaching", "in-use") if attachment else ("in-use", "available")
