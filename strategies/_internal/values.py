"""Value strategies by meaning: CIDRs, ports, protocols, tags, names, IDs, ...

Each follows the spec's stated constraints (quoted beside it) so that a valid
request stays valid; the invalid strategies break exactly one of them.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import string

from faker import Faker
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from .utils import check_range, check_type, check_world, defines_strategy

_FAKER = Faker(["en_US", "ja_JP", "de_DE"])
# CreateSecurityGroup > Request Parameters: "Constraints for EC2-VPC: a-z, A-Z, 0-9,
# spaces, and ._-:/()#,@[]+=&;{}!$*"
VPC_GROUP_TEXT = string.ascii_letters + string.digits + " ._-:/()#,@[]+=&;{}!$*"
_ASCII_PRINTABLE = "".join(chr(c) for c in range(0x20, 0x7F))


@defines_strategy
def cidr_blocks(*, min_prefix: int = 16, max_prefix: int = 28,
                within: str | None = None) -> st.SearchStrategy[str]:
    """IPv4 CIDR blocks with a netmask in [min_prefix, max_prefix], inside ``within``.

    Default bounds: CreateVpc > Description, "The smallest VPC you can create uses a
    /28 netmask (16 IP addresses), and the largest uses a /16 netmask".
    """
    check_range(min_prefix, "min_prefix", 0, 32)
    check_range(max_prefix, "max_prefix", 0, 32)
    if min_prefix > max_prefix:
        raise InvalidArgument(f"min_prefix={min_prefix} > max_prefix={max_prefix}")
    if within is not None:
        check_type(str, within, "within")
        try:
            outer = ipaddress.ip_network(within)
        except ValueError as exc:
            raise InvalidArgument(f"within={within!r} is not a CIDR block: {exc}") from None
        if outer.version != 4 or outer.prefixlen > max_prefix:
            raise InvalidArgument(f"within={within!r} must be IPv4 and at most /{max_prefix}")
        min_prefix = max(min_prefix, outer.prefixlen)
    else:
        outer = ipaddress.ip_network("0.0.0.0/0")

    @st.composite
    def build(draw):
        prefix = draw(st.integers(min_prefix, max_prefix))
        blocks = 2 ** (prefix - outer.prefixlen)
        index = draw(st.integers(0, blocks - 1))
        base = int(outer.network_address) + index * 2 ** (32 - prefix)
        return f"{ipaddress.IPv4Address(base)}/{prefix}"

    return build()


@defines_strategy
def ports(*, min_value: int = 0, max_value: int = 65535) -> st.SearchStrategy[int]:
    check_range(min_value, "min_value", -1, 65535)
    check_range(max_value, "max_value", -1, 65535)
    return st.integers(min_value, max_value)


@defines_strategy
def ip_protocols(*, numbers: bool = False) -> st.SearchStrategy[str]:
    """Security-group protocols: "tcp | udp | icmp or the corresponding protocol
    number"; -1 means all (AuthorizeSecurityGroupIngress > Request Parameters)."""
    check_type(bool, numbers, "numbers")
    return st.sampled_from(["6", "17", "1", "-1"] if numbers else ["tcp", "udp", "icmp", "-1"])


@defines_strategy
def tag_keys() -> st.SearchStrategy[str]:
    """CreateTags: "a maximum of 127 Unicode characters. May not begin with aws:"."""
    return _unicode_text(1, 40).filter(lambda s: not s.lower().startswith("aws:"))


@defines_strategy
def tag_values() -> st.SearchStrategy[str]:
    """CreateTags: "a maximum of 255 Unicode characters"."""
    return _unicode_text(0, 60)


@defines_strategy
def descriptions(*, alphabet: str | None = None, max_size: int = 255) -> st.SearchStrategy[str]:
    """Human text from faker (several locales) or, with ``alphabet``, restricted to it."""
    check_range(max_size, "max_size", 1, 100_000)
    if alphabet is not None:
        check_type(str, alphabet, "alphabet")
        return st.text(alphabet, min_size=1, max_size=min(max_size, 64)).filter(str.strip)
    return st.integers(0, 2 ** 32 - 1).map(lambda seed: _sentence(seed)[:max_size])


def ascii_descriptions() -> st.SearchStrategy[str]:
    """"Up to 255 ASCII characters" (CreateImage, CopyImage, ... Description)."""
    faker_text = st.integers(0, 2 ** 32 - 1).map(lambda seed: _sentence(seed, ascii_only=True))
    return st.one_of(faker_text, st.text(_ASCII_PRINTABLE, min_size=1, max_size=60))


@defines_strategy
def timestamps(*, min_value: dt.datetime | None = None,
               max_value: dt.datetime | None = None) -> st.SearchStrategy[str]:
    """ISO 8601 UTC timestamps as the protocol writes them."""
    low = min_value or dt.datetime(2010, 1, 1)
    high = max_value or dt.datetime(2030, 1, 1)
    check_type(dt.datetime, low, "min_value")
    check_type(dt.datetime, high, "max_value")
    return st.datetimes(low.replace(tzinfo=None), high.replace(tzinfo=None)).map(
        lambda t: t.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ"))


@defines_strategy
def resource_ids(kind: str, *, world, existing: bool = True,
                 prefix: str | None = None) -> st.SearchStrategy[str]:
    """IDs of ``kind``: existing ones from the world, or well-formed ones that do not exist."""
    check_type(str, kind, "kind")
    check_world(world)
    if existing:
        ids = world.ids(kind)
        if not ids:
            raise InvalidArgument(f"the world has no resource of kind {kind!r} "
                                  f"(it has {', '.join(world.kinds) or 'none'})")
        return st.sampled_from(ids)
    if prefix is None:
        return st.uuids().map(str)
    taken = set(world.ids(kind))
    return st.text("0123456789abcdef", min_size=8, max_size=8).map(
        lambda h: prefix + h).filter(lambda i: i not in taken)


@defines_strategy
def device_names() -> st.SearchStrategy[str]:
    """Attachable device names (/dev/sdf through /dev/sdp, as the spec's examples)."""
    return st.sampled_from([f"/dev/sd{c}" for c in "fghijklmnop"])


@defines_strategy
def public_ipv4_addresses() -> st.SearchStrategy[str]:
    """Addresses from the documentation ranges (RFC 5737): public-looking, never routed."""
    nets = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24",
                                              "203.0.113.0/24")]
    return st.tuples(st.sampled_from(nets), st.integers(1, 254)).map(
        lambda t: str(t[0].network_address + t[1]))


@defines_strategy
def availability_zones(*, world) -> st.SearchStrategy[str]:
    check_world(world)
    return st.sampled_from(world.azs)


@defines_strategy
def instance_types(*, world) -> st.SearchStrategy[str]:
    check_world(world)
    return st.sampled_from(world.instance_types[:4])


def _unicode_text(min_size: int, max_size: int) -> st.SearchStrategy[str]:
    chars = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Co", "Cn"))
    faker_words = st.integers(0, 2 ** 32 - 1).map(lambda seed: _sentence(seed)[:max_size])
    return st.one_of(faker_words.filter(lambda s: len(s) >= min_size),
                     st.text(chars, min_size=min_size, max_size=max_size).filter(
                         lambda s: s.strip() == s and (min_size == 0 or s)))


def _sentence(seed: int, ascii_only: bool = False) -> str:
    _FAKER.seed_instance(seed)
    fake = _FAKER["en_US"] if ascii_only else _FAKER[_FAKER.locales[seed % len(_FAKER.locales)]]
    text = fake.sentence(nb_words=4)
    return text.encode("ascii", "ignore").decode() if ascii_only else text
