"""``summary.md``: the run in Markdown for a CI job's summary page (score, defects,
new and fixed against a baseline), rendered from the lean document."""

from __future__ import annotations

from typing import Any

from ..outcome import Severity

TOP = 50  # defects listed; the rest are one click away in index.html


def render_markdown(document: dict[str, Any]) -> str:
    run, summary = document["run"], document["summary"]
    defects = document.get("defects") or []
    failing = [d for d in defects if Severity(d["severity"]).fails]
    lines = [f"# EC2 conformance: {_text(run.get('endpoint'))}", ""]
    lines.append(f"**Score {_score(summary.get('score'))}** · "
                 f"{totals_line(document)} · run `{run.get('id')}` "
                 f"({run.get('started')} → {run.get('ended')})")
    if run.get("shards"):
        lines.append(f"\nMerged from {len(run['shards'])} shards: "
                     + ", ".join(f"`{s}`" for s in run["shards"]))
    if run.get("interrupted"):
        lines.append("\n**Interrupted: partial report.**")
    baseline = document.get("baseline")
    if baseline:
        lines += ["", f"Against baseline `{_text(baseline['source'])}`: "
                  f"**{len(baseline.get('new_defects', []))} new** failing defect(s), "
                  f"{len(baseline.get('accepted_defects', []))} accepted, "
                  f"{len(baseline.get('fixed_defects', [])) + len(baseline.get('fixed', []))} "
                  "fixed."]
    lines += ["", "## Defects", ""]
    if not defects:
        lines.append("No defects.")
    else:
        lines += ["| # | severity | actions | defect | checks | reproduce |",
                  "|---|---|---:|---|---|---|"]
        for n, d in enumerate(defects[:TOP], 1):
            mark = " **new**" if d.get("baseline") == "new" and d in failing else ""
            lines.append(f"| {n} | {d['severity']}{mark} | {d['reach']} | {_text(d['title'])} "
                         f"(`{d['id']}`) | {', '.join(d['checks'][:3])} | "
                         f"`{d['exemplar'].get('reproduce', '')}` |")
        if len(defects) > TOP:
            lines.append(f"\n{len(defects) - TOP} more defect(s) in index.html.")
    if baseline and (baseline.get("fixed_defects") or baseline.get("fixed")):
        lines += ["", "## Fixed since the baseline", ""]
        for entry in baseline.get("fixed_defects", []):
            lines.append(f"- `{entry['id']}` {_text(entry.get('title') or '')}")
        for entry in baseline.get("fixed", []):
            lines.append(f"- finding `{entry['signature']}` {_text(entry.get('message') or '')}")
    lines.append("")
    return "\n".join(lines)


def totals_line(document: dict[str, Any]) -> str:
    """``160 actions, 5 machines, 12,345 examples; 70 failing defects (1,000 findings)``.

    Examples, not requests: the figures line counts every request sent, the world's set-up
    and the machines' reads included."""
    summary = document["summary"]
    parts = []
    if summary.get("actions") or not summary.get("machines"):
        parts.append(f"{summary['actions']} action{'s' * (summary['actions'] != 1)}")
    if summary.get("machines"):
        parts.append(f"{summary['machines']} machine{'s' * (summary['machines'] != 1)}")
    parts.append(f"{summary['examples']:,} examples")
    failing = summary.get("failing_defects", 0)
    findings = summary.get("failing_findings", 0)
    return (", ".join(parts) + f"; {failing} failing defect{'s' * (failing != 1)} "
            f"({findings:,} failing finding{'s' * (findings != 1)})")


def _score(score: float | None) -> str:
    return f"{score * 100:.1f}%" if score is not None else "n/a (no stateless action ran)"


def _text(value: Any) -> str:
    """Table-safe: no pipes or newlines, no HTML."""
    return (str(value or "").replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")
            .replace(">", "&gt;"))
