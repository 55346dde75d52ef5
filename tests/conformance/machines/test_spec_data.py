"""The machines' spec data is true to the spec: quotes are verbatim, codes documented."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from ec2_conformance.catalog import load_catalog
from ec2_conformance.machines import INVARIANTS, MACHINES, all_invariants
from ec2_conformance.machines import load_broken_rules

ROOT = Path(__file__).resolve().parents[3]


def _find_spec() -> Path:
    """tools/spec_text.py's lookup (a shared/spec above the checkout, or $EC2C_SPEC_TEXT)."""
    spec = importlib.util.spec_from_file_location("spec_text", ROOT / "tools" / "spec_text.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.find_spec()


SPEC = _find_spec()


def _normalize(text: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\(#\)", r"\1", text)  # markdown links
    text = re.sub(r"<[^>]+>", "", text)  # the error tables' HTML
    text = text.replace("`", "").replace("\\(", "(").replace("\\)", ")")
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def spec_text() -> str:
    return _normalize(SPEC.read_text("utf-8"))


@pytest.mark.parametrize("rule", sorted(load_broken_rules()))
def test_rule_quote_is_in_the_spec(rule, spec_text):
    quote = _normalize(load_broken_rules()[rule].quote)
    assert quote in spec_text, f"{rule}: quote not found verbatim in the spec"


@pytest.mark.parametrize("name", sorted(INVARIANTS))
def test_invariant_quote_is_in_the_spec(name, spec_text):
    for sentence in re.split(r"(?<=\.) (?=[A-Z`])", _normalize(INVARIANTS[name].quote)):
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
