"""A fault's probe: the few requests that show what the fault changes.

Each catalog fault carries ``probe``: steps sent in order, the last one's
answer being what the fault changes.  A step is ``{"action", "params"}`` (or
literal wire ``pairs``), may ``capture`` element texts for later steps
(``{"vpc": "vpcId"}`` then ``"{vpc}"``), ``repeat`` a ``{i}`` parameter
template, and send the request unsigned (``"sign": false``), with extra
``headers`` or a clock ``skew`` in seconds.  ``{now}`` is the current
``X-Amz-Date``.  ``answer_digest`` reduces an answer to what does not vary
between runs (resource IDs, timestamps), so two answers can be compared.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..protocol import Client, Exchange, RawRequest
from ..world._xml import first_text, parse

_TEMPLATE = re.compile(r"\{([a-z_]+)\}")
_VARYING = [
    (re.compile(rb"\b[a-z]+(?:-[a-z]+)*-[0-9a-f]{8,17}\b"), b"<id>"),
    (re.compile(rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?"),
     b"<time>"),
    (re.compile(rb"<(requestId|RequestID)>[^<]*</\1>"), rb"<\1/>"),
    (re.compile(rb"\b(?:\d{1,3}\.){3}\d{1,3}\b(?!/)"), b"<ip>"),
]


class ProbeError(RuntimeError):
    """A probe step that needs a value an earlier step did not capture."""


def run_probe(client: Client, steps: list[dict[str, Any]]) -> Exchange:
    """Send ``steps`` in order; return the last exchange."""
    values: dict[str, str] = {}
    exchange = None
    for step in steps:
        exchange = _send(client, step, values)
        for name, element in step.get("capture", {}).items():
            root = parse(exchange.response.body) if exchange.response is not None else None
            text = first_text(root, element) if root is not None else None
            if text is None:
                raise ProbeError(f"step {step.get('action')}: no <{element}> to capture "
                                 f"as {name!r}")
            values[name] = text
    if exchange is None:
        raise ProbeError("a probe needs at least one step")
    return exchange


def answer_digest(exchange: Exchange) -> tuple[Any, ...]:
    """Status, content type and body with the run-to-run variation masked."""
    response = exchange.response
    if response is None:
        return ("no answer", exchange.error)
    body = response.body
    for pattern, replacement in _VARYING:
        body = pattern.sub(replacement, body)
    content_type = next((v for k, v in response.headers.items()
                         if k.lower() == "content-type"), None)
    return (response.status, content_type, body)


def _send(client: Client, step: dict[str, Any], values: dict[str, str]) -> Exchange:
    if "pairs" in step:
        pairs = [(k, _fill(v, values)) for k, v in step["pairs"]]
    else:
        pairs = [("Action", step["action"]), ("Version", client.api_version)]
        for key, value in step.get("params", {}).items():
            pairs += _expand(key, value, step.get("repeat"), values)
    headers = {k: _fill(v, values) for k, v in step.get("headers", {}).items()}
    raw = RawRequest(pairs=pairs, method=client.method, headers=headers,
                     sign=step.get("sign", True))
    now = None
    if "skew" in step:
        now = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=step["skew"])
    return client.send(raw, now=now)


def _expand(key: str, value: str, repeat: int | None,
            values: dict[str, str]) -> list[tuple[str, str]]:
    if "{i}" not in key:
        return [(key, _fill(value, values))]
    return [(key.replace("{i}", str(i)), _fill(value.replace("{i}", str(i)), values))
            for i in range(1, (repeat or 1) + 1)]


def _fill(text: str, values: dict[str, str]) -> str:
    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name == "now":
            return dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        if name not in values:
            raise ProbeError(f"no captured value {name!r}")
        return values[name]
    return _TEMPLATE.sub(replace, str(text))
