"""The lean document: what ``results.json`` and the page keep of each finding.

Full exchanges (every header and the whole body of the request and the answer)
live in ``examples/<finding id>.json``; the report keeps a preview of each and
links to the file.  That keeps the default run's report small enough to open
and to keep as a CI artifact.
"""

from __future__ import annotations

import copy
from typing import Any

PREVIEW_CHARS = 1200  # of a request or response body
VALUE_CHARS = 160  # of one wire value (fuzzed values run to kilobytes)


def lean_document(document: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``document`` whose findings carry previews, not whole exchanges: a
    defect's exemplar keeps a preview of its exchange (the page shows it), every other
    finding links to its example file."""
    exemplars = {d["exemplar"]["finding"] for d in document.get("defects", ())}
    lean = {k: v for k, v in document.items() if k != "findings"}
    lean["findings"] = [lean_finding(f, exchange=f["id"] in exemplars)
                        for f in document["findings"]]
    return copy.deepcopy(lean)


def lean_finding(finding: dict[str, Any], *, exchange: bool = True) -> dict[str, Any]:
    out = {k: v for k, v in finding.items() if k not in ("exchange", "example")}
    out["exchange"] = preview_exchange(finding.get("exchange")) if exchange else None
    example = finding.get("example")
    if example:
        out["example"] = {k: v for k, v in example.items() if k != "exchange"}
        out["example"]["pairs"] = [_lean_pair(p) for p in example.get("pairs") or ()]
        out["example"]["steps"] = [_lean_step(s) for s in example.get("steps") or ()]
    else:
        out["example"] = None
    extra = finding.get("extra") or {}
    if "first" in extra or "replay" in extra:  # a flaky finding's two exchanges
        out["extra"] = {**extra, **{k: preview_exchange(extra.get(k))
                                    for k in ("first", "replay") if k in extra}}
    return out


def preview_exchange(exchange: dict[str, Any] | None) -> dict[str, Any] | None:
    if not exchange:
        return None
    out = {k: v for k, v in exchange.items() if k not in ("request", "response")}
    request = exchange.get("request")
    if request:
        out["request"] = {**request, "body": _cut(request.get("body"))}
    response = exchange.get("response")
    out["response"] = None if response is None else {
        **response, "body": _cut(response.get("body"))}
    return out


def _cut(body: Any) -> Any:
    if not isinstance(body, str) or len(body) <= PREVIEW_CHARS:
        return body
    return body[:PREVIEW_CHARS] + f"\n… ({len(body) - PREVIEW_CHARS} more characters in the example file)"


def _lean_pair(pair) -> list[str]:
    key, value = str(pair[0]), str(pair[1])
    if len(value) > VALUE_CHARS:
        value = value[:VALUE_CHARS] + f"…(+{len(value) - VALUE_CHARS} characters)"
    return [key, value]


def _lean_step(step: dict[str, Any]) -> dict[str, Any]:
    """A step as the page shows it (action and wire pairs); ``params`` restate the pairs."""
    out = {k: v for k, v in step.items() if k != "params"}
    out["pairs"] = [_lean_pair(p) for p in step.get("pairs") or ()]
    return out
