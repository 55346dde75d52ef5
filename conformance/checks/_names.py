"""Finding names made outside the check registry, registered as data (``findings.json``).

Each says what it reports, where it is made, and either the rule-table rule it
rests on (the report quotes that rule's passage) or, for a name that is not a
judgment of the target against the spec, what it rests on instead.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources

from ._rules import load_rule_table


@dataclass(frozen=True)
class FindingName:
    name: str
    description: str
    emitted_by: str
    rule: str | None  # a key of the rule table, or None: not a spec judgment
    basis: str | None  # what a name without a rule rests on

    def spec_ref(self, api_version: str) -> str:
        """The rule's passage for ``api_version``, or the basis of a name without a rule."""
        if self.rule is None:
            return self.basis or ""
        rule = load_rule_table(api_version).get(self.rule)
        return rule.quote() if rule else self.rule


@functools.lru_cache(maxsize=None)
def finding_names() -> dict[str, FindingName]:
    """Every finding name made outside ``@check``, the invariants and the machines' rules."""
    data = json.loads(resources.files(__package__).joinpath("findings.json").read_text("utf-8"))
    out = {}
    for name, entry in data["findings"].items():
        if ("rule" in entry) == ("basis" in entry):
            raise ValueError(f"findings.json: {name} needs a rule or a basis (one of them)")
        out[name] = FindingName(name, entry["description"], entry["emitted_by"],
                                entry.get("rule"), entry.get("basis"))
    return out
