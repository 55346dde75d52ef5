#!/usr/bin/env python3
"""Where a run's time goes: a cProfile of one part of the default run, as a short table.

Usage: python benchmarks/profile_run.py stateless [--actions N] [--max-examples N] [--seed N]
       python benchmarks/profile_run.py machine NAME [--max-examples N] [--seed N]
       python benchmarks/profile_run.py report RESULTS_JSON

``stateless`` runs the throughput benchmark's actions (one process, an embedded moto
server, the engine as ``ec2-conformance run`` drives it); ``machine`` runs one state
machine as the engine does; ``report`` writes a finished run's report again.  Each
prints, per concern, the inclusive seconds under cProfile and the share of the whole.
The rows overlap where one concern calls another (sending includes waiting for the
server; generation includes a fresh resource a draw asks the world for).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

# concern -> (file suffix, function name): the inclusive time of that function
CONCERNS = {
    "stateless": [
        ("Hypothesis generation (draws)", "hypothesis/control.py", "prep_args_kwargs_from_strategies"),
        ("shrinking", "engine/_stateless.py", "_shrink_all"),
        ("world set-up (build)", "world/_world.py", "build"),
        ("world: fresh resources", "world/_world.py", "_make"),
        ("world: undo after each action", "world/_world.py", "release"),
        ("signing", "protocol/_signing.py", "sign"),
        ("sending (HTTP, with the server's time)", "protocol/_client.py", "_transmit"),
        ("  of which waiting for the server", "~", "<method 'recv_into' of '_socket.socket' objects>"),
        ("recording the exchange (redaction)", "protocol/_client.py", "_record"),
        ("checks (all)", "checks/_run.py", "run_checks_detailed"),
        ("  of which parse + XSD", "checks/_content.py", "schema"),
        ("control requests", "engine/_stateless.py", "_control"),
    ],
    "machine": [
        ("spec scenarios", "machines/_scenarios.py", "run_scenarios"),
        ("exploration (Hypothesis, with shrinking)", "machines/_runner.py", "_explore"),
        ("  of which shrinking", "conjecture/engine.py", "shrink_interesting_test_cases"),
        ("  steps sent", "machines/explore/_base.py", "send"),
        ("  invariant checks", "machines/explore/_base.py", "spec_invariants_hold"),
        ("state reads for invariants (in every phase)", "machines/invariants/_observe.py", "_fetch"),
        ("  waits for new resources", "machines/explore/_base.py", "wait_for"),
        ("  teardown after each example", "machines/_cleanup.py", "teardown"),
        ("minimizing findings (replays)", "machines/_runner.py", "_minimize"),
        ("sweep at the end", "machines/_cleanup.py", "sweep"),
        ("sleeping", "~", "<built-in method time.sleep>"),
        ("sending (HTTP, with the server's time)", "protocol/_client.py", "_transmit"),
        ("  of which waiting for the server", "~", "<method 'recv_into' of '_socket.socket' objects>"),
        ("signing", "protocol/_signing.py", "sign"),
        ("checks (all)", "checks/_run.py", "run_checks_detailed"),
    ],
}


def table(stats: pstats.Stats, concerns, total: float) -> str:
    lines = ["| concern | seconds | share |", "| --- | ---: | ---: |"]
    for label, suffix, name in concerns:
        seconds = max((ct for (path, _, fn), (_, _, _, ct, _) in stats.stats.items()
                       if fn == name and (suffix == "~" or path.endswith(suffix))), default=0.0)
        lines.append(f"| {label} | {seconds:.1f} | {100 * seconds / total:.0f}% |")
    lines.append(f"| **whole run** | {total:.1f} | 100% |")
    return "\n".join(lines)


def profiled(fn, out: str | None = None) -> tuple[pstats.Stats, float]:
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.runcall(fn)
    total = time.perf_counter() - started
    if out:
        profiler.dump_stats(out)
    return pstats.Stats(profiler), total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("part", choices=("stateless", "machine", "report"))
    parser.add_argument("name", nargs="?", help="the machine, or the results.json to rewrite")
    parser.add_argument("--actions", type=int, default=20)
    parser.add_argument("--max-examples", type=int, default=25)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", metavar="FILE", help="also save the cProfile data here")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from ec2_conformance.engine import EngineSession, SessionOptions

    if args.part == "report":
        from ec2_conformance.reporting import load_document, write_report

        document = load_document(Path(args.name))
        with tempfile.TemporaryDirectory() as out:
            started = time.perf_counter()
            write_report(document, Path(out))
            seconds = time.perf_counter() - started
        findings = len(document["findings"])
        print(f"report writing: {seconds:.1f} s for {len(document['actions'])} actions and "
              f"{findings} findings")
        return 0

    session = EngineSession(SessionOptions(max_examples=args.max_examples, seed=args.seed))
    try:
        if args.part == "machine":
            stats, total = profiled(lambda: session.stateful(args.name), args.out)
            print(table(stats, CONCERNS["machine"], total))
            return 0
        from throughput import pick_actions

        actions = pick_actions(args.actions)
        stats, total = profiled(lambda: [session.stateless(a) for a in actions], args.out)
        print(table(stats, CONCERNS["stateless"], total))
    finally:
        session.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
