"""One finding per cause on one exchange: drop what follows from a cause already found.

An HTML 500 is an ``xml-content`` finding; that the same answer "carries no
error code" is its consequence, not a second cause.  Which findings follow
from which is data (``consequences.json``); this module only applies it.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from ..outcome import Finding


@lru_cache(maxsize=1)
def load_consequences() -> tuple[dict[str, Any], ...]:
    data = json.loads(resources.files(__package__).joinpath("consequences.json")
                      .read_text("utf-8"))
    rules = tuple(data["rules"])
    for rule in rules:
        for item in [*rule["causes"], *rule["consequences"]]:
            if not isinstance(item.get("check"), str) or set(item) - {"check", "observed"}:
                raise ValueError(f"consequences.json: bad entry {item!r}")
        if not rule.get("why"):
            raise ValueError("consequences.json: every rule says why")
    return rules


def _matches(finding: Finding, pattern: dict[str, str]) -> bool:
    return finding.check == pattern["check"] and (
        "observed" not in pattern or finding.observed == pattern["observed"])


def drop_consequences(findings: list[Finding]) -> list[Finding]:
    """``findings`` of one exchange without those a failing cause among them explains."""
    failing = [f for f in findings if f.severity.fails]
    dropped: set[int] = set()
    for rule in load_consequences():
        if not any(_matches(f, cause) for f in failing for cause in rule["causes"]):
            continue
        for i, finding in enumerate(findings):
            causes_itself = any(_matches(finding, cause) for cause in rule["causes"])
            if not causes_itself and any(_matches(finding, c) for c in rule["consequences"]):
                dropped.add(i)
    return [f for i, f in enumerate(findings) if i not in dropped]
