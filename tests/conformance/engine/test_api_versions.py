"""Another API version judges only what its own sources decide: 2016-11-15 borrows none of
2014-10-01's error-code judgements (a warning says its sources do not decide them)."""

from __future__ import annotations

import pytest

from ec2_conformance.catalog import load_catalog
from ec2_conformance.engine._stateless import run_stateless_action
from ec2_conformance.outcome import Severity
from ec2_conformance.protocol import Client
from ec2_conformance.target import EmbeddedTarget
from ec2_conformance.world import World


@pytest.mark.slow  # a run on another API version's catalog
def test_2016_11_15_does_not_borrow_2014_10_01_error_codes():
    catalog = load_catalog("2016-11-15")
    with EmbeddedTarget() as target, Client(target.endpoint, api_version="2016-11-15") as client:
        world = World.build(client, catalog, run_id="v2016")
        result = run_stateless_action(client, catalog, "CreateSubnet", world, max_examples=12,
                                      seed=1, phases=("invalid",), max_shrinks=0)
    findings = [r.finding for r in result.findings.values()]
    coded = [f for f in findings if f.check in ("expected-error-code", "error-code-documented")]
    assert coded, "moto answers the out-of-range CIDR with InvalidSubnet.Range"
    assert all(f.severity is Severity.WARNING for f in coded), coded
    assert all("sources of API 2016-11-15 do not decide" in f.message for f in coded)
    subnet_range = [f for f in coded if f.observed == "InvalidSubnet.Range"]
    assert subnet_range and all("2014-10-01 API Reference" in f.message or
                                f.check == "expected-error-code" for f in subnet_range)
    # what 2016-11-15's own sources decide (the response namespace) is still judged
    assert any(f.check == "namespace" and f.severity is Severity.VIOLATION for f in findings)
