"""run_machine against moto (through the fault proxy): findings, shrinking, replay,
flaky targets, teardown and what it reports."""

from __future__ import annotations

import json
import re

import pytest

from ec2_conformance.machines import (MACHINES, NetworkingMachine, dependency_slice,
                                      replay_steps, run_machine)
from ec2_conformance.machines._kinds import RUN_TAG
from ec2_conformance.outcome import Finding, Severity
from ec2_conformance.protocol import Client, EndpointUnreachable
from ec2_conformance.target import free_port

# Exploration alone: the spec scenarios have their own tests (test_scenarios.py).
FAST = {"max_examples": 3, "steps": 6, "shrink_seconds": 5.0, "max_reruns": 1,
        "scenarios": False}
DROP_VPC_TAGS = {"action": "DescribeVpcs", "response": [{"op": "remove",
                                                         "select": "//tagSet/item"}]}


def _tagged(client: Client, run_id: str) -> list[str]:
    exchange = client.call("DescribeVpcs", {"Filters": [{"Name": "tag:" + RUN_TAG,
                                                         "Values": [run_id]}]})
    return re.findall(r"<vpcId>([^<]+)</vpcId>", exchange.response.text)


def test_a_run_reports_moto_deviations_with_replayable_steps(proxied, options):
    result = run_machine("networking", proxied, seed=3, run_id="ec2c-run1", **FAST, **options)
    assert result.error is None
    assert result.examples >= 1 and result.requests > 0
    assert result.invariants and all(v["run"] >= v["failed"] for v in result.invariants.values())
    for record in result.findings:
        assert record.finding.spec_ref
        if record.finding.severity is Severity.VIOLATION and record.finding.check != \
                "stateful-valid-request-refused":
            assert record.steps, record.finding.check
    json.dumps(result.to_json())  # plain data all the way down
    assert not _tagged(proxied, "ec2c-run1"), "teardown left tagged resources"
    assert result.leftovers == []


def test_an_invariant_failure_shrinks_and_replays(proxied, options, inject):
    inject(DROP_VPC_TAGS)
    result = run_machine(NetworkingMachine, proxied, seed=1, invariants=["tags-round-trip"],
                         **{**FAST, "max_reruns": 0}, **options)
    [record] = [r for r in result.findings if r.finding.check == "tags-round-trip"]
    assert record.finding.severity is Severity.VIOLATION
    assert record.finding.extra["reproduced"] is True
    actions = [s["action"] for s in record.steps]
    assert actions[0] == "CreateVpc" and "CreateTags" in actions
    assert len(record.steps) <= 8, actions  # shrunk: the first VPC, its subnet, the reads
    assert result.invariants["tags-round-trip"]["failed"] == 1
    # The run's own waits: the library default re-reads a failing invariant for a minute
    replayed = replay_steps(proxied, record.steps, waits=options["waits"])
    assert "tags-round-trip" in {f.check for f in replayed}
    inject()
    assert "tags-round-trip" not in {f.check for f in replay_steps(proxied, record.steps,
                                                                   waits=options["waits"])}


def test_a_failure_that_does_not_come_back_is_flaky_not_an_error(proxied, options, inject):
    inject({**DROP_VPC_TAGS, "times": 1})
    result = run_machine(NetworkingMachine, proxied, seed=1, invariants=["tags-round-trip"],
                         **{**FAST, "max_reruns": 0}, **options)
    assert result.error is None
    flaky = [r for r in result.findings if r.finding.severity is Severity.FLAKY]
    assert flaky and flaky[0].finding.check in ("tags-round-trip",
                                                "stateful-nondeterministic-target")


def test_teardown_reports_what_it_could_not_delete(proxied, options, inject):
    inject({"action": "DeleteVpc", "forward": False,  # the VPC stays; the answer says no
            "error": {"code": "DependencyViolation", "message": "injected"}})
    result = run_machine(NetworkingMachine, proxied, seed=2, invariants=["vpc-netmask-in-range"],
                         minimize=0, **FAST, **options)
    assert result.leftovers, "a VPC that cannot be deleted must be reported"
    assert {item["kind"] for item in result.leftovers} == {"vpc"}
    assert all("DependencyViolation" in item["error"] for item in result.leftovers)
    inject()
    for item in result.leftovers:
        proxied.call("DeleteVpc", {"VpcId": item["id"]})


def test_the_judge_hook_sees_every_step(proxied, options):
    seen = []

    def judge(exchange, expectation):
        seen.append((exchange.action, expectation.outcome))
        return [Finding("judge-probe", Severity.WARNING, exchange.action, "probe", "test")]

    result = run_machine("connectivity", proxied, seed=1, judge=judge,
                         invariants=["vpn-gateway-one-per-vpc"], **FAST, **options)
    assert seen and ("CreateVpc", "success") in seen
    assert any(r.finding.check == "judge-probe" for r in result.findings)


def test_bad_arguments_and_a_dead_endpoint_are_clear_errors(options):
    with Client(f"http://127.0.0.1:{free_port()}") as client:
        with pytest.raises(ValueError, match="unknown invariant"):
            run_machine("networking", client, invariants=["no-such-thing"], **options)
        with pytest.raises(ValueError, match="unknown machine 'nope'; known: compute"):
            run_machine("nope", client, **options)
        with pytest.raises(ValueError, match="step 2 is not a saved step"):
            replay_steps(client, [{"action": "DescribeVpcs", "pairs": []}, {"pairs": []}])
        with pytest.raises(EndpointUnreachable):
            run_machine("networking", client, **FAST, **options)
    assert set(MACHINES) >= {"networking", "storage", "compute", "connectivity"}


def test_dependency_slice_keeps_what_the_last_step_needs():
    def step(action, pairs, introduces=()):
        return {"action": action, "pairs": [["Action", action], *pairs],
                "introduces": list(introduces)}

    steps = [step("CreateVpc", [], ["vpc-1"]), step("CreateVpc", [], ["vpc-2"]),
             step("CreateTags", [["ResourceId.1", "vpc-2"]]),
             step("CreateSubnet", [["VpcId", "vpc-1"]], ["subnet-1"]),
             step("CreateKeyPair", [["KeyName", "k"]], ["k"]),
             step("CreateSubnet", [["VpcId", "vpc-1"]])]
    assert [s["action"] for s in dependency_slice(steps)] == \
        ["CreateVpc", "CreateSubnet", "CreateSubnet"]
    assert dependency_slice([]) == []
