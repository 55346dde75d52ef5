"""The embedded target's child: moto's answers are the same with its lookups memoized
(its module list, a responder's method names, botocore's region lists)."""

import subprocess
import sys

COMPARE = """
from moto import backends
from moto.core import responses
from moto.ec2.responses import EC2Response
from moto.s3.responses import S3Response
from boto3 import Session
from ec2_conformance.target._child import memoize_constant_lookups


def lookups():
    return (list(backends.list_of_moto_modules()),
            [responses.method_names_from_class(c) for c in (EC2Response, S3Response)],
            [Session().get_available_regions(*a) for a in (
                ("ec2",), ("ec2", "aws-us-gov"), ("ec2", "aws-cn"), ("s3", "aws", True),
                ("no-such-service",))])


before = lookups()
memoize_constant_lookups()
after = lookups()
assert "ec2" in before[0] and "describe_vpcs" in before[1][0], before
assert "us-east-1" in before[2][0] and "cn-north-1" in before[2][2] and not before[2][4]
Session().get_available_regions("ec2").append("x")  # a caller's own list, not the next's
assert before == after == lookups()
assert list(backends.list_of_moto_modules()) == before[0]  # asked again: the same
print("same")
"""


def test_memoized_lookups_answer_as_moto_does():
    # in a process of its own: the patch must not reach this test process's moto
    result = subprocess.run([sys.executable, "-c", COMPARE], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == "same", result.stderr
