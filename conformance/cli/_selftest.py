"""``ec2-conformance selftest``: inject each catalogued fault, measure what the suite detects.

Prints the detection table (fault, category, detected, by which checks or
invariants, examples needed) and writes ``selftest.json`` and ``selftest.md``
to the report directory.  Exit codes: 0 when the detection rate reaches
``--min-rate``, 1 when it does not, 2 on bad input.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ._errors import EXIT_FINDINGS, EXIT_OK, ToolError, positive_int


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("selftest", help="measure which injected faults the suite detects")
    parser.add_argument("--faults", nargs="+", metavar="NAME",
                        help="only these faults (default: the whole fault catalog)")
    parser.add_argument("--list", action="store_true", help="list the faults and exit")
    parser.add_argument("--max-examples", type=positive_int, default=5, metavar="N",
                        help="Hypothesis examples per action and phase (default 5; a fault "
                             "may ask for more)")
    parser.add_argument("--seed", type=int, default=None, metavar="N",
                        help="fixed seed (default: the self-test's own)")
    parser.add_argument("--stateful-steps", type=positive_int, default=15, metavar="N")
    parser.add_argument("--workers", type=positive_int, default=min(os.cpu_count() or 1, 2),
                        metavar="N", help="processes, each with its own moto server "
                                          "(default: up to 2)")
    parser.add_argument("--min-rate", type=_rate, default=0.95, metavar="R",
                        help="exit 1 below this detection rate (default 0.95)")
    parser.add_argument("--report-dir", type=Path, metavar="DIR",
                        help="where to write selftest.json and selftest.md "
                             "(default: reports/selftest-<run id>/)")
    parser.set_defaults(handler=run)


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{text} is not a rate between 0 and 1")
    return value


def run(args: argparse.Namespace) -> int:
    from ..faults import FaultError, SelftestOptions, load_fault_catalog, run_selftest
    from ..faults import DEFAULT_SEED, render_text, write_report

    try:
        catalog = load_fault_catalog()
        specs = catalog.select(args.faults)
    except FaultError as exc:
        raise ToolError(str(exc)) from None
    if args.list:
        for spec in catalog.faults.values():
            print(f"{spec.name:<38} {spec.category:<15} {spec.description}")
        return EXIT_OK
    if not specs:
        raise ToolError("no fault to run ('none' alone measures nothing)")
    report_dir = args.report_dir or Path("reports") / f"selftest-{_run_id()}"
    try:
        report_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ToolError(f"cannot create report directory {report_dir}: {exc}") from None
    options = SelftestOptions(faults=[s.name for s in specs], max_examples=args.max_examples,
                              seed=DEFAULT_SEED if args.seed is None else args.seed,
                              stateful_steps=args.stateful_steps, workers=args.workers)
    report = run_selftest(options, progress=_progress, catalog=catalog)
    print(render_text(report))
    for path in write_report(report, report_dir):
        print(f"wrote {path}")
    return EXIT_OK if report.rate >= args.min_rate else EXIT_FINDINGS


def _progress(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def _run_id() -> str:
    from .._suite_support import new_run_id

    return new_run_id()
