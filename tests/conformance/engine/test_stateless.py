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


def test_violations_are_saved_as_minimal_requests_that_keep_their_label(client, world):
    # moto accepts unknown parameters; UnknownParameter is the spec's answer.
    result = run_stateless_action(client, CATALOG, "DescribeVpcs", world, max_examples=15,
                                  seed=5, phases=("invalid",), max_shrinks=10)
    unknown = [r.example for r in result.findings.values() if r.example is not None
               and r.example.expectation.rule.startswith("unknown-parameter:")]
    assert unknown
    for example in unknown:  # shrunk, or drawn minimal already (then not shrunk again)
        assert example.expectation.outcome == "error"
        name = example.expectation.rule.split(":", 1)[1]
        assert name in dict(example.pairs)  # shrinking never drops the mutation
        assert len(example.pairs) == 3  # Action, Version and the unknown parameter


def test_a_violation_first_seen_on_a_large_request_shrinks(client, world):
    """A judge that objects to any filter: the saved example keeps one filter and drops
    everything else the first sighting carried."""
    def judge(exchange, expectation):
        filtered = any(k.startswith("Filter.") for k, _ in exchange.pairs)
        # named after a check the rule table states, so the spec gate keeps it a violation
        return ([Finding("schema", Severity.VIOLATION, "DescribeVpcs", "a filter",
                         "test", expected="no filter")] if filtered else []), ["schema"]
    result = run_stateless_action(client, CATALOG, "DescribeVpcs", world, max_examples=15,
                                  seed=5, phases=("valid",), judge=judge)
    [record] = result.findings.values()
    names = [k for k, _ in record.example.pairs]
    assert record.finding.extra.get("shrunk"), names
    assert names[:2] == ["Action", "Version"] and all(n.startswith("Filter.1.") for n in names[2:])
    assert len(names) == 4, names  # one filter name and one value


def test_a_shrunk_finding_names_the_label_it_sends(client, world):
    # CreateVolume's first draws carry more than their mutation, so they shrink; the shrunk
    # unknown parameter is another name than the one first drawn
    result = run_stateless_action(client, CATALOG, "CreateVolume", world, max_examples=15,
                                  seed=3, phases=("invalid",), max_shrinks=10)
    shrunk = [r for r in result.findings.values() if r.finding.extra.get("shrunk")]
    assert shrunk
    for record in shrunk:
        example = record.example
        assert example.expectation.outcome == "error"
        if example.expectation.rule.startswith("unknown-parameter:"):
            name = example.expectation.rule.split(":", 1)[1]
            assert name in dict(example.pairs)  # shrinking never drops the mutation
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
    # both kinds were sent (every wire kind is, once per action at least) ...
    assert result.labels["wire:unknown-action"] and result.labels["wire:missing-action"]
    # ... and what they drew (an HTML 500 is xml-content) is DeleteTags's, nothing else's
    assert any(r.finding.check == "xml-content" for r in result.findings.values())
    assert {r.finding.action for r in result.findings.values()} == {"DeleteTags"}
