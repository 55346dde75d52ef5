"""Judging one stateless exchange: the checks layer, then the engine's own caution.

The registered checks decide conformance.  The engine only lowers a verdict
when the spec cannot decide it, so that no finding is reported that the spec
does not support:

* a *valid* example refused with a code the spec lists for the action: the
  refusal may rest on state the generator does not model (a limit, eventual
  consistency), so it is a warning, not a violation;
* a case whose label the spec leaves open (``strict=False``: duplicated
  parameters, oversized values, lenient query decoding): a warning.

``Judge`` is ``(exchange, expectation) -> (findings, checks_ran)``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from ..catalog import Catalog
from ..outcome import Expectation, Finding, Severity
from ..protocol import Exchange

Judge = Callable[[Exchange, Expectation], tuple[list[Finding], list[str]]]
OUTCOME_CHECKS = ("expected-outcome", "expected-error-code")


def checks_judge(catalog: Catalog, action: str | None) -> Judge:
    """A judge running every registered check of ``ec2_conformance.checks``; ``action``
    None judges each exchange as the action it sent (the machines' many actions)."""
    from ..checks import CheckContext, run_checks_detailed

    def judge(exchange: Exchange, expectation: Expectation):
        # The action under test, not the one on the wire: a wire case that renames or
        # drops Action (unknown-action, missing-action) is still a finding of that action.
        judged = action if action is not None else exchange.action
        ctx = CheckContext(catalog=catalog, action=judged, expectation=expectation)
        report = run_checks_detailed(exchange, ctx)
        return report.findings, report.ran
    return judge


def soften(findings: list[Finding], *, case_kind: str, strict: bool, action,
           exchange: Exchange, rule: str = "", common: tuple[str, ...] = ()) -> list[Finding]:
    """Lower verdicts the spec cannot support (see the module docstring)."""
    out = []
    id_rule = rule.startswith(("malformed-id:", "nonexistent-id:", "nonexistent-id-listed:"))
    for finding in findings:
        if finding.severity is Severity.VIOLATION and finding.check in OUTCOME_CHECKS:
            if not strict:
                finding = _warn(finding, "the spec does not decide this case")
            elif case_kind == "valid" and _documented_refusal(exchange, action):
                finding = _warn(finding, "the spec lists this code for the action; the "
                                "request may have met a state or limit the generator does "
                                "not model")
            elif (id_rule and finding.check == "expected-error-code"
                  and _documented_refusal(exchange, action, exclude=common)):
                finding = _warn(finding, "a code the spec lists for this action: the spec "
                                "does not fix the order in which a target checks a request")
        if finding.check == "expected-outcome" and rule:
            # One finding per broken rule, not one per action: the rule class joins
            # the signature (Finding.signature keys on ``expected``).
            label = rule if rule.startswith("wire:") else rule.split(":")[0]
            finding = replace(finding, expected=f"{finding.expected} ({label})")
        out.append(finding)
    return out


def error_code(exchange: Exchange) -> str | None:
    import re

    if exchange.response is None:
        return None
    match = re.search(rb"<Code>\s*([^<\s]+)\s*</Code>", exchange.response.body[:8192])
    return match.group(1).decode("ascii", "replace") if match else None


def _documented_refusal(exchange: Exchange, action, exclude: tuple[str, ...] = ()) -> bool:
    response = exchange.response
    code = error_code(exchange)
    return (response is not None and 400 <= response.status < 500 and code is not None
            and action is not None and code in action.errors and code not in exclude)


def _warn(finding: Finding, why: str) -> Finding:
    return replace(finding, severity=Severity.WARNING, message=f"{finding.message} ({why})")
