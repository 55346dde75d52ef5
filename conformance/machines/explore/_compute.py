"""Compute: instances (with client tokens), key pairs and Elastic IP addresses in a VPC."""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.stateful import initialize, precondition, rule

from ._storage import InstanceRules

MAX_INSTANCES = 4


class ComputeMachine(InstanceRules):
    machine_name = "compute"

    @initialize()
    def build_network(self):
        """A VPC, a subnet, an attached Internet gateway (for addresses) and an instance."""
        reply = self.send("CreateVpc", {"CidrBlock": "10.0.0.0/16"})
        if not reply.ok:
            return
        vpc = reply.data["Vpc"]["VpcId"]
        self.send("CreateSubnet", {"VpcId": vpc, "CidrBlock": "10.0.1.0/24",
                                   "AvailabilityZone": self.model.availability_zone})
        gateway = self.send("CreateInternetGateway", {})
        if gateway.ok:
            self.send("AttachInternetGateway", {
                "InternetGatewayId": gateway.data["InternetGateway"]["InternetGatewayId"],
                "VpcId": vpc})
        if self._can_launch():
            self._launch(SubnetId=self.usable("subnet")[0].id)
            self._settle_new()

    def _can_launch(self):
        return (self.session.config.image_id and self.has("subnet")
                and len(self.model.of("instance")) < MAX_INSTANCES)

    @precondition(lambda self: self._can_launch())
    @rule(data=st.data(), count=st.integers(1, 2), token=st.booleans(), keyed=st.booleans())
    def run_instances(self, data, count, token, keyed):
        params = {"SubnetId": self.pick(data, "subnet").id, "MaxCount": count}
        if token:
            params["ClientToken"] = self.unique("token-")
        if keyed and self.has("key_pair"):
            params["KeyName"] = self.pick(data, "key_pair").id
        self._launch(**params)
        self._settle_new()

    def _settle_new(self):
        for instance in self.usable("instance"):
            if "running" not in instance.states or len(instance.states) > 1:
                if self.wait_for("instance", instance.id, ("running",)):
                    instance.states = ("running",)

    @precondition(lambda self: any(r["params"].get("ClientToken") for r in self.model.tokens.values()))
    @rule(data=st.data(), same=st.booleans())
    def repeat_client_token(self, data, same):
        """The same request again returns the same instances; changed, it must fail."""
        records = list(self.model.tokens.values())
        params = dict(records[data.draw(st.integers(0, len(records) - 1), label="token")]["params"])
        if not same:
            params["MaxCount"] = params.get("MaxCount", 1) + 1
        self.send("RunInstances", params)

    @rule(name=st.sampled_from(["alpha", "beta"]))
    def create_key_pair(self, name):
        """Names from a pool of two, so duplicates come up."""
        self.send("CreateKeyPair", {"KeyName": f"{self.session.run_id}-{name}"})

    @precondition(lambda self: self.has("key_pair"))
    @rule(data=st.data())
    def delete_key_pair(self, data):
        self.send("DeleteKeyPair", {"KeyName": self.pick(data, "key_pair").id})

    @rule()
    def allocate_address(self):
        self.send("AllocateAddress", {"Domain": "vpc"})

    def _free_instances(self):
        held = {a.data.get("target") for a in self.model.of("address")}
        return [i for i in self.usable("instance") if i.id not in held
                and i.states == ("running",)]

    @precondition(lambda self: self.has("address") and self._free_instances())
    @rule(data=st.data())
    def associate_address(self, data):
        """To a running instance without an address; reassociation allowed, so it may move."""
        address = self.pick(data, "address")
        instances = self._free_instances()
        instance = instances[data.draw(st.integers(0, len(instances) - 1), label="instance")]
        self.send("AssociateAddress", {"AllocationId": address.id, "InstanceId": instance.id,
                                       "AllowReassociation": True})

    @precondition(lambda self: self.has("address") and any(
        r.kind == "instance" for r in self.model.gone.values()))
    @rule(data=st.data())
    def associate_address_with_terminated(self, data):
        address = self.pick(data, "address")
        ended = [r for r in self.model.gone.values() if r.kind == "instance"]
        instance = ended[data.draw(st.integers(0, len(ended) - 1), label="instance")]
        self.wait_for("instance", instance.id, ("terminated",))
        self.send("AssociateAddress", {"AllocationId": address.id, "InstanceId": instance.id})

    @precondition(lambda self: any(a.data.get("association") for a in self.usable("address")))
    @rule(data=st.data())
    def disassociate_address(self, data):
        held = [a for a in self.usable("address") if a.data.get("association")]
        address = held[data.draw(st.integers(0, len(held) - 1), label="address")]
        self.send("DisassociateAddress", {"AssociationId": address.data["association"]})

    @precondition(lambda self: self.has("address"))
    @rule(data=st.data())
    def release_address(self, data):
        """Associated or not: releasing an associated VPC address must fail."""
        self.send("ReleaseAddress", {"AllocationId": self.pick(data, "address").id})
