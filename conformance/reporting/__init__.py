"""Reporting: results.json (with a committed JSON Schema), junit.xml, index.html, examples.

All three outputs are rendered from one results document built by
``build_document``; baselines mark findings new/accepted and list fixed ones.
"""

from ._baseline import (BaselineError, apply_baseline, baseline_from_results, failing_findings,
                        load_baseline)
from ._examples import curl_line, reproduce_line
from ._html import render_html
from ._report import action_score, build_document, merge_results
from ._writer import HTML, JUNIT, RESULTS, load_document, write_report

RESULTS_SCHEMA = "results.schema.json"

__all__ = ["BaselineError", "HTML", "JUNIT", "RESULTS", "RESULTS_SCHEMA", "action_score",
           "apply_baseline", "baseline_from_results", "build_document", "curl_line",
           "failing_findings", "load_baseline", "load_document", "merge_results", "render_html",
           "reproduce_line", "write_report"]
