"""``ec2-conformance run``, ``reproduce`` and ``baseline`` as a user runs them, against
the embedded moto server (real processes, real HTTP on loopback)."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest
from lxml import etree

import ec2_conformance.reporting as reporting
from ec2_conformance.cli._progress import HEARTBEAT_SECONDS
from ec2_conformance.faults import Fault, FaultProxy

CLI = [sys.executable, "-m", "ec2_conformance"]
SCHEMA = json.loads((Path(reporting.__file__).parent / reporting.RESULTS_SCHEMA).read_text())
SMALL = ["--actions", "CreateVpc", "DescribeVpcs", "--suite", "stateless", "--max-examples", "2",
         "--workers", "1", "--seed", "11"]


def cli(*args, cwd=None, timeout=600):
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout, cwd=cwd)


def _completed(*args):
    result = cli(*args)
    return [result.returncode, result.stdout, result.stderr]


@pytest.fixture
def small_run(once):
    """One small run whose report several tests read (made once for every worker)."""
    (code, out, err), directory = once("small-run", lambda d: _completed(
        "run", *SMALL, "--report-dir", str(d / "report")))
    return subprocess.CompletedProcess([], code, out, err), directory / "report"


def test_run_writes_all_three_reports(small_run):
    result, report = small_run
    assert result.returncode == 1, result.stderr  # moto departs from the spec
    document = json.loads((report / "results.json").read_text())
    jsonschema.validate(document, SCHEMA)
    assert {a["action"] for a in document["actions"]} == {"CreateVpc", "DescribeVpcs"}
    assert document["run"]["seed"] == 11 and document["run"]["embedded"]
    assert document["summary"]["failing_findings"] > 0
    junit = etree.parse(str(report / "junit.xml"))
    assert junit.findall(".//testcase[failure]")
    assert "<html" in (report / "index.html").read_text()
    assert list((report / "examples").glob("*.json"))
    assert "report: " in result.stdout


def test_reports_hold_no_credentials(small_run):
    _, report = small_run
    for path in report.rglob("*"):
        if path.is_file():
            text = path.read_text(errors="replace")
            assert "Credential=testing" not in text and "Signature=" not in text.replace(
                "Signature=REDACTED", "")


def test_reproduce_a_saved_finding(small_run):
    _, report = small_run
    document = json.loads((report / "results.json").read_text())
    finding = next(f for f in document["findings"]
                   if f["severity"] == "violation" and f.get("example_file")
                   and f["example"]["kind"] == "stateless")
    by_id = cli("reproduce", finding["id"], "--reports", str(report.parent))
    assert by_id.returncode == 1, by_id.stdout + by_id.stderr
    assert "still fails" in by_id.stdout
    assert finding["check"] in by_id.stdout


def test_reproduce_bad_input_is_one_line_exit_2(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    for ref in (str(broken), "no-such-id"):
        result = cli("reproduce", ref, "--reports", str(tmp_path))
        assert result.returncode == 2
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_baseline_accepts_known_findings(small_run, tmp_path):
    _, report = small_run
    baseline = tmp_path / "baseline.json"
    made = cli("baseline", str(report / "results.json"), "--reason", "known moto gaps",
               "-o", str(baseline))
    assert made.returncode == 0, made.stderr
    again = cli("run", *SMALL, "--report-dir", str(tmp_path / "again"), "--baseline", str(baseline))
    document = json.loads((tmp_path / "again" / "results.json").read_text())
    assert document["baseline"]["accepted"]
    new_failing = [f for f in document["findings"]
                   if f["baseline"] == "new" and f["severity"] in ("violation", "not-implemented")]
    assert again.returncode == (1 if new_failing else 0), again.stdout + again.stderr


@pytest.mark.parametrize("args,message", [
    (["--max-examples", "0"], "must be at least 1"),
    (["--profile", "no-such-profile"], "unknown profile"),
    (["--actions", "NoSuchAction*"], "no action matches"),
    (["--machines", "compute", "warp-drive"], "unknown machine 'warp-drive'"),
    (["--suite", "stateful", "--endpoint", "https://ec2.example.com"], "pass --allow-mutations"),
    (["--endpoint", "http://127.0.0.1:1"], "cannot connect"),
    (["--baseline", "/nonexistent/baseline.json"], "cannot read baseline"),
])
def test_usage_errors_exit_2(args, message, tmp_path):
    result = cli("run", *args, "--report-dir", str(tmp_path / "r"))
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr
    # one error line (a run that got as far as starting said first what it runs against)
    errors = [line for line in result.stderr.strip().splitlines()
              if not line.startswith("ec2-conformance: running ")]
    assert len(errors) == 1 and ": error: " in errors[0], result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow  # runs until a part is written
def test_interrupt_writes_partial_report_and_exits_130(tmp_path):
    report = tmp_path / "report"
    process = subprocess.Popen([*CLI, "run", "--suite", "stateless", "--max-examples", "2",
                                "--workers", "1", "--actions", "Describe*", "--report-dir",
                                str(report)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, start_new_session=True)
    parts = report / ".parts"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not (parts.is_dir() and any(parts.glob("*.jsonl"))):
        time.sleep(0.5)  # a finished action's part (status files come earlier)
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 130, out + err
    document = json.loads((report / "results.json").read_text())
    assert document["run"]["interrupted"] is True
    assert document["actions"]  # what finished is kept


def test_reproduce_replays_a_wire_fault_as_sent(small_run):
    """A wire-fault example keeps how it departed from a signed request, so replaying it
    does not quietly send a well-formed request instead."""
    _, report = small_run
    document = json.loads((report / "results.json").read_text())
    wire = [f for f in document["findings"] if f.get("example") and f["example"].get("raw")]
    assert wire, "the small run found no wire-fault deviation to replay"
    finding = wire[0]
    result = cli("reproduce", finding["id"], "--reports", str(report.parent))
    assert result.returncode == 1, result.stdout + result.stderr
    assert finding["check"] in result.stdout


def test_reproduce_a_machine_finding_judges_it_as_the_run_did(moto_target, tmp_path):
    """A scenario's finding replays through the model: its named rule, once, not also the
    check layer's generic expected-outcome."""
    from ec2_conformance.engine import machine_result_to_action_result
    from ec2_conformance.machines import MachineConfig, WaitSettings, run_machine
    from ec2_conformance.protocol import Client

    moto_target.reset()
    with Client(moto_target.endpoint) as client:
        outcome = run_machine("networking", client, max_examples=0, minimize=0,
                              waits=WaitSettings.consistent(),
                              config=MachineConfig(image_id="ami-12c6146b"))
    result = machine_result_to_action_result(outcome, "2014-10-01")
    record = next(r for r in result.findings.values() if r.finding.check == "tag-limit")
    saved = tmp_path / "tag-limit.json"
    saved.write_text(json.dumps({**record.example.to_json(), "run": {
        "profile": "aws-2014-10-01", "api_version": "2014-10-01"}}, default=str))
    replay = cli("reproduce", str(saved))
    assert replay.returncode == 1, replay.stderr  # moto still accepts an 11th tag
    assert "[violation] tag-limit" in replay.stdout
    assert "expected-outcome" not in replay.stdout


