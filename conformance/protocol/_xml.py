"""The one hardened parse path for XML a target sends.

Every reader of a response body (the checks, the world, the machines' replies,
the fault proxy, the differential normaliser) parses through ``parse_response``:
libxml2 through lxml with no DTD loading, no entity resolution, no network,
its default depth and text-size limits (no ``huge_tree``), and a byte cap.  A
document type declaration is refused outright: EC2 responses carry none, and
XXE and entity-expansion attacks both need one.  Every failure is a
``ResponseParseError`` whose ``kind`` says which and whose message is one line.
Values are looked up by local name (targets disagree on the namespace).
"""

from __future__ import annotations

import re

from lxml import etree

DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # the recording client's own cap

# Kinds of failure: "empty" and "not-xml" mean the body is not an XML document
# at all; the rest mean it tries to be one and fails.
NOT_XML_KINDS = frozenset({"empty", "not-xml"})

_PROLOG_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_HTML_START = re.compile(rb"<(!doctype\s+html|html[\s>])", re.IGNORECASE)
_TRUNCATED = ("Premature end of data", "EndTag: '</' not found")


class ResponseParseError(ValueError):
    """The body is not a usable XML document; ``kind`` classifies why."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


def _parser(remove_comments: bool) -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False, collect_ids=False,
                           remove_pis=True, remove_comments=remove_comments)


def parse_response(body: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES,
                   remove_comments: bool = False) -> etree._Element:
    """Parse a response body into its root element, or raise ``ResponseParseError``.

    ``remove_comments``: drop comments, for readers that take an element's text
    (a comment inside an element would split it); the checks keep them.
    """
    if not isinstance(body, (bytes, bytearray)):
        raise TypeError(f"body must be bytes, not {type(body).__name__}")
    if len(body) > max_bytes:
        raise ResponseParseError("too-large", f"body is {len(body)} bytes, over the "
                                              f"{max_bytes}-byte cap; not parsed")
    head = bytes(body[:4096]).lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head:
        raise ResponseParseError("empty", "body is empty; an EC2 response is an XML document")
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
    if not utf16 and not head.startswith(b"<"):
        raise ResponseParseError("not-xml", f"body is not XML: it starts {_preview(head)}")
    if _HTML_START.match(head):
        raise ResponseParseError("not-xml", f"body is HTML, not XML: it starts {_preview(head)}")
    if _PROLOG_DOCTYPE.search(_prolog(head)):
        raise ResponseParseError("dtd", "body declares a DOCTYPE; EC2 responses carry no DTD "
                                        "(refused unparsed: entities and XXE ride on DTDs)")
    try:
        root = etree.fromstring(bytes(body), _parser(remove_comments))
    except etree.XMLSyntaxError as exc:
        raise _classify(exc, bytes(body)) from None
    except ValueError as exc:  # e.g. an encoding lxml cannot decode
        raise ResponseParseError("encoding", f"body cannot be decoded: {exc}") from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:  # e.g. a DTD the prolog scan missed
        raise ResponseParseError("dtd", "body declares a DOCTYPE; EC2 responses carry no DTD")
    return root


def parse_or_none(body: bytes) -> etree._Element | None:
    """The root element without comments, or ``None`` for anything not a usable document
    (for readers that only look values up; the checks judge why a body is unusable)."""
    try:
        return parse_response(body, remove_comments=True)
    except (ResponseParseError, TypeError):
        return None


def first_text(root: etree._Element, name: str) -> str | None:
    """Text of the first element whose local name is ``name`` (or of an ``xpath:``)."""
    if name.startswith("xpath:"):
        found = root.xpath(name[len("xpath:"):])
        if not found:
            return None
        item = found[0]
        return (item.text if hasattr(item, "text") else str(item) or "").strip() or None
    for element in root.iter():
        if isinstance(element.tag, str) and etree.QName(element).localname == name:
            return (element.text or "").strip() or None
    return None


def all_texts(root: etree._Element, name: str) -> list[str]:
    return [(e.text or "").strip() for e in root.iter()
            if isinstance(e.tag, str) and etree.QName(e).localname == name and e.text]


def error_code(root: etree._Element | None) -> str | None:
    if root is None:
        return None
    return first_text(root, "Code")


# Codes that name the action itself as unknown: the spec's InvalidAction ("The action or
# operation requested is invalid"), and AWS's own UnsupportedOperation and NotImplemented.
# With HTTP 501 they are how the protocol says "no such action".
UNKNOWN_ACTION_CODES = frozenset({"InvalidAction", "UnsupportedOperation", "NotImplemented"})


def _prolog(head: bytes) -> bytes:
    """The bytes before the root element's start tag (where a DOCTYPE can be)."""
    pos = 0
    while True:
        start = head.find(b"<", pos)
        if start < 0 or head[start + 1:start + 2] not in (b"?", b"!"):
            return head[:start if start >= 0 else len(head)]
        if head.startswith(b"<!--", start):
            end = head.find(b"-->", start)
            pos = len(head) if end < 0 else end + 3
        elif head[start + 1:start + 2] == b"?":
            end = head.find(b"?>", start)
            pos = len(head) if end < 0 else end + 2
        else:  # <!DOCTYPE or <![CDATA[ before the root: let the scan see it
            return head[:start + 16]


def _classify(exc: etree.XMLSyntaxError, body: bytes) -> ResponseParseError:
    msg = (exc.msg or str(exc)).strip().splitlines()[0]  # lxml appends "line L, column C"
    if "not proper UTF-8" in msg or "character encoding" in msg or "Unsupported encoding" in msg:
        return ResponseParseError("encoding", f"body is not valid in its encoding: {msg}")
    if "Excessive depth" in msg or "XML_PARSE_HUGE" in msg:
        return ResponseParseError("too-deep", f"body exceeds the parser's limits: {msg}")
    if "amplification" in msg:
        return ResponseParseError("entity", f"entity expansion refused: {msg}")
    if "Entity '" in msg:
        return ResponseParseError("entity", f"body uses an undeclared entity: {msg}")
    if any(marker in msg for marker in _TRUNCATED) or (
            _at_end(exc, body) and "mismatch" not in msg):
        return ResponseParseError("truncated", f"body is truncated: {msg}")
    return ResponseParseError("malformed", f"body is not well-formed XML: {msg}")


def _at_end(exc: etree.XMLSyntaxError, body: bytes) -> bool:
    """libxml2 stopped at the end of the input (only whitespace after): it was cut short."""
    line, column = exc.position if exc.position else (0, 0)
    if not line:
        return False
    lines = body.split(b"\n")
    offset = sum(len(text) + 1 for text in lines[:line - 1]) + max(column - 1, 0)
    return not body[offset:].strip()


def _preview(head: bytes) -> str:
    text = head[:40].decode("utf-8", errors="replace")
    return repr(text + ("..." if len(head) > 40 else ""))
