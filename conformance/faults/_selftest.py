"""The self-test: run the suite against each fault and measure what it detects.

One embedded moto server sits behind one ``FaultProxy`` that always applies the
catalog's reference guards (the reference target).  For every unit (a
stateless action or a state machine) a fault names, the runner resets moto,
builds the world on the reference target, switches the fault on and runs the
unit with a fixed seed and a small budget.  The same units run under ``none``
(the reference target itself): a stateless unit twice, and what differs
between those two runs is noise, never attributed; a machine once.  A machine
checks only the invariants the catalog's faults name for it, minus those its
``none`` run saw fail (they cannot show a fault, and each failure costs a
shrink and a rerun).  ``run_selftest`` returns a ``SelftestReport``; ``_table``
renders it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable

from ..catalog import load_catalog
from ..engine import ActionResult
from . import _parallel
from ._attribution import Detection, attribute, result_keys
from ._catalog import FaultCatalog, FaultSpec, load_fault_catalog
from ._proxy import Fault, FaultProxy
from ._units import fresh_world, run_stateful, run_stateless

DEFAULT_SEED = 20141001
NONE_RUNS = 2  # a stateless unit on the reference target twice: what differs is noise
# A machine's scenarios twice, like a stateless unit; its exploration once: that none
# run costs a minute, and under a fault exploration diverges from any none run anyway
# (the target's answers steer it), which is why exploration is only the second stage.
NONE_RUNS_STATEFUL = {"scenarios": 2, "explore": 1}


@dataclass
class SelftestOptions:
    faults: list[str] | None = None  # None or empty: every fault of the catalog
    max_examples: int = 5
    seed: int = DEFAULT_SEED
    stateful_steps: int = 25
    read_timeout: float = 3.0  # for the units; the slow-reply fault waits longer than this
    profile: str = "aws-2014-10-01"
    workers: int = 1  # processes, each with its own moto server and proxy


@dataclass
class FaultRow:
    """One line of the detection table."""

    name: str
    category: str
    description: str
    caught_by: list[str]
    detected: bool
    by: list[str] = field(default_factory=list)
    examples: int | None = None  # exchanges judged up to the first attributable finding
    examples_exact: bool = True  # False: the finding's first sighting is unknown (an
    # invariant, or a machine's own rule judgement); ``examples`` is then the run's total
    applied: int = 0  # requests the fault changed (or a guard it disables would have caught)
    note: str = ""
    attributable: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def as_expected(self) -> bool:
        return bool(set(self.by) & set(self.caught_by))

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "category": self.category, "description": self.description,
                "caught_by": self.caught_by, "detected": self.detected, "by": self.by,
                "as_expected": self.as_expected, "examples": self.examples,
                "examples_exact": self.examples_exact,
                "applied": self.applied, "note": self.note,
                "attributable": self.attributable, "seconds": round(self.seconds, 2)}


@dataclass
class SelftestReport:
    options: dict[str, Any]
    rows: list[FaultRow]
    none: dict[str, Any]  # what the suite reports for the reference target itself
    seconds: float = 0.0

    @property
    def detected(self) -> int:
        return sum(1 for r in self.rows if r.detected)

    @property
    def rate(self) -> float:
        return self.detected / len(self.rows) if self.rows else 1.0

    def to_json(self) -> dict[str, Any]:
        return {"options": self.options, "faults": len(self.rows), "detected": self.detected,
                "rate": round(self.rate, 4), "seconds": round(self.seconds, 1),
                "none": self.none, "rows": [r.to_json() for r in self.rows]}


class SelfTest:
    """The reference target (moto + proxy) and the runs against it."""

    def __init__(self, options: SelftestOptions, catalog: FaultCatalog | None = None, *,
                 progress: Callable[[str], None] | None = None):
        self.options = options
        self.faults = catalog or load_fault_catalog()
        self.ec2 = load_catalog(self.faults.api_version)
        self.progress = progress or (lambda line: None)
        self._none: dict[tuple, list[ActionResult]] = {}
        self._set_aside: dict[tuple, set[str]] = {}
        self._specs: list[FaultSpec] = []  # the faults of this run (their invariants are checked)
        self._target = self._proxy = self._client = self._world_client = self._offer = None

    # -- lifecycle --------------------------------------------------------------
    def __enter__(self) -> "SelfTest":
        from ..protocol import Client
        from ..target import EmbeddedTarget
        from ..world import World

        self._target = EmbeddedTarget().start()
        try:
            self._proxy = FaultProxy(self._target.endpoint, self.faults.reference).start()
            self._client = Client(self._proxy.endpoint, api_version=self.faults.api_version,
                                  read_timeout=self.options.read_timeout, max_retries=1)
            # The world is built before a fault is on, with moto's own pace (DescribeImages
            # takes seconds): its client waits longer than the units' client.
            self._world_client = Client(self._proxy.endpoint, api_version=self.faults.api_version,
                                        read_timeout=60)
            offer = World.build(self._world_client, self.ec2, run_id="selftest", kinds=[])
            self._offer = offer.to_json()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        for client in (self._client, self._world_client):
            if client is not None:
                client.close()
        if self._proxy is not None:
            self._proxy.stop()
        if self._target is not None:
            self._target.stop()

    # -- the runs ---------------------------------------------------------------
    def run(self, specs: list[FaultSpec]) -> SelftestReport:
        started = time.monotonic()
        self._specs = list(specs)
        rows = [self.measure(spec) for spec in specs]
        return SelftestReport(self._options_json(), rows, self._none_summary(),
                              time.monotonic() - started)

    def measure(self, spec: FaultSpec) -> FaultRow:
        """The stateless units and the machines' spec scenarios first; a machine explores
        only when they miss the fault, so what the table says is mostly deterministic."""
        started = time.monotonic()
        first = [(kind, name, "scenarios" if kind == "stateful" else "")
                 for kind, name in spec.units]
        detection, spent, applied = self._measure_stage(spec, first)
        explored = not detection.detected and bool(spec.machines)
        if explored:
            detection, explore_spent, more = self._measure_stage(
                spec, [("stateful", m, "explore") for m in spec.machines])
            applied += more
            examples, exact = detection.examples(explore_spent)
            examples = None if examples is None else examples + spent
        else:
            examples, exact = detection.examples(spent)
        detected, by = detection.detected, detection.by
        if not detected and spec.warned and detection.warnings:
            detected, by = True, sorted({w.check for w in detection.warnings.values()})
        row = FaultRow(spec.name, spec.category, spec.description, list(spec.caught_by),
                       detected, by, examples, exact, applied,
                       attributable=[s.to_json() for s in detection.attributable.values()][:10],
                       seconds=time.monotonic() - started)
        row.note = _note(spec, row, detection, explored)
        self.progress(f"{spec.name}: {'detected' if row.detected else 'NOT detected'}"
                      + (f" by {', '.join(row.by)}" if row.by else "")
                      + f" ({row.seconds:.1f}s)")
        return row

    def _measure_stage(self, spec: FaultSpec, units: list[tuple[str, str, str]]
                       ) -> tuple[Detection, int, int]:
        """Detection over ``units``, the examples they sent, and the requests changed."""
        baseline, baseline_warnings, runs, applied = set(), set(), [], 0
        for unit in units:
            for none_result in self._none_runs(spec, unit):
                baseline |= set(result_keys(none_result))
                baseline_warnings |= set(_warnings(none_result))
            result, first_seen, count = self._run_unit(spec, unit)
            runs.append((result, first_seen))
            applied += count
        return (attribute(runs, baseline, baseline_warnings),
                sum(r.examples for r, _ in runs), applied)

    def _none_runs(self, spec: FaultSpec, unit: tuple[str, str, str]) -> list[ActionResult]:
        key = self._unit_key(spec, unit)
        if key not in self._none:
            first = self._run_unit(spec, unit, none=True)[0]
            # Invariants the reference target fails cannot show a fault: set them aside
            # for the later runs of this unit (which also spares their reruns).
            self._set_aside[key] = {n for n, c in first.invariants.items() if c.get("failed")}
            runs = NONE_RUNS_STATEFUL[unit[2]] if unit[0] == "stateful" else NONE_RUNS
            rest = [self._run_unit(spec, unit, none=True)[0] for _ in range(runs - 1)]
            self._none[key] = [first, *rest]
        return self._none[key]

    def _focus(self, machine: str) -> set[str]:
        """The invariants the catalog's faults on ``machine`` name: the ones a run checks."""
        from ..machines import INVARIANTS

        specs = self._specs or list(self.faults.faults.values())
        return {name for spec in specs if machine in spec.machines
                for name in spec.caught_by if name in INVARIANTS}

    def _unit_key(self, spec: FaultSpec, unit: tuple[str, str, str]) -> tuple:
        return (unit, self._budget(spec), spec.phases)

    def _run_unit(self, spec: FaultSpec, unit: tuple[str, str, str], *,
                  none: bool = False) -> tuple[ActionResult, dict[str, int], int]:
        """Reset moto, build the world on the reference target, then run with the fault on."""
        self._target.reset()
        self._proxy.set_faults(self.faults.target_faults(None))
        kind, name, stage = unit
        world = fresh_world(self._offer, self._world_client, self._client) \
            if kind == "stateless" else None  # a machine makes its own resources
        shadows = [] if none else _shadows(self.faults, spec)
        self._proxy.set_faults(self.faults.target_faults(None if none else spec) + shadows)
        o = self.options
        if kind == "stateless":
            result, first_seen = run_stateless(
                self._client, self.ec2, name, world, max_examples=self._budget(spec),
                seed=o.seed, profile=o.profile, phases=spec.phases)
        else:
            set_aside = self._set_aside.get(self._unit_key(spec, unit), set())
            result, first_seen = run_stateful(
                self._client, self.ec2, name, stage=stage, max_examples=self._budget(spec),
                steps=o.stateful_steps, seed=o.seed, profile=o.profile,
                invariants=sorted(self._focus(name) - set_aside))
        counted = [f.name for f in spec.faults] + [f.name for f in shadows]
        applied = 0 if none else sum(self._proxy.applied.get(n, 0) for n in counted)
        return result, first_seen, applied

    def _budget(self, spec: FaultSpec) -> int:
        return spec.max_examples or self.options.max_examples

    # -- report parts -----------------------------------------------------------
    def _options_json(self) -> dict[str, Any]:
        return _options_json(self.options, self.faults)

    def _none_summary(self) -> dict[str, Any]:
        """What the suite reports for the reference target, and the noise between runs."""
        by_check: dict[str, int] = {}
        noise: list[str] = []
        for (unit, *_), results in self._none.items():
            keysets = [result_keys(r) for r in results]
            for key, seen in keysets[0].items():
                by_check[seen.check] = by_check.get(seen.check, 0) + 1
            union = set().union(*keysets)
            noise += sorted(f"{unit[1]}: {k}" for k in union
                            if not all(k in ks for ks in keysets))
        return {"units": len(self._none), "findings_by_check": dict(sorted(by_check.items())),
                "noise": noise}


