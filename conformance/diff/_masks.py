"""Which response members differ between two targets by nature, typed from the catalog.

Nothing here looks at values: a member is masked because of what it *is* (an ID
kind of the catalog, a DateTime member of the response schema, or a member the
versioned ``masks-<version>.json`` names with its reason), never because its
text looks like an ID.  A masked member is still compared for presence and value
type; only its value is set aside.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources

from ..catalog import load_catalog

TIMESTAMP_TYPE = "xs:dateTime"


@dataclass(frozen=True)
class MaskTable:
    api_version: str
    ids: frozenset[str]  # resource-ID members: masked, and learned for remapping
    named: dict[str, str]  # other member -> mask kind (owner-id, key-material, ...)

    def kind(self, member: str, type_name: str | None) -> str | None:
        """The mask kind of a member, or None when its value is compared."""
        if member in self.ids:
            return "id"
        if member in self.named:
            return self.named[member]
        if type_name == TIMESTAMP_TYPE:
            return "timestamp"
        return None


def _camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(word.capitalize() for word in rest)


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def id_members(api_version: str) -> frozenset[str]:
    """Response member names of resource IDs: every catalog ID kind (``route_table`` ->
    ``routeTableId``) and every ID parameter's own name (``PeerVpcId`` -> ``peerVpcId``)."""
    catalog = load_catalog(api_version)
    names = {_camel(kind) + "Id" for kind in catalog.id_kinds}
    for action in catalog:
        for param in action.params:
            if not param.id_kind:
                continue
            segments = [s for s in param.name.split(".") if not s.isdigit() and s != "N"]
            if segments and segments[-1].endswith("Id"):
                names.add(_lower_first(segments[-1]))
    return frozenset(names)


def load_mask_data(api_version: str) -> dict:
    path = resources.files(__package__).joinpath(f"masks-{api_version}.json")
    if not path.is_file():  # later versions keep 2014-10-01's list (the members only grow)
        path = resources.files(__package__).joinpath("masks-2014-10-01.json")
    data = json.loads(path.read_text("utf-8"))
    for entry in data["members"]:
        if not entry.get("member") or not entry.get("kind") or not entry.get("why"):
            raise ValueError(f"mask entry {entry!r} needs member, kind and why")
    return data


@functools.lru_cache(maxsize=None)
def mask_table(api_version: str) -> MaskTable:
    data = load_mask_data(api_version)
    named = {entry["member"]: entry["kind"] for entry in data["members"]
             if entry["kind"] != "id"}
    ids = id_members(api_version) | {entry["member"] for entry in data["members"]
                                     if entry["kind"] == "id"}
    return MaskTable(api_version, frozenset(ids), named)
