"""Teardown: delete everything a run created, in reverse dependency order.

Runs after every example (even one that failed half-way) from the model and
the session's ledger, then once more at the end of a run as a sweep over
everything tagged with the run id.  What cannot be deleted after a few passes
is reported, never silently left.  Teardown requests are not steps: they are
neither recorded nor judged.
"""

from __future__ import annotations

import time
from typing import Any

from ..catalog import dig
from ..protocol import Client
from ._reply import read_reply
from ._session import MachineConfig, Session

_PASSES = 3


def cleanup_run(client: Client, catalog: Any, *, run_id: str, waits: Any) -> Any:
    """``cleanup --run-id``: delete what the run ``run_id`` tagged; the session holds
    ``deleted`` and ``leftovers``."""
    session = Session(client, catalog, profile=None, judge=None, run_id=run_id, waits=waits,
                      config=MachineConfig())
    sweep(session)
    return session


def teardown(machine: Any) -> None:
    with machine.session.client.cleaning():  # deletes go out after a deadline or stop too
        _teardown(machine)


def _teardown(machine: Any) -> None:
    session, model = machine.session, machine.model
    targets: dict[str, str] = {r.id: r.kind for r in model.live.values() if not r.implicit}
    for rid, kind in session.ledger.items():
        if rid not in session.deleted and rid not in model.gone and rid not in targets \
                and not (rid in model.live and model.live[rid].implicit):
            targets[rid] = kind
    for rid in [r.id for r in model.gone.values() if r.kind in ("vpc_peering_connection",)]:
        targets.setdefault(rid, "vpc_peering_connection")  # rejected/failed ones may linger
    delete_all(session, targets, attachments=_attachments(model))
    for rid in list(targets):
        if rid not in session.leftovers:
            session.deleted.add(rid)


def sweep(session: Any, *, own_kinds: bool = False) -> None:
    """End of run: anything still tagged with the run id, plus the ledger's untagged kinds.
    ``own_kinds``: only the kinds this session made (a replay: the run's own sweep at its
    end still reads every kind, and a listing by tag costs moto up to 60 ms a kind)."""
    with session.client.cleaning():
        _sweep(session, set(session.ledger.values()) if own_kinds else None)


def _sweep(session: Any, only: set[str] | None = None) -> None:
    targets: dict[str, str] = {}
    kinds = session.kinds
    for kind in kinds:
        if not kind.taggable or (only is not None and kind.name not in only):
            continue
        reply = _call(session, kind.describe, {"Filters": [{"Name": "tag:" + kinds.run_tag,
                                                            "Values": [session.run_id]}]})
        for item in kind.items_of(reply.data) if reply.ok else ():
            if kind.state_of(item) not in kind.deleted_states or not kind.deleted_states:
                targets[item[kind.id_member]] = kind.name
    for rid, kind in session.ledger.items():
        if not kinds[kind].taggable and rid not in session.deleted:
            targets[rid] = kind
    delete_all(session, targets, attachments={})


def delete_all(session: Any, targets: dict[str, str], *, attachments: dict[str, Any]) -> None:
    order = sorted(targets, key=lambda rid: (session.kinds[targets[rid]].delete_order,
                                             -list(targets).index(rid)))
    pending = list(order)
    for attempt in range(_PASSES):
        failed = []
        for rid in pending:
            error = _delete(session, targets[rid], rid, attachments)
            if error:
                failed.append(rid)
                session.leftovers[rid] = {"kind": targets[rid], "error": error}
            else:
                session.leftovers.pop(rid, None)
                session.deleted.add(rid)
        if not failed:
            return
        pending = failed
        if session.waits.retry_pause:
            time.sleep(min(session.waits.interval, 1.0) * (attempt + 1))


def _delete(session: Any, kind_name: str, rid: str, attachments: dict[str, Any]) -> str | None:
    kind = session.kinds[kind_name]
    for action, params in _prepare(kind_name, rid, attachments):
        _call(session, action, params)  # best effort: the delete below says what happened
    reply = _call(session, kind.delete, kind.delete_params(rid))
    if reply.ok or reply.code in session.kinds.own_codes(kind_name):
        if reply.ok and kind_name == "instance":
            _await_terminated(session, rid)
        return None
    if session.kinds.is_gone(reply.code) and not _still_listed(session, kind_name, rid):
        # A NotFound naming something else (moto refuses TerminateInstances with
        # InvalidVolume.NotFound when a volume it thinks attached is gone): gone only if
        # a read agrees; otherwise it is a leftover, not an instance to wait for.
        return None
    if kind_name == "vpc_peering_connection" and reply.code == "InvalidStateTransition":
        return None  # rejected or failed connections cannot be deleted; they expire
    return reply.describe() + (f": {reply.message[:160]}" if reply.message else "")


