"""Run every registered check on one exchange; validate a saved body."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..catalog import load_catalog
from ..outcome import Expectation, Finding, Severity
from ..protocol import Exchange, RecordedRequest, RecordedResponse
from ._consequences import drop_consequences
from ._context import CheckContext
from ._registry import REGISTRY
from ._rules import enforce_all


@dataclass
class CheckReport:
    findings: list[Finding] = field(default_factory=list)
    ran: list[str] = field(default_factory=list)  # checks that applied, in registry order
    failed: list[str] = field(default_factory=list)  # checks with a failing (violation) finding

    @property
    def passed(self) -> list[str]:
        return [name for name in self.ran if name not in self.failed]

    @property
    def conformant(self) -> bool:
        return not self.failed

    def to_json(self) -> dict:
        return {"findings": [f.to_json() for f in self.findings], "ran": self.ran,
                "failed": self.failed}


def run_checks_detailed(exchange: Exchange, ctx: CheckContext) -> CheckReport:
    report = CheckReport()
    for item in REGISTRY:
        try:
            found = item(exchange, ctx)
        except Exception as exc:  # a check's bug must not end a long run; it is reported
            found = [Finding(check=item.name, severity=Severity.WARNING, action=ctx.action,
                             message=f"check crashed: {type(exc).__name__}: {exc}",
                             spec_ref=item.spec_ref)]
        if found is None:
            continue
        found = enforce_all(found, ctx.catalog.api_version)  # only a stated rule is a violation
        report.ran.append(item.name)
        report.findings.extend(found)
    # One finding per cause: what follows from a cause already found is not another.
    report.findings = drop_consequences(report.findings)
    report.failed = [name for name in report.ran
                     if any(f.check == name and f.severity.fails for f in report.findings)]
    return report


def run_checks(exchange: Exchange, ctx: CheckContext) -> list[Finding]:
    return run_checks_detailed(exchange, ctx).findings


def validate_body(body: bytes, action: str, api_version: str = "2014-10-01", status: int = 200,
                  *, expectation: Expectation | None = None,
                  content_type: str = "text/xml;charset=UTF-8") -> list[Finding]:
    """Judge a saved response body as the answer to ``action`` at ``api_version``."""
    return validate_body_detailed(body, action, api_version, status, expectation=expectation,
                                  content_type=content_type).findings


def validate_body_detailed(body: bytes, action: str, api_version: str = "2014-10-01",
                           status: int = 200, *, expectation: Expectation | None = None,
                           content_type: str = "text/xml;charset=UTF-8") -> CheckReport:
    catalog = load_catalog(api_version)  # raises UnknownApiVersion with a clear message
    if action not in catalog.actions:
        raise ValueError(f"{action!r} is not an action of EC2 API version {api_version}")
    exchange = offline_exchange(body, action, api_version, status, content_type)
    return run_checks_detailed(exchange, CheckContext(catalog=catalog, action=action,
                                                      expectation=expectation))


def offline_exchange(body: bytes, action: str, api_version: str, status: int = 200,
                     content_type: str = "text/xml;charset=UTF-8") -> Exchange:
    """An exchange for a body that did not come over the wire (a file, a test)."""
    pairs = [("Action", action), ("Version", api_version)]
    request = RecordedRequest("POST", "offline:", {}, f"Action={action}&Version={api_version}")
    response = RecordedResponse(status, {"Content-Type": content_type}, bytes(body))
    return Exchange(action=action, pairs=pairs, request=request, response=response, elapsed=0.0)
