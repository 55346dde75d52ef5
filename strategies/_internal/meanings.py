"""What a wire parameter means, by name: one table, not per-action code.

``RULES`` maps a glob over the generic wire name (``Filter.N.Value.N``) to a
meaning; ``value_for`` turns the meaning into a strategy of wire text (or a
``Deferred`` token the case fills at send time).  A rule marked ``safe`` may be
added to valid requests as an optional parameter; others appear only when
required or named by a recipe.  Resource IDs come first: a parameter the overlay
gives an ID kind draws existing IDs of that kind from the world.
"""

from __future__ import annotations

import base64
import fnmatch
import functools
import re
from dataclasses import dataclass
from typing import Any, Callable

from hypothesis import strategies as st

from ec2_conformance.catalog import load_spec_facts

from . import values as v
from .keys import PUBLIC_KEY_OPENSSH


@dataclass(frozen=True)
class Deferred:
    token: str  # "unique", "subnet_cidr", "route_cidr", "number" or "fresh:KIND[.FIELD]"


Value = Any  # SearchStrategy[str] | Deferred | None

# (glob over the generic wire name, meaning, safe as an optional parameter)
RULES: list[tuple[str, str, bool]] = [
    ("DryRun", "never", False),  # only the dry-run strategy sets it
    ("NextToken", "never", False),
    ("MaxResults", "never", False),  # "You cannot specify this parameter and the ... IDs"
    ("Filter.N.Name", "filter-name", True),
    ("Filter.N.Value.N", "filter-value", True),
    ("Tag.N.Key", "tag-key", True),
    ("Tag.N.Value", "tag-value", True),
    ("*CidrBlock", "cidr", False),
    ("*CidrIp", "cidr", False),
    ("*FromPort", "port", False),
    ("*ToPort", "port", False),
    ("*IpProtocol", "ip-protocol", False),
    ("*DeviceName", "device", False),
    ("Device", "device", False),
    ("*InstanceType", "instance-type", True),
    ("*AvailabilityZone", "az", True),
    ("ZoneName.N", "az", True),
    ("GroupDescription", "vpc-group-text", False),
    ("*Description", "ascii-description", True),
    ("PublicIp", "public-ip", False),
    ("PublicIp.N", "public-ip", True),
    ("IpAddress", "public-ipv4", False),
    ("BgpAsn", "asn", False),
    ("*Size", "volume-size", False),
    ("SpotPrice", "spot-price", False),
    ("*Count", "one", False),
    ("PublicKeyMaterial", "public-key", False),
    ("ClientToken", "client-token", True),
    ("*UserData", "user-data", False),
    ("RuleNumber", "number", False),
    ("SourceRegion", "region", False),
    ("DestinationRegion", "region", False),
    ("RegionName.N", "region", True),
    ("Owner.N", "owner", True),
    ("*", "by-type", False),
]


def rule_for(generic_name: str) -> tuple[str, bool]:
    for pattern, meaning, safe in RULES:
        if fnmatch.fnmatchcase(generic_name, pattern):
            return meaning, safe
    return "by-type", False


def value_for(meaning: str, param: Any, action: Any, world: Any) -> Value:
    """A strategy of wire text for ``param`` with ``meaning`` (None: cannot make one)."""
    if param.id_kind and meaning not in ("never",):
        ids = world.ids(param.id_kind)
        return st.sampled_from(ids) if ids else None
    builder = _BUILDERS.get(meaning)
    if builder is not None:
        return builder(param, action, world)
    if param.enum:
        return st.sampled_from(param.enum)
    return _by_type(param)


def _by_type(param: Any) -> Value:
    if param.enum:
        return st.sampled_from(param.enum)
    kind = param.type
    if kind == "boolean":
        return st.sampled_from(["true", "false"])
    if kind in ("integer", "long"):
        return st.integers(1, 10).map(str)
    if kind in ("double", "float"):
        return st.sampled_from(["0.05", "1.0"])
    if kind == "timestamp":
        return v.timestamps()
    if kind == "blob":
        return st.binary(min_size=1, max_size=32).map(lambda b: base64.b64encode(b).decode())
    return st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=16)


