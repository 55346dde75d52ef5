"""Every label kind that applies to an action is sent at least once, whatever the budget."""

import pytest

from ec2_conformance.catalog import load_catalog
from ec2_conformance.engine._stateless import run_stateless_action
from ec2_conformance.engine._stateless_labels import derive_seed, label_kinds
from ec2_conformance.strategies import WIRE_FAULTS

CATALOG = load_catalog()


@pytest.mark.parametrize("action", ["CreateVpc", "DeleteVpc", "DescribeVolumes", "AttachVolume"])
@pytest.mark.parametrize("seed", [1, None])
def test_every_kind_is_sent_with_the_smallest_budget(action, seed, stateless_client,
                                                     stateless_world):
    result = run_stateless_action(stateless_client, CATALOG, action, stateless_world,
                                  max_examples=1, seed=seed, profile="moto", shrink=False)
    expected = {label for phase in ("invalid", "wire", "dry-run")
                for label in label_kinds(phase, CATALOG[action], stateless_world, CATALOG)}
    assert {"wire:" + fault for fault in WIRE_FAULTS} <= expected
    assert ("dry-run" in expected) == CATALOG[action].dry_run
    assert len([k for k in expected if k.startswith("invalid:")]) >= 3
    unsent = sorted(label for label in expected if not result.labels.get(label))
    assert not unsent, unsent
    assert result.labels.get("valid", 0) >= 1
    # The report's view lists exactly the kinds that apply (and valid).
    assert set(result.labels) == expected | {"valid"}


def test_a_seed_draws_differently_per_action_and_kind():
    seeds = {derive_seed(1, action, part) for action in ("CreateVpc", "DeleteVpc")
             for part in ("valid", "wire:unsigned", "wire:malformed-query")}
    assert len(seeds) == 6
    assert derive_seed(1, "CreateVpc", "valid") == derive_seed(1, "CreateVpc", "valid")


def test_a_larger_budget_draws_beyond_one_of_each(stateless_client, stateless_world):
    result = run_stateless_action(stateless_client, CATALOG, "DescribeVpcs", stateless_world,
                                  max_examples=30, seed=2, profile="moto", shrink=False,
                                  phases=("invalid",))
    kinds = label_kinds("invalid", CATALOG["DescribeVpcs"], stateless_world, CATALOG)
    assert 2 <= len(kinds) < 15 and set(result.labels) == set(kinds)
    assert all(result.labels.values()) and sum(result.labels.values()) >= 14  # half of 30
