"""What each suite process is doing now, for the heartbeat ``run`` prints, and the stop file.

Each process (pytest-xdist worker or the only process) rewrites
``<report dir>/.parts/<worker>.status.json`` every second while a suite test
runs: which action or machine, since when, requests sent, the request in
flight and what is being waited for.  ``run`` reads these files (it cannot see
inside workers) and prints a heartbeat.  ``run`` asks every process to stop
(SIGTERM, the deadline) by writing ``<report dir>/.stop``: each process's
client sees it before its next request.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import Any

PARTS_DIR = ".parts"
STOP_FILE = ".stop"
STATUS_SUFFIX = ".status.json"


def stop_file(report_dir: Path) -> Path:
    return Path(report_dir) / STOP_FILE


def status_files(report_dir: Path) -> list[Path]:
    return sorted((Path(report_dir) / PARTS_DIR).glob("*" + STATUS_SUFFIX))


class StatusWriter:
    """A daemon thread writing this process's status once a second."""

    def __init__(self, report_dir: Path, worker: str, engine: Any, interval: float = 1.0):
        self.path = Path(report_dir) / PARTS_DIR / f"{worker}{STATUS_SUFFIX}"
        self.engine, self.interval = engine, interval
        self.test: str | None = None
        self.since = time.time()
        self.requests_before = 0  # the client's count when the test began
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="suite-status", daemon=True)

    def start(self) -> "StatusWriter":
        self._thread.start()
        return self

    def begin(self, test: str | None) -> None:
        client = self.engine.peek_client()
        self.test, self.since = test, time.time()
        self.requests_before = getattr(client, "requests", 0)
        self.write()

    def close(self) -> None:
        self._stop.set()
        self.test = None
        self.write()

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.write()

    def write(self) -> None:
        client = self.engine.peek_client()
        in_flight = getattr(client, "in_flight", None)
        status = {"test": self.test, "since": self.since,
                  "requests": getattr(client, "requests", 0) - self.requests_before,
                  "in_flight": [in_flight[0], time.monotonic() - in_flight[1]] if in_flight
                  else None,
                  "waiting": getattr(client, "waiting", None), "pid": os.getpid()}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temp = self.path.with_suffix(".tmp")
            temp.write_text(json.dumps(status), "utf-8")
            os.replace(temp, self.path)  # a reader never sees half a file
        except OSError:
            pass  # progress is a courtesy: never fail a run over it


def read_status(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
