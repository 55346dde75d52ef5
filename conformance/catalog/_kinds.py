"""Resource kinds as data: how to describe, scope, tag, wait for and delete each.

``resource-kinds-<version>.json`` beside the overlay is the one home of these
facts; the world, the machines (observation, waiters, teardown) and
``cleanup --run-id`` read them from here.  What the catalog already knows is
derived, not restated: a kind's resource-ID kind is the ID kind of its delete
action's ID parameter, and "already gone" is the spec's documented codes that
say so.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

from ._overlay import data_versions

_DATA = "ec2_conformance.catalog.data"


@dataclass(frozen=True)
class ResourceKind:
    name: str
    describe: str
    items: str  # path to the item list in the parsed result; "A[].B" flattens
    id_member: str
    filter: str  # documented filter that selects items by ID (or by VPC ID: scope "vpc")
    delete: str
    delete_param: str
    delete_order: int  # lower is deleted first
    scope: str = "id"  # "id": filter by own IDs; "vpc": filter by the model's VPC IDs
    describe_ids: str | None = None  # the describe's by-ID parameter
    state: str | None = None  # dotted path to the state in an item
    settled_states: tuple[str, ...] = ()  # states a waiter waits for after create
    deleted_states: tuple[str, ...] = ()  # spec-named states a deleted one may still show
    taggable: bool = True
    discover: tuple[tuple[str, Any], ...] = ()  # (action, params with "{id}") reads

    def delete_params(self, rid: str) -> dict[str, Any]:
        """The delete request's parameters for one ID (a list parameter gets a list)."""
        return {self.delete_param: [rid] if self.delete_param.endswith("s") else rid}

    def items_of(self, data: dict[str, Any]) -> list[dict[str, Any]]:
        """The items of a describe result, flattening ``A[].B`` paths."""
        head, _, rest = self.items.partition("[].")
        items = data.get(head, []) or []
        if rest:
            return [inner for outer in items for inner in outer.get(rest, []) or []]
        return list(items)

    def state_of(self, item: dict[str, Any]) -> Any:
        return dig(item, self.state) if self.state else None


class ResourceKinds:
    """``kinds["vpc"]``; what needs the catalog (ID kinds, "already gone") is derived on
    first use, so reading the kinds stays as cheap as reading the file."""

    def __init__(self, api_version: str, data: dict[str, Any]):
        self.api_version = api_version
        self.run_tag: str = data["run_tag"]  # the tag key marking what a run makes
        self.kinds = {name: _kind(name, entry) for name, entry in data["kinds"].items()}
        self._gone = data["already_gone"]

    def __getitem__(self, name: str) -> ResourceKind:
        return self.kinds[name]

    def __contains__(self, name: object) -> bool:
        return name in self.kinds

    def __iter__(self):
        return iter(self.kinds.values())

    def names(self) -> tuple[str, ...]:
        return tuple(self.kinds)

    def id_kind(self, name: str) -> str:
        """The catalog's resource-ID kind of ``name`` (its NotFound code): the ID kind of
        its delete action's ID parameter."""
        kind = self.kinds[name]
        return id_kind_of(self._catalog(), kind.delete, kind.delete_param)

    def is_gone(self, code: str | None) -> bool:
        """An answer to a delete or an undo saying nothing is left to do: one of
        ``already_gone``, or any code with one of the file's suffixes (a target that names
        its NotFound code otherwise has still not found the resource; judging the name is
        the checks' business, not cleanup's)."""
        return bool(code) and (code in self.already_gone
                               or code.endswith(tuple(self._gone["suffixes"])))

    def own_codes(self, name: str) -> frozenset[str]:
        """The codes that say this kind's own ID is unknown (the overlay's ``id_kinds``
        entry): a delete answered with one of them has certainly nothing left to do."""
        entry = self._catalog().id_kinds.get(self.id_kind(name), {})
        return frozenset(c for c in [entry.get("not_found"), *entry.get("other_codes", ())]
                         if c)

    @functools.cached_property
    def already_gone(self) -> frozenset[str]:
        """Codes meaning nothing is left to delete or undo: every documented code with one
        of the file's suffixes, every code the overlay gives for an unknown ID of one of
        these kinds, plus the codes the file names."""
        catalog = self._catalog()
        documented = set(catalog.common_errors) | set(catalog.specific_errors)
        suffixes = tuple(self._gone["suffixes"])
        codes = {c for c in documented if c.endswith(suffixes)} | set(self._gone["codes"])
        for name in self.kinds:
            codes |= self.own_codes(name)
        return frozenset(codes)

    def _catalog(self) -> Any:
        from . import load_catalog

        return load_catalog(self.api_version)


def load_resource_kinds_data(api_version: str) -> dict[str, Any]:
    """The raw file for ``api_version`` (or the newest older one)."""
    versions = data_versions("resource-kinds")
    candidates = [v for v in versions if v <= api_version] or versions[:1]
    text = resources.files(_DATA).joinpath(f"resource-kinds-{candidates[-1]}.json")
    return json.loads(text.read_text("utf-8"))


@functools.lru_cache(maxsize=None)
def resource_kinds(api_version: str = "2014-10-01") -> ResourceKinds:
    """The resource kinds of ``api_version`` (a version without its own file: the newest
    older one's)."""
    return ResourceKinds(api_version, load_resource_kinds_data(api_version))


def _kind(name: str, entry: dict[str, Any]) -> ResourceKind:
    delete = entry["delete"]
    return ResourceKind(
        name=name, describe=entry["describe"], items=entry["items"],
        id_member=entry["id_member"], filter=entry["filter"],
        delete=delete["action"], delete_param=delete["id_param"],
        delete_order=entry["delete_order"], scope=entry.get("scope", "id"),
        describe_ids=entry.get("describe_ids"), state=entry.get("state"),
        settled_states=tuple(entry.get("settled_states", ())),
        deleted_states=tuple(entry.get("deleted_states", ())),
        taggable=entry.get("taggable", True),
        discover=tuple((read["action"], read["params"]) for read in entry.get("discover", ())))


def dig(item: Any, path: str | None) -> Any:
    """``dig(item, "State.Name")``, ``dig(reply, "Instances.0.InstanceId")``; None when any
    step is missing."""
    value: Any = item
    for part in (path or "").split("."):
        if isinstance(value, list) and part.isdigit():
            value = value[int(part)] if int(part) < len(value) else None
        elif isinstance(value, dict):
            value = value.get(part)
        else:
            return None
    return value


def id_kind_of(catalog: Any, action: str, member: str) -> str:
    """The resource-ID kind of ``action``'s top-level ``member`` (KeyError when none)."""
    for param in catalog[action].params:
        if param.path[0] == member and param.id_kind:
            return param.id_kind
    raise KeyError(f"{action}.{member} takes no resource ID")
