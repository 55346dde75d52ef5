"""Invariants every kind shares: describe lists, deleted resources, attributes, states, tags."""

from __future__ import annotations

from typing import Any

from ...catalog import resource_kinds
from ._registry import View, Violated, invariant_check
from ._observe import filter_passage, project

# The kinds an invariant watches are named when it registers (the kinds are the same in
# every version the machines run; a later version's file only adds).
_KINDS = resource_kinds()
ALL = _KINDS.names()


def _kinds_seen(view: View) -> list[str]:
    return [k for k in view.model.kinds.names() if k in view.model.kinds_seen]


def tags_of(item: dict[str, Any]) -> dict[str, str]:
    tags = item.get("Tags", item.get("TagSet")) or []
    return {t.get("Key", ""): t.get("Value", "") for t in tags if isinstance(t, dict)}


@invariant_check(
    "describe-lists-exactly-model",
    description="Describe* (scoped to this run) returns every resource the model holds and no "
                "other: nothing the model created is missing, nothing unknown appears",
    spec_ref="Eventual Consistency",
    quote="For example, if you run a command to create a resource, it will eventually be "
          "visible to other commands.",
    kinds=ALL)
def describe_lists_exactly_model(view: View) -> None:
    for kind in _kinds_seen(view):
        observed = view.items(kind)
        live = {r.id for r in view.model.of(kind)}
        missing = sorted(live - set(observed) - view.model.tainted)
        if missing:
            raise Violated(f"{view.model.kinds[kind].describe} does not list {kind} {missing[0]}, which "
                           "the model holds", expected=f"{kind} listed",
                           observed="absent", resource=missing[0])
        unknown = sorted(set(observed) - live - set(view.model.gone) - view.model.tainted)
        if unknown:
            # Not eventual consistency: the listing ignored its filter.  Its passage says so.
            describe, id_filter = view.model.kinds[kind].describe, view.model.kinds[kind].filter
            raise Violated(f"{describe}, filtered by {id_filter} to this "
                           f"run's resources, lists {kind} {unknown[0]}, which this run never "
                           "created", expected="only the model's resources",
                           observed=f"{kind} {unknown[0]}", resource=unknown[0],
                           spec_ref=f"{describe} > Request Parameters > Filter.N",
                           quote=filter_passage(describe, id_filter) or None)


@invariant_check(
    "deleted-resources-disappear",
    description="a deleted resource is no longer listed, or is listed only in a deleted state "
                "the spec names (terminated instances, deleted gateways and connections)",
    spec_ref="TerminateInstances > Description",
    quote="Terminated instances remain visible after termination (for approximately one hour).",
    kinds=ALL)
def deleted_resources_disappear(view: View) -> None:
    for kind in _kinds_seen(view):
        for rid, item in view.items(kind).items():
            dead = view.model.gone.get(rid)
            if dead is None or rid in view.model.live or rid in view.model.tainted:
                continue
            allowed = dead.states or view.model.kinds[kind].deleted_states
            state = view.model.kinds[kind].state_of(item)
            if not allowed or state not in allowed:
                how = " with its VPC" if dead.implicit else ""
                raise Violated(f"{kind} {rid} was deleted{how} but {view.model.kinds[kind].describe} still "
                               f"lists it" + (f" in state {state!r}" if state else ""),
                               expected="absent" + (f" or state in {sorted(allowed)}"
                                                    if allowed else ""),
                               observed=f"listed, state {state!r}", resource=rid,
                               **(_WITH_ITS_VPC if dead.implicit else {}))


# A VPC's default security group, main route table and default network ACL are not
# deleted one by one: DeleteVpc requires all else gone "except the default one".
_WITH_ITS_VPC = {
    "rule_key": "deleted-resources-disappear:with-its-vpc",  # implied: see the rule table
    "spec_ref": "DeleteVpc > Description",
    "quote": "You must detach or delete all gateways and resources that are associated with "
             "the VPC before you can delete it. For example, you must terminate all instances "
             "running in the VPC, delete all security groups associated with the VPC (except "
             "the default one), delete all route tables associated with the VPC (except the "
             "default one), and so on."}


@invariant_check(
    "describe-attributes-match-model",
    description="each listed resource shows the attributes its requests set (CIDR blocks, "
                "VPC/subnet links, sizes, zones, attachments, associations, rules numbers)",
    spec_ref="CreateSubnet > Description",
    quote="After you create a subnet, you can't change its CIDR block.",
    kinds=ALL)
def describe_attributes_match_model(view: View) -> None:
    for kind in _kinds_seen(view):
        for rid, item in view.live_items(kind).items():
            resource = view.model.live[rid]
            for key, expected in sorted(resource.attrs.items()):
                observed = project(kind, key, item)
                if expected is not None and observed != expected:
                    raise Violated(f"{kind} {rid} shows {key.lstrip('~')} {observed!r}; the "
                                   f"requests that made it say {expected!r}",
                                   expected="the value the requests set",
                                   observed=repr(observed), resource=rid,
                                   path=f"{kind}/{key.lstrip('~')}")


@invariant_check(
    "resource-states-match-model",
    description="each listed resource is in a state its lifecycle allows at this point "
                "(pending/available after create, in-use while attached, running after launch)",
    spec_ref="Ensuring Idempotency",
    quote="You determine whether the operation was successful by monitoring the state of the "
          "instance (it goes from `pending` to `running`).",
    kinds=ALL)
def resource_states_match_model(view: View) -> None:
    for kind in _kinds_seen(view):
        for rid, item in view.live_items(kind).items():
            resource = view.model.live[rid]
            state = view.model.kinds[kind].state_of(item)
            if resource.data.get("overlap"):
                continue  # peering-overlap-fails judges these
            if resource.states and state not in resource.states:
                raise Violated(f"{kind} {rid} is in state {state!r}; its lifecycle allows "
                               f"{sorted(resource.states)} now",
                               expected=" or ".join(resource.states), observed=repr(state),
                               resource=rid)


@invariant_check(
    "tags-round-trip",
    description="a resource's tags are exactly those CreateTags set and DeleteTags left",
    spec_ref="CreateTags > Description",
    quote="Adds or overwrites one or more tags for the specified Amazon EC2 resource or "
          "resources.",
    kinds=tuple(k.name for k in _KINDS if k.taggable))
def tags_round_trip(view: View) -> None:
    for kind in _kinds_seen(view):
        if not view.model.kinds[kind].taggable:
            continue
        for rid, item in view.live_items(kind).items():
            resource = view.model.live[rid]
            observed = tags_of(item)
            if observed != resource.tags:
                raise Violated(f"{kind} {rid} carries tags {observed}; the model set "
                               f"{resource.tags}", expected="the tags the requests set",
                               observed=observed, resource=rid, path=f"{kind}/Tags")


@invariant_check(
    "client-token-idempotent",
    description="repeating RunInstances with the same ClientToken returns the same instances",
    spec_ref="Ensuring Idempotency",
    quote="If you repeat a request, the same response is returned for each repeated request. "
          "The only information that might vary in the response is the state of the instance.",
    kinds=("instance",))
def client_token_idempotent(view: View) -> None:
    for token, record in view.model.tokens.items():
        for answer in record["answers"][1:]:
            if sorted(answer) != sorted(record["ids"]):
                raise Violated(f"RunInstances repeated with ClientToken {token!r} answered "
                               f"{sorted(answer)}, the first request {sorted(record['ids'])}",
                               expected="the first request's instances",
                               observed=sorted(answer))
