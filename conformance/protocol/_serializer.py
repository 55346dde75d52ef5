"""EC2 Query serialization: boto3-style parameters -> ordered wire pairs.

A small walk over botocore's shapes with the EC2 naming rule.  It exists beside
botocore's ``EC2Serializer`` because the fuzzer must serialize values botocore
would reject (a string where an integer belongs, an out-of-enum value); a
differential test keeps the two identical on valid input.
"""

from __future__ import annotations

import base64
import datetime as dt
import math
from typing import Any

import botocore.model

from ..catalog import ec2_wire_name, load_service_model

Pairs = list[tuple[str, str]]


def serialize(action: str, params: dict[str, Any] | None = None,
              api_version: str = "2014-10-01") -> Pairs:
    """Serialize ``params`` (boto3 member names) for ``action`` into wire pairs.

    ``Action`` and ``Version`` come first; then members in model order.
    Unknown member names raise ``KeyError`` (use the raw layer to send those).
    ``Version`` is the catalog's API version, not the model's metadata.
    """
    model = load_service_model(api_version)
    op = model.operation_model(action)
    pairs: Pairs = [("Action", action), ("Version", api_version)]
    if op.input_shape is not None and params:
        _structure(params, op.input_shape, "", pairs)
    elif params:
        raise KeyError(f"{action} takes no parameters, got {sorted(params)}")
    return pairs


def _structure(value: dict, shape: botocore.model.StructureShape, prefix: str, out: Pairs) -> None:
    unknown = set(value) - set(shape.members)
    if unknown:
        raise KeyError(f"unknown member(s) {sorted(unknown)} for {shape.name}")
    # Caller's order, as botocore does, so the differential test compares lists.
    for member, member_value in value.items():
        if member_value is not None:
            member_shape = shape.members[member]
            _value(member_value, member_shape, prefix + ec2_wire_name(member, member_shape), out)


def _value(value: Any, shape: botocore.model.Shape, name: str, out: Pairs) -> None:
    kind = shape.type_name
    if kind == "structure":
        _structure(value, shape, name + ".", out)
    elif kind == "list":
        for i, item in enumerate(value, 1):
            _value(item, shape.member, f"{name}.{i}", out)
    elif kind == "map":
        # EC2 request shapes have no maps; kept for completeness of the walk.
        for i, (k, v) in enumerate(value.items(), 1):
            out.append((f"{name}.{i}.key", str(k)))
            _value(v, shape.value, f"{name}.{i}.value", out)
    else:
        out.append((name, scalar_text(value, kind)))


def scalar_text(value: Any, kind: str) -> str:
    """Render a scalar the way the EC2 protocol does (botocore's rules)."""
    if isinstance(value, bool) and kind == "boolean":
        return "true" if value else "false"
    if kind == "timestamp" and isinstance(value, dt.datetime):
        return _iso8601(value)
    if kind == "timestamp" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return _iso8601(dt.datetime.fromtimestamp(value, tz=dt.timezone.utc))
    if kind == "blob":
        raw = value.encode("utf-8") if isinstance(value, str) else bytes(value)
        return base64.b64encode(raw).decode("ascii")
    if kind in ("float", "double") and isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(value)
    return str(value)


def _iso8601(value: dt.datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    # botocore writes microseconds only when present.
    fmt = "%Y-%m-%dT%H:%M:%S.%fZ" if value.microsecond else "%Y-%m-%dT%H:%M:%SZ"
    return value.strftime(fmt)
