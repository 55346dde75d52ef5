"""``ec2-conformance baseline RESULTS_JSON``: accept a run's defects as known deviations.

The baseline lists defects (one cause each, whatever actions it touched); a
results.json written before defects existed is grouped into defects first, so
running this on an old run's results migrates its baseline too.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ._errors import ToolError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("baseline", help="write a baseline file from a results.json")
    parser.add_argument("results", type=Path, metavar="RESULTS_JSON")
    parser.add_argument("--reason", required=True,
                        help="why these defects are accepted (kept with every entry)")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE",
                        help="write here (default: standard output)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..reporting import baseline_from_results

    try:
        document = json.loads(args.results.read_text("utf-8"))
        findings = document["findings"]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise ToolError(f"{args.results} is not a readable results.json: {exc}") from None
    if not isinstance(findings, list):
        raise ToolError(f"{args.results} is not a readable results.json: no findings list")
    try:
        baseline = baseline_from_results(document, args.reason)
    except (KeyError, TypeError, ValueError) as exc:
        raise ToolError(f"{args.results} is not a readable results.json: {exc}") from None
    text = json.dumps(baseline, indent=1) + "\n"
    if args.output:
        try:
            args.output.write_text(text, "utf-8")
        except OSError as exc:
            raise ToolError(f"cannot write {args.output}: {exc}") from None
        print(f"{len(baseline['defects'])} accepted defect(s) written to {args.output}",
              file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
