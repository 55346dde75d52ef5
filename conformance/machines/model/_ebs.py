"""Model handlers for EBS volumes, their attachments, and snapshots."""

from __future__ import annotations

from typing import Any

from ...outcome import Expectation
from ._core import Model, applies, predicts
from ._compute import set_volume_attachment
from ._broken_rules import expect_error


@predicts("CreateVolume")
def _create_volume(model: Model, p: dict[str, Any]) -> Expectation | None:
    snapshot = model.get(p.get("SnapshotId"))
    if snapshot is not None and p.get("Size") is not None \
            and p["Size"] < snapshot.attrs.get("VolumeSize", 0):
        return expect_error("volume-smaller-than-snapshot")
    return None


@applies("CreateVolume")
def _volume_created(model: Model, p: dict[str, Any], r: dict[str, Any]) -> list[str]:
    snapshot = model.get(p.get("SnapshotId"))
    size = p.get("Size") or (snapshot.attrs.get("VolumeSize") if snapshot else None)
    attrs = {"AvailabilityZone": p["AvailabilityZone"], "Size": size}
    for field in ("VolumeType", "SnapshotId"):
        if p.get(field):
            attrs[field] = p[field]
    volume = model.add("volume", r["VolumeId"], attrs, attachment=None)
    set_volume_attachment(volume, None)
    volume.states = ("creating", "available")
    return [r["VolumeId"]]


@predicts("AttachVolume")
def _attach(model: Model, p: dict[str, Any]) -> Expectation | None:
    volume, instance = model.get(p["VolumeId"]), model.get(p["InstanceId"])
    if volume is None or instance is None:
        return None
    if volume.data.get("attachment"):
        return expect_error("volume-attached-attach")
    if volume.attrs["AvailabilityZone"] != instance.data.get("zone"):
        return expect_error("volume-zone-mismatch")
    if p["Device"] in instance.data.get("devices", ()):
        return expect_error("device-in-use")
    return None


@applies("AttachVolume")
def _attached(model: Model, p: dict[str, Any], r: dict[str, Any]) -> None:
    volume, instance = model.get(p["VolumeId"]), model.get(p["InstanceId"])
    if volume is not None:
        previous = volume.data.get("attachment")
        if previous and model.get(previous[0]) is not None:
            model.get(previous[0]).data.get("devices", set()).discard(previous[1])
        set_volume_attachment(volume, (p["InstanceId"], p["Device"]))
    if instance is not None:
        instance.data.setdefault("devices", set()).add(p["Device"])


@predicts("DetachVolume")
def _detach(model: Model, p: dict[str, Any]) -> Expectation | None:
    volume = model.get(p["VolumeId"])
    if volume is not None and not volume.data.get("attachment"):
        return expect_error("volume-not-attached-detach")
    return None


@applies("DetachVolume")
def _detached(model: Model, p: dict[str, Any], r: dict[str, Any]) -> None:
    volume = model.get(p["VolumeId"])
    if volume is not None and volume.data.get("attachment"):
        instance = model.get(volume.data["attachment"][0])
        if instance is not None:
            instance.data.get("devices", set()).discard(volume.data["attachment"][1])
        set_volume_attachment(volume, None)


@predicts("DeleteVolume")
def _delete_volume(model: Model, p: dict[str, Any]) -> Expectation | None:
    volume = model.get(p["VolumeId"])
    if volume is not None and volume.data.get("attachment"):
        return expect_error("volume-attached-delete")
    return None


@applies("DeleteVolume")
def _volume_deleted(model: Model, p: dict[str, Any], r: dict[str, Any]) -> None:
    model.drop(p["VolumeId"])


@applies("CreateSnapshot")
def _snapshot_created(model: Model, p: dict[str, Any], r: dict[str, Any]) -> list[str]:
    volume = model.get(p["VolumeId"])
    attrs = {"VolumeId": p["VolumeId"]}
    if volume is not None:
        attrs["VolumeSize"] = volume.attrs["Size"]
    if p.get("Description") is not None:
        attrs["Description"] = p["Description"]
    model.add("snapshot", r["SnapshotId"], attrs, states=("pending", "completed"))
    return [r["SnapshotId"]]


@applies("DeleteSnapshot")
def _snapshot_deleted(model: Model, p: dict[str, Any], r: dict[str, Any]) -> None:
    model.drop(p["SnapshotId"])
