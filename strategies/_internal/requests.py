"""Valid requests for any catalog action: recipes first, then the meaning rules.

A valid request carries every required parameter, and optional parameters
whose meaning is safe (IDs of existing resources, filters, tags, descriptions,
enums).  Values that must be new at send time (names, CIDRs, resources a request
consumes) are ``fresh`` entries the case fills in when it is sent.
"""

from __future__ import annotations

import functools
import json
import re
import weakref
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from hypothesis import strategies as st

from ec2_conformance.outcome import SUCCESS, Expectation

from .case import Case
from .meanings import Deferred, rule_for, value_for
from .utils import check_world, defines_strategy, resolve_action

_LIST_ITEMS = 2  # at most this many items per optional list


@dataclass
class Base:
    """A valid request under construction (ordered pairs plus bookkeeping)."""

    action: str
    api_version: str
    pairs: dict[str, str] = field(default_factory=dict)
    fresh: dict[str, str] = field(default_factory=dict)
    references: dict[str, str] = field(default_factory=dict)

    def set(self, name: str, value: str) -> None:
        self.pairs[name] = value

    def remove(self, name: str) -> None:
        self.pairs.pop(name, None)
        self.fresh.pop(name, None)

    def wire(self) -> tuple[tuple[str, str], ...]:
        return (("Action", self.action), ("Version", self.api_version), *self.pairs.items())

    def case(self, expectation=SUCCESS, kind: str = "valid", **extra: Any) -> Case:
        used = set(self.pairs.values())
        refs = {i: k for i, k in self.references.items() if i in used}
        return Case(action=self.action, pairs=self.wire(), expectation=expectation, kind=kind,
                    references=refs, fresh=dict(self.fresh), **extra)


@functools.lru_cache(maxsize=None)
def recipes() -> dict[str, Any]:
    text = resources.files("ec2_conformance.strategies._internal").joinpath(
        "recipes.json").read_text("utf-8")
    return json.loads(text)["actions"]


@defines_strategy
def valid_requests(action, *, world, catalog=None) -> st.SearchStrategy[Case]:
    """Requests the spec says should succeed, referencing the world's resources."""
    resolved = resolve_action(action, catalog)
    check_world(world)
    return valid_bases(resolved, world).map(lambda base: base.case(_valid_expectation(base)))


# A filter value is a String (Data Types > Filter); the spec types few filters' values, so
# a drawn value may not be one a filter takes ("x" for an attach time).  Whether such a
# request must succeed is not stated: its label says so (rule table: label:valid-filter).
_FILTER_VALUE = re.compile(r"^Filter\.\d+\.Value\.\d+$")


def _valid_expectation(base: "Base") -> Expectation:
    if any(_FILTER_VALUE.match(name) for name in base.pairs):
        return Expectation("success", rule="valid-filter",
                           spec_ref=f"{base.action} > Request Parameters > Filter.N; Data "
                                    "Types > Filter (Values: Type: String list)")
    return SUCCESS


def valid_bases(action: Any, world: Any) -> st.SearchStrategy[Base]:
    """One strategy per (world, action), built once: the mutations draw a base for every
    example, and a new composite costs more to build and validate than the draw.  The
    strategy reads the world when it draws, so a cached one sees the world as it is."""
    per_world = _BASES.setdefault(world, {})
    key = (action.api_version, action.name)
    if key not in per_world:
        per_world[key] = _draw_base(action, world)
    return per_world[key]


_BASES: "weakref.WeakKeyDictionary[Any, dict[tuple[str, str], Any]]" = weakref.WeakKeyDictionary()


@st.composite
def _draw_base(draw, action, world) -> Base:
    base = Base(action.name, action.api_version)
    recipe = recipes().get(action.name)
    if recipe is not None:
        _apply_recipe(draw, base, action, world, recipe)
        if recipe.get("only"):
            return base
    owned = {name.lstrip("?").split(".")[0] for name in (recipe or {}).get("params", {})}
    for group, params in _groups(action).items():
        if group in owned:
            continue
        _draw_group(draw, base, action, world, group, params)
    return base


