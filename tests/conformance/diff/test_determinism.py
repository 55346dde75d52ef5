"""A seed draws the same examples whatever local modules the process has loaded (what a
cassette's replay needs); without the guard, Hypothesis' pool of local constants changes
the draws once a module with constants is imported."""

import importlib
import sys

from hypothesis import given, seed, settings, strategies as st

from ec2_conformance.diff._determinism import seed_only_draws


def draws() -> list[int]:
    seen: list[int] = []

    @seed(7)
    @settings(max_examples=60, database=None, deadline=None)
    @given(st.integers(0, 2 ** 40))
    def collect(value: int) -> None:
        seen.append(value)

    collect()
    return seen


def test_draws_do_not_depend_on_the_modules_loaded(tmp_path, monkeypatch):
    with seed_only_draws():
        before = draws()
    constants = ", ".join(str(1_000_003 * i + 17) for i in range(300))
    (tmp_path / "many_constants_17.py").write_text(f"VALUES = ({constants})\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        importlib.import_module("many_constants_17")
        unguarded = draws()
        with seed_only_draws():
            after = draws()
    finally:
        sys.modules.pop("many_constants_17", None)
    assert after == before
    assert unguarded != before  # the guard is what keeps them equal
