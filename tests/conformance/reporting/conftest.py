import pytest

from ec2_conformance.engine import ActionResult, SavedExample
from ec2_conformance.outcome import Expectation, Finding, Severity

RUN = {"id": "20261129T000000Z-abc123", "tool_version": "0.1.0", "endpoint": "http://127.0.0.1:5000",
       "embedded": True, "region": "us-east-1", "api_version": "2014-10-01",
       "profile": "aws-2014-10-01", "seed": 7, "suite": "all", "max_examples": 5,
       "stateful_steps": 10, "workers": 1, "read_only": False, "interrupted": False,
       "started": "2026-11-29T00:00:00+00:00", "ended": "2026-11-29T00:01:00+00:00",
       "examples": {"total": 12, "valid": 6, "invalid": 6}}


@pytest.fixture
def run_meta():
    return dict(RUN)


def hostile_finding():
    return Finding(check="schema", severity=Severity.VIOLATION, action="CreateVpc",
                   message="element <script>alert(1)</script> \x01 unexpected",
                   spec_ref="Data Types > Vpc", expected="vpcId", observed="<b>bold</b>",
                   data_type="Vpc", path="/CreateVpcResponse/vpc")


@pytest.fixture
def results():
    create = ActionResult(action="CreateVpc", suite="stateless", examples=6, valid_examples=3,
                          successes=3, invalid_examples=3)
    create.checks_run.update({"schema": 6, "status-class": 6})
    create.checks_failed.update({"schema": 2})
    create.params_sent |= {"CidrBlock"}
    create.error_codes_seen |= {"MissingParameter"}
    example = SavedExample(kind="stateless", action="CreateVpc", api_version="2014-10-01",
                           pairs=[("Action", "CreateVpc"), ("Version", "2014-10-01"),
                                  ("CidrBlock", "10.0.0.0/16")],
                           expectation=Expectation("success"), check="schema",
                           exchange={"request": {"method": "POST", "url": "http://127.0.0.1:5000/",
                                                 "headers": {"Authorization": "REDACTED"},
                                                 "body": "Action=CreateVpc"},
                                     "response": {"status": 200, "headers": {}, "body": "<x/>"}})
    create.add_finding(hostile_finding(), example)
    create.add_finding(hostile_finding(), example)
    bundle = ActionResult(action="BundleInstance", suite="stateless", examples=1, valid_examples=1,
                          not_implemented=True)
    bundle.add_finding(Finding(check="not-implemented", severity=Severity.NOT_IMPLEMENTED,
                               action="BundleInstance", message="not implemented",
                               spec_ref="BundleInstance"))
    ext = ActionResult(action="DescribeVpcs", suite="stateless", examples=3, valid_examples=3,
                       successes=3)
    ext.checks_run.update({"schema": 3})
    ext.add_finding(Finding(check="schema-extension", severity=Severity.EXTENSION,
                            action="DescribeVpcs", message="ownerId is 2016-11-15",
                            spec_ref="Data Types > Vpc", data_type="Vpc"))
    machine = ActionResult(action="NetworkingMachine", suite="stateful", examples=2)
    machine.invariants = {"subnets-do-not-overlap": {"run": 10, "failed": 1}}
    machine.scenarios = {"subnet-overlaps-sibling": "walked",
                         "vpc-in-use": "stopped at step 2: HTTP 400 InvalidVpcRange, no Subnet.SubnetId"}
    machine.add_finding(Finding(check="subnets-do-not-overlap", severity=Severity.VIOLATION,
                                action="NetworkingMachine", message="overlap accepted",
                                spec_ref="CreateSubnet"),
                        SavedExample(kind="stateful", action=None, api_version="2014-10-01",
                                     pairs=[], expectation=None, check="subnets-do-not-overlap",
                                     steps=[{"action": "CreateVpc", "pairs": [["CidrBlock", "10.0.0.0/16"]],
                                             "expectation": None}]))
    return [create, bundle, ext, machine]
