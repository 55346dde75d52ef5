"""``cleanup --run-id`` against a real moto server: tagged leftovers go, others stay."""

import subprocess
import sys

from lxml import etree

CLI = [sys.executable, "-m", "ec2_conformance"]
TAG = "ec2-conformance:run"


def _vpc_ids(client):
    root = etree.fromstring(client.call("DescribeVpcs").response.body)
    return {e.text for e in root.iter("{*}vpcId")}


def _create_vpc(client, cidr, run_id=None):
    root = etree.fromstring(client.call("CreateVpc", {"CidrBlock": cidr}).response.body)
    vpc_id = next(root.iter("{*}vpcId")).text
    if run_id:
        client.call("CreateTags", {"Resources": [vpc_id], "Tags": [{"Key": TAG, "Value": run_id}]})
    return vpc_id


def test_cleanup_deletes_only_the_runs_resources(moto_target, moto_client):
    left_behind = _create_vpc(moto_client, "10.50.0.0/16", run_id="run-to-clean")
    other_run = _create_vpc(moto_client, "10.51.0.0/16", run_id="another-run")
    untagged = _create_vpc(moto_client, "10.52.0.0/16")
    result = subprocess.run([*CLI, "cleanup", "--run-id", "run-to-clean", "--endpoint",
                             moto_target.endpoint], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    remaining = _vpc_ids(moto_client)
    assert left_behind not in remaining
    assert {other_run, untagged} <= remaining
    assert f"deleted {left_behind}" in result.stdout


def test_cleanup_needs_an_endpoint():
    result = subprocess.run([*CLI, "cleanup", "--run-id", "x"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2 and "needs --endpoint" in result.stderr
