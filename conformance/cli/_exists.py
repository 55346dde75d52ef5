"""Does a resource exist on the target?  Asked through the catalog, not per kind.

The Describe action for a kind is the shortest-named ``Describe*`` action that
takes a list of IDs of that kind (``DescribeVolumes`` over
``DescribeVolumeStatus``); the overlay's ``id_params`` say which lists those are.
"""

from __future__ import annotations

import functools
import re

from ..catalog import Catalog
from ..protocol import Client

_CODE = re.compile(rb"<Code>\s*([^<\s]+)\s*</Code>")


@functools.lru_cache(maxsize=None)
def describe_for(catalog: Catalog, kind: str) -> tuple[str, str] | None:
    candidates = [(len(a.name), a.name, p.name) for a in catalog if a.name.startswith("Describe")
                  for p in a.params if p.id_kind == kind and p.name.endswith(".N")
                  and p.name.count(".") == 1]
    if not candidates:
        return None
    _, action, param = min(candidates)
    return action, param.replace(".N", ".1")


def resource_exists(client: Client, catalog: Catalog, kind: str, resource_id: str) -> bool | None:
    """True/False when the target says so; None when it cannot be asked."""
    found = describe_for(catalog, kind)
    if found is None:
        return None
    action, param = found
    exchange = client.call_pairs([("Action", action), ("Version", catalog.api_version),
                                  (param, resource_id)])
    if exchange.response is None:
        return None
    if 200 <= exchange.response.status < 300:
        return resource_id.encode() in exchange.response.body
    match = _CODE.search(exchange.response.body)
    if match and (match.group(1).endswith(b"NotFound") or match.group(1).endswith(b"Malformed")):
        return False
    return None