def _apply_recipe(draw, base: Base, action, world, recipe: dict) -> None:
    for key, spec in recipe.get("params", {}).items():
        name = key.lstrip("?")
        if key.startswith("?") and not draw(st.booleans()):
            continue
        value = _recipe_value(draw, spec, name, action, world, base)
        if value is not None:
            base.set(name, value)


def _recipe_value(draw, spec: str, name: str, action, world, base: Base) -> str | None:
    if not spec.startswith("$"):
        return spec
    source, _, arg = spec[1:].partition(":")
    if source in ("fresh", "deferred"):
        base.fresh[name] = arg
        return f"<{arg}>"  # placeholder: replaced when the case is sent
    if source == "world":
        kind, _, field_name = arg.partition(".")
        values = world.field_values(kind, field_name) if field_name else world.ids(kind)
        if not values:
            return None
        value = draw(st.sampled_from(values))
        base.references[value] = kind
        return value
    if source == "meaning":
        param = _param_or_stub(action, name)
        return _resolve(draw, _meaning(arg, param, action, world), name, base)
    raise ValueError(f"recipe for {action.name}: unknown value source {spec!r}")


def _meaning(meaning: str, param, action, world):
    from .meanings import _BUILDERS, _by_type

    builder = _BUILDERS.get(meaning)
    return builder(param, action, world) if builder else _by_type(param)


def _resolve(draw, produced, name: str, base: Base) -> str | None:
    if produced is None:
        return None
    if isinstance(produced, Deferred):
        base.fresh[name] = produced.token
        return f"<{produced.token}>"
    return str(draw(produced))


def _param_or_stub(action, name: str):
    generic = ".".join("N" if part.isdigit() else part for part in name.split("."))
    for param in action.params:
        if param.name == generic:
            return param
    from ec2_conformance.catalog import Param

    return Param(name=generic, path=(), type="string", required=False, top_required=False)


def _groups(action) -> dict[str, list]:
    groups: dict[str, list] = {}
    for param in action.params:
        groups.setdefault(param.name.split(".")[0], []).append(param)
    return groups


def _draw_group(draw, base: Base, action, world, group: str, params: list) -> None:
    required = any(p.top_required for p in params)
    plans = []
    for param in params:
        meaning, safe = rule_for(param.name)
        if meaning == "never":
            continue
        top_enum = param.enum and "." not in param.name
        wanted = param.top_required or param.required or safe or top_enum
        if param.id_kind and param.name.count(".N") <= 1:
            wanted = True
        if wanted:
            plans.append((param, meaning))
    if not plans:
        return
    if not required and not draw(st.booleans()):
        return
    if not required and len(plans) > 1 and not _is_filter(group):
        # An optional structure: keep its members coherent by choosing a subset.
        plans = [p for p in plans if p[0].required or draw(st.booleans())] or plans[:1]
    is_list = plans[0][0].name.startswith(group + ".N")
    has_ids = any(param.id_kind for param, _ in plans)
    items = draw(st.integers(1, _LIST_ITEMS)) if is_list and not has_ids else 1
    for index in range(1, items + 1):
        for param, meaning in plans:
            name = _instantiate(param.name, index)
            value = _resolve(draw, value_for(meaning, param, action, world), name, base)
            if value is None:
                if not param.top_required:
                    continue
                value = "x"  # nothing valid to offer: the success table will show it
            if param.id_kind:
                base.references[value] = param.id_kind
            base.set(name, value)


def _is_filter(group: str) -> bool:
    return group == "Filter"


def _instantiate(name: str, first: int) -> str:
    parts, seen = [], 0
    for part in name.split("."):
        if part == "N":
            parts.append(str(first if seen == 0 else 1))
            seen += 1
        else:
            parts.append(part)
    return ".".join(parts)
