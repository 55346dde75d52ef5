"""The engine's side of the machines: their judge, and their result as an ActionResult."""

from ec2_conformance.catalog import load_catalog
from ec2_conformance.checks import offline_exchange
from ec2_conformance.engine._stateful import _findings_only, machine_result_to_action_result
from ec2_conformance.machines import MachineResult, RecordedFinding
from ec2_conformance.outcome import Expectation, Finding, Severity

CATALOG = load_catalog("2014-10-01")
ACCEPTED_TAGS = (b'<CreateTagsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">'
                 b"<requestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</requestId>"
                 b"<return>true</return></CreateTagsResponse>")


def test_the_machine_judge_leaves_the_outcome_to_the_model():
    """An accepted 11th tag is the machine's tag-limit finding, not also expected-outcome."""
    exchange = offline_exchange(ACCEPTED_TAGS, "CreateTags", "2014-10-01")
    expectation = Expectation("error", frozenset({"TagLimitExceeded"}), rule="tag-limit")
    findings = _findings_only(CATALOG)(exchange, expectation)
    assert [f.check for f in findings] == ["namespace"]  # the document is still judged


def test_a_machine_result_keeps_counts_and_step_lists():
    finding = Finding("subnets-do-not-overlap", Severity.VIOLATION, None, "overlap",
                      "CreateSubnet", expected="no overlap", observed="10.0.1.0/25")
    steps = [{"action": "CreateVpc", "params": {"CidrBlock": "10.0.0.0/16"}}]
    outcome = MachineResult(machine="networking", profile="aws-2014-10-01", run_id="r",
                            requests=12, invariants={"subnets-do-not-overlap": {"run": 3,
                                                                                "failed": 1}})
    outcome.findings.append(RecordedFinding(finding, occurrences=3, steps=steps))
    result = machine_result_to_action_result(outcome, "2014-10-01")
    assert result.suite == "stateful" and result.action == "networking"
    assert result.examples == 12 and result.invariants["subnets-do-not-overlap"]["failed"] == 1
    record = result.findings[finding.signature]
    assert record.occurrences == 3 and record.example.steps == steps
    assert record.example.kind == "stateful" and record.example.check == finding.check
