"""The fault catalog: ``catalog.json`` read into ``FaultSpec``s, checked on load.

A ``FaultSpec`` is one named departure from the spec the self-test injects: the
proxy edits that make it (``Fault``s), the reference guards it switches off,
the suite units that can see it, and the checks or invariants that should.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from ._proxy import Fault, FaultError

CATEGORIES = ("none", "response-shape", "namespace", "http", "error-envelope", "protocol",
              "state")
PHASES = ("valid", "invalid", "wire", "dry-run")
_SPEC_FIELDS = {"name", "category", "description", "spec_ref", "caught_by", "actions",
                "machines", "phases", "max_examples", "disables", "proxy", "gap", "probe",
                "warned"}


@dataclass(frozen=True)
class FaultSpec:
    name: str
    category: str
    description: str
    spec_ref: str
    caught_by: tuple[str, ...]
    actions: tuple[str, ...] = ()
    machines: tuple[str, ...] = ()
    phases: tuple[str, ...] | None = None  # None: every stateless phase
    max_examples: int | None = None  # None: the run's --max-examples
    disables: tuple[str, ...] = ()
    faults: tuple[Fault, ...] = ()
    gap: str = ""  # why the suite cannot see it (accepted, explained in the table)
    probe: tuple[dict[str, Any], ...] = ()  # requests that show the change (see _probe)
    # The spec does not state the rule the fault breaks (the rule table classifies it
    # implied): a warning the none run lacks is its detection, and says why.
    warned: str = ""

    @property
    def units(self) -> list[tuple[str, str]]:
        return [("stateless", a) for a in self.actions] + [("stateful", m) for m in self.machines]

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "category": self.category, "description": self.description,
                "spec_ref": self.spec_ref, "caught_by": list(self.caught_by),
                "actions": list(self.actions), "machines": list(self.machines),
                "phases": list(self.phases) if self.phases else None,
                "max_examples": self.max_examples, "disables": list(self.disables),
                "gap": self.gap, "warned": self.warned}


@dataclass(frozen=True)
class FaultCatalog:
    api_version: str
    reference: tuple[Fault, ...]
    faults: dict[str, FaultSpec] = field(default_factory=dict)

    def select(self, names: list[str] | None) -> list[FaultSpec]:
        """The named faults (all but ``none`` when ``names`` is empty); unknown names raise."""
        if not names:
            return [f for f in self.faults.values() if f.category != "none"]
        unknown = [n for n in names if n not in self.faults]
        if unknown:
            raise FaultError(f"unknown fault {unknown[0]!r}; see `ec2-conformance selftest "
                             f"--list` for the {len(self.faults)} faults")
        return [self.faults[n] for n in dict.fromkeys(names) if n != "none"]

    def target_faults(self, spec: FaultSpec | None) -> list[Fault]:
        """What the proxy applies for ``spec``: the reference guards it keeps, then its edits."""
        if spec is None:
            return list(self.reference)
        return [f for f in self.reference if f.name not in spec.disables] + list(spec.faults)


@functools.lru_cache(maxsize=None)
def load_fault_catalog() -> FaultCatalog:
    text = resources.files(__package__).joinpath("catalog.json").read_text("utf-8")
    return parse_fault_catalog(json.loads(text))


def parse_fault_catalog(data: dict[str, Any]) -> FaultCatalog:
    """Build and validate a catalog; every problem is one ``FaultError`` line."""
    reference = tuple(Fault.from_json({k: v for k, v in entry.items() if k != "why"})
                      for entry in data.get("reference", ()))
    guards = {f.name for f in reference}
    faults: dict[str, FaultSpec] = {}
    for entry in data.get("faults", ()):
        spec = _spec(entry, guards)
        if spec.name in faults:
            raise FaultError(f"fault {spec.name!r} is listed twice")
        faults[spec.name] = spec
    if "none" not in faults:
        raise FaultError("the catalog needs the 'none' fault (forwards unchanged)")
    return FaultCatalog(data.get("api_version", "2014-10-01"), reference, faults)


def _spec(entry: dict[str, Any], guards: set[str]) -> FaultSpec:
    name = entry.get("name")
    if not isinstance(name, str) or not name:
        raise FaultError(f"a fault without a name: {str(entry)[:80]}")
    unknown = set(entry) - _SPEC_FIELDS
    if unknown:
        raise FaultError(f"fault {name!r}: unknown fields {sorted(unknown)}")
    for required in ("category", "description", "spec_ref", "caught_by"):
        if required not in entry:
            raise FaultError(f"fault {name!r}: missing {required!r}")
    if entry["category"] not in CATEGORIES:
        raise FaultError(f"fault {name!r}: category {entry['category']!r} is not one of "
                         + ", ".join(CATEGORIES))
    bad_phases = set(entry.get("phases") or ()) - set(PHASES)
    if bad_phases:
        raise FaultError(f"fault {name!r}: unknown phases {sorted(bad_phases)}")
    bad_guards = set(entry.get("disables", ())) - guards
    if bad_guards:
        raise FaultError(f"fault {name!r}: disables unknown reference guards {sorted(bad_guards)}")
    edits = tuple(Fault.from_json({"name": f"{name}#{i}", **edit})
                  for i, edit in enumerate(entry.get("proxy", ()), 1))
    spec = FaultSpec(name=name, category=entry["category"], description=entry["description"],
                     spec_ref=entry["spec_ref"], caught_by=tuple(entry["caught_by"]),
                     actions=tuple(entry.get("actions", ())),
                     machines=tuple(entry.get("machines", ())),
                     phases=tuple(entry["phases"]) if entry.get("phases") else None,
                     max_examples=entry.get("max_examples"),
                     disables=tuple(entry.get("disables", ())), faults=edits,
                     gap=entry.get("gap", ""), probe=tuple(entry.get("probe", ())),
                     warned=entry.get("warned", ""))
    if spec.category != "none" and not (spec.faults or spec.disables):
        raise FaultError(f"fault {name!r} changes nothing (no proxy edits, no guard disabled)")
    if spec.category != "none" and not spec.units:
        raise FaultError(f"fault {name!r} names no actions or machines to run against")
    if not spec.probe:
        raise FaultError(f"fault {name!r} has no probe (the requests that show its change)")
    return spec
