"""The embedded target's child: moto's answers are the same with its lookups memoized."""

import subprocess
import sys

COMPARE = """
from moto import backends
from moto.core import responses
from moto.ec2.responses import EC2Response
from moto.s3.responses import S3Response
from ec2_conformance.target._child import memoize_constant_lookups


def lookups():
    return (list(backends.list_of_moto_modules()),
            [responses.method_names_from_class(c) for c in (EC2Response, S3Response)])


before = lookups()
memoize_constant_lookups()
after = lookups()
assert "ec2" in before[0] and "describe_vpcs" in before[1][0], before
assert before == after == lookups()
assert list(backends.list_of_moto_modules()) == before[0]  # asked again: the same
print("same")
"""


def test_memoized_lookups_answer_as_moto_does():
    # in a process of its own: the patch must not reach this test process's moto
    result = subprocess.run([sys.executable, "-c", COMPARE], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == "same", result.stderr
