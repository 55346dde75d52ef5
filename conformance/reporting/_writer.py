"""Write a run's report directory: results.json, junit.xml, index.html, summary.md,
examples/.

Full exchanges go to ``examples/``; the other files are rendered from the lean
document (``_lean``), which keeps a preview of each and links to the file.
Each file is written to a temporary name and renamed, so an interrupted write
never leaves a half file where a complete one stood.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ._examples import EXAMPLES_DIR, write_examples
from ._html import render_html
from ._junit import write_junit
from ._lean import lean_document
from ._markdown import render_markdown
from ._report import SCHEMA_VERSION

RESULTS, JUNIT, HTML, SUMMARY = "results.json", "junit.xml", "index.html", "summary.md"
FORMATS = {"json": RESULTS, "html": HTML, "markdown": SUMMARY, "junit": JUNIT}


def write_report(document: dict[str, Any], report_dir: Path) -> dict[str, Path]:
    report_dir.mkdir(parents=True, exist_ok=True)
    write_examples(document, report_dir)
    lean = lean_document(document)
    add_commands(lean, report_dir)
    return render_report(lean, report_dir)


def render_report(lean: dict[str, Any], report_dir: Path,
                  formats: tuple[str, ...] = ("json", "junit", "html", "markdown")) -> dict[str, Path]:
    """Write the chosen files of an already lean document (``report`` re-renders this way)."""
    paths = {}
    for fmt in formats:
        path = paths[fmt] = report_dir / FORMATS[fmt]
        tmp = path.with_name(path.name + ".tmp")
        if fmt == "junit":
            write_junit(lean, tmp)
        else:
            tmp.write_text(render_text(lean, fmt), "utf-8")
        os.replace(tmp, path)
    # the names the run and the tests know them by
    return {{"json": "results", "html": "html", "junit": "junit", "markdown": "summary"}[k]: v
            for k, v in paths.items()}


def render_text(lean: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(lean, indent=1, default=str) + "\n"
    if fmt == "html":
        return render_html(lean)
    if fmt == "markdown":
        return render_markdown(lean)
    raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")


def upgrade_document(document: dict[str, Any]) -> dict[str, Any]:
    """A results.json from before defects (schema version 1), as this version writes it:
    its findings grouped into defects, its exchanges cut to previews."""
    if document.get("schema_version", 1) >= SCHEMA_VERSION and "defects" in document:
        return document
    from ..outcome import Severity
    from ._defects import build_defects

    defects = build_defects(document["findings"],
                            (document.get("run") or {}).get("api_version") or "2014-10-01")
    document["defects"] = defects
    summary = document.setdefault("summary", {})
    summary["defects"] = {s.value: sum(1 for d in defects if d["severity"] == s.value)
                          for s in Severity}
    summary["failing_defects"] = sum(1 for d in defects if Severity(d["severity"]).fails)
    summary.setdefault("machines", sum(1 for a in document.get("actions", ())
                                       if a.get("suite") == "stateful"))
    document["schema_version"] = SCHEMA_VERSION
    return lean_document(document)


def add_commands(document: dict[str, Any], report_dir: Path) -> None:
    """Each defect's exemplar: its example file and the command that replays it."""
    by_id = {f["id"]: f for f in document["findings"]}
    for defect in document.get("defects", ()):
        exemplar = defect["exemplar"]
        finding = by_id.get(exemplar["finding"], {})
        example_file = finding.get("example_file")
        exemplar["example_file"] = example_file
        exemplar["reproduce"] = (f"ec2-conformance reproduce {report_dir / example_file}"
                                 if example_file else None)


def load_document(path: Path) -> dict[str, Any]:
    return json.loads(Path(path).read_text("utf-8"))


__all__ = ["EXAMPLES_DIR", "FORMATS", "HTML", "JUNIT", "RESULTS", "SUMMARY", "add_commands",
           "load_document", "render_report", "render_text", "upgrade_document", "write_report"]
