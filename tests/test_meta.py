"""Every module on disk imports from the installed package, with warnings as errors.

Catches a package missing from pyproject's explicit list (the install maps
`conformance/`, `strategies/` and `schemas/` under `ec2_conformance`), and
checks the layering: a lower layer never imports a higher one.
"""

import ast
import importlib
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TREES = {"conformance": "ec2_conformance", "strategies": "ec2_conformance.strategies",
         "schemas": "ec2_conformance.schemas"}


def _modules():
    for folder, package in TREES.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            rel = path.relative_to(ROOT / folder).with_suffix("")
            parts = [p for p in rel.parts if p != "__init__"]
            if parts and parts[-1] == "__main__":
                continue
            yield ".".join([package, *parts])


@pytest.mark.parametrize("module", list(_modules()))
def test_imports_cleanly(module):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        importlib.import_module(module)


# Layer order, lowest first: a module may import only its own layer or lower ones.
LAYERS = ["catalog", "outcome", "protocol", "target", "world", "strategies", "checks",
          "machines", "engine", "diff", "suite", "reporting", "faults", "cli"]


def _layer(module: str) -> int | None:
    parts = module.split(".")
    name = parts[1] if len(parts) > 1 else ""
    return LAYERS.index(name) if name in LAYERS else None


@pytest.mark.parametrize("module", list(_modules()))
def test_layers_point_down(module):
    spec = importlib.util.find_spec(module)
    tree = ast.parse(Path(spec.origin).read_text())
    own = _layer(module)
    if own is None:
        return
    package = module if spec.origin.endswith("__init__.py") else module.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            target = f"{base}.{node.module}" if node.module else base
        elif isinstance(node, ast.ImportFrom) and node.module:
            target = node.module
        else:
            continue
        if not target.startswith("ec2_conformance."):
            continue
        other = _layer(target)
        assert other is None or other <= own, f"{module} imports higher layer {target}"
