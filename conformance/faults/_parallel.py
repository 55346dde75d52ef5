"""Spreading the self-test over processes, each with its own moto server and proxy.

Faults that share a unit (same action or machine, budget and phases) stay in
one process so that its ``none`` runs are made once; the groups are then
packed onto the workers by estimated cost (a state machine costs far more
than a stateless action).
"""

from __future__ import annotations

import sys
from typing import Any

from ._catalog import FaultCatalog, FaultSpec

STATEFUL_WEIGHT = 25  # a machine example costs about this many stateless examples


def unit_keys(spec: FaultSpec, default_budget: int) -> list[tuple]:
    return [(unit, spec.max_examples or default_budget, spec.phases) for unit in spec.units]


def plan(specs: list[FaultSpec], workers: int, default_budget: int,
         none_runs: tuple[int, int]) -> list[list[FaultSpec]]:
    """At most ``workers`` groups of faults; faults sharing a unit share a group."""
    parent: dict[str, str] = {s.name: s.name for s in specs}

    def root(name: str) -> str:
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    owner: dict[tuple, str] = {}
    for spec in specs:
        for key in unit_keys(spec, default_budget):
            if key in owner:
                parent[root(spec.name)] = root(owner[key])
            else:
                owner[key] = spec.name
    clusters: dict[str, list[FaultSpec]] = {}
    for spec in specs:
        clusters.setdefault(root(spec.name), []).append(spec)
    bins: list[tuple[float, list[FaultSpec]]] = [(0.0, []) for _ in range(max(1, workers))]
    for cluster in sorted(clusters.values(), key=lambda c: -_cost(c, default_budget, none_runs)):
        load, members = min(bins, key=lambda b: b[0])
        bins.remove((load, members))
        bins.append((load + _cost(cluster, default_budget, none_runs), members + cluster))
    order = {s.name: i for i, s in enumerate(specs)}
    return [sorted(m, key=lambda s: order[s.name]) for _, m in bins if m]


def _cost(cluster: list[FaultSpec], default_budget: int, none_runs: tuple[int, int]) -> float:
    """Examples the cluster's runs send, a machine's counted ``STATEFUL_WEIGHT`` times;
    ``none_runs``: (stateless, stateful) none runs per unit."""
    runs: dict[tuple, int] = {}
    for spec in cluster:
        for key in unit_keys(spec, default_budget):
            runs[key] = runs.get(key, none_runs[key[0][0] == "stateful"]) + 1
    return sum(n * key[1] * (STATEFUL_WEIGHT if key[0][0] == "stateful" else 1)
               for key, n in runs.items())


def run_group(options: Any, catalog: FaultCatalog, names: list[str]):
    """A worker process: its own reference target; returns rows and its ``none`` summary."""
    from ._selftest import SelfTest

    with SelfTest(options, catalog, progress=_stderr) as selftest:
        report = selftest.run([catalog.faults[n] for n in names])
    return report.rows, report.none


def merge_none(parts: list[dict[str, Any]]) -> dict[str, Any]:
    by_check: dict[str, int] = {}
    for part in parts:
        for check, count in part["findings_by_check"].items():
            by_check[check] = by_check.get(check, 0) + count
    return {"units": sum(p["units"] for p in parts),
            "findings_by_check": dict(sorted(by_check.items())),
            "noise": [n for p in parts for n in p["noise"]]}


def _stderr(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()
