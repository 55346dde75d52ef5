"""Broken rules as data: which error the spec predicts, and how an answer is judged.

``broken-rules-<version>.json`` names each rule a request can break, the codes the
spec ties to it, whether the spec names the code exactly, and the sentence it
rests on.  ``expect_error("subnet-cidr-conflict")`` is what the model predicts;
``judge_outcome`` compares a reply with a prediction under a target profile.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

from ...catalog import Catalog
from ...outcome import Expectation, Finding, Severity
from ...protocol import UNKNOWN_ACTION_CODES
from .._reply import Reply


@dataclass(frozen=True)
class BrokenRule:
    name: str
    description: str
    codes: tuple[str, ...]
    exact: bool
    spec_ref: str
    quote: str


def load_versioned(stem: str, api_version: str, package: str = __package__) -> dict[str, Any]:
    """``<stem>-<api_version>.json`` of ``package``; a version without its own file
    keeps 2014-10-01's (the machines' actions have the same shapes in later versions)."""
    text = resources.files(package).joinpath(f"{stem}-{api_version}.json")
    if not text.is_file():
        text = resources.files(package).joinpath(f"{stem}-2014-10-01.json")
    return json.loads(text.read_text("utf-8"))


@functools.lru_cache(maxsize=None)
def load_broken_rules(api_version: str = "2014-10-01") -> dict[str, BrokenRule]:
    """The rules a request can break (``broken-rules-<version>.json``), by name."""
    data = load_versioned("broken-rules", api_version)
    return {name: BrokenRule(name, r["description"], tuple(r["codes"]), r["exact"],
                             r["spec_ref"], r["quote"]) for name, r in data["rules"].items()}


def expect_error(rule: str, *also: str) -> Expectation:
    """The error ``rule`` predicts; a request breaking ``also`` rules too may answer any of
    their codes (the spec does not say which check a service makes first)."""
    rules = [load_broken_rules()[name] for name in (rule, *also)]
    codes = frozenset(code for broken in rules for code in broken.codes)
    return Expectation("error", codes, rule=rule, spec_ref=rules[0].spec_ref)


def not_found(catalog: Catalog, id_kind: str, value: str) -> Expectation:
    """An ID the model knows is gone: the catalog's NotFound code for its kind."""
    entry = catalog.id_kinds.get(id_kind, {})
    codes = {c for c in [entry.get("not_found"), *entry.get("other_codes", ())] if c}
    return Expectation("error", frozenset(codes), rule=f"deleted-{id_kind.replace('_', '-')}",
                       spec_ref=entry.get("spec_ref", "Client Errors For Specific Actions"))


def judge_outcome(action: str, expectation: Expectation, reply: Reply, *, catalog: Catalog,
                  profile: Any) -> list[Finding]:
    """Findings for a reply that departs from the model's prediction."""
    if not reply.answered:
        return []  # a transport failure is the checks layer's and the client's business
    if expectation.outcome == "success":
        if reply.ok:
            return []
        if reply.code in UNKNOWN_ACTION_CODES or reply.status == 501:
            return [Finding("stateful-not-implemented", Severity.NOT_IMPLEMENTED, action,
                            f"{action} answered {reply.code}", action, "success",
                            reply.describe())]
        return [Finding("stateful-valid-request-refused", Severity.VIOLATION, action,
                        f"the model holds this {action} request valid per the spec, but the "
                        f"target refused it: {reply.message[:200]}".rstrip(": "),
                        expectation.spec_ref or f"{action} > Description, Request Parameters",
                        "success", reply.describe())]
    rule = load_broken_rules().get(expectation.rule) or _deleted_rule(expectation)
    codes = _widen(profile, expectation.codes)
    expected = "error " + " or ".join(sorted(codes))
    if 200 <= reply.status < 300:
        return [Finding(expectation.rule, Severity.VIOLATION, action,
                        f"the target accepted a request the spec says must fail: "
                        f"{rule.description if rule else expectation.rule}",
                        expectation.spec_ref, expected, reply.describe(),
                        extra={"quote": rule.quote} if rule else {})]
    if reply.code in codes:
        return []
    exact = rule.exact if rule else True
    documented = set(catalog.actions[action].errors) if action in catalog.actions else set()
    if not exact and reply.status is not None and 400 <= reply.status < 500 \
            and _widen(profile, documented | set(codes)) & {reply.code}:
        return []
    severity = Severity.VIOLATION if exact or not reply.code else Severity.WARNING
    how = ("failed with a server error instead of the client error the spec names"
           if reply.status >= 500 else "was refused, but not with the code the spec names")
    return [Finding(expectation.rule, severity, action,
                    f"the request breaks a rule and {how}: "
                    f"{rule.description if rule else expectation.rule}",
                    expectation.spec_ref, expected, reply.describe(),
                    extra={"quote": rule.quote} if rule else {})]


def _deleted_rule(expectation: Expectation) -> BrokenRule | None:
    """The generic rule behind ``not_found``: a deleted resource is not found."""
    if not expectation.rule.startswith("deleted-"):
        return None
    kind = expectation.rule[len("deleted-"):].replace("-", " ")
    return BrokenRule(expectation.rule, f"a {kind} asked for after it was deleted must not be "
                      "found", tuple(sorted(expectation.codes)), True, expectation.spec_ref,
                      "")


def _widen(profile: Any, codes: frozenset[str] | set[str]) -> frozenset[str]:
    widen = getattr(profile, "widen", None)
    return widen(codes) if widen else frozenset(codes)
