"""The self-test runner: attribution on synthetic findings, then real runs through the
proxy in front of the embedded moto server (one keeps detection >= 95% on the whole catalog)."""

import json
from importlib import resources

import pytest

from ec2_conformance.engine import ActionResult
from ec2_conformance.faults import SelftestOptions, load_fault_catalog, run_selftest
from ec2_conformance.faults import _parallel
from ec2_conformance.faults._catalog import parse_fault_catalog
from ec2_conformance.faults._selftest import NONE_RUNS, NONE_RUNS_STATEFUL
from ec2_conformance.faults._attribution import attribute, finding_key, result_keys
from ec2_conformance.faults._table import render_markdown, render_text, write_report
from ec2_conformance.outcome import Finding, Severity


def _finding(check="schema", severity=Severity.VIOLATION, path="/A/b", rule=None, action="A"):
    extra = {"rule": rule} if rule else {}
    return Finding(check, severity, action, f"{check} says no", "spec", expected="x",
                   path=path, extra=extra)


def _result(*findings, invariants=None):
    result = ActionResult(action="A", suite="stateless", examples=7)
    for finding in findings:
        result.add_finding(finding)
    result.invariants = invariants or {}
    return result


def test_a_finding_the_none_run_also_has_is_not_attributed():
    everywhere = _finding("namespace", path="/A")
    fault = _result(everywhere, _finding("schema"))
    baseline = set(result_keys(_result(everywhere)))
    detection = attribute([(fault, {})], baseline)
    assert detection.detected and detection.by == ["schema"]
    assert not attribute([(_result(everywhere), {})], baseline).detected


def test_only_failing_or_extension_findings_and_failed_invariants_count():
    warned = _result(_finding(severity=Severity.WARNING), _finding(severity=Severity.FLAKY))
    detection = attribute([(warned, {})], set())
    assert not detection.detected and [s.check for s in detection.warnings.values()] == ["schema"]
    extension = _result(_finding("extension", Severity.EXTENSION))
    assert attribute([(extension, {})], set()).by == ["extension"]
    invariant = _result(invariants={"tags-round-trip": {"run": 9, "failed": 1},
                                    "subnets-do-not-overlap": {"run": 9, "failed": 0}})
    assert attribute([(invariant, {})], set()).by == ["tags-round-trip"]


def test_the_rule_family_tells_apart_findings_with_one_signature():
    unknown = _finding("expected-outcome", path=None, rule="unknown-parameter:ZqAbc")
    version = _finding("expected-outcome", path=None, rule="wire:missing-version")
    assert unknown.signature == version.signature
    assert finding_key(unknown) != finding_key(version)
    assert finding_key(unknown) == finding_key(
        _finding("expected-outcome", path=None, rule="unknown-parameter:ZqOther"))
    detection = attribute([(_result(version), {})], set(result_keys(_result(unknown))))
    assert detection.by == ["expected-outcome"]


def test_resource_ids_do_not_make_a_finding_new():
    one = _finding("tags-round-trip", path=None)
    one.expected = "vpc vpc-d9e5b5586dfba6213 carries {'run': 'ec2c-d408c5e7'}"
    other = _finding("tags-round-trip", path=None)
    other.expected = "vpc vpc-0a1b2c3d carries {'run': 'ec2c-77aa00ff'}"
    assert one.signature != other.signature and finding_key(one) == finding_key(other)
    assert finding_key(one) != finding_key(_finding("tags-round-trip", path="/x"))


def test_examples_needed_is_the_earliest_attributable_first_sighting():
    early, late, noise = _finding("schema", path="/A/x"), _finding("request-id"), _finding(
        "namespace", path="/A")
    first_seen = {finding_key(early): 4, finding_key(late): 9, finding_key(noise): 1}
    detection = attribute([(_result(early, late, noise), first_seen)],
                          set(result_keys(_result(noise))))
    assert detection.examples(fallback=99) == (4, True)
    unseen = attribute([(_result(_finding("schema")), {})], set())
    assert unseen.examples(fallback=7) == (7, False)
    assert attribute([(_result(), {})], set()).examples(fallback=7) == (None, True)


