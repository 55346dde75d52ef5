#!/usr/bin/env python3
"""Sizes of a finished run's report files and how soon its page is usable in headless
Chromium.

Usage: python benchmarks/report_bench.py REPORT_DIR [--rounds N]

Prints the size of index.html, results.json, junit.xml, summary.md and examples/, and
the time from navigation start until the page's own script has run and laid it out
(the page stamps ``data-ready-ms`` on <html>), the median of N loads.  The issue's
goals for the default run against the embedded moto server: index.html <= 3 MB,
results.json <= 8 MB, usable within 2 s.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def ready_ms(page: Path) -> int:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("chromium is not installed")
    with tempfile.TemporaryDirectory() as profile:
        out = subprocess.run([chromium, *FLAGS, f"--user-data-dir={profile}", "--dump-dom",
                              page.resolve().as_uri()], capture_output=True, text=True,
                             timeout=120).stdout
    match = re.search(r'<html[^>]*data-ready-ms="(\d+)"', out)
    if not match:
        raise SystemExit(f"{page}: the page's script did not run")
    return int(match.group(1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report_dir", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    for name in ("index.html", "results.json", "junit.xml", "summary.md"):
        path = args.report_dir / name
        print(f"{name:<13} {path.stat().st_size / 1e6:7.2f} MB")
    examples = list((args.report_dir / "examples").glob("*.json"))
    print(f"{'examples/':<13} {sum(p.stat().st_size for p in examples) / 1e6:7.2f} MB "
          f"in {len(examples)} files")
    times = [ready_ms(args.report_dir / "index.html") for _ in range(args.rounds)]
    print(f"page usable after {statistics.median(times)} ms (median of {args.rounds}: {times})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
