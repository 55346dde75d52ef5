"""The strategy registry and argument checks (Hypothesis's API style).

Every public strategy factory is registered with ``@defines_strategy`` so tests
(and users) can enumerate them; bad arguments raise ``InvalidArgument``.
"""

from __future__ import annotations

import functools
import inspect
from typing import Any, Callable

from hypothesis.errors import InvalidArgument

_all_strategies: dict[str, Callable[..., Any]] = {}


def defines_strategy(fn: Callable[..., Any]) -> Callable[..., Any]:
    if fn.__name__ in _all_strategies:
        raise RuntimeError(f"strategy {fn.__name__} is defined twice")
    for name, param in inspect.signature(fn).parameters.items():
        if param.default is not inspect.Parameter.empty and param.kind is not param.KEYWORD_ONLY:
            raise RuntimeError(f"{fn.__name__}: defaulted argument {name} must be keyword-only")

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs)

    _all_strategies[fn.__name__] = wrapper
    return wrapper


@functools.lru_cache(maxsize=None)
def text_of(alphabet: str, min_size: int, max_size: int) -> Any:
    """``st.text`` over a fixed alphabet, built once: building one costs milliseconds,
    more than the draw, and the mutations draw one per example."""
    from hypothesis import strategies as st

    return st.text(alphabet, min_size=min_size, max_size=max_size)


def all_strategies() -> dict[str, Callable[..., Any]]:
    """Every registered strategy factory by name."""
    return dict(_all_strategies)


def check_type(expected: type | tuple[type, ...], value: Any, name: str) -> None:
    if not isinstance(value, expected) or isinstance(value, bool) and expected is int:
        names = getattr(expected, "__name__", None) or " or ".join(t.__name__ for t in expected)
        raise InvalidArgument(f"{name}={value!r} must be of type {names}")


def check_range(value: int, name: str, low: int, high: int) -> None:
    check_type(int, value, name)
    if not low <= value <= high:
        raise InvalidArgument(f"{name}={value} must be between {low} and {high}")


def resolve_action(action: Any, catalog: Any) -> Any:
    """An ``Action`` from a name or an ``Action``; ``InvalidArgument`` when unknown."""
    from ec2_conformance.catalog import Action, load_catalog

    if isinstance(action, Action):
        return action
    check_type(str, action, "action")
    catalog = catalog if catalog is not None else load_catalog()
    if action not in catalog.actions:
        raise InvalidArgument(f"action={action!r} is not an action of EC2 "
                              f"{catalog.api_version}")
    return catalog.actions[action]


def check_world(world: Any) -> None:
    from ec2_conformance.world import World

    if not isinstance(world, World):
        raise InvalidArgument(f"world={world!r} must be a World (World.build or "
                              "World.from_snapshot)")
