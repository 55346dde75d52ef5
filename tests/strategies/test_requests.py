import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from ec2_conformance import strategies as ec2st
from ec2_conformance.catalog import load_catalog
from ec2_conformance.strategies._internal.requests import recipes

CATALOG = load_catalog()
FAST = settings(max_examples=5, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))


@pytest.mark.parametrize("action", sorted(CATALOG.actions))
def test_valid_requests_carry_action_version_and_required_params(action, world):
    recipe = recipes().get(action, {})

    @FAST
    @given(ec2st.valid_requests(action, world=world))
    def check(case):
        assert case.pairs[:2] == (("Action", action), ("Version", "2014-10-01"))
        assert case.expectation.outcome == "success"
        sent = case.params_sent
        if not recipe.get("only"):
            for param in CATALOG[action].required_params:
                assert param.name in sent, param.name
        assert "DryRun" not in sent  # only the dry-run strategy sets it
        for key in case.fresh:
            assert any(k == key for k, _ in case.pairs)
    check()


def test_unknown_actions_and_worlds_are_rejected(world):
    with pytest.raises(InvalidArgument):
        ec2st.valid_requests("NoSuchAction", world=world)
    with pytest.raises(InvalidArgument):
        ec2st.valid_requests("CreateVpc", world=None)


@FAST
@given(st.data())
def test_deferred_values_are_filled_at_send_time(world, data):
    class Maker:
        n = 0

        def unique(self):
            Maker.n += 1
            return f"name-{Maker.n}"

    case = data.draw(ec2st.valid_requests("CreateKeyPair", world=world))
    first, _ = case.materialize(Maker())
    second, _ = case.materialize(Maker())
    assert dict(first)["KeyName"] != dict(second)["KeyName"]  # a replay never reuses a name


def test_fixed_seed_gives_the_same_examples(world):
    from hypothesis import seed

    def collect():
        seen = []

        @seed(1234)
        @FAST
        @given(ec2st.valid_requests("DescribeInstances", world=world))
        def run(case):
            seen.append(case.pairs)
        run()
        return seen
    assert collect() == collect()


def test_a_valid_request_with_a_free_filter_value_says_so_in_its_label(world):
    """A drawn filter value may not be one the filter takes: such a request's label is
    valid-filter (rule table: implied), every other valid request's is the plain success."""
    from hypothesis import find

    filtered = find(ec2st.valid_requests("DescribeVpcs", world=world),
                    lambda c: any(k.startswith("Filter.") for k, _ in c.pairs))
    assert filtered.expectation.outcome == "success"
    assert filtered.expectation.rule == "valid-filter"
    plain = find(ec2st.valid_requests("DescribeVpcs", world=world),
                 lambda c: not any(k.startswith("Filter.") for k, _ in c.pairs))
    assert plain.expectation.rule == ""
