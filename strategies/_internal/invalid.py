"""Invalid requests, each labelled with the rule it breaks and the codes the spec allows.

The mutation is drawn first (class and target parameter), then the valid base,
and the mutation is applied last: Hypothesis may shrink the base and even move
to another mutation, but never to a request with no mutation, and the label is
computed from the mutation actually applied, so it stays true while shrinking.
"""

from __future__ import annotations

import functools
import ipaddress
import json
from importlib import resources
from typing import Any

from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from ec2_conformance.catalog import load_catalog
from ec2_conformance.outcome import Expectation

from .case import Case
from .requests import Base, _recipe_value, valid_bases
from .utils import check_world, defines_strategy, resolve_action

INVALID_CLASSES = ("missing-required", "unknown-parameter", "malformed-value", "enum-violation",
                   "malformed-id", "nonexistent-id", "cidr-out-of-range", "invalid-combination")
# Only values no reading of the parameter's Type admits (the spec decides they are not
# valid): not numbers at all (an out-of-range number is another rule, and a huge count
# sends some targets into a loop that outlives the request: moto's address picker), and
# for a Boolean no word any convention reads as one.  "2", "1" or "yes" are left out: the
# spec says only "Type: Boolean" and shows true/false, never the wire form's bounds.
_MALFORMED = {"integer": ["abc", "1.5", "one"],
              "long": ["abc", "1.5", "ten"],
              "boolean": ["maybe", "yes please", "not-a-boolean"],
              "timestamp": ["yesterday", "2014-13-45T99:99:99Z", "not-a-date"],
              "double": ["abc", "1,5"], "float": ["abc", "1,5"]}
_NAME_KINDS = ("key_pair", "placement_group")


@functools.lru_cache(maxsize=None)
def expectations() -> dict[str, Any]:
    text = resources.files("ec2_conformance.strategies._internal").joinpath(
        "expectations.json").read_text("utf-8")
    return json.loads(text)


@defines_strategy
def invalid_requests(action, *, world, classes=None, catalog=None) -> st.SearchStrategy[Case]:
    """Requests that break exactly one rule, labelled with the codes the spec allows."""
    resolved = resolve_action(action, catalog)
    check_world(world)
    chosen = _check_classes(classes)
    catalog = catalog if catalog is not None else load_catalog(resolved.api_version)
    options = {name: targets for name in chosen
               if (targets := invalid_targets(name, resolved, world, catalog))}
    if not options:
        return st.nothing()
    return _build(resolved, world, catalog, options)


def _check_classes(classes) -> tuple[str, ...]:
    if classes is None:
        return INVALID_CLASSES
    if isinstance(classes, str) or not hasattr(classes, "__iter__"):
        raise InvalidArgument(f"classes={classes!r} must be a collection of class names")
    unknown = [c for c in classes if c not in INVALID_CLASSES]
    if unknown:
        raise InvalidArgument(f"unknown invalid classes {unknown}; choose from "
                              + ", ".join(INVALID_CLASSES))
    return tuple(classes)


def invalid_targets(name: str, action, world, catalog) -> list[Any]:
    """What ``name`` can break in ``action`` (empty: the class does not apply)."""
    # Top-level scalars and one-level lists ("InstanceId.N"): a mutation there
    # cannot be masked by an enclosing structure the base left out.
    params = [p for p in action.params
              if "." not in p.name or (p.name.endswith(".N") and p.name.count(".") == 1)]
    top = [p for p in params if "." not in p.name]
    if name == "missing-required":
        relaxed = {d["param"] for d in action.overlay.get("required_disagreements", ())
                   if not d.get("spec_required", True)}
        return [p.name for p in action.params if p.top_required and p.name not in relaxed]
    if name == "unknown-parameter":
        return ["*"]
    if name == "malformed-value":
        typed = [p.name for p in top if p.type in _MALFORMED and not p.id_kind]
        # DryRun is in nearly every action: aim at it only when nothing else is typed.
        return [n for n in typed if n != "DryRun"] or typed
    if name == "enum-violation":
        return [p.name for p in top if p.enum]
    if name in ("malformed-id", "nonexistent-id"):
        return [p.name for p in params if p.id_kind and _id_codes(name, p.id_kind, action,
                                                                   catalog)]
    if name == "cidr-out-of-range":
        entry = expectations()["cidr_params"].get(action.name)
        return [entry["param"]] if entry and catalog.limit(entry["limit"]) else []
    if name == "invalid-combination":
        return [i for i, c in enumerate(expectations()["combinations"])
                if c["action"] == action.name and _combination_possible(c, world)]
    return []


