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


@pytest.mark.parametrize("action", sorted(CATALOG.actions))
def test_every_action_is_exercised(action, shared_world):
    client, world = shared_world
    # Wire faults and DryRun are the same for every action: test_stateless.py
    # covers them on representative actions, the success table below on all of them.
    result = run_stateless_action(client, CATALOG, action, world, max_examples=2, seed=1,
                                  profile=MOTO, shrink=False, phases=("valid", "invalid"))
    if MOTO.implements(action):
        assert not result.not_implemented, action
        assert result.valid_examples and result.invalid_examples, action
    else:
        assert result.not_implemented and len(result.findings) == 1, action


def test_success_table_meets_the_bar(shared_world):
    client, world = shared_world
    implemented = [a for a in CATALOG.actions if MOTO.implements(a)]
    succeeded = [a for a in implemented
                 if run_stateless_action(client, CATALOG, a, world, max_examples=5, seed=7,
                                         profile=MOTO, shrink=False).successes]
    assert len(succeeded) >= 0.8 * len(implemented), sorted(set(implemented) - set(succeeded))
