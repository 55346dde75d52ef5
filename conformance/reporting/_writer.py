"""Write a run's report directory: results.json, junit.xml, index.html, examples/.

Each file is written to a temporary name and renamed, so an interrupted write
never leaves a half file where a complete one stood.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ._examples import write_examples
from ._html import render_html
from ._junit import write_junit

RESULTS, JUNIT, HTML = "results.json", "junit.xml", "index.html"


def write_report(document: dict[str, Any], report_dir: Path) -> dict[str, Path]:
    report_dir.mkdir(parents=True, exist_ok=True)
    write_examples(document, report_dir)
    paths = {"results": report_dir / RESULTS, "junit": report_dir / JUNIT,
             "html": report_dir / HTML}
    _atomic_text(paths["results"], json.dumps(document, indent=1, default=str) + "\n")
    tmp = paths["junit"].with_suffix(".xml.tmp")
    write_junit(document, tmp)
    os.replace(tmp, paths["junit"])
    _atomic_text(paths["html"], render_html(document))
    return paths


def load_document(path: Path) -> dict[str, Any]:
    return json.loads(Path(path).read_text("utf-8"))


def _atomic_text(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, "utf-8")
    os.replace(tmp, path)
