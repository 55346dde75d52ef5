"""The facets a defect key is made of, each computed from one finding (a results dict).

A facet generalises what differs between occurrences of one cause (a resource
ID, a random parameter name, an address, a count, a timestamp) and keeps what
tells two causes apart (the code answered, the element, the status).
``defects.json`` lists which facets key each family of checks.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Callable

Finding = dict[str, Any]

# Values that differ between occurrences of one cause, most specific first.
_GENERALISE = [
    (re.compile(r"\b\d{8}T\d{6}Z-[0-9a-f]{6}\S*"), "<run-id>"),
    (re.compile(r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?"), "<time>"),
    (re.compile(r"\b[a-z]{1,9}(?:-[a-z]{1,9})?-[0-9a-f]{8,17}\b"), "<id>"),
    (re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}(?:/\d{1,2})?\b"), "<address>"),
]
# Further, for free text (an invariant's observation, a check without an entry): what was
# quoted and every count.  Not for a schema's enumeration or a namespace's date.
_SHAPE = [(re.compile(r"'[^']*'"), "'…'"), (re.compile(r"(?<![\w.-])\d+(?![\w.-])"), "<n>")]
_STATUS = re.compile(r"\bHTTP (\d{3})\b")
_CODE_WORD = re.compile(r"^[A-Z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)*$")
_OWN_CODE = {"not_found": "the parameter's own NotFound code",
             "malformed": "the parameter's own Malformed code"}


def generalise(text: Any, *, shape: bool = False) -> str:
    """``"from sg-0a1b2c3d at 10.0.0.0/16"`` -> ``"from <id> at <address>"``; with
    ``shape``, ``"3 rules, token 'x1'"`` -> ``"<n> rules, token '…'"`` too."""
    out = "" if text is None else str(text)
    for pattern, placeholder in _GENERALISE + (_SHAPE if shape else []):
        out = pattern.sub(placeholder, out)
    return out


def rule_label(finding: Finding) -> str:
    """The rule a request broke, as labelled (``missing-required:VpcId``), or ''."""
    extra = finding.get("extra") or {}
    if extra.get("rule"):
        return str(extra["rule"])
    match = re.search(r"\(([^()]+)\)$", finding.get("expected") or "")
    return match.group(1) if match else ""


def status_of(finding: Finding) -> str:
    extra = finding.get("extra") or {}
    if extra.get("status"):
        return str(extra["status"])
    for text in (finding.get("observed"), finding.get("message")):
        match = _STATUS.search(text or "")
        if match:
            return match.group(1)
    return "?"


def rule(finding: Finding, ctx: "FacetContext") -> str:
    """The rule a request broke: a machine rule's own name; a stateless label without its
    parameter (``wire:`` faults whole); a valid request per action."""
    check, action = finding["check"], finding.get("action") or "?"
    if ctx.is_machine_rule(check):
        return check
    if check == "stateful-valid-request-refused":
        return f"a valid {action} request"
    label = rule_label(finding)
    if not label:
        return f"a valid {action} request"
    if label.startswith("wire:"):
        return label
    kind = label.split(":", 1)[0]
    return ctx.same_rule.get(kind, {}).get(action, kind)


def departure(finding: Finding, ctx: "FacetContext") -> str:
    """How the target departed, in one vocabulary for the stateless checks and the
    machines: accepted, refused with a code, or a status without a code."""
    check, observed = finding["check"], finding.get("observed") or ""
    if check in ("implemented",):
        return generalise(observed)
    if check == "expected-outcome":
        if observed == "success":
            return "accepted"
        match = re.search(r"got error ([^;,\s]+)", finding.get("message") or "")
        if match:
            return "refused with " + _code(match.group(1), finding, ctx)
        if observed == "error":
            return without_code(status_of(finding))
        return f"{observed} (HTTP {status_of(finding)})"
    if check == "expected-error-code":
        if observed == "no error code":
            return without_code(status_of(finding))
        return "refused with " + _code(observed.split(",")[0].strip(), finding, ctx)
    # A machine's reply, described as "HTTP 200 success", "HTTP 400 Code", "no answer (…)".
    match = re.match(r"HTTP (\d{3}) (\S+)$", observed)
    if match and match.group(2) == "success":
        return "accepted"
    if match and _CODE_WORD.match(match.group(2)):
        return "refused with " + _code(match.group(2), finding, ctx)
    if observed.startswith("no answer"):
        return "no answer"
    unreadable = re.match(r"HTTP (\d{3}), unreadable: ([\w-]+)", observed)
    if unreadable and unreadable.group(1) >= "500":  # as the stateless suite words it
        return without_code(unreadable.group(1))
    if unreadable:  # the parse error's own words quote the body: not part of the cause
        return f"HTTP {unreadable.group(1)}, unreadable ({unreadable.group(2)})"
    return generalise(observed)


def without_code(status: str) -> str:
    """An answer with no error code to read: a server failure, or a status alone."""
    return f"failed with HTTP {status}" if status.startswith("5") else \
        f"HTTP {status} without an error code"


def _code(code: str, finding: Finding, ctx: "FacetContext") -> str:
    """A code that is the broken parameter's own kind's NotFound/Malformed code reads the
    same whichever ID parameter it was: one cause (the target looked the value up)."""
    label = rule_label(finding)
    if ":" not in label or not finding.get("action"):
        return code
    param = label.split(":", 1)[1]
    kind = ctx.id_kind(finding["action"], param)
    entry = ctx.id_kinds.get(kind or "", {})
    for key, text in _OWN_CODE.items():
        if entry.get(key) and entry[key] == code:
            return text
    return code


def body(finding: Finding, ctx: "FacetContext") -> str:
    """What a body that is not XML is: HTML, empty, JSON or other text."""
    match = re.match(r"body is (HTML|empty)\b", finding.get("message") or "")
    if match:
        return match.group(1)
    preview = (finding.get("message") or "").split("it starts", 1)[-1].lstrip(" '\"")
    return "JSON" if preview[:1] in "{[" and preview else "text"


def data_type(finding: Finding, ctx: "FacetContext") -> str:
    name = finding.get("data_type") or ""
    action = finding.get("action") or ""
    if action and name == f"{action}ResponseType":
        return "<Action>ResponseType"
    return name or "-"


def element(finding: Finding, ctx: "FacetContext") -> str:
    path = (finding.get("path") or "").strip("/")
    parts = path.split("/") if path else []
    if not parts:
        return "-"
    if len(parts) == 1 and parts[0].endswith("Response") and parts[0] != "Response":
        return "<Action>Response"  # the response root names the action
    return parts[-1]


def schema_issue(finding: Finding, ctx: "FacetContext") -> str:
    """What the schema wanted, and whether the element was missing or held another value
    (the value itself may echo what the request sent: not part of the cause)."""
    expected = finding.get("expected") or "?"
    if finding.get("observed") in ("absent", None):
        return f"<{expected}> missing"
    return f"a value that is not {expected}"


def observed_kind(finding: Finding, ctx: "FacetContext") -> str:
    return "absent" if finding.get("observed") in ("absent", None) else "malformed"


def expected_kind(finding: Finding, ctx: "FacetContext") -> str:
    """What is wrong with an error code: the expectation with the action generalised."""
    expected = finding.get("expected") or ""
    action = finding.get("action") or ""
    return expected.replace(action, "<Action>") if action else expected


FACETS: dict[str, Callable[[Finding, "FacetContext"], str]] = {
    "action": lambda f, ctx: f.get("action") or "-",
    "check": lambda f, ctx: f["check"],
    "expected": lambda f, ctx: generalise(f.get("expected")),
    "observed": lambda f, ctx: generalise(f.get("observed")),
    "expected_shape": lambda f, ctx: generalise(f.get("expected"), shape=True),
    "observed_shape": lambda f, ctx: generalise(f.get("observed"), shape=True),
    "path": lambda f, ctx: generalise(f.get("path")) or "-",
    "status": lambda f, ctx: status_of(f),
    "rule": rule,
    "departure": departure,
    "data_type": data_type,
    "element": element,
    "observed_kind": observed_kind,
    "body": body,
    "schema_issue": schema_issue,
    "expected_kind": expected_kind,
}


class FacetContext:
    """What facets need beyond the finding: the machine rules, the catalog's ID kinds."""

    def __init__(self, api_version: str, same_rule: dict[str, dict[str, str]]):
        self.api_version = api_version
        self.same_rule = same_rule
        self.machine_rules = _machine_rules(api_version)
        self.invariants = _invariant_names()
        self._catalog = _catalog(api_version)
        self.id_kinds = self._catalog.id_kinds if self._catalog else {}

    def rule_description(self, name: str) -> str | None:
        """A machine rule's own sentence (``releasing an associated VPC address must fail``)."""
        from ..machines import load_broken_rules

        rule = load_broken_rules(self.api_version).get(name)
        return f"{rule.description} [{name}]" if rule else None

    def is_machine_rule(self, check: str) -> bool:
        """A machine rule's name (the generic ``deleted-<kind>`` rules included)."""
        return check not in self.invariants and (check in self.machine_rules
                                                 or check.startswith("deleted-"))

    def id_kind(self, action: str, param: str) -> str | None:
        if self._catalog is None or action not in self._catalog.actions:
            return None
        return next((p.id_kind for p in self._catalog.actions[action].params
                     if p.name == param), None)


@lru_cache(maxsize=None)
def _machine_rules(api_version: str) -> frozenset[str]:
    from ..machines import load_broken_rules

    return frozenset(load_broken_rules(api_version))  # another version falls back to its nearest


@lru_cache(maxsize=None)
def _invariant_names() -> frozenset[str]:
    from ..machines import all_invariants

    return frozenset(i.name for i in all_invariants())


@lru_cache(maxsize=None)
def _catalog(api_version: str):
    from ..catalog import load_catalog

    try:
        return load_catalog(api_version)
    except Exception:  # an API version botocore lacks: facets fall back to the codes as sent
        return None