def _options_json(options: SelftestOptions, catalog: FaultCatalog) -> dict[str, Any]:
    o = options
    return {"max_examples": o.max_examples, "seed": o.seed, "stateful_steps": o.stateful_steps,
            "read_timeout": o.read_timeout, "profile": o.profile,
            "api_version": catalog.api_version, "workers": 1,
            "reference": [f.name for f in catalog.reference]}


def _shadows(catalog: FaultCatalog, spec: FaultSpec) -> list[Fault]:
    """No-op faults matching what the disabled guards would have caught: they count it."""
    return [Fault(f"shadow:{guard.name}", action=guard.action, params=guard.params,
                  when=guard.when) for guard in catalog.reference if guard.name in spec.disables]


def _warnings(result: ActionResult):
    from ..outcome import Severity

    return result_keys(result, counted=(Severity.WARNING,))


def _note(spec: FaultSpec, row: FaultRow, detection: Detection, explored: bool) -> str:
    if row.detected and not detection.detected:
        return "warned, as the spec does not state it: " + spec.warned
    if row.detected:
        notes = ["" if row.as_expected else "caught, but not by the checks it names",
                 "the spec scenarios missed it; exploration found it" if explored else ""]
        return "; ".join(n for n in notes if n)
    if spec.gap:
        return "known gap: " + spec.gap
    if row.applied == 0 and spec.machines:
        return (f"never applied: in {spec.max_examples or 'the default'} examples the machine "
                "never made a request this fault changes (exploration did not reach the state)")
    if row.applied == 0:
        return "never applied: no request of the run met it"
    if detection.warnings:
        checks = sorted({s.check for s in detection.warnings.values()})
        return "only warnings (" + ", ".join(checks) + "), which do not fail conformance"
    return "the suite reported nothing the none run did not"


