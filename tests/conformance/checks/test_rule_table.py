"""The rule table: every rule has a verbatim passage, every finding's rule is in it, and only
a stated rule can be a violation (enforced by the gate every finding passes)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from ec2_conformance.checks import (REGISTRY, CheckContext, enforce, finding_names,
                                    load_rule_table, rule_key, validate_body)
from ec2_conformance.checks._rules import CLASSIFICATIONS
from ec2_conformance.machines import INVARIANTS, load_broken_rules
from ec2_conformance.outcome import Finding, Severity
from ec2_conformance.strategies import INVALID_CLASSES, WIRE_FAULTS

ROOT = Path(__file__).resolve().parents[3]
TABLE = load_rule_table("2014-10-01")


def _tool(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


spec_text = _tool("spec_text")


def _finding(check: str, **extra) -> Finding:
    return Finding(check=check, severity=Severity.VIOLATION, action="DeleteVpnGateway",
                   message="m", spec_ref="s", extra=extra)


@pytest.mark.parametrize("key", sorted(TABLE))
def test_every_rule_quotes_a_passage_that_is_in_the_spec(key, spec_path):
    rule = TABLE[key]
    assert rule.section and rule.passage and len(rule.reason) > 15, key
    assert rule.classification in CLASSIFICATIONS, key
    assert not spec_text.missing_parts(rule.passage), (key, spec_text.missing_parts(rule.passage))
    if rule.classification == "conflicting":
        assert rule.other_section and rule.other_passage, f"{key}: a conflict quotes both"
        assert not spec_text.missing_parts(rule.other_passage), key


def test_a_passage_that_is_not_in_the_spec_is_caught(spec_path):
    assert spec_text.missing_parts("The service answers every request within a second.")
    assert not spec_text.missing_parts("Every  successful response\nincludes a request ID")


def _source_rule_keys() -> set[str]:
    found = set()
    for path in (ROOT / "conformance").rglob("*.py"):
        found |= set(re.findall(r'"rule_key":\s*"([^"]+)"', path.read_text("utf-8")))
    return found


def test_every_rule_a_finding_can_name_is_in_the_table():
    wanted = set(REGISTRY.names()) | {f"label:{c}" for c in INVALID_CLASSES}
    wanted |= {f"wire:{w}" for w in WIRE_FAULTS} | {"label:valid", "label:dry-run"}
    wanted |= {"label:valid-filter", "label:nonexistent-id-listed", "deleted-*-listed"}
    wanted |= set(load_broken_rules()) | set(INVARIANTS) | _source_rule_keys()
    wanted |= {n.rule for n in finding_names().values() if n.rule}
    assert sorted(wanted - set(TABLE)) == []


def test_rule_keys_of_findings():
    assert rule_key(_finding("expected-outcome", rule="")) == "label:valid"
    assert rule_key(_finding("expected-error-code", rule="malformed-value:Size")) == \
        "label:malformed-value"
    assert rule_key(_finding("expected-outcome", rule="wire:unsigned")) == "wire:unsigned"
    assert rule_key(_finding("deleted-vpc")) == "deleted-*"  # the helper's action: a delete
    listed = Finding("deleted-vpc", Severity.VIOLATION, "DescribeVpcs", "m", "s")
    assert rule_key(listed) == "deleted-*-listed"
    assert enforce(listed, "2014-10-01").severity is Severity.WARNING
    assert rule_key(_finding("namespace", rule_key="namespace:error-envelope")) == \
        "namespace:error-envelope"


@pytest.mark.parametrize("key", sorted(k for k, r in TABLE.items()
                                       if r.classification != "stated"))
def test_only_a_stated_rule_can_be_a_violation(key):
    finding = enforce(_finding("x", rule_key=key), "2014-10-01")
    assert finding.severity in (Severity.WARNING, Severity.SPEC_CONFLICT)
    assert TABLE[key].passage in finding.message


def test_the_gate_keeps_stated_lowers_the_rest_and_quotes_both_sides_of_a_conflict():
    assert enforce(_finding("subnet-in-use"), "2014-10-01").severity is Severity.VIOLATION
    lowered = enforce(_finding("subnet-in-use-interface"), "2014-10-01")
    assert lowered.severity is Severity.WARNING and "implied" in lowered.message
    conflict = enforce(_finding("vpn-gateway-attached-delete"), "2014-10-01")
    assert conflict.severity is Severity.SPEC_CONFLICT
    assert "We recommend that before you delete" in conflict.message
    assert "ensure that it's detached from the VPC" in conflict.message
    unknown = enforce(_finding("a-rule-nobody-wrote-down"), "2014-10-01")
    assert unknown.severity is Severity.WARNING and "no passage" in unknown.message
    warning = Finding("x", Severity.WARNING, None, "m", "s")
    assert enforce(warning, "2014-10-01") is warning


def test_another_version_judges_only_what_its_own_sources_decide():
    code = enforce(_finding("expected-error-code", rule="cidr-out-of-range:CidrBlock"),
                   "2016-11-15")
    assert code.severity is Severity.WARNING and "2016-11-15 do not decide" in code.message
    documented = enforce(_finding("error-code-documented"), "2016-11-15")
    assert documented.severity is Severity.WARNING
    assert enforce(_finding("schema"), "2016-11-15").severity is Severity.VIOLATION
    assert enforce(_finding("subnet-cidr-conflict"), "2016-11-15").severity is Severity.WARNING
    assert enforce(_finding("schema"), "2015-10-01").severity is Severity.WARNING


def test_validate_passes_findings_through_the_gate():
    body = (b'<Response xmlns="http://ec2.amazonaws.com/doc/2014-10-01/"><Errors><Error>'
            b"<Code>InvalidVpcID.NotFound</Code><Message>m</Message></Error></Errors>"
            b"<RequestID>r</RequestID></Response>")
    findings = validate_body(body, "DeleteVpc", status=400)
    namespace = [f for f in findings if f.check == "namespace"]
    assert [f.severity for f in namespace] == [Severity.WARNING]
    assert "no namespace" in namespace[0].message or "has no xmlns" in namespace[0].message


def test_a_machine_finding_passes_the_gate():
    from ec2_conformance.catalog import load_catalog
    from ec2_conformance.machines import MachineConfig, Session, WaitSettings

    session = Session(None, load_catalog(), profile=None, judge=None, run_id="r",
                      waits=WaitSettings(), config=MachineConfig())
    session.add_finding(_finding("vpn-gateway-attached-delete"), [])
    [record] = session.findings.values()
    assert record.finding.severity is Severity.SPEC_CONFLICT


def test_a_check_context_knows_its_version():
    from ec2_conformance.catalog import load_catalog

    assert CheckContext(catalog=load_catalog("2016-11-15")).catalog.api_version == "2016-11-15"
