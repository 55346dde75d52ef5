"""The stateless engine end to end against a real moto server."""

import pytest

from ec2_conformance.catalog import load_catalog
from ec2_conformance.engine._stateless import run_stateless_action
from ec2_conformance.engine._stateless_judge import checks_judge
from ec2_conformance.outcome import Finding, Severity

CATALOG = load_catalog()


@pytest.fixture
def client(stateless_client):
    return stateless_client


@pytest.fixture
def world(stateless_world):
    return stateless_world


def test_a_creating_action_sees_valid_and_invalid_examples(client, world):
    result = run_stateless_action(client, CATALOG, "CreateVpc", world, max_examples=8,
                                  seed=3, profile="moto", max_shrinks=1)
    assert result.valid_examples >= 8 and result.successes > 0 and result.invalid_examples > 8
    assert "CidrBlock" in result.params_sent and result.checks_run["schema"] > 0
    assert not result.not_implemented
    assert "InvalidVpc.Range" not in {f.finding.observed for f in result.findings.values()
                                      if f.finding.check == "expected-error-code"}  # widened
    for record in result.findings.values():
        assert record.finding.spec_ref and record.example is not None
        assert record.example.action == "CreateVpc"


def test_an_unimplemented_action_is_one_finding(client, world):
    result = run_stateless_action(client, CATALOG, "MonitorInstances", world,
                                  max_examples=10, seed=1, profile="moto")
    assert result.not_implemented and result.examples <= 2
    [record] = result.findings.values()
    assert record.finding.severity is Severity.NOT_IMPLEMENTED
    assert "profile moto lists it" in record.finding.message


def test_violations_shrink_to_a_minimal_request_that_keeps_its_label(client, world):
    # moto accepts unknown parameters; UnknownParameter is the spec's answer.
    # seed 3: the first unknown-parameter draw is not the name the shrunk example sends
    result = run_stateless_action(client, CATALOG, "DescribeVpcs", world, max_examples=15,
                                  seed=3, phases=("invalid",), max_shrinks=10)
    shrunk = [r for r in result.findings.values() if r.finding.extra.get("shrunk")]
    assert shrunk
    for record in shrunk:
        example = record.example
        assert example.expectation.outcome == "error"
        if example.expectation.rule.startswith("unknown-parameter:"):
            name = example.expectation.rule.split(":", 1)[1]
            assert name in dict(example.pairs)  # shrinking never drops the mutation
            assert len(example.pairs) == 3  # Action, Version and the unknown parameter
        if record.finding.check == "expected-outcome":
            # the message names the label actually sent, not the first draw's
            assert f"({example.expectation.rule})" in record.finding.message, \
                (example.expectation.rule, record.finding.message)


def test_a_fixed_seed_replays_the_same_examples(client, world):
    def sent():
        seen = []

        def judge(exchange, expectation):
            seen.append([p for p in exchange.pairs if not p[1].startswith("ec2c-")])
            return [], []
        run_stateless_action(client, CATALOG, "DescribeSubnets", world, max_examples=6,
                             seed=11, judge=judge, shrink=False)
        return seen
    assert sent() == sent()


def test_a_target_that_changes_its_answer_is_reported_flaky(client, world):
    calls = {"n": 0}
    real = checks_judge(CATALOG, "DescribeRegions")

    def fickle(exchange, expectation):
        calls["n"] += 1
        findings, ran = real(exchange, expectation)
        if calls["n"] == 3:  # one answer only, never again
            # a rule the table states ("schema"): an unknown one would be lowered
            findings = findings + [Finding("schema", Severity.VIOLATION, "DescribeRegions",
                                           "seen once", "test")]
        return findings, ran
    result = run_stateless_action(client, CATALOG, "DescribeRegions", world,
                                  max_examples=5, seed=2, judge=fickle, phases=("valid",),
                                  max_shrinks=50)
    flaky = [r for r in result.findings.values() if r.finding.severity is Severity.FLAKY]
    assert len(flaky) == 1
    assert {"first", "replay"} <= set(flaky[0].finding.extra)


def test_dry_run_side_effects_are_reported(client, world):
    result = run_stateless_action(client, CATALOG, "CreateVpc", world, max_examples=2,
                                  seed=1, phases=("dry-run",), shrink=False)
    checks = {r.finding.check for r in result.findings.values()}
    codes = result.error_codes_seen
    # Either the target honours DryRun, or the side effect is a finding.
    assert "DryRunOperation" in codes or "dry-run-no-side-effect" in checks


def test_wire_cases_that_rename_or_drop_action_are_findings_of_the_action_under_test(
        client, world):
    """moto answers an unknown Action with an HTML 500 page: a finding of DeleteTags, the
    action under test, not of the random name the wire case sent."""
    result = run_stateless_action(client, CATALOG, "DeleteTags", world, max_examples=25,
                                  seed=4, phases=("wire",), shrink=False)
    renamed = [r for r in result.findings.values() if r.example and any(
        k == "Action" and v != "DeleteTags" for k, v in r.example.pairs)]
    assert renamed, "no wire case renamed Action"
    assert {r.finding.action for r in result.findings.values()} == {"DeleteTags"}
