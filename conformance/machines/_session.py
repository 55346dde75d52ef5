"""One machine run's shared state: client, judge, profile, findings, ledger, counters.

Hypothesis builds a fresh machine per example; everything that outlives an
example (findings with their smallest step list, invariant counters, the
ledger of every ID created, what teardown could not delete) lives here.
"""

from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable

from ..catalog import Catalog, resource_kinds
from ..outcome import Expectation, Finding
from ..protocol import Client, Exchange
from ..world import TargetOffer

Judge = Callable[[Exchange, Expectation], list[Finding]]


@dataclass
class WaitSettings:
    """Bounded waiters for eventual consistency (the spec: back off up to minutes)."""

    timeout: float = 300.0
    interval: float = 2.0
    max_interval: float = 30.0
    confirm_visible: bool = True  # poll until a new resource is listed before using it
    reread: float = 60.0  # seconds a failed invariant reads again before it is reported
    # Pause between teardown passes: on an eventually consistent target a delete can fail
    # until a dependent's deletion shows; a target consistent at once needs none.
    retry_pause: bool = True
    # Read again after a listing was refused (an error answer): on an eventually consistent
    # target a refusal can pass; on one consistent at once the same read gets the same
    # answer (moto answers HTTP 500 to the vpn-connection-id filter on every try).
    poll_refusals: bool = True

    @classmethod
    def consistent(cls) -> "WaitSettings":
        """For a target consistent at once (the embedded moto server): what is not listed
        within seconds never will be, and a real cloud's minutes would only stall the run.
        A teardown pass that failed is retried at once: the failures are dependency order,
        which the pass before has just resolved (the pauses were a third of a machine's
        time)."""
        return cls(timeout=5.0, interval=0.2, max_interval=1.0, reread=0.0, retry_pause=False,
                   poll_refusals=False)

    @classmethod
    def for_consistency(cls, consistency: str | None, *, loopback: bool) -> "WaitSettings":
        """The ``--consistency`` option: ``immediate``, ``eventual`` (the spec's advice:
        back off up to five minutes) or a number of seconds; unset, ``immediate`` for a
        loopback target (an emulator answers at once) and ``eventual`` for any other."""
        mode = consistency or ("immediate" if loopback else "eventual")
        if mode == "immediate":
            return cls.consistent()
        if mode == "eventual":
            return cls()
        seconds = float(mode)
        return cls(timeout=seconds, interval=min(2.0, max(0.05, seconds / 20)),
                   max_interval=min(30.0, max(0.2, seconds / 4)), reread=seconds)


def resolve_profile(profile: Any) -> Any:
    """A target profile by name (None: the default, the spec), or the one given."""
    if profile is None or isinstance(profile, str):
        from ..catalog.profiles import DEFAULT_PROFILE, load_profile

        return load_profile(profile or DEFAULT_PROFILE)
    return profile


@dataclass
class MachineConfig:
    availability_zone: str | None = None  # None: the target's first zone
    other_zone: str | None = None  # for the zone-mismatch rule; None: the target's second
    image_id: str | None = None  # None: the first image the target offers
    instance_type: str = "m1.small"


@dataclass
class RecordedFinding:
    finding: Finding
    occurrences: int = 1
    steps: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {**self.finding.to_json(), "occurrences": self.occurrences, "steps": self.steps}


class Session:
    def __init__(self, client: Client, catalog: Catalog, *, profile: Any, judge: Judge | None,
                 run_id: str | None, waits: WaitSettings, config: MachineConfig,
                 disabled: set[str] | None = None):
        self.client = client
        self.catalog = catalog
        self.kinds = resource_kinds(catalog.api_version)
        self.profile = profile
        self.judge = judge
        self.run_id = run_id or "ec2c-" + secrets.token_hex(4)
        self.waits = waits
        self.config = config
        self.disabled: set[str] = set(disabled or ())
        self.invariant_runs: Counter = Counter()
        self.invariant_failures: Counter = Counter()
        self.findings: dict[str, RecordedFinding] = {}
        self.ledger: dict[str, str] = {}  # every ID any example created -> kind
        self.deleted: set[str] = set()  # IDs teardown (or a step) deleted
        self.leftovers: dict[str, dict[str, str]] = {}  # ID -> {"kind", "error"}
        self.requests = 0
        self.examples = 0
        self.examples_with_steps = 0

    def add_finding(self, finding: Finding, steps: list[dict[str, Any]]) -> None:
        """Group by signature; keep the shortest step list that shows it.  Every machine
        finding passes the rule table's gate here: only a stated rule is a violation."""
        from ..checks import enforce

        finding = enforce(finding, self.catalog.api_version)
        record = self.findings.get(finding.signature)
        if record is None:
            self.findings[finding.signature] = RecordedFinding(finding, 1, list(steps))
            return
        record.occurrences += 1
        if steps and (not record.steps or len(steps) < len(record.steps)):
            record.steps = list(steps)

    def prepare(self) -> None:
        """Read what the target offers for what the config leaves open."""
        config, offer = self.config, TargetOffer(self.client)
        if config.availability_zone is None or config.other_zone is None:
            zones = offer.zones or [self.client.region + "a"]
            config.availability_zone = config.availability_zone or zones[0]
            if config.other_zone is None:
                config.other_zone = next((z for z in zones if z != config.availability_zone),
                                         None)
        if config.image_id is None:
            config.image_id = offer.machine_image
