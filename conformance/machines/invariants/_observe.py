"""What the target shows: one scoped ``Describe*`` per kind per step, cached.

Invariants compare these observations with the model.  A describe is scoped
to the run's own resources (a filter on their IDs, or on their VPCs' IDs for
kinds a VPC makes implicitly), so a shared account's other resources never
show up.  Projections turn an item into the comparable form the model keeps
under ``~name`` attributes.
"""

from __future__ import annotations

from typing import Any, Callable

from ...catalog import ResourceKind, dig, load_spec_facts
from ...outcome import Finding, Severity

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

    def __init__(self, kind: ResourceKind, observed: str, code: str | None = None):
        super().__init__(f"{kind.describe} failed: {observed}")
        self.kind = kind.name
        self.resource_kind = kind
        self.observed = observed
        self.code = code

    def finding(self, api_version: str, server_errors: tuple[str, ...] = ()) -> Finding:
        """The refused listing as what it is: a valid request (a documented filter on the
        run's own IDs) refused, citing the filter's passage; not an invariant's failure."""
        kind = self.resource_kind
        passage = filter_passage(kind.describe, kind.filter, api_version)
        ref = f"{kind.describe} > Request Parameters > Filter.N" + (
            f': "{passage}"' if passage else f" ({kind.filter})")
        server = self.code in server_errors
        return Finding(
            "stateful-valid-request-refused", Severity.WARNING if server else Severity.VIOLATION,
            kind.describe, f"{kind.describe} filtered by its documented {kind.filter} filter "
            f"(the run's own {self.kind} IDs) was refused: {self.observed}; the invariants "
            f"reading {self.kind} could not run" + ("; a server error the spec lists, "
                                                    "allowed for any request" if server else ""),
            ref, "success", self.observed, extra={"kind": self.kind})


def filter_passage(action: str, filter_name: str, api_version: str = "2014-10-01") -> str:
    """The spec's line documenting ``filter_name`` of ``action`` ('' when none)."""
    params = load_spec_facts(api_version).get("actions", {}).get(action, {}).get("params", ())
    for param in params:
        if param["name"] != "Filter.N":
            continue
        for line in param.get("description", "").splitlines():
            if line.startswith(f"- `{filter_name}` "):
                return line[2:].replace("`", "")
    return ""


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
            self._cache[kind_name] = self._fetch(self._model.kinds[kind_name])
        return self._cache[kind_name]

    def _fetch(self, kind: ResourceKind) -> dict[str, dict[str, Any]]:
        if kind.scope == "vpc":
            values = self._model.vpc_ids()
        else:
            values = [r.id for r in [*self._model.live.values(), *self._model.gone.values()]
                      if r.kind == kind.name]
        if not values:
            return {}
        reply = self._describe(kind.describe, {"Filters": [{"Name": kind.filter,
                                                            "Values": sorted(values)}]})
        if not reply.ok:
            raise ObservationFailed(kind, reply.describe(), reply.code)
        return {item.get(kind.id_member): item for item in kind.items_of(reply.data)}


def project(kind: str, key: str, item: dict[str, Any]) -> Any:
    if key.startswith("~"):
        return PROJECTIONS[(kind, key)](item)
    return dig(item, key)

