"""The world against a real moto server: build, fresh resources, adoption, teardown."""

import pytest

from ec2_conformance.catalog import resource_kinds
from ec2_conformance.world import World, WorldError

from .conftest import Counting

RUN_TAG = resource_kinds().run_tag


@pytest.fixture
def world(moto_client):
    built = World.build(moto_client, None, run_id="wt",
                        kinds=["vpc", "subnet", "security_group", "instance", "allocation"])
    yield built
    built.teardown()


def test_build_reads_the_offer_and_makes_base_resources(world, moto_client):
    assert world.azs and world.az.startswith("us-east-1")
    assert world.images and world.instance_types[0] == "t2.micro"
    assert world.ids("vpc")[0].startswith("vpc-")
    assert world.ids("gateway") == []  # not built here: fewer kinds, no error
    assert world.field_values("allocation", "public_ip")
    assert set(world.ids("taggable_resource")) >= set(world.ids("vpc") + world.ids("subnet"))
    body = moto_client.call("DescribeTags", {"Filters": [
        {"Name": "resource-id", "Values": world.ids("vpc")}]}).response.body
    assert RUN_TAG.encode() in body and b"wt" in body


def test_fresh_resources_are_new_and_torn_down(world, moto_client):
    attached = world.fresh("attached_internet_gateway")
    assert attached.id.startswith("igw-") and attached.get("vpc").startswith("vpc-")
    assert world.teardown() == []
    answer = moto_client.call("DescribeInternetGateways",
                              {"InternetGatewayIds": [attached.id]}).response
    assert answer.status == 400  # gone


def test_adopt_tracks_what_examples_created(world, moto_client):
    exchange = moto_client.call("CreateVpc", {"CidrBlock": "10.9.0.0/16"})
    adopted = world.adopt("CreateVpc", exchange.response.body)
    assert adopted.id.startswith("vpc-")
    assert world.teardown() == []
    assert moto_client.call("DescribeVpcs", {"VpcIds": [adopted.id]}).response.status == 400


def test_teardown_reports_what_it_could_not_undo(world, moto_client):
    vpc = world.ids("vpc")[0]
    # A subnet the world does not know about keeps the VPC alive.
    moto_client.call("CreateSubnet", {"VpcId": vpc, "CidrBlock": "10.0.200.0/24"})
    left = world.teardown()
    assert any(vpc in line and "DependencyViolation" in line for line in left)


def test_unknown_kinds_and_offline_worlds_are_clear_errors():
    offline = World.from_snapshot({"run_id": "o", "base": {"vpc": {"id": "vpc-1"}}})
    assert offline.ids("vpc") == ["vpc-1"] and offline.kinds == ["taggable_resource", "vpc"]
    with pytest.raises(WorldError, match="offline"):
        offline.fresh("vpc")
    with pytest.raises(WorldError, match="does not know"):
        offline.fresh("unicorn")
    assert World.from_snapshot(offline.to_json()).ids("vpc") == ["vpc-1"]


def test_a_fresh_resource_a_refused_request_left_serves_the_next(world, moto_client):
    mark = world.mark()
    first = world.fresh("vpc")
    world.returned(used=False)  # the target refused the request: the VPC is as made
    assert world.fresh("vpc") is first
    world.returned(used=True)  # this time it was used: the next one is new
    second = world.fresh("vpc")
    assert second is not first and second.id != first.id
    world.returned(used=False)
    assert world.release(mark) == [] and world.fresh("vpc") is not second  # released: not spare


def test_a_world_on_a_throwaway_target_does_not_tag(world, moto_client):
    world.tag_resources = False
    vpc = world.fresh("vpc")
    body = moto_client.call("DescribeTags", {"Filters": [
        {"Name": "resource-id", "Values": [vpc.id]}]}).response.body
    assert RUN_TAG.encode() not in body


def test_describe_spec_comes_from_the_resource_kinds_unless_the_plan_says_otherwise():
    from ec2_conformance.catalog import load_catalog
    from ec2_conformance.world import describe_spec, load_plan

    catalog, plan = load_catalog(), load_plan()
    assert describe_spec("vpc") == {"action": "DescribeVpcs", "element": "vpcId"}
    assert describe_spec("snapshot")["params"] == {"Owner.1": "self"}  # the plan adds it
    assert describe_spec("allocation")["element"] == "publicIp"  # the plan says instead
    assert describe_spec("no_such_kind") is None
    for kind in set(plan["describe_for"].values()):
        spec = describe_spec(kind)
        assert spec is not None and spec["action"] in catalog.actions, kind


def test_a_base_made_on_demand_makes_only_what_is_asked_for(moto_client):
    """The self-test's units run one action each: a subnet is asked for, so its VPC and the
    subnet are made, through the base client, and nothing else."""
    offer = World.build(moto_client, None, run_id="od", kinds=[]).to_json()
    run, base = Counting(moto_client), Counting(moto_client)
    world = World.from_snapshot(offer, run)
    world.base_client = base
    world.make_base_on_demand()
    assert not base.sent and not run.sent and dict(world.base) == {}
    subnet = world.ids("subnet")
    assert subnet[0].startswith("subnet-") and world.ids("vpc")[0].startswith("vpc-")
    assert set(dict(world.base)) == {"vpc", "subnet"}  # the subnet's template read the VPC
    assert {"CreateVpc", "CreateSubnet"} <= set(base.sent) and not run.sent
    assert "CreateVpc" not in base.sent[base.sent.index("CreateSubnet"):]  # made once
    # asking what is taggable names the tagged base kinds, made now, not before
    assert set(world.ids("taggable_resource")) >= set(subnet)
    assert "CreateVolume" in base.sent
    world.fresh("vpc")  # what a run makes goes through the run's client
    assert run.sent == ["CreateVpc", "CreateTags"]
    assert world.teardown() == []
