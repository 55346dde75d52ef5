"""The plugin under pytest-xdist workers with file systems of their own (remote hosts).

``--tx popen//chdir=DIR`` starts workers in another directory: a relative report
directory then names another place for them, as it would on another host.  Their
results still reach the controlling process's report: they travel with the reports.
"""

import json
import subprocess
import sys

import pytest


@pytest.mark.slow  # pytest with two xdist workers, each with its own moto server
def test_workers_elsewhere_send_their_results_to_the_controller(tmp_path):
    elsewhere = tmp_path / "worker-home"
    elsewhere.mkdir()
    here = tmp_path / "controller"
    here.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--pyargs", "ec2_conformance.suite", "-p",
         "no:cacheprovider", "-q", "-d", "--tx", f"2*popen//chdir={elsewhere}",
         "--ec2-actions", "CreateVpc", "--ec2-actions", "DescribeVpcs",
         "--ec2-suite", "stateless", "--ec2-max-examples", "2", "--ec2-seed", "3",
         "--ec2-report-dir", "report", "--junitxml", "pytest-junit.xml"],
        cwd=here, capture_output=True, text=True, timeout=600)
    assert result.returncode == 1, result.stdout[-2000:] + result.stderr[-2000:]  # moto departs
    assert not (elsewhere / "report").exists()  # nothing was written where workers run
    document = json.loads((here / "report" / "results.json").read_text())
    assert {a["action"] for a in document["actions"]} == {"CreateVpc", "DescribeVpcs"}
    assert document["defects"] and all(f["defect"] for f in document["findings"])
    # the carried results do not end up in pytest's own JUnit file
    assert "ec2_result" not in (here / "pytest-junit.xml").read_text()
