"""Where the test suite's CPU goes: a pytest plugin that records each test's CPU, and a
summary of what it recorded.

    rm -rf reports/cpu-per-test
    PYTHONPATH=benchmarks python -m pytest -p cpu_per_test -n 3 --dist worksteal
    python benchmarks/cpu_per_test.py            # the summary of what was recorded

Each test's CPU is its worker's own (user + system) plus that of every child process the
worker reaped meanwhile (a CLI run with its embedded moto server, a self-test's target);
servers a fixture keeps for the whole session are not counted.  One JSON line per test,
in ``$CPU_PER_TEST_DIR`` (default ``reports/cpu-per-test``), one file per worker.
"""

from __future__ import annotations

import collections
import json
import os
import resource
import sys
import time
from pathlib import Path

DIRECTORY = Path(os.environ.get("CPU_PER_TEST_DIR", "reports/cpu-per-test"))
_started: dict[str, tuple[float, float, float]] = {}
_out = None


def _cpu() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, reaped.ru_utime + reaped.ru_stime


def pytest_sessionstart(session) -> None:
    global _out
    DIRECTORY.mkdir(parents=True, exist_ok=True)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    _out = open(DIRECTORY / f"{worker}-{os.getpid()}.jsonl", "a", encoding="utf-8")


def pytest_runtest_setup(item) -> None:
    _started[item.nodeid] = (*_cpu(), time.monotonic())


def pytest_runtest_logfinish(nodeid, location) -> None:
    if nodeid not in _started or _out is None:
        return
    own, reaped, wall = _started.pop(nodeid)
    own_now, reaped_now = _cpu()
    _out.write(json.dumps({"id": nodeid, "own": round(own_now - own, 3),
                           "children": round(reaped_now - reaped, 3),
                           "wall": round(time.monotonic() - wall, 3)}) + "\n")
    _out.flush()


def summary(directory: Path = DIRECTORY, top: int = 25) -> str:
    rows = [json.loads(line) for path in sorted(directory.glob("*.jsonl"))
            for line in path.read_text().splitlines() if line]
    if not rows:
        return f"nothing recorded in {directory}"

    def cpu(row):
        return row["own"] + row["children"]
    files = collections.Counter()
    for row in rows:
        files[row["id"].split("::")[0]] += cpu(row)
    small = [r for r in rows if cpu(r) < 1]
    lines = [f"{len(rows)} tests, {sum(map(cpu, rows)):.0f} s of CPU "
             f"({sum(r['own'] for r in rows):.0f} s in the workers, "
             f"{sum(r['children'] for r in rows):.0f} s in their child processes); "
             f"{len(small)} tests under 1 s: {sum(map(cpu, small)):.0f} s", "", "by file:"]
    lines += [f"{seconds:7.1f}  {name}" for name, seconds in files.most_common(12)]
    lines += ["", "by test (CPU, wall):"]
    lines += [f"{cpu(r):7.1f} {r['wall']:6.1f}  {r['id']}"
              for r in sorted(rows, key=cpu, reverse=True)[:top]]
    return "\n".join(lines)


if __name__ == "__main__":
    print(summary(Path(sys.argv[1]) if len(sys.argv) > 1 else DIRECTORY))
