"""run_machine against moto (through the fault proxy): findings, shrinking, replay,
flaky targets, teardown and what it reports."""

from __future__ import annotations

import json
import re

import pytest

from ec2_conformance.machines import (MACHINES, NetworkingMachine, dependency_slice,
                                      replay_steps, run_machine)
from ec2_conformance.catalog import resource_kinds
from ec2_conformance.outcome import Finding, Severity
from ec2_conformance.protocol import Client, EndpointUnreachable
from ec2_conformance.target import free_port

RUN_TAG = resource_kinds().run_tag

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


def test_the_shrink_budget_still_cuts_hypothesis_shrinking_short():
    """``shrink_budget`` sets Hypothesis' MAX_SHRINKING_SECONDS (no public setting exists):
    a failure shrinks to its minimal example without it, stays unshrunk with no budget,
    and the default is back afterwards."""
    from hypothesis import Phase, given, seed, settings, strategies as st
    from hypothesis.internal.conjecture import engine

    from ec2_conformance.machines import shrink_budget

    tried: list[int] = []

    @seed(1)
    @settings(database=None, max_examples=200, phases=[Phase.generate, Phase.shrink],
              deadline=None)
    @given(st.integers(0, 10**9))
    def fails_from_ten(x):
        tried.append(x)
        assert x < 10

    def reported() -> int:
        tried.clear()
        with pytest.raises(AssertionError):
            fails_from_ten()
        return tried[-1]  # Hypothesis runs the example it reports last

    default = engine.MAX_SHRINKING_SECONDS
    assert reported() == 10
    with shrink_budget(0):
        assert engine.MAX_SHRINKING_SECONDS == 0
        assert reported() > 10
    assert engine.MAX_SHRINKING_SECONDS == default
    assert reported() == 10


def test_a_replay_sweeps_the_kinds_it_made_and_leaves_the_rest_to_the_runs_sweep(proxied):
    """Listing every kind by tag after each replay cost a machine's minimizing most of its
    budget (moto lists its thousand public snapshots for each); the run's own sweep at its
    end still reads every kind."""
    run_id = "ec2c-replay-sweep"
    tag = {"Key": RUN_TAG, "Value": run_id}
    other = proxied.call("CreateVpc", {"CidrBlock": "10.9.0.0/16"}).response.text
    other_vpc = re.search(r"<vpcId>([^<]+)</vpcId>", other).group(1)
    proxied.call("CreateTags", {"Resources": [other_vpc], "Tags": [tag]})
    create = {"Type": "ipsec.1", "PublicIp": "198.51.100.7", "BgpAsn": 65000}
    steps = [{"action": "CreateCustomerGateway", "params": create, "introduces": [],
              "pairs": [["Action", "CreateCustomerGateway"], ["Version", "2014-10-01"],
                        ["Type", "ipsec.1"], ["IpAddress", "198.51.100.7"], ["BgpAsn", "65000"]]},
             {"action": "CreateTags", "params": {"Resources": [other_vpc], "Tags": [tag]},
              "introduces": [],
              "pairs": [["Action", "CreateTags"], ["Version", "2014-10-01"],
                        ["ResourceId.1", other_vpc], ["Tag.1.Key", RUN_TAG],
                        ["Tag.1.Value", run_id]]}]
    sent, call = [], proxied.call

    def recording(action, params=None, **kw):
        sent.append(action)
        return call(action, params, **kw)
    proxied.call = recording
    try:
        replay_steps(proxied, steps)
    finally:
        proxied.call = call
    assert "DescribeCustomerGateways" in sent
    assert "DescribeSnapshots" not in sent and "DescribeVpcs" not in sent
    assert _tagged(proxied, run_id) == [other_vpc]  # not the replay's kind: the run's to sweep
