"""The machines read each answer through the hardened parse, then botocore's public parser."""

import pytest

from ec2_conformance.catalog import load_catalog
from ec2_conformance.machines._reply import read_reply
from ec2_conformance.protocol import Exchange, RecordedRequest, RecordedResponse

NS = "http://ec2.amazonaws.com/doc/2014-10-01/"
LAUGHS = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
          '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
          f'<CreateVpcResponse xmlns="{NS}"><requestId>r</requestId><vpc><vpcId>&c;</vpcId>'
          "</vpc></CreateVpcResponse>")


@pytest.fixture(scope="module")
def create_vpc():
    return load_catalog("2014-10-01").model.operation_model("CreateVpc")


def _exchange(body: bytes, status: int = 200) -> Exchange:
    return Exchange("CreateVpc", [], RecordedRequest("POST", "http://127.0.0.1/", {}, ""),
                    RecordedResponse(status, {"Content-Type": "text/xml"}, body), 0.0)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "iso-8859-1"])
def test_a_well_formed_answer_reads_as_boto3_shaped_data(create_vpc, encoding):
    body = (f'<?xml version="1.0" encoding="{encoding}"?>'
            f'<CreateVpcResponse xmlns="{NS}"><requestId>r</requestId><vpc>'
            "<vpcId>vpc-<!-- split -->1a2b3c4d</vpcId><state>pending</state>"
            "<cidrBlock>10.0.0.0/16</cidrBlock><tagSet><item><key>n</key><value>Zoë</value>"
            "</item></tagSet></vpc></CreateVpcResponse>").encode(encoding)
    reply = read_reply(_exchange(body), create_vpc)
    assert reply.ok, reply.problem
    assert reply.data["Vpc"] == {"VpcId": "vpc-1a2b3c4d", "State": "pending",
                                 "CidrBlock": "10.0.0.0/16",
                                 "Tags": [{"Key": "n", "Value": "Zoë"}]}


def test_entity_expansion_is_refused(create_vpc):
    reply = read_reply(_exchange(LAUGHS.encode()), create_vpc)
    assert not reply.ok and reply.problem.startswith("dtd:"), reply.problem
    assert reply.data == {}


def test_an_external_entity_is_neither_fetched_nor_read(create_vpc, listener):
    url, hits = listener
    body = (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "{url}/x">]>'
            f'<CreateVpcResponse xmlns="{NS}"><vpc><vpcId>&x;</vpcId></vpc>'
            "</CreateVpcResponse>").encode()
    reply = read_reply(_exchange(body), create_vpc)
    assert reply.problem.startswith("dtd:") and hits == []


def test_an_error_answer_too_deep_to_parse_is_unreadable(create_vpc):
    body = b"<Response>" + b"<a>" * 5000 + b"</a>" * 5000 + b"</Response>"
    reply = read_reply(_exchange(body, status=400), create_vpc)
    assert reply.code is None and reply.problem.startswith("too-deep:"), reply.problem
