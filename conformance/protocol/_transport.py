"""HTTP for the client: one kept-alive connection, each request bounded as a whole.

A socket timeout bounds one read, not a request: a target that drips a byte
a second (headers or body) never trips it.  Here a watchdog thread shuts the
socket down when a request's deadline passes, whatever phase it is in
(connect, headers, body, decompression), so no request outlives ``timeout``.
Bodies are decompressed here, capped at ``max_bytes`` of *decompressed*
output, so a gzip bomb stops at the same size as a plain body.
"""

from __future__ import annotations

import contextlib
import select
import http.client
import socket
import ssl
import threading
import time
import zlib
from urllib.parse import urlsplit

from ._exchange import RecordedResponse

_CHUNK = 65536
# What ``error`` says for each way a request can fail (the checks layer names them too).
READ_TIMEOUT, CONNECT_TIMEOUT = "read timeout", "connect timeout"
REFUSED, RESET, RESET_IN_BODY = ("connection refused", "connection reset",
                                 "connection reset while reading the body")
NOT_HTTP = "malformed HTTP response"
_STALE = "closed before answering"


class _Watchdog:
    """One daemon thread per transport: shuts the armed socket down at its deadline."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._sock: socket.socket | None = None
        self._deadline: float | None = None
        self._closed = False
        self.fired = False
        self._thread: threading.Thread | None = None

    @contextlib.contextmanager
    def armed(self, deadline: float):
        with self._cond:
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="request-watchdog",
                                                daemon=True)
                self._thread.start()
            self._deadline, self._sock, self.fired = deadline, None, False
            self._cond.notify()
        try:
            yield self
        finally:
            with self._cond:
                self._deadline, self._sock = None, None

    def watch(self, sock: socket.socket | None) -> None:
        with self._cond:
            self._sock = sock
            if self.fired and sock is not None:
                _shut(sock)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify()

    def _loop(self) -> None:
        with self._cond:
            while not self._closed:
                if self._deadline is None:
                    self._cond.wait()
                    continue
                remaining = self._deadline - time.monotonic()
                if remaining > 0:
                    self._cond.wait(remaining)
                    continue
                self.fired, self._deadline = True, None
                if self._sock is not None:
                    _shut(self._sock)


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)  # wakes a blocked recv/send in the other thread
    except OSError:
        pass


class Transport:
    def __init__(self, endpoint: str, *, timeout: float, connect_timeout: float,
                 max_bytes: int):
        parts = urlsplit(endpoint)
        self.https = parts.scheme == "https"
        self.host = parts.hostname or "localhost"
        self.port = parts.port or (443 if self.https else 80)
        self.timeout, self.connect_timeout, self.max_bytes = timeout, connect_timeout, max_bytes
        self._conn: http.client.HTTPConnection | None = None
        self._watchdog = _Watchdog()

    def close(self) -> None:
        self._drop()
        self._watchdog.close()

    def request(self, method: str, url: str, headers: dict[str, str], body: bytes | None,
                ) -> tuple[RecordedResponse | None, str | None]:
        parts = urlsplit(url)
        target = (parts.path or "/") + ("?" + parts.query if parts.query else "")
        deadline = time.monotonic() + self.timeout
        with self._watchdog.armed(deadline) as watchdog:
            if self._conn is not None and _dropped(self._conn.sock):
                self._drop()  # the server closed the kept-alive connection meanwhile
            for _ in range(2):  # ... or closes it just now: one fresh try
                reused = self._conn is not None
                response, error = self._once(method, target, headers, body, deadline, watchdog)
                if not (reused and error == _STALE) or watchdog.fired:
                    break
            if error == _STALE:
                error = RESET
        return response, error

    def _once(self, method, target, headers, body, deadline, watchdog):
        conn = self._conn
        try:
            if conn is None:
                conn = self._conn = self._new_connection(min(self.connect_timeout, self.timeout))
                try:
                    conn.connect()
                except (socket.timeout, TimeoutError):
                    self._drop()
                    return None, CONNECT_TIMEOUT
            watchdog.watch(conn.sock)
            conn.sock.settimeout(max(0.001, deadline - time.monotonic()))
            conn.request(method, target, body=body, headers=headers)
            resp = conn.getresponse()
            status, resp_headers = resp.status, dict(resp.getheaders())
        except (socket.timeout, TimeoutError):
            self._drop()
            return None, READ_TIMEOUT
        except ConnectionRefusedError:
            self._drop()
            return None, REFUSED
        except socket.gaierror as exc:
            self._drop()
            return None, f"{REFUSED}: {exc}"
        except (http.client.RemoteDisconnected, ConnectionError):
            # Closed or reset before a byte of the answer: on a kept-alive connection the
            # server may have hung up just as this request went out (a broken pipe or a
            # reset, not only a clean close), so the request gets one fresh try.
            self._drop()
            return None, READ_TIMEOUT if watchdog.fired else _STALE
        except http.client.IncompleteRead:
            self._drop()
            return None, READ_TIMEOUT if watchdog.fired else RESET
        except (http.client.HTTPException, UnicodeError, ValueError):
            self._drop()
            return None, READ_TIMEOUT if watchdog.fired else NOT_HTTP
        except ssl.SSLError as exc:
            self._drop()
            return None, f"TLS error: {str(exc)[:200]}"
        except OSError as exc:
            self._drop()
            return None, READ_TIMEOUT if watchdog.fired else f"connection error: {str(exc)[:200]}"
        try:
            data, oversized, complete = self._read_body(resp, resp_headers)
        except (socket.timeout, TimeoutError):
            self._drop()
            return None, READ_TIMEOUT
        except (http.client.HTTPException, OSError):
            self._drop()
            return None, READ_TIMEOUT if watchdog.fired else RESET_IN_BODY
        if watchdog.fired:
            self._drop()
            return None, READ_TIMEOUT
        if not complete or resp.will_close:
            self._drop()
        return RecordedResponse(status, resp_headers, data, oversized), None

    def _read_body(self, resp: http.client.HTTPResponse, headers: dict[str, str],
                   ) -> tuple[bytes, bool, bool]:
        """(body, oversized, read to the end); decompressed and capped as it arrives."""
        decoder = _decoder(headers)
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = resp.read1(_CHUNK)
            if not chunk:
                if resp.length:  # fewer bytes than Content-Length announced
                    raise http.client.IncompleteRead(b"".join(chunks), resp.length)
                resp.close()  # done with it; the connection stays open for the next request
                if decoder is not None:
                    chunks.append(decoder.flush()[: self.max_bytes - size])
                return b"".join(chunks), False, True
            if decoder is not None:
                try:
                    chunk = decoder.decompress(chunk, self.max_bytes - size + 1)
                except zlib.error:
                    decoder = None  # not what the header says: keep the bytes as sent
            if size + len(chunk) > self.max_bytes:
                chunks.append(chunk[: self.max_bytes - size])
                return b"".join(chunks), True, False
            chunks.append(chunk)
            size += len(chunk)
            if decoder is not None and decoder.unconsumed_tail:
                return b"".join(chunks), True, False  # more output than the cap allows

    def _new_connection(self, timeout: float) -> http.client.HTTPConnection:
        if self.https:
            return http.client.HTTPSConnection(self.host, self.port, timeout=timeout,
                                               context=ssl.create_default_context())
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()


def _dropped(sock: socket.socket | None) -> bool:
    """A kept-alive socket that is readable while idle has been closed (or sent junk)."""
    if sock is None:
        return True
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


def _decoder(headers: dict[str, str]):
    encoding = next((v for k, v in headers.items() if k.lower() == "content-encoding"), "")
    encoding = encoding.strip().lower()
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj(zlib.MAX_WBITS | 32)  # zlib or gzip framing
    return None
