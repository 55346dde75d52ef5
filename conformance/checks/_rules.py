"""The rule table, and the one gate every finding passes: only a stated rule is a violation.

``rule-table-<version>.json`` (beside this module) names every rule a finding can
rest on, the passage it rests on and how the spec says it (stated, implied,
recommended, conflicting).  ``enforce`` lowers a violation whose rule the spec
does not state: to ``warning`` (implied, recommended, not decided by the
version's sources) or ``spec-conflict`` (the spec says both), quoting the
passages.  A violation whose rule is not in the table is lowered too: no
passage, no violation.

A version's table may inherit another's (``inherits``), deciding only the rules
its own sources decide (``decided``); every other rule is a warning saying the
version's sources do not decide it.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, replace
from importlib import resources
from typing import Iterable

from ..outcome import Finding, Severity

CLASSIFICATIONS = ("stated", "implied", "recommended", "conflicting")
OUTCOME_CHECKS = ("expected-outcome", "expected-error-code")


@dataclass(frozen=True)
class Rule:
    key: str
    section: str
    passage: str
    classification: str  # one of CLASSIFICATIONS, or "undecided" for another version
    reason: str
    other_section: str = ""
    other_passage: str = ""

    def quote(self) -> str:
        text = f'{self.section}: "{self.passage}"'
        if self.other_passage:
            text += f'; {self.other_section}: "{self.other_passage}"'
        return text


def _read(api_version: str) -> dict | None:
    path = resources.files(__package__).joinpath(f"rule-table-{api_version}.json")
    return json.loads(path.read_text("utf-8")) if path.is_file() else None


@functools.lru_cache(maxsize=None)
def load_rule_table(api_version: str = "2014-10-01") -> dict[str, Rule]:
    """Every rule of ``api_version`` by key; ``{}`` when the version has no table."""
    data = _read(api_version)
    if data is None:
        return {}
    if "inherits" in data:
        base = load_rule_table(data["inherits"])
        decided = set(data["decided"])
        undecided_checks = set(data.get("undecided_checks", ()))
        why = data["undecided_reason"]
        out = {}
        for key, rule in base.items():
            if key in decided and key not in undecided_checks:
                out[key] = rule
            else:
                out[key] = replace(rule, classification="undecided", reason=why)
        return out
    return {key: Rule(key, r["section"], r["passage"], r["classification"], r["reason"],
                      r.get("other_section", ""), r.get("other_passage", ""))
            for key, r in data["rules"].items()}


@functools.lru_cache(maxsize=None)
def undecided_checks(api_version: str) -> frozenset[str]:
    data = _read(api_version) or {}
    return frozenset(data.get("undecided_checks", ()))


def rule_key(finding: Finding) -> str:
    """The table key of the rule ``finding`` rests on."""
    explicit = finding.extra.get("rule_key")
    if explicit:
        return explicit
    if finding.check in OUTCOME_CHECKS:
        label = finding.extra.get("rule") or ""
        if not label:
            return "label:valid"
        if label.startswith("wire:"):
            return "wire:" + label.split(":")[1]
        return "label:" + label.split(":")[0]
    if finding.check.startswith("deleted-"):
        return "deleted-*"
    return finding.check


def rule_for(finding: Finding, api_version: str) -> Rule | None:
    return load_rule_table(api_version).get(rule_key(finding))


def enforce(finding: Finding, api_version: str) -> Finding:
    """``finding`` as the spec supports it: a violation only where its rule is stated."""
    if finding.severity is not Severity.VIOLATION:
        return finding
    key = rule_key(finding)
    table = load_rule_table(api_version)
    rule = table.get(key)
    if rule is None:
        why = (f"no passage of API {api_version} is recorded for rule {key!r}" if table
               else f"API {api_version} has no rule table: its sources decide nothing here")
        return _lowered(finding, Severity.WARNING, why, key, "undecided")
    if rule.classification == "stated" and finding.check not in undecided_checks(api_version):
        return finding
    if rule.classification == "conflicting":
        return _lowered(finding, Severity.SPEC_CONFLICT, "the spec says both: " + rule.quote()
                        + f"; {rule.reason}", key, rule.classification)
    if rule.classification == "undecided" or finding.check in undecided_checks(api_version):
        return _lowered(finding, Severity.WARNING, f"the sources of API {api_version} do not "
                        f"decide this: {rule.reason}", key, "undecided")
    return _lowered(finding, Severity.WARNING, f"the spec {rule.classification} this but does "
                    f"not state it: {rule.quote()}; {rule.reason}", key, rule.classification)


def enforce_all(findings: Iterable[Finding], api_version: str) -> list[Finding]:
    return [enforce(f, api_version) for f in findings]


def _lowered(finding: Finding, severity: Severity, why: str, key: str,
             classification: str) -> Finding:
    extra = {**finding.extra, "rule_key": key, "classification": classification}
    return replace(finding, severity=severity, message=f"{finding.message} ({why})", extra=extra)
