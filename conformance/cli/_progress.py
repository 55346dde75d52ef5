"""Running the suite for ``run``: progress lines, a heartbeat, signals and the deadline.

A pytest plugin object handed to ``pytest.main``; it works the same with and
without pytest-xdist (reports reach the controlling process either way).  While
a test runs long, a heartbeat line says what it is (action or machine), how many
requests it has sent, for how long, and what it waits for; it reads the status
files the suite processes write (``_suite_status``).

Signals: SIGINT (Ctrl-C) interrupts at once (a terminal sends it to every
process, each cleans up); SIGTERM and the deadline ask every process to stop
through the stop file (each ends its current request, keeps what it found,
cleans up, and the report is written), and interrupt hard if that has not
happened within the request timeout plus a minute.  A second SIGTERM interrupts
at once.
"""

from __future__ import annotations

import _thread
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import TextIO

from .._suite_status import read_status, status_files, stop_file
from ._errors import EXIT_INTERRUPTED

HEARTBEAT_SECONDS = 5.0
_GRACE_SECONDS = 60.0  # for cleanup after a stop request, before interrupting hard


class Progress:
    def __init__(self, stream: TextIO | None = None, *, report_dir: Path | None = None,
                 timeout: float = 30.0, heartbeat: float = HEARTBEAT_SECONDS):
        # A copy of stderr's descriptor: pytest's capture redirects fd 2 while a test runs
        # in this process, and the heartbeat speaks exactly then.
        self.stream = stream or _own_stderr()
        self.live = self.stream.isatty()
        self.report_dir, self.timeout, self.heartbeat = report_dir, timeout, heartbeat
        self.total = 0
        self.done = 0
        self.findings = 0
        self.errors: list[str] = []  # tests that could not run: infrastructure, not findings
        self.interrupted = self.terminated = self.deadline_passed = False
        self.stopped: str | None = None  # why the suite stopped sending (from a worker)
        self.stopped_kind: str | None = None  # "unhealthy", "deadline" or "asked"
        self.session = None
        self.started = time.monotonic()
        self._timers: list[threading.Timer] = []
        self._quiet = threading.Event()
        self._beats: dict[str, float] = {}

    @property
    def ended_by(self) -> str | None:
        if self.terminated:
            return "terminated (SIGTERM)"
        if self.deadline_passed:
            return "the --deadline was reached"
        if self.interrupted:
            return "interrupted"
        return self.stopped

    # -- running ---------------------------------------------------------------------------
    def run_pytest(self, argv: list[str], *, deadline: float | None = None) -> int:
        import pytest

        if self.report_dir is not None:
            stop_file(self.report_dir).unlink(missing_ok=True)
        previous = {signal.SIGINT: signal.signal(signal.SIGINT, self.interrupt),
                    signal.SIGTERM: signal.signal(signal.SIGTERM, self.terminate)}
        if deadline is not None:
            self._after(deadline, self._deadline)
        beat = threading.Thread(target=self._heartbeat, name="heartbeat", daemon=True)
        beat.start()
        try:
            code = int(pytest.main(argv, plugins=[self]))
        except KeyboardInterrupt:
            code = EXIT_INTERRUPTED
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            for timer in self._timers:
                timer.cancel()
            self._quiet.set()
            self.finish()
            if self.report_dir is not None:
                stop_file(self.report_dir).unlink(missing_ok=True)
        if self.interrupted or code == int(pytest.ExitCode.INTERRUPTED):
            return EXIT_INTERRUPTED
        if code in (int(pytest.ExitCode.USAGE_ERROR), int(pytest.ExitCode.INTERNAL_ERROR)) \
                and not self.ended_by:
            from ._errors import ToolError

            raise ToolError(f"the suite could not run (pytest exit code {code})")
        return code

    def interrupt(self, signum=None, frame=None) -> None:
        """SIGINT handler: remember it (code that swallows the KeyboardInterrupt cannot
        keep the run going) and raise it where the run is now."""
        self.interrupted = not (self.terminated or self.deadline_passed)
        if self.session is not None:
            self.session.shouldstop = "interrupted"
        raise KeyboardInterrupt

    def terminate(self, signum=None, frame=None) -> None:
        if self.terminated or self.report_dir is None:
            self.terminated = True
            self.interrupt()
        self.terminated = True
        self._ask_to_stop("terminated (SIGTERM)")

    def _deadline(self) -> None:
        self.deadline_passed = True
        self._ask_to_stop("the --deadline was reached")

    def _ask_to_stop(self, reason: str) -> None:
        self._say(f"ec2-conformance: {reason}: stopping after the current request, "
                  "then cleaning up and writing the partial report")
        try:
            stop_file(self.report_dir).write_text(reason, "utf-8")
        except OSError:
            pass
        self._after(self.timeout + _GRACE_SECONDS, lambda: _thread.interrupt_main())

    def _after(self, seconds: float, action) -> None:
        timer = threading.Timer(seconds, action)
        timer.daemon = True
        timer.start()
        self._timers.append(timer)

    # -- pytest hooks ----------------------------------------------------------------------
    def pytest_sessionstart(self, session) -> None:
        self.session = session

    # Totals: pytest-xdist collects in the workers; plain pytest in-process.
    def pytest_collection_modifyitems(self, items) -> None:
        self.total = len(items)

    def pytest_xdist_node_collection_finished(self, node, ids) -> None:
        self.total = max(self.total, len(ids))

    def pytest_runtest_logreport(self, report) -> None:
        for key, value in report.user_properties:
            if key == "ec2_stopped" and self.stopped is None:
                self.stopped_kind, self.stopped = value
                self._say(f"ec2-conformance: stopping: {self.stopped}")
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
        name = _name(report.nodeid)
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

    # -- heartbeat -------------------------------------------------------------------------
    def _heartbeat(self) -> None:
        while not self._quiet.wait(1.0):
            if self.report_dir is None:
                continue
            for path in status_files(self.report_dir):
                status = read_status(path)
                if not status or not status.get("test"):
                    continue
                running = time.time() - status["since"]
                key = path.name
                if running < self.heartbeat or \
                        time.monotonic() - self._beats.get(key, 0) < self.heartbeat:
                    continue
                self._beats[key] = time.monotonic()
                self._say(_beat_line(status, running))

    def _say(self, line: str) -> None:
        prefix = "\r\033[K" if self.live else ""
        self.stream.write(f"{prefix}{line}\n")
        self.stream.flush()

    def _elapsed(self) -> str:
        return _duration(time.monotonic() - self.started)


def _own_stderr() -> TextIO:
    try:
        return os.fdopen(os.dup(sys.stderr.fileno()), "w", buffering=1, encoding="utf-8",
                         errors="replace")
    except (OSError, ValueError, AttributeError):  # no real descriptor (embedded use)
        return sys.stderr


def _beat_line(status: dict, running: float) -> str:
    line = (f"… {_name(status['test'])}: running for {_duration(running)}, "
            f"{status.get('requests', 0)} requests so far")
    if status.get("waiting"):
        line += f"; waiting for {status['waiting']}"
    elif status.get("in_flight"):
        action, seconds = status["in_flight"]
        if seconds >= 1:
            line += f"; waiting {seconds:.0f}s for the answer to {action or 'a request'}"
    return line


def _name(nodeid: str) -> str:
    return nodeid.rsplit("[", 1)[-1].rstrip("]")


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 60}m{seconds % 60:02d}s"


def _failing(count: int) -> str:
    return f"{count} failing finding" + ("" if count == 1 else "s")


def _last_line(report) -> str:
    text = str(report.longrepr or "").strip().splitlines()
    return next((line.strip() for line in reversed(text) if line.strip().startswith("E ")),
                text[-1] if text else "error")[:300]
