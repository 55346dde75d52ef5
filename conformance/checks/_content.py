"""Checks on a response's content: schema validity, later-version extensions, the
request ID, and ``<return>true</return>``."""

from __future__ import annotations

from lxml import etree

from ..outcome import Finding, Severity
from ..schemas import build_ir
from ._conflicts import conflicts_for
from ._document import _finding
from ._registry import check
from ._walk import element_path, types_along

SCHEMA_REF = "Data Types; <Action> > Response Elements"
EXTENSION_REF = "added by a later API version ({later}, botocore's model); not in {version}"
REQUEST_ID_REF = ("Query Response Structures (every successful response includes a request ID "
                  "in a requestId element, every unsuccessful one in a RequestID element)")
RETURN_REF = "{action} > Response Elements > return ('true if the request succeeds, and an " \
             "error otherwise')"
CONFLICT_REF = "schemas/conflicts-<version>.json (each conflict quotes both passages)"
_ERROR_TYPES = {"Response": "ErrorResponse", "Errors": "ErrorList", "Error": "Error",
                "Code": "Error", "Message": "Error", "RequestID": "ErrorResponse"}


@check(name="schema", spec_ref=SCHEMA_REF,
       description="the success response validates against the requested version's XSD "
                   "(types, enumerations, required and unexpected elements, any order)")
def schema(exchange, ctx):
    a = ctx.analysis(exchange)
    if a.kind != "success" or a.judged_action is None:
        return None
    ir = build_ir(ctx.catalog.api_version)
    response_type = ir.responses[a.judged_action]
    return _grouped(ctx, "schema", a.schema_issues,
                    lambda names: _data_type(ir, response_type, names),
                    lambda data_type: _schema_ref(ir, a.judged_action, data_type))


@check(name="error-envelope", spec_ref="Error Codes > Example Error Response",
       description="an error response is <Response><Errors><Error><Code/><Message/></Error>"
                   "</Errors><RequestID/></Response>")
def error_envelope(exchange, ctx):
    a = ctx.analysis(exchange)
    if a.kind != "error":
        return None
    return _grouped(ctx, "error-envelope", a.schema_issues,
                    lambda names: _ERROR_TYPES.get(names[-1] if names else "", "ErrorResponse"),
                    lambda _: "Error Codes > Example Error Response")


@check(name="extension", spec_ref=EXTENSION_REF.format(later="2016-11-15", version="<Version>"),
       description="elements and enumeration values a later API version added (reported, "
                   "never a failure)")
def extension(exchange, ctx):
    a = ctx.analysis(exchange)
    later = ctx.later()
    if a.prepared is None or a.kind != "success" or later is None:
        return None
    ref = EXTENSION_REF.format(later=later.api_version, version=ctx.catalog.api_version)
    groups: dict[tuple, list] = {}
    for hit in a.prepared.extensions:
        groups.setdefault((hit.path, hit.value), []).append(hit)
    findings = []
    for (path, value), hits in groups.items():
        hit = hits[0]
        if value is None:
            message = (f"<{hit.element}> is not part of {hit.data_type} in API "
                       f"{ctx.catalog.api_version}; API {later.api_version} added it")
        else:
            message = (f"value {value!r} of <{hit.element}> is not allowed in API "
                       f"{ctx.catalog.api_version}; API {later.api_version} added it")
        findings.append(_finding("extension", ctx, message, ref, Severity.EXTENSION,
                                 expected=f"API {ctx.catalog.api_version}",
                                 observed=value if value is not None else f"<{hit.element}>",
                                 data_type=hit.data_type, path=path,
                                 extra={"line": hit.line, "count": len(hits),
                                        "later_type": hit.later_type}))
    return findings


@check(name="spec-conflict", spec_ref=CONFLICT_REF,
       description="where the spec disagrees with itself (a table against its own sample, or "
                   "against the samples and botocore's model), the reading the schema does not "
                   "keep: accepted, reported as a warning quoting both passages")
def spec_conflict(exchange, ctx):
    a = ctx.analysis(exchange)
    if a.kind != "success" or a.judged_action is None:
        return None
    groups: dict[tuple, list] = {}
    for hit in a.conflict_hits:
        groups.setdefault((hit.conflict["id"], hit.path, hit.observed), []).append(hit)
    return [_finding("spec-conflict", ctx, f"{hit.observed} at {hit.path}: the spec says both "
                     f"(conflict {hit.conflict['id']}); accepted as {hit.accepted_as}. "
                     f"{hit.conflict['wins']}", hit.quote, Severity.SPEC_CONFLICT,
                     expected=hit.accepted_as, observed=hit.observed, path=hit.path,
                     data_type=hit.data_type,
                     extra={"conflict": hit.conflict["id"], "count": len(hits)})
            for hits in groups.values() for hit in hits[:1]]


