"""Read one answer: success or error code, and the result as boto3-shaped dicts.

The body goes through the checks layer's one hardened parse path; botocore's
own EC2 response parser then maps the tree onto the action's output shape, so
the model reads ``{"Vpc": {"VpcId": ...}}`` exactly as boto3 users do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import botocore.model
from botocore.parsers import EC2QueryParser
from lxml import etree

from ..protocol import Exchange


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


class _TreeParser(EC2QueryParser):
    """botocore's parser fed an already-parsed (hardened) lxml tree."""

    def __init__(self, root: etree._Element):
        super().__init__(timestamp_parser=str)  # keep timestamps as sent
        self._root = root

    def _parse_xml_string_to_dom(self, xml_string: bytes) -> etree._Element:
        return self._root


def read_reply(exchange: Exchange, operation: botocore.model.OperationModel) -> Reply:
    response = exchange.response
    if response is None:
        return Reply(None, problem=exchange.error or "no response")
    try:
        root = _parse(response.body)
    except ValueError as exc:  # the checks layer's ResponseParseError is a ValueError
        return Reply(response.status, problem=f"{getattr(exc, 'kind', 'malformed')}: {exc}")
    for node in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        node.getparent().remove(node) if node.getparent() is not None else None
    if response.status >= 300:
        code = _first_text(root, "Code")
        return Reply(response.status, code=code, message=_first_text(root, "Message") or "",
                     problem=None if code else "error answer without an error code")
    if operation.output_shape is None:
        return Reply(response.status)
    try:
        data = _TreeParser(root).parse({"body": response.body, "status_code": response.status,
                                        "headers": response.headers}, operation.output_shape)
    except Exception as exc:  # botocore raises assorted errors on ill-typed values
        return Reply(response.status, problem=f"result does not fit {operation.name}: "
                                              f"{type(exc).__name__}: {str(exc)[:200]}")
    data.pop("ResponseMetadata", None)
    return Reply(response.status, data=data)


def _parse(body: bytes) -> etree._Element:
    """The checks layer's hardened parse (imported late: that layer is being built)."""
    try:
        from ..checks import parse_response
    except ImportError:
        try:
            from ..protocol import parse_response
        except ImportError:
            parse_response = _fallback_parse
    return parse_response(body)


def _fallback_parse(body: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    try:
        return etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"body is not well-formed XML: {exc}") from None


def _first_text(root: etree._Element, local: str) -> str | None:
    for node in root.iter(etree.Element):
        if etree.QName(node).localname == local:
            return (node.text or "").strip()
    return None
