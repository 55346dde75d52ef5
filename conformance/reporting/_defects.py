"""Defects: findings grouped by root cause, across actions, suites and machines.

A finding is one cause on one action; a defect is one cause wherever it shows
(the namespace served on every action is one defect, not 228 findings).  Its
key is decided per family of checks in ``defects.json`` and computed by
``_facets``; its id is a hash of that key, so the same cause has the same id
on every run and seed, and a baseline can accept it once for every action.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from functools import lru_cache
from importlib import resources
from typing import Any

from ..outcome import Severity
from ._facets import FACETS, FacetContext

SEVERITY_ORDER = {s.value: i for i, s in enumerate(
    [Severity.VIOLATION, Severity.NOT_IMPLEMENTED, Severity.DIFFERENCE, Severity.FLAKY,
     Severity.SPEC_CONFLICT, Severity.WARNING, Severity.EXTENSION])}


class DefectTable:
    """``defects.json`` validated: every family names checks and known facets."""

    def __init__(self, data: dict[str, Any]):
        self.default = data["default"]
        self.families: dict[str, dict[str, Any]] = data["families"]
        self.same_rule = {k: v for k, v in data.get("same_rule", {}).items()
                          if not k.startswith("_")}
        self.rule_text = {k: v for k, v in data.get("rule_text", {}).items()
                          if not k.startswith("_")}
        self._by_check: dict[str, str] = {}
        self._dynamic: dict[str, str] = {}  # "@machine-rules" / "@invariants" -> family
        for name, family in [("default", self.default), *self.families.items()]:
            unknown = [f for f in family["key"] if f not in FACETS]
            if unknown or not family.get("title") or not family.get("why"):
                raise ValueError(f"defects.json: family {name!r} needs a key of known facets "
                                 f"({unknown or 'ok'}), a title and a why")
        for name, family in self.families.items():
            for check in family["checks"]:
                target = self._dynamic if check.startswith("@") else self._by_check
                if check in target:
                    raise ValueError(f"defects.json: {check!r} is in two families")
                target[check] = name

    def family_of(self, check: str, ctx: FacetContext) -> tuple[str, dict[str, Any]]:
        name = self._by_check.get(check)
        # A machine rule's own name first: an invariant may share it (the rule limit is
        # both what a refused request breaks and what a listing must never show).
        if name is None and check in ctx.machine_rules:
            name = self._dynamic.get("@machine-rules")
        if name is None and check in ctx.invariants:
            name = self._dynamic.get("@invariants")
        if name is None and ctx.is_machine_rule(check):
            name = self._dynamic.get("@machine-rules")
        if name is None:
            return check, self.default  # a check of its own: its name is its family
        return name, self.families[name]


@lru_cache(maxsize=1)
def load_table() -> DefectTable:
    text = resources.files(__package__).joinpath("defects.json").read_text("utf-8")
    return DefectTable(json.loads(text))


def defect_key(finding: dict[str, Any], ctx: FacetContext,
               table: DefectTable | None = None) -> tuple[str, dict[str, str], str]:
    """(family, facets, title) of one finding's cause."""
    table = table or load_table()
    family, spec = table.family_of(finding["check"], ctx)
    facets = {name: FACETS[name](finding, ctx) for name in spec["key"]}
    values = {"check": finding["check"], "action": finding.get("action") or "-", **facets}
    if "rule" in facets:
        values["rule_text"] = table.rule_text.get(facets["rule"]) or ctx.rule_description(
            facets["rule"]) or facets["rule"]
    for name in ("expected", "observed"):
        values.setdefault(name, FACETS[name](finding, ctx))
    title = spec["title"].format_map(values).replace(" (-)", "")  # a facet with nothing
    return family, facets, title


def defect_id(family: str, severity: str, facets: dict[str, str]) -> str:
    text = json.dumps([family, severity, facets], sort_keys=True)
    return "D" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def build_defects(findings: list[dict[str, Any]], api_version: str) -> list[dict[str, Any]]:
    """Group ``findings`` (results dicts) into defects; each finding gets ``defect``."""
    table = load_table()
    ctx = FacetContext(api_version, table.same_rule)
    defects: dict[str, dict[str, Any]] = {}
    for finding in findings:
        family, facets, title = defect_key(finding, ctx, table)
        ident = defect_id(family, finding["severity"], facets)
        finding["defect"] = ident
        defect = defects.get(ident)
        if defect is None:
            defect = defects[ident] = {
                "id": ident, "title": title, "family": family, "severity": finding["severity"],
                "key": facets, "checks": [], "actions": Counter(), "data_types": Counter(),
                "seen_in": [], "findings": [], "occurrences": 0, "exemplar": None}
        _add(defect, finding)
    out = [_finish(d, {f["id"]: f for f in findings}) for d in defects.values()]
    out.sort(key=lambda d: (SEVERITY_ORDER.get(d["severity"], 9), -d["reach"],
                            -d["occurrences"], d["title"]))
    return out


def _add(defect: dict[str, Any], finding: dict[str, Any]) -> None:
    defect["findings"].append(finding["id"])
    defect["occurrences"] += finding.get("occurrences", 1)
    if finding["check"] not in defect["checks"]:
        defect["checks"].append(finding["check"])
    for where in finding.get("seen_in") or [finding.get("suite", "stateless")]:
        if where not in defect["seen_in"]:
            defect["seen_in"].append(where)
    defect["actions"][_where(finding)] += finding.get("occurrences", 1)
    if finding.get("data_type"):
        defect["data_types"][finding["data_type"]] += finding.get("occurrences", 1)
    if defect["exemplar"] is None or _cost(finding) < _cost(defect["exemplar"]):
        defect["exemplar"] = finding


def _where(finding: dict[str, Any]) -> str:
    """The action a finding is about; an invariant (no action) counts for its machines."""
    if finding.get("action"):
        return finding["action"]
    machines = [s.split(":", 1)[1] for s in finding.get("seen_in") or () if ":" in s]
    return "machine " + "+".join(sorted(machines)) if machines else "(no action)"


def _cost(finding: dict[str, Any]) -> tuple:
    """Smallest first: a replayable example, fewest steps, fewest wire pairs."""
    example = finding.get("example") or {}
    steps = example.get("steps") or ()
    pairs = sum(len(s.get("pairs") or ()) for s in steps) + len(example.get("pairs") or ())
    return (not example, len(steps), pairs, finding["id"])


def _finish(defect: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> dict[str, Any]:
    exemplar = defect["exemplar"]
    quote = (exemplar.get("extra") or {}).get("quote")
    defect.update(
        checks=sorted(defect["checks"]), seen_in=sorted(defect["seen_in"]),
        actions=dict(sorted(defect["actions"].items())),
        data_types=dict(sorted(defect["data_types"].items())),
        reach=len(defect["actions"]), spec_ref=exemplar["spec_ref"],
        exemplar={"finding": exemplar["id"], "action": exemplar.get("action"),
                  "message": exemplar["message"], "expected": exemplar.get("expected"),
                  "observed": exemplar.get("observed"),
                  "replayable": bool(exemplar.get("example"))})
    if quote:
        defect["spec_quote"] = quote
    defect["findings"] = sorted(defect["findings"],
                                key=lambda i: (by_id[i].get("action") or "", i))
    return defect


def failing_defects(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Defects that fail the run: failing severity, not accepted by a baseline."""
    return [d for d in document.get("defects", ())
            if Severity(d["severity"]).fails and d.get("baseline") != "accepted"]
