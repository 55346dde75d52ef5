"""The machines' spec data is true to the spec: quotes are verbatim, codes documented."""

from __future__ import annotations

import re

import pytest

from ec2_conformance.catalog import load_catalog
from ec2_conformance.machines import INVARIANTS, MACHINES, all_invariants
from ec2_conformance.machines import load_broken_rules

@pytest.fixture(scope="module")
def normalize(spec_text_tool):
    return spec_text_tool.normalize


@pytest.fixture(scope="module")
def spec_text(spec_path, spec_text_tool) -> str:
    return spec_text_tool.spec_text()


@pytest.mark.parametrize("rule", sorted(load_broken_rules()))
def test_rule_quote_is_in_the_spec(rule, spec_text, normalize):
    quote = normalize(load_broken_rules()[rule].quote)
    assert quote in spec_text, f"{rule}: quote not found verbatim in the spec"


@pytest.mark.parametrize("name", sorted(INVARIANTS))
def test_invariant_quote_is_in_the_spec(name, spec_text, normalize):
    for sentence in re.split(r"(?<=\.) (?=[A-Z`])", normalize(INVARIANTS[name].quote)):
        assert sentence in spec_text, f"{name}: {sentence!r} not found in the spec"


def test_rule_codes_are_documented_errors():
    catalog = load_catalog()
    documented = set(catalog.common_errors) | set(catalog.specific_errors)
    for rule in load_broken_rules().values():
        assert set(rule.codes) <= documented, rule.name


def test_registry_shape():
    invariants = all_invariants()
    assert len(invariants) >= 15
    assert len({i.name for i in invariants}) == len(invariants)
    for inv in invariants:
        assert inv.description and inv.spec_ref and inv.kinds
        assert inv.to_json()["name"] == inv.name
    assert set(MACHINES) == {"networking", "routing", "storage", "compute", "connectivity"}
