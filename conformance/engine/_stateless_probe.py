"""Two questions the stateless engine asks the target besides judging an answer.

* Is the action implemented at all?  moto answers an unimplemented action with
  HTTP 500 and an HTML page; other targets say ``InvalidAction`` or "not
  implemented".  One finding replaces hundreds of identical failures.
* Did a ``DryRun=true`` request change anything?  The count of the kind it
  creates is compared before and after.
"""

from __future__ import annotations

import re
from typing import Any

from ..outcome import Finding, Severity
from ..protocol import Exchange
from ..world import load_plan
from ..world._xml import all_texts, parse
from ._stateless_judge import error_code

_NOT_IMPLEMENTED_TEXT = re.compile(rb"not (yet )?implemented|NotImplemented", re.I)
DRY_RUN_REF = "Common Client Errors > DryRunOperation"
DRY_RUN_QUOTE = ("The user has the required permissions, so the request would have succeeded, "
                 "but the DryRun parameter was used.")


def looks_unimplemented(exchange: Exchange) -> bool:
    response = exchange.response
    if response is None:
        return False
    if error_code(exchange) == "InvalidAction":
        return True
    if _NOT_IMPLEMENTED_TEXT.search(response.body[:4096]):
        return True
    return response.status >= 500 and parse(response.body) is None


def not_implemented_finding(action: str, exchange: Exchange, profile: Any,
                            listed: bool) -> Finding:
    response = exchange.response
    answer = (f"error {error_code(exchange)}" if error_code(exchange)
              else f"HTTP {response.status} with a non-XML body")
    why = (f"profile {profile.name} lists it as not implemented" if listed
           else f"profile {profile.name} does not list it; every valid request tried got "
                "this answer")
    return Finding(check="implemented", severity=Severity.NOT_IMPLEMENTED, action=action,
                   message=f"{action} is not implemented: valid requests get {answer} ({why})",
                   spec_ref=f"{action} (the spec documents the action)", expected="success",
                   observed=answer, extra={"profile": profile.name, "listed": listed})


class dry_run_side_effect:  # noqa: N801 - a namespace of two steps
    @staticmethod
    def count(run: Any, case: Any) -> int | None:
        plan = load_plan()
        kind = plan["describe_for"].get(case.action)
        spec = plan["describe"].get(kind) if kind else None
        if spec is None:
            return None
        pairs = [("Action", spec["action"]), ("Version", run.client.api_version),
                 *spec.get("params", {}).items()]
        exchange = run.client.call_pairs(pairs)
        response = exchange.response
        if response is None or response.status != 200:
            return None
        root = parse(response.body)
        return None if root is None else len(set(all_texts(root, spec["element"])))

    @staticmethod
    def verify(run: Any, case: Any, before: int) -> list[Finding]:
        after = dry_run_side_effect.count(run, case)
        if after is None or after == before:
            return []
        return [Finding(check="dry-run-no-side-effect", severity=Severity.VIOLATION,
                        action=case.action,
                        message=f"a DryRun=true {case.action} changed the number of resources "
                                f"from {before} to {after}",
                        spec_ref=f"{DRY_RUN_REF}: \"{DRY_RUN_QUOTE}\"",
                        # the counts stay out of ``expected`` (and so of the signature): they
                        # depend on what ran before, not on the cause
                        expected="the same number of resources", observed=f"{before} -> {after}",
                        extra={"before": before, "after": after})]
