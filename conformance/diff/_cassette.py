"""Cassettes: every exchange of a run, saved so a later run can diff against them offline.

A cassette is one JSON document (``docs/cassette.md`` describes it field by field):
the format and its version, the tool and API version that recorded it, the
run's options (seed, budgets, run ID: what makes a replay send the same
requests), and per unit (``world``, ``stateless:<Action>``, ``stateful:<machine>``,
``teardown``) the requests in order with their answers.  Requests are stored as
the tool built them (wire pairs, or the literal body of a wire-level case) with
credentials redacted, and each answer as the recording client saw it.
"""

from __future__ import annotations

import base64
import gzip
import datetime as dt
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..protocol import Exchange, RawRequest, RecordedRequest, RecordedResponse
from ..protocol import redact_headers, redact_pairs, redact_text

FORMAT = "ec2-conformance-cassette"
FORMAT_VERSION = 1
# Options a replay must share with the recording to send the same requests.
REPLAY_OPTIONS = ("seed", "max_examples", "stateful_steps", "run_id", "read_only",
                  "signature_version", "method")


class CassetteError(ValueError):
    """A cassette that cannot be used: unreadable, malformed, or from another version."""


def request_key(raw: RawRequest) -> str:
    """What identifies a request in a cassette: everything the tool chose, credentials
    redacted (the same redaction as at record time, so keys match)."""
    body = base64.b64encode(raw.body).decode("ascii") if raw.body is not None else None
    return json.dumps([raw.method, redact_pairs(list(raw.pairs)), body,
                       sorted(redact_headers(dict(raw.headers)).items()), raw.sign,
                       raw.wrong_secret],
                      separators=(",", ":"))


def entry_for(raw: RawRequest, exchange: Exchange) -> dict[str, Any]:
    response = exchange.response
    answer = None
    if response is not None:
        answer = {"status": response.status, "headers": dict(response.headers),
                  "body_base64": base64.b64encode(response.body).decode("ascii"),
                  "oversized": response.oversized}
    return {"key": request_key(raw), "action": exchange.action,
            "pairs": [list(p) for p in redact_pairs(list(raw.pairs))],
            "request": {"method": exchange.request.method, "url": exchange.request.url,
                        "headers": exchange.request.headers, "body": exchange.request.body},
            "response": answer, "error": exchange.error, "elapsed": exchange.elapsed}


def exchange_from(entry: dict[str, Any], raw: RawRequest) -> Exchange:
    answer = entry["response"]
    response = None
    if answer is not None:
        response = RecordedResponse(int(answer["status"]), dict(answer["headers"]),
                                    base64.b64decode(answer["body_base64"]),
                                    bool(answer.get("oversized", False)))
    request = entry["request"]
    return Exchange(action=raw.action, pairs=list(raw.pairs),
                    request=RecordedRequest(request["method"], request["url"],
                                            dict(request["headers"]), request["body"]),
                    response=response, elapsed=float(entry.get("elapsed", 0.0)),
                    error=entry.get("error"))


@dataclass
class Cassette:
    api_version: str
    tool_version: str
    endpoint: str
    loopback: bool
    region: str
    options: dict[str, Any]
    units: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    recorded: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "format_version": FORMAT_VERSION,
                "tool_version": self.tool_version, "api_version": self.api_version,
                "recorded": self.recorded or _now(), "endpoint": redact_text(self.endpoint),
                "loopback": self.loopback, "region": self.region, "options": self.options,
                "units": self.units}

    def save(self, path: Path) -> None:
        """Write atomically: an interrupted save never leaves half a cassette behind."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".cassette-", dir=path.parent)
        text = json.dumps(self.to_json()).encode("utf-8")
        with os.fdopen(fd, "wb") as handle:
            handle.write(gzip.compress(text, mtime=0) if path.suffix == ".gz" else text)
        os.replace(tmp, path)


def load_cassette(path: str | Path, *, api_version: str, tool_version: str) -> Cassette:
    """Read and check a cassette; every problem is one ``CassetteError`` line."""
    path = Path(path)
    try:
        raw = path.read_bytes()
        data = json.loads(gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw)
    except (OSError, EOFError) as exc:  # unreadable, or a gzip stream cut short
        if isinstance(exc, EOFError) or not getattr(exc, "strerror", None):
            raise CassetteError(f"cassette {path} is a damaged gzip file") from None
        raise CassetteError(f"cannot read cassette {path}: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise CassetteError(f"cassette {path} is not JSON: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CassetteError(f"{path} is not an ec2-conformance cassette (no \"format\": "
                            f"\"{FORMAT}\")")
    if data.get("format_version") != FORMAT_VERSION:
        raise CassetteError(f"cassette {path} has format version {data.get('format_version')!r}; "
                            f"this tool reads version {FORMAT_VERSION}: record it again")
    if data.get("api_version") != api_version:
        raise CassetteError(f"cassette {path} was recorded for API version "
                            f"{data.get('api_version')!r}, not {api_version}: record it again "
                            "or pass --api-version " + str(data.get("api_version")))
    if data.get("tool_version") != tool_version:
        raise CassetteError(f"cassette {path} was recorded by ec2-conformance "
                            f"{data.get('tool_version')!r}; this is {tool_version}, whose "
                            "examples may differ: record it again")
    try:
        options = dict(data["options"])
        missing = [name for name in REPLAY_OPTIONS if name not in options]
        if missing:
            raise CassetteError(f"cassette {path} lacks the option(s) {', '.join(missing)}")
        units = {str(unit): [_checked_entry(e) for e in entries]
                 for unit, entries in dict(data["units"]).items()}
        return Cassette(api_version=data["api_version"], tool_version=data["tool_version"],
                        endpoint=str(data["endpoint"]), loopback=bool(data["loopback"]),
                        region=str(data["region"]), options=options, units=units,
                        recorded=str(data.get("recorded", "")))
    except CassetteError:
        raise
    except (KeyError, TypeError, ValueError) as exc:
        raise CassetteError(f"cassette {path} is malformed: {type(exc).__name__}: {exc}") from None


def _checked_entry(entry: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(entry, dict) or not isinstance(entry.get("key"), str):
        raise ValueError("an entry without its request key")
    answer = entry.get("response")
    if answer is not None:
        int(answer["status"])
        base64.b64decode(answer["body_base64"], validate=True)
    for name in ("method", "url", "headers", "body"):
        entry["request"][name]  # noqa: B018 - raises KeyError when missing
    return entry


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
