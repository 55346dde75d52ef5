"""The world: real resources on the target that valid requests can reference.

``World.build`` reads what the target offers (region, Availability Zones, images,
instance types) and creates one resource of each base kind from ``plan.json``;
``fresh(kind)`` makes another on demand (a ``DeleteVpc`` example consumes its own
VPC, never the shared one); ``adopt`` takes over resources that valid examples
created; ``teardown`` undoes everything in reverse order and returns what it could
not undo.  A target that lacks an action just yields a world with fewer kinds.
"""

from __future__ import annotations

import contextlib
import ipaddress
import itertools
import json
import threading
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from ..catalog import resource_kinds
from ..protocol import Client
from ._offer import DEFAULT_INSTANCE_TYPES, TargetOffer
from ._steps import StepRunner
from ..protocol import error_code, first_text, parse_or_none



class WorldError(RuntimeError):
    """A resource could not be made on the target."""


@dataclass(eq=False)  # identity: teardown keys its bookkeeping by resource
class Resource:
    kind: str
    id: str
    fields: dict[str, str] = field(default_factory=dict)
    undo: list[list[tuple[str, str]]] = field(default_factory=list)  # pairs, run in reverse

    def get(self, name: str) -> str:
        return self.id if name == "id" else self.fields[name]


def load_plan() -> dict[str, Any]:
    text = resources.files("ec2_conformance.world").joinpath("plan.json").read_text("utf-8")
    return json.loads(text)


def describe_spec(kind: str, api_version: str = "2014-10-01") -> dict[str, Any] | None:
    """How to count the resources of ``kind`` (``{"action", "element", "params"}``): the
    resource kinds' describe action and ID member, with what ``plan.json``'s ``describe``
    adds (parameters) or says instead (a kind the resource kinds do not hold)."""
    kinds = resource_kinds(api_version)
    spec: dict[str, Any] = {}
    if kind in kinds:
        member = kinds[kind].id_member
        spec = {"action": kinds[kind].describe, "element": member[0].lower() + member[1:]}
    spec.update(load_plan()["describe"].get(kind, {}))
    return spec if "action" in spec else None


