"""The base state machine: every request goes through ``send``; invariants after each step.

``send(action, params)`` asks the model what the spec requires, sends the
request, records it as a replayable step, judges the answer (prediction, plus
the engine's ``judge`` hook), and updates the model.  A new resource is then
waited for (bounded), tagged with the run id, and its implicit parts (a VPC's
default group, main route table and default ACL) are read; a resource the
target created although the spec says it must refuse is deleted again at once,
so exploration continues from a state the spec allows.
"""

from __future__ import annotations

import time
from typing import Any

from hypothesis import assume, strategies as st
from hypothesis.errors import UnsatisfiedAssumption
from hypothesis.stateful import RuleBasedStateMachine, invariant

from ...catalog import dig
from ...outcome import SUCCESS, Expectation, Finding, Severity
from ...protocol import serialize
from ...world import StepRunner
from .._cleanup import teardown as tear_down
from .._reply import Reply, read_reply
from .._session import Session
from ..invariants import (INVARIANTS, InvariantFailed, ObservationFailed, Observer, View,
                          Violated)
from ..model import Model, Resource, judge_outcome

# Answers the target must not give a request the spec says must fail: undo them.
_UNDO = {"AuthorizeSecurityGroupIngress": "RevokeSecurityGroupIngress",
         "AuthorizeSecurityGroupEgress": "RevokeSecurityGroupEgress"}


