"""The spec's sample responses with the errata applied: what the check tests start from.

A test that takes a ``sample`` argument runs once per sample response, as
``(id, action, body bytes)``; ``fixed_samples`` gives the whole list.
"""

import json
from pathlib import Path

import pytest

from ec2_conformance import schemas

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "spec_samples" / "2014-10-01.json"


def _load_fixed_samples():
    out = []
    for sample in json.loads(SAMPLES.read_text("utf-8"))["responses"]:
        action, index = sample["action"], sample["example_index"]
        body = schemas.apply_fixes(sample["body"], schemas.errata_for("2014-10-01", action, index))
        out.append((f"{action}-{index}", action, body.encode("utf-8")))
    return out


def pytest_generate_tests(metafunc):
    if "sample" in metafunc.fixturenames:
        samples = _load_fixed_samples()
        metafunc.parametrize("sample", samples, ids=[s[0] for s in samples])


@pytest.fixture(scope="session")
def fixed_samples():
    return _load_fixed_samples()
