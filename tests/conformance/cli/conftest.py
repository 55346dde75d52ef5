"""Hostile loopback targets for the CLI tests: real TCP servers that misbehave in one
named way each (the ``hostile_target`` fixture).

``hostile_target(mode, after=1)`` answers its first ``after`` requests like a
healthy EC2 endpoint (so ``run``'s reachability check passes and the run itself
meets the misbehaviour), then misbehaves on every request:

never-answers, resets, drips (a byte a second), cuts-body (headers, then part of
the body, then close), throttles (503 RequestLimitExceeded), huge-body (50 MB),
gzip-bomb (100 MB of XML from 100 KB), entity-bomb (billion laughs), garbage
(random bytes instead of HTTP).
"""

from __future__ import annotations

import gzip
import os
import socket
import struct
import threading
import time

import pytest

MODES = ("never-answers", "resets", "drips", "cuts-body", "throttles", "huge-body",
         "gzip-bomb", "entity-bomb", "garbage")

_HEALTHY = (b'<?xml version="1.0" encoding="UTF-8"?>\n<DescribeRegionsResponse '
            b'xmlns="http://ec2.amazonaws.com/doc/2014-10-01/"><requestId>r-1</requestId>'
            b'<regionInfo><item><regionName>us-east-1</regionName><regionEndpoint>ec2.us-east-1'
            b'.amazonaws.com</regionEndpoint></item></regionInfo></DescribeRegionsResponse>')
_THROTTLED = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>'
              b'RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error>'
              b'</Errors><RequestID>r-2</RequestID></Response>')
_ENTITY_BOMB = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
                + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1
                                                          else b"&lol;") * 10)
                           for i in range(1, 10))
                + b']>\n<DescribeVpcsResponse xmlns="http://ec2.amazonaws.com/doc/2014-10-01/">'
                  b'<requestId>&lol9;</requestId></DescribeVpcsResponse>')
_bomb: bytes | None = None


def gzip_bomb() -> bytes:
    global _bomb
    if _bomb is None:  # 100 MB of whitespace inside an XML element, about 100 KB gzipped
        out = gzip.compress(b"<a>" + b" " * (100 * 1024 * 1024) + b"</a>", compresslevel=9)
        _bomb = out
    return _bomb


def _head(status: str, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status}"] + [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


class HostileTarget:
    def __init__(self, mode: str, *, after: int = 1):
        if mode not in MODES:
            raise ValueError(mode)
        self.mode, self.after = mode, after
        self.requests = 0
        self._lock = threading.Lock()
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self.endpoint = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self._closed = threading.Event()
        self._open: list[socket.socket] = []


    def __enter__(self) -> "HostileTarget":
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._closed.set()
        self._sock.close()
        for conn in list(self._open):
            try:
                conn.close()
            except OSError:
                pass

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            self._open.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            while not self._closed.is_set():
                if not _read_request(conn):
                    return
                with self._lock:
                    self.requests += 1
                    healthy = self.requests <= self.after
                if healthy:
                    conn.sendall(_head("200 OK", {"Content-Type": "text/xml",
                                                  "Content-Length": str(len(_HEALTHY))})
                                 + _HEALTHY)
                    continue
                if not self._misbehave(conn):
                    return
        except OSError:
            return
        finally:
            try:
                conn.close()
            except OSError:
                pass

    def _misbehave(self, conn: socket.socket) -> bool:
        """Answer (or not) one request; False: the connection is finished."""
        mode = self.mode
        if mode == "never-answers":
            self._closed.wait()
            return False
        if mode == "resets":
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return False  # close with linger 0: the peer sees a reset
        if mode == "drips":
            body = _HEALTHY
            conn.sendall(_head("200 OK", {"Content-Type": "text/xml",
                                          "Content-Length": str(len(body))}))
            for byte in body:
                if self._closed.wait(1.0):
                    return False
                conn.sendall(bytes([byte]))
            return True
        if mode == "cuts-body":
            conn.sendall(_head("200 OK", {"Content-Type": "text/xml",
                                          "Content-Length": str(len(_HEALTHY))})
                         + _HEALTHY[:40])
            return False
        if mode == "throttles":
            conn.sendall(_head("503 Service Unavailable",
                               {"Content-Type": "text/xml",
                                "Content-Length": str(len(_THROTTLED))}) + _THROTTLED)
            return True
        if mode == "huge-body":
            size = 50 * 1024 * 1024
            conn.sendall(_head("200 OK", {"Content-Type": "text/xml",
                                          "Content-Length": str(size)}))
            chunk = b"<a>" + b"x" * (1024 * 1024 - 3)
            for _ in range(size // len(chunk)):
                conn.sendall(chunk)
            return True
        if mode == "gzip-bomb":
            body = gzip_bomb()
            conn.sendall(_head("200 OK", {"Content-Type": "text/xml", "Content-Encoding": "gzip",
                                          "Content-Length": str(len(body))}) + body)
            return True
        if mode == "entity-bomb":
            conn.sendall(_head("200 OK", {"Content-Type": "text/xml",
                                          "Content-Length": str(len(_ENTITY_BOMB))})
                         + _ENTITY_BOMB)
            return True
        conn.sendall(os.urandom(4096))  # garbage
        time.sleep(0.05)
        return False


def _read_request(conn: socket.socket) -> bool:
    """Read one request (headers and a Content-Length body); False at end of stream."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return False
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(rest) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return False
        rest += chunk
    return True


@pytest.fixture
def hostile_target():
    """``with hostile_target(mode, after=N) as target: target.endpoint``."""
    return HostileTarget