def _build(action, world, catalog, options):
    @st.composite
    def build(draw):
        name = draw(st.sampled_from(sorted(options)))  # the mutation, chosen first
        target = draw(st.sampled_from(options[name]))
        base = draw(valid_bases(action, world))
        control, control_fresh = base.wire(), dict(base.fresh)
        expectation = _MUTATIONS[name](draw, base, target, action, world, catalog)
        base.fresh = {**control_fresh, **base.fresh}  # the control replay fills its own
        return base.case(expectation, kind="invalid", base=control)
    return build()


def _present(base: Base, generic: str) -> list[str]:
    return [k for k in base.pairs if _generic(k) == generic]


def _missing(draw, base, target, action, world, catalog) -> Expectation:
    present = _present(base, target)
    assume(present)  # a recipe may use an alternative to this parameter
    for key in present:
        base.remove(key)
    return _expect("missing-required", f"missing-required:{target}")


def _unknown(draw, base, target, action, world, catalog) -> Expectation:
    known = {p.name.split(".")[0].lower() for p in action.params}
    name = draw(st.text("abcdefghijklmnopqrstuvwxyz", min_size=4, max_size=10).map(
        lambda s: "Zq" + s.capitalize()).filter(lambda s: s.lower() not in known))
    base.set(name, draw(st.sampled_from(["1", "true", "x"])))
    return _expect("unknown-parameter", f"unknown-parameter:{name}")


def _malformed(draw, base, target, action, world, catalog) -> Expectation:
    value = draw(st.sampled_from(_MALFORMED[action.param(target).type]))
    _set(base, target, value)
    return _expect("malformed-value", f"malformed-value:{target}")


def _enum(draw, base, target, action, world, catalog) -> Expectation:
    allowed = {v.lower() for v in action.param(target).enum}
    value = draw(st.text("abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=8).map(
        lambda s: "zz-" + s).filter(lambda s: s.lower() not in allowed))
    _set(base, target, value)
    extra = expectations()["invalid"]["enum-violation"]["per_param"].get(target, ())
    return _expect("enum-violation", f"enum-violation:{target}", extra=extra)


def _bad_id(draw, base, target, action, world, catalog, name: str) -> Expectation:
    param = action.param(target)
    if not target.endswith(".N") or not action.name.startswith("Describe"):
        assume(_present(base, target))
    kind = catalog.id_kinds[param.id_kind]
    prefix = kind.get("prefix") or ("igw-" if param.id_kind == "gateway" else None)
    if name == "malformed-id":
        stem = prefix or ""
        value = draw(st.sampled_from([stem + "zz!", stem.rstrip("-") + "_1234", "garbage"]))
    elif param.id_kind in _NAME_KINDS:
        value = draw(st.text("abcdef0123456789", min_size=8, max_size=8).map(
            lambda s: "ec2c-missing-" + s))
    elif prefix:
        taken = set(world.ids(param.id_kind))
        value = draw(st.text("0123456789abcdef", min_size=8, max_size=8).map(
            lambda s: prefix + s).filter(lambda s: s not in taken))
    else:
        value = str(draw(st.uuids()))
    _set(base, target, value)
    return _expect(name, f"{name}:{target}", extra=_id_codes(name, param.id_kind, action, catalog),
                   spec_ref=f"{kind.get('spec_ref', 'Client Errors For Specific Actions')} "
                            f"(overlay id_kinds.{param.id_kind})")