@check(name="request-id", spec_ref=REQUEST_ID_REF,
       description="a success response has a non-empty requestId, an error response a "
                   "non-empty RequestID")
def request_id(exchange, ctx):
    a = ctx.analysis(exchange)
    if a.kind not in ("success", "error"):
        return None
    name = "requestId" if a.kind == "success" else "RequestID"
    element = a.child(name)
    path = f"/{a.root_name}/{name}"
    if element is None:
        action = ctx.action or a.response_action
        conflict = conflicts_for(ctx.catalog.api_version, f"{action}ResponseType",
                                 "missing-request-id") if a.kind == "success" else []
        if conflict:  # this action's own sample has none: the spec says both
            quote = "; ".join(f'{p["section"]}: "{p["passage"]}"'
                              for p in conflict[0]["passages"])
            return [_finding("request-id", ctx, f"<{a.root_name}> has no <{name}>, as the "
                             f"spec's own sample of {action} (spec conflict "
                             f"{conflict[0]['id']}: {conflict[0]['wins']})", quote,
                             Severity.SPEC_CONFLICT, expected=f"<{name}>", observed="absent",
                             path=path, extra={"conflict": conflict[0]["id"]})]
        return [_finding("request-id", ctx, f"<{a.root_name}> has no <{name}>", REQUEST_ID_REF,
                         expected=f"<{name}>", observed="absent", path=path)]
    if len(element) or not (element.text or "").strip():
        return [_finding("request-id", ctx, f"<{name}> is empty or not text", REQUEST_ID_REF,
                         expected="a request ID string", observed=etree.tostring(
                             element, encoding="unicode", with_tail=False)[:200], path=path)]
    return []


@check(name="return-true", spec_ref=RETURN_REF.format(action="<Action>"),
       description="an action whose response is a boolean answers <return>true</return> "
                   "when it succeeds")
def return_true(exchange, ctx):
    a = ctx.analysis(exchange)
    if a.kind != "success" or a.judged_action is None:
        return None
    members = build_ir(ctx.catalog.api_version).response_type(a.judged_action).by_name
    if set(members) != {"requestId", "return"}:
        return None
    element = a.child("return")
    if element is None:
        return None  # absent: the schema check reports the missing required element
    value = (element.text or "").strip()
    if value != "false":  # true passes; a value that is no boolean is the schema's finding
        return []
    return [_finding("return-true", ctx, f"success response says <return>{value}</return>",
                     RETURN_REF.format(action=a.judged_action), expected="true", observed=value,
                     path=f"/{a.root_name}/return", data_type=f"{a.judged_action}ResponseType")]


def _grouped(ctx, name: str, issues, data_type_of, ref_of) -> list[Finding]:
    """One finding per element path and kind of error, counting repeats (list items)."""
    groups: dict[tuple, list] = {}
    for issue in issues:
        path = element_path(issue.element) if issue.element is not None else None
        groups.setdefault((path, issue.kind), []).append(issue)
    findings = []
    for (path, _kind), group in groups.items():
        issue = group[0]
        names = path.strip("/").split("/")[1:] if path else []
        extra = {"line": issue.line, "count": len(group)}
        if issue.element is not None:
            extra["location"] = element_path(issue.element, positions=True)
        data_type = data_type_of(names)
        findings.append(_finding(name, ctx, issue.message, ref_of(data_type),
                                 expected=issue.expected, observed=issue.observed, path=path,
                                 data_type=data_type, extra=extra))
    return findings


def _schema_ref(ir, action: str, data_type: str) -> str:
    if data_type.endswith("ResponseType"):
        return f"{action} > Response Elements"
    if data_type in ir.spec_types:
        return f"Data Types > {data_type}"
    return f"{action} > Response Elements (type {data_type} of botocore's {ir.api_version} model)"


def _data_type(ir, response_type: str, names: list[str]) -> str:
    """The spec data type an element belongs to: its own if a structure, else its holder's."""
    chain = types_along(ir, response_type, names)
    if len(chain) == len(names) + 1 and chain[-1].kind in ("struct", "list"):
        return chain[-1].name
    holders = chain[:len(names)] if len(chain) > len(names) else chain
    return holders[-1].name if holders else response_type
