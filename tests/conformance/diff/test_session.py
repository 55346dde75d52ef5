"""Differential runs end to end on real loopback moto servers (and the fault proxy)."""

from __future__ import annotations

import json

import pytest

from ec2_conformance.diff import DifferentialSession, read_only as diff_read_only
from ec2_conformance.faults import Fault, FaultProxy
from ec2_conformance.options import RunOptions
from ec2_conformance.outcome import Severity
from ec2_conformance.target import EmbeddedTarget

SEED = 7


@pytest.fixture(scope="module")
def second_target():
    with EmbeddedTarget() as target:
        yield target


@pytest.fixture
def two_targets(moto_target, second_target):
    moto_target.reset()
    second_target.reset()
    return moto_target.endpoint, second_target.endpoint


def run_units(options: RunOptions, *units: str):
    session = DifferentialSession(options)
    try:
        results = [session.stateful(u.split(":", 1)[1]) if u.startswith("stateful:")
                   else session.stateless(u) for u in units]
    finally:
        session.close()
    return session, results


def differences(results):
    return [r.finding for result in results for r in result.findings.values()
            if r.finding.severity is Severity.DIFFERENCE]


@pytest.mark.slow  # two servers, the storage machine's scenarios on both
def test_moto_against_moto_differs_nowhere_after_masking(two_targets):
    endpoint, against = two_targets
    session, results = run_units(
        RunOptions(endpoint=endpoint, against=against, seed=SEED, max_examples=3, run_id="d1"),
        "CreateSubnet", "DescribeVpcs", "stateful:storage")
    assert differences(results) == []
    compared = sum(r.checks_run["difference"] for r in results)
    assert compared > 100  # world, four phases per action, the storage scenarios
    # the two servers gave different IDs, and requests were remapped to each side's own
    ids = session._client.ids.forward
    assert ids and any(ref != sub for ref, sub in ids.items() if ref.startswith("vpc-"))


# Each injected change on the --endpoint side, and where it must be reported.
FAULTS = [
    ({"action": "DescribeVpcs", "only_success": True,
      "response": [{"op": "set", "select": "//vpcSet/item/state", "value": "pending"}]},
     "enum-value", "/DescribeVpcsResponse/vpcSet/item/state"),
    ({"action": "DescribeVpcs", "only_success": True,
      "response": [{"op": "remove", "select": "//vpcSet/item/dhcpOptionsId"}]},
     "presence", "/DescribeVpcsResponse/vpcSet/item/dhcpOptionsId"),
    ({"action": "DescribeVpcs", "when_code": "InvalidVpcID.NotFound",
      "error": {"code": "InvalidVpcId.NotFound", "message": "x"}},
     "error-code", "/Response/Errors/Error/Code"),
]
# The proxy's error envelope is the spec's, without moto's namespace: a change too.
ALSO = {("namespace", "/Response")}


def test_each_injected_change_is_reported_at_its_path(two_targets):
    endpoint, against = two_targets
    proxy = FaultProxy(endpoint, [Fault.from_json({"name": f"f{i}", **spec})
                                  for i, (spec, _, _) in enumerate(FAULTS)]).start()
    try:
        _, results = run_units(RunOptions(endpoint=proxy.endpoint, against=against, seed=SEED,
                                           max_examples=6, run_id="d2"), "DescribeVpcs")
    finally:
        proxy.stop()
    found = {(f.extra["aspect"], f.path) for f in differences(results)}
    for _, aspect, path in FAULTS:
        assert (aspect, path) in found
    # nothing else: every difference is one the proxy made
    assert found <= {(aspect, path) for _, aspect, path in FAULTS} | ALSO
    enum = next(f for f in differences(results) if f.extra["aspect"] == "enum-value")
    assert (enum.expected, enum.observed) == ("enum-value: available", "enum-value: pending")
    assert enum.extra["against"]["response"]["status"] == 200
    assert "<state>pending</state>" in enum.extra["endpoint"]["response"]["body"]
    # the injected code is not the one the spec names for a missing VPC: a spec finding on
    # that side (one finding for the cause, checks/consequences.json), shown beside the
    # difference, which is still not called a violation itself
    code = next(f for f in differences(results) if f.extra["aspect"] == "error-code")
    endpoint_checks = {s["check"] for s in code.extra["endpoint_findings"]}
    against_checks = {s["check"] for s in code.extra["against_findings"]}
    assert "expected-error-code" in endpoint_checks - against_checks
    assert code.extra["also_violates_spec"] and code.severity is Severity.DIFFERENCE


def test_each_side_has_its_own_credentials_and_region(tmp_path, monkeypatch):
    credentials = tmp_path / "credentials"
    credentials.write_text("[left]\naws_access_key_id = AKIALEFTLEFTLEFTLEFT\n"
                           "aws_secret_access_key = left-secret\n"
                           "[right]\naws_access_key_id = AKIARIGHTRIGHTRIGHTX\n"
                           "aws_secret_access_key = right-secret\n")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    session = DifferentialSession(RunOptions(
        endpoint="http://127.0.0.1:9", against="http://127.0.0.2:9", region="us-east-1",
        against_region="eu-west-1", aws_profile="left",
        against_aws_profile="right", seed=1))
    client = session.client  # no request is sent: clients are made, not used
    try:
        assert (client.subject.region, client.reference.region) == ("us-east-1", "eu-west-1")
        assert client.subject.credentials.access_key == "AKIALEFTLEFTLEFTLEFT"
        assert client.reference.credentials.access_key == "AKIARIGHTRIGHTRIGHTX"
    finally:
        client.close()


@pytest.mark.slow  # a recording and a replay of the storage scenarios
def test_a_recording_replayed_against_the_same_target_differs_nowhere(moto_target, tmp_path):
    moto_target.reset()
    cassette = tmp_path / "moto.json"
    run_units(RunOptions(endpoint=moto_target.endpoint, record=str(cassette), seed=SEED,
                          max_examples=3, run_id="d3"), "CreateVpc", "stateful:storage")
    recorded = json.loads(cassette.read_text("utf-8"))
    assert {"world", "stateless:CreateVpc", "stateful:storage"} <= set(recorded["units"])
    assert recorded["options"]["seed"] == SEED

    moto_target.reset()  # the same target, as it was when recorded
    _, results = run_units(RunOptions(endpoint=moto_target.endpoint, against=str(cassette)),
                           "CreateVpc", "stateful:storage")
    assert differences(results) == []
    assert not [r for result in results for r in result.findings.values()
                if r.finding.check == "cassette"]  # every request was in the cassette
    assert sum(r.checks_run["difference"] for r in results) > 50


@pytest.mark.parametrize("endpoint, against, allow, read_only", [
    ("http://127.0.0.1:1", "http://127.0.0.1:2", False, False),
    ("https://ec2.example.com", None, False, True),  # recording a vendor endpoint
    ("http://127.0.0.1:1", "https://ec2.example.com", False, True),  # a remote reference
    ("https://ec2.example.com", "http://127.0.0.1:2", True, False),
    ("http://127.0.0.1:1", "cassette.json", False, False),
])
def test_the_read_only_rails_cover_both_sides(endpoint, against, allow, read_only):
    options = RunOptions(endpoint=endpoint, against=against, allow_mutations=allow)
    assert diff_read_only(options) is read_only