class World:
    def __init__(self, *, run_id: str, region: str = "us-east-1", azs: list[str] | None = None,
                 images: list[str] | None = None, instance_types: list[str] | None = None,
                 client: Client | None = None, api_version: str = "2014-10-01"):
        self.run_id = run_id
        self.region = region
        self.azs = list(azs or [f"{region}a"])
        self.images = list(images or [])
        self.instance_types = list(instance_types or DEFAULT_INSTANCE_TYPES)
        self.client = client
        # Makes the base resources instead of ``client`` when set (the self-test makes them
        # around its fault proxy, whenever they are first asked for).
        self.base_client: Client | None = None
        self._making_base = threading.local()
        self.api_version = api_version
        self.plan = load_plan()
        # The run tag, and the answers meaning "already gone" (an example consumed the
        # resource on purpose): the resource kinds' file is their one home.
        self.resource_kinds = resource_kinds(api_version)
        self.base: dict[str, Resource] = {}
        self.created: list[Resource] = []  # creation order, for teardown
        self.failures: dict[str, str] = {}  # kind -> why it could not be made
        self._counter = itertools.count(1)
        self._lock = threading.Lock()
        # Tag what the world makes with the run id (for ``cleanup`` on a shared account);
        # a throwaway embedded target needs no tags, and each costs a request.
        self.tag_resources = True
        # Fresh resources lent to the current request, and those a refused request left
        # untouched: the next request that needs one of that kind takes it again.
        self._lent: list[Resource] = []
        self._spare: dict[str, list[Resource]] = {}

    # -- what strategies read -------------------------------------------------
    @property
    def az(self) -> str:
        return self.azs[0]

    @property
    def kinds(self) -> list[str]:
        return sorted(k for k in self._aliases() if self.ids(k))

    def ids(self, kind: str) -> list[str]:
        """IDs of existing base resources of ``kind`` (overlay ID-kind names)."""
        if kind == "image":
            own = [self.base["own_image"].id] if "own_image" in self.base else []
            return own + self.images
        alias = self._aliases().get(kind)
        if isinstance(alias, list):
            return [i for k in alias for i in self.ids(k)]
        if alias is not None:
            resource = self.base.get(alias)
            return [resource.id] if resource else []
        resource = self.base.get(kind)
        return [resource.id] if resource else []

    def field_values(self, kind: str, name: str) -> list[str]:
        resource = self.base.get(kind)
        if resource is None:
            return []
        try:
            return [resource.get(name)]
        except KeyError:
            return []

    def _aliases(self) -> dict[str, Any]:
        tagged = [k for k, spec in self.plan["kinds"].items() if spec.get("tag")]
        names = {k: k for k in self.plan["kinds"]}
        names.update({"image": "own_image", "gateway": "internet_gateway",
                      # base kinds, not those made: asking must not make them all
                      "taggable_resource": [k for k in tagged if k in self.plan["base"]],
                      "security_group_name": None})
        return names

    # -- making resources -----------------------------------------------------
    @classmethod
    def build(cls, client: Client, catalog: Any = None, *, run_id: str,
              kinds: list[str] | None = None) -> "World":
        """Read the target's offer and create the base resources (``kinds`` to limit)."""
        world = cls(run_id=run_id, region=client.region, client=client,
                    api_version=client.api_version)
        world._read_offer()
        for kind in kinds if kinds is not None else world.plan["base"]:
            resource = world._make_base(kind)
            if resource is not None:
                world.base[kind] = resource
        return world

    def make_base_on_demand(self, kinds: list[str] | None = None) -> None:
        """The base resources (``kinds``, default the plan's) are made the first time a
        strategy, a template or a check asks for one, not all up front: a run of one
        action on a fresh target makes only what that action's examples can name."""
        self.base = _OnDemandBase(self, [k for k in (kinds if kinds is not None
                                                     else self.plan["base"])
                                         if k not in self.base], self.base)

    def _make_base(self, kind: str) -> Resource | None:
        outer = getattr(self._making_base, "on", False)
        self._making_base.on = True  # its requests go through ``base_client`` when set
        try:
            return self._make(kind, overrides=self.plan.get("base_overrides", {}).get(kind))
        except WorldError as exc:
            self.failures[kind] = str(exc)
            return None
        finally:
            self._making_base.on = outer

    def _read_offer(self) -> None:
        offer = TargetOffer(self.client)
        self.azs = offer.zones or self.azs
        self.images = offer.images[:5]
        self.instance_types = offer.instance_types

    def fresh(self, kind: str, overrides: dict[str, str] | None = None) -> Resource:
        """A resource of ``kind`` no request has used yet (tracked for teardown): a new one,
        or one lent to a request that the target refused (see ``returned``)."""
        with self._lock:
            spare = self._spare.get(kind) if overrides is None else None
            resource = spare.pop() if spare else None
        if resource is None:
            resource = self._make(kind, overrides)
        if overrides is None:
            with self._lock:
                self._lent.append(resource)
        return resource

    def returned(self, *, used: bool) -> None:
        """The request the resources lent since the last call went out in is answered:
        ``used=False`` (the target refused it: nothing happened) makes them spare again.

        Wire faults and invalid requests are mostly refused before they touch anything,
        so their fresh resources serve the next example instead of being made and undone
        each time (that churn was most of a stateless run's requests)."""
        with self._lock:
            lent, self._lent = self._lent, []
            if not used:
                for resource in lent:
                    self._spare.setdefault(resource.kind, []).append(resource)

    def _make(self, kind: str, overrides: dict[str, str] | None) -> Resource:
        spec = self.plan["kinds"].get(kind)
        if spec is None:
            raise WorldError(f"the world does not know how to make {kind!r}")
        if self.client is None:
            raise WorldError("an offline world cannot create resources")
        runner = StepRunner(compute=self._computed)
        resource = Resource(kind, "")
        sent: list[list[tuple[str, str]]] = []

        def send(step: dict[str, Any]) -> Any:
            first = {} if sent else overrides or {}  # overrides shape the first request
            sent.append(runner.pairs({**step.get("params", {}), **first}))
            return self._call_checked(step["action"], sent[-1])  # (root, error code)

        def read(answer: tuple[Any, str | None], element: str) -> str | None:
            return first_text(answer[0], element) if answer[0] is not None else None

        for result in runner.run(spec["steps"], send, read):
            step, (root, code) = result.step, result.answer
            if root is None:
                self._undo(resource)
                raise WorldError(f"{kind}: {step['action']} failed ({code})")
            if result.missing:
                self._undo(resource)
                raise WorldError(f"{kind}: {step['action']} answered without {result.missing}")
            for name, param in step.get("fields", {}).items():
                runner.values[name] = dict(sent[-1])[param]
            if "undo" in step:
                resource.undo.append(self._undo_pairs(step["undo"], runner))
        resource.id = runner.values.get("id", "")
        resource.fields = {k: v for k, v in runner.values.items() if k != "id"}
        if spec.get("tag") and resource.id and self.tag_resources:
            self._call("CreateTags", {"ResourceId.1": resource.id,
                                      "Tag.1.Key": self.resource_kinds.run_tag,
                                      "Tag.1.Value": self.run_id})
        with self._lock:
            self.created.append(resource)
        return resource

    def adopt(self, action: str, body: bytes,
              pairs: list[tuple[str, str]] | None = None) -> Resource | None:
        """Track what a successful ``action`` created or linked, so teardown undoes it."""
        spec = self.plan["creates"].get(action)
        if spec is None:
            return None
        runner = StepRunner({f"req.{k}": v for k, v in pairs or ()}, compute=self._computed)
        if "capture" in spec:
            root = parse_or_none(body)
            rid = first_text(root, spec["capture"]) if root is not None else None
            if not rid:
                return None
            runner.values["id"] = rid
        try:
            undo = self._undo_pairs(spec["undo"], runner)
        except WorldError:
            return None  # the request lacked a parameter the undo needs
        resource = Resource(action, runner.values.get("id", ""), undo=[undo])
        with self._lock:
            self.created.append(resource)
        return resource

    def restart_numbering(self, start: int) -> None:
        """Number names and blocks from ``start`` on: a unit of work that starts its own
        numbering makes the same requests whatever ran before it (what a cassette needs)."""
        with self._lock:
            self._counter = itertools.count(start)

    def unique(self, prefix: str = "") -> str:
        with self._lock:
            n = next(self._counter)
        return f"{prefix}ec2c-{self.run_id}-{n}"

    def number(self) -> int:
        with self._lock:
            return 100 + next(self._counter) % 32000

    def subnet_cidr(self) -> str:
        with self._lock:
            n = 16 + next(self._counter) % 1000  # /28 blocks in 10.0.1.0-10.0.63.255
        return str(ipaddress.ip_network("10.0.0.0/28").network_address + 16 * n) + "/28"

    def route_cidr(self) -> str:
        with self._lock:
            n = next(self._counter) % 4000
        return f"172.{16 + n // 256}.{n % 256}.0/24"

    # -- teardown -------------------------------------------------------------
    def mark(self) -> int:
        """A point to ``release`` back to (the base and older resources stay)."""
        with self._lock:
            return len(self.created)

    def release(self, mark: int, *, passes: int = 2) -> list[str]:
        """Undo what was made since ``mark``, newest first: keeps the target small."""
        with self._lock:
            recent, self.created = self.created[mark:], self.created[:mark]
            self._forget_spare(recent)
        left = self._undo_all(recent, passes)
        with self._lock:
            self.created.extend(r for r in recent if r in left)  # retried at teardown
        return [f"{r.kind} {r.id}: {'; '.join(errs)}" for r, errs in left.items()]

    def teardown(self, *, passes: int = 3) -> list[str]:
        """Undo everything this world made, newest first; return what failed."""
        with self._lock:
            self._forget_spare(self.created)
        left = self._undo_all(self.created, passes)
        self.created = [r for r in self.created if r in left]
        self.base = {k: r for k, r in self.base.items() if r in left}
        return [f"{r.kind} {r.id}: {'; '.join(errs)}" for r, errs in left.items()]

    def _forget_spare(self, undone: list[Resource]) -> None:
        gone = set(map(id, undone))
        self._lent = [r for r in self._lent if id(r) not in gone]
        self._spare = {k: [r for r in v if id(r) not in gone] for k, v in self._spare.items()}

    def _undo_all(self, resources_: list[Resource], passes: int) -> dict[Resource, list[str]]:
        pending = list(reversed(resources_))
        failed: dict[Resource, list[str]] = {}
        if not pending:
            return failed
        # Cleanup still goes out after the run's deadline or a stop request.
        with self.client.cleaning() if self.client is not None else contextlib.nullcontext():
            for _ in range(passes):
                failed = {r: errs for r in pending if (errs := self._undo(r))}
                pending = list(failed)
                if not pending:
                    break
        return failed

    def _undo(self, resource: Resource) -> list[str]:
        errors, remaining = [], []
        for pairs in reversed(resource.undo):
            root, code = self._call_checked(pairs[0][1], pairs[1:])
            if root is None and not self.resource_kinds.is_gone(code):
                errors.append(f"{pairs[0][1]} -> {code}")
                remaining.insert(0, pairs)
        resource.undo = remaining
        return errors

    # -- plumbing -------------------------------------------------------------
    def _computed(self, name: str) -> str:
        """A template value no step captured: the world's own (``{unique}``, ``{az}``,
        ``{world.vpc}``); a missing ``{req.X}`` is a request without parameter X."""
        if name.startswith("req."):
            raise WorldError(f"no request parameter {name[4:]}")
        return self._value(name)

    @staticmethod
    def _undo_pairs(spec: dict[str, Any], runner: StepRunner) -> list[tuple[str, str]]:
        return [("Action", spec["action"])] + runner.pairs(spec.get("params", {}))

    def _value(self, name: str) -> str:
        simple = {"az": lambda: self.az, "region": lambda: self.region,
                  "run_id": lambda: self.run_id, "unique": self.unique,
                  "subnet_cidr": self.subnet_cidr, "route_cidr": self.route_cidr,
                  "number": lambda: str(self.number()),
                  "image": lambda: self._need(self.images, "image"),
                  "instance_type": lambda: self.instance_types[0]}
        if name in simple:
            return simple[name]()
        if name.startswith("world."):
            parts = name.split(".")
            resource = self.base.get(parts[1])
            if resource is None:
                raise WorldError(f"needs the world's {parts[1]}, which could not be made")
            return resource.get(parts[2]) if len(parts) > 2 else resource.id
        raise WorldError(f"unknown template value {{{name}}}")

    @staticmethod
    def _need(values: list[str], what: str) -> str:
        if not values:
            raise WorldError(f"the target offers no {what}")
        return values[0]

    def _call(self, action: str, params: dict[str, str]) -> Any:
        return self._call_checked(action, list(params.items()))[0]

    def _call_checked(self, action: str, pairs: list[tuple[str, str]]):
        """(parsed root, None) on success; (None, error code or status) otherwise."""
        client = self.base_client if self.base_client is not None and getattr(
            self._making_base, "on", False) else self.client
        assert client is not None
        exchange = client.call_pairs(
            [("Action", action), ("Version", self.api_version)] + list(pairs))
        response = exchange.response
        if response is None:
            return None, exchange.error
        root = parse_or_none(response.body)
        if response.status != 200 or root is None:
            return None, error_code(root) or f"HTTP {response.status}"
        return root, None

    # -- snapshots (offline worlds for strategy tests and replays) ------------
    def to_json(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "region": self.region, "azs": self.azs,
                "images": self.images, "instance_types": self.instance_types,
                "base": {k: {"id": r.id, "fields": r.fields} for k, r in self.base.items()},
                "failures": self.failures}

    @classmethod
    def from_snapshot(cls, data: dict[str, Any], client: Client | None = None) -> "World":
        world = cls(run_id=data.get("run_id", "offline"), region=data.get("region", "us-east-1"),
                    azs=data.get("azs"), images=data.get("images"),
                    instance_types=data.get("instance_types"), client=client)
        for kind, item in data.get("base", {}).items():
            world.base[kind] = Resource(kind, item["id"], dict(item.get("fields", {})))
        world.failures = dict(data.get("failures", {}))
        return world


class _OnDemandBase(dict):
    """``World.base`` when made on demand: reading a pending kind (``[]``, ``get``, ``in``)
    makes it first; iterating shows only what was made."""

    def __init__(self, world: World, pending: list[str], made: dict[str, Resource]):
        super().__init__(made)
        self._world, self._pending, self._lock = world, set(pending), threading.RLock()

    def _ensure(self, kind: object) -> None:
        if kind not in self._pending:
            return
        with self._lock:  # a kind's template may read another kind: re-entrant
            if kind in self._pending:
                self._pending.discard(kind)
                resource = self._world._make_base(kind)
                if resource is not None:
                    dict.__setitem__(self, kind, resource)

    def __getitem__(self, kind: str) -> Resource:
        self._ensure(kind)
        return dict.__getitem__(self, kind)

    def get(self, kind: str, default: Any = None) -> Any:
        self._ensure(kind)
        return dict.get(self, kind, default)

    def __contains__(self, kind: object) -> bool:
        self._ensure(kind)
        return dict.__contains__(self, kind)
