"""Teardown against the real embedded moto server, through the loopback fault proxy."""

from __future__ import annotations

from ec2_conformance.catalog import load_catalog
from ec2_conformance.machines import Session, resolve_profile
from ec2_conformance.machines._cleanup import _PASSES, _call, delete_all

from .conftest import FAST_WAITS, IMAGE, config


def _refuse_termination(inject, code: str) -> None:
    """TerminateInstances answered with ``code`` without reaching moto."""
    inject({"action": "TerminateInstances", "forward": False,
            "error": {"code": code, "message": "refused"}})


def _session(client) -> Session:
    return Session(client, load_catalog(), profile=resolve_profile(None), judge=None,
                   run_id="ec2c-test", waits=FAST_WAITS, config=config())


def _instance(session: Session) -> str:
    reply = _call(session, "RunInstances", {"ImageId": IMAGE, "MinCount": 1, "MaxCount": 1})
    return reply.data["Instances"][0]["InstanceId"]


def _state(session: Session, instance_id: str) -> str:
    reply = _call(session, "DescribeInstances", {"InstanceIds": [instance_id]})
    return reply.data["Reservations"][0]["Instances"][0]["State"]["Name"]


def test_a_terminated_instance_is_awaited_and_counts_as_deleted(proxied):
    session = _session(proxied)
    instance_id = _instance(session)
    delete_all(session, {instance_id: "instance"}, attachments={})
    assert instance_id in session.deleted and not session.leftovers
    assert _state(session, instance_id) == "terminated"


def test_a_refusal_naming_another_resource_is_a_leftover_not_a_wait(proxied, inject):
    """moto refuses TerminateInstances with InvalidVolume.NotFound once a volume it thinks
    attached is gone: a NotFound, but not the instance's.  One read shows the instance
    still running, so it is a leftover, not five seconds of waiting for a termination
    that was never started."""
    session = _session(proxied)
    instance_id = _instance(session)
    _refuse_termination(inject, "InvalidVolume.NotFound")
    before = session.requests
    delete_all(session, {instance_id: "instance"}, attachments={})
    assert session.leftovers[instance_id]["kind"] == "instance"
    assert "InvalidVolume.NotFound" in session.leftovers[instance_id]["error"]
    assert instance_id not in session.deleted
    # per teardown pass the delete and one read, never a poll
    assert session.requests - before == 2 * _PASSES
    assert _state(session, instance_id) == "running"


def test_the_kinds_own_not_found_needs_no_read(proxied, inject):
    session = _session(proxied)
    instance_id = _instance(session)
    _refuse_termination(inject, "InvalidInstanceID.NotFound")
    before = session.requests
    delete_all(session, {instance_id: "instance"}, attachments={})
    assert instance_id in session.deleted and not session.leftovers
    assert session.requests - before == 1  # the delete; no read, no wait
