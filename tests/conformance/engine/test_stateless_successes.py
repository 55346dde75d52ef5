"""The valid phase draws more when the target refuses many valid requests, against moto
behind a loopback proxy that answers the first ones with a server error itself."""

from __future__ import annotations

import math


from ec2_conformance.catalog import load_catalog
from ec2_conformance.engine._stateless import SUCCESS_SHARE, run_stateless_action

CATALOG = load_catalog()
BUDGET = 25
WANTED = math.ceil(BUDGET * SUCCESS_SHARE)


def _valid_run(proxied_target, refused: int):
    """DescribeVpcs, the valid phase only; the first ``refused`` requests (the two probes
    among them) answered HTTP 500 InternalError."""
    set_faults, client, world = proxied_target
    set_faults(*([{"action": "DescribeVpcs", "forward": False, "status": 500,
                   "error": {"code": "InternalError", "message": "try later"},
                   "times": refused}] if refused else []))
    try:
        return run_stateless_action(client, CATALOG, "DescribeVpcs", world,
                                    max_examples=BUDGET, seed=4, phases=("valid",),
                                    profile="aws-2014-10-01", max_shrinks=0)
    finally:
        set_faults()


def test_a_target_serving_every_valid_request_gets_the_budget(proxied_target):
    result = _valid_run(proxied_target, 0)
    assert result.valid_examples == BUDGET and result.successes == BUDGET


def test_too_few_successes_draw_more_until_the_share_succeeded(proxied_target):
    # 2 probes and the first 18 valid examples refused: 7 of 25 succeed, short of 10
    result = _valid_run(proxied_target, 20)
    # one more batch of 5, all served, brings 12: enough, so no second batch
    assert (result.valid_examples, result.successes) == (BUDGET + 5, 12)


def test_no_success_at_all_draws_no_more(proxied_target):
    """Every valid request refused: the action is not served; more draws would only
    repeat that (it is reported once, as not implemented)."""
    result = _valid_run(proxied_target, 1000)
    assert result.successes == 0 and result.valid_examples == BUDGET
    assert result.not_implemented
