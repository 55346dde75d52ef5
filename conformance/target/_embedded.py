"""The embedded target: moto's server in a child process on a free loopback port.

A child process (not moto's in-process thread) keeps the target's work off the
fuzzer's GIL, lets pytest-xdist workers share one target, and can be killed
cleanly on Ctrl-C.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import requests

LOOPBACK = "127.0.0.1"


class TargetError(RuntimeError):
    """The embedded target could not be started or reset."""


def free_port(host: str = LOOPBACK) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class EmbeddedTarget:
    """``with EmbeddedTarget() as target: target.endpoint`` -> ``http://127.0.0.1:PORT``."""

    def __init__(self, *, startup_timeout: float = 30.0):
        self.startup_timeout = startup_timeout
        self.port: int | None = None
        self._process: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        if self.port is None:
            raise TargetError("embedded target is not running")
        return f"http://{LOOPBACK}:{self.port}"

    def start(self) -> "EmbeddedTarget":
        for _ in range(3):  # a port taken between probe and bind: try another
            self.port = free_port()
            self._process = subprocess.Popen(
                [sys.executable, "-m", "ec2_conformance.target._child", str(os.getpid()),
                 LOOPBACK, str(self.port)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                env={**os.environ, "MOTO_ALLOW_NONEXISTENT_REGION": "true"},
                start_new_session=True,  # Ctrl-C reaches us, not the child; we stop it
            )
            if self._wait_ready():
                return self
            self.stop()
        raise TargetError("moto server did not start on a loopback port")

    def _wait_ready(self) -> bool:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self._process is None or self._process.poll() is not None:
                return False
            try:
                requests.get(self.endpoint + "/moto-api/data.json", timeout=1)
                return True
            except requests.RequestException:
                time.sleep(0.1)
        return False

    def reset(self) -> None:
        """Forget every resource (moto's reset API)."""
        try:
            requests.post(self.endpoint + "/moto-api/reset", timeout=10).raise_for_status()
        except requests.RequestException as exc:
            raise TargetError(f"could not reset the embedded target: {exc}") from exc

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

    def __enter__(self) -> "EmbeddedTarget":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def is_loopback(endpoint: str) -> bool:
    """True when ``endpoint`` names this machine (the safety rails relax there)."""
    import ipaddress
    from urllib.parse import urlsplit

    host = urlsplit(endpoint).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
