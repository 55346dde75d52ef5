"""Where the spec disagrees with itself, both readings pass.

``schemas/conflicts-<version>.json`` lists each disagreement (a table against a
sample, or against the samples and botocore's model), the reading the schema
keeps and the other one.  Before the XSD judges a response, the other reading is
taken out of the judged copy (a value replaced, a wrapper unwrapped, an element
renamed, removed or supplied) and recorded, so the ``spec-conflict`` check
reports it once, as a warning quoting both passages, and the schema judges the
rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lxml import etree

from ..schemas import SchemaIR, TypeDef, load_conflicts
from ._walk import LocalNames, element_path


@dataclass(frozen=True)
class ConflictHit:
    conflict: dict[str, Any]
    path: str
    data_type: str
    observed: str
    accepted_as: str

    @property
    def quote(self) -> str:
        return "; ".join(f'{p["section"]}: "{p["passage"]}"' for p in self.conflict["passages"])


def conflicts_for(api_version: str, data_type: str, kind: str | None = None) -> list[dict]:
    return [c for c in load_conflicts(api_version) if data_type in c["data_types"]
            and (kind is None or c["kind"] == kind)]


def accept_conflicts(root: etree._Element, action: str, ir: SchemaIR,
                     namespace: str) -> list[ConflictHit]:
    """Take the other reading of every recorded conflict out of ``root``; return the hits."""
    if not load_conflicts(ir.api_version):
        return []
    walker = _Walker(ir, namespace)
    walker.walk(root, ir.response_type(action))
    return walker.hits


_REACHING: dict[tuple[int, frozenset], frozenset[str]] = {}


def _reaching(ir: SchemaIR, targets: frozenset[str]) -> frozenset[str]:
    """The types from which one of ``targets`` can be reached (themselves included), so a
    walk skips the subtrees where no conflict can be (a 1.5 MB list of spot prices)."""
    key = (id(ir), targets)
    found = _REACHING.get(key)
    if found is None:
        holders: dict[str, set[str]] = {}  # type -> the types that hold it
        for typedef in ir.types.values():
            inner = ([m.type for m in typedef.members] if typedef.kind == "struct"
                     else [typedef.item_type] if typedef.kind == "list" else [])
            for name in inner:
                holders.setdefault(name, set()).add(typedef.name)
        reached, todo = set(targets), list(targets)
        while todo:
            for holder in holders.get(todo.pop(), ()):
                if holder not in reached:
                    reached.add(holder)
                    todo.append(holder)
        found = _REACHING[key] = frozenset(reached)
    return found


class _Walker:
    def __init__(self, ir: SchemaIR, namespace: str):
        self.ir, self.namespace = ir, namespace
        self.by_type: dict[str, list[dict]] = {}
        for conflict in load_conflicts(ir.api_version):
            if conflict["kind"] == "missing-request-id":
                continue  # the request-id check owns the request ID
            for name in conflict["data_types"]:
                self.by_type.setdefault(name, []).append(conflict)
        self.hits: list[ConflictHit] = []
        self.local = LocalNames(namespace)
        self.reaching = _reaching(ir, frozenset(self.by_type))

    def walk(self, element: etree._Element, typedef: TypeDef | None) -> None:
        if typedef is None or typedef.name not in self.reaching:
            return  # no conflicted type below it: nothing to take out
        if typedef.kind == "list":
            for child in element:
                if self.local(child) == typedef.item:
                    self.walk(child, self.ir.type(typedef.item_type))
            return
        if typedef.kind != "struct":
            return
        for conflict in self.by_type.get(typedef.name, ()):
            self._apply(conflict, element, typedef)
        for child in element:
            member = typedef.by_name.get(self.local(child) or "")
            if member is not None:
                self.walk(child, self.ir.type(member.type))

    def _tag(self, name: str) -> str:
        return f"{{{self.namespace}}}{name}" if self.namespace else name

    def _children(self, element, name: str) -> list[etree._Element]:
        return [c for c in element if self.local(c) == name]

    def _hit(self, conflict, element, typedef, observed: str, accepted: str) -> None:
        self.hits.append(ConflictHit(conflict, element_path(element), typedef.name, observed,
                                     accepted))

    def _apply(self, conflict: dict, element, typedef: TypeDef) -> None:
        kind, name = conflict["kind"], conflict["element"]
        found = self._children(element, name)
        if kind == "missing-element":
            if not found:
                added = etree.SubElement(element, self._tag(name))
                added.text = conflict["insert"]
                self._hit(conflict, added, typedef, f"no <{name}>", f"<{name}> supplied")
            return
        for child in found:
            text = (child.text or "").strip()
            if kind == "value" and text in conflict["accept"] and not len(child):
                child.text = conflict["accept"][text]
                self._hit(conflict, child, typedef, text, child.text)
            elif kind == "pattern" and not len(child) and re.match(conflict["pattern"], text):
                child.text = re.sub(conflict["pattern"], conflict["replace"], text)
                self._hit(conflict, child, typedef, text, child.text)
            elif kind == "extra-element" and name not in typedef.by_name:
                self._hit(conflict, child, typedef, f"<{name}>", "left out")
                element.remove(child)
            elif kind == "wrapper" and name not in typedef.by_name:
                self._hit(conflict, child, typedef, f"<{name}> wrapper", "unwrapped")
                at = list(element).index(child)
                for position, inner in enumerate(list(child)):
                    element.insert(at + position, inner)
                element.remove(child)
            elif kind == "renamed" and name not in typedef.by_name:
                outer, inner = conflict["as"]
                replacement = etree.Element(self._tag(outer))
                etree.SubElement(replacement, self._tag(inner)).text = child.text
                self._hit(conflict, child, typedef, f"<{name}>", f"<{outer}><{inner}>")
                element.replace(child, replacement)
