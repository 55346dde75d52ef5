"""Target profiles: what is expected of a target, and what it implements at all.

A profile is committed data (``<name>.json`` beside this module):

* ``not_implemented``: actions the target does not implement, each with the
  evidence it was measured from.  The stateless engine turns such an action's
  "not implemented" answers into one ``not-implemented`` finding instead of
  hundreds of failures.
* ``code_equivalents``: later-API codes the profile accepts in place of a spec
  code (``InvalidVpcRange`` -> ``InvalidVpc.Range``).  The strict default
  profile, ``aws-2014-10-01``, has none: it judges by the spec alone.

Reports name the profile that judged.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Iterable

DEFAULT_PROFILE = "aws-2014-10-01"
_PACKAGE = "ec2_conformance.catalog.profiles"

__all__ = ["DEFAULT_PROFILE", "Profile", "UnknownProfile", "available_profiles", "load_profile"]


class UnknownProfile(ValueError):
    pass


@dataclass(frozen=True)
class Profile:
    name: str
    description: str = ""
    api_version: str = "2014-10-01"
    not_implemented: dict[str, dict[str, Any]] = field(default_factory=dict)
    code_equivalents: dict[str, tuple[str, ...]] = field(default_factory=dict)
    measured: dict[str, Any] = field(default_factory=dict)

    def implements(self, action: str) -> bool:
        return action not in self.not_implemented

    def widen(self, codes: Iterable[str]) -> frozenset[str]:
        """``codes`` plus every equivalent this profile accepts for them."""
        out = set(codes)
        for code in list(out):
            out.update(self.code_equivalents.get(code, ()))
        return frozenset(out)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "description": self.description,
                "api_version": self.api_version, "not_implemented": self.not_implemented,
                "code_equivalents": {k: list(v) for k, v in self.code_equivalents.items()},
                "measured": self.measured}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Profile":
        if not isinstance(data, dict) or not isinstance(data.get("name"), str):
            raise UnknownProfile("a profile is a JSON object with a 'name'")
        equivalents = data.get("code_equivalents", {})
        return cls(name=data["name"], description=data.get("description", ""),
                   api_version=data.get("api_version", "2014-10-01"),
                   not_implemented=dict(data.get("not_implemented", {})),
                   code_equivalents={k: tuple(v["codes"] if isinstance(v, dict) else v)
                                     for k, v in equivalents.items()},
                   measured=dict(data.get("measured", {})))


def available_profiles() -> list[str]:
    return sorted(p.name[:-5] for p in resources.files(_PACKAGE).iterdir()
                  if p.name.endswith(".json"))


@functools.lru_cache(maxsize=None)
def load_profile(name: str = DEFAULT_PROFILE) -> Profile:
    """A committed profile by name, or a profile file by path (``./mine.json``)."""
    if name.endswith(".json"):
        try:
            with open(name, encoding="utf-8") as handle:
                return Profile.from_json(json.load(handle))
        except (OSError, ValueError) as exc:
            raise UnknownProfile(f"cannot read profile {name}: {exc}") from None
    if name not in available_profiles():
        raise UnknownProfile(f"unknown profile {name!r}; choose from "
                             + ", ".join(available_profiles()))
    text = resources.files(_PACKAGE).joinpath(f"{name}.json").read_text("utf-8")
    return Profile.from_json(json.loads(text))
