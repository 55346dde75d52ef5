"""Request predicates the fault catalog names in ``when``: tests data cannot express.

The self-test's reference target is moto behind the proxy plus a few guards
that answer the way the spec asks where moto does not check at all (signatures,
timestamps, unknown parameters, ``Version``).  Without them a fault such as
"accepts a bad signature" could never be told apart from the target itself.
Each predicate looks only at the request as the client sent it.
"""

from __future__ import annotations

import datetime as dt
import functools
import hmac
import re

from ._proxy import ProxyRequest, register_predicate

API_VERSION = "2014-10-01"
# The credentials the suite signs with against a loopback target (protocol.Client's default).
ACCESS_KEY, SECRET_KEY = "testing", "testing"
_AUTH = re.compile(r"AWS4-HMAC-SHA256 Credential=(?P<key>[^/]+)/(?P<date>\d{8})/(?P<region>[^/]+)"
                   r"/(?P<service>[^/]+)/aws4_request, ?SignedHeaders=(?P<signed>[a-z0-9;-]+), ?"
                   r"Signature=(?P<signature>[0-9a-f]{64})$")
_COMMON = {"Action", "Version", "AWSAccessKeyId", "Signature", "SignatureMethod",
           "SignatureVersion", "Timestamp", "Expires", "SecurityToken"}
_INDEX = re.compile(r"\.\d+(?=\.|$)")


def _header(request: ProxyRequest, name: str) -> str | None:
    for key, value in request.headers.items():
        if key.lower() == name:
            return value
    return None


def _signed_v2(request: ProxyRequest) -> bool:
    return any(k == "Signature" for k, _ in request.pairs)


@register_predicate("unsigned")
def unsigned(request: ProxyRequest) -> bool:
    return _header(request, "authorization") is None and not _signed_v2(request)


@register_predicate("incomplete-signature")
def incomplete_signature(request: ProxyRequest) -> bool:
    auth = _header(request, "authorization")
    return auth is not None and _AUTH.match(auth) is None


@register_predicate("bad-signature")
def bad_signature(request: ProxyRequest) -> bool:
    """A well-formed Signature Version 4 header that the reference keys do not reproduce."""
    auth = _header(request, "authorization")
    match = _AUTH.match(auth or "")
    if match is None:
        return False
    stamp = _timestamp(request)
    if match["key"] != ACCESS_KEY or stamp is None:
        return True
    return not hmac.compare_digest(_expected_signature(request, match, stamp),
                                   match["signature"])


@register_predicate("expired")
def expired(request: ProxyRequest) -> bool:
    stamp = _timestamp(request)
    now = dt.datetime.now(dt.timezone.utc)
    # Common Client Errors > RequestExpired: the overlay's request_expiry_minutes.
    skew = dt.timedelta(minutes=_catalog().limit_value("request_expiry_minutes"))
    return stamp is not None and abs(now - stamp) > skew


@register_predicate("missing-action")
def missing_action(request: ProxyRequest) -> bool:
    return request.action is None


@register_predicate("unknown-action")
def unknown_action(request: ProxyRequest) -> bool:
    return request.action is not None and request.action not in _actions()


@register_predicate("missing-version")
def missing_version(request: ProxyRequest) -> bool:
    return not any(k == "Version" for k, _ in request.pairs)


@register_predicate("unsupported-version")
def unsupported_version(request: ProxyRequest) -> bool:
    return any(k == "Version" and v != API_VERSION for k, v in request.pairs)


@register_predicate("unknown-parameter")
def unknown_parameter(request: ProxyRequest) -> bool:
    known = _actions().get(request.action or "")
    if known is None:
        return False  # unknown-action answers that request
    return any(k not in _COMMON and _INDEX.sub(".N", k) not in known for k, _ in request.pairs)


@register_predicate("dry-run")
def dry_run(request: ProxyRequest) -> bool:
    return any(k == "DryRun" and v.lower() == "true" for k, v in request.pairs)


@register_predicate("rule-limit")
def rule_limit(request: ProxyRequest) -> bool:
    """An Authorize request that would take a group past its rule limit (ingress + egress)."""
    if request.action not in ("AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress"):
        return False
    given = dict(request.pairs)
    group = given.get("GroupId")
    if not group or not request.upstream:
        return False
    existing, in_vpc = _group_rules(request.upstream, group)
    direction = "out" if request.action.endswith("Egress") else "in"
    total = existing | _requested_rules(direction, request.pairs)
    limit = "rules_per_vpc_security_group" if in_vpc else "rules_per_classic_security_group"
    return len(total) > _catalog().limit_value(limit)