def run_selftest(options: SelftestOptions, *, progress: Callable[[str], None] | None = None,
                 catalog: FaultCatalog | None = None) -> SelftestReport:
    """Measure the detection rate of the suite on the selected faults."""
    catalog = catalog or load_fault_catalog()
    specs = catalog.select(options.faults)
    groups = _parallel.plan(specs, options.workers, options.max_examples,
                            (NONE_RUNS, NONE_RUNS_STATEFUL["explore"]))
    if len(groups) <= 1:
        with SelfTest(options, catalog, progress=progress) as selftest:
            return selftest.run(specs)
    import concurrent.futures
    import multiprocessing

    started = time.monotonic()
    context = multiprocessing.get_context("spawn")  # no forked threads or sockets
    with concurrent.futures.ProcessPoolExecutor(len(groups), mp_context=context) as pool:
        parts = list(pool.map(_parallel.run_group, [options] * len(groups),
                              [catalog] * len(groups), [[s.name for s in g] for g in groups]))
    rows = {row.name: row for part_rows, _ in parts for row in part_rows}
    report = SelftestReport({**_options_json(options, catalog), "workers": len(groups)},
                            [rows[s.name] for s in specs],
                            _parallel.merge_none([none for _, none in parts]))
    report.seconds = time.monotonic() - started
    return report
