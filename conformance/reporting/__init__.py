"""Reporting: results.json (with a committed JSON Schema), junit.xml, index.html,
summary.md, examples/.

Every output is rendered from one results document built by ``build_document``,
which groups findings into defects (one cause, wherever it shows); baselines
accept defects and mark them new/accepted/fixed.
"""

from ._baseline import (Baseline, BaselineError, apply_baseline, baseline_from_results,
                        failing_findings, load_baseline)
from ._checks_list import list_of_checks
from ._defects import build_defects, failing_defects
from ._examples import curl_line, reproduce_line
from ._html import render_html
from ._markdown import render_markdown, totals_line
from ._report import action_score, build_document, merge_results
from ._writer import (FORMATS, HTML, JUNIT, RESULTS, SUMMARY, add_commands, load_document,
                      render_report, render_text, upgrade_document, write_report)

RESULTS_SCHEMA = "results.schema.json"

__all__ = ["Baseline", "BaselineError", "FORMATS", "HTML", "add_commands", "render_text",
           "upgrade_document", "JUNIT", "RESULTS", "RESULTS_SCHEMA", "SUMMARY",
           "action_score", "apply_baseline", "baseline_from_results", "build_defects",
           "build_document", "curl_line", "failing_defects", "failing_findings", "list_of_checks",
           "load_baseline", "load_document", "merge_results", "render_html",
           "render_markdown", "render_report", "reproduce_line", "totals_line", "write_report"]
