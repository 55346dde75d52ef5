"""The errata: every entry names a real sample, says why, still applies and is still needed."""

import json
from pathlib import Path

import pytest

from ec2_conformance import schemas
from ec2_conformance.catalog import load_catalog
from ec2_conformance.checks import validate_body

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "spec_samples" / "2014-10-01.json"
KINDS = {"pdf-text", "sample-typo", "placeholder"}
ERRATA = schemas.load_errata("2014-10-01")["samples"]


@pytest.fixture(scope="module")
def samples():
    data = json.loads(SAMPLES.read_text("utf-8"))["responses"]
    return {(s["action"], s["example_index"]): s["body"] for s in data}


def _id(entry):
    return f"{entry['action']}-{entry['example_index']}"


def test_errata_entries_are_unique_and_explained(samples):
    keys = [(e["action"], e["example_index"]) for e in ERRATA]
    assert len(keys) == len(set(keys))
    actions = load_catalog("2014-10-01").actions
    for entry in ERRATA:
        assert entry["action"] in actions
        assert (entry["action"], entry["example_index"]) in samples, _id(entry)
        assert entry["fixes"], _id(entry)
        for fix in entry["fixes"]:
            assert fix["kind"] in KINDS, fix
            assert len(fix["reason"]) > 15 and fix["find"], fix


@pytest.mark.parametrize("entry", ERRATA, ids=_id)
def test_each_fix_still_applies_and_is_needed(entry, samples):
    body = samples[(entry["action"], entry["example_index"])]
    fixed = schemas.apply_fixes(body, entry["fixes"])  # raises on a stale fix
    assert _failing(fixed, entry["action"]) == []  # spec-conflict warnings may remain
    assert _failing(body, entry["action"]), "the sample no longer needs errata"
    for i in range(len(entry["fixes"])):
        rest = entry["fixes"][:i] + entry["fixes"][i + 1:]
        try:
            partly = schemas.apply_fixes(body, rest)
        except ValueError:
            continue  # a later fix builds on this one: needed
        assert _failing(partly, entry["action"]), \
            f"fix {i} ({entry['fixes'][i]['find']!r}) is not needed"


def _failing(body: str, action: str) -> list:
    return [f for f in validate_body(body.encode(), action) if f.severity.fails]


def test_apply_fixes_refuses_a_stale_fix():
    with pytest.raises(ValueError, match="stale erratum"):
        schemas.apply_fixes("<a/>", [{"find": "<b/>", "replace": "", "kind": "sample-typo",
                                      "reason": "not there"}])


def test_contradictions_of_the_data_types_are_conflicts_not_errata():
    """A sample that only disagrees with the spec's tables is no broken sample: the
    conflicts accept it, and the schema stays strict (the capitalised states stay invalid)."""
    kinds = {fix["kind"] for entry in ERRATA for fix in entry["fixes"]}
    assert kinds == KINDS
    listing = next(e for e in ERRATA if e["action"] == "CancelReservedInstancesListing")
    assert not any(f["find"] == "<state>Available</state>" for f in listing["fixes"])
    conflict = next(c for c in schemas.load_conflicts("2014-10-01")
                    if c["id"] == "instance-count-state-capitalised")
    assert ["CancelReservedInstancesListing", 1] in conflict["samples"]
    ir = schemas.build_ir("2014-10-01")
    counts = ir.type("InstanceCount").by_name["state"]
    assert "Available" not in ir.type(counts.type).values
