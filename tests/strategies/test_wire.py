import pytest
from hypothesis import HealthCheck, find, settings
from hypothesis.errors import InvalidArgument

from ec2_conformance import strategies as ec2st

QUICK = settings(max_examples=50, database=None, suppress_health_check=list(HealthCheck))
# The oversized-value fault draws a 64 kB value: its repr is large on purpose.
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")


@pytest.mark.parametrize("fault", ec2st.WIRE_FAULTS)
def test_each_fault_is_labelled_and_applied(fault, world):
    case = find(ec2st.wire_faults("DescribeVpcs", world=world, faults=[fault]),
                lambda c: True, settings=QUICK)
    assert case.kind == "wire" and case.expectation.rule == f"wire:{fault}"
    keys = [k for k, _ in case.pairs]
    if fault == "missing-action":
        assert "Action" not in keys
    elif fault == "missing-version":
        assert "Version" not in keys
    elif fault == "unknown-action":
        assert dict(case.pairs)["Action"] != "DescribeVpcs"
    elif fault in ("unsigned", "incomplete-signature"):
        assert case.raw.sign is False
    elif fault == "wrong-signature":  # signed now, so it is not also an expired request
        assert case.raw.sign and case.raw.wrong_secret and case.raw.clock_skew is None
    elif fault == "expired-timestamp":
        assert case.raw.clock_skew <= -15 * 60
    elif fault == "future-timestamp":
        assert case.raw.clock_skew >= 15 * 60
    elif fault == "malformed-query":
        assert case.raw.body is not None and not case.strict
    elif fault == "duplicate-parameter":
        assert len(keys) > len(set(keys))
    if fault in ("unsigned", "wrong-signature", "expired-timestamp", "unknown-action"):
        assert case.strict and case.expectation.codes


def test_dry_run_requests_expect_dry_run_operation(world):
    case = find(ec2st.dry_run_requests("CreateVpc", world=world), lambda c: True)
    assert dict(case.pairs)["DryRun"] == "true"
    assert case.expectation.codes == {"DryRunOperation", "UnauthorizedOperation"}
    with pytest.raises(InvalidArgument):
        ec2st.dry_run_requests("ModifyVpcAttribute", world=world)  # no DryRun in 2014-10-01
