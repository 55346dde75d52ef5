"""The progress display counts what runs: a skipped empty parametrization is not 'to come'."""

import io
from types import SimpleNamespace

from ec2_conformance.cli._progress import Progress


def _report(nodeid, when="call", skipped=False, failed=False, findings=0):
    return SimpleNamespace(nodeid=nodeid, when=when, skipped=skipped, failed=failed,
                           user_properties=[("ec2_findings", findings)])


def test_a_stateful_only_run_counts_its_machines_not_the_empty_stateless_item():
    out = io.StringIO()
    progress = Progress(out)
    progress.pytest_xdist_node_collection_finished(None, ["stateless[NOTSET]", "m[a]", "m[b]"])
    progress.pytest_runtest_logreport(_report("stateless[NOTSET]", "setup", skipped=True))
    progress.pytest_runtest_logreport(_report("m[a]", findings=2))
    progress.pytest_runtest_logreport(_report("m[b]"))
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("[1/2] a: 2 failing findings")
    assert lines[1].startswith("[2/2] b: 0 failing findings")
    assert progress.findings == 2


def test_one_failing_finding_is_singular():
    out = io.StringIO()
    progress = Progress(out)
    progress.pytest_xdist_node_collection_finished(None, ["m[a]"])
    progress.pytest_runtest_logreport(_report("m[a]", findings=1))
    assert out.getvalue().startswith("[1/1] a: 1 failing finding (")