class EC2Machine(RuleBasedStateMachine):
    session: Session  # bound per run by ``bind``

    @classmethod
    def bind(cls, session: Session) -> type["EC2Machine"]:
        return type(cls.__name__, (cls,), {"session": session})

    def __init__(self) -> None:
        super().__init__()
        self.model = Model(self.session.catalog,
                           availability_zone=self.session.config.availability_zone)
        self.steps: list[dict[str, Any]] = []
        self.observer = Observer(self.read, self.model)
        self.session.examples += 1
        self._serial = 0

    # -- requests --------------------------------------------------------------------------
    def send(self, action: str, params: dict[str, Any], *, follow_up: bool = True,
             pairs: list[tuple[str, str]] | None = None) -> Reply:
        """Send one step; returns the reply (the model is already updated)."""
        expectation = self.model.predict(action, params)
        pairs = pairs or serialize(action, params, self.session.client.api_version)
        exchange = self.session.client.call_pairs(pairs)
        self.session.requests += 1
        reply = read_reply(exchange, self.session.catalog.model.operation_model(action))
        step = {"action": action, "params": params, "pairs": [list(p) for p in pairs],
                "expectation": expectation.to_json(), "introduces": []}
        self.steps.append(step)
        named = self.model.named(params)
        findings = [] if named & self.model.tainted else judge_outcome(
            action, expectation, reply, catalog=self.session.catalog, profile=self.session.profile)
        accepted = reply.status is not None and 200 <= reply.status < 300
        diverged = reply.answered and accepted != (expectation.outcome == "success")
        if diverged and not accepted:
            self.model.taint(named)  # the target's state and the model's part here
        if self.session.judge is not None:
            findings += self.session.judge(exchange, expectation)
        if accepted and reply.problem:
            findings.append(Finding("stateful-unreadable-result", Severity.VIOLATION, action,
                                    f"the answer to {action} cannot be read as its result",
                                    f"{action} > Response Elements", "a readable result",
                                    reply.problem))
        for finding in findings:
            self.session.add_finding(finding, self.steps)
        if not reply.answered:  # nothing is known: drop the example (a replay stops here)
            raise UnsatisfiedAssumption()
        if not self._changes_nothing(action, accepted, expectation):
            self.observer.refresh(self._tagged_kinds(action, params) if accepted else None)
        if not reply.ok:
            return reply
        try:
            introduced = self.model.apply(action, params, reply.data)
        except (KeyError, TypeError, IndexError) as exc:
            self.session.add_finding(Finding(
                "stateful-unreadable-result", Severity.VIOLATION, action,
                f"the answer to {action} lacks an element the spec defines ({exc})",
                f"{action} > Response Elements", "a complete result", "missing element"),
                self.steps)
            raise UnsatisfiedAssumption() from exc
        step["introduces"] = introduced
        if diverged:
            # What the target should not have made is set aside (and taken back below); a
            # rule it should not have added is revoked.  Only a change that cannot be taken
            # back sets aside the resources the request names: a VPC that took a 101st
            # group stays usable once the group is gone.
            undone = introduced or (follow_up and action in _UNDO)
            self.model.taint(set(introduced) if undone else named)
        for rid in introduced:  # a VPC's implicit parts go with it: not ours to delete
            if rid in self.model.live and not self.model.live[rid].implicit:
                self.session.ledger[rid] = self.model.live[rid].kind
        if follow_up:
            self._follow_up(action, params, expectation, reply, introduced)
        return reply

    def _follow_up(self, action: str, params: dict[str, Any], expectation: Expectation,
                   reply: Reply, introduced: list[str]) -> None:
        if expectation.outcome == "error":  # accepted against the spec: take it back
            if action in _UNDO:
                self.send(_UNDO[action], params, follow_up=False)
            for rid in introduced:
                self.undo(rid)
            return
        for rid in introduced:
            resource = self.model.live.get(rid)
            if resource is None or resource.implicit:
                continue
            kind = self.session.kinds[resource.kind]
            if not self.settle(resource, reply.data):
                continue
            if kind.taggable:
                self.send("CreateTags", {"Resources": [rid],
                                         "Tags": [{"Key": self.session.kinds.run_tag,
                                                   "Value": self.session.run_id}]},
                          follow_up=False)
            for read, template in kind.discover:  # the new resource's implicit parts
                self.send(read, StepRunner({"id": rid}).fill(template), follow_up=False)

    @staticmethod
    def _changes_nothing(action: str, accepted: bool, expectation: Expectation) -> bool:
        """A read, or a refusal the spec predicts: the target's state is as it was, so the
        invariants' last reads stand.  (A target that changes state while refusing is still
        caught: the change shows at the next read, and the model never made it.)"""
        return action.startswith("Describe") or (not accepted and expectation.outcome == "error")

    def _tagged_kinds(self, action: str, params: dict[str, Any]) -> set[str] | None:
        """Tagging changes only the tagged resources' kinds (None: every kind may change)."""
        if action not in ("CreateTags", "DeleteTags"):
            return None
        resources = [self.model.live.get(rid) for rid in params.get("Resources", ())]
        if not resources or None in resources:
            return None
        return {resource.kind for resource in resources}

    def undo(self, rid: str) -> None:
        resource = self.model.live.get(rid)
        if resource is None:
            return
        kind = self.session.kinds[resource.kind]
        self.send(kind.delete, kind.delete_params(rid), follow_up=False)

    def read(self, action: str, params: dict[str, Any]) -> Reply:
        """An observation: sent and read, never recorded as a step or judged."""
        exchange = self.session.client.call(action, params)
        self.session.requests += 1
        return read_reply(exchange, self.session.catalog.model.operation_model(action))

    # -- eventual consistency ----------------------------------------------------------------
    def settle(self, resource: Resource, created: dict[str, Any] | None = None) -> bool:
        """Wait (bounded) until a new resource is listed in a settled state."""
        kind = self.session.kinds[resource.kind]
        state = kind.state_of(_find_item(created or {}, kind.id_member, resource.id) or {})
        settled = not kind.settled_states or state in kind.settled_states
        if settled and not self.session.waits.confirm_visible:
            return True
        return self.wait_for(resource.kind, resource.id, kind.settled_states)

    def wait_for(self, kind_name: str, rid: str, states: tuple[str, ...]) -> bool:
        kind, waits = self.session.kinds[kind_name], self.session.waits
        params = {"Filters": [{"Name": kind.filter, "Values": [rid]}]}
        if kind.scope == "vpc":
            params = {"Filters": [{"Name": kind.filter, "Values": self.model.vpc_ids()}]}
        step = {"action": kind.describe, "params": params,
                "pairs": [list(p) for p in serialize(kind.describe, params,
                                                     self.session.client.api_version)],
                "expectation": SUCCESS.to_json(), "introduces": [],
                "wait": {"kind": kind_name, "id": rid, "states": list(states)}}
        self.steps.append(step)
        deadline, delay = time.monotonic() + waits.timeout, waits.interval
        client, started = self.session.client, time.monotonic()
        client.waiting = f"{kind_name} {rid}" + (f" to be {'/'.join(states)}" if states
                                                  else " to be listed")
        try:
            while True:
                reply = self.read(kind.describe, params)
                item = next((i for i in (kind.items_of(reply.data) if reply.ok else ())
                             if i.get(kind.id_member) == rid), None)
                if item is not None and (not states or dig(item, kind.state) in states):
                    self.observer.refresh()
                    return True
                if time.monotonic() + delay > deadline or (
                        reply.answered and not reply.ok and not waits.poll_refusals):
                    break
                time.sleep(delay)
                delay = min(delay * 2, waits.max_interval)
        finally:
            client.waiting = None
        waited = time.monotonic() - started
        self.session.add_finding(Finding(
            "stateful-did-not-settle", Severity.WARNING, kind.describe,
            f"{kind_name} {rid} was not listed{' in state ' + '/'.join(states) if states else ''} "
            f"within {waits.timeout:g}s (waited {waited:.1f}s)", "Eventual Consistency",
            "listed" + (" in " + "/".join(states) if states else ""),
            ("never listed" if reply.ok else f"never listed: {reply.describe()}") if item is None
            else repr(dig(item, kind.state))), self.steps)
        if rid in self.model.live:
            self.model.live[rid].data["unsettled"] = True
        return False

    # -- invariants --------------------------------------------------------------------------
    @invariant()
    def spec_invariants_hold(self) -> None:
        for name, inv in INVARIANTS.items():
            if name in self.session.disabled or not inv.applies(self.model):
                continue
            self.session.invariant_runs[name] += 1
            if not self._check_rereading(name, inv):
                return

    def _check_rereading(self, name: str, inv: Any) -> bool:
        """The spec's "Eventual Consistency": a read right after a write may not show it
        yet.  A failed check reads again (fresh describes) with bounded backoff, for up to
        ``waits.reread`` seconds, before it counts; the violation keeps every attempt.
        False when the target refused a listing: the step's remaining checks cannot read."""
        waits = self.session.waits
        started = time.monotonic()
        delay, attempts = max(waits.interval, 0.05), []
        while True:
            try:
                inv.check(View(self.model, self.observer))
                return True
            except Violated as violation:
                failed_name, failure = name, violation
            except ObservationFailed as failed:
                # A refused listing is a refused valid request, not an invariant that
                # failed: one finding citing the filter's passage; nothing more can be
                # read this step, so its remaining checks end here.
                catalog = self.session.catalog
                self.session.add_finding(failed.finding(catalog.api_version,
                                                        catalog.server_errors), self.steps)
                return False
            attempts.append({"after_seconds": round(time.monotonic() - started, 2),
                             "observed": failure.observed})
            if time.monotonic() + delay > started + waits.reread:
                if len(attempts) > 1:
                    failure.attempts = attempts
                raise InvariantFailed(failed_name, failure, list(self.steps)) from None
            self.session.client.waiting = f"a re-read to confirm {failed_name}"
            try:
                time.sleep(delay)
            finally:
                self.session.client.waiting = None
            delay = min(delay * 2, waits.max_interval)
            self.observer.refresh()

    # -- helpers for rules -------------------------------------------------------------------
    def has(self, kind: str, **where: Any) -> bool:
        return bool(self.usable(kind, **where))

    def usable(self, kind: str, **where: Any) -> list[Resource]:
        return [r for r in self.model.of(kind, **where) if not r.data.get("unsettled")]

    def pick(self, data: st.DataObject, kind: str, **where: Any) -> Resource:
        choices = self.usable(kind, **where)
        assume(choices)
        return choices[data.draw(st.integers(0, len(choices) - 1), label=kind)]

    def unique(self, prefix: str) -> str:
        self._serial += 1
        return f"{self.session.run_id}-{prefix}{self._serial}"

    def teardown(self) -> None:
        if self.steps:
            self.session.examples_with_steps += 1
        tear_down(self)


def _find_item(data: Any, id_field: str, rid: str) -> dict[str, Any] | None:
    if isinstance(data, dict):
        if data.get(id_field) == rid:
            return data
        values = data.values()
    elif isinstance(data, list):
        values = data
    else:
        return None
    for value in values:
        found = _find_item(value, id_field, rid)
        if found is not None:
            return found
    return None
