"""Build the results document (what ``results.json`` holds) from engine results.

One function turns metadata plus per-action ``ActionResult``s into a plain
dict; JSON, JUnit and HTML writers all read that dict, so the three outputs
cannot disagree.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterable

from ..engine import ActionResult
from ..outcome import Severity
from ._defects import SEVERITY_ORDER, build_defects

SCHEMA_VERSION = 2


def merge_results(results: Iterable[ActionResult]) -> list[ActionResult]:
    """Merge results of the same (suite, action) from several workers."""
    merged: dict[tuple[str, str], ActionResult] = {}
    for result in results:
        key = (result.suite, result.action)
        if key not in merged:
            merged[key] = ActionResult.from_json(result.to_json())  # never mutate inputs
            continue
        into = merged[key]
        for attr in ("examples", "valid_examples", "successes", "invalid_examples"):
            setattr(into, attr, getattr(into, attr) + getattr(result, attr))
        into.not_implemented = into.not_implemented or result.not_implemented
        into.checks_run.update(result.checks_run)
        into.checks_failed.update(result.checks_failed)
        into.params_sent |= result.params_sent
        into.error_codes_seen |= result.error_codes_seen
        into.scenarios.update(result.scenarios)
        for name, counts in result.invariants.items():
            slot = into.invariants.setdefault(name, {"run": 0, "failed": 0})
            slot["run"] += counts.get("run", 0)
            slot["failed"] += counts.get("failed", 0)
        for record in result.findings.values():
            into.add_finding(record.finding, record.example)
            into.findings[record.finding.signature].occurrences += record.occurrences - 1
    return sorted(merged.values(), key=lambda r: (r.suite, r.action))


def action_score(result: ActionResult) -> float | None:
    """Share of check executions that passed; 0 for an unimplemented action."""
    if result.not_implemented:
        return 0.0
    run = sum(result.checks_run.values())
    if not run:
        return None
    return round((run - sum(result.checks_failed.values())) / run, 4)


def build_document(run: dict[str, Any], results: list[ActionResult], *,
                   checks: list[dict[str, str]], invariants: list[dict[str, str]],
                   catalog_params: dict[str, list[str]] | None = None) -> dict[str, Any]:
    actions, by_id = [], {}
    for result in results:
        row = result.to_json()
        row.pop("findings")
        row["checks_run_total"] = sum(result.checks_run.values())
        row["checks_failed_total"] = sum(result.checks_failed.values())
        row["score"] = action_score(result)
        row["finding_ids"] = sorted(result.findings)
        actions.append(row)
        for signature, record in result.findings.items():
            _add_finding(by_id, signature, record, result)
    findings = list(by_id.values())
    findings.sort(key=lambda f: (_SEVERITY_ORDER[f["severity"]], f["action"] or "", f["check"]))
    defects = build_defects(findings, run.get("api_version") or "2014-10-01")
    return {
        "schema_version": SCHEMA_VERSION,
        "run": run,
        "summary": _summary(results, findings, defects),
        "defects": defects,
        "actions": actions,
        "checks": checks,
        "invariants": _invariant_rows(results, invariants),
        "scenarios": _scenario_rows(results),
        "findings": findings,
        "coverage": _coverage(results, catalog_params or {}),
    }


def _add_finding(by_id: dict[str, dict[str, Any]], signature: str, record, result) -> None:
    """One entry per cause: the namespace finding that five machines and the stateless
    suite all meet is one finding seen in six places, with one ID to reproduce."""
    seen = result.suite if result.suite == "stateless" else f"stateful:{result.action}"
    item = record.to_json()
    item.update(id=signature, suite=result.suite, seen_in=[seen],
                exchange=record.example.exchange if record.example else None)
    known = by_id.get(signature)
    if known is None:
        by_id[signature] = item
        return
    known["occurrences"] += item["occurrences"]
    known["seen_in"].append(seen)
    if _replay_cost(item) < _replay_cost(known):  # keep the example quickest to replay
        for key in ("example", "exchange", "suite", "message", "observed", "extra"):
            known[key] = item.get(key)


def _replay_cost(item: dict[str, Any]) -> float:
    example = item.get("example")
    return float("inf") if example is None else len(example.get("steps") or ())


_SEVERITY_ORDER = SEVERITY_ORDER


def _summary(results: list[ActionResult], findings: list[dict[str, Any]],
             defects: list[dict[str, Any]]) -> dict[str, Any]:
    by_severity = Counter(f["severity"] for f in findings)
    scores = [s for s in (action_score(r) for r in results if r.suite == "stateless") if s is not None]
    failing = {f["action"] for f in findings if Severity(f["severity"]).fails}
    stateless = [r for r in results if r.suite == "stateless"]
    return {
        "findings": {s.value: by_severity.get(s.value, 0) for s in Severity},
        "failing_findings": sum(1 for f in findings if Severity(f["severity"]).fails),
        "defects": {s.value: sum(1 for d in defects if d["severity"] == s.value)
                    for s in Severity},
        "failing_defects": sum(1 for d in defects if Severity(d["severity"]).fails),
        "actions": len(stateless),
        "machines": sum(1 for r in results if r.suite == "stateful"),
        "conformant_actions": sum(1 for r in stateless if r.action not in failing),
        "not_implemented_actions": sum(1 for r in stateless if r.not_implemented),
        "actions_with_successes": sum(1 for r in stateless if r.successes),
        "examples": sum(r.examples for r in results),
        "score": round(sum(scores) / len(scores), 4) if scores else None,
    }


def _invariant_rows(results: list[ActionResult], described: list[dict[str, str]]):
    info = {d["name"]: d for d in described}
    counts: dict[str, dict[str, Any]] = {}
    for result in results:
        for name, c in result.invariants.items():
            row = counts.setdefault(name, {"name": name, "machines": [], "run": 0, "failed": 0,
                                           **{k: v for k, v in info.get(name, {}).items()
                                              if k in ("description", "spec_ref")}})
            row["machines"].append(result.action)
            row["run"] += c.get("run", 0)
            row["failed"] += c.get("failed", 0)
    for name, d in info.items():
        counts.setdefault(name, {"name": name, "machines": [], "run": 0, "failed": 0,
                                 "description": d.get("description", ""),
                                 "spec_ref": d.get("spec_ref", "")})
    return sorted(counts.values(), key=lambda r: r["name"])


def _coverage(results: list[ActionResult], catalog_params: dict[str, list[str]]):
    out = {}
    for result in results:
        if result.suite != "stateless":
            continue
        known = catalog_params.get(result.action, [])
        out[result.action] = {
            "params": {name: name in result.params_sent for name in known},
            "error_codes": sorted(result.error_codes_seen),
        }
    return out


def _scenario_rows(results: list[ActionResult]) -> list[dict[str, Any]]:
    """Each spec scenario a machine walked, and how far it got."""
    from ..machines import load_scenarios

    about = {s.name: s for s in load_scenarios()}
    return [{"machine": r.action, "name": name, "outcome": outcome,
             "why": about[name].why if name in about else "",
             "exercises": list(about[name].exercises) if name in about else []}
            for r in results if r.suite == "stateful" for name, outcome in r.scenarios.items()]
