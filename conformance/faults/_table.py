"""The detection table: text for the terminal, Markdown and JSON for the report directory."""

from __future__ import annotations

import json
from pathlib import Path

from ._selftest import SelftestReport

_HEADER = ("fault", "category", "detected", "by", "examples", "note")


def _cells(report: SelftestReport) -> list[tuple[str, ...]]:
    rows = []
    for row in report.rows:
        detected = "yes" if row.detected else "NO"
        by = ", ".join(row.by) or "-"
        examples = "-" if row.examples is None else (
            str(row.examples) if row.examples_exact else f"<={row.examples}")
        rows.append((row.name, row.category, detected, by, examples, row.note))
    return rows


def render_text(report: SelftestReport) -> str:
    cells = [_HEADER] + _cells(report)
    widths = [max(len(c[i]) for c in cells) for i in range(len(_HEADER) - 1)]
    lines = []
    for index, row in enumerate(cells):
        line = "  ".join(cell.ljust(width) for cell, width in zip(row, widths))
        lines.append((line + "  " + row[-1]).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths) + "  " + "-" * 4)
    lines += ["", _summary(report), _none_line(report)]
    return "\n".join(lines)


def _none_line(report: SelftestReport) -> str:
    none = report.none
    found = ", ".join(f"{k} {v}" for k, v in none["findings_by_check"].items()) or "nothing"
    noise = f"; noise between none runs: {len(none['noise'])}" if none["noise"] else ""
    units = f"{none['units']} unit" + ("s" if none["units"] != 1 else "")
    return f"none (the reference target itself, {units}): the suite reports {found}{noise}"


def render_markdown(report: SelftestReport) -> str:
    def esc(text: str) -> str:
        return text.replace("|", "\\|")

    lines = ["# ec2-conformance self-test", "", _summary(report), "",
             "| " + " | ".join(_HEADER) + " |", "|" + "---|" * len(_HEADER)]
    lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in _cells(report)]
    none = report.none
    lines += ["", "## The reference target itself (`none`)", "",
              "Failing and extension findings by check over "
              f"{none['units']} units (moto behind the reference guards): "
              + (", ".join(f"{k} {v}" for k, v in none["findings_by_check"].items()) or "none"),
              "", "Noise (differs between the two `none` runs of a stateless unit or of a "
              "machine's scenarios, never attributed): " + (", ".join(none["noise"]) or "none")]
    return "\n".join(lines) + "\n"


def _summary(report: SelftestReport) -> str:
    o = report.options
    return (f"detection rate {report.rate * 100:.1f}% ({report.detected}/{len(report.rows)} "
            f"faults); seed {o['seed']}, max-examples {o['max_examples']}, "
            f"{report.seconds:.0f}s")


def write_report(report: SelftestReport, directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = [directory / "selftest.json", directory / "selftest.md"]
    paths[0].write_text(json.dumps(report.to_json(), indent=1) + "\n", "utf-8")
    paths[1].write_text(render_markdown(report), "utf-8")
    return paths
