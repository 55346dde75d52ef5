"""The base machine's send: steps, tags, implicit parts, undo, and one report per departure."""

from __future__ import annotations

from ec2_conformance.machines import INVARIANTS, NetworkingMachine, StorageMachine
from ec2_conformance.machines.invariants import View, Violated
from ec2_conformance.catalog import resource_kinds

RUN_TAG = resource_kinds().run_tag


def test_a_create_is_recorded_tagged_and_its_parts_read(build):
    machine = build(NetworkingMachine)
    try:
        vpc = machine.send("CreateVpc", {"CidrBlock": "10.0.0.0/16"}).data["Vpc"]["VpcId"]
        actions = [s["action"] for s in machine.steps]
        assert actions == ["CreateVpc", "CreateTags", "DescribeSecurityGroups",
                           "DescribeRouteTables", "DescribeNetworkAcls"]
        assert machine.steps[0]["introduces"] == [vpc]
        assert machine.steps[0]["pairs"][:2] == [["Action", "CreateVpc"],
                                                  ["Version", "2014-10-01"]]
        assert machine.model.live[vpc].tags == {RUN_TAG: "ec2c-test"}
        parts = {r.kind for r in machine.model.live.values() if r.implicit}
        assert parts == {"security_group", "route_table", "network_acl"}
        assert machine.session.ledger == {vpc: "vpc"}  # implicit parts go with the VPC
    finally:
        machine.teardown()
    assert vpc in machine.session.deleted and not machine.session.leftovers


def test_what_the_target_must_refuse_but_takes_is_reported_and_undone(build, inject):
    machine = build(NetworkingMachine)
    try:
        vpc = machine.send("CreateVpc", {"CidrBlock": "10.0.0.0/16"}).data["Vpc"]["VpcId"]
        machine.send("CreateSubnet", {"VpcId": vpc, "CidrBlock": "10.0.1.0/24"})
        inject({"action": "CreateSubnet", "when_code": "InvalidSubnet.Conflict", "status": 200,
                "body": '<CreateSubnetResponse xmlns="http://ec2.amazonaws.com/doc/2014-10-01/">'
                        "<subnet><subnetId>subnet-0000ffff</subnetId></subnet>"
                        "</CreateSubnetResponse>"})
        machine.send("CreateSubnet", {"VpcId": vpc, "CidrBlock": "10.0.1.0/25"})
        [finding] = [r.finding for r in machine.session.findings.values()]
        assert finding.check == "subnet-cidr-conflict" and finding.expected == \
            "error InvalidSubnet.Conflict"
        assert machine.steps[-1]["action"] == "DeleteSubnet"  # taken back at once
        assert "subnet-0000ffff" in machine.model.tainted
        assert vpc not in machine.model.tainted  # the VPC is as the model says: still judged
        machine.send("CreateSubnet", {"VpcId": vpc, "CidrBlock": "10.0.1.128/25"})
        [record] = machine.session.findings.values()
        assert record.occurrences == 2  # the same departure again, not set aside
    finally:
        inject()
        machine.teardown()


def test_a_departure_is_reported_once_not_again_as_its_consequences(build):
    machine = build(StorageMachine)
    try:
        instance = machine.send("RunInstances", {
            "ImageId": machine.session.config.image_id, "MinCount": 1, "MaxCount": 1,
            "Placement": {"AvailabilityZone": "us-east-1a"}}).data["Instances"][0]["InstanceId"]
        volume = machine.send("CreateVolume", {"Size": 1, "AvailabilityZone": "us-east-1a"}
                              ).data["VolumeId"]
        machine.send("AttachVolume", {"VolumeId": volume, "InstanceId": instance,
                                      "Device": "/dev/sdf"})
        # moto takes a second attachment of an attached volume: the spec says VolumeInUse
        machine.send("AttachVolume", {"VolumeId": volume, "InstanceId": instance,
                                      "Device": "/dev/sdg"})
        checks = [r.finding.check for r in machine.session.findings.values()]
        assert checks == ["volume-attached-attach"]
        assert {volume, instance} <= machine.model.tainted
        machine.send("DeleteVolume", {"VolumeId": volume})  # whatever moto says now
        assert [r.finding.check for r in machine.session.findings.values()] == checks
        machine.observer.refresh()
        for name in ("describe-attributes-match-model", "resource-states-match-model",
                     "volume-attachment-agrees"):
            try:
                INVARIANTS[name].check(View(machine.model, machine.observer))
            except Violated as violation:  # pragma: no cover - the failure message
                raise AssertionError(f"{name} judged a tainted volume: {violation}")
    finally:
        machine.teardown()
