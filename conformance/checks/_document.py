"""Checks on the response as a document: status class, XML at all, well-formed,
the root element, the namespace."""

from __future__ import annotations

import re

from ..outcome import Finding, Severity
from ..protocol import NOT_XML_KINDS
from ._registry import check

STATUS_REF = ("Error Codes (client errors are accompanied by a 400-series HTTP status, "
              "server errors by a 500-series)")
RESPONSE_REF = ("Query Response Structures (the service returns an XML data structure that "
                "conforms to an XML schema defined for Amazon EC2)")
ROOT_REF = ("Query Response Structures; each action's Examples (<Action>Response); "
            "Error Codes > Example Error Response (<Response>)")
NAMESPACE_REF = ("Query Response Structures ('conforms to an XML schema defined for Amazon "
                 "EC2'): the schema of API {version} is in http://ec2.amazonaws.com/doc/{version}/")
ENVELOPE_NAMESPACE_REF = ("Error Codes > Example Error Response (the only error example has no "
                          "namespace; no sentence gives the envelope one)")
_VERSIONED_NS = re.compile(r"^https?://ec2\.amazonaws\.com/doc/(\d{4}-\d{2}-\d{2})/?$")


def _finding(name, ctx, message, ref, severity=Severity.VIOLATION, **kw) -> Finding:
    return Finding(check=name, severity=severity, action=ctx.action, message=message,
                   spec_ref=ref, **kw)


@check(name="http-status-class", spec_ref=STATUS_REF,
       description="2xx for a success response, 4xx for a client error, 5xx only for a "
                   "server error of the spec's Server Errors")
def http_status_class(exchange, ctx):
    a = ctx.analysis(exchange)
    if a.response is None:
        return None
    status = a.response.status
    if a.kind == "success":
        if 200 <= status < 300:
            return []
        return [_finding("http-status-class", ctx, f"HTTP {status} with a success response "
                         f"<{a.root_name}>", STATUS_REF, expected="2xx", observed=str(status),
                         extra={"rule_key": "http-status-class:success"})]
    if a.kind == "error" and a.error_codes:
        code = a.error_codes[0]
        server = _bare(code) in ctx.catalog.server_errors
        if not server and _bare(code) not in client_errors(ctx.catalog):
            return []  # undocumented: error-code-documented says so; its class is unknown
        low, high, label = (500, 600, "5xx") if server else (400, 500, "4xx")
        if low <= status < high:
            return []
        why = "a server error (Server Errors)" if server else "a client error"
        return [_finding("http-status-class", ctx, f"HTTP {status} for error code {code}, "
                         f"which is {why}", STATUS_REF, expected=label, observed=str(status))]
    if status < 200 or 300 <= status < 400 or status >= 600:
        return [_finding("http-status-class", ctx, f"HTTP {status}: EC2 answers with a success "
                         "(2xx) or an error (4xx client, 5xx server)", STATUS_REF,
                         expected="2xx, 4xx or 5xx", observed=str(status),
                         extra={"rule_key": "http-status-class:other"})]
    return []  # 2xx/4xx/5xx without a judgeable body: the body checks report it


@check(name="xml-content", spec_ref=RESPONSE_REF,
       description="the body is an XML document (not empty, HTML, JSON or text)")
def xml_content(exchange, ctx):
    a = ctx.analysis(exchange)
    if a.response is None:
        return None
    err = a.parse_error
    if err is None or err.kind not in NOT_XML_KINDS:
        return []
    ctype = a.response.content_type or "no Content-Type"
    return [_finding("xml-content", ctx, f"{err.message} (HTTP {a.response.status}, {ctype})",
                     RESPONSE_REF, expected="an XML document", observed=err.kind)]


@check(name="well-formed", spec_ref=RESPONSE_REF,
       description="the XML body parses: complete, well-formed, valid encoding, no DTD or "
                   "entities, within the size and depth limits")
def well_formed(exchange, ctx):
    a = ctx.analysis(exchange)
    if a.response is None:
        return None
    err = a.parse_error
    if err is None or err.kind in NOT_XML_KINDS:
        return []
    if a.response.oversized:  # the suite cut it: say so, do not blame the target for the cut
        return [_finding("well-formed", ctx, "body exceeded the client's size cap and was cut; "
                         "not judged", RESPONSE_REF, Severity.WARNING, observed="oversized")]
    return [_finding("well-formed", ctx, err.message, RESPONSE_REF,
                     expected="well-formed XML", observed=err.kind)]


@check(name="root-element", spec_ref=ROOT_REF,
       description="the root element is <ActionResponse> for the action requested, or the "
                   "error envelope <Response>")
def root_element(exchange, ctx):
    a = ctx.analysis(exchange)
    if a.root is None:
        return None
    if a.kind == "error" or a.judged_action is not None:
        return []
    expected = (f"<{ctx.action}Response> or <Response>" if ctx.action
                else "<ActionResponse> of an action of the catalog, or <Response>")
    return [_finding("root-element", ctx, f"root element is <{a.root_name}>; expected {expected}",
                     ROOT_REF, expected=expected, observed=f"<{a.root_name}>",
                     path=f"/{a.root_name}")]


@check(name="namespace", spec_ref=NAMESPACE_REF.format(version="<Version>"),
       description="a success response is in the namespace of the requested Version "
                   "(with its trailing slash); the error envelope has none")
def namespace(exchange, ctx):
    a = ctx.analysis(exchange)
    if a.kind not in ("success", "error"):
        return None
    observed, expected = a.observed_namespace, a.expected_namespace
    if observed == expected:
        return []
    ref, extra = NAMESPACE_REF.format(version=ctx.version), {}
    if a.kind == "error":
        message = f"error envelope is in namespace {observed}; the spec's example envelope has none"
        ref, extra = ENVELOPE_NAMESPACE_REF, {"rule_key": "namespace:error-envelope"}
    else:
        # What the observed namespace is goes right after it, so it cannot be read as
        # describing the expected one.
        served = observed or "(none)"
        match = _VERSIONED_NS.match(observed)
        other_version = bool(match) and match.group(1) != ctx.version
        if other_version:
            served += f", API version {match.group(1)}'s namespace,"
        message = f"response namespace is {served}; expected {expected}"
        if not other_version and observed.rstrip("/") == expected.rstrip("/"):
            message += " (only the trailing slash differs; namespace names compare exactly)"
    return [_finding("namespace", ctx, message, ref, expected=expected or "(no namespace)",
                     observed=observed or "(no namespace)", path=f"/{a.root_name}", extra=extra)]


def client_errors(catalog) -> set[str]:
    """Every client error code the spec documents (common, action-specific, unscoped)."""
    return (set(catalog.common_errors) | set(catalog.specific_errors)
            | set(catalog.overlay.get("unscoped_errors", {}).get("codes", ())))


def _bare(code: str) -> str:
    """The spec's troubleshooting text writes Client.X/Server.X; its tables list X."""
    for prefix in ("Client.", "Server."):
        if code.startswith(prefix):
            return code[len(prefix):]
    return code
