"""Every module on disk imports from the installed package, with warnings as errors.

Catches a package missing from pyproject's explicit list (the install maps
`conformance/`, `strategies/` and `schemas/` under `ec2_conformance`), checks the
layering (a lower layer never imports a higher one) and that no package reaches
into another's privates (the rule is at ``test_no_private_imports_across_packages``).
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
# `options` and `_suite_status` (stdlib only) sit under everything; `schemas` reads the
# catalog; `_suite_support` and the pytest plugin are front-end glue under `faults`/`cli`.
LAYERS = ["options", "_suite_status", "catalog", "schemas", "outcome", "protocol", "target",
          "world", "strategies", "checks", "machines", "engine", "diff", "suite", "reporting",
          "_suite_support", "pytest_plugin", "faults", "cli"]


def _layer(module: str) -> int | None:
    parts = module.split(".")
    name = parts[1] if len(parts) > 1 else ""
    return LAYERS.index(name) if name in LAYERS else None


def _imports(path: Path, source: str | None = None):
    """(line, imported module, imported names) for each import in ``path`` (or in ``source``
    read as if it were there), relative imports resolved against its installed package;
    ``import a.b`` gives no names."""
    module = _module_of(path)
    package = None
    if module is not None:
        package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text() if source is None else source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, []
        elif isinstance(node, ast.ImportFrom):
            if not node.level:
                target = node.module or ""
            elif package is None:
                continue
            else:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
            yield node.lineno, target, [alias.name for alias in node.names]


@pytest.mark.parametrize("module", list(_modules()))
def test_layers_point_down(module):
    own = _layer(module)
    if own is None:
        return
    for _, target, _ in _imports(Path(importlib.util.find_spec(module).origin)):
        if not target.startswith("ec2_conformance."):
            continue
        other = _layer(target)
        assert other is None or other <= own, f"{module} imports higher layer {target}"


def test_every_module_has_a_layer():
    """A new package or root module is placed in LAYERS, or the layer check would skip it."""
    unplaced = sorted({m for m in _modules() if m != "ec2_conformance" and _layer(m) is None})
    assert not unplaced, f"add to LAYERS in tests/test_meta.py: {unplaced}"


# Private imports.  A private module or name (one underscore: `_stateless`, `_profile`,
# `strategies._internal`) belongs to the package that contains it, sub-packages included:
# `ec2_conformance.engine._stateless` to `ec2_conformance.engine`, a private name of
# `ec2_conformance.cli._run` to `ec2_conformance.cli`, `ec2_conformance._suite_support`
# to the whole of `ec2_conformance`.  Code outside that package imports the package's
# public names instead.  Tests mirror the source tree and may use the privates of the
# package they mirror: `tests/conformance/X/` those of `ec2_conformance.X`,
# `tests/strategies/` and `tests/schemas/` theirs, tests at `tests/` and
# `tests/conformance/` top level those of the root package only.  `benchmarks/` import
# public names only; `tools/` (scripts that write the committed data) may import anything.
PRIVATE_RULE_TREES = ("conformance", "strategies", "schemas", "tests", "benchmarks")


def _is_private(part: str) -> bool:
    return part.startswith("_") and not part.startswith("__")


def _module_of(path: Path) -> str | None:
    """The installed module name of a source file, or None outside the package trees."""
    rel = path.relative_to(ROOT)
    package = TREES.get(rel.parts[0])
    if package is None:
        return None
    parts = [p for p in rel.with_suffix("").parts[1:] if p != "__init__"]
    return ".".join([package, *parts])


def _importer_package(path: Path) -> str:
    """The package whose privates ``path`` may import ("" for none)."""
    rel = path.relative_to(ROOT).parts
    module = _module_of(path)
    if module is not None:
        return module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    if rel[0] != "tests":
        return ""
    if rel[1] == "conformance" and len(rel) > 3:
        return f"ec2_conformance.{rel[2]}"
    if rel[1] in ("strategies", "schemas") and len(rel) > 2:
        return f"ec2_conformance.{rel[1]}"
    return "ec2_conformance" if rel[1].endswith(".py") or rel[1] == "conformance" else ""


def _private_imports(path: Path, source: str | None = None):
    """(line, imported module, owner package) for each import of a private module or name."""
    for line, target, names in _imports(path, source):
        yield from _owned(line, target, names)


def _owned(line: int, target: str, names: list[str]):
    if not (target == "ec2_conformance" or target.startswith("ec2_conformance.")):
        return
    parts = target.split(".")
    for index, part in enumerate(parts):
        if _is_private(part):
            yield line, target, ".".join(parts[:index])
            return
    if any(_is_private(name) for name in names):
        # a private name (or sub-module) of a package belongs to it; of a module, to its package
        is_package = importlib.util.find_spec(target).submodule_search_locations is not None
        yield line, target, target if is_package else target.rsplit(".", 1)[0]


def _violations():
    for tree in PRIVATE_RULE_TREES:
        for path in sorted((ROOT / tree).rglob("*.py")):
            importer = _importer_package(path)
            for line, target, owner in _private_imports(path):
                if importer == owner or importer.startswith(owner + "."):
                    continue
                yield path.relative_to(ROOT).as_posix(), line, target, owner


def test_no_private_imports_across_packages():
    found = list(_violations())
    assert not found, "import the owner's public names instead:\n" + "\n".join(
        f"{path}:{line}: {target} (private to {owner})" for path, line, target, owner in found)


@pytest.mark.parametrize("source, importer, allowed", [
    ("from ec2_conformance.engine._stateless import run_stateless_action",
     "conformance/faults/_units.py", False),
    ("from ..engine._stateless import PHASES", "conformance/faults/_units.py", False),
    ("from ._stateless import PHASES", "conformance/engine/_session.py", True),
    ("from ec2_conformance.machines import _rules", "conformance/reporting/_facets.py", False),
    ("from ec2_conformance.cli._run import _pytest_argv", "tests/conformance/test_options.py",
     False),
    ("from ec2_conformance.cli._run import pytest_argv", "tests/conformance/cli/test_run.py",
     True),
    ("from ec2_conformance._suite_support import suite_config",
     "conformance/cli/_run.py", True),
    ("from ec2_conformance.strategies._internal.invalid import INVALID_CLASSES",
     "tests/conformance/checks/test_rule_table.py", False),
    ("import ec2_conformance.engine._stateless", "benchmarks/throughput.py", False),
])
def test_the_private_import_rule(source, importer, allowed):
    """The rule itself, on ``source`` read as if it were in the file ``importer``."""
    path = ROOT / importer
    owners = [owner for _, _, owner in _private_imports(path, source)]
    assert owners, source
    package = _importer_package(path)
    assert all(package == o or package.startswith(o + ".") for o in owners) is allowed
