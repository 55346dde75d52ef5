"""Two questions the stateless engine asks the target besides judging an answer.

* Is the action implemented at all?  Decided from what the protocol says, never
  from one emulator's wording: HTTP 501 Not Implemented, or an error code that
  says the action is unknown (InvalidAction, the spec's; UnsupportedOperation
  and NotImplemented, AWS's), or a 5xx that is not even XML, on every probe; a 5xx
  on every probe of an action the profile measured as not implemented; and, after
  the run, an action that never once succeeded while every valid example got a
  server error (5xx).  One finding replaces hundreds of identical failures.
* Did a ``DryRun=true`` request change anything?  The count of the kind it
  creates is compared before and after.
"""

from __future__ import annotations

from typing import Any

from ..outcome import Finding, Severity
from ..protocol import UNKNOWN_ACTION_CODES, Exchange, all_texts, parse_or_none
from ..world import describe_spec, load_plan
from ._stateless_judge import error_code

DRY_RUN_REF = "Common Client Errors > DryRunOperation"
DRY_RUN_QUOTE = ("The user has the required permissions, so the request would have succeeded, "
                 "but the DryRun parameter was used.")


def unimplemented_evidence(exchange: Exchange, *, listed: bool) -> str | None:
    """What in this answer to a valid request says the action is not implemented (None:
    nothing).  ``listed``: the target's profile measured the action as not implemented."""
    response = exchange.response
    if response is None:
        return None
    code = error_code(exchange)
    if response.status == 501:
        return f"HTTP 501 Not Implemented{f' ({code})' if code else ''}"
    if code in UNKNOWN_ACTION_CODES:
        return f"error {code}"
    readable = parse_or_none(response.body) is not None
    if response.status >= 500 and not readable:
        # Not even the protocol's error envelope: the server failed before any EC2 logic
        # (moto's unimplemented actions).  Both probes must say so.
        return f"HTTP {response.status} with a non-XML body"
    if listed and response.status >= 500:
        return f"HTTP {response.status}" + (f" {code}" if code else "")
    return None


def never_served(valid: int, successes: int, server_errors: int) -> bool:
    """An action no valid example succeeded on, every one refused with a server error."""
    return valid > 0 and successes == 0 and server_errors == valid


def not_implemented_finding(action: str, exchange: Exchange, profile: Any, listed: bool,
                            why: str | None = None) -> Finding:
    response = exchange.response
    answer = (f"error {error_code(exchange)}" if error_code(exchange)
              else f"HTTP {response.status} with a non-XML body")
    if why is None:
        why = (f"profile {profile.name} lists it as not implemented" if listed
               else f"profile {profile.name} does not list it; every valid request tried got "
                    "this answer")
    return Finding(check="implemented", severity=Severity.NOT_IMPLEMENTED, action=action,
                   message=f"{action} is not implemented: valid requests get {answer} "
                           f"(HTTP {response.status}; {why})",
                   spec_ref=f"{action} (the spec documents the action)", expected="success",
                   observed=answer, extra={"profile": profile.name, "listed": listed})


class dry_run_side_effect:  # noqa: N801 - a namespace of two steps
    @staticmethod
    def count(run: Any, case: Any) -> int | None:
        kind = load_plan()["describe_for"].get(case.action)
        spec = describe_spec(kind, run.client.api_version) if kind else None
        if spec is None:
            return None
        pairs = [("Action", spec["action"]), ("Version", run.client.api_version),
                 *spec.get("params", {}).items()]
        exchange = run.client.call_pairs(pairs)
        response = exchange.response
        if response is None or response.status != 200:
            return None
        root = parse_or_none(response.body)
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
