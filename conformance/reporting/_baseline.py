"""Baselines: the deviations a team accepts for its target.

A baseline accepts defects (``{"format": 2, "defects": [{"id", "title", "reason", ...}]}``,
written by ``ec2-conformance baseline``): accepting "namespace is 2016-11-15" once
covers every action it touches, including actions a later run reaches for the first
time; a defect not in the baseline fails the run.  Also read: a baseline file of the
first format (``{"accepted": [{"signature", ...}]}``: findings accepted one by one,
matched by signature as before) and a previous run's ``results.json`` (its defects, or
for one written before defects existed, its findings' signatures).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..outcome import Severity

BASELINE_FORMAT = 2


class BaselineError(ValueError):
    pass


@dataclass
class Baseline:
    defects: dict[str, dict[str, Any]] = field(default_factory=dict)  # defect id -> entry
    signatures: dict[str, dict[str, Any]] = field(default_factory=dict)  # finding signature

    def __contains__(self, signature: object) -> bool:  # the first format's question
        return signature in self.signatures

    def __iter__(self):
        return iter([*self.defects, *self.signatures])

    def __len__(self) -> int:
        return len(self.defects) + len(self.signatures)


def load_baseline(path: Path) -> Baseline:
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaselineError(f"cannot read baseline {path}: {exc}") from None
    if not isinstance(data, dict):
        raise BaselineError(f"{path} is neither a baseline file nor a results.json")
    baseline = Baseline()
    source = "present in baseline run " + str((data.get("run") or {}).get("id"))
    if isinstance(data.get("defects"), list):  # a baseline file, or a results.json with defects
        for entry in data["defects"]:
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                raise BaselineError(f"{path}: every defect entry needs an 'id'")
            reason = entry.get("reason") or source
            baseline.defects[entry["id"]] = {"reason": reason, **{
                k: entry.get(k) for k in ("title", "severity", "checks", "actions")}}
        return baseline
    if isinstance(data.get("accepted"), list):  # first format: findings one by one
        entries = data["accepted"]
    elif isinstance(data.get("findings"), list):  # a results.json from before defects
        entries = [{**f, "reason": source} for f in data["findings"]]
    else:
        raise BaselineError(f"{path} is neither a baseline file nor a results.json; write one "
                            "with: ec2-conformance baseline RESULTS_JSON --reason TEXT -o FILE")
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("signature"), str):
            raise BaselineError(f"{path}: every entry needs a 'signature' (migrate it with: "
                                "ec2-conformance baseline RESULTS_JSON --reason TEXT -o FILE)")
        baseline.signatures[entry["signature"]] = {
            k: entry.get(k) for k in ("reason", "check", "action", "message")}
    return baseline


def apply_baseline(document: dict[str, Any], baseline: Baseline | dict[str, dict[str, Any]],
                   source: str) -> None:
    """Mark defects and findings new/accepted and list fixed ones, in place."""
    if not isinstance(baseline, Baseline):  # a plain {signature: entry} map
        baseline = Baseline(signatures=dict(baseline))
    by_id = {f["id"]: f for f in document["findings"]}
    present_defects, present_signatures = set(), set()
    new, accepted = [], []
    for defect in document.get("defects", ()):
        present_defects.add(defect["id"])
        entry = baseline.defects.get(defect["id"])
        members = [by_id[i] for i in defect["findings"] if i in by_id]
        for finding in members:
            present_signatures.add(finding["signature"])
            hit = entry or baseline.signatures.get(finding["signature"])
            finding["baseline"] = "accepted" if hit else "new"
            if hit:
                finding["baseline_reason"] = hit.get("reason")
                accepted.append(finding["id"])
            else:
                new.append(finding["id"])
        defect["baseline"] = ("accepted" if members and all(
            f["baseline"] == "accepted" for f in members) else "new")
        if entry:
            defect["baseline_reason"] = entry.get("reason")
    for finding in document["findings"]:  # a document without defects (first format)
        if "baseline" not in finding:
            present_signatures.add(finding["signature"])
            hit = baseline.signatures.get(finding["signature"])
            finding["baseline"] = "accepted" if hit else "new"
            (accepted if hit else new).append(finding["id"])
            if hit:
                finding["baseline_reason"] = hit.get("reason")
    document["baseline"] = {
        "source": source, "new": new, "accepted": accepted,
        "fixed": [{"signature": sig, **entry} for sig, entry in sorted(baseline.signatures.items())
                  if sig not in present_signatures],
        "new_defects": [d["id"] for d in document.get("defects", ())
                        if d["baseline"] == "new" and Severity(d["severity"]).fails],
        "accepted_defects": [d["id"] for d in document.get("defects", ())
                             if d["baseline"] == "accepted"],
        "fixed_defects": [{"id": ident, **entry} for ident, entry in sorted(baseline.defects.items())
                          if ident not in present_defects],
    }


def failing_findings(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Findings that fail the run: failing severity, and not accepted by a baseline."""
    return [f for f in document["findings"]
            if Severity(f["severity"]).fails and f.get("baseline") != "accepted"]


def baseline_from_results(document: dict[str, Any], reason: str) -> dict[str, Any]:
    """A baseline accepting every defect of ``document`` (its findings' defects, for a
    results.json written before defects existed: they are grouped here)."""
    defects = document.get("defects")
    if defects is None:
        from ._defects import build_defects

        defects = build_defects([dict(f) for f in document["findings"]],
                                (document.get("run") or {}).get("api_version") or "2014-10-01")
    return {"format": BASELINE_FORMAT,
            "defects": [{"id": d["id"], "title": d["title"], "severity": d["severity"],
                         "checks": d["checks"], "actions": sorted(d["actions"]),
                         "reason": reason} for d in defects]}
