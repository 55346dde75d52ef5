"""Clients the engine drives in a differential run; each looks like ``protocol.Client``.

* ``RecordingClient``: a live client whose exchanges are kept per unit for a cassette.
* ``CassetteClient``: answers from a cassette, request by request, per unit.
* ``DifferentialClient``: sends each request to the reference side (what the engine
  sees and follows) and, with learned IDs remapped, to the subject side; both
  answers are normalised and compared at once (the comparison is what teaches the
  ID pairs later requests need).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..outcome import Finding
from ..protocol import Client, Exchange, RawRequest, RecordedRequest, serialize
from ._cassette import Cassette, entry_for, exchange_from, request_key
from ._compare import Difference, compare
from ._ids import IdMap
from ._normalise import normalise

NOT_RECORDED = "not in the cassette"


class _Unitary:
    """Shared by the three: the unit the run is in, the convenience calls, and what the
    engine and the progress display ask a ``Client`` (health, counts, teardown), answered
    from the live side(s): a cassette never stops and sends nothing."""

    unit = "world"
    method: str
    api_version: str
    waiting: str | None = None  # set by callers polling for a state

    def _live_sides(self) -> list[Client]:
        return []

    def _stopped_side(self) -> Client | None:
        sides = self._live_sides()
        return next((c for c in sides if c.stop_reason), sides[-1] if sides else None)

    @property
    def stop_reason(self) -> str | None:
        side = self._stopped_side()
        return side.stop_reason if side is not None else None

    @property
    def stop_kind(self) -> str | None:
        side = self._stopped_side()
        return side.stop_kind if side is not None else None

    @property
    def last_failure(self) -> str | None:
        side = self._stopped_side()
        return side.last_failure if side is not None else None

    @property
    def failures_in_a_row(self) -> int:
        side = self._stopped_side()
        return side.failures_in_a_row if side is not None else 0

    @property
    def requests(self) -> int:
        return sum(c.requests for c in self._live_sides())

    @property
    def in_flight(self):
        return next((c.in_flight for c in self._live_sides() if c.in_flight), None)

    @contextlib.contextmanager
    def cleaning(self):
        """Teardown on every live side (deletes still go out after the deadline)."""
        with contextlib.ExitStack() as stack:
            for side in self._live_sides():
                stack.enter_context(side.cleaning())
            yield self

    def call(self, action: str, params: dict[str, Any] | None = None) -> Exchange:
        return self.send(RawRequest(pairs=serialize(action, params, self.api_version),
                                    method=self.method))

    def call_pairs(self, pairs) -> Exchange:
        return self.send(RawRequest(pairs=list(pairs), method=self.method))

    def send(self, raw: RawRequest, *, now: dt.datetime | None = None) -> Exchange:
        raise NotImplementedError

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        pass


class RecordingClient(_Unitary):
    def __init__(self, client: Client):
        self.client = client
        self.method, self.api_version = client.method, client.api_version
        self.region = client.region
        self.units: dict[str, list[dict[str, Any]]] = defaultdict(list)

    def _live_sides(self) -> list[Client]:
        return [self.client]

    def send(self, raw: RawRequest, *, now: dt.datetime | None = None) -> Exchange:
        exchange = self.client.send(raw, now=now)
        self.units[self.unit].append(entry_for(raw, exchange))
        return exchange

    def close(self) -> None:
        self.client.close()


class CassetteClient(_Unitary):
    """Each request gets the next recorded answer to the same request in its unit; once they
    are used up, the last one again.  A wait that polls until a deadline polls as often as
    the clock allows, so a replay may ask once more than the recording did: it is answered
    with the state the recording ended on."""

    def __init__(self, cassette: Cassette, *, method: str, api_version: str):
        self.cassette = cassette
        self.method, self.api_version, self.region = method, api_version, cassette.region
        self._queues: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for unit, entries in cassette.units.items():
            for entry in entries:
                self._queues.setdefault((unit, entry["key"]), []).append(entry)
        self.misses: dict[str, list[RawRequest]] = defaultdict(list)

    def send(self, raw: RawRequest, *, now: dt.datetime | None = None) -> Exchange:
        slot = (self.unit, request_key(raw))
        queue = self._queues.get(slot)
        if queue:
            entry = queue.pop(0) if len(queue) > 1 else queue[0]
            return exchange_from(entry, raw)
        self.misses[self.unit].append(raw)
        return Exchange(action=raw.action, pairs=list(raw.pairs),
                        request=RecordedRequest(raw.method, "cassette", {}, ""), response=None,
                        elapsed=0.0, error=NOT_RECORDED)


@dataclass
class Pair:
    """One request as both sides saw it, and how their answers differ."""

    unit: str
    reference: Exchange
    subject: Exchange
    differences: list[Difference]
    reference_findings: list[Finding] = field(default_factory=list)
    subject_findings: list[Finding] = field(default_factory=list)

    @property
    def action(self) -> str | None:
        return self.reference.action or self.subject.action


class DifferentialClient(_Unitary):
    def __init__(self, reference: Client | CassetteClient, subject: Client, *,
                 same_start: bool):
        self.reference, self.subject = reference, subject
        self.method, self.api_version = reference.method, reference.api_version
        self.region = reference.region
        self.same_start = same_start
        self.ids = IdMap()
        self.pending: list[Pair] = []  # compared, not yet reported
        self._by_exchange: dict[int, Pair] = {}
        self.unit = "world"

    def _live_sides(self) -> list[Client]:
        return [c for c in (self.reference, self.subject) if isinstance(c, Client)]

    @property
    def unit(self) -> str:  # type: ignore[override]
        return self._unit

    @unit.setter
    def unit(self, name: str) -> None:
        self._unit = name
        if isinstance(self.reference, _Unitary):
            self.reference.unit = name

    def send(self, raw: RawRequest, *, now: dt.datetime | None = None) -> Exchange:
        reference = self.reference.send(raw, now=now)
        if reference.error == NOT_RECORDED:
            # Nothing to compare with (the session reports the miss); not sent to the
            # subject either, so both sides keep the same state.
            return reference
        subject = self.subject.send(self.ids.remap(raw), now=now)
        differences = compare(normalise(reference, self.api_version),
                              normalise(subject, self.api_version), self.ids,
                              same_start=self.same_start)
        pair = Pair(self.unit, reference, subject, differences)
        self.pending.append(pair)
        self._by_exchange[id(reference)] = pair
        return reference

    def pair_for(self, exchange: Exchange) -> Pair | None:
        pair = self._by_exchange.get(id(exchange))
        return pair if pair is not None and pair.reference is exchange else None

    def drain(self) -> list[Pair]:
        pairs, self.pending = self.pending, []
        self._by_exchange.clear()
        return pairs

    def close(self) -> None:
        self.reference.close()
        self.subject.close()
