"""``ec2-conformance selftest`` as a user runs it: a real subprocess, a real moto server."""

import json
import subprocess
import sys

import pytest

from ec2_conformance.faults import load_fault_catalog

FAULTS = len(load_fault_catalog().faults)
CLI = [sys.executable, "-m", "ec2_conformance"]


def run_cli(*args, timeout=300):
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout)


@pytest.mark.slow  # a self-test run in a subprocess
def test_selftest_prints_the_table_writes_the_report_and_exits_by_rate(tmp_path):
    """One real run (two faults on one unit share its none runs): the table, the files,
    and exit 0 at --min-rate 0.5; the same report judged at 0.6 would be exit 1."""
    result = run_cli("selftest", "--faults", "shape-wrong-enum-value", "shape-empty-list-dropped",
                     "--max-examples", "2", "--min-rate", "0.5", "--workers", "1",
                     "--report-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["fault", "category", "detected", "by", "examples", "note"]
    rows = {line.split()[0]: line.split() for line in lines[2:4]}
    assert rows["shape-wrong-enum-value"][1:4] == ["response-shape", "yes", "schema"]
    assert rows["shape-empty-list-dropped"][1:4] == ["response-shape", "NO", "-"]
    assert "known gap" in result.stdout
    assert "detection rate 50.0% (1/2 faults)" in result.stdout
    data = json.loads((tmp_path / "selftest.json").read_text())
    assert data["rate"] == 0.5 and data["options"]["max_examples"] == 2
    assert [r["detected"] for r in data["rows"]] == [True, False]
    assert "| shape-wrong-enum-value | response-shape | yes |" in (
        tmp_path / "selftest.md").read_text()
    assert "shape-wrong-enum-value: detected" in result.stderr  # progress goes to stderr


def test_a_rate_below_min_rate_exits_1(monkeypatch, capsys, tmp_path):
    """The exit-code rule alone, on a fixed report (the run above covers the real thing)."""
    from ec2_conformance import cli, faults
    from ec2_conformance.faults import FaultRow, SelftestReport

    row = FaultRow("http-200-for-error", "http", "d", ["http-status-class"], detected=False,
                   note="missed")
    report = SelftestReport({"seed": 1, "max_examples": 1}, [row], {
        "units": 1, "findings_by_check": {}, "noise": []})
    monkeypatch.setattr(faults, "run_selftest", lambda options, **kw: report)
    code = cli.main(["selftest", "--faults", "http-200-for-error", "--report-dir",
                     str(tmp_path)])
    assert code == 1 and "detection rate 0.0% (0/1" in capsys.readouterr().out
    assert cli.main(["selftest", "--faults", "http-200-for-error", "--min-rate", "0",
                     "--report-dir", str(tmp_path)]) == 0


def test_unknown_fault_is_one_line_and_exit_2():
    result = run_cli("selftest", "--faults", "shape-drop-return", "no-such-fault")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "ec2-conformance: error: unknown fault 'no-such-fault'; see `ec2-conformance selftest "
        f"--list` for the {FAULTS} faults"]


def test_bad_numbers_are_one_line_and_exit_2():
    for args in (["--min-rate", "1.5"], ["--max-examples", "0"], ["--faults", "none"]):
        result = run_cli("selftest", *args)
        assert result.returncode == 2, args
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_list_shows_every_fault_with_its_category():
    result = run_cli("selftest", "--list")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert len(lines) == FAULTS and lines[0].split()[:2] == ["none", "none"]
    assert any(line.split()[:2] == ["state-accepts-51st-rule", "state"] for line in lines)