# -- real runs ------------------------------------------------------------------------
@pytest.mark.slow  # a self-test with its none runs
def test_selftest_detects_a_shape_fault_and_not_a_gap(tmp_path):
    lines = []
    report = run_selftest(SelftestOptions(faults=["shape-wrong-enum-value",
                                                  "shape-empty-list-dropped"], max_examples=3),
                          progress=lines.append)
    rows = {r.name: r for r in report.rows}
    enum = rows["shape-wrong-enum-value"]
    assert enum.detected and "schema" in enum.by and enum.as_expected
    assert enum.examples_exact and enum.examples >= 1 and enum.applied >= 1
    assert any("running" in a["message"] for a in enum.attributable)
    gap = rows["shape-empty-list-dropped"]
    assert not gap.detected and gap.note.startswith("known gap:")
    assert report.rate == 0.5 and len(lines) == 2
    assert report.none["units"] == 1 and report.none["noise"] == []  # one unit, shared
    text = render_text(report)
    assert "shape-wrong-enum-value" in text and "50.0% (1/2" in text
    written = write_report(report, tmp_path)
    assert [p.name for p in written] == ["selftest.json", "selftest.md"]
    assert "| shape-empty-list-dropped | response-shape | NO |" in render_markdown(report)


# The whole catalog in shards (faults sharing a unit share a shard, as the self-test's own
# workers group them), so pytest-xdist spreads the two minutes over its workers.
SHARDS = _parallel.plan(load_fault_catalog().select(None), 4, SelftestOptions.max_examples,
                        (NONE_RUNS, NONE_RUNS_STATEFUL["explore"]))


@pytest.mark.slow
@pytest.mark.parametrize("shard", range(len(SHARDS)))
def test_detection_rate_stays_at_least_95_percent(shard, tmp_path, shards):
    """The whole fault catalog; every undetected fault must say why.  Deterministic
    enough for every run: the state faults are found by the machines' spec scenarios."""
    names = [spec.name for spec in SHARDS[shard]]
    report = run_selftest(SelftestOptions(faults=names))
    write_report(report, tmp_path)
    assert [r.name for r in report.rows] == names
    missed = {r.name: r.note for r in report.rows if not r.detected}
    assert all(missed.values()), missed
    parts = shards("detection-rate", len(SHARDS)).record(shard, [r.detected for r in report.rows])
    if parts is not None:  # the last shard to finish checks the whole catalog
        detected = [d for part in parts for d in part]
        assert len(detected) == len(load_fault_catalog().select(None))
        assert sum(detected) / len(detected) >= 0.95, (sum(detected), len(detected), missed)


@pytest.mark.slow  # a machine's exploration, with and without the fault
def test_a_state_fault_the_scenarios_miss_is_left_to_exploration():
    """No spec scenario launches two instances at once; the compute machine's exploration
    does (its run_instances rule draws MaxCount 1 or 2)."""
    from ec2_conformance.machines import load_scenarios

    assert not any(step.get("params", {}).get("MaxCount") == 2
                   for s in load_scenarios() for step in s.steps)  # the premise
    data = json.loads(resources.files("ec2_conformance.faults").joinpath("catalog.json")
                      .read_text("utf-8"))
    data["faults"] = [f for f in data["faults"] if f["name"] == "none"] + [{
        "name": "state-pair-launch-renames-reservation", "category": "state",
        "description": "RunInstances for two answers reservationID for reservationId",
        "spec_ref": "RunInstances > Response Elements", "caught_by": ["schema"],
        "machines": ["compute"], "max_examples": 5,
        "probe": [{"action": "DescribeInstances", "params": {}}],
        "proxy": [{"action": "RunInstances", "params": {"MaxCount": "2"}, "only_success": True,
                   "response": [{"op": "rename", "select": "//*[local-name()='reservationId']",
                                 "to": "reservationID"}]}]}]
    catalog = parse_fault_catalog(data)
    report = run_selftest(SelftestOptions(stateful_steps=10), catalog=catalog)
    row = report.rows[0]
    assert row.detected and "schema" in row.by and row.applied >= 1, row.to_json()
    assert row.note == "the spec scenarios missed it; exploration found it"
