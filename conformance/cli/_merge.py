"""``ec2-conformance merge DIR... --report-dir OUT``: shard runs joined into one report.

Each shard's report directory keeps the raw per-action results its processes
wrote (``.parts/``); merging those is exactly what one run does with its
workers' parts, so the merged score, defects, baseline diff and coverage are
those of one run over the union.  Exit codes as ``run``: 1 when a failing
defect (a new one, given a baseline) remains.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ._errors import EXIT_FINDINGS, EXIT_OK, ToolError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("merge", help="merge shard runs (--shard K/N) into one report")
    parser.add_argument("dirs", nargs="+", type=Path, metavar="DIR",
                        help="report directories of the shards")
    parser.add_argument("--report-dir", type=Path, required=True, metavar="OUT")
    parser.add_argument("--baseline", type=Path, metavar="FILE",
                        help="accepted defects (a baseline file or an earlier results.json)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from .._suite_support import PARTS_DIR, new_run_id, read_parts
    from ..reporting import build_document, failing_findings, merge_results, write_report
    from ._report import apply_baseline_file, load_run
    from ._run import print_summary

    runs = []
    for folder in args.dirs:
        document = load_run(folder)
        if not any((folder / PARTS_DIR).glob("*.jsonl")):
            raise ToolError(f"{folder} has no {PARTS_DIR}/ results to merge (a run keeps them "
                            "beside its report; was it copied without them?)")
        runs.append(document)
    _same(runs, args.dirs, "api_version")
    _same(runs, args.dirs, "profile")
    if args.report_dir.resolve() in {d.resolve() for d in args.dirs}:
        raise ToolError("--report-dir must not be one of the merged directories")
    results = merge_results([r for folder in args.dirs for r in read_parts(folder)])
    meta = [d["run"] for d in runs]
    run_meta = {**meta[0], "id": new_run_id(), "shard": None,
                "shards": [m.get("id") for m in meta],
                "started": min(m.get("started") or "" for m in meta),
                "ended": max(m.get("ended") or "" for m in meta),
                "interrupted": any(m.get("interrupted") for m in meta),
                "seed": meta[0].get("seed") if len({m.get("seed") for m in meta}) == 1 else None,
                "suite": meta[0].get("suite") if len({m.get("suite") for m in meta}) == 1
                else "all",
                "examples": {k: sum(r.examples if k == "total" else getattr(r, f"{k}_examples")
                                    for r in results) for k in ("total", "valid", "invalid")}}
    invariants = {i["name"]: {k: i.get(k, "") for k in ("name", "description", "spec_ref")}
                  for d in runs for i in d.get("invariants", ())}
    params = {a: list(c.get("params", {})) for d in runs for a, c in d.get("coverage", {}).items()}
    document = build_document(run_meta, results, checks=runs[0].get("checks", []),
                              invariants=list(invariants.values()), catalog_params=params)
    if args.baseline:
        apply_baseline_file(document, args.baseline)
    try:
        write_report(document, args.report_dir)
    except OSError as exc:
        raise ToolError(f"cannot write the merged report to {args.report_dir}: {exc}") from None
    print(f"merged {len(args.dirs)} runs")
    print_summary(json.loads((args.report_dir / "results.json").read_text("utf-8")),
                  args.report_dir)
    return EXIT_FINDINGS if failing_findings(document) else EXIT_OK


def _same(runs: list[dict], dirs: list[Path], key: str) -> None:
    values = {d["run"].get(key) for d in runs}
    if len(values) > 1:
        raise ToolError(f"the runs differ in {key} ({', '.join(sorted(map(str, values)))}); "
                        "only shards of one run merge")
