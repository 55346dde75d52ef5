"""Smoke check: every catalog action once, with its required parameters filled.

It answers "does the target speak EC2 Query for this action at all": a parseable
XML answer with a 2xx, or a 4xx error envelope, is fine; a 5xx, a transport
error or a non-XML body is not.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Callable

from lxml import etree

from ..catalog import Action, Catalog
from ..protocol import Client, RawRequest

# Placeholder values per model type: well-formed enough to reach the action's
# own validation, never meaningful (so most answers are 4xx errors).
_PLACEHOLDER = {"string": "smoke", "integer": "1", "long": "1", "boolean": "false",
                "double": "1.0", "float": "1.0", "timestamp": "2014-10-01T00:00:00Z",
                "blob": "c21va2U="}


@dataclass
class SmokeResult:
    action: str
    status: int | None
    outcome: str  # "success", "client-error", "server-error", "not-xml", "transport-error"
    error_code: str | None
    elapsed: float

    def to_json(self) -> dict:
        return asdict(self)


def smoke_pairs(action: Action, api_version: str) -> list[tuple[str, str]]:
    pairs = [("Action", action.name), ("Version", api_version)]
    for param in action.required_params:
        value = param.enum[0] if param.enum else _PLACEHOLDER.get(param.type, "smoke")
        pairs.append((param.name.replace(".N", ".1"), value))
    return pairs


def smoke_action(client: Client, action: Action) -> SmokeResult:
    exchange = client.send(RawRequest(pairs=smoke_pairs(action, client.api_version),
                                      method=client.method))
    response = exchange.response
    if response is None:
        return SmokeResult(action.name, None, "transport-error", exchange.error, exchange.elapsed)
    code = None
    try:
        root = etree.fromstring(response.body, etree.XMLParser(resolve_entities=False,
                                                               no_network=True))
        found = root.find(".//Code")
        code = found.text if found is not None else None
    except etree.XMLSyntaxError:
        return SmokeResult(action.name, response.status, "not-xml", None, exchange.elapsed)
    if response.status >= 500:
        outcome = "server-error"
    elif response.status >= 400:
        outcome = "client-error"
    else:
        outcome = "success"
    return SmokeResult(action.name, response.status, outcome, code, exchange.elapsed)


def smoke_catalog(client: Client, catalog: Catalog, actions: list[Action] | None = None,
                  progress: Callable[[SmokeResult], None] | None = None) -> list[SmokeResult]:
    results = []
    for action in actions if actions is not None else list(catalog):
        result = smoke_action(client, action)
        results.append(result)
        if progress:
            progress(result)
    return results
