"""Run a machine under Hypothesis and collect what it found, without dying at the first.

An invariant failure is shrunk by Hypothesis and saved with its shrunk step
list; the machine then runs again with that invariant set aside, so one
broken rule cannot hide the others.  A failure Hypothesis cannot reproduce on
replay becomes a FLAKY finding, never an escaping ``Flaky`` error.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, Phase, Verbosity, seed as hypothesis_seed, settings
from hypothesis.errors import Flaky
from hypothesis.stateful import run_state_machine_as_test

from ..catalog import Catalog, load_catalog
from ..outcome import Finding, Severity
from ..protocol import Client, EndpointUnreachable, RunStopped
from ._cleanup import sweep
from ._replay import dependency_slice, replay_steps
from ._scenarios import run_scenarios, scenarios_for
from ._session import (Judge, MachineConfig, RecordedFinding, Session, WaitSettings,
                       resolve_profile)
from .explore import MACHINES, EC2Machine
from .invariants import INVARIANTS, InvariantFailed, invariant_finding


@dataclass
class MachineResult:
    """Plain data; the engine wraps it as ``ActionResult(suite="stateful")``."""

    machine: str
    profile: str
    run_id: str
    examples: int = 0
    requests: int = 0
    invariants: dict[str, dict[str, int]] = field(default_factory=dict)  # name -> {run, failed}
    findings: list[RecordedFinding] = field(default_factory=list)
    leftovers: list[dict[str, str]] = field(default_factory=list)  # what teardown left behind
    scenarios: dict[str, str] = field(default_factory=dict)  # name -> how far its walk got
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"machine": self.machine, "profile": self.profile, "run_id": self.run_id,
                "examples": self.examples, "requests": self.requests,
                "invariants": self.invariants, "findings": [f.to_json() for f in self.findings],
                "leftovers": self.leftovers, "scenarios": self.scenarios, "error": self.error}


def run_machine(machine: type[EC2Machine] | str, client: Client, catalog: Catalog | None = None,
                *, max_examples: int = 20, steps: int = 30, seed: int | None = None,
                judge: Judge | None = None, profile: Any = None, run_id: str | None = None,
                waits: WaitSettings | None = None, config: MachineConfig | None = None,
                invariants: list[str] | None = None, max_reruns: int = 3,
                shrink_seconds: float = 30.0, minimize: float = 60.0,
                scenarios: bool = True) -> MachineResult:
    """Walk ``machine``'s spec scenarios, then explore it against ``client``'s target
    (``max_examples=0``: scenarios only); never raises for what it finds.

    ``invariants`` limits the run to those names; ``max_reruns`` bounds how many
    more times the machine runs after an invariant fails (with it set aside);
    ``shrink_seconds`` bounds the time Hypothesis spends shrinking one failure (0: no
    shrinking, for a caller that only needs to see the failure); for up to ``minimize`` seconds (0: never), each violation's steps are
    replayed, cut to what they depend on when that still shows it, and
    ``extra["reproduced"]`` says whether the replay showed the finding again.
    """
    if isinstance(machine, str) and machine not in MACHINES:
        raise ValueError(f"unknown machine {machine!r}; known: {', '.join(sorted(MACHINES))}")
    cls = MACHINES[machine] if isinstance(machine, str) else machine
    catalog = catalog or load_catalog(client.api_version)
    profile = resolve_profile(profile)
    unknown = set(invariants or ()) - set(INVARIANTS)
    if unknown:
        raise ValueError(f"unknown invariant(s): {', '.join(sorted(unknown))}")
    disabled = set(INVARIANTS) - set(invariants) if invariants is not None else set()
    session = Session(client, catalog, profile=profile, judge=judge, run_id=run_id,
                      waits=waits or WaitSettings(), config=config or MachineConfig(),
                      disabled=disabled)
    result = MachineResult(getattr(cls, "machine_name", cls.__name__),
                           getattr(profile, "name", str(profile)), session.run_id)
    try:
        session.prepare()
        if scenarios:
            result.scenarios = run_scenarios(
                cls, session, scenarios_for(result.machine, catalog.api_version),
                lambda failure: _record(session, failure, Severity.VIOLATION))
        for _ in range(max_reruns + 1 if max_examples else 0):
            with shrink_budget(shrink_seconds):
                failed = _explore(cls, session, max_examples, steps, seed,
                                  shrink=shrink_seconds > 0)
            if not failed or set(INVARIANTS) <= session.disabled:
                break
        if minimize:
            _minimize(session, time.monotonic() + minimize)
    except EndpointUnreachable:
        raise
    except RunStopped as stop:  # keep what was found; the engine says why it stopped
        result.error = f"stopped: {stop.reason}"
    except Exception as exc:  # a bug of ours or an unforeseen answer: report, keep the run
        result.error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:300] if str(exc) else ''}"
    finally:
        try:
            sweep(session)
        except EndpointUnreachable:
            pass
    result.examples, result.requests = session.examples, session.requests
    result.invariants = {name: {"run": session.invariant_runs[name],
                                "failed": session.invariant_failures[name]}
                         for name in INVARIANTS if session.invariant_runs[name]
                         or session.invariant_failures[name]}
    result.findings = list(session.findings.values())
    result.leftovers = [{"id": rid, **info} for rid, info in session.leftovers.items()]
    return result


def _explore(cls: type[EC2Machine], session: Session, max_examples: int, steps: int,
             seed: int | None, *, shrink: bool = True) -> bool:
    """One Hypothesis run; True when it ended in a failure (recorded, then set aside)."""
    bound = cls.bind(session)
    if seed is not None:
        bound = hypothesis_seed(seed)(bound)
    options = settings(max_examples=max_examples, stateful_step_count=steps, deadline=None,
                       database=None,
                       suppress_health_check=list(HealthCheck), verbosity=Verbosity.quiet,
                       report_multiple_bugs=False,
                       phases=[Phase.explicit, Phase.reuse, Phase.generate]
                       + [Phase.shrink] * shrink)
    try:
        run_state_machine_as_test(bound, settings=options)
        return False
    except InvariantFailed as failure:
        _record(session, failure, Severity.VIOLATION)
        return True
    except Flaky as flaky:
        inner = [e for e in getattr(flaky, "exceptions", ()) if isinstance(e, InvariantFailed)]
        for failure in inner:
            _record(session, failure, Severity.FLAKY)
        if not inner:
            session.add_finding(Finding(
                "stateful-nondeterministic-target", Severity.FLAKY, None,
                "replaying the same steps led the target to a different state "
                f"({type(flaky).__name__})", "Eventual Consistency"), [])
            return False
        return True


@contextlib.contextmanager
def shrink_budget(seconds: float):
    """Bound Hypothesis's shrink time (its default is five minutes per failure).

    Every shrink attempt replays a whole example against the target, so the
    default is far too long here.  Unavoidable private use: Hypothesis has no
    setting for it; its engine reads ``MAX_SHRINKING_SECONDS`` when shrinking
    starts and documents it as the monkeypatchable knob ("make it monkeypatchable,
    for the rare users who need to keep on shrinking").  It is set only while a
    machine explores (a run explores one machine at a time per process) and put
    back after; ``tests/conformance/machines/test_runner.py`` proves it still cuts
    shrinking short, so a Hypothesis that drops it fails that test, not silently.
    """
    from hypothesis.internal.conjecture import engine

    previous = engine.MAX_SHRINKING_SECONDS
    engine.MAX_SHRINKING_SECONDS = seconds
    try:
        yield
    finally:
        engine.MAX_SHRINKING_SECONDS = previous


def _record(session: Session, failure: InvariantFailed, severity: Severity) -> None:
    violation = failure.violation
    message = violation.message if severity is Severity.VIOLATION else (
        f"{violation.message} (did not happen again when the same steps were replayed)")
    finding = invariant_finding(failure, severity, message)
    session.add_finding(finding, failure.steps)
    session.invariant_failures[failure.name] += 1
    session.disabled.add(failure.name)


def _minimize(session: Session, deadline: float) -> None:
    records = sorted(session.findings.values(), key=lambda r: len(r.steps))
    for record in records:  # shortest first: the most replays for the budget
        if record.finding.severity is not Severity.VIOLATION or not record.steps:
            continue
        if time.monotonic() > deadline:
            break  # "reproduced" stays unset: not replayed
        reproduced = False
        for candidate in _distinct(dependency_slice(record.steps), record.steps):
            found = replay_steps(session.client, candidate, session.catalog,
                                 profile=session.profile, waits=session.waits)
            if any(f.signature == record.finding.signature for f in found):
                record.steps, reproduced = candidate, True
                break
        record.finding.extra["reproduced"] = reproduced


def _distinct(*candidates: list) -> list[list]:
    out: list[list] = []
    for candidate in candidates:
        if candidate and all(len(candidate) != len(seen) for seen in out):
            out.append(candidate)
    return out


