"""Stateful suite: rule-based machines walk resource lifecycles and check invariants."""

from ec2_conformance.suite._assertions import assert_conformant


def test_machine(ec2_machine, ec2_session, ec2_record):
    result = ec2_session.stateful(ec2_machine)
    ec2_record(result)
    assert_conformant(result)
