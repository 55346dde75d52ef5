"""Stateless suite: valid, invalid, wire-fault and DryRun examples for every action."""

from ec2_conformance.suite._assertions import assert_conformant


def test_action(ec2_action, ec2_session, ec2_record):
    result = ec2_session.stateless(ec2_action)
    ec2_record(result)
    assert_conformant(result)
