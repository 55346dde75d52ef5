import requests

from ec2_conformance.protocol import Client
from ec2_conformance.target import EmbeddedTarget, is_loopback


def test_start_reset_stop():
    target = EmbeddedTarget().start()
    try:
        assert is_loopback(target.endpoint)
        with Client(target.endpoint) as client:
            client.call("CreateVpc", {"CidrBlock": "10.9.0.0/16"})
            assert b"10.9.0.0/16" in client.call("DescribeVpcs").response.body
            target.reset()
            assert b"10.9.0.0/16" not in client.call("DescribeVpcs").response.body
    finally:
        endpoint = target.endpoint
        target.stop()
    try:
        requests.get(endpoint, timeout=2)
        reachable = True
    except requests.ConnectionError:
        reachable = False
    assert not reachable


def test_is_loopback():
    assert is_loopback("http://localhost:4566")
    assert is_loopback("http://127.0.0.5:80")
    assert is_loopback("http://[::1]:80")
    assert not is_loopback("https://ec2.us-east-1.amazonaws.com")
