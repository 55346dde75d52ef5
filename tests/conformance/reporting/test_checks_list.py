"""Every finding name any code path can emit is registered, and listed in the report.

The emitters are found by reading the source: each ``Finding(...)`` names its check
either as a literal (which must be registered) or through one of the expressions
below, each tied to the registry its names come from.  A new kind of emitter fails
here until its names have a registry.
"""

import ast
import re
from pathlib import Path

import pytest

from ec2_conformance.checks import all_checks, finding_names, load_rule_table, rule_key
from ec2_conformance.machines import all_invariants, load_broken_rules
from ec2_conformance.outcome import Finding, Severity
from ec2_conformance.reporting import build_document, list_of_checks, render_html

ROOT = Path(__file__).resolve().parents[3]
API = "2014-10-01"
# Non-literal names, each with where its values come from.
NAME_EXPRESSIONS = {
    "name": "checks/_document.py's helper, called by registered checks with their own name",
    "item.name": "a registered check (checks/_run.py: a check that raised)",
    "inv.name": "the invariant registry (machines/_runner.py)",
    "expectation.rule": "the machines' broken rules (expect_error) or deleted-<kind> (not_found)",
    "finding.check": "a copy of a finding already made (flaky, replayed)",
    "data['check']": "a finding read back from a saved result",
}


def _emitters():
    """(file, line, literal name or the source of the name expression) of each Finding(...)."""
    for path in sorted((ROOT / "conformance").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id",
                                                           getattr(node.func, "attr", None))
                    == "Finding"):
                continue
            name = node.args[0] if node.args else next(
                (k.value for k in node.keywords if k.arg == "check"), None)
            assert name is not None, f"{path}:{node.lineno}: a Finding without a check name"
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            if isinstance(name, ast.Constant):
                yield where, name.value, None
            else:
                yield where, None, ast.unparse(name).replace('"', "'")


def _registered() -> set[str]:
    return ({c.name for c in all_checks()} | set(finding_names()) | set(load_broken_rules(API))
            | {i.name for i in all_invariants()})


def test_every_literal_finding_name_is_registered():
    literals = [(where, name) for where, name, _ in _emitters() if name is not None]
    assert len(literals) >= 10  # the scan sees the emitters
    unregistered = [(where, name) for where, name in literals if name not in _registered()]
    assert unregistered == [], "register them in conformance/checks/findings.json"


def test_every_computed_finding_name_comes_from_a_registry():
    computed = {expression for _, _, expression in _emitters() if expression is not None}
    assert computed - set(NAME_EXPRESSIONS) == set()


def test_machine_rule_names_are_registered_rules_or_deleted_kinds():
    """``expectation.rule``'s two sources: ``expect_error`` (a rules-<version>.json name)
    and ``not_found`` (deleted-<kind>, registered as deleted-*)."""
    source = (ROOT / "conformance/machines").rglob("*.py")
    used = {m for path in source
            for m in re.findall(r'expect_error\(\s*"([^"]+)"', path.read_text("utf-8"))}
    assert used and used <= set(load_broken_rules(API))
    made = {m for path in (ROOT / "conformance/machines").rglob("*.py")
            for m in re.findall(r'\brule=f?"([^"{]+)', path.read_text("utf-8"))}
    assert made == {"deleted-"}  # not_found's deleted-<kind>
    deleted = Finding("deleted-vpc", Severity.VIOLATION, "DeleteVpc", "m", "s")
    assert rule_key(deleted) in finding_names()


def test_every_registered_name_rests_on_a_rule_or_says_what_instead():
    table = load_rule_table(API)
    for entry in finding_names().values():
        if entry.rule is not None:
            assert entry.rule in table, entry.name
            assert table[entry.rule].passage in entry.spec_ref(API)
        else:
            assert entry.basis and entry.spec_ref(API) == entry.basis
        emitters = [p.strip() for p in entry.emitted_by.split(",")]
        assert all((ROOT / "conformance" / p).is_file() for p in emitters), entry.name
        if not entry.name.endswith("*"):
            assert any(f'"{entry.name}"' in (ROOT / "conformance" / p).read_text("utf-8")
                       for p in emitters), f"{entry.name} is not made in {emitters}"


@pytest.fixture(scope="module")
def document():
    run = {"id": "r", "tool_version": "0", "endpoint": "e", "embedded": True, "region": "us-east-1",
           "api_version": API, "profile": "moto", "seed": 0, "suite": "all", "shard": None,
           "max_examples": 1, "stateful_steps": 1, "read_only": False, "interrupted": False,
           "started": "s", "ended": "e", "examples": {"total": 0, "valid": 0, "invalid": 0}}
    invariants = [{"name": i.name, "description": i.description, "spec_ref": i.spec_ref}
                  for i in all_invariants()]
    return build_document(run, [], checks=list_of_checks(API), invariants=invariants)


def test_every_registered_name_is_in_the_results_and_the_page(document):
    listed = {c["name"] for c in document["checks"]} | {i["name"] for i in document["invariants"]}
    assert _registered() - listed == set()
    page = render_html(document)
    missing = [name for name in _registered() if f"<td><code>{name}</code>" not in page
               and f"<td>{name}</td>" not in page]
    assert missing == []
    for row in document["checks"]:
        assert row["description"] and row["spec_ref"], row["name"]


def test_the_list_fits_the_results_schema(document):
    import json

    import jsonschema

    from ec2_conformance import reporting

    schema = json.loads((Path(reporting.__file__).parent / reporting.RESULTS_SCHEMA).read_text())
    jsonschema.validate(document, schema)
    assert {row["kind"] for row in document["checks"]} == {"check", "finding", "machine rule"}
