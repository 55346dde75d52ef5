"""Checks on the HTTP answer itself, before its body: that there is one, and that its
Content-Type says what the body is."""

from __future__ import annotations

from ..outcome import Severity
from ._document import _finding
from ._registry import check

ANSWERED_REF = ("Query Response Structures ('In response to a Query request, the service "
                "returns an XML data structure'; every successful and every unsuccessful "
                "response carries a request ID)")
CONTENT_TYPE_REF = ("Query Response Structures (the service returns an XML data structure); "
                    "XML's media types are text/xml, application/xml and */*+xml (RFC 7303), "
                    "so a label naming another type misdescribes the answer")
# Transport errors that mean the target took the request and then failed to answer it.
# A refused connection is not here: the client raises EndpointUnreachable, a usage error.
_NO_ANSWER = {"read timeout": "no complete answer within the request timeout",
              "connection reset": "the connection was reset before an answer",
              "connection reset while reading the body": "the connection was reset while the "
                                                         "answer was being read",
              "malformed HTTP response": "what came back was not an HTTP response"}


def _is_xml_media_type(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media in ("text/xml", "application/xml") or media.endswith("+xml")


@check(name="answered", spec_ref=ANSWERED_REF,
       description="every request gets an answer: no read timeout, no connection dropped "
                   "before the answer was complete")
def answered(exchange, ctx):
    if exchange.response is not None:
        return []
    what = _NO_ANSWER.get(exchange.error or "")
    if what is None:
        return None  # not the target's doing (connect timeout, a client-side error)
    return [_finding("answered", ctx, f"{what} ({exchange.error} after "
                     f"{exchange.elapsed:.1f} s; --timeout sets how long the suite waits)",
                     ANSWERED_REF, expected="an answer", observed=exchange.error)]


@check(name="content-type", spec_ref=CONTENT_TYPE_REF,
       description="an XML answer is labelled with an XML media type (text/xml, "
                   "application/xml), not as JSON, HTML or text")
def content_type(exchange, ctx):
    a = ctx.analysis(exchange)
    if a.response is None or a.root is None:
        return None  # not XML at all: xml-content says so, whatever the label
    label = a.response.content_type
    if _is_xml_media_type(label):
        return []
    if not label:
        return [_finding("content-type", ctx, "the XML answer has no Content-Type header",
                         CONTENT_TYPE_REF, Severity.WARNING, expected="text/xml",
                         observed="(none)")]
    return [_finding("content-type", ctx, f"the XML answer is labelled Content-Type: {label}, "
                     "which is not an XML media type", CONTENT_TYPE_REF,
                     expected="text/xml or application/xml", observed=label)]
