"""Eventual consistency: a machine's read-after-write check reads again with bounded backoff
before it reports (the spec's "Eventual Consistency"), and the finding keeps every attempt.
Against the real moto server, through the fault proxy hiding a new route table."""

from __future__ import annotations

import dataclasses
import time

from ec2_conformance.machines import WaitSettings, run_machine

HIDE_NEW_ROUTE_TABLE = {"action": "DescribeRouteTables", "only_success": True,
                        "response": [{"op": "remove",
                                      "select": "//routeTableSet[count(item) > 1]/item[last()]"}]}
RUN = {"max_examples": 2, "steps": 5, "shrink_seconds": 2.0, "max_reruns": 0, "seed": 4,
       "minimize": 0}


def _lists_exactly(result):
    return [r for r in result.findings if r.finding.check == "describe-lists-exactly-model"]


def test_a_read_that_shows_the_write_on_a_re_read_is_no_finding(proxied, inject, options):
    inject({**HIDE_NEW_ROUTE_TABLE, "times": 3})  # three stale answers, then consistent
    waits = dataclasses.replace(options["waits"], reread=5.0, interval=0.1)
    result = run_machine("routing", proxied, **RUN, **{**options, "waits": waits})
    assert _lists_exactly(result) == []


def test_a_lasting_departure_is_reported_with_every_attempt_within_the_bound(proxied, inject,
                                                                            options):
    inject(HIDE_NEW_ROUTE_TABLE)
    waits = dataclasses.replace(options["waits"], reread=1.0, interval=0.1)
    started = time.monotonic()
    result = run_machine("routing", proxied, **RUN, **{**options, "waits": waits})
    found = _lists_exactly(result)
    assert found, [r.finding.check for r in result.findings]
    attempts = found[0].finding.extra["attempts"]
    assert len(attempts) >= 3 and attempts[-1]["after_seconds"] <= 1.0 + 0.5  # + one read
    assert time.monotonic() - started < 120


def test_without_a_re_read_budget_the_first_read_counts(proxied, inject, options):
    inject({**HIDE_NEW_ROUTE_TABLE, "times": 3})  # the same stale answers as above
    result = run_machine("routing", proxied, **RUN, **options)  # FAST_WAITS: reread 0
    found = _lists_exactly(result)
    assert found and "attempts" not in found[0].finding.extra


def test_consistency_option_maps_to_waits():
    assert WaitSettings.for_consistency(None, loopback=True) == WaitSettings.consistent()
    assert WaitSettings.for_consistency(None, loopback=False) == WaitSettings()
    assert WaitSettings.for_consistency("eventual", loopback=True).timeout == 300.0
    seconds = WaitSettings.for_consistency("20", loopback=False)
    assert seconds.timeout == 20.0 and seconds.reread == 20.0
    assert WaitSettings.consistent().reread == 0.0


REFUSE_VPC_LISTING = {"action": "DescribeVpcs", "forward": False, "status": 400,
                      "error": {"code": "InvalidParameterValue", "message": "no listing"}}


def test_a_refused_listing_ends_a_wait_at_once_on_a_target_consistent_at_once(build, inject):
    """The same read gets the same refusal there: polling it for the whole timeout only
    stalled the machine (moto refuses the vpn-connection-id filter on every try)."""
    from ec2_conformance.machines import NetworkingMachine

    waits = {"consistent": WaitSettings.consistent(),
             "eventual": dataclasses.replace(WaitSettings.consistent(), timeout=0.6,
                                             poll_refusals=True)}
    reads = {}
    for name, wait in waits.items():
        machine = build(NetworkingMachine, waits=wait)
        try:
            vpc = machine.send("CreateVpc", {"CidrBlock": "10.0.0.0/16"}).data["Vpc"]["VpcId"]
            inject(REFUSE_VPC_LISTING)
            before = machine.session.requests
            assert machine.wait_for("vpc", vpc, ("available",)) is False
            reads[name] = machine.session.requests - before
        finally:
            inject()
            machine.teardown()
        (unsettled,) = [r.finding for r in machine.session.findings.values()
                        if r.finding.check == "stateful-did-not-settle"]
        assert unsettled.observed == "never listed: HTTP 400 InvalidParameterValue"
    assert reads["consistent"] == 1 and reads["eventual"] > 1
