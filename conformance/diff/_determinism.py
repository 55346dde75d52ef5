"""Examples that depend on the seed alone, so a recording replays request for request.

Hypothesis (6.13x on) mixes into its draws literal constants it collects from the
*local* modules loaded in the process (this editable package, test modules, the
calling script), and collects them again whenever ``sys.modules`` grows.  The same
seed then draws other examples in a recording and in its replay, which load other
modules (a ``CreateVpc`` CIDR of 172.22.64.0/22 recorded, 172.24.0.0/22 replayed):
requests the cassette lacks.  A differential or recording unit draws with that
pool empty.  It is Hypothesis' internal hook (no setting exists); if it moves, the
run still works, only without this guarantee.
"""

from __future__ import annotations

import contextlib
from typing import Iterator


@contextlib.contextmanager
def seed_only_draws() -> Iterator[None]:
    try:
        from hypothesis.internal.conjecture import providers
        from hypothesis.internal.constants_ast import Constants
    except ImportError:  # pragma: no cover - another Hypothesis layout
        yield
        return
    original = getattr(providers, "_get_local_constants", None)
    cache = getattr(getattr(providers, "CONSTANTS_CACHE", None), "cache", None)
    if original is None or cache is None:  # pragma: no cover
        yield
        return
    providers._get_local_constants = Constants
    cache.clear()  # pools already filtered from the local constants
    try:
        yield
    finally:
        providers._get_local_constants = original
        cache.clear()
