"""One engine session per process (or pytest-xdist worker): target, client, world.

The pytest plugin and the CLI both drive suites through this object, so the
two front-ends cannot drift apart.  Heavy parts (the embedded target, the
world) are created on first use and torn down in ``close``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..catalog import Catalog, load_catalog
from ..protocol import Client
from ..target import EmbeddedTarget, is_loopback
from ._results import ActionResult


@dataclass
class SessionOptions:
    endpoint: str | None = None  # None: an embedded moto server for this process
    region: str = "us-east-1"
    api_version: str = "2014-10-01"
    profile: str = "aws-2014-10-01"
    max_examples: int = 25
    seed: int | None = None
    stateful_steps: int = 20
    allow_mutations: bool = False
    run_id: str = "local"
    signature_version: str = "v4"
    read_timeout: float = 30.0

    @property
    def read_only(self) -> bool:
        """Against a non-loopback endpoint, mutate only when explicitly allowed."""
        return bool(self.endpoint) and not is_loopback(self.endpoint) and not self.allow_mutations


@dataclass
class EngineSession:
    options: SessionOptions
    _target: EmbeddedTarget | None = None
    _client: Client | None = None
    _world: Any = None
    cleanup_report: dict[str, Any] = field(default_factory=dict)
    requests_sent: int = 0  # every HTTP exchange of this process's client (a response hook)

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
    def client(self) -> Client:
        if self._client is None:
            credentials = None
            if self.options.endpoint and not is_loopback(self.options.endpoint):
                from ..protocol import resolve_credentials

                credentials = resolve_credentials()
            self._client = Client(self.endpoint, region=self.options.region,
                                  api_version=self.options.api_version, credentials=credentials,
                                  signature_version=self.options.signature_version,
                                  read_timeout=self.options.read_timeout)
            self._client.session.hooks["response"].append(self._count)
        return self._client

    @property
    def profile(self):
        from ..catalog.profiles import load_profile

        return load_profile(self.options.profile)

    @property
    def world(self):
        if self._world is None:
            from ..world import World

            # Read-only: learn the target's offer (zones, images) but create nothing.
            kinds = [] if self.options.read_only else None
            self._world = World.build(self.client, self.catalog, run_id=self.options.run_id,
                                      kinds=kinds)
            # The embedded server is thrown away at the end: no tags to find leftovers by.
            self._world.tag_resources = not self.embedded
        return self._world

    def _count(self, response, *args, **kwargs) -> None:
        self.requests_sent += 1

    def stateless(self, action: str) -> ActionResult:
        self.world  # built before counting: its set-up is the process's, not the action's
        before = self.requests_sent
        result = self._stateless(action)
        result.requests = self.requests_sent - before
        return result

    def _stateless(self, action: str) -> ActionResult:
        from ._stateless import PHASES, run_stateless_action

        phases = PHASES
        if self.options.read_only and self.catalog[action].mutating:
            phases = ("dry-run",)  # the safety rail: never change a real cloud unasked
        return run_stateless_action(
            self.client, self.catalog, action, self.world,
            max_examples=self.options.max_examples, seed=self.options.seed,
            profile=self.profile, phases=phases)

    def stateful(self, machine: str) -> ActionResult:
        from ._stateful import run_stateful_machine

        self.client
        before = self.requests_sent
        result = run_stateful_machine(self, machine)
        result.requests = self.requests_sent - before
        return result

    def close(self) -> dict[str, Any]:
        try:
            # The embedded server is stopped below: undoing its world first would only
            # cost requests.
            if self._world is not None and not self.embedded:
                self.cleanup_report = {"left_behind": self._world.teardown()}
        finally:
            if self._client is not None:
                self._client.close()
            if self._target is not None:
                self._target.stop()
        return self.cleanup_report