# A filter whose line lists its values ("(`true` | `false`)"): a free value drawn for it
# would not be one of them, so a request using it would not be valid.
_ENUMERATED_FILTER = re.compile(r"\(`[^`]+`(?:\s*\|\s*`[^`]+`)+\)")


@functools.lru_cache(maxsize=None)
def filter_names(action: str) -> tuple[str, ...]:
    """Filter names the spec lists for ``action`` ("- `name` - ..." lines) that take a free
    value (not those whose line enumerates their values)."""
    facts = load_spec_facts().get("actions", {}).get(action, {})
    for param in facts.get("params", ()):
        if param.get("name") == "Filter.N":
            lines = re.findall(r"^- `([^`]+)`(.*)$", param.get("description", ""), re.M)
            names = [n for n, rest in lines if not _ENUMERATED_FILTER.search(rest)]
            return tuple(dict.fromkeys(_concrete_filter(n) for n in names))
    return ()


def _concrete_filter(name: str) -> str:
    # "tag:key=value" is a pattern; "tag:Name" is one instance of it.
    return "tag:Name" if name.startswith("tag:") and "=" in name else name


def _filter_name(param, action, world) -> Value:
    names = filter_names(action.name)
    return st.sampled_from(names) if names else None


_BUILDERS: dict[str, Callable[[Any, Any, Any], Value]] = {
    "never": lambda p, a, w: None,
    "filter-name": _filter_name,
    "filter-value": lambda p, a, w: st.sampled_from(["x", "available", "true", "10.0.0.0/16"])
    | st.text("abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=12),
    "tag-key": lambda p, a, w: v.tag_keys(),
    "tag-value": lambda p, a, w: v.tag_values(),
    # Private ranges (RFC 1918) keep VPC CIDRs uncontroversial.
    "cidr": lambda p, a, w: st.one_of(v.cidr_blocks(within="10.0.0.0/8"),
                                      v.cidr_blocks(within="172.16.0.0/12"),
                                      v.cidr_blocks(within="192.168.0.0/16")),
    "port": lambda p, a, w: v.ports(min_value=1).map(str),
    "ip-protocol": lambda p, a, w: v.ip_protocols(),
    "device": lambda p, a, w: v.device_names(),
    "instance-type": lambda p, a, w: v.instance_types(world=w),
    "az": lambda p, a, w: v.availability_zones(world=w),
    "vpc-group-text": lambda p, a, w: v.descriptions(alphabet=v.VPC_GROUP_TEXT),
    "ascii-description": lambda p, a, w: v.ascii_descriptions(),
    "public-ip": lambda p, a, w: (st.sampled_from(w.field_values("allocation", "public_ip"))
                                  if w.field_values("allocation", "public_ip") else None),
    "public-ipv4": lambda p, a, w: v.public_ipv4_addresses(),
    "asn": lambda p, a, w: st.integers(64512, 65534).map(str),
    "volume-size": lambda p, a, w: st.integers(1, 16).map(str),
    "spot-price": lambda p, a, w: st.sampled_from(["0.05", "0.5", "1.25"]),
    "one": lambda p, a, w: st.just("1"),
    "public-key": lambda p, a, w: st.just(base64.b64encode(PUBLIC_KEY_OPENSSH.encode()).decode()),
    "client-token": lambda p, a, w: st.uuids().map(str),
    "user-data": lambda p, a, w: st.text(min_size=1, max_size=40).map(
        lambda s: base64.b64encode(s.encode("utf-8")).decode()),
    "number": lambda p, a, w: Deferred("number"),
    "region": lambda p, a, w: st.just(w.region),
    "owner": lambda p, a, w: st.sampled_from(["self", "amazon"]),
    "ip-protocol-number": lambda p, a, w: v.ip_protocols(numbers=True),
    # CreateVolume > VolumeType: "standard | io1 | gp2"; io1 needs Iops, left out here.
    "volume-type": lambda p, a, w: st.sampled_from(["standard", "gp2"]),
    "public-image": lambda p, a, w: st.sampled_from(w.images) if w.images else None,
    "by-type": lambda p, a, w: _by_type(p),
}
