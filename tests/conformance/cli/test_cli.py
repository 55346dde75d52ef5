"""The console script as a user runs it: real subprocesses, real moto server."""

import json
import subprocess
import sys

from ec2_conformance.target import free_port

CLI = [sys.executable, "-m", "ec2_conformance"]


def run_cli(*args, timeout=120):
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout)


def test_catalog_json_lists_160_actions_with_wire_names():
    result = run_cli("catalog", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["api_version"] == "2014-10-01"
    assert len(data["actions"]) == 160
    describe = next(a for a in data["actions"] if a["name"] == "DescribeInstances")
    assert {"Filter.N.Name", "Filter.N.Value.N", "InstanceId.N"} <= {p["name"] for p in describe["params"]}


def test_catalog_one_action_text():
    result = run_cli("catalog", "--action", "CreateVpc")
    assert result.returncode == 0
    assert "CidrBlock" in result.stdout and "required" in result.stdout


def test_call_against_embedded_target(moto_target):
    result = run_cli("call", "CreateVpc", "CidrBlock=10.0.0.0/16", "--endpoint", moto_target.endpoint)
    assert result.returncode == 0, result.stderr
    assert "<CreateVpcResponse" in result.stdout and "10.0.0.0/16" in result.stdout


def test_call_starts_its_own_embedded_target():
    result = run_cli("call", "DescribeRegions")
    assert result.returncode == 0, result.stderr
    assert "<DescribeRegionsResponse" in result.stdout


def test_bad_flag_is_one_line_and_exit_2():
    result = run_cli("catalog", "--no-such-flag")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_unreachable_endpoint_is_one_line_and_exit_2():
    result = run_cli("call", "DescribeRegions", "--endpoint", f"http://127.0.0.1:{free_port()}")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "cannot connect" in result.stderr


def test_unknown_api_version_is_exit_2():
    result = run_cli("catalog", "--api-version", "1999-01-01")
    assert result.returncode == 2 and "unknown EC2 API version" in result.stderr


def test_malformed_call_parameter_is_exit_2(moto_target):
    result = run_cli("call", "CreateVpc", "CidrBlock", "--endpoint", moto_target.endpoint)
    assert result.returncode == 2 and "not Key=Value" in result.stderr
