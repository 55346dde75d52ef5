"""``ec2-conformance report DIR``: render a finished run again, without re-running it.

``--format markdown -o -`` prints ``summary.md`` (a CI job summary page);
``--baseline FILE`` judges the finished run against a baseline.  A results.json
written before defects existed is grouped into defects on the way.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ._errors import ToolError

FORMAT_NAMES = ("markdown", "json", "html", "junit")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("report", help="render a finished run's report again")
    parser.add_argument("report_dir", type=Path, metavar="DIR",
                        help="a report directory (holding results.json)")
    parser.add_argument("--format", nargs="+", choices=FORMAT_NAMES, metavar="FORMAT",
                        help="markdown, json, html and/or junit (default: all but junit)")
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="write the one --format here ('-': standard output) instead of "
                             "into DIR")
    parser.add_argument("--baseline", type=Path, metavar="FILE",
                        help="judge the run against this baseline (or an earlier results.json)")
    parser.set_defaults(handler=run)


def load_run(report_dir: Path) -> dict:
    """DIR's results document, upgraded to this version's form; a one-line error if not."""
    from ..reporting import RESULTS, upgrade_document

    path = report_dir / RESULTS
    if not path.is_file():
        raise ToolError(f"{report_dir} holds no {RESULTS} (is it a report directory?)")
    try:
        document = json.loads(path.read_text("utf-8"))
        if not isinstance(document, dict) or not isinstance(document.get("findings"), list):
            raise ValueError("no findings list")
        return upgrade_document(document)
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ToolError(f"{path} is not a readable results.json: {type(exc).__name__}: "
                        f"{str(exc)[:200]}") from None


def apply_baseline_file(document: dict, baseline: Path) -> None:
    from ..reporting import BaselineError, apply_baseline, load_baseline

    try:
        apply_baseline(document, load_baseline(baseline), str(baseline))
    except BaselineError as exc:
        raise ToolError(str(exc)) from None


def run(args: argparse.Namespace) -> int:
    from ..reporting import add_commands, render_report, render_text

    formats = tuple(dict.fromkeys(args.format or ("json", "html", "markdown")))
    if args.output and len(formats) != 1:
        raise ToolError("--output takes exactly one --format")
    document = load_run(args.report_dir)
    if args.baseline:
        apply_baseline_file(document, args.baseline)
    add_commands(document, args.report_dir)
    if args.output:
        text = render_text(document, formats[0]) if formats[0] != "junit" else None
        if text is None:
            raise ToolError("junit cannot go to --output; render it into DIR")
        if args.output == "-":
            sys.stdout.write(text)
            return 0
        try:
            Path(args.output).write_text(text, "utf-8")
        except OSError as exc:
            raise ToolError(f"cannot write {args.output}: {exc}") from None
        return 0
    try:
        paths = render_report(document, args.report_dir, formats)
    except OSError as exc:
        raise ToolError(f"cannot write into {args.report_dir}: {exc}") from None
    for path in paths.values():
        print(path)
    return 0
