"""Cassettes: versioned, refused with one line when unusable, never holding credentials."""

from __future__ import annotations

import json

import botocore.credentials
import pytest

from ec2_conformance import __version__
from ec2_conformance.diff import FORMAT, FORMAT_VERSION, Cassette, CassetteError, load_cassette
from ec2_conformance.diff._clients import CassetteClient, RecordingClient
from ec2_conformance.protocol import Client, RawRequest

V = "2014-10-01"
ACCESS_KEY, SECRET = "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


def recorded(moto_target, tmp_path):
    credentials = botocore.credentials.Credentials(ACCESS_KEY, SECRET, "token-" + "x" * 40)
    with Client(moto_target.endpoint, credentials=credentials) as live:
        client = RecordingClient(live)
        client.unit = "stateless:CreateVpc"
        created = client.call("CreateVpc", {"CidrBlock": "10.0.0.0/16"})
        client.send(RawRequest(body=b"Action=DescribeVpcs&Version=2014-10-01&AWSAccessKeyId="
                               + ACCESS_KEY.encode()))
    cassette = Cassette(api_version=V, tool_version=__version__, endpoint=moto_target.endpoint,
                        loopback=True, region="us-east-1",
                        options={"seed": 1, "max_examples": 1, "stateful_steps": 1,
                                 "run_id": "c", "read_only": False, "signature_version": "v4",
                                 "method": "POST"}, units=dict(client.units))
    path = tmp_path / "c.json"
    cassette.save(path)
    return path, created


def test_a_saved_cassette_replays_the_answers_it_recorded(moto_target, tmp_path):
    moto_target.reset()
    path, created = recorded(moto_target, tmp_path)
    cassette = load_cassette(path, api_version=V, tool_version=__version__)
    replay = CassetteClient(cassette, method="POST", api_version=V)
    replay.unit = "stateless:CreateVpc"
    again = replay.call("CreateVpc", {"CidrBlock": "10.0.0.0/16"})
    assert (again.response.status, again.response.body) == (created.response.status,
                                                            created.response.body)
    # asked once more than recorded (a poll): the last answer again
    assert replay.call("CreateVpc", {"CidrBlock": "10.0.0.0/16"}).response.body == \
        created.response.body
    missing = replay.call("CreateVpc", {"CidrBlock": "10.9.0.0/16"})  # never recorded
    assert missing.response is None and replay.misses["stateless:CreateVpc"]
    replay.unit = "stateless:DeleteVpc"  # recorded, but in another unit
    assert replay.call("CreateVpc", {"CidrBlock": "10.0.0.0/16"}).response is None


def test_a_cassette_holds_no_credentials(moto_target, tmp_path):
    moto_target.reset()
    path, _ = recorded(moto_target, tmp_path)
    text = path.read_text("utf-8")
    assert ACCESS_KEY not in text and SECRET not in text and "x" * 40 not in text
    assert "REDACTED" in text


def write(tmp_path, **changes) -> str:
    data = {"format": FORMAT, "format_version": FORMAT_VERSION, "tool_version": __version__,
            "api_version": V, "endpoint": "http://127.0.0.1:1", "loopback": True,
            "region": "us-east-1", "options": {"seed": 1, "max_examples": 1,
                                               "stateful_steps": 1, "run_id": "r",
                                               "read_only": False, "signature_version": "v4",
                                               "method": "POST"},
            "units": {}}
    data.update(changes)
    path = tmp_path / "c.json"
    path.write_text(json.dumps(data), "utf-8")
    return str(path)


@pytest.mark.parametrize("changes, says", [
    ({"api_version": "2016-11-15"}, "recorded for API version '2016-11-15', not 2014-10-01"),
    ({"tool_version": "0.0.1"}, "recorded by ec2-conformance '0.0.1'"),
    ({"format_version": 99}, "format version 99"),
    ({"format": "vcr"}, "is not an ec2-conformance cassette"),
    ({"units": {"world": [{"key": "k", "request": {}}]}}, "is malformed"),
    ({"units": {"world": [{"key": "k", "request": {"method": "POST", "url": "u", "headers": {},
                                                   "body": ""},
                           "response": {"status": 200, "body_base64": "%%%"}}]}}, "is malformed"),
    ({"options": {"seed": 1}}, "lacks the option(s)"),
])
def test_an_unusable_cassette_is_one_line(tmp_path, changes, says):
    with pytest.raises(CassetteError) as info:
        load_cassette(write(tmp_path, **changes), api_version=V, tool_version=__version__)
    assert says in str(info.value) and "\n" not in str(info.value)


def test_not_json_or_missing_is_one_line(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"\xff{not json")
    for path in (bad, tmp_path / "missing.json"):
        with pytest.raises(CassetteError) as info:
            load_cassette(path, api_version=V, tool_version=__version__)
        assert "\n" not in str(info.value)


def test_a_gz_cassette_is_compressed_and_a_damaged_one_is_one_line(tmp_path):
    cassette = load_cassette(write(tmp_path), api_version=V, tool_version=__version__)
    packed = tmp_path / "c.json.gz"
    cassette.save(packed)
    assert packed.read_bytes()[:2] == b"\x1f\x8b"
    assert load_cassette(packed, api_version=V, tool_version=__version__).options["run_id"] == "r"
    packed.write_bytes(packed.read_bytes()[:20])
    with pytest.raises(CassetteError) as info:
        load_cassette(packed, api_version=V, tool_version=__version__)
    assert "damaged gzip" in str(info.value)
