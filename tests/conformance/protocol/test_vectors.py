"""Protocol behaviour pinned by JSON vectors (botocore's given/params/serialized shape).

``EC2_VECTOR=<id>`` runs one case.
"""

import json
import os
from pathlib import Path

import pytest

from ec2_conformance.protocol import serialize

VECTOR_DIR = Path(__file__).parent / "vectors"
IGNORED: set[str] = set()  # ids of cases known not to hold, with a reason beside each


def _cases():
    wanted = os.environ.get("EC2_VECTOR")
    for path in sorted(VECTOR_DIR.glob("ec2-*.json")):
        version = path.stem[len("ec2-"):]
        for case in json.loads(path.read_text()):
            if case["id"] in IGNORED or (wanted and case["id"] != wanted):
                continue
            yield pytest.param(version, case, id=f"{version}:{case['id']}")


@pytest.mark.parametrize("api_version,case", list(_cases()))
def test_vector(api_version, case):
    got = serialize(case["action"], case["params"], api_version)
    assert [list(p) for p in got] == case["serialized"]
