"""Shape-driven values: boto3-style parameters for any botocore input shape.

The generic layer under the EC2-aware strategies: it knows types, not meaning
(a ``CidrBlock`` is just a string here).  The serializer's differential test
uses it directly.
"""

from __future__ import annotations

import datetime as dt

import botocore.model
from hypothesis import strategies as st

from .utils import defines_strategy

_MAX_DEPTH = 6
_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)


@defines_strategy
def from_shape(shape: botocore.model.Shape, *, max_list: int = 3,
               only_required: bool = False) -> st.SearchStrategy:
    """Values of ``shape`` as a boto3 client call would take them."""
    return _strategy(shape, max_list, only_required, depth=0)


def _strategy(shape, max_list, only_required, depth):
    kind = shape.type_name
    if kind == "structure":
        return _structure(shape, max_list, only_required, depth)
    if kind == "list":
        if depth >= _MAX_DEPTH:
            return st.just([])
        return st.lists(_strategy(shape.member, max_list, only_required, depth + 1),
                        max_size=max_list)
    if kind == "map":
        return st.dictionaries(_TEXT, _strategy(shape.value, max_list, only_required, depth + 1),
                               max_size=max_list)
    return _scalar(shape)


def _structure(shape, max_list, only_required, depth):
    required = set(shape.required_members)
    fixed, optional = {}, {}
    for name, member in shape.members.items():
        if depth >= _MAX_DEPTH and name not in required:
            continue
        strategy = _strategy(member, max_list, only_required, depth + 1)
        (fixed if name in required else optional)[name] = strategy
    if only_required:
        optional = {}
    return st.fixed_dictionaries(fixed, optional=optional)


def _scalar(shape) -> st.SearchStrategy:
    kind = shape.type_name
    if kind == "string":
        enum = getattr(shape, "enum", None)
        return st.sampled_from(enum) if enum else _TEXT
    if kind in ("integer", "long"):
        return st.integers(min_value=-(2 ** 31), max_value=2 ** 31 - 1)
    if kind == "boolean":
        return st.booleans()
    if kind in ("float", "double"):
        return st.floats(allow_nan=False, allow_infinity=False, width=64)
    if kind == "timestamp":
        return st.datetimes(min_value=dt.datetime(1970, 1, 2), max_value=dt.datetime(2100, 1, 1),
                            timezones=st.just(dt.timezone.utc))
    if kind == "blob":
        return st.binary(max_size=32)
    raise TypeError(f"no strategy for shape type {kind!r} ({shape.name})")
