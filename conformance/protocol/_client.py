"""A signed EC2 Query client, recording every exchange, bounded in every way.

- Every request is bounded as a whole by ``timeout`` (``_transport``).
- Throttling (``RequestLimitExceeded``, ``Throttling``), 5xx answers and resets are
  retried ``max_retries`` times with exponential backoff; every attempt is kept on
  the exchange (``retries``), so a finding shows them all (the spec's "Server
  Errors" advise retrying 500 and 503).
- Health: after ``max_transport_failures`` requests in a row without a usable
  answer (transport errors, or throttled/5xx after the retries) the client stops:
  that send and every later one raise ``RunStopped``.  So does a send after
  ``stop_at`` (a wall-clock deadline) or once ``stop_file`` exists (how ``run``
  asks its worker processes to stop on SIGTERM).  Sends inside ``cleaning()``
  ignore the deadline and the stop file (cleanup must still delete); after a
  health stop they are not sent at all and come back as transport errors.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import time
from typing import Any

import botocore.credentials
from botocore.awsrequest import AWSPreparedRequest, AWSRequest

from ._exchange import (Exchange, RecordedRequest, RecordedResponse, redact_form,
                        redact_headers, redact_url)
from ._raw import FORM_CONTENT_TYPE, RawRequest
from ._serializer import serialize
from ._signing import sign
from ._transport import REFUSED, RESET, RESET_IN_BODY, Transport

# Throttling, and the server errors the spec's "Server Errors" call temporary or say to retry.
RETRYABLE_CODES = {"RequestLimitExceeded", "Throttling", "InternalServerError",
                   "ServiceUnavailable", "Unavailable"}
_CODE_RE = re.compile(rb"<Code>\s*([^<\s]+)\s*</Code>")
DEFAULT_CREDENTIALS = botocore.credentials.Credentials("testing", "testing")


class EndpointUnreachable(ConnectionError):
    """Nothing answered at the endpoint: a usage/infrastructure error, not a finding."""


class RunStopped(BaseException):
    """The run must send no more: the target stopped answering (``kind`` "unhealthy"),
    the deadline passed ("deadline"), or the run was asked to stop ("asked": ``run`` got
    SIGTERM).  A ``BaseException`` (like ``KeyboardInterrupt``) so that Hypothesis ends
    at once instead of shrinking it as a failure."""

    def __init__(self, reason: str, kind: str):
        super().__init__(reason)
        self.reason, self.kind = reason, kind

    @property
    def unhealthy(self) -> bool:
        return self.kind == "unhealthy"


class Client:
    def __init__(self, endpoint: str, *, region: str = "us-east-1",
                 api_version: str = "2014-10-01",
                 credentials: botocore.credentials.Credentials | None = None,
                 signature_version: str = "v4", method: str = "POST",
                 timeout: float = 30.0, connect_timeout: float = 5.0,
                 read_timeout: float | None = None,
                 max_response_bytes: int = 10 * 1024 * 1024,
                 max_retries: int = 3, backoff: float = 0.2,
                 max_transport_failures: int | None = None,
                 stop_at: float | None = None, stop_file: str | os.PathLike | None = None):
        self.endpoint = endpoint.rstrip("/") + "/"
        self.region = region
        self.api_version = api_version
        self.credentials = credentials or DEFAULT_CREDENTIALS
        self.signature_version = signature_version
        self.method = method.upper()
        # ``read_timeout`` is the older name of the whole-request bound.
        self.timeout = float(read_timeout if read_timeout is not None else timeout)
        self.max_response_bytes = max_response_bytes
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_transport_failures = max_transport_failures
        self.stop_at, self.stop_file = stop_at, stop_file
        self.failures_in_a_row = 0
        self.last_failure: str | None = None
        self.stop_reason: str | None = None
        self.stop_kind: str | None = None
        self.unhealthy = False
        # What progress shows while a request or a wait takes long.
        self.in_flight: tuple[str | None, float] | None = None  # (action, monotonic start)
        self.waiting: str | None = None  # set by callers polling for a state
        self.requests = 0  # sent, retries included: what progress shows
        self.answered = False  # any answer yet (refused before that: nothing listens)
        self._cleaning = 0
        self._transport = Transport(self.endpoint, timeout=self.timeout,
                                    connect_timeout=min(connect_timeout, self.timeout),
                                    max_bytes=max_response_bytes)
        frozen = self.credentials.get_frozen_credentials()
        # Short values (moto's "testing") would mangle bodies if replaced as text.
        self._secrets = tuple(s for s in (frozen.access_key, frozen.secret_key, frozen.token)
                              if s and len(s) >= 12)

    def close(self) -> None:
        self._transport.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def cleaning(self):
        """Teardown: deletes go out after the deadline or a stop request, not after a
        health stop."""
        self._cleaning += 1
        try:
            yield self
        finally:
            self._cleaning -= 1

    def call(self, action: str, params: dict[str, Any] | None = None) -> Exchange:
        """Serialize boto3-style ``params`` for ``action`` and send them."""
        return self.send(RawRequest(pairs=serialize(action, params, self.api_version),
                                    method=self.method))

    def call_pairs(self, pairs: list[tuple[str, str]]) -> Exchange:
        return self.send(RawRequest(pairs=list(pairs), method=self.method))

    def send(self, raw: RawRequest, *, now: dt.datetime | None = None) -> Exchange:
        if self.unhealthy and self._cleaning:
            prepared = self._prepare(raw, now)
            return Exchange(action=raw.action, pairs=list(raw.pairs),
                            request=self._record(prepared), response=None, elapsed=0.0,
                            error=f"not sent: {self.stop_reason}")
        self._check_stop()
        retries: list[dict[str, Any]] = []
        started = time.monotonic()
        self.in_flight = (raw.action, started)
        try:
            return self._send(raw, now, retries, started)
        finally:
            self.in_flight = None

    def _send(self, raw: RawRequest, now: dt.datetime | None, retries: list[dict[str, Any]],
              started: float) -> Exchange:
        for attempt in range(self.max_retries + 1):
            prepared = self._prepare(raw, now)
            attempt_started = time.monotonic()
            response, error = self._transmit(prepared)
            self.requests += 1
            reason = _retry_reason(response, error)
            if reason is None or attempt == self.max_retries:
                break
            delay = self.backoff * (2 ** attempt)
            retries.append({"attempt": attempt + 1, "reason": reason, "delay": delay,
                            "status": response.status if response is not None else None,
                            "error": error,
                            "elapsed": round(time.monotonic() - attempt_started, 3)})
            time.sleep(delay)
        if error == REFUSED and response is None and not self.answered:
            # nothing has ever listened there: a usage error, not a finding
            raise EndpointUnreachable(f"cannot connect to {self.endpoint}: {error}")
        self.answered = self.answered or response is not None
        exchange = Exchange(action=raw.action, pairs=list(raw.pairs),
                            request=self._record(prepared), response=response,
                            elapsed=time.monotonic() - started, retries=retries, error=error)
        self._note_health(exchange, error if response is None else reason)
        return exchange

    def _check_stop(self) -> None:
        if self.stop_reason and (self.unhealthy or not self._cleaning):
            raise RunStopped(self.stop_reason, self.stop_kind or "asked")
        if self._cleaning:
            return
        if self.stop_at is not None and time.time() >= self.stop_at:
            self.stop_reason, self.stop_kind = "the --deadline was reached", "deadline"
        elif self.stop_file is not None and os.path.exists(self.stop_file):
            try:
                with open(self.stop_file, encoding="utf-8") as handle:
                    self.stop_reason = handle.read().strip() or "asked to stop"
            except OSError:
                self.stop_reason = "asked to stop"
            self.stop_kind = "asked"
        if self.stop_reason:
            raise RunStopped(self.stop_reason, self.stop_kind or "asked")

    def _note_health(self, exchange: Exchange, failure: str | None) -> None:
        """``failure``: no answer, or one still throttled/unavailable after the retries."""
        if failure is None:
            self.failures_in_a_row, self.last_failure = 0, None
            return
        self.failures_in_a_row += 1
        self.last_failure = failure
        limit = self.max_transport_failures
        if limit is not None and self.failures_in_a_row >= limit and not self._cleaning:
            self.unhealthy, self.stop_kind = True, "unhealthy"
            retried = f", each tried {self.max_retries + 1} times" if exchange.retries else ""
            self.stop_reason = (f"the target at {self.endpoint} gave no usable answer to "
                                f"{self.failures_in_a_row} requests in a row (last: {failure}"
                                f"{retried}); the run stopped sending to it")
            raise RunStopped(self.stop_reason, "unhealthy")

    def _prepare(self, raw: RawRequest, now: dt.datetime | None) -> AWSPreparedRequest:
        """The signed request as it goes on the wire: prepared once, then both sent and
        recorded."""
        headers = {"Content-Type": FORM_CONTENT_TYPE, **raw.headers}
        if raw.method == "GET":
            query = raw.encoded().decode("utf-8", errors="surrogateescape")
            url = self.endpoint + ("?" + query if query else "")
            request = AWSRequest(method="GET", url=url, headers=headers)
        elif self.signature_version == "v2" and raw.sign and raw.body is None:
            request = AWSRequest(method=raw.method, url=self.endpoint, headers=headers,
                                 data=dict(raw.pairs))
        else:
            request = AWSRequest(method=raw.method, url=self.endpoint, headers=headers,
                                 data=raw.encoded())
        if raw.sign:
            credentials = self.credentials
            if raw.wrong_secret:
                frozen = credentials.get_frozen_credentials()
                credentials = botocore.credentials.Credentials(
                    frozen.access_key, frozen.secret_key + "-wrong", frozen.token)
            sign(request, credentials, region=self.region,
                 version=self.signature_version, now=now)
        return request.prepare()

    def _transmit(self, prepared: AWSPreparedRequest,
                  ) -> tuple[RecordedResponse | None, str | None]:
        body = prepared.body
        if isinstance(body, str):
            body = body.encode("utf-8", errors="surrogateescape")
        return self._transport.request(prepared.method, prepared.url, dict(prepared.headers),
                                       body)

    def _record(self, prepared: AWSPreparedRequest) -> RecordedRequest:
        body = prepared.body or b""
        text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else str(body)
        return RecordedRequest(method=prepared.method, url=redact_url(prepared.url, self._secrets),
                               headers=redact_headers(dict(prepared.headers), self._secrets),
                               body=redact_form(text, self._secrets))


def _retry_reason(response: RecordedResponse | None, error: str | None) -> str | None:
    """Why an attempt is worth repeating (None: it is an answer, or a failure retrying
    will not mend)."""
    if error in (RESET, RESET_IN_BODY):
        return error
    if response is None:
        return None
    if 400 <= response.status < 600:
        match = _CODE_RE.search(response.body[:4096])
        if match and match.group(1).decode("ascii", "replace") in RETRYABLE_CODES:
            return match.group(1).decode("ascii", "replace")
    return "HTTP 503" if response.status == 503 else None
