import json
from pathlib import Path

import jsonschema
from lxml import etree

import ec2_conformance.reporting as reporting
from ec2_conformance.reporting import (apply_baseline, build_document, failing_findings,
                                       load_baseline, merge_results, write_report)

SCHEMA = json.loads((Path(reporting.__file__).parent / reporting.RESULTS_SCHEMA).read_text())
CHECKS = [{"name": "schema", "description": "body validates", "spec_ref": "Data Types"},
          {"name": "status-class", "description": "2xx/4xx/5xx", "spec_ref": "Common Client Errors"}]


def document(results, run):
    return build_document(dict(run), merge_results(results), checks=CHECKS,
                          invariants=[{"name": "subnets-do-not-overlap", "description": "d",
                                       "spec_ref": "CreateSubnet"}],
                          catalog_params={"CreateVpc": ["CidrBlock", "DryRun", "InstanceTenancy"]})


def test_document_matches_committed_schema_and_groups_findings(results, run_meta):
    doc = document(results, run_meta)
    jsonschema.validate(doc, SCHEMA)
    schema_finding = next(f for f in doc["findings"] if f["check"] == "schema")
    assert schema_finding["occurrences"] == 2
    assert doc["summary"]["findings"]["violation"] == 2
    assert doc["summary"]["findings"]["not-implemented"] == 1
    assert doc["summary"]["findings"]["extension"] == 1
    assert doc["coverage"]["CreateVpc"]["params"] == {"CidrBlock": True, "DryRun": False,
                                                      "InstanceTenancy": False}
    create = next(a for a in doc["actions"] if a["action"] == "CreateVpc")
    assert create["score"] == round(10 / 12, 4)
    bundle = next(a for a in doc["actions"] if a["action"] == "BundleInstance")
    assert bundle["score"] == 0.0


def test_failing_findings_exclude_extensions(results, run_meta):
    doc = document(results, run_meta)
    severities = sorted(f["severity"] for f in failing_findings(doc))
    assert severities == ["not-implemented", "violation", "violation"]


def test_merge_adds_worker_counts(results, run_meta):
    again = build_document(dict(run_meta), merge_results(results + [results[0]]), checks=CHECKS,
                           invariants=[])
    create = next(a for a in again["actions"] if a["action"] == "CreateVpc")
    assert create["examples"] == 12
    assert next(f for f in again["findings"] if f["check"] == "schema")["occurrences"] == 4


def test_write_report_files(results, run_meta, tmp_path):
    doc = document(results, run_meta)
    paths = write_report(doc, tmp_path)
    loaded = json.loads(paths["results"].read_text())
    jsonschema.validate(loaded, SCHEMA)
    junit = etree.parse(str(paths["junit"]))
    cases = junit.findall(".//testcase")
    assert {c.get("name") for c in cases} >= {"CreateVpc", "BundleInstance", "NetworkingMachine"}
    failed = {c.get("name") for c in cases if c.find("failure") is not None}
    assert failed == {"CreateVpc", "BundleInstance", "NetworkingMachine"}
    # each failure names its defect: one <failure> per defect, not per finding
    create = next(c for c in cases if c.get("name") == "CreateVpc")
    [failure] = create.findall("failure")
    defect = next(d for d in doc["defects"] if "CreateVpc" in d["actions"] and d["severity"] == "violation")
    assert defect["id"] in failure.get("message") and defect["title"][:40] in failure.get("message")
    assert (tmp_path / "summary.md").read_text().count(defect["id"]) == 1
    html = paths["html"].read_text()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    examples = list((tmp_path / "examples").glob("*.json"))
    assert len(examples) == 2
    saved = json.loads(examples[0].read_text())
    assert saved["api_version"] == "2014-10-01" and saved["finding"]["check"]


def test_baseline_new_accepted_fixed(results, run_meta, tmp_path):
    old = document(results, run_meta)
    baseline_file = tmp_path / "baseline.json"
    baseline_file.write_text(json.dumps(reporting.baseline_from_results(old, "known moto gap")))
    fewer = [r for r in results if r.action != "BundleInstance"]
    new_result = fewer[0]
    from ec2_conformance.outcome import Finding, Severity
    new_result.add_finding(Finding(check="status-class", severity=Severity.VIOLATION,
                                   action="CreateVpc", message="HTTP 500 for client input",
                                   spec_ref="Server Errors"))
    doc = document(fewer, run_meta)
    apply_baseline(doc, load_baseline(baseline_file), str(baseline_file))
    assert len(doc["baseline"]["new"]) == 1
    assert [f["check"] for f in failing_findings(doc)] == ["status-class"]
    assert [f["actions"] for f in doc["baseline"]["fixed_defects"]] == [["BundleInstance"]]
    assert doc["baseline"]["new_defects"] == [failing_findings(doc)[0]["defect"]]
    # A results.json works as a baseline too: its defects are accepted.
    results_file = tmp_path / "results.json"
    results_file.write_text(json.dumps(old))
    assert set(load_baseline(results_file)) == {d["id"] for d in old["defects"]}


def test_one_cause_met_by_several_suites_is_one_finding_with_the_quickest_example(results,
                                                                               run_meta):
    from ec2_conformance.engine import ActionResult, SavedExample

    create = next(r for r in results if r.action == "CreateVpc")
    record = next(iter(create.findings.values()))
    step = {"action": "CreateVpc", "params": {}, "pairs": [], "expectation": None}
    for machine in ("routing", "networking"):
        result = ActionResult(action=machine, suite="stateful", examples=5)
        result.add_finding(record.finding, SavedExample(
            kind="stateful", action="CreateVpc", api_version="2014-10-01", pairs=[],
            expectation=None, check="schema", steps=[step, step]))
        results.append(result)
    doc = document(results, run_meta)
    jsonschema.validate(doc, SCHEMA)
    [finding] = [f for f in doc["findings"] if f["id"] == record.finding.signature]
    assert finding["occurrences"] == 4
    assert sorted(finding["seen_in"]) == ["stateful:networking", "stateful:routing", "stateless"]
    assert finding["example"]["kind"] == "stateless" and finding["suite"] == "stateless"
    assert len({f["id"] for f in doc["findings"]}) == len(doc["findings"])


def test_scenarios_are_listed_with_what_they_exercise(results, run_meta, tmp_path):
    doc = document(results, run_meta)
    rows = {r["name"]: r for r in doc["scenarios"]}
    assert rows["subnet-overlaps-sibling"]["outcome"] == "walked"
    assert rows["subnet-overlaps-sibling"]["exercises"] == ["subnet-cidr-conflict",
                                                            "subnets-do-not-overlap"]
    assert rows["vpc-in-use"]["machine"] == "NetworkingMachine" and rows["vpc-in-use"]["why"]
    html = write_report(doc, tmp_path)["html"].read_text()
    assert "subnet-overlaps-sibling" in html and "stopped at step 2" in html
    again = merge_results(results + results)  # workers' parts merge without losing one
    assert next(r for r in again if r.suite == "stateful").scenarios == results[-1].scenarios

