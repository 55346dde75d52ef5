"""Read one answer: success or error code, and the result as boto3-shaped dicts.

The body goes through the protocol layer's one hardened parse path; botocore's
own EC2 response parser (its public ``parse``) then maps the document onto the
action's output shape, so the model reads ``{"Vpc": {"VpcId": ...}}`` exactly as
boto3 users do.  botocore parses with the standard library, so it is given only
what the hardened parse accepted (no DTD, so no entities), in UTF-8.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import botocore.model
from botocore.parsers import EC2QueryParser
from lxml import etree

from ..protocol import Exchange, ResponseParseError, first_text, parse_response


@dataclass
class Reply:
    status: int | None  # None: no answer at all (transport error)
    code: str | None = None  # the EC2 error code of an error answer
    message: str = ""
    data: dict[str, Any] = field(default_factory=dict)  # parsed output of a success
    problem: str | None = None  # why the answer could not be read

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300 and self.problem is None

    @property
    def answered(self) -> bool:
        return self.status is not None

    def describe(self) -> str:
        """One line for a finding's ``observed``."""
        if self.status is None:
            return f"no answer ({self.problem})"
        if self.code:
            return f"HTTP {self.status} {self.code}"
        if self.problem:
            return f"HTTP {self.status}, unreadable: {self.problem}"
        return f"HTTP {self.status} success"


def read_reply(exchange: Exchange, operation: botocore.model.OperationModel) -> Reply:
    response = exchange.response
    if response is None:
        return Reply(None, problem=exchange.error or "no response")
    try:
        root = parse_response(response.body, remove_comments=True)
    except ResponseParseError as exc:
        return Reply(response.status, problem=f"{exc.kind}: {exc}")
    if response.status >= 300:
        code = first_text(root, "Code")
        return Reply(response.status, code=code, message=first_text(root, "Message") or "",
                     problem=None if code else "error answer without an error code")
    if operation.output_shape is None:
        return Reply(response.status)
    try:
        data = EC2QueryParser(timestamp_parser=str).parse(  # timestamps kept as sent
            {"body": _as_utf8(response.body, root), "status_code": response.status,
             "headers": response.headers}, operation.output_shape)
    except Exception as exc:  # botocore raises assorted errors on ill-typed values
        return Reply(response.status, problem=f"result does not fit {operation.name}: "
                                              f"{type(exc).__name__}: {str(exc)[:200]}")
    data.pop("ResponseMetadata", None)
    return Reply(response.status, data=data)


def _as_utf8(body: bytes, root: etree._Element) -> bytes:
    """What botocore's parser reads (as UTF-8, with the standard library): the body the
    hardened parse accepted, so one without a DTD and so without entities, or, in another
    encoding, that document written out as UTF-8."""
    if (root.getroottree().docinfo.encoding or "").upper() == "UTF-8":
        return body
    return etree.tostring(root, encoding="utf-8")
