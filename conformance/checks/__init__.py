"""Judging responses: the hardened parse path, XSD validation and the named checks.

Every check is registered with ``@check(name=..., description=..., spec_ref=...)``
and has one signature, ``(exchange, ctx) -> list[Finding] | None`` (``None``:
does not apply).  ``run_checks`` runs them all, parsing the response once.
"""

from . import _content, _document, _errors, _http  # noqa: F401  (registers the checks)
from ._context import LATER_VERSION, CheckContext
from ._http import ANSWERED_REF
from ..protocol import DEFAULT_MAX_BYTES, ResponseParseError, parse_response
from ._names import FindingName, finding_names
from ._registry import REGISTRY, Check, all_checks, check
from ._rules import Rule, enforce, enforce_all, load_rule_table, rule_key
from ._run import (CheckReport, offline_exchange, run_checks, run_checks_detailed, validate_body,
                   validate_body_detailed)

__all__ = ["ANSWERED_REF", "CheckContext", "CheckReport", "Check", "REGISTRY", "LATER_VERSION",
           "DEFAULT_MAX_BYTES", "FindingName", "ResponseParseError", "finding_names", "all_checks", "check", "offline_exchange",
           "parse_response", "run_checks", "run_checks_detailed", "validate_body",
           "validate_body_detailed", "Rule", "enforce", "enforce_all", "load_rule_table",
           "rule_key"]
