"""Checks on error codes and on what the caller expected."""

from __future__ import annotations

from ..outcome import Severity
from ._document import _bare, _finding, client_errors
from ._registry import check

CODES_REF = ("Error Codes > Common Client Errors, Client Errors For Specific Actions, "
             "Server Errors")
EXPECTATION_REF = "the request's expectation (its spec_ref names the rule)"


@check(name="error-code-documented", spec_ref=CODES_REF,
       description="the error code is one the spec documents, and one the catalog lists for "
                   "this action (common + action-specific + server errors)")
def error_code_documented(exchange, ctx):
    a = ctx.analysis(exchange)
    if a.kind != "error" or not a.error_codes:
        return None
    catalog = ctx.catalog
    everywhere = client_errors(catalog) | set(catalog.server_errors)
    action = catalog.actions.get(ctx.action) if ctx.action else None
    findings = []
    for code in dict.fromkeys(a.error_codes):
        bare = _bare(code)
        path = f"/{a.root_name}/Errors/Error/Code"
        if bare != code:
            findings.append(_finding(
                "error-code-documented", ctx, f"error code {code!r} carries a prefix; the spec's "
                "error tables and Example Error Response use the bare code", CODES_REF,
                Severity.WARNING, expected=bare, observed=code, path=path))
        if bare not in everywhere:
            if not everywhere:
                continue  # no overlay for this version: nothing to judge against
            source = catalog.overlay.get("api_version", catalog.api_version)
            findings.append(_finding(
                "error-code-documented", ctx, f"error code {code!r} is not documented by the "
                f"spec (the {source} API Reference's error codes)",
                CODES_REF, expected="a documented error code", observed=code, path=path))
        elif action is not None and bare not in action.errors and bare not in catalog.server_errors:
            ref = action.overlay.get("spec_ref", action.name)
            findings.append(_finding(
                "error-code-documented", ctx, f"error code {code!r} is documented, but not for "
                f"{action.name} (catalog overlay entry {ref})", f"overlay {ref} > errors; "
                + CODES_REF, Severity.WARNING, expected=f"one of {action.name}'s error codes",
                observed=code, path=path))
    return findings


@check(name="expected-outcome", spec_ref=EXPECTATION_REF,
       description="the request succeeded or failed as the caller's expectation says")
def expected_outcome(exchange, ctx):
    exp = ctx.expectation
    a = ctx.analysis(exchange)
    if exp is None or a.response is None:
        return None
    status = a.response.status
    observed = _observed_outcome(a)
    if exp.outcome == "success" and observed == "success":
        return []
    if exp.outcome == "error" and observed == "error":
        return []
    server = any(_bare(c) in ctx.catalog.server_errors for c in a.error_codes)
    severity = Severity.WARNING if server else Severity.VIOLATION
    rule = f" ({exp.rule})" if exp.rule else ""
    if exp.outcome == "success":
        what = f"error {', '.join(a.error_codes)}" if a.error_codes else f"HTTP {status}"
        message = f"expected success{rule}, got {what}"
        if server:
            message += "; a server error, which the spec allows for any request"
    else:
        message = f"expected an error{rule}, got {observed} (HTTP {status})"
    return [_finding("expected-outcome", ctx, message, exp.spec_ref or EXPECTATION_REF, severity,
                     expected=exp.outcome, observed=observed,
                     extra={"rule": exp.rule, "status": status})]


@check(name="expected-error-code", spec_ref=EXPECTATION_REF,
       description="the error code is in the set the caller expected")
def expected_error_code(exchange, ctx):
    exp = ctx.expectation
    a = ctx.analysis(exchange)
    if exp is None or exp.outcome != "error" or not exp.codes or a.response is None:
        return None
    if not a.error_codes:
        if a.kind == "success":
            return None  # expected-outcome reports the success
        return [_finding("expected-error-code", ctx, f"expected error code "
                         f"{' | '.join(sorted(exp.codes))}, but the response (HTTP "
                         f"{a.response.status}) carries no error code",
                         exp.spec_ref or EXPECTATION_REF, expected=" | ".join(sorted(exp.codes)),
                         observed="no error code", extra={"rule": exp.rule})]
    codes = [_bare(c) for c in a.error_codes]
    if any(c in exp.codes for c in codes):
        return []
    server = any(c in ctx.catalog.server_errors for c in codes)
    severity = Severity.WARNING if server else Severity.VIOLATION
    return [_finding("expected-error-code", ctx, f"error code {', '.join(a.error_codes)} is not "
                     f"among the expected {', '.join(sorted(exp.codes))}"
                     + (f" ({exp.rule})" if exp.rule else ""), exp.spec_ref or EXPECTATION_REF,
                     severity, expected=" | ".join(sorted(exp.codes)),
                     observed=", ".join(a.error_codes), extra={"rule": exp.rule})]


def _observed_outcome(a) -> str:
    status = a.response.status
    if a.kind == "success" and 200 <= status < 300:
        return "success"
    if a.kind == "error" or status >= 400:
        return "error"
    return "unreadable response"
