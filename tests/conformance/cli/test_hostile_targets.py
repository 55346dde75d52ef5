"""``run`` against hostile loopback targets (real servers of our own, ``hostile.py``): each
two-action run ends within a bound, with exit 1 and a report or exit 2 and one error line,
never a traceback, and says what it runs against within the first seconds.

Small ``--timeout`` and ``--deadline`` keep these fast; with the default options the same
targets end a run within four minutes (measured by hand, see the issue-13 note).
"""

import json
import subprocess
import sys
import time

import pytest

CLI = [sys.executable, "-m", "ec2_conformance"]
RUN = ["run", "--actions", "DescribeVpcs", "CreateVpc", "--suite", "stateless",
       "--max-examples", "2", "--workers", "1", "--seed", "3", "--timeout", "2",
       "--deadline", "100s"]
MODES = ("never-answers", "resets", "drips", "cuts-body", "throttles", "huge-body",
         "gzip-bomb", "entity-bomb", "garbage")  # conftest.py's hostile targets
BOUND = 150  # seconds a run may take here, start-up included


def run_against(endpoint, report_dir):
    started = time.monotonic()
    process = subprocess.Popen([*CLI, *RUN, "--endpoint", endpoint, "--report-dir",
                                str(report_dir)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    first_line = process.stderr.readline()
    first_after = time.monotonic() - started
    try:
        out, err = process.communicate(timeout=BOUND)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        pytest.fail(f"the run did not end within {BOUND}s:\n{first_line}{err[-3000:]}")
    return process.returncode, out, first_line + err, first_after, time.monotonic() - started


def assert_ended_well(code, out, err, report_dir):
    assert "Traceback" not in err + out, err
    assert code in (1, 2), (code, out, err)
    errors = [line for line in err.splitlines() if "error:" in line]
    if code == 2:
        assert len(errors) == 1, err
    else:
        document = json.loads((report_dir / "results.json").read_text())
        assert {a["action"] for a in document["actions"]} == {"DescribeVpcs", "CreateVpc"}
        assert not errors, err


@pytest.mark.parametrize("mode", MODES)
def test_a_run_against_a_hostile_target_ends_within_a_bound(mode, tmp_path, hostile_target):
    report = tmp_path / "report"
    with hostile_target(mode, after=1) as target:
        code, out, err, first_after, took = run_against(target.endpoint, report)
    assert first_after < 15, f"first progress line only after {first_after:.1f}s"
    assert err.startswith("ec2-conformance: running the stateless suite against "
                          f"{target.endpoint}")
    assert_ended_well(code, out, err, report)
    assert took < BOUND


@pytest.mark.parametrize("mode", ["never-answers", "resets", "drips", "cuts-body", "garbage"])
def test_a_target_that_stops_answering_mid_run_stops_it_with_a_partial_report(mode, tmp_path,
                                                                              hostile_target):
    """The reachability check passes; every later request fails in transport: after five in
    a row the run stops sending, writes what it has with an ``answered`` finding naming the
    cause, and exits 2 with one line."""
    report = tmp_path / "report"
    with hostile_target(mode, after=1) as target:
        code, out, err, _, _ = run_against(target.endpoint, report)
        sent = target.requests
    assert code == 2, err
    assert "gave no usable answer to 5 requests in a row" in err
    document = json.loads((report / "results.json").read_text())
    stop = [f for f in document["findings"] if f["check"] == "answered"
            and "the run stopped" in f["message"]]
    assert stop, [f["message"] for f in document["findings"]]
    assert sent < 40  # it stopped sending (retries of resets included)


def test_a_target_that_throttles_everything_ends_once_retries_are_spent(tmp_path, hostile_target):
    report = tmp_path / "report"
    with hostile_target("throttles", after=1) as target:
        code, out, err, _, took = run_against(target.endpoint, report)
        sent = target.requests
    assert code == 2, err
    assert "RequestLimitExceeded" in err and "each tried 4 times" in err
    assert sent == 1 + 5 * 4  # the reachability check, then five requests of four attempts
    document = json.loads((report / "results.json").read_text())
    stopped = next(f for f in document["findings"] if "the run stopped" in f["message"])
    assert stopped["severity"] == "violation"


def test_a_target_that_never_answers_at_all_is_one_line_within_the_timeout(tmp_path,
                                                                           hostile_target):
    with hostile_target("never-answers", after=0) as target:
        code, out, err, first_after, took = run_against(target.endpoint, tmp_path / "r")
    assert code == 2
    assert err.splitlines()[-1].startswith(f"ec2-conformance: error: no answer from "
                                           f"{target.endpoint}")
    assert took < 30 and first_after < 15
