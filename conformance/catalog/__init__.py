"""The action catalog: botocore's EC2 model plus the spec-derived overlay.

``load_catalog("2014-10-01")`` returns every action with its wire parameters,
types, required flags, enumerations, resource-ID kinds, documented error codes,
whether it mutates state and whether it takes ``DryRun``.
"""

from __future__ import annotations

import fnmatch
import functools
from dataclasses import dataclass, field
from typing import Any, Iterator

import botocore.model

from ._model import (WireParam, available_api_versions, ec2_wire_name, flatten_input,
                     load_service_model)
from ._kinds import ResourceKind, ResourceKinds, dig, resource_kinds
from ._overlay import load_overlay, load_spec_facts

DEFAULT_API_VERSION = "2014-10-01"
__all__ = ["Action", "Catalog", "Param", "load_catalog", "available_api_versions",
           "DEFAULT_API_VERSION", "UnknownApiVersion", "ResourceKind", "ResourceKinds",
           "dig", "ec2_wire_name", "load_service_model", "load_spec_facts", "resource_kinds"]

_READ_ONLY_PREFIXES = ("Describe", "Get")


class UnknownApiVersion(ValueError):
    pass


@dataclass(frozen=True)
class Param:
    name: str
    path: tuple[str, ...]
    type: str
    required: bool
    top_required: bool
    enum: tuple[str, ...] = ()
    id_kind: str | None = None
    enum_source: str | None = None  # "model" or the overlay's spec_ref

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "type": self.type, "required": self.top_required}
        if self.enum:
            out["enum"] = list(self.enum)
        if self.id_kind:
            out["id_kind"] = self.id_kind
        return out


@dataclass(frozen=True)
class Action:
    name: str
    api_version: str
    params: tuple[Param, ...]
    mutating: bool
    dry_run: bool
    errors: tuple[str, ...]  # documented codes: common + action-specific
    specific_errors: tuple[str, ...]
    output_shape: str | None
    overlay: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def response_element(self) -> str:
        return f"{self.name}Response"

    @property
    def required_params(self) -> tuple[Param, ...]:
        return tuple(p for p in self.params if p.top_required)

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "mutating": self.mutating, "dry_run": self.dry_run,
                "params": [p.to_json() for p in self.params], "errors": list(self.errors),
                "response_element": self.response_element, "output_shape": self.output_shape}


class Catalog:
    def __init__(self, api_version: str, model: botocore.model.ServiceModel,
                 overlay: dict[str, Any]):
        self.api_version = api_version
        self.model = model
        self.overlay = overlay

    @functools.cached_property
    def actions(self) -> dict[str, Action]:
        # Built when first asked for: the later version's catalog serves the extension
        # check with its model alone, and building its 830 actions cost 0.15 s a process.
        return {name: _build_action(self.model, name, self.overlay)
                for name in self.model.operation_names}

    @property
    def namespace(self) -> str:
        # Responses carry the namespace with a trailing slash (the spec's sample
        # responses); botocore's metadata omits it.
        return f"http://ec2.amazonaws.com/doc/{self.api_version}/"

    def __iter__(self) -> Iterator[Action]:
        return iter(self.actions.values())

    def __len__(self) -> int:
        return len(self.actions)

    def __getitem__(self, name: str) -> Action:
        return self.actions[name]

    def select(self, patterns: list[str] | None) -> list[Action]:
        if not patterns:
            return list(self)
        return [a for a in self if any(fnmatch.fnmatchcase(a.name, p) for p in patterns)]

    @property
    def common_errors(self) -> tuple[str, ...]:
        return tuple(self.overlay.get("common_errors", {}).get("codes", ()))

    @property
    def server_errors(self) -> tuple[str, ...]:
        return tuple(self.overlay.get("server_errors", {}).get("codes", ()))

    @property
    def specific_errors(self) -> tuple[str, ...]:
        return tuple(self.overlay.get("specific_errors", {}).get("codes", ()))

    @property
    def id_kinds(self) -> dict[str, dict[str, Any]]:
        return self.overlay.get("id_kinds", {})

    def limit(self, name: str) -> dict[str, Any] | None:
        return next((entry for entry in self.overlay.get("limits", ()) if entry["name"] == name), None)

    def limit_value(self, name: str, key: str = "value") -> Any:
        """One figure of the overlay's limit ``name`` (``key``: "value", "min_prefix", ...):
        the one home of every spec limit the suite enforces; KeyError when absent."""
        entry = self.limit(name)
        if entry is None or key not in entry:
            raise KeyError(f"the {self.api_version} overlay has no limit {name}.{key}")
        return entry[key]

    def to_json(self, actions: list[Action] | None = None) -> dict[str, Any]:
        chosen = self if actions is None else actions
        return {"api_version": self.api_version, "actions": [a.to_json() for a in chosen]}


@functools.lru_cache(maxsize=None)
def load_catalog(api_version: str = DEFAULT_API_VERSION) -> Catalog:
    if api_version not in available_api_versions():
        raise UnknownApiVersion(
            f"unknown EC2 API version {api_version!r}; botocore ships "
            + ", ".join(available_api_versions()))
    return Catalog(api_version, load_service_model(api_version), load_overlay(api_version))


def _build_action(model: botocore.model.ServiceModel, name: str, overlay: dict) -> Action:
    op = model.operation_model(name)
    entry = overlay.get("actions", {}).get(name, {})
    id_params: dict[str, str] = entry.get("id_params", {})
    spec_enums: dict[str, dict] = entry.get("enums", {})
    params = tuple(_param(w, id_params, spec_enums) for w in flatten_input(op.input_shape))
    has_dry_run = any(p.name == "DryRun" for p in params)
    specific = tuple(e["code"] for e in entry.get("errors", ()))
    common = tuple(overlay.get("common_errors", {}).get("codes", ()))
    return Action(
        name=name, api_version=model.api_version, params=params,
        mutating=entry.get("mutating", not name.startswith(_READ_ONLY_PREFIXES)),
        dry_run=entry.get("dry_run", has_dry_run) and has_dry_run,
        errors=tuple(dict.fromkeys(common + specific)), specific_errors=specific,
        output_shape=op.output_shape.name if op.output_shape is not None else None,
        overlay=entry,
    )


def _param(wire: WireParam, id_params: dict[str, str], spec_enums: dict[str, dict]) -> Param:
    enum, source = wire.enum, "model" if wire.enum else None
    if not enum and wire.name in spec_enums:
        enum = tuple(spec_enums[wire.name]["values"])
        source = spec_enums[wire.name].get("spec_ref", "overlay")
    return Param(name=wire.name, path=wire.path, type=wire.type, required=wire.required,
                 top_required=wire.top_required, enum=enum, id_kind=id_params.get(wire.name),
                 enum_source=source)
