"""The sample audit: every sample response of the spec is classified, and every sample that
is not broken passes ``validate`` with no violation (spec-conflict warnings allowed)."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

from ec2_conformance import schemas
from ec2_conformance.checks import validate_body
from ec2_conformance.outcome import Severity

ROOT = Path(__file__).resolve().parents[2]
AUDIT = json.loads((ROOT / "schemas" / "sample-audit-2014-10-01.json").read_text("utf-8"))
SAMPLES = json.loads((ROOT / "tests" / "data" / "spec_samples" / "2014-10-01.json")
                     .read_text("utf-8"))["responses"]
CONFLICTS = schemas.load_conflicts("2014-10-01")


def _tool(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _body(action: str, index: int) -> str:
    return next(s["body"] for s in SAMPLES
                if s["action"] == action and s["example_index"] == index)


def test_every_sample_response_is_classified_with_a_reason():
    assert len(AUDIT["samples"]) == len(SAMPLES) == 182
    assert sum(AUDIT["counts"].values()) == 182
    for entry in AUDIT["samples"]:
        assert entry["verdict"] in ("valid", "spec-conflict", "broken")
        assert len(entry["reason"]) > 20 and entry["violations"] == [], entry
        assert (entry["verdict"] == "broken") == bool(
            schemas.errata_for("2014-10-01", entry["action"], entry["example_index"]))


def test_the_committed_audit_is_what_the_tool_derives():
    assert _tool("audit_samples").render() == (
        ROOT / "schemas" / "sample-audit-2014-10-01.json").read_text("utf-8"), \
        "stale: run python tools/audit_samples.py"


@pytest.mark.parametrize("entry", [e for e in AUDIT["samples"] if e["verdict"] != "broken"],
                         ids=lambda e: f"{e['action']}-{e['example_index']}")
def test_a_sample_that_is_not_broken_passes_validate_as_printed(entry):
    findings = validate_body(_body(entry["action"], entry["example_index"]).encode(),
                             entry["action"])
    assert [f for f in findings if f.severity.fails] == []
    conflicts = {f.extra.get("conflict") for f in findings
                 if f.severity is Severity.SPEC_CONFLICT}
    assert (entry["verdict"] == "spec-conflict") == bool(conflicts)


def test_each_conflict_names_the_samples_that_show_it_and_quotes_both_passages(spec_path):
    spec_text = _tool("spec_text")
    shown: dict[str, set] = {}
    for entry in AUDIT["samples"]:
        for conflict in entry["conflicts"]:
            shown.setdefault(conflict, set()).add((entry["action"], entry["example_index"]))
    for conflict in CONFLICTS:
        assert len(conflict["passages"]) == 2 and len(conflict["wins"]) > 40, conflict["id"]
        for passage in conflict["passages"]:
            assert not spec_text.missing_parts(passage["passage"]), (conflict["id"], passage)
        assert {tuple(s) for s in conflict["samples"]} == shown.get(conflict["id"], set())


def _spot_sample() -> str:
    body = schemas.apply_fixes(_body("DescribeSpotInstanceRequests", 1),
                               schemas.errata_for("2014-10-01", "DescribeSpotInstanceRequests", 1))
    assert re.search(r"<monitoring>\s*<enabled>false</enabled>\s*</monitoring>", body)
    return body


def test_spot_launch_specification_passes_in_the_table_s_form_and_the_samples():
    """The Data Types table says monitoringEnabled; the samples and botocore say
    <monitoring><enabled>: both pass, the table's form with a spec-conflict warning."""
    body = _spot_sample()
    assert [f for f in validate_body(body.encode(), "DescribeSpotInstanceRequests")] == []
    table_form = re.sub(r"<monitoring>\s*<enabled>false</enabled>\s*</monitoring>",
                        "<monitoringEnabled>false</monitoringEnabled>", body)
    findings = validate_body(table_form.encode(), "DescribeSpotInstanceRequests")
    assert [(f.check, f.severity) for f in findings] == [("spec-conflict", Severity.SPEC_CONFLICT)]
    assert "monitoringEnabled (response)" in findings[0].spec_ref


def test_a_value_neither_reading_allows_is_still_a_violation():
    body = _body("CancelBundleTask", 1).replace("canceling", "cancelled-ish")
    findings = validate_body(body.encode(), "CancelBundleTask")
    assert [(f.check, f.severity) for f in findings] == [("schema", Severity.VIOLATION)]
    no_id = _body("DescribeVpnGateways", 1)
    no_id = re.sub(r"<requestId>[^<]*</requestId>", "", no_id)
    assert [(f.check, f.severity) for f in validate_body(no_id.encode(), "DescribeVpnGateways")] == [
        ("request-id", Severity.VIOLATION)]
