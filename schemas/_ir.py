"""The response schema of one API version as plain data, built from the catalog.

botocore's output shapes give the wire names (``tagSet``, ``item``) and the
structure; the spec's "Data Types" tables (``spec-<version>.json``, extracted by
``tools/spec_extract.py``) add what the model leaves out: valid values, the
spec's scalar type where it differs, required members, and the ``return``
element of actions botocore gives no output shape.  The XSD (``_render``) and
the extension walk of the checks both read this one structure, so they cannot
disagree.
"""

from __future__ import annotations

import functools
import re
import threading
from dataclasses import dataclass, field
from typing import Any

import botocore.model

from ec2_conformance.catalog import load_catalog, load_spec_facts

# XSD built-in (or schema-local) types for botocore's scalar type names.
SCALARS = {"string": "xs:string", "integer": "xs:int", "long": "xs:long",
           "boolean": "Boolean", "double": "xs:double", "float": "xs:double",
           "timestamp": "xs:dateTime", "blob": "xs:base64Binary"}
# The spec's scalar type names (Data Types tables) in the same terms.
SPEC_SCALARS = {"String": "xs:string", "Integer": "xs:int", "Long": "xs:long",
                "Boolean": "Boolean", "Double": "xs:double", "Float": "xs:double",
                "DateTime": "xs:dateTime"}
# Schema-local simple types: the spec's Boolean is the two words true|false.
BOOLEAN = "Boolean"
_NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class Member:
    name: str  # the element name on the wire
    type: str  # an IR type name, or an "xs:" built-in, or BOOLEAN
    required: bool = False
    source: str = ""  # why it differs from the bare model, if it does


@dataclass(frozen=True)
class TypeDef:
    name: str
    kind: str  # "struct" | "list" | "enum"
    members: tuple[Member, ...] = ()  # struct
    item: str = "item"  # list: the element name of each entry
    item_type: str = ""  # list: type of each entry
    values: tuple[str, ...] = ()  # enum
    source: str = ""  # "model" or the spec section it rests on

    @functools.cached_property
    def by_name(self) -> dict[str, Member]:
        return {m.name: m for m in self.members}

    @functools.cached_property
    def value_set(self) -> frozenset[str]:
        """The enum's values, for membership tests on every element of a long list."""
        return frozenset(self.values)


@dataclass
class SchemaIR:
    api_version: str
    namespace: str
    types: dict[str, TypeDef] = field(default_factory=dict)
    responses: dict[str, str] = field(default_factory=dict)  # action -> response type name
    spec_types: tuple[str, ...] = ()  # the spec's "Data Types" names, as type names

    def type(self, name: str) -> TypeDef | None:
        return self.types.get(name)

    def response_type(self, action: str) -> TypeDef | None:
        name = self.responses.get(action)
        return self.types.get(name) if name else None


@functools.lru_cache(maxsize=None)
def build_ir(api_version: str) -> SchemaIR:
    catalog = load_catalog(api_version)
    return _Builder(catalog.model, catalog.namespace, _spec_facts_for(api_version)).build()


@functools.lru_cache(maxsize=None)
def build_ir_on_demand(api_version: str) -> SchemaIR:
    """``build_ir``'s IR, each response type (and what it reaches) built when first asked
    for through ``response_type`` or ``type``.  The extension walk reads a later version's
    IR for the few actions it judges; building its 830 actions in full cost every process
    that judged an answer 0.18 s."""
    catalog = load_catalog(api_version)
    return _OnDemandIR(_Builder(catalog.model, catalog.namespace, _spec_facts_for(api_version)))


class _OnDemandIR(SchemaIR):
    def __init__(self, builder: "_Builder"):
        super().__init__(builder.ir.api_version, builder.ir.namespace, builder.ir.types,
                         builder.ir.responses)
        self._builder = builder
        self._actions = frozenset(builder.model.operation_names)
        self._shapes = frozenset(builder.model.shape_names)
        # A build in progress leaves None in ``types`` (its recursion guard): checks
        # running in threads build under the lock and read a None as "not built yet".
        self._lock = threading.Lock()
        self._absent: set[str] = set()

    def response_type(self, action: str) -> TypeDef | None:
        if action not in self.responses and action in self._actions:
            with self._lock:
                if action not in self.responses:
                    self._builder._response(action)
        return super().response_type(action)

    def type(self, name: str) -> TypeDef | None:
        found = self.types.get(name)
        if found is None and name not in self._absent:  # "xs:string": never a TypeDef
            with self._lock:
                if self.types.get(name) is None:
                    self._build(name)
                found = self.types.get(name)
                if found is None:
                    self._absent.add(name)
        return found

    def _build(self, name: str) -> None:
        if name.endswith("ResponseType") and name[:-len("ResponseType")] in self._actions:
            self._builder._response(name[:-len("ResponseType")])
        owner = name.split(".", 1)[0]  # "Struct.member": an enum the spec's facts made
        if owner in self._shapes:
            self._builder._type_of(self._builder.model.shape_for(owner))


def _spec_facts_for(api_version: str) -> tuple[dict[str, Any], bool]:
    """The spec facts for this version, else the newest older ones (enums only)."""
    own = load_spec_facts(api_version)
    if own:
        return own, True
    borrowed = load_spec_facts("2014-10-01") if api_version > "2014-10-01" else {}
    return borrowed, False


