"""A fault's probe: the few requests that show what the fault changes.

Each catalog fault carries ``probe``: steps sent in order, the last one's
answer being what the fault changes.  A step is ``{"action", "params"}`` (or
literal wire ``pairs``), may ``capture`` element texts for later steps
(``{"vpc": "vpcId"}`` then ``"{vpc}"``), ``repeat`` a ``{i}`` parameter
template, and send the request unsigned (``"sign": false``), with extra
``headers`` or a clock ``skew`` in seconds.  ``{now}`` is the current
``X-Amz-Date``.  The world's ``StepRunner`` fills, repeats and captures, as it
does for the world's plan and the machines' scenarios.  ``answer_digest`` reduces an answer to what does not vary
between runs (resource IDs, timestamps), so two answers can be compared.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..protocol import Client, Exchange, RawRequest, first_text, parse_or_none
from ..world import StepRunner

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
    runner = StepRunner(compute=_computed)
    exchange = None
    for result in runner.run(steps, lambda step: _send(client, step, runner), _read):
        exchange, step = result.answer, result.step
        if result.missing:
            name = next(n for n, path in step["capture"].items() if path == result.missing)
            raise ProbeError(f"step {step.get('action')}: no <{result.missing}> to capture "
                             f"as {name!r}")
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


def _send(client: Client, step: dict[str, Any], runner: StepRunner) -> Exchange:
    if "pairs" in step:
        pairs = [(k, str(runner.fill(v))) for k, v in step["pairs"]]
    else:
        pairs = [("Action", step["action"]), ("Version", client.api_version)]
        pairs += runner.pairs(step.get("params", {}), repeat=step.get("repeat"))
    headers = {k: str(runner.fill(v)) for k, v in step.get("headers", {}).items()}
    raw = RawRequest(pairs=pairs, method=client.method, headers=headers,
                     sign=step.get("sign", True))
    now = None
    if "skew" in step:
        now = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=step["skew"])
    return client.send(raw, now=now)


def _read(exchange: Exchange, element: str) -> str | None:
    root = parse_or_none(exchange.response.body) if exchange.response is not None else None
    return first_text(root, element) if root is not None else None


def _computed(name: str) -> str:
    if name == "now":
        return dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    raise ProbeError(f"no captured value {name!r}")
