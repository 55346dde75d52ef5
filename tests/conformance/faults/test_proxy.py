"""The fault proxy core: forwards faithfully, and applies data-described faults."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from ec2_conformance.faults import Fault, FaultError, FaultProxy
from ec2_conformance.protocol import Client
from ec2_conformance.target import free_port


@pytest.fixture
def through(moto_target):
    """``through(*fault_dicts)`` -> a client whose requests pass a fresh proxy."""
    moto_target.reset()
    opened = []

    def make(*specs):
        proxy = FaultProxy(moto_target.endpoint, [Fault.from_json({"name": f"f{i}", **spec})
                                                  for i, spec in enumerate(specs)]).start()
        client = Client(proxy.endpoint, max_retries=0)
        opened.append((proxy, client))
        return proxy, client
    yield make
    for proxy, client in opened:
        client.close()
        proxy.stop()


def _texts(body: bytes, local: str) -> list[str]:
    root = etree.fromstring(body)
    return [e.text for e in root.iter(etree.Element) if etree.QName(e).localname == local]


def test_without_faults_the_answer_is_the_upstreams(through, moto_client):
    proxy, client = through()
    vpc = _texts(client.call("CreateVpc", {"CidrBlock": "10.0.0.0/16"}).response.body,
                 "vpcId")[0]
    direct = moto_client.call("DescribeVpcs", {"VpcIds": [vpc]}).response
    proxied = client.call("DescribeVpcs", {"VpcIds": [vpc]}).response
    assert (proxied.status, proxied.body) == (direct.status, direct.body)
    assert proxy.applied == {}


def test_xml_edits_keep_the_namespace(through, moto_client):
    for cidr in ("10.0.0.0/16", "10.1.0.0/16"):
        moto_client.call("CreateVpc", {"CidrBlock": cidr})
    proxy, client = through({"action": "DescribeVpcs", "response": [
        {"op": "remove", "select": "//vpcSet/item[cidrBlock='10.1.0.0/16']"},
        {"op": "sub", "select": "//vpcSet/item/cidrBlock", "pattern": "/16$", "repl": "/29"},
        {"op": "duplicate", "select": "//vpcSet/item[1]", "count": 2, "vary": "vpcId"},
        {"op": "append", "select": "//vpcSet", "xml": "<item><vpcId>vpc-extra</vpcId></item>"},
        {"op": "set", "select": "//vpcSet/item[1]/state", "value": "pending"}]})
    body = client.call("DescribeVpcs", {}).response.body
    root = etree.fromstring(body)
    assert etree.QName(root).namespace == etree.QName(
        etree.fromstring(moto_client.call("DescribeVpcs", {}).response.body)).namespace
    ids = _texts(body, "vpcId")
    # moto's default VPC and our two, less the removed one, plus two copies and one appended
    assert len(ids) == 3 - 1 + 2 + 1 and ids[-1] == "vpc-extra"
    assert ids[1] == ids[0] + "-1" and ids[2] == ids[0] + "-2"
    assert "10.1.0.0/16" not in _texts(body, "cidrBlock")
    assert root.find("{*}vpcSet/{*}item/{*}state").text == "pending"
    assert proxy.applied == {"f0": 1}


def test_error_injection_and_matching(through):
    proxy, client = through({"action": "CreateVpc", "params": {"CidrBlock": "10.9.0.0/16"},
                             "error": {"code": "VpcLimitExceeded"}, "times": 1})
    first = client.call("CreateVpc", {"CidrBlock": "10.9.0.0/16"}).response
    assert first.status == 400 and b"<Code>VpcLimitExceeded</Code>" in first.body
    assert client.call("CreateVpc", {"CidrBlock": "10.9.0.0/16"}).response.status == 200
    assert client.call("CreateVpc", {"CidrBlock": "10.8.0.0/16"}).response.status == 200
    assert proxy.applied == {"f0": 1}


def test_status_body_and_request_edits(through):
    _, client = through(
        {"action": "DescribeVpcs", "status": 503, "body": "<busy>{action}</busy>"},
        {"action": "CreateVpc", "request": [{"op": "set_params",
                                             "values": {"CidrBlock": "10.5.0.0/24"}}]})
    busy = client.call("DescribeVpcs", {}).response
    assert (busy.status, busy.body) == (503, b"<busy>DescribeVpcs</busy>")
    made = client.call("CreateVpc", {"CidrBlock": "10.0.0.0/16"}).response.body
    assert _texts(made, "cidrBlock")[0] == "10.5.0.0/24"


def test_set_faults_replaces_and_resets_counts(through):
    proxy, client = through({"action": "DescribeVpcs", "error": {"code": "Boom"}})
    assert client.call("DescribeVpcs", {}).response.status == 400
    proxy.set_faults([])
    assert client.call("DescribeVpcs", {}).response.status == 200
    assert proxy.applied == {}


def test_an_unreachable_upstream_is_a_502():
    with FaultProxy(f"http://127.0.0.1:{free_port()}") as proxy, \
            Client(proxy.endpoint, max_retries=0) as client:
        answer = client.call("DescribeVpcs", {}).response
    assert answer.status == 502 and re.search(rb"upstream unreachable", answer.body)


@pytest.mark.parametrize("spec, message", [
    ({"name": "x", "response": [{"op": "explode", "select": "//a"}]}, "unknown response op"),
    ({"name": "x", "response": [{"op": "remove", "select": "//["}]}, "bad select"),
    ({"name": "x", "request": [{"op": "nope"}]}, "unknown request op"),
    ({"name": "x", "colour": "red"}, "unknown or missing fields"),
    ({"action": "X"}, "unknown or missing fields"),
])
def test_bad_fault_descriptions_are_refused_clearly(spec, message):
    with pytest.raises(FaultError, match=message):
        Fault.from_json(spec)
