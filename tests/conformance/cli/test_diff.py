"""``ec2-conformance record`` and ``diff`` as a user runs them: real processes, real HTTP on
loopback, the embedded moto server, and the fault proxy for a target that differs."""

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

import ec2_conformance.reporting as reporting
from ec2_conformance.faults import Fault, FaultProxy

CLI = [sys.executable, "-m", "ec2_conformance"]
SCHEMA = json.loads((Path(reporting.__file__).parent / reporting.RESULTS_SCHEMA).read_text())
SMALL = ["--actions", "DescribeVpcs", "--suite", "stateless", "--max-examples", "2"]


def cli(*args, timeout=600):
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def cassette(once):
    """One recording several tests read (made once for every worker)."""
    def build(base):
        result = cli("record", *SMALL, "--seed", "5", "--cassette", str(base / "moto.json"),
                     "--report-dir", str(base / "report"))
        return [result.returncode, result.stderr]
    (code, err), base = once("cassette", build)
    assert code in (0, 1), err  # 1: moto's own spec findings
    return base / "moto.json", base / "report"


def test_record_writes_a_cassette_and_the_targets_report(cassette):
    path, report = cassette
    data = json.loads(path.read_text())
    assert data["format"] == "ec2-conformance-cassette" and data["options"]["seed"] == 5
    assert "stateless:DescribeVpcs" in data["units"] and data["loopback"] is True
    document = json.loads((report / "results.json").read_text())
    jsonschema.validate(document, SCHEMA)
    assert document["run"]["cassette"] == str(path)


def test_diff_against_the_recording_offline_finds_nothing(cassette, tmp_path):
    path, _ = cassette
    result = cli("diff", *SMALL, "--against", str(path), "--report-dir", str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    document = json.loads((tmp_path / "results.json").read_text())
    jsonschema.validate(document, SCHEMA)
    assert document["run"]["against"] == str(path) and document["run"]["seed"] == 5
    assert document["summary"]["findings"]["difference"] == 0
    assert 'id="no-differences"' in (tmp_path / "index.html").read_text()


def test_diff_of_a_differing_endpoint_shows_both_sides(cassette, moto_target, tmp_path):
    path, _ = cassette
    moto_target.reset()
    fault = Fault.from_json({"name": "pending", "action": "DescribeVpcs", "only_success": True,
                             "response": [{"op": "set", "select": "//vpcSet/item/state",
                                           "value": "pending"}]})
    with FaultProxy(moto_target.endpoint, [fault]) as proxy:
        result = cli("diff", *SMALL, "--endpoint", proxy.endpoint, "--against", str(path),
                     "--report-dir", str(tmp_path))
    assert result.returncode == 1, result.stdout + result.stderr
    document = json.loads((tmp_path / "results.json").read_text())
    jsonschema.validate(document, SCHEMA)
    found = [f for f in document["findings"] if f["severity"] == "difference"]
    assert {(f["path"], f["expected"], f["observed"]) for f in found} == {
        ("/DescribeVpcsResponse/vpcSet/item/state", "enum-value: available", "enum-value: pending")}
    assert not [f for f in document["findings"] if f["severity"] == "violation"]
    html = (tmp_path / "index.html").read_text()
    assert 'class="side side-against"' in html and 'class="side side-endpoint"' in html
    assert "/DescribeVpcsResponse/vpcSet/item[1]/state" in html  # where they part
    assert "&lt;state&gt;pending&lt;/state&gt;" in html and "&lt;state&gt;available" in html


@pytest.mark.parametrize("content, says", [
    (b"not json", "is not JSON"),
    (b'{"format": "ec2-conformance-cassette", "format_version": 1, "tool_version": "0.0.0",'
     b' "api_version": "2014-10-01"}', "recorded by ec2-conformance '0.0.0'"),
])
def test_an_unusable_cassette_is_one_line_and_exit_2(tmp_path, content, says):
    path = tmp_path / "c.json"
    path.write_bytes(content)
    result = cli("diff", "--against", str(path), "--report-dir", str(tmp_path / "r"))
    assert result.returncode == 2
    assert says in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_an_unreachable_against_endpoint_is_one_line(tmp_path):
    from ec2_conformance.target import free_port

    result = cli("diff", "--against", f"http://127.0.0.1:{free_port()}",
                 "--report-dir", str(tmp_path))
    assert result.returncode == 2 and "cannot connect" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_plugin_runs_differential_mode_in_one_process(cassette, tmp_path):
    path, _ = cassette
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--pyargs", "ec2_conformance.suite", "-p",
         "no:cacheprovider", "-n", "2", "--ec2-against", str(path), "-q"],
        capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert result.returncode == 4  # pytest's usage error
    assert "run in one process" in result.stdout + result.stderr
