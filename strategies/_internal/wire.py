"""Wire-level faults and DryRun requests, sent through the raw layer.

Faults that the signing layer must see (no signature, a wrong one, a clock far
off) are ``RawOverrides`` on the case; the rest are pair or body edits.
"""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from ec2_conformance.outcome import Expectation

from .case import Case, RawOverrides
from .invalid import expectations
from .requests import Base, valid_bases
from .utils import check_world, defines_strategy, resolve_action, text_of

WIRE_FAULTS = ("unknown-action", "missing-action", "missing-version", "unsupported-version",
               "unsigned", "wrong-signature", "incomplete-signature", "expired-timestamp",
               "future-timestamp", "malformed-query", "duplicate-parameter", "oversized-value")


@defines_strategy
def wire_faults(action, *, world, faults=None, catalog=None) -> st.SearchStrategy[Case]:
    """Protocol-level faults around a valid request of ``action``."""
    resolved = resolve_action(action, catalog)
    check_world(world)
    chosen = WIRE_FAULTS if faults is None else tuple(faults)
    unknown = [f for f in chosen if f not in WIRE_FAULTS]
    if unknown or not chosen:
        raise InvalidArgument(f"unknown wire faults {unknown}; choose from "
                              + ", ".join(WIRE_FAULTS))

    @st.composite
    def build(draw):
        fault = draw(st.sampled_from(chosen))  # the fault, chosen first
        base = draw(valid_bases(resolved, world))
        return _FAULTS[fault](draw, base, fault)
    return build()


@defines_strategy
def dry_run_requests(action, *, world, catalog=None) -> st.SearchStrategy[Case]:
    """A valid request with ``DryRun=true``: "DryRunOperation" is the expected answer."""
    resolved = resolve_action(action, catalog)
    check_world(world)
    if not resolved.dry_run:
        raise InvalidArgument(f"{resolved.name} takes no DryRun parameter")
    entry = expectations()["dry_run"]
    expectation = Expectation("error", frozenset(entry["codes"]), "dry-run", entry["spec_ref"])

    def mark(base: Base) -> Case:
        control = base.wire()  # sent without DryRun when the answer surprises
        base.set("DryRun", "true")
        return base.case(expectation, kind="dry-run", base=control)
    return valid_bases(resolved, world).map(mark)


def _case(base: Base, fault: str, pairs=None, raw: RawOverrides = RawOverrides()) -> Case:
    entry = expectations()["wire"][fault]
    expectation = Expectation("error", frozenset(entry["codes"]), f"wire:{fault}",
                              entry["spec_ref"])
    case = base.case(expectation, kind="wire", raw=raw, strict=entry.get("strict", True))
    if pairs is not None:
        case = _replace_pairs(case, pairs)
    return case


def _replace_pairs(case: Case, pairs) -> Case:
    from dataclasses import replace

    return replace(case, pairs=tuple(pairs))


def _unknown_action(draw, base, fault):
    name = draw(text_of("abcdefghijklmnopqrstuvwxyz", 3, 10).map(
        lambda s: "Zq" + s.capitalize() + base.action))
    wire = base.wire()
    return _case(base, fault, [("Action", name)] + list(wire[1:]))


def _drop(key):
    def fault_fn(draw, base, fault):
        return _case(base, fault, [p for p in base.wire() if p[0] != key])
    return fault_fn


def _unsupported_version(draw, base, fault):
    version = draw(st.sampled_from(["1999-01-01", "2099-12-31", "latest", "2014-10-1"]))
    return _case(base, fault, [("Version", version) if k == "Version" else (k, v)
                               for k, v in base.wire()])


def _unsigned(draw, base, fault):
    return _case(base, fault, raw=RawOverrides(sign=False))


def _wrong_signature(draw, base, fault):
    # Signed now: a fixed old date would also be expired, and a conformant target may
    # answer RequestExpired first (the spec does not order the two checks).
    return _case(base, fault, raw=RawOverrides(wrong_secret=True))


def _incomplete_signature(draw, base, fault):
    header = draw(st.sampled_from(["AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE",
                                   "AWS4-HMAC-SHA256", "Signature=abc"]))
    return _case(base, fault, raw=RawOverrides(sign=False, headers=(("Authorization", header),)))


def _skewed(seconds_strategy):
    def fault_fn(draw, base, fault):
        return _case(base, fault, raw=RawOverrides(clock_skew=float(draw(seconds_strategy))))
    return fault_fn


def _malformed_query(draw, base, fault):
    from ec2_conformance.protocol import encode_pairs

    body = encode_pairs(list(base.wire())).encode("utf-8")
    tail = draw(st.sampled_from([b"&%zz=1", b"&Bad%=%E0%A4%A", b"&\xff\xfe=1", b"&=&&=="]))
    return _case(base, fault, raw=RawOverrides(method="POST", body=body + tail))


def _duplicate(draw, base, fault):
    wire = list(base.wire())
    index = draw(st.integers(0, len(wire) - 1))
    key, value = wire[index]
    other = draw(st.sampled_from([value, value + "x", ""]))
    return _case(base, fault, wire + [(key, other)])


def _oversized(draw, base, fault):
    wire = list(base.wire())
    size = draw(st.sampled_from([64 * 1024, 512 * 1024]))
    index = draw(st.integers(2, len(wire))) if len(wire) > 2 else len(wire)
    name = wire[index][0] if index < len(wire) else "Description"
    value = "a" * size
    out = [(k, value) if i == index else (k, v) for i, (k, v) in enumerate(wire)]
    if index >= len(wire):
        out.append((name, value))
    return _case(base, fault, out)


_FAULTS = {
    "unknown-action": _unknown_action, "missing-action": _drop("Action"),
    "missing-version": _drop("Version"), "unsupported-version": _unsupported_version,
    "unsigned": _unsigned, "wrong-signature": _wrong_signature,
    "incomplete-signature": _incomplete_signature,
    # "more than 15 minutes" either way (Common Client Errors > RequestExpired)
    "expired-timestamp": _skewed(st.integers(20 * 60, 7 * 24 * 3600).map(lambda s: -s)),
    "future-timestamp": _skewed(st.integers(20 * 60, 7 * 24 * 3600)),
    "malformed-query": _malformed_query, "duplicate-parameter": _duplicate,
    "oversized-value": _oversized,
}
