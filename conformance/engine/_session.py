"""One engine session per process (or pytest-xdist worker): target, client, world.

The pytest plugin and the CLI both drive suites through this object, so the
two front-ends cannot drift apart.  Heavy parts (the embedded target, the
world) are created on first use and torn down in ``close``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..catalog import Catalog, load_catalog
from ..options import RunOptions
from ..protocol import Client, RunStopped
from ..target import EmbeddedTarget, client_for, is_loopback
from ._results import ActionResult

SessionOptions = RunOptions  # the engine takes the run options as the table declares them


class EngineSession:
    def __init__(self, options: RunOptions, *, deadline_at: float | None = None,
                 stop_file: Path | None = None):
        self.options = options
        self.deadline_at, self.stop_file = deadline_at, stop_file
        self._target: EmbeddedTarget | None = None
        self._client: Client | None = None
        self._world: Any = None
        self.cleanup_report: dict[str, Any] = {}

    @property
    def read_only(self) -> bool:
        """Against a non-loopback endpoint, mutate only when explicitly allowed."""
        return bool(self.options.endpoint) and not is_loopback(self.options.endpoint) \
            and not self.options.allow_mutations

    @property
    def catalog(self) -> Catalog:
        return load_catalog(self.options.api_version)

    @property
    def endpoint(self) -> str:
        if self.options.endpoint:
            return self.options.endpoint
        if self._target is None:
            self._target = EmbeddedTarget().start()
        return self._target.endpoint

    @property
    def embedded(self) -> bool:
        return not self.options.endpoint

    @property
    def loopback(self) -> bool:
        return self.embedded or is_loopback(self.options.endpoint)

    @property
    def client(self) -> Client:
        if self._client is None:
            self._client = client_for(self.options, self.endpoint, embedded=self.embedded,
                                      stop_at=self.deadline_at, stop_file=self.stop_file)
        return self._client

    def peek_client(self) -> Client | None:
        """The client if one exists (progress must not start a target)."""
        return self._client

    @property
    def stop_reason(self) -> str | None:
        return self._client.stop_reason if self._client is not None else None

    @property
    def stop_kind(self) -> str | None:
        return self._client.stop_kind if self._client is not None else None

    @property
    def profile(self):
        from ..catalog.profiles import load_profile

        return load_profile(self.options.profile)

    @property
    def world(self):
        if self._world is None:
            from ..world import World

            # Read-only: learn the target's offer (zones, images) but create nothing.
            kinds = [] if self.read_only else None
            self._world = World.build(self.client, self.catalog, run_id=self.options.run_id,
                                      kinds=kinds)
            # The embedded server is thrown away at the end: no tags to find leftovers by.
            self._world.tag_resources = not self.embedded
        return self._world

    def stateless(self, action: str) -> ActionResult:
        try:
            self.world  # built before counting: its set-up is the process's, not the action's
        except RunStopped as stop:
            return stopped_result(ActionResult(action=action, suite="stateless"), stop,
                                  self.client)
        before = self.client.requests
        result = self._stateless(action)
        result.requests = self.client.requests - before
        return result

    def _stateless(self, action: str) -> ActionResult:
        from ._stateless import PHASES, StatelessRun

        phases = PHASES
        if self.read_only and self.catalog[action].mutating:
            phases = ("dry-run",)  # the safety rail: never change a real cloud unasked
        result = ActionResult(action=action, suite="stateless")
        try:
            run = StatelessRun(self.client, self.catalog, action, self.world,
                               max_examples=self.options.max_examples, seed=self.options.seed,
                               judge=None, profile=self.profile, phases=phases, shrink=True,
                               max_shrinks=3)
            result = run.result
            return run.run()
        except RunStopped as stop:
            return stopped_result(result, stop, self.client)

    def stateful(self, machine: str) -> ActionResult:
        from ._stateful import run_stateful_machine

        before = self.client.requests
        try:
            result = run_stateful_machine(self, machine)
        except RunStopped as stop:  # before the machine could start (world, zones)
            result = stopped_result(ActionResult(action=machine, suite="stateful"), stop,
                                    self.client)
        result.requests = self.client.requests - before
        return result

    def close(self) -> dict[str, Any]:
        try:
            # The embedded server is stopped below: undoing its world first would only
            # cost requests.
            if self._world is not None and not self.embedded:
                with self.client.cleaning():
                    self.cleanup_report = {"left_behind": self._world.teardown()}
        finally:
            if self._client is not None:
                self._client.close()
            if self._target is not None:
                self._target.stop()
        return self.cleanup_report


def stopped_result(result: ActionResult, stop: RunStopped, client: Client) -> ActionResult:
    """What an action or machine found before the run stopped, and why it stopped: a
    target that stopped answering is an ``answered`` violation; a deadline or a stop
    request is not the target's doing and adds nothing."""
    if stop.unhealthy:
        from ..checks import ANSWERED_REF
        from ..outcome import Finding, Severity

        result.add_finding(Finding(
            check="answered", severity=Severity.VIOLATION, action=result.action,
            message=f"the run stopped: {stop.reason}", spec_ref=ANSWERED_REF,
            expected="an answer", observed=client.last_failure or "no answer",
            extra={"consecutive_failures": client.failures_in_a_row}), None)
    return result
