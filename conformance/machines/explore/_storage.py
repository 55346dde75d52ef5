"""Storage: EBS volumes through create, attach, detach, snapshot and delete."""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.stateful import initialize, precondition, rule

from ._common import CommonRules

DEVICES = ("/dev/sdf", "/dev/sdg", "/dev/sdh")
MAX_INSTANCES = 3


class InstanceRules(CommonRules):
    def _launch(self, **params):
        config = self.session.config
        self.send("RunInstances", {"ImageId": config.image_id, "MinCount": 1, "MaxCount": 1,
                                   "InstanceType": config.instance_type, **params})

    @precondition(lambda self: self.has("instance"))
    @rule(data=st.data())
    def terminate_instance(self, data):
        self.send("TerminateInstances", {"InstanceIds": [self.pick(data, "instance").id]})


class StorageMachine(InstanceRules):
    machine_name = "storage"

    @initialize()
    def instance_with_volume(self):
        """Each example starts with an instance and a volume attached to it."""
        volume = self.send("CreateVolume", {"Size": 2, "AvailabilityZone":
                                            self.model.availability_zone})
        if not self.session.config.image_id:
            return
        self._launch(Placement={"AvailabilityZone": self.model.availability_zone})
        instances = self.usable("instance")
        if volume.ok and instances and volume.data["VolumeId"] in self.model.live:
            self.send("AttachVolume", {"VolumeId": volume.data["VolumeId"],
                                       "InstanceId": instances[0].id, "Device": DEVICES[0]})

    @precondition(lambda self: self.session.config.image_id
                  and len(self.model.of("instance")) < MAX_INSTANCES)
    @rule()
    def launch_instance(self):
        self._launch(Placement={"AvailabilityZone": self.model.availability_zone})

    @rule(size=st.integers(1, 16), volume_type=st.sampled_from(["standard", "gp2"]),
          elsewhere=st.booleans())
    def create_volume(self, size, volume_type, elsewhere):
        """In the instances' zone, or (when the target has one) another zone."""
        zone = self.session.config.other_zone if elsewhere else None
        self.send("CreateVolume", {"Size": size, "VolumeType": volume_type,
                                   "AvailabilityZone": zone or self.model.availability_zone})

    @precondition(lambda self: self.has("volume") and self.has("instance"))
    @rule(data=st.data(), device=st.sampled_from(DEVICES))
    def attach_volume(self, data, device):
        """Any volume, attached or not, any zone, any device: the model knows which must fail."""
        volume, instance = self.pick(data, "volume"), self.pick(data, "instance")
        self.send("AttachVolume", {"VolumeId": volume.id, "InstanceId": instance.id,
                                   "Device": device})
        if volume.data.get("attachment") and volume.id in self.model.live:
            self.wait_for("volume", volume.id, ("in-use",))

    @precondition(lambda self: self.has("volume"))
    @rule(data=st.data(), name_instance=st.booleans())
    def detach_volume(self, data, name_instance):
        """Attached or not (an unattached volume must fail); the instance named or not."""
        volume = self.pick(data, "volume")
        attached = bool(volume.data.get("attachment"))
        params = {"VolumeId": volume.id}
        if name_instance and attached:
            params["InstanceId"] = volume.data["attachment"][0]
        self.send("DetachVolume", params)
        if attached and not volume.data.get("attachment"):
            self.wait_for("volume", volume.id, ("available",))

    @precondition(lambda self: self.has("volume"))
    @rule(data=st.data())
    def delete_volume(self, data):
        self.send("DeleteVolume", {"VolumeId": self.pick(data, "volume").id})

    @precondition(lambda self: self.has("volume"))
    @rule(data=st.data())
    def create_snapshot(self, data):
        volume = self.pick(data, "volume")
        self.send("CreateSnapshot", {"VolumeId": volume.id, "Description": "conformance"})

    @precondition(lambda self: self.has("snapshot"))
    @rule(data=st.data(), grow=st.integers(-1, 4))
    def create_volume_from_snapshot(self, data, grow):
        """A size below the snapshot's must be refused."""
        snapshot = self.pick(data, "snapshot")
        size = max(1, snapshot.attrs.get("VolumeSize", 1) + grow) if grow >= 0 else \
            snapshot.attrs.get("VolumeSize", 1) - 1
        params = {"SnapshotId": snapshot.id, "AvailabilityZone": self.model.availability_zone}
        if size >= 1:
            params["Size"] = size
        self.send("CreateVolume", params)

    @precondition(lambda self: self.has("snapshot"))
    @rule(data=st.data())
    def delete_snapshot(self, data):
        self.send("DeleteSnapshot", {"SnapshotId": self.pick(data, "snapshot").id})
