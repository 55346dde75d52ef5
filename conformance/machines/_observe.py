"""What the target shows: one scoped ``Describe*`` per kind per step, cached.

Invariants compare these observations with the model.  A describe is scoped
to the run's own resources (a filter on their IDs, or on their VPCs' IDs for
kinds a VPC makes implicitly), so a shared account's other resources never
show up.  Projections turn an item into the comparable form the model keeps
under ``~name`` attributes.
"""

from __future__ import annotations

from typing import Any, Callable

from ._kinds import KINDS, Kind, dig, items_of

# (kind, projection) -> item -> comparable value
PROJECTIONS: dict[tuple[str, str], Callable[[dict[str, Any]], Any]] = {
    ("route_table", "~associations"): lambda item: sorted(
        a["SubnetId"] for a in item.get("Associations", []) if a.get("SubnetId")),
    ("network_acl", "~entries"): lambda item: sorted(
        (bool(e.get("Egress")), e.get("RuleNumber")) for e in item.get("Entries", [])
        if e.get("RuleNumber") != 32767),
    ("dhcp_options", "~config"): lambda item: {
        c.get("Key", ""): sorted(v.get("Value", "") for v in c.get("Values", []))
        for c in item.get("DhcpConfigurations", [])},
    ("internet_gateway", "~attachments"): lambda item: sorted(
        a["VpcId"] for a in item.get("Attachments", [])
        if a.get("VpcId") and a.get("State") not in ("detaching", "detached")),
    ("vpn_gateway", "~attachments"): lambda item: sorted(
        a["VpcId"] for a in item.get("VpcAttachments", [])
        if a.get("VpcId") and a.get("State") in ("attaching", "attached")),
    ("volume", "~attachments"): lambda item: sorted(
        [a.get("InstanceId"), a.get("Device")] for a in item.get("Attachments", [])
        if a.get("State") in ("attaching", "attached")),
    ("network_interface", "~groups"): lambda item: sorted(
        g.get("GroupId") for g in item.get("Groups", [])),
    ("address", "~target"): lambda item: item.get("InstanceId") or item.get("NetworkInterfaceId")
    or None,
}


class ObservationFailed(Exception):
    """A describe of the run's own resources did not answer with a readable success."""

    def __init__(self, kind: str, observed: str):
        super().__init__(f"{KINDS[kind].describe} failed: {observed}")
        self.kind = kind
        self.observed = observed


class Observer:
    """``observer.items("subnet")`` -> {id: item}; ``refresh()`` after every step."""

    def __init__(self, describe: Callable[[str, dict[str, Any]], Any], model: Any):
        self._describe = describe  # (action, params) -> Reply
        self._model = model
        self._cache: dict[str, dict[str, dict[str, Any]]] = {}

    def refresh(self, kinds: set[str] | None = None) -> None:
        """Forget what was read (of ``kinds`` only, when given): the next ``items`` reads
        again.  What a step cannot have changed stays, so every invariant after the step
        shares one read per kind and an unchanged kind is not read again."""
        if kinds is None:
            self._cache.clear()
        for kind in kinds or ():
            self._cache.pop(kind, None)

    def items(self, kind_name: str) -> dict[str, dict[str, Any]]:
        if kind_name not in self._cache:
            self._cache[kind_name] = self._fetch(KINDS[kind_name])
        return self._cache[kind_name]

    def _fetch(self, kind: Kind) -> dict[str, dict[str, Any]]:
        if kind.scope == "vpc":
            values = self._model.vpc_ids()
        else:
            values = [r.id for r in [*self._model.live.values(), *self._model.gone.values()]
                      if r.kind == kind.name]
        if not values:
            return {}
        reply = self._describe(kind.describe, {"Filters": [{"Name": kind.id_filter,
                                                            "Values": sorted(values)}]})
        if not reply.ok:
            raise ObservationFailed(kind.name, reply.describe())
        return {item.get(kind.id_field): item for item in items_of(kind, reply.data)}


def project(kind: str, key: str, item: dict[str, Any]) -> Any:
    if key.startswith("~"):
        return PROJECTIONS[(kind, key)](item)
    return dig(item, key)


def state_of(kind: str, item: dict[str, Any]) -> Any:
    return dig(item, KINDS[kind].state_path) if KINDS[kind].state_path else None