def _cidr(draw, base, target, action, world, catalog) -> Expectation:
    entry = expectations()["cidr_params"][action.name]
    limit = catalog.limit(entry["limit"])
    prefix = draw(st.sampled_from(list(range(8, limit["min_prefix"]))
                                  + list(range(limit["max_prefix"] + 1, 33))))
    network = ipaddress.ip_network(f"10.0.0.0/{prefix}")
    _set(base, target, str(network))
    return _expect("cidr-out-of-range", f"cidr-out-of-range:{target}/{prefix}",
                   extra=entry["codes"], spec_ref=f"{limit['spec_ref']}: \"{limit['quote']}\"")


def _combination(draw, base, target, action, world, catalog) -> Expectation:
    entry = expectations()["combinations"][target]
    if entry.get("replace"):
        for key in list(base.pairs):
            base.remove(key)
    for key, spec in entry["set"].items():
        value = _recipe_value(draw, spec, key, action, world, base)
        assume(value is not None)
        base.set(key, value)
    return _expect("invalid-combination", "invalid-combination:" + "+".join(entry["set"]),
                   spec_ref=f"{entry['spec_ref']}: \"{entry['quote']}\"")


_MUTATIONS = {
    "missing-required": _missing, "unknown-parameter": _unknown, "malformed-value": _malformed,
    "enum-violation": _enum,
    "malformed-id": lambda *a: _bad_id(*a, name="malformed-id"),
    "nonexistent-id": lambda *a: _bad_id(*a, name="nonexistent-id"),
    "cidr-out-of-range": _cidr, "invalid-combination": _combination,
}


def _id_codes(name: str, kind_name: str, action, catalog) -> tuple[str, ...]:
    kind = catalog.id_kinds.get(kind_name)
    if not kind:
        return ()
    if kind_name == "gateway":  # GatewayId takes an igw- or a vgw- ID: either kind's codes
        own = _id_codes_of(name, kind, kind_name, action)
        return own + tuple(c for k in ("internet_gateway", "vpn_gateway")
                           for c in _id_codes_of(name, catalog.id_kinds.get(k, {}), k, None))
    return _id_codes_of(name, kind, kind_name, action)


def _id_codes_of(name: str, kind: dict, kind_name: str, action) -> tuple[str, ...]:
    if not kind:
        return ()
    found = [kind.get("not_found"), *kind.get("other_codes", ())]
    if name == "malformed-id":
        if not (kind.get("prefix") or kind_name in ("gateway", "taggable_resource")):
            return ()  # names and UUIDs have no malformed form to aim at
        return tuple(c for c in [kind.get("malformed"), *found] if c)
    if kind.get("not_found") is None or (action is not None
                                         and kind.get("not_found") not in action.errors):
        return ()  # the spec lists no "not found" answer for this action
    return tuple(c for c in [*found, kind.get("malformed")] if c)


def _expect(name: str, rule: str, extra=(), spec_ref: str | None = None) -> Expectation:
    entry = expectations()["invalid"][name]
    return Expectation("error", frozenset(entry["codes"]) | frozenset(extra), rule,
                       spec_ref or entry["spec_ref"])


def _set(base: Base, generic: str, value: str) -> None:
    name = generic.replace(".N", ".1")
    for key in _present(base, generic):
        base.remove(key)
    base.set(name, value)


def _combination_possible(entry: dict, world) -> bool:
    for spec in entry["set"].values():
        if spec.startswith("$world:") and not world.ids(spec[len("$world:"):].split(".")[0]):
            return False
    return True


def _generic(name: str) -> str:
    return ".".join("N" if part.isdigit() else part for part in name.split("."))