class _Builder:
    def __init__(self, model: botocore.model.ServiceModel, namespace: str,
                 facts: tuple[dict[str, Any], bool]):
        self.model = model
        self.ir = SchemaIR(model.api_version, namespace)
        self.facts, self.own_facts = facts
        corrections = {c["heading"]: c["actual"]
                       for c in self.facts.get("data_type_corrections", ())}
        self.spec_types = {corrections.get(n, n): t
                           for n, t in self.facts.get("data_types", {}).items()}

    def build(self) -> SchemaIR:
        for action in self.model.operation_names:
            self._response(action)
        if self.own_facts:  # every data type of the spec gets its named type
            names = [n for n in sorted(self.spec_types) if n in self.model.shape_names]
            for name in names:
                self._type_of(self.model.shape_for(name))
            self.ir.spec_types = tuple(names)
        return self.ir

    # -- responses ---------------------------------------------------------------
    def _response(self, action: str) -> None:
        op = self.model.operation_model(action)
        name = f"{action}ResponseType"  # the element is <ActionResponse>
        if name in self.model.shape_names:
            raise ValueError(f"response type {name} collides with a model shape")
        members = [Member("requestId", "xs:string", True,
                          "Query Response Structures: every successful response has requestId")]
        if op.output_shape is not None:
            members += self._members(op.output_shape)
        else:
            members.append(self._return_member(action))
        self.ir.types[name] = TypeDef(name, "struct", tuple(members),
                                      source=f"{action} > Response Elements")
        self.ir.responses[action] = name

    def _return_member(self, action: str) -> Member:
        elements = self.facts.get("actions", {}).get(action, {}).get("response_elements", ())
        documented = any(e["name"] == "return" for e in elements)
        # botocore has no output shape for these; the spec's response is a bare
        # <return>.  Where the spec (or an older one) documents it, it is required.
        return Member("return", BOOLEAN, documented,
                      f"{action} > Response Elements: return" if documented
                      else "no output shape in the model; EC2 answers such actions with <return>")

    # -- shapes ------------------------------------------------------------------
    def _type_of(self, shape: botocore.model.Shape) -> str:
        kind = shape.type_name
        if kind == "structure":
            if shape.name not in self.ir.types:
                self.ir.types[shape.name] = None  # type: ignore[assignment]  # recursion guard
                spec = self.spec_types.get(shape.name)
                self.ir.types[shape.name] = TypeDef(
                    shape.name, "struct", tuple(self._members(shape)),
                    source=f"Data Types > {shape.name}" if spec and self.own_facts else "model")
            return shape.name
        if kind == "list":
            if shape.name not in self.ir.types:
                self.ir.types[shape.name] = None  # type: ignore[assignment]
                # Query Response Structures: "Item elements are children of containers".
                # A few request-side lists name their members otherwise; responses do not.
                self.ir.types[shape.name] = TypeDef(
                    shape.name, "list", item="item", item_type=self._type_of(shape.member),
                    source="model")
            return shape.name
        if getattr(shape, "enum", None) and kind == "string":
            if shape.name not in self.ir.types:
                self.ir.types[shape.name] = TypeDef(shape.name, "enum", values=tuple(shape.enum),
                                                    source="model")
            return shape.name
        if kind not in SCALARS:
            raise ValueError(f"shape {shape.name} has unsupported type {kind}")
        return SCALARS[kind]

    def _members(self, shape: botocore.model.StructureShape) -> list[Member]:
        required = set(shape.required_members)
        spec = _SpecMembers(self.spec_types.get(shape.name))
        out: dict[str, Member] = {}
        for member_name, member_shape in shape.members.items():
            wire = _checked_name(member_shape.serialization.get("name", member_name))
            type_name = self._type_of(member_shape)
            fact = spec.find(wire, member_name)
            member = Member(wire, type_name, member_name in required)
            if fact is not None:
                member = self._apply_fact(shape.name, member, fact)
            if wire in out and out[wire] != member:
                raise ValueError(f"{shape.name}: two members named {wire!r} on the wire")
            out[wire] = member
        return list(out.values())

    def _apply_fact(self, struct: str, member: Member, fact: dict[str, Any]) -> Member:
        ref = f"Data Types > {struct} > {fact['name']}"
        values = tuple(fact.get("valid_values") or ())
        if values:
            current = self.ir.types.get(member.type)
            known = current.values if current is not None and current.kind == "enum" else ()
            if member.type in ("xs:string",) or known:
                union = tuple(dict.fromkeys(known + values))
                if union != known:
                    name = f"{struct}.{member.name}"
                    self.ir.types[name] = TypeDef(name, "enum", values=union,
                                                  source=f"{ref} (valid values)")
                    member = Member(member.name, name, member.required, f"{ref}: valid values")
        if not self.own_facts:
            return member  # borrowed facts only ever widen enumerations
        spec_scalar = SPEC_SCALARS.get(fact.get("type", ""))
        if spec_scalar and member.type in SCALARS.values() and spec_scalar != member.type:
            member = Member(member.name, spec_scalar, member.required,
                            f"{ref}: type {fact['type']}")
        if fact.get("required") and not member.required:
            member = Member(member.name, member.type, True, f"{ref}: required")
        return member


class _SpecMembers:
    """Find a spec table row for a model member (the tables use SDK-style names)."""

    def __init__(self, table: dict[str, Any] | None):
        self.rows = table.get("members", ()) if table else ()

    def find(self, wire: str, member_name: str) -> dict[str, Any] | None:
        for row in self.rows:
            if (row.get("response_name") or row["name"]) == wire:
                return row
        lowered = {wire.lower(), member_name.lower()}
        for row in self.rows:
            if (row.get("response_name") or row["name"]).lower() in lowered:
                return row
        return None


def _checked_name(name: str) -> str:
    if not _NCNAME.match(name):
        raise ValueError(f"{name!r} is not an XML element name")
    return name
