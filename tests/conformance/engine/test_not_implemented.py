"""Not implemented, decided from the protocol: against a loopback target of our own that
answers an action like LocalStack does (HTTP 501, InternalFailure, "The X action has not been
implemented"), and one that refuses every valid request with a server error."""

from __future__ import annotations

import pytest

from ec2_conformance.catalog import load_catalog
from ec2_conformance.checks import offline_exchange
from ec2_conformance.engine._stateless import run_stateless_action
from ec2_conformance.engine._stateless_probe import unimplemented_evidence
from ec2_conformance.outcome import Severity

CATALOG = load_catalog()
ACTION = "DescribeVpnGateways"  # moto implements it: only the fault makes it unimplemented
LOCALSTACK_BODY = ('<?xml version="1.0" encoding="utf-8"?>\n<Response><Errors><Error>'
                   "<Code>InternalFailure</Code><Message>The {action} action has not been "
                   "implemented</Message></Error></Errors><RequestID>0f3c</RequestID>"
                   "</Response>")


@pytest.fixture
def target(proxied_target):
    """moto behind a loopback proxy that answers chosen actions itself."""
    return proxied_target


def _run(target, *faults):
    set_faults, client, world = target
    set_faults(*faults)
    try:
        return run_stateless_action(client, CATALOG, ACTION, world, max_examples=6, seed=2,
                                    profile="aws-2014-10-01", max_shrinks=1)
    finally:
        set_faults()


def test_the_action_is_implemented_without_the_fault(target):
    result = _run(target)
    assert not result.not_implemented and result.successes > 0
    assert all(r.finding.check != "implemented" for r in result.findings.values())


def test_an_action_answered_like_localstack_is_not_implemented_and_not_scored(target):
    result = _run(target, {"action": ACTION, "forward": False, "status": 501,
                           "body": LOCALSTACK_BODY,
                           "headers": {"Content-Type": "text/xml"}})
    assert result.not_implemented and result.examples <= 2  # the probe decides it
    [record] = result.findings.values()
    assert record.finding.severity is Severity.NOT_IMPLEMENTED
    assert "HTTP 501" in record.finding.message and record.finding.observed == \
        "error InternalFailure"


def test_an_action_every_valid_request_of_which_gets_a_server_error_is_not_implemented(target):
    """No 501, no telling code, an unlisted action: only the run can show that it never
    once succeeds; then one not-implemented finding replaces the server-error warnings."""
    result = _run(target, {"action": ACTION, "forward": False, "status": 500,
                           "error": {"code": "InternalFailure", "message": "oops"}})
    assert result.not_implemented and result.valid_examples > 2 and result.successes == 0
    [record] = result.findings.values()
    assert record.finding.severity is Severity.NOT_IMPLEMENTED
    assert "every one was answered with a server error" in record.finding.message


def test_one_server_error_among_successes_is_no_evidence(target):
    result = _run(target, {"action": ACTION, "forward": False, "status": 500, "times": 1,
                           "error": {"code": "InternalFailure", "message": "oops"}})
    assert not result.not_implemented and result.successes > 0


@pytest.mark.parametrize("status, body, listed, evidence", [
    (501, LOCALSTACK_BODY, False, "HTTP 501 Not Implemented (InternalFailure)"),
    (400, "<Response><Errors><Error><Code>InvalidAction</Code><Message>m</Message></Error>"
          "</Errors><RequestID>r</RequestID></Response>", False, "error InvalidAction"),
    # moto's wording in a client error is no evidence: wording is not the protocol
    (400, "<Response><Errors><Error><Code>InvalidParameterValue</Code><Message>not yet "
          "implemented</Message></Error></Errors><RequestID>r</RequestID></Response>",
     False, None),
    # a 5xx that is not even XML: no protocol answer at all (both probes must say so)
    (500, "Internal Server Error", False, "HTTP 500 with a non-XML body"),
    # the protocol's server error: one is no evidence (the run decides) unless measured
    (500, "<Response><Errors><Error><Code>InternalFailure</Code><Message>m</Message></Error>"
          "</Errors><RequestID>r</RequestID></Response>", False, None),
    (500, "<Response><Errors><Error><Code>InternalFailure</Code><Message>m</Message></Error>"
          "</Errors><RequestID>r</RequestID></Response>", True, "HTTP 500 InternalFailure"),
])
def test_evidence_is_read_from_the_protocol(status, body, listed, evidence):
    exchange = offline_exchange(body.replace("{action}", ACTION).encode(), ACTION,
                                "2014-10-01", status)
    assert unimplemented_evidence(exchange, listed=listed) == evidence