def _catalog():
    from ..catalog import load_catalog

    return load_catalog(API_VERSION)


@functools.lru_cache(maxsize=1)
def _actions() -> dict[str, frozenset[str]]:
    """Action name -> its generic wire parameter names (``Filter.N.Value.N``)."""
    catalog = _catalog()
    return {name: frozenset(p.name for p in action.params)
            for name, action in catalog.actions.items()}


def _timestamp(request: ProxyRequest) -> dt.datetime | None:
    text = _header(request, "x-amz-date")
    try:
        if text:
            return dt.datetime.strptime(text, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.timezone.utc)
        stamp = dict(request.pairs).get("Timestamp")
        return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")) if stamp else None
    except ValueError:
        return None


def _expected_signature(request: ProxyRequest, match: re.Match, stamp: dt.datetime) -> str:
    """Sign the received request again with botocore, at its own timestamp."""
    import botocore.credentials
    from botocore.awsrequest import AWSRequest

    from ..protocol import sign

    signed = [h for h in match["signed"].split(";") if h not in ("host", "x-amz-date")]
    headers = {h: _header(request, h) or "" for h in signed}
    url = f"http://{_header(request, 'host') or ''}{request.path}"
    replay = AWSRequest(method=request.method, url=url, headers=headers, data=request.body)
    sign(replay, botocore.credentials.Credentials(ACCESS_KEY, SECRET_KEY),
         region=match["region"], now=stamp)
    produced = _AUTH.match(replay.headers.get("Authorization", ""))
    return produced["signature"] if produced else ""


_PERMISSION = re.compile(r"^IpPermissions\.(\d+)\.(.+)$")


def _requested_rules(direction: str, pairs: list[tuple[str, str]]) -> set[tuple]:
    """One tuple per (direction, protocol, ports, source), as the spec's limit counts them."""
    permissions: dict[str, dict[str, str]] = {}
    for key, value in pairs:
        match = _PERMISSION.match(key)
        if match:
            permissions.setdefault(match[1], {})[match[2]] = value
    flat = dict(pairs)
    if "IpProtocol" in flat:  # the 2014 flat form
        permissions["flat"] = {k: flat[k] for k in ("IpProtocol", "FromPort", "ToPort")
                               if k in flat}
        if "CidrIp" in flat:
            permissions["flat"]["IpRanges.1.CidrIp"] = flat["CidrIp"]
    out = set()
    for perm in permissions.values():
        head = (direction, perm.get("IpProtocol", "").lower(), perm.get("FromPort"),
                perm.get("ToPort"))
        for key, value in perm.items():
            if key.endswith(".CidrIp") or key.endswith(".GroupId"):
                out.add((*head, value))
    return out


def _group_rules(upstream: str, group: str) -> tuple[set[tuple], bool]:
    from ..protocol import Client
    from ..protocol import parse_or_none

    with Client(upstream, read_timeout=10, max_retries=0) as client:
        exchange = client.call_pairs([("Action", "DescribeSecurityGroups"),
                                      ("Version", API_VERSION), ("GroupId.1", group)])
    root = parse_or_none(exchange.response.body) if exchange.response is not None else None
    if root is None:
        return set(), True
    rules: set[tuple] = set()
    in_vpc = False
    for node in root.iter():
        name = _local(node)
        if name == "vpcId" and (node.text or "").strip():
            in_vpc = True
        if name not in ("ipPermissions", "ipPermissionsEgress"):
            continue
        direction = "out" if name == "ipPermissionsEgress" else "in"
        for perm in node:
            head = (direction, _child(perm, "ipProtocol").lower(), _child(perm, "fromPort") or None,
                    _child(perm, "toPort") or None)
            for source in perm.iter():
                if _local(source) in ("cidrIp", "groupId"):
                    rules.add((*head, (source.text or "").strip()))
    return rules, in_vpc


def _local(node) -> str:
    tag = node.tag if isinstance(node.tag, str) else ""
    return tag.rsplit("}", 1)[-1]


def _child(node, name: str) -> str:
    for child in node:
        if _local(child) == name:
            return (child.text or "").strip()
    return ""