@pytest.mark.slow  # a machine run
def test_machines_selects_the_state_machines_that_run(tmp_path):
    report = tmp_path / "r"
    result = cli("run", "--suite", "stateful", "--machines", "compute", "--max-examples", "2",
                 "--stateful-steps", "5", "--workers", "1", "--seed", "3",
                 "--report-dir", str(report))
    assert result.returncode in (0, 1), result.stderr
    document = json.loads((report / "results.json").read_text())
    assert [a["action"] for a in document["actions"]] == ["compute"]
    assert {s["machine"] for s in document["scenarios"]} == {"compute"}
    assert "[1/1] compute" in result.stdout + result.stderr
    # a stateful-only run says what ran, not "0 actions ... score n/a"
    totals = next(line for line in result.stdout.splitlines() if "failing defect" in line)
    assert totals.startswith("1 machine, ") and "0 actions" not in totals, totals
    assert " examples; " in totals, totals  # examples, not requests: the figures line counts those
    assert "score n/a (no stateless action ran)" in totals



def _start(*args, report):
    return subprocess.Popen([*CLI, "run", *args, "--report-dir", str(report)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def _wait_for_parts(report, limit=300):
    parts = report / ".parts"
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and not (parts.is_dir() and any(parts.glob("*.jsonl"))):
        time.sleep(0.2)


@pytest.mark.slow  # runs until a part is written
@pytest.mark.parametrize("workers", ["1", "2"])
def test_sigterm_stops_cleans_up_and_writes_the_partial_report(workers, tmp_path):
    """What CI systems and ``timeout`` send, to the ``run`` process only (not its group)."""
    report = tmp_path / "report"
    process = _start("--suite", "stateless", "--max-examples", "2", "--workers", workers,
                     "--actions", "Describe*", "--seed", "4", report=report)
    _wait_for_parts(report)
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 143, out + err
    assert time.monotonic() - started < 60
    assert "terminated (SIGTERM); partial report written" in err
    document = json.loads((report / "results.json").read_text())
    assert document["run"]["interrupted"] is True
    assert 0 < len(document["actions"]) < 40  # what finished is kept; the rest never ran
    assert not (report / ".stop").exists()


@pytest.mark.slow  # runs until its deadline
def test_deadline_ends_the_run_like_ctrl_c_with_the_partial_report(tmp_path):
    report = tmp_path / "report"
    started = time.monotonic()
    result = cli("run", "--suite", "stateless", "--max-examples", "2", "--workers", "1",
                 "--actions", "Describe*", "--deadline", "12s", "--report-dir", str(report))
    took = time.monotonic() - started
    assert result.returncode == 124, result.stdout + result.stderr
    assert "the --deadline was reached; partial report written" in result.stderr
    assert took < 12 + 30 + 20  # the deadline, one request's timeout at most, start and report
    document = json.loads((report / "results.json").read_text())
    assert document["actions"] and document["run"]["interrupted"] is True


@pytest.mark.slow  # a machine run, one answer held for a heartbeat
def test_progress_starts_at_once_and_beats_while_a_machine_runs(moto_target, tmp_path):
    """A user's target that takes its time: one answer held for longer than a heartbeat
    (a loopback proxy in front of moto) and the heartbeat speaks while it is awaited."""
    report = tmp_path / "report"
    slow = Fault(name="slow-volumes", action="DescribeVolumes", delay=HEARTBEAT_SECONDS + 2,
                 times=1)
    moto_target.reset()
    with FaultProxy(moto_target.endpoint, [slow]) as proxy:
        started = time.monotonic()
        process = _start("--endpoint", proxy.endpoint, "--suite", "stateful", "--machines",
                         "storage", "--max-examples", "1", "--stateful-steps", "5",
                         "--workers", "1", "--seed", "2", report=report)
        first = process.stderr.readline()
        assert time.monotonic() - started < 10
        assert first.startswith(f"ec2-conformance: running the stateful suite against "
                                f"{proxy.endpoint}")
        out, err = process.communicate(timeout=600)
    assert process.returncode in (0, 1), err
    beats = [line for line in err.splitlines() if line.startswith("… storage: running for")]
    assert beats and "requests so far" in beats[0], err


@pytest.mark.slow  # a machine run
def test_a_user_started_moto_on_loopback_waits_like_the_embedded_one(moto_target, tmp_path):
    """``moto_server -p PORT`` given as --endpoint: loopback, so immediate consistency; the
    storage machine (whose cleanup waits for instances) ends as fast as on the embedded
    target, instead of idling 300 s per wait."""
    moto_target.reset()
    started = time.monotonic()
    # One short exploration: the spec scenarios (walked on every run) and the cleanup
    # already wait; with --consistency eventual this same run exceeds the bound below.
    result = cli("run", "--endpoint", moto_target.endpoint, "--suite", "stateful",
                 "--machines", "storage", "--max-examples", "1", "--stateful-steps", "5",
                 "--workers", "1", "--seed", "7", "--report-dir", str(tmp_path / "r"),
                 timeout=400)
    assert result.returncode in (0, 1), result.stderr
    assert time.monotonic() - started < 120
