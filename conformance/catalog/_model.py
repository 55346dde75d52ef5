"""Flatten botocore's EC2 service model into wire-level parameter descriptions.

The EC2 protocol (botocore ``EC2Serializer``) names a member by its ``queryName``,
else its capitalised ``locationName``, else the member name; lists are always
flattened as ``Name.N``.  Walking the model once with that rule gives every wire
parameter name an action can carry (``Filter.N.Value.N``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import botocore.loaders
import botocore.model

# Deeper nesting than this only occurs through recursive shapes, which EC2's
# request side does not use; the bound keeps a future model from looping.
_MAX_DEPTH = 8


@dataclass(frozen=True)
class WireParam:
    """One parameter as sent on the wire, e.g. ``Filter.N.Value.N``."""

    name: str
    path: tuple[str, ...]  # boto3 member path; "[]" marks a list level
    type: str  # botocore type name: string, integer, boolean, timestamp, ...
    required: bool  # required by the model at its own level
    top_required: bool  # required and every enclosing level required too
    enum: tuple[str, ...] = ()
    shape: str = ""
    min: int | None = None
    max: int | None = None
    documentation: str = field(default="", compare=False, repr=False)


def ec2_wire_name(member: str, shape: botocore.model.Shape) -> str:
    serialization = shape.serialization
    if serialization.get("queryName"):
        return serialization["queryName"]
    if serialization.get("name"):
        name = serialization["name"]
        return name[0].upper() + name[1:]
    return member


@functools.lru_cache(maxsize=None)
def load_service_model(api_version: str) -> botocore.model.ServiceModel:
    loader = botocore.loaders.Loader()
    data = loader.load_service_model("ec2", "service-2", api_version)
    return botocore.model.ServiceModel(data, service_name="ec2")


def available_api_versions() -> list[str]:
    loader = botocore.loaders.Loader()
    return sorted(loader.list_api_versions("ec2", "service-2"))


def flatten_input(shape: botocore.model.StructureShape | None) -> list[WireParam]:
    if shape is None:
        return []
    out: list[WireParam] = []
    _walk_structure(shape, prefix="", path=(), all_required=True, out=out, depth=0)
    return out


def _walk_structure(shape, prefix, path, all_required, out, depth):
    required = set(shape.required_members)
    for member, member_shape in shape.members.items():
        wire = prefix + ec2_wire_name(member, member_shape)
        _walk(member_shape, wire, path + (member,), member in required,
              all_required and member in required, out, depth + 1)


def _walk(shape, wire, path, required, top_required, out, depth):
    if depth > _MAX_DEPTH:
        return
    if shape.type_name == "structure":
        _walk_structure(shape, wire + ".", path, top_required, out, depth)
    elif shape.type_name == "list":
        _walk(shape.member, wire + ".N", path + ("[]",), required, top_required, out, depth + 1)
    else:
        meta = shape.metadata
        out.append(WireParam(
            name=wire, path=path, type=shape.type_name, required=required,
            top_required=top_required, enum=tuple(getattr(shape, "enum", []) or ()),
            shape=shape.name, min=meta.get("min"), max=meta.get("max"),
            documentation=shape.documentation or "",
        ))
