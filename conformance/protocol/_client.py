"""A signed EC2 Query client over ``requests``, recording every exchange.

Bounded retries with exponential backoff on throttling, HTTP 503 and connection
resets; each retry is recorded on the exchange so a report can show it.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any

import botocore.credentials
import requests
from botocore.awsrequest import AWSRequest

from ._exchange import (Exchange, RecordedRequest, RecordedResponse, redact_form,
                        redact_headers, redact_url)
from ._raw import FORM_CONTENT_TYPE, RawRequest
from ._serializer import serialize
from ._signing import sign

RETRYABLE_CODES = {"RequestLimitExceeded", "Throttling"}
_CODE_RE = re.compile(rb"<Code>\s*([^<\s]+)\s*</Code>")
DEFAULT_CREDENTIALS = botocore.credentials.Credentials("testing", "testing")


class EndpointUnreachable(ConnectionError):
    """Nothing answered at the endpoint: a usage/infrastructure error, not a finding."""


class Client:
    def __init__(self, endpoint: str, *, region: str = "us-east-1",
                 api_version: str = "2014-10-01",
                 credentials: botocore.credentials.Credentials | None = None,
                 signature_version: str = "v4", method: str = "POST",
                 connect_timeout: float = 5.0, read_timeout: float = 30.0,
                 max_response_bytes: int = 10 * 1024 * 1024,
                 max_retries: int = 3, backoff: float = 0.2):
        self.endpoint = endpoint.rstrip("/") + "/"
        self.region = region
        self.api_version = api_version
        self.credentials = credentials or DEFAULT_CREDENTIALS
        self.signature_version = signature_version
        self.method = method.upper()
        self.timeout = (connect_timeout, read_timeout)
        self.max_response_bytes = max_response_bytes
        self.max_retries = max_retries
        self.backoff = backoff
        self.session = requests.Session()
        self.session.trust_env = False  # never route a loopback target through a proxy
        frozen = self.credentials.get_frozen_credentials()
        # Short values (moto's "testing") would mangle bodies if replaced as text.
        self._secrets = tuple(s for s in (frozen.access_key, frozen.secret_key, frozen.token)
                              if s and len(s) >= 12)

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def call(self, action: str, params: dict[str, Any] | None = None) -> Exchange:
        """Serialize boto3-style ``params`` for ``action`` and send them."""
        return self.send(RawRequest(pairs=serialize(action, params, self.api_version),
                                    method=self.method))

    def call_pairs(self, pairs: list[tuple[str, str]]) -> Exchange:
        return self.send(RawRequest(pairs=list(pairs), method=self.method))

    def send(self, raw: RawRequest, *, now: dt.datetime | None = None) -> Exchange:
        retries: list[dict[str, Any]] = []
        started = time.monotonic()
        for attempt in range(self.max_retries + 1):
            prepared = self._prepare(raw, now)
            response, error = self._transmit(prepared)
            reason = _retry_reason(response, error)
            if reason is None or attempt == self.max_retries:
                break
            delay = self.backoff * (2 ** attempt)
            retries.append({"attempt": attempt + 1, "reason": reason, "delay": delay})
            time.sleep(delay)
        if error == "connection refused" and response is None:
            raise EndpointUnreachable(f"cannot connect to {self.endpoint}: {error}")
        return Exchange(action=raw.action, pairs=list(raw.pairs), request=self._record(prepared),
                        response=response, elapsed=time.monotonic() - started,
                        retries=retries, error=error)

    def _prepare(self, raw: RawRequest, now: dt.datetime | None) -> AWSRequest:
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
        return request

    def _transmit(self, request: AWSRequest) -> tuple[RecordedResponse | None, str | None]:
        prepared = request.prepare()
        try:
            with self.session.request(prepared.method, prepared.url, headers=dict(prepared.headers),
                                      data=prepared.body, timeout=self.timeout, stream=True,
                                      allow_redirects=False) as resp:
                body, oversized = self._read_capped(resp)
                return RecordedResponse(resp.status_code, dict(resp.headers), body, oversized), None
        except requests.exceptions.ConnectTimeout:
            return None, "connect timeout"
        except requests.exceptions.ReadTimeout:
            return None, "read timeout"
        except requests.exceptions.ConnectionError as exc:
            return None, _connection_error_text(exc)
        except requests.exceptions.ChunkedEncodingError:
            return None, "connection reset while reading the body"

    def _read_capped(self, resp: requests.Response) -> tuple[bytes, bool]:
        chunks, size = [], 0
        for chunk in resp.iter_content(chunk_size=65536):
            chunks.append(chunk)
            size += len(chunk)
            if size > self.max_response_bytes:
                return b"".join(chunks)[: self.max_response_bytes], True
        return b"".join(chunks), False

    def _record(self, request: AWSRequest) -> RecordedRequest:
        prepared = request.prepare()
        body = prepared.body or b""
        text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else str(body)
        return RecordedRequest(method=prepared.method, url=redact_url(prepared.url, self._secrets),
                               headers=redact_headers(dict(prepared.headers), self._secrets),
                               body=redact_form(text, self._secrets))


def _retry_reason(response: RecordedResponse | None, error: str | None) -> str | None:
    if error in ("connection reset", "connection reset while reading the body"):
        return error
    if response is None:
        return None
    if response.status == 503:
        return "HTTP 503"
    if 400 <= response.status < 600:
        match = _CODE_RE.search(response.body[:4096])
        if match and match.group(1).decode("ascii", "replace") in RETRYABLE_CODES:
            return match.group(1).decode("ascii", "replace")
    return None


def _connection_error_text(exc: Exception) -> str:
    text = str(exc)
    if "Connection refused" in text or "Failed to establish" in text or "Name or service" in text:
        return "connection refused"
    if "reset" in text.lower() or "aborted" in text.lower():
        return "connection reset"
    return "connection error: " + text.splitlines()[0][:200]
