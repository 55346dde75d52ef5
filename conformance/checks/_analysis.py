"""One response, parsed once and prepared for every check.

Each check owns one fact.  So that a fact is reported once and not again as a
cascade, the copy the XSD judges has the facts other checks own taken out: the
namespace is rewritten to the requested version's (``namespace`` reports it),
extensions are removed (``extension`` reports them), and a missing request ID
gets a placeholder (``request-id`` reports it).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from lxml import etree

from ..schemas import build_ir, build_ir_on_demand
from ._conflicts import ConflictHit, accept_conflicts
from ..protocol import ResponseParseError, parse_response
from ._memo import Memo
from ._walk import ExtensionHit, strip_extensions
from ._xsd import SchemaIssue, error_validator, response_validator

if TYPE_CHECKING:
    from ..protocol import Exchange
    from ._context import CheckContext

ERROR_ROOT = "Response"
_PLACEHOLDER = "placeholder-for-a-missing-request-id"
_MEMO_MIN_BYTES = 128 * 1024  # smaller answers are judged in milliseconds


_MEMO = Memo(4)


@dataclass
class Prepared:
    root: etree._Element
    extensions: list[ExtensionHit]
    issues: list[SchemaIssue]
    conflicts: list[ConflictHit] = field(default_factory=list)


class ResponseAnalysis:
    def __init__(self, exchange: "Exchange", ctx: "CheckContext"):
        self.exchange = exchange
        self.ctx = ctx
        self.response = exchange.response

    # -- parsing -------------------------------------------------------------------
    @cached_property
    def _parsed(self) -> tuple[etree._Element | None, ResponseParseError | None]:
        if self.response is None:
            return None, None
        try:
            return parse_response(self.response.body), None
        except ResponseParseError as exc:
            return None, exc

    @property
    def root(self) -> etree._Element | None:
        return self._parsed[0]

    @property
    def parse_error(self) -> ResponseParseError | None:
        return self._parsed[1]

    @cached_property
    def root_name(self) -> str | None:
        return etree.QName(self.root).localname if self.root is not None else None

    @cached_property
    def observed_namespace(self) -> str:
        return (etree.QName(self.root).namespace or "") if self.root is not None else ""

    @cached_property
    def kind(self) -> str | None:
        """"success" (an <XResponse> root), "error" (<Response>), "other", or None (no tree)."""
        if self.root is None:
            return None
        if self.root_name == ERROR_ROOT:
            return "error"
        return "success" if self.response_action else "other"

    @cached_property
    def response_action(self) -> str | None:
        """The action whose response element the root is, if it is one."""
        name = self.root_name or ""
        action = name[:-len("Response")] if name.endswith("Response") else ""
        return action if action in self.ctx.catalog.actions else None

    @cached_property
    def expected_namespace(self) -> str:
        return "" if self.kind == "error" else f"http://ec2.amazonaws.com/doc/{self.ctx.version}/"

    @property
    def schema_namespace(self) -> str:
        return "" if self.kind == "error" else self.ctx.catalog.namespace

    # -- reading -------------------------------------------------------------------
    def child(self, local_name: str) -> etree._Element | None:
        """The root's child element named ``local_name`` in the root's namespace."""
        if self.root is None:
            return None
        ns = self.observed_namespace
        return self.root.find(f"{{{ns}}}{local_name}" if ns else local_name)

    @cached_property
    def error_codes(self) -> list[str]:
        if self.kind != "error":
            return []
        ns = self.observed_namespace
        q = (lambda n: f"{{{ns}}}{n}") if ns else (lambda n: n)
        return [(code.text or "").strip()
                for code in self.root.iterfind(f"{q('Errors')}/{q('Error')}/{q('Code')}")]

    @property
    def judged_action(self) -> str | None:
        """The action the content is judged as: the requested one when the root matches it."""
        if self.kind != "success":
            return None
        if self.ctx.action is None or self.ctx.action == self.response_action:
            return self.response_action
        return None

    # -- the copy the schema judges ------------------------------------------------
    @cached_property
    def prepared(self) -> Prepared | None:
        """The judged copy, its extensions taken out, and what the XSD says of the rest."""
        if self.kind not in ("success", "error"):
            return None
        if self.kind == "success" and self.judged_action is None:
            return None
        key = self._memo_key()
        found = _MEMO.get(key) if key is not None else None
        if found is None:
            found = self._prepare()
            if key is not None:
                _MEMO.put(key, found)
        return found

    def _memo_key(self) -> tuple | None:
        """What the judged copy depends on, for an answer big enough to be worth keeping: a
        target that sends the same big document again (moto's 1.5 MB spot price history,
        whatever the filters) gets the same verdict without judging it again."""
        body = self.response.body
        if len(body) < _MEMO_MIN_BYTES:
            return None
        later = self.ctx.later()
        return (bytes(body), self.kind, self.ctx.catalog.api_version, self.judged_action,
                self.schema_namespace, later.api_version if later is not None else None)

    def _judged_copy(self) -> etree._Element:
        return _renamed(copy.deepcopy(self.root), self.observed_namespace, self.schema_namespace)

    def _prepare(self) -> Prepared:
        root = self._judged_copy()
        if self.kind == "error":
            _ensure_child(root, "", "RequestID")
            return Prepared(root, [], error_validator().validate(root))
        _ensure_child(root, self.schema_namespace, "requestId")
        validator = response_validator(self.ctx.catalog.api_version)
        # The spec's own other reading first (it is no later version's extension), then
        # what a later version added: each taken out once, reported by its own check.
        # Walked before the XSD judges: an answer full of a later version's values (every
        # instance type of moto's spot price history) costs libxml2 thousands of errors
        # per validation, so the copy is validated once, after the walks.
        ir = build_ir(self.ctx.catalog.api_version)
        conflicts = accept_conflicts(root, self.judged_action, ir, self.schema_namespace)
        later = self.ctx.later()
        hits = []
        if later is not None:
            hits = strip_extensions(root, self.judged_action, ir,
                                    build_ir_on_demand(later.api_version),
                                    self.schema_namespace)
        issues = validator.validate(root)
        # A valid answer has nothing taken out of it.  Without conflicts that needs no
        # second validation: no walk touched the copy, or an extension hit, which the
        # strict schema (xs:all of the members, exact enumerations) rejects, shows the
        # answer was invalid.  The other reading of a conflict may be valid XSD (a
        # timestamp without zone), so then the answer as sent decides.
        if conflicts:
            fresh = self._judged_copy()
            _ensure_child(fresh, self.schema_namespace, "requestId")
            if validator.is_valid(fresh):
                return Prepared(fresh, [], [])
        return Prepared(root, hits, issues, conflicts)

    @property
    def conflict_hits(self) -> list[ConflictHit]:
        return self.prepared.conflicts if self.prepared is not None else []

    @property
    def schema_issues(self) -> list[SchemaIssue]:
        return self.prepared.issues if self.prepared is not None else []


def _renamed(root: etree._Element, old: str, new: str) -> etree._Element:
    """``root`` with every element of namespace ``old`` moved to namespace ``new``."""
    if old == new:
        return root
    old_prefix, new_prefix = (f"{{{old}}}" if old else ""), (f"{{{new}}}" if new else "")
    renamed: dict[str, str] = {}  # a long list repeats a few tags: build each new one once
    # libxml2 picks the elements of namespace ``old`` ("{}*": of none) in C
    for element in list(root.iter(f"{old_prefix or '{}'}*")):
        tag = element.tag
        new_tag = renamed.get(tag)
        if new_tag is None:
            new_tag = renamed[tag] = new_prefix + tag[len(old_prefix):]
        element.tag = new_tag
    etree.cleanup_namespaces(root)
    return root


def _ensure_child(root: etree._Element, ns: str, local_name: str) -> None:
    tag = f"{{{ns}}}{local_name}" if ns else local_name
    if root.find(tag) is None:
        etree.SubElement(root, tag).text = _PLACEHOLDER
