"""Load the spec-derived overlay: what botocore's model does not say.

The overlay is committed data (``data/overlay-<version>.json``) produced by
``tools/build_overlay.py`` from the spec text; every entry cites the spec section
it rests on.  A version without its own overlay borrows the newest older one, so
2016-11-15 still knows the 2014-10-01 error lists and ID kinds.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

_DATA = "ec2_conformance.catalog.data"


def data_versions(stem: str) -> list[str]:
    """The API versions that have a ``<stem>-<version>.json`` in the catalog's data."""
    names = [p.name for p in resources.files(_DATA).iterdir()]
    return sorted(n[len(stem) + 1:-len(".json")] for n in names
                  if n.startswith(stem + "-") and n.endswith(".json"))


@functools.lru_cache(maxsize=None)
def load_overlay(api_version: str) -> dict[str, Any]:
    """The overlay for ``api_version`` (or the newest older one); ``{}`` if none."""
    candidates = [v for v in data_versions("overlay") if v <= api_version]
    if not candidates:
        return {}
    chosen = candidates[-1]
    text = resources.files(_DATA).joinpath(f"overlay-{chosen}.json").read_text("utf-8")
    data = json.loads(text)
    data.setdefault("api_version", chosen)
    return data


@functools.lru_cache(maxsize=None)
def load_spec_facts(api_version: str = "2014-10-01") -> dict[str, Any]:
    """Facts extracted from the spec text by ``tools/spec_extract.py``; ``{}`` if absent."""
    path = resources.files(_DATA).joinpath(f"spec-{api_version}.json")
    if not path.is_file():
        return {}
    return json.loads(path.read_text("utf-8"))
