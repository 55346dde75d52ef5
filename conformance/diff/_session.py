"""The engine session of a differential or recording run.

The engine runs unchanged (same strategies, same phases, same spec scenarios);
only its client differs.  Each unit of work is named (``world``,
``stateless:<Action>``, ``stateful:<machine>``, ``teardown``) so a cassette
answers a request from the unit that made it, whatever other units ran.  The
settings that would make the request sequence depend on time rather than on the
answers are fixed: no shrinking (a difference is one exchange, nothing to
shrink), and the machines walk their spec scenarios only (exploration's
shrinking is bounded by wall-clock time, so a recording could not replay it).
"""

from __future__ import annotations

import random
import zlib
from pathlib import Path
from typing import Any

from ..engine import (PHASES, ActionResult, EngineSession, checks_judge, machine_judge,
                      machine_result_to_action_result, run_stateless_action, stopped_result)
from ..outcome import Finding, Severity
from ..options import RunOptions
from ..protocol import Client, RunStopped
from ..target import client_for, is_loopback
from ._cassette import Cassette, CassetteError, load_cassette
from ._clients import CassetteClient, DifferentialClient, RecordingClient
from ._determinism import seed_only_draws
from ._findings import difference_findings
from ._options import against_is_url, read_only, reference_options, same_start

CASSETTE_REF = "docs/cassette.md (a cassette answers only the requests it recorded)"


