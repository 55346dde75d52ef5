"""The raw layer: requests botocore would refuse to build.

A ``RawRequest`` is ordered wire pairs (duplicates allowed, any names, any
values, ``Action``/``Version`` optional) or a literal body.  The fuzzer's
wire-level faults are built here; ``serialize`` output is just one kind of pairs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

Pairs = list[tuple[str, str]]
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8"


@dataclass
class RawRequest:
    pairs: Pairs = field(default_factory=list)
    method: str = "POST"
    # A literal body replaces the encoded pairs (malformed encodings, bad UTF-8).
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    sign: bool = True
    # Sign with the right access key but a wrong secret: a well-formed signature of the
    # current time that the service cannot reproduce (SignatureDoesNotMatch).
    wrong_secret: bool = False

    @property
    def action(self) -> str | None:
        return next((v for k, v in self.pairs if k == "Action"), None)

    def encoded(self) -> bytes:
        if self.body is not None:
            return self.body
        return encode_pairs(self.pairs).encode("utf-8")


def encode_pairs(pairs: Pairs) -> str:
    """Form-encode pairs in order, spaces as %20 (what AWS SDKs send)."""
    return urlencode(pairs, quote_via=quote, safe="-_.~")

