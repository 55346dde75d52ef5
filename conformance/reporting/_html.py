"""The self-contained HTML report, rendered with Jinja2 from the results document."""

from __future__ import annotations

from typing import Any

import jinja2

from ._examples import curl_line, reproduce_line

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("ec2_conformance.reporting", "templates"),
    autoescape=jinja2.select_autoescape(["html", "j2"]),
    trim_blocks=True, lstrip_blocks=True,
)


def render_html(document: dict[str, Any]) -> str:
    """The page opens on the defects (ranked, filterable); matrix, actions and findings
    are one click away.  Only a defect's exemplar shows its exchange and curl line;
    every finding links to its example file."""
    run = document["run"]
    findings = document["findings"]
    by_id = {f["id"]: f for f in findings}
    for finding in findings:
        finding["reproduce"] = reproduce_line(finding["id"], run.get("endpoint"), run.get("embedded", False))
    defects = document.get("defects") or []
    exemplars = {}
    for defect in defects:
        finding = by_id.get(defect["exemplar"]["finding"], {})
        pairs = (finding.get("example") or {}).get("pairs") or []
        exemplars[defect["id"]] = {**finding, "curl": curl_line(
            pairs, run.get("endpoint") or "", run.get("region") or "us-east-1") if pairs else None}
    stateless = [a for a in document["actions"] if a["suite"] == "stateless"]
    # the action x check matrix: registered checks only (the other names are not run per action)
    checks = [c["name"] for c in document["checks"] if c.get("kind", "check") == "check"] or \
        sorted({name for a in stateless for name in a["checks_run"]})
    return _ENV.get_template("report.html.j2").render(
        doc=document, run=run, summary=document["summary"], findings=findings,
        actions=document["actions"], stateless=stateless, check_names=checks,
        data_types=_by_data_type(findings), baseline=document.get("baseline"),
        defects=defects, exemplars=exemplars,
        defect_checks=sorted({c for d in defects for c in d["checks"]}),
        finding_actions={f["id"]: f.get("action") or f["id"] for f in findings},
    )


def _by_data_type(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}
    for f in findings:
        if not f.get("data_type"):
            continue
        g = groups.setdefault(f["data_type"], {"name": f["data_type"], "findings": 0,
                                               "checks": set(), "actions": set()})
        g["findings"] += 1
        g["checks"].add(f["check"])
        g["actions"].add(f["action"] or "")
    return [{**g, "checks": sorted(g["checks"]), "actions": sorted(g["actions"])}
            for g in sorted(groups.values(), key=lambda g: -g["findings"])]