class DifferentialSession(EngineSession):
    """``options.against`` set: diff the endpoint against it; else ``options.record`` set:
    run against the endpoint and save every exchange.  Both sides' clients are made as the
    engine makes its own (``target.client_for``): timeout, retries, health stop, deadline,
    stop file, credentials and signing apply to both."""

    def __init__(self, options: RunOptions, *, deadline_at: float | None = None,
                 stop_file: Path | None = None):
        super().__init__(options, deadline_at=deadline_at, stop_file=stop_file)
        self.cassette: Cassette | None = None
        self._recorded_read_only = False
        if options.against and not against_is_url(options):
            from .. import __version__

            self.cassette = load_cassette(options.against, api_version=options.api_version,
                                          tool_version=__version__)
            self._adopt_cassette_options(self.cassette)
        elif options.seed is None:
            self.options = options.but(seed=random.getrandbits(32))  # one for every unit, saved
        self._units_seen: list[str] = []

    def _adopt_cassette_options(self, cassette: Cassette) -> None:
        recorded = cassette.options
        if not recorded["read_only"] and read_only(self.options):
            raise CassetteError(
                "the cassette was recorded with mutations, and replaying them needs "
                f"--allow-mutations against {self.options.endpoint}")
        self.options = self.options.but(
            seed=recorded["seed"], max_examples=recorded["max_examples"],
            stateful_steps=recorded["stateful_steps"], run_id=recorded["run_id"],
            signature_version=recorded["signature_version"])
        self._recorded_read_only = bool(recorded["read_only"])

    # -- clients ------------------------------------------------------------------
    @property
    def read_only(self) -> bool:
        return self._recorded_read_only or read_only(self.options)

    @property
    def client(self):
        if self._client is None:
            o = self.options
            live = self._live(o, self.endpoint, embedded=self.embedded)
            if o.against is None:
                self._client = RecordingClient(live)
            else:
                if self.cassette is not None:
                    reference = CassetteClient(self.cassette, method=live.method,
                                               api_version=o.api_version)
                else:
                    reference = self._live(reference_options(o), o.against, embedded=False)
                self._client = DifferentialClient(reference, live, same_start=self.same_start)
        return self._client

    @property
    def reference_loopback(self) -> bool:
        """The side the engine follows is an emulator on loopback: consistent at once (short
        waits), and fresh (list lengths compare).  Recording and replay agree on it, since
        the cassette keeps it, so they poll alike."""
        o = self.options
        if self.cassette is not None:
            return self.cassette.loopback
        if o.against is None:
            return self.embedded or is_loopback(o.endpoint or "")
        return is_loopback(o.against)

    @property
    def same_start(self) -> bool:
        chosen = same_start(self.options)
        if chosen is not None:
            return chosen
        return self.reference_loopback and (self.embedded or is_loopback(self.endpoint))

    def _live(self, options: RunOptions, endpoint: str, *, embedded: bool) -> Client:
        return client_for(options, endpoint, embedded=embedded, stop_at=self.deadline_at,
                          stop_file=self.stop_file)

    @property
    def world(self):
        if self._world is None:
            from ..world import World

            self.client.unit = "world"
            kinds = [] if self.read_only else None
            self._world = World.build(self.client, self.catalog, run_id=self.options.run_id,
                                      kinds=kinds)
        return self._world

    # -- units --------------------------------------------------------------------
    def _enter(self, unit: str) -> None:
        """Name the unit the next requests belong to.  Replaying a cassette's units out of
        their recorded order (a subset of actions) starts them from another state: list
        lengths are then no longer compared."""
        client = self.client
        client.unit = unit
        if self.cassette is None or unit in ("world", "teardown"):
            return
        self._units_seen.append(unit)
        recorded = [u for u in self.cassette.units if u not in ("world", "teardown")]
        if recorded[:len(self._units_seen)] != self._units_seen:
            client.same_start = False

    def stateless(self, action: str) -> ActionResult:
        world = self.world  # built in its own unit, before the first action's
        unit = f"stateless:{action}"
        self._enter(unit)
        world.restart_numbering(1000 * (zlib.crc32(unit.encode("utf-8")) % 1_000_000))
        phases = PHASES
        if self.read_only and self.catalog[action].mutating:
            phases = ("dry-run",)
        try:
            with seed_only_draws():
                result = run_stateless_action(
                    self.client, self.catalog, action, self.world,
                    max_examples=self.options.max_examples, seed=self.options.seed,
                    profile=self.profile, phases=phases, shrink=False,
                    judge=self._judge(checks_judge(self.catalog, action)))
        except RunStopped as stop:
            result = stopped_result(ActionResult(action=action, suite="stateless"), stop,
                                    self.client)
        return self._finish(result)

    def stateful(self, machine: str) -> ActionResult:
        from ..machines import MachineConfig, WaitSettings, run_machine

        o = self.options
        try:
            self._enter(f"stateful:{machine}")
            with seed_only_draws():
                outcome = run_machine(
                    machine, self.client, self.catalog, max_examples=0,
                    steps=o.stateful_steps, seed=o.seed,
                    judge=machine_judge(self._judge(checks_judge(self.catalog, None))),
                    profile=self.profile, run_id=o.run_id, config=MachineConfig(), minimize=0,
                    waits=WaitSettings.for_consistency(o.consistency,
                                                       loopback=self.reference_loopback))
        except RunStopped as stop:  # before the machine could start (world, zones)
            return self._finish(stopped_result(ActionResult(action=machine, suite="stateful"),
                                               stop, self.client))
        result = machine_result_to_action_result(outcome, self.catalog.api_version)
        if outcome.error and outcome.error.startswith("stopped: "):
            client = self.client
            result = stopped_result(result, RunStopped(client.stop_reason or outcome.error[9:],
                                                       client.stop_kind or "asked"), client)
        return self._finish(result)

    def _judge(self, judge):
        """The engine's judge, also run on the other side's answer to the same request, so
        a difference shows the spec findings of both sides."""
        def both(exchange, expectation):
            findings, ran = judge(exchange, expectation)
            pair = self.client.pair_for(exchange) if isinstance(self.client,
                                                                DifferentialClient) else None
            if pair is not None:
                pair.reference_findings = list(findings)
                pair.subject_findings = list(judge(pair.subject, expectation)[0])
            return findings, ran
        return both

    def _finish(self, result: ActionResult) -> ActionResult:
        client = self.client
        if not isinstance(client, DifferentialClient):
            return result  # recording: the run's own findings about the recorded target
        kept = {sig: r for sig, r in result.findings.items()
                if r.finding.check in ("world", "engine", "answered")}
        result.findings = kept
        # Whether the reference implements the action is not a difference; the score of a
        # diff run is the share of exchanges answered alike.
        result.not_implemented = False
        result.checks_run, result.checks_failed = type(result.checks_run)(), type(
            result.checks_failed)()
        for pair in client.drain():
            result.checks_run["difference"] += 1
            if pair.differences:
                result.checks_failed["difference"] += 1
            for finding in difference_findings(pair):
                result.add_finding(finding)
        self._report_misses(result)
        return result

    def _report_misses(self, result: ActionResult) -> None:
        reference = self.client.reference
        if not isinstance(reference, CassetteClient):
            return
        for unit in list(reference.misses):
            missed = reference.misses.pop(unit)
            first = next((v for k, v in missed[0].pairs if k == "Action"), "?")
            result.add_finding(Finding(
                check="cassette", severity=Severity.WARNING, action=first,
                message=(f"the cassette has no answer for {len(missed)} request(s) of unit "
                         f"{unit} (the first: {first}); those were not compared"),
                spec_ref=CASSETTE_REF, extra={"unit": unit, "missed": len(missed)}))

    def close(self) -> dict[str, Any]:
        if self._client is not None:
            self._client.unit = "teardown"
        try:
            return super().close()
        finally:
            if isinstance(self._client, RecordingClient) and self.options.record:
                self._save_cassette(self._client)

    def _save_cassette(self, client: RecordingClient) -> None:
        from .. import __version__

        o = self.options
        cassette = Cassette(
            api_version=o.api_version, tool_version=__version__,
            endpoint=o.endpoint or "embedded moto server", loopback=self.reference_loopback,
            region=o.region,
            options={"seed": o.seed, "max_examples": o.max_examples,
                     "stateful_steps": o.stateful_steps, "run_id": o.run_id,
                     "read_only": read_only(o), "signature_version": o.signature_version,
                     "method": client.method},
            units=dict(client.units))
        cassette.save(Path(o.record))
