"""``ec2-conformance run``: the suite against a target, through the pytest plugin.

It runs ``ec2_conformance.suite`` with pytest (and pytest-xdist for workers),
so ``pytest --pyargs ec2_conformance.suite --ec2-...`` gives the same results.
Exit codes: 0 conformant, 1 failing findings (new ones, given a baseline),
2 usage or infrastructure error, 130 interrupted (after the partial report).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from .._suite_support import new_run_id
from ._errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, ToolError, positive_int
from ._progress import Progress
from ._target import add_endpoint_options, catalog_for, check_reachable, client_for

EXIT_INTERRUPTED = 130


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("run", help="run the conformance suite and write a report")
    add_run_options(parser)
    parser.add_argument("--workers", type=positive_int, default=min(os.cpu_count() or 1, 4),
                        metavar="N", help="parallel processes (pytest-xdist)")
    parser.set_defaults(handler=run)


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """The options of a run (``diff`` and ``record`` take them too)."""
    add_endpoint_options(parser)
    parser.add_argument("--profile", default="aws-2014-10-01", metavar="NAME",
                        help="target profile the run is judged by (default: the spec)")
    parser.add_argument("--actions", nargs="+", metavar="GLOB", help="only these actions")
    parser.add_argument("--suite", choices=("stateless", "stateful", "all"), default="all")
    parser.add_argument("--machines", nargs="+", metavar="NAME",
                        help="only these state machines (default: all five)")
    parser.add_argument("--max-examples", type=positive_int, default=10, metavar="N",
                        help="Hypothesis examples per action (default 10)")
    parser.add_argument("--stateful-steps", type=positive_int, default=20, metavar="N")
    parser.add_argument("--seed", type=int, default=None, metavar="N")
    parser.add_argument("--report-dir", type=Path, metavar="DIR",
                        help="where to write the report (default: reports/<run id>/)")
    parser.add_argument("--baseline", type=Path, metavar="RESULTS_JSON",
                        help="accepted findings (a baseline file or an earlier results.json)")
    parser.add_argument("--allow-mutations", action="store_true",
                        help="against a non-loopback endpoint, run actions that change state")


def run(args: argparse.Namespace, extra: tuple[str, ...] = ()) -> int:
    from ..catalog.profiles import UnknownProfile, load_profile
    from ..reporting import BaselineError, failing_findings, load_baseline, load_document

    catalog = catalog_for(args.api_version)
    if args.actions and not catalog.select(args.actions):
        raise ToolError(f"no action matches {' '.join(args.actions)}")
    if args.machines:
        from ..machines import MACHINES

        unknown = sorted(set(args.machines) - set(MACHINES))
        if unknown:
            raise ToolError(f"unknown machine {unknown[0]!r}; known: {', '.join(sorted(MACHINES))}")
    try:
        load_profile(args.profile)
        if args.baseline:
            load_baseline(args.baseline)
    except (UnknownProfile, BaselineError) as exc:
        raise ToolError(str(exc)) from None
    if args.endpoint:
        from ..target import is_loopback

        if args.suite == "stateful" and not is_loopback(args.endpoint) \
                and not args.allow_mutations:
            raise ToolError("nothing to run: the state machines create and delete resources; "
                            "against a non-loopback endpoint pass --allow-mutations")
        with client_for(args, args.endpoint, embedded=False) as client:
            check_reachable(client)
    run_id = new_run_id()
    report_dir = args.report_dir or Path("reports") / run_id
    try:
        report_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ToolError(f"cannot create report directory {report_dir}: {exc}") from None

    code, errors = _run_pytest(args, run_id, report_dir, extra)
    for line in errors:
        sys.stderr.write(f"ec2-conformance: could not run {line}\n")
    results = report_dir / "results.json"
    if not results.is_file():
        raise ToolError(f"the suite ended without a report (pytest exit code {code})")
    document = load_document(results)
    _print_summary(document, report_dir)
    if code == EXIT_INTERRUPTED:
        return EXIT_INTERRUPTED
    if errors and not document["actions"]:
        raise ToolError("no part of the suite could run; see the lines above")
    if errors:
        return EXIT_USAGE  # an incomplete run must not pass as conformant
    return EXIT_FINDINGS if failing_findings(document) else EXIT_OK


def _run_pytest(args: argparse.Namespace, run_id: str, report_dir: Path,
                extra: tuple[str, ...] = ()) -> tuple[int, list[str]]:
    import pytest

    argv = ["--pyargs", "ec2_conformance.suite", "-p", "no:terminal", "-p", "no:cacheprovider",
            "-c", os.devnull, "--rootdir", str(report_dir),
            "--ec2-region", args.region, "--ec2-api-version", args.api_version,
            "--ec2-profile", args.profile, "--ec2-suite", args.suite,
            "--ec2-max-examples", str(args.max_examples),
            "--ec2-stateful-steps", str(args.stateful_steps),
            "--ec2-report-dir", str(report_dir), "--ec2-run-id", run_id]
    if args.endpoint:
        argv += ["--ec2-endpoint", args.endpoint]
    for pattern in args.actions or ():
        argv += ["--ec2-actions", pattern]
    for name in args.machines or ():
        argv += ["--ec2-machines", name]
    if args.seed is not None:
        argv += ["--ec2-seed", str(args.seed)]
    if args.baseline:
        argv += ["--ec2-baseline", str(args.baseline)]
    if args.allow_mutations:
        argv.append("--ec2-allow-mutations")
    if args.workers > 1:
        argv += ["-n", str(args.workers)]
    argv += list(extra)
    progress = Progress()
    previous = signal.signal(signal.SIGINT, progress.interrupt)
    try:
        code = int(pytest.main(argv, plugins=[progress]))
    except KeyboardInterrupt:
        code = EXIT_INTERRUPTED
    finally:
        signal.signal(signal.SIGINT, previous)
        progress.finish()
    if progress.interrupted:
        return EXIT_INTERRUPTED, progress.errors
    if code == int(pytest.ExitCode.INTERRUPTED):
        return EXIT_INTERRUPTED, progress.errors
    if code in (int(pytest.ExitCode.USAGE_ERROR), int(pytest.ExitCode.INTERNAL_ERROR)):
        raise ToolError(f"the suite could not run (pytest exit code {code})")
    return code, progress.errors


def _print_summary(document: dict, report_dir: Path) -> None:
    from ..reporting import failing_findings

    summary = document["summary"]
    counts = ", ".join(f"{n} {sev}" for sev, n in summary["findings"].items() if n)
    score = summary.get("score")
    score_text = f"{score * 100:.1f}%" if score is not None else "n/a"
    print(f"{summary['actions']} actions, {summary['examples']} requests; score {score_text}; "
          f"findings: {counts or 'none'}")
    if "baseline" in document:
        b = document["baseline"]
        print(f"baseline: {len(b['new'])} new, {len(b['accepted'])} accepted, "
              f"{len(b['fixed'])} fixed")
    print(f"{len(failing_findings(document))} failing finding(s)")
    print(f"report: {report_dir / 'index.html'}")