def _prepare(kind: str, rid: str, attachments: dict[str, Any]) -> list[tuple[str, dict]]:
    """Detach/disassociate before delete, from what the model knows."""
    known = attachments.get(rid)
    if kind == "volume" and known:  # naming the instance and device suits strict targets
        return [("DetachVolume", {"VolumeId": rid, "InstanceId": known[0], "Device": known[1],
                                  "Force": True})]
    if kind == "address" and known:
        return [("DisassociateAddress", {"AssociationId": known})]
    if kind in ("internet_gateway", "vpn_gateway") and known:
        action = "DetachInternetGateway" if kind == "internet_gateway" else "DetachVpnGateway"
        field = "InternetGatewayId" if kind == "internet_gateway" else "VpnGatewayId"
        return [(action, {field: rid, "VpcId": known})]
    if kind == "route_table" and known:
        return [("DisassociateRouteTable", {"AssociationId": a}) for a in known]
    if kind == "security_group" and known:
        return [(action, {"GroupId": rid, "IpPermissions": perms}) for action, perms in known]
    return []


def _attachments(model: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for r in model.live.values():
        if r.kind == "volume" and r.data.get("attachment"):
            out[r.id] = r.data["attachment"]
        elif r.kind == "address" and r.data.get("association"):
            out[r.id] = r.data["association"]
        elif r.kind in ("internet_gateway", "vpn_gateway") and r.data.get("attached"):
            out[r.id] = r.data["attached"]
        elif r.kind == "route_table" and r.data.get("associations"):
            out[r.id] = list(r.data["associations"])
        elif r.kind == "security_group" and r.data.get("rules"):
            refs = [rule for rule in r.data["rules"] if rule[4].startswith("group:")]
            out[r.id] = [_revoke(rule) for rule in refs] if refs else None
    return {k: v for k, v in out.items() if v}


def _revoke(rule: tuple) -> tuple[str, list[dict[str, Any]]]:
    direction, proto, low, high, source = rule
    perm: dict[str, Any] = {"IpProtocol": proto,
                            "UserIdGroupPairs": [{"GroupId": source.split(":", 1)[1]}]}
    if low is not None:
        perm.update(FromPort=low, ToPort=high)
    return ("RevokeSecurityGroupIngress" if direction == "in" else "RevokeSecurityGroupEgress",
            [perm])


def _still_listed(session: Any, kind_name: str, rid: str) -> bool:
    kind = session.kinds[kind_name]
    params = ({kind.describe_ids: [rid]} if kind.describe_ids
              else {"Filters": [{"Name": kind.filter, "Values": [rid]}]})
    reply = _call(session, kind.describe, params)
    return reply.ok and any(item.get(kind.id_member) == rid
                            and kind.state_of(item) not in kind.deleted_states
                            for item in kind.items_of(reply.data))


def _await_terminated(session: Any, rid: str) -> None:
    """A subnet or group cannot go before its instances have terminated."""
    deadline = time.monotonic() + session.waits.timeout
    session.client.waiting = f"instance {rid} to terminate (cleanup)"
    try:
        while time.monotonic() < deadline:
            reply = _call(session, "DescribeInstances",
                          {"Filters": [{"Name": "instance-id", "Values": [rid]}]})
            states = [dig(i, "State.Name") for i in session.kinds["instance"].items_of(reply.data)] \
                if reply.ok else []
            if not states or set(states) <= {"terminated"}:
                return
            if not reply.answered:
                return  # no answer: waiting longer will not help; teardown reports the rest
            time.sleep(session.waits.interval)
    finally:
        session.client.waiting = None


def _call(session: Any, action: str, params: dict[str, Any]):
    client: Client = session.client
    exchange = client.call(action, params)
    session.requests += 1
    return read_reply(exchange, session.catalog.model.operation_model(action))
