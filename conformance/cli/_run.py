"""``ec2-conformance run``: the suite against a target, through the pytest plugin.

It runs ``ec2_conformance.suite`` with pytest (and pytest-xdist for workers),
so ``pytest --pyargs ec2_conformance.suite --ec2-...`` gives the same results;
the plugin arguments are derived from the option table (``options.py``).
Exit codes: 0 conformant, 1 failing findings (new ones, given a baseline),
2 usage or infrastructure error (also: the target stopped answering), 124
``--deadline`` reached, 130 interrupted (SIGINT), 143 terminated (SIGTERM); the
report of what finished is written in every case but 2-before-the-start.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from .. import options as run_options
from .._suite_support import new_run_id, unit_count
from ._errors import (EXIT_DEADLINE, EXIT_FINDINGS, EXIT_INTERRUPTED, EXIT_OK,
                      EXIT_TERMINATED, EXIT_USAGE, ToolError)
from ._progress import Progress
from ._target import (add_endpoint_options, catalog_for, check_endpoint_url, check_reachable,
                      client_for, options_of)


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("run", help="run the conformance suite and write a report")
    add_endpoint_options(parser)
    run_options.add_arguments(parser, run_options.RUN, run_options.CLI)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, **changes) -> int:
    """``changes``: options a command sets beyond its arguments (``diff`` replaying a
    cassette runs the recording's seed and budgets)."""
    started = time.monotonic()
    options = options_of(args, **changes)
    run_id = new_run_id()
    options = options.but(run_id=run_id,
                          report_dir=options.report_dir or Path("reports") / run_id)
    _announce(options)  # first, before anything that can take time
    _validate(options)
    try:
        options.report_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ToolError(f"cannot create report directory {options.report_dir}: {exc}") from None
    if options.endpoint:
        with client_for(args, options.endpoint, embedded=False) as client:
            check_reachable(client)
    if options.deadline is not None:  # the check above counts against the budget
        left = options.deadline - (time.monotonic() - started)
        if left <= 0:
            raise ToolError("the --deadline was reached before the suite started")
        options = options.but(deadline=left)

    progress = Progress(report_dir=options.report_dir, timeout=options.timeout)
    code = progress.run_pytest(pytest_argv(options), deadline=options.deadline)
    for line in progress.errors:
        sys.stderr.write(f"ec2-conformance: could not run {line}\n")
    return _conclude(options, progress, code, time.monotonic() - started)


def _validate(options: run_options.RunOptions) -> None:
    from ..catalog.profiles import UnknownProfile, load_profile
    from ..reporting import BaselineError, load_baseline

    catalog = catalog_for(options.api_version)
    if options.actions and not catalog.select(options.actions):
        raise ToolError(f"no action matches {' '.join(options.actions)}")
    if options.machines:
        from ..machines import MACHINES

        unknown = sorted(set(options.machines) - set(MACHINES))
        if unknown:
            raise ToolError(f"unknown machine {unknown[0]!r}; known: {', '.join(sorted(MACHINES))}")
    try:
        load_profile(options.profile)
        if options.baseline:
            load_baseline(options.baseline)
    except (UnknownProfile, BaselineError) as exc:
        raise ToolError(str(exc)) from None
    if options.endpoint:
        from ..target import is_loopback

        check_endpoint_url(options.endpoint)
        if options.suite == "stateful" and not is_loopback(options.endpoint) \
                and not options.allow_mutations:
            raise ToolError("nothing to run: the state machines create and delete resources; "
                            "against a non-loopback endpoint pass --allow-mutations")


def _announce(options: run_options.RunOptions) -> None:
    """The first line, before anything can be slow: what runs against what."""
    target = options.endpoint or "an embedded moto server"
    suites = {"all": "stateless and stateful suites", "stateless": "stateless suite",
              "stateful": "stateful suite"}[options.suite]
    extra = f", deadline {options.deadline:g}s" if options.deadline else ""
    if options.against:
        target += f", compared with {options.against}"
    if options.record:
        target += f", recorded to {options.record}"
    sys.stderr.write(f"ec2-conformance: running the {suites} against {target} "
                     f"(timeout {options.timeout:g}s per request{extra}); "
                     f"report: {options.report_dir}\n")
    sys.stderr.flush()


def pytest_argv(options: run_options.RunOptions) -> list[str]:
    # --noconftest: pytest would otherwise load conftest.py files of the directory ``run``
    # is started in (and its test*/ folders) into the suite.
    # no:unraisableexception: its garbage collection passes at the session's end cost
    # 0.2 s of every run and watch the suite's own code, not the target.
    argv = ["--pyargs", "ec2_conformance.suite", "-p", "no:terminal", "-p", "no:cacheprovider",
            "-p", "no:unraisableexception", "-c", os.devnull, "--rootdir", str(options.report_dir), "--noconftest",
            *run_options.to_pytest_args(options)]
    # No more workers than items: each worker is a process that imports the suite and
    # builds its own world (about 2 s of CPU), and one with nothing to run only costs.
    workers = min(options.workers, unit_count(options))
    if workers > 1:
        argv += ["-n", str(workers)]
    return argv


def _conclude(options: run_options.RunOptions, progress: Progress, code: int,
              wall: float) -> int:
    from ..reporting import failing_findings, load_document

    results = options.report_dir / "results.json"
    if not results.is_file():
        if progress.ended_by:
            raise ToolError(f"{progress.ended_by} before any result was written")
        raise ToolError(f"the suite ended without a report (pytest exit code {code})")
    document = load_document(results)
    _print_summary(document, options.report_dir)
    _print_figures(document, wall, options)
    if progress.stopped_kind == "unhealthy":
        raise ToolError(f"stopped: {progress.stopped}; partial report written")
    if progress.terminated:
        sys.stderr.write("ec2-conformance: terminated (SIGTERM); partial report written\n")
        return EXIT_TERMINATED
    if progress.stopped_kind == "deadline" or progress.deadline_passed:
        sys.stderr.write("ec2-conformance: the --deadline was reached; partial report "
                         "written\n")
        return EXIT_DEADLINE
    if progress.interrupted or code == EXIT_INTERRUPTED:
        return EXIT_INTERRUPTED
    if progress.errors and not document["actions"]:
        raise ToolError("no part of the suite could run; see the lines above")
    if progress.errors:
        return EXIT_USAGE  # an incomplete run must not pass as conformant
    return EXIT_FINDINGS if failing_findings(document) else EXIT_OK


# The default run's goal (issue 16): on 2 cores within 5 minutes, and every implemented
# action at least 25 examples, 10 of them valid and reaching success.
GOAL_SECONDS, GOAL_EXAMPLES, GOAL_SUCCESSES = 300, 25, 10


def _print_figures(document: dict, wall: float, options=None) -> None:
    print(figures_line(document, wall, default_run=options is None or _is_default(options)))


def _is_default(options: run_options.RunOptions) -> bool:
    """Every action and machine of the embedded target with the default budget."""
    return (not options.endpoint and not options.actions and not options.machines
            and not options.shard and options.suite == "all"
            and options.max_examples >= GOAL_EXAMPLES)


def figures_line(document: dict, wall: float, *, default_run: bool = True) -> str:
    """What the run afforded: requests, examples per implemented action, wall time; on a
    default run, whether the goal was met and, if not, what fell short."""
    rows = [a for a in document["actions"] if a["suite"] == "stateless"
            and not a["not_implemented"]]
    sent = sum(a.get("requests", 0) for a in document["actions"])
    line = f"figures: {sent:,} requests in {_minutes(wall)}"
    if not rows:
        return line

    def low(key):
        return min(a[key] for a in rows)

    line += (f"; per implemented action ({len(rows)}): at least {low('examples')} examples, "
             f"{low('valid_examples')} valid, {low('successes')} reaching success "
             f"(median {sorted(a['successes'] for a in rows)[len(rows) // 2]})")
    if not default_run:
        return line
    short = [f"{a['action']} {a['successes']} of {a['valid_examples']} valid succeeded"
             if a["examples"] >= GOAL_EXAMPLES else f"{a['action']} {a['examples']} examples"
             for a in sorted(rows, key=lambda a: (a["successes"], a["action"]))
             if a["examples"] < GOAL_EXAMPLES or a["successes"] < GOAL_SUCCESSES]
    missed = ([f"{_minutes(wall)} is over {GOAL_SECONDS // 60} min"] if wall > GOAL_SECONDS
              else []) + ([f"{len(short)} action{'s' * (len(short) != 1)} short: "
                           + ", ".join(short)] if short else [])
    goal = (f"goal (at most {GOAL_SECONDS // 60} min on 2 cores; every implemented action "
            f"{GOAL_EXAMPLES} examples, {GOAL_SUCCESSES} valid reaching success)")
    return f"{line}\n{goal}: " + ("met" if not missed else "not met: " + "; ".join(missed))


def _minutes(seconds: float) -> str:
    return f"{seconds // 60:.0f} min {seconds % 60:02.0f} s"


def _print_summary(document: dict, report_dir: Path) -> None:
    print_summary(document, report_dir)


TOP_DEFECTS = 10


def print_summary(document: dict, report_dir: Path, out=None) -> None:
    """The run's end: its top defects (actions reached, id, one line each), then totals."""
    from ..outcome import Severity
    from ..reporting import failing_defects, totals_line

    out = out or sys.stdout
    defects = document.get("defects") or []
    failing = failing_defects(document)
    shown = failing or [d for d in defects if Severity(d["severity"]).fails]
    if shown:
        label = "new " if "baseline" in document else ""
        print(f"top {label}defects ({min(len(shown), TOP_DEFECTS)} of {len(shown)}):", file=out)
        for d in shown[:TOP_DEFECTS]:
            reach = f"{d['reach']} action{'s' * (d['reach'] != 1)}"
            print(f"  {reach:>11}  {d['id']}  {d['title'][:110]}", file=out)
    summary = document["summary"]
    score = summary.get("score")
    score_text = f"{score * 100:.1f}%" if score is not None else "n/a (no stateless action ran)"
    others = ", ".join(f"{n} {sev}" for sev, n in (summary.get("defects") or {}).items()
                       if n and not Severity(sev).fails)
    print(f"{totals_line(document)}; score {score_text}"
          + (f"; other defects: {others}" if others else ""), file=out)
    if "baseline" in document:
        b = document["baseline"]
        print(f"baseline: {len(b.get('new_defects', []))} new failing defect(s), "
              f"{len(b.get('accepted_defects', []))} accepted, "
              f"{len(b.get('fixed_defects', [])) + len(b.get('fixed', []))} fixed", file=out)
    print(f"report: {report_dir / 'index.html'}  (summary: {report_dir / 'summary.md'})",
          file=out)
