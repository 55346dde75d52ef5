"""Spec scenarios: the data is well formed, each walk reaches the state it names, and a
target breaking that state is caught on every run (no exploration needed)."""

from __future__ import annotations

import re
import signal

import pytest

from ec2_conformance.catalog import load_catalog
from ec2_conformance.machines import INVARIANTS, MACHINES, load_scenarios, run_machine
from ec2_conformance.machines import load_broken_rules
from ec2_conformance.machines import walk
from ec2_conformance.outcome import Severity

SCENARIOS = load_scenarios()
RUN_VALUES = {"zone", "other_zone", "image", "instance_type", "run_id"}
SCENARIOS_ONLY = {"max_examples": 0, "minimize": 0}


def test_every_scenario_is_well_formed():
    catalog = load_catalog()
    assert len({s.name for s in SCENARIOS}) == len(SCENARIOS), "scenario names repeat"
    known = set(load_broken_rules()) | set(INVARIANTS)
    for scenario in SCENARIOS:
        assert scenario.machine in MACHINES, scenario.name
        assert scenario.exercises and set(scenario.exercises) <= known, scenario.name
        defined = set(RUN_VALUES)
        for step in scenario.steps:
            used = set(re.findall(r"\{(\w+)\}", str(step))) - {"i"}
            assert used <= defined, f"{scenario.name}: {used - defined} used before captured"
            if "wait" not in step:
                assert step["action"] in catalog.actions, scenario.name
                defined |= set(step.get("capture", {}))


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_each_walk_reaches_what_it_exercises(build, scenario):
    """Against moto, every rule a scenario names is predicted on the way (so the walk
    reaches that state) and every invariant it names runs."""
    machine = build(MACHINES[scenario.machine])
    recorded = []
    try:
        outcome = walk(machine, scenario, recorded.append)
    finally:
        machine.teardown()
    assert not outcome.startswith("skipped"), outcome
    predicted = {step["expectation"].get("rule") for step in machine.steps}
    for name in scenario.exercises:
        if name in INVARIANTS:
            assert machine.session.invariant_runs[name], f"{name} never ran"
        else:
            assert name in predicted, f"{name} never predicted ({outcome})"


def test_scenarios_catch_a_broken_rule_on_every_run(proxied, inject, options):
    """A target that accepts an overlapping subnet: reported by the scenario alone."""
    conflict = ('<CreateSubnetResponse xmlns="http://ec2.amazonaws.com/doc/2014-10-01/">'
                "<requestId>r-1</requestId><subnet><subnetId>subnet-0bad</subnetId>"
                "<state>available</state><vpcId>{param:VpcId}</vpcId>"
                "<cidrBlock>{param:CidrBlock}</cidrBlock></subnet></CreateSubnetResponse>")
    inject({"action": "CreateSubnet", "when_code": "InvalidSubnet.Conflict", "status": 200,
            "body": conflict})
    result = run_machine("networking", proxied, run_id="ec2c-scn", **SCENARIOS_ONLY, **options)
    assert result.error is None
    # what happened, not just how far it got: the scenario's text must not read as a pass
    outcome = result.scenarios["subnet-overlaps-sibling"]
    assert outcome.startswith("walked; the target departed: CreateSubnet subnet-cidr-conflict: "
                              "expected error InvalidSubnet.Conflict"), outcome
    assert "got HTTP 200 success" in outcome
    conflict_findings = [r for r in result.findings if r.finding.check == "subnet-cidr-conflict"]
    assert conflict_findings, [r.finding.check for r in result.findings]
    assert conflict_findings[0].steps[-1]["params"]["CidrBlock"] == "10.0.1.0/25"


def test_moto_departures_the_scenarios_reach_are_reported(proxied, options):
    """moto (pinned in constraints.txt) accepts a 51st rule and an 11th tag: with no
    exploration at all, the networking scenarios report both, with their spec rule."""
    result = run_machine("networking", proxied, **SCENARIOS_ONLY, **options)
    checks = {r.finding.check: r.finding for r in result.findings}
    assert {"security-group-rule-limit", "tag-limit"} <= set(checks)
    assert checks["tag-limit"].spec_ref
    assert set(result.scenarios) == {s.name for s in SCENARIOS if s.machine == "networking"}
    assert result.examples == len(result.scenarios)  # one fresh machine per scenario


def test_a_scenario_needing_an_image_is_skipped_when_the_target_has_none(build):
    scenario = next(s for s in SCENARIOS if "{image}" in str(s.steps))
    machine = build(MACHINES[scenario.machine])
    machine.session.config.image_id = None
    assert walk(machine, scenario, lambda failure: None) == \
        "skipped: the target offers no image"
    assert machine.steps == []


def test_an_unreadable_listing_is_one_refused_request_not_an_endless_walk(build, inject):
    """Every invariant that reads VPCs fails alike when DescribeVpcs answers a 500 page:
    reported once, as the refused valid request it is (citing the vpc-id filter's passage),
    not as an invariant's failure; and the walk goes on to its end."""
    inject({"action": "DescribeVpcs", "status": 500, "body": "<html>oops</html>"})
    scenario = next(s for s in SCENARIOS if s.name == "subnet-overlaps-sibling")
    machine = build(MACHINES[scenario.machine])
    recorded = []

    def endless(signum, frame):
        raise AssertionError("the walk did not end within 60 s")
    previous = signal.signal(signal.SIGALRM, endless)
    signal.alarm(60)
    try:
        outcome = walk(machine, scenario, recorded.append)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        machine.teardown()
    assert recorded == []  # no invariant failed: none could read the listing
    refused = [r.finding for r in machine.session.findings.values()
               if r.finding.check == "stateful-valid-request-refused"]
    assert len(refused) == 1 and refused[0].action == "DescribeVpcs"
    assert refused[0].severity is Severity.VIOLATION
    assert refused[0].observed.startswith("HTTP 500, unreadable")
    assert refused[0].spec_ref == ('DescribeVpcs > Request Parameters > Filter.N: '
                                   '"vpc-id - The ID of the VPC."')
    assert outcome == "walked"
