"""``ec2-conformance run``: run the suite against a target and write a report."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import uuid
from collections import Counter
from pathlib import Path

from .. import __version__
from ..engine import smoke_catalog
from ._errors import EXIT_FINDINGS, EXIT_OK, ToolError
from ._target import add_endpoint_options, catalog_for, check_reachable, client_for, endpoint_for


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("run", help="run the conformance suite and write a report")
    add_endpoint_options(parser)
    parser.add_argument("--actions", nargs="+", metavar="GLOB", help="only these actions")
    parser.add_argument("--report-dir", type=Path, metavar="DIR",
                        help="where to write the report (default: reports/<run id>/)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    catalog = catalog_for(args.api_version)
    actions = catalog.select(args.actions)
    if not actions:
        raise ToolError(f"no action matches {' '.join(args.actions)}")
    run_id = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:6]
    report_dir = args.report_dir or Path("reports") / run_id
    try:
        report_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ToolError(f"cannot create report directory {report_dir}: {exc}") from None
    started = dt.datetime.now(dt.timezone.utc)
    with endpoint_for(args) as (endpoint, embedded):
        with client_for(args, endpoint, embedded) as client:
            check_reachable(client)
            results = smoke_catalog(client, catalog, actions, progress=_progress)
    outcomes = Counter(r.outcome for r in results)
    report = {
        "run": {"id": run_id, "tool_version": __version__, "endpoint": endpoint,
                "embedded": embedded, "api_version": args.api_version,
                "started": started.isoformat(), "ended": dt.datetime.now(dt.timezone.utc).isoformat(),
                "suite": "smoke"},
        "summary": dict(outcomes),
        "actions": [r.to_json() for r in results],
    }
    (report_dir / "results.json").write_text(json.dumps(report, indent=1) + "\n", "utf-8")
    bad = outcomes["server-error"] + outcomes["not-xml"] + outcomes["transport-error"]
    print(f"{len(results)} actions: " + ", ".join(f"{v} {k}" for k, v in sorted(outcomes.items())))
    print(f"report: {report_dir / 'results.json'}")
    return EXIT_FINDINGS if bad else EXIT_OK


def _progress(result) -> None:
    if result.outcome in ("server-error", "not-xml", "transport-error"):
        sys.stdout.write(f"  {result.action}: {result.outcome} (HTTP {result.status})\n")
