"""Progress while the suite runs: a live line on a terminal, plain lines otherwise.

A pytest plugin object handed to ``pytest.main``; it works the same with and
without pytest-xdist (reports reach the controlling process either way).
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, stream: TextIO | None = None):
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self.total = 0
        self.done = 0
        self.findings = 0
        self.errors: list[str] = []  # tests that could not run: infrastructure, not findings
        self.interrupted = False
        self.session = None
        self.started = time.monotonic()

    def interrupt(self, signum=None, frame=None) -> None:
        """SIGINT handler: remember it (code that swallows the KeyboardInterrupt cannot
        keep the run going) and raise it where the run is now."""
        self.interrupted = True
        if self.session is not None:
            self.session.shouldstop = "interrupted"
        raise KeyboardInterrupt

    def pytest_sessionstart(self, session) -> None:
        self.session = session

    # Totals: pytest-xdist collects in the workers; plain pytest in-process.
    def pytest_collection_modifyitems(self, items) -> None:
        self.total = len(items)

    def pytest_xdist_node_collection_finished(self, node, ids) -> None:
        self.total = max(self.total, len(ids))

    def pytest_runtest_logreport(self, report) -> None:
        if report.skipped and report.when == "setup":
            # it never runs, so it is not counted as still to come (the plugin already
            # deselects an empty parametrization; this covers any other skip)
            self.total = max(self.done, self.total - 1)
            return
        if report.failed and report.when in ("setup", "teardown"):
            self.errors.append(f"{report.nodeid}: {_last_line(report)}")
        if report.when != "call" and not (report.when == "setup" and report.failed):
            return
        self.done += 1
        found = sum(v for k, v in report.user_properties if k == "ec2_findings")
        self.findings += found
        name = report.nodeid.rsplit("[", 1)[-1].rstrip("]")
        if self.live:
            self.stream.write(f"\r\033[K[{self.done}/{self.total}] "
                              f"{_failing(self.findings)}, {self._elapsed()} — {name}")
        else:
            status = "error" if report.when == "setup" else _failing(found)
            self.stream.write(f"[{self.done}/{self.total}] {name}: {status} ({self._elapsed()})\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.live and self.done:
            self.stream.write("\n")
            self.stream.flush()

    def _elapsed(self) -> str:
        seconds = int(time.monotonic() - self.started)
        return f"{seconds // 60}m{seconds % 60:02d}s"


def _failing(count: int) -> str:
    return f"{count} failing finding" + ("" if count == 1 else "s")


def _last_line(report) -> str:
    text = str(report.longrepr or "").strip().splitlines()
    return next((line.strip() for line in reversed(text) if line.strip().startswith("E ")),
                text[-1] if text else "error")[:300]
