"""Recorded request/response pairs, with credentials redacted at record time.

Nothing that leaves this module (reports, saved examples, terminal output)
can carry an ``Authorization`` header, a signature, a session token or an
access key: redaction happens before an ``Exchange`` exists.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from ._raw import encode_pairs

REDACTED = "REDACTED"
SECRET_HEADERS = {"authorization", "x-amz-security-token"}
SECRET_PARAMS = {"signature", "x-amz-signature", "x-amz-security-token", "securitytoken",
                 "awsaccesskeyid", "x-amz-credential"}
# AWS access key IDs (AKIA/ASIA + 16) anywhere in text.
_ACCESS_KEY_RE = re.compile(r"\b(?:AKIA|ASIA|AIDA|AROA)[A-Z0-9]{16}\b")


@dataclass
class RecordedRequest:
    method: str
    url: str
    headers: dict[str, str]
    body: str


@dataclass
class RecordedResponse:
    status: int
    headers: dict[str, str]
    body: bytes
    oversized: bool = False  # the body hit the size cap and was cut there

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", self.headers.get("content-type", ""))


@dataclass
class Exchange:
    """One request and what came back (``response`` is None on transport error)."""

    action: str | None
    pairs: list[tuple[str, str]]  # unsigned wire pairs: what `reproduce` re-signs
    request: RecordedRequest
    response: RecordedResponse | None
    elapsed: float
    retries: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None  # transport error ("timeout", "connection refused", ...)

    def to_json(self, body_limit: int = 20_000) -> dict[str, Any]:
        data = asdict(self)
        data["pairs"] = [list(p) for p in self.pairs]
        if self.response is not None:
            text = self.response.text
            data["response"]["body"] = text[:body_limit]
            data["response"]["body_truncated_in_report"] = len(text) > body_limit
        return data


def redact_headers(headers: dict[str, str], secrets: tuple[str, ...] = ()) -> dict[str, str]:
    return {k: REDACTED if k.lower() in SECRET_HEADERS else redact_text(v, secrets)
            for k, v in headers.items()}


def redact_pairs(pairs: list[tuple[str, str]], secrets: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    return [(k, REDACTED if k.lower() in SECRET_PARAMS else redact_text(v, secrets))
            for k, v in pairs]


def redact_form(body: str, secrets: tuple[str, ...] = ()) -> str:
    """Redact a form-encoded body; a body that is not a form is redacted as text."""
    try:
        pairs = parse_qsl(body, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        return redact_text(body, secrets)
    return encode_pairs(redact_pairs(pairs, secrets))


def redact_url(url: str, secrets: tuple[str, ...] = ()) -> str:
    parts = urlsplit(url)
    query = redact_form(parts.query, secrets) if parts.query else ""
    return urlunsplit(parts._replace(query=query))


def redact_text(text: str, secrets: tuple[str, ...] = ()) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return _ACCESS_KEY_RE.sub(REDACTED, text)
