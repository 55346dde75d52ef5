"""The reference model: what the spec says the target's state must be.

The model is driven by requests, not by any machine: ``predict(action,
params)`` says what the spec requires of the answer (success, or which error
and why), and ``apply(action, params, result)`` updates the expected state
from a successful answer, returning the IDs the step introduced (so a replay
can map recorded IDs onto the new target's).  Per-action logic lives in the
``_model_*`` modules, registered with ``@predicts`` / ``@applies``; the
generic part here knows that an ID the model saw deleted is "not found".
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Any, Callable

from ...catalog import Catalog, resource_kinds
from ...outcome import SUCCESS, Expectation
from ._broken_rules import not_found

Predictor = Callable[["Model", dict[str, Any]], Expectation | None]
Applier = Callable[["Model", dict[str, Any], dict[str, Any]], list[str] | None]
_PREDICT: dict[str, Predictor] = {}
_APPLY: dict[str, Applier] = {}


def predicts(action: str) -> Callable[[Predictor], Predictor]:
    def register(fn: Predictor) -> Predictor:
        _PREDICT[action] = fn
        return fn
    return register


def applies(action: str) -> Callable[[Applier], Applier]:
    def register(fn: Applier) -> Applier:
        _APPLY[action] = fn
        return fn
    return register


@dataclass
class Resource:
    kind: str
    id: str
    attrs: dict[str, Any] = field(default_factory=dict)  # describe path -> expected value
    tags: dict[str, str] = field(default_factory=dict)
    states: tuple[str, ...] = ()  # states a describe may show now; () = not judged
    implicit: bool = False  # made by the target with its VPC (default group, main table...)
    data: dict[str, Any] = field(default_factory=dict)  # model bookkeeping


class Model:
    def __init__(self, catalog: Catalog, *, availability_zone: str = "us-east-1a"):
        self.catalog = catalog
        self.kinds = resource_kinds(catalog.api_version)
        self.availability_zone = availability_zone
        self.live: dict[str, Resource] = {}
        self.gone: dict[str, Resource] = {}
        self.kinds_seen: set[str] = set()
        # ClientToken -> {"params": ..., "ids": first answer's IDs, "answers": [ids, ...]}
        self.tokens: dict[str, dict[str, Any]] = {}
        # IDs whose state the target took somewhere the spec does not go (it accepted what
        # must fail, or refused what must succeed): no later prediction or invariant judges
        # them, so one departure is reported once, not again as its consequences.
        self.tainted: set[str] = set()

    # -- state ---------------------------------------------------------------------------
    def add(self, kind: str, rid: str, attrs: dict[str, Any] | None = None, *,
            states: tuple[str, ...] = (), implicit: bool = False, **data: Any) -> Resource:
        resource = Resource(kind, rid, dict(attrs or {}), states=states, implicit=implicit,
                            data=data)
        self.live[rid] = resource
        self.gone.pop(rid, None)
        self.kinds_seen.add(kind)
        return resource

    def drop(self, rid: str) -> Resource | None:
        resource = self.live.pop(rid, None)
        if resource is not None:
            resource.states = self.kinds[resource.kind].deleted_states  # handlers may narrow it
            self.gone[rid] = resource
        return resource

    def get(self, rid: Any) -> Resource | None:
        return self.live.get(rid) if isinstance(rid, str) else None

    def of(self, kind: str, **where: Any) -> list[Resource]:
        """Live resources of ``kind`` in creation order, filtered on attrs/data values."""
        return [r for r in self.live.values() if r.kind == kind
                and all(r.attrs.get(k, r.data.get(k)) == v for k, v in where.items())]

    def taint(self, ids: set[str]) -> None:
        """Set aside ``ids``, what was made inside them, and what is attached to them."""
        ids = set(ids)
        every = [*self.live.values(), *self.gone.values()]
        for r in every:  # attachment partners, both ways
            partners = {(r.data.get("attachment") or (None,))[0], r.data.get("target")}
            if r.id in ids:
                ids |= partners - {None}
            elif partners & ids:
                ids.add(r.id)
        ids |= {r.id for r in every if r.data.get("vpc") in ids or r.data.get("subnet") in ids}
        self.tainted |= ids

    def named(self, params: Any) -> set[str]:
        """The IDs of resources the model knows (alive or gone) that ``params`` names."""
        if isinstance(params, str):
            return {params} if params in self.live or params in self.gone else set()
        values = params.values() if isinstance(params, dict) else \
            params if isinstance(params, (list, tuple)) else ()
        return set().union(*(self.named(v) for v in values)) if values else set()

    def vpc_ids(self) -> list[str]:
        return [r.id for r in self.of("vpc")] + [r.id for r in self.gone.values()
                                                 if r.kind == "vpc"]

    # -- prediction ----------------------------------------------------------------------
    def predict(self, action: str, params: dict[str, Any]) -> Expectation:
        gone = self._gone_reference(action, params)
        if gone is not None:
            return gone
        predictor = _PREDICT.get(action)
        return (predictor(self, params) if predictor else None) or SUCCESS

    def apply(self, action: str, params: dict[str, Any], result: dict[str, Any]) -> list[str]:
        applier = _APPLY.get(action)
        return list((applier(self, params, result) if applier else None) or [])

    def _gone_reference(self, action: str, params: dict[str, Any]) -> Expectation | None:
        if action not in self.catalog.actions:
            return None
        for param in self.catalog.actions[action].params:
            if not param.id_kind:
                continue
            for value in values_at(params, param.path):
                dead = self.gone.get(value) if value not in self.live else None
                if dead is not None and not self.kinds[dead.kind].deleted_states:
                    return not_found(self.catalog, self.kinds.id_kind(dead.kind), value)
        return None


def values_at(params: Any, path: tuple[str, ...]) -> list[Any]:
    """Every value at a catalog member path (``("IpPermissions", "[]", "GroupId")``)."""
    if not path:
        return [params]
    head, rest = path[0], path[1:]
    if head == "[]":
        return [v for item in params or () for v in values_at(item, rest)] \
            if isinstance(params, list) else []
    if isinstance(params, dict) and head in params:
        return values_at(params[head], rest)
    return []


def network(cidr: str) -> ipaddress.IPv4Network | None:
    try:
        return ipaddress.IPv4Network(cidr, strict=False)
    except (ValueError, TypeError):
        return None
