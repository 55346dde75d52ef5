"""The report's list of checks: every name a finding can carry, with what it verifies and
the spec passage it rests on (the invariants have a list of their own, with counts).

Three registries feed it: the checks (``@check``), the finding names made elsewhere
(``checks/findings.json``) and the machines' broken rules (``rules-<version>.json``).
"""

from __future__ import annotations

from typing import Any

from ..checks import all_checks, finding_names
from ..machines import load_broken_rules


def list_of_checks(api_version: str) -> list[dict[str, Any]]:
    rows = [{**c.to_json(), "kind": "check"} for c in all_checks()]
    rows += [{"name": n.name, "description": n.description, "spec_ref": n.spec_ref(api_version),
              "kind": "finding"} for n in finding_names().values()]
    rows += [{"name": r.name, "description": r.description,
              "spec_ref": f'{r.spec_ref}: "{r.quote}"', "kind": "machine rule"}
             for r in load_broken_rules(api_version).values()]
    return rows
