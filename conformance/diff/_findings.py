"""Differences as findings: their own kind, grouped like every other finding.

A difference is never a spec violation: it rests on what the reference target
(``--against``) answered.  Its signature is the action, the element path
(positions left out), the aspect and, where it names a cause (a code, an
enumeration value), the reference's value: the same change met in many examples
is one finding with its occurrences.  Both exchanges ride along, with the spec
findings either side earned on that same exchange.
"""

from __future__ import annotations

from ..outcome import Finding, Severity
from ._clients import Pair
from ._compare import Difference
from ._normalise import ORDER_QUOTE

BASIS = "difference from the --against target's answer to the same request (not a spec rule)"
# Aspects whose reference value names the cause (and so joins the signature).
_CAUSE_ASPECTS = {"status-class", "body", "root-element", "namespace", "error-code",
                  "enum-value", "value-type", "presence"}
_WHAT = {"status-class": "status class", "body": "body", "root-element": "root element",
         "namespace": "namespace", "error-code": "error code", "presence": "element",
         "value-type": "value type", "enum-value": "enumeration value", "value": "value",
         "list-length": "list length"}
_MAX_LISTED = 25


def difference_findings(pair: Pair) -> list[Finding]:
    shared = {
        "against": pair.reference.to_json(),
        "endpoint": pair.subject.to_json(),
        "differences": [d.to_json() for d in pair.differences[:_MAX_LISTED]],
        "differences_total": len(pair.differences),
        "against_findings": _spec_findings(pair.reference_findings),
        "endpoint_findings": _spec_findings(pair.subject_findings),
        "unit": pair.unit,
    }
    return [_finding(pair, d, shared) for d in pair.differences]


def _finding(pair: Pair, diff: Difference, shared: dict) -> Finding:
    what = _WHAT[diff.aspect]
    expected = f"{diff.aspect}: {diff.reference}" if diff.aspect in _CAUSE_ASPECTS else diff.aspect
    spec_ref = BASIS
    if diff.aspect == "list-length":
        spec_ref += "; items matched by content, since " + ORDER_QUOTE
    return Finding(
        check="difference", severity=Severity.DIFFERENCE, action=pair.action,
        message=(f"{what} differs at {diff.at}: --against answered {diff.reference!r}, "
                 f"--endpoint answered {diff.subject!r}"),
        spec_ref=spec_ref, expected=expected, observed=f"{diff.aspect}: {diff.subject}",
        data_type=diff.data_type, path=diff.path,
        extra={**shared, "aspect": diff.aspect, "at": diff.at,
               "also_violates_spec": bool(shared["against_findings"]
                                          or shared["endpoint_findings"])})


def _spec_findings(findings: list[Finding]) -> list[dict]:
    """What the checks found wrong on one side's answer, as the report shows it."""
    return [{"check": f.check, "severity": f.severity.value, "message": f.message,
             "spec_ref": f.spec_ref, "path": f.path}
            for f in findings if f.severity.fails]
