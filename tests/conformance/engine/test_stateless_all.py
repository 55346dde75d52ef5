"""Every catalog action through the stateless engine: a fast pass, and the measured table."""

import pytest

from ec2_conformance.catalog import load_catalog
from ec2_conformance.catalog.profiles import load_profile
from ec2_conformance.engine._stateless import run_stateless_action

CATALOG = load_catalog()
MOTO = load_profile("moto")


@pytest.fixture
def shared_world(stateless_client, stateless_world):
    return stateless_client, stateless_world


@pytest.mark.slow  # the whole catalog
@pytest.mark.parametrize("action", sorted(CATALOG.actions))
def test_every_action_is_exercised(action, catalog_pass_world):
    client, world = catalog_pass_world
    # Wire faults and DryRun are the same for every action: test_stateless.py
    # covers them on representative actions, the success table below on all of them.
    result = run_stateless_action(client, CATALOG, action, world, max_examples=2, seed=1,
                                  profile=MOTO, shrink=False, phases=("valid", "invalid"))
    if MOTO.implements(action):
        assert not result.not_implemented, action
        skipped = [r.finding.message for r in result.findings.values()
                   if r.finding.check == "world"]
        assert result.valid_examples and result.invalid_examples, (action, skipped)
    else:
        assert result.not_implemented and len(result.findings) == 1, action


IMPLEMENTED = sorted(a for a in CATALOG.actions if MOTO.implements(a))
TABLE_SHARDS = 4  # spread over pytest-xdist's workers


@pytest.mark.slow
@pytest.mark.parametrize("shard", range(TABLE_SHARDS))
def test_success_table_meets_the_bar(shard, shared_world, shards):
    client, world = shared_world
    mine = IMPLEMENTED[shard::TABLE_SHARDS]
    failed = [a for a in mine
              if not run_stateless_action(client, CATALOG, a, world, max_examples=5, seed=7,
                                          profile=MOTO, shrink=False,
                                          phases=("valid",)).successes]
    parts = shards("success-table", TABLE_SHARDS).record(shard, failed)
    if parts is not None:  # the last shard to finish checks the whole table
        never = sorted(a for part in parts for a in part)
        assert len(IMPLEMENTED) - len(never) >= 0.8 * len(IMPLEMENTED), never
