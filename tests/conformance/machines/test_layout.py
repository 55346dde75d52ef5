"""machines/ imports point one way: no module imports one that (at any depth, at import
time or inside a function) imports it back; the package root imports all, none imports it."""

from __future__ import annotations

import ast
from pathlib import Path

import ec2_conformance.machines as machines

ROOT = Path(machines.__file__).parent
PACKAGE = "ec2_conformance.machines"


def _name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([PACKAGE, *parts])


def _imports(path: Path) -> set[str]:
    module = _name(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            target = f"{base}.{node.module}" if node.module else base
            names = [f"{target}.{a.name}" for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            target, names = node.module, []
        else:
            continue
        found |= {n for n in [target, *names] if n.startswith(PACKAGE)}
    return found


MODULES = {_name(p): p for p in ROOT.rglob("*.py")}
GRAPH = {name: {t for t in _imports(path) if t in MODULES and t != name}
         for name, path in MODULES.items()}


def test_no_module_imports_the_package_root():
    assert not [m for m, targets in GRAPH.items() if PACKAGE in targets]


def test_the_imports_have_no_cycle():
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        if name in path:
            raise AssertionError("import cycle: " + " -> ".join(path[path.index(name):] + [name]))
        if name in done:
            return
        for target in sorted(GRAPH[name]):
            visit(target, [*path, name])
        done.add(name)

    for name in sorted(GRAPH):
        visit(name, [])
