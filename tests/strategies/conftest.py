"""An offline world (a snapshot, no target) for strategy tests."""

import pytest

from ec2_conformance.world import World

SNAPSHOT = {
    "run_id": "t", "region": "us-east-1", "azs": ["us-east-1a", "us-east-1b"],
    "images": ["ami-12c6146b"], "instance_types": ["t2.micro", "m1.small"],
    "base": {kind: {"id": rid, "fields": fields} for kind, rid, fields in [
        ("vpc", "vpc-11111111", {}), ("subnet", "subnet-22222222", {}),
        ("security_group", "sg-33333333", {}), ("key_pair", "ec2c-t-1", {}),
        ("instance", "i-44444444", {}), ("volume", "vol-55555555", {}),
        ("snapshot", "snap-66666666", {}), ("own_image", "ami-77777777", {}),
        ("allocation", "eipalloc-88888888", {"public_ip": "198.51.100.9"}),
        ("internet_gateway", "igw-99999999", {}), ("route_table", "rtb-aaaaaaaa", {}),
        ("network_acl", "acl-bbbbbbbb", {}), ("dhcp_options", "dopt-cccccccc", {}),
        ("customer_gateway", "cgw-dddddddd", {}), ("vpn_gateway", "vgw-eeeeeeee", {}),
        ("vpn_connection", "vpn-ffffffff", {}), ("network_interface", "eni-12121212", {}),
        ("vpc_peering_connection", "pcx-13131313", {}),
        ("spot_instance_request", "sir-14141414", {})]},
}


@pytest.fixture(scope="session")
def world():
    return World.from_snapshot(SNAPSHOT)
