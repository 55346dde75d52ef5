"""Normalisation and comparison of two answers: masking is typed, and not blunt."""

from __future__ import annotations

import pytest

from ec2_conformance.diff import compare, mask_table, normalise
from ec2_conformance.diff._ids import IdMap
from ec2_conformance.protocol import Exchange, RawRequest, RecordedRequest, RecordedResponse

NS = "http://ec2.amazonaws.com/doc/2014-10-01/"
V = "2014-10-01"


def exchange(body: str, *, action: str = "DescribeVpcs", status: int = 200) -> Exchange:
    return Exchange(action=action, pairs=[("Action", action)],
                    request=RecordedRequest("POST", "http://127.0.0.1/", {}, ""),
                    response=RecordedResponse(status, {}, body.encode("utf-8")), elapsed=0.0)


def vpcs(*items: str, request_id: str = "r-1", ns: str = NS) -> str:
    return (f'<DescribeVpcsResponse xmlns="{ns}"><requestId>{request_id}</requestId>'
            f'<vpcSet>{"".join(items)}</vpcSet></DescribeVpcsResponse>')


def vpc(vpc_id: str, cidr: str, *, state: str = "available", default: str = "false",
        dhcp: str | None = "dopt-1") -> str:
    dhcp_xml = f"<dhcpOptionsId>{dhcp}</dhcpOptionsId>" if dhcp is not None else ""
    return (f"<item><vpcId>{vpc_id}</vpcId><state>{state}</state><cidrBlock>{cidr}</cidrBlock>"
            f"{dhcp_xml}<instanceTenancy>default</instanceTenancy>"
            f"<isDefault>{default}</isDefault></item>")


def diff(reference: str, subject: str, **kwargs):
    ids = kwargs.pop("ids", None) or IdMap()
    return compare(normalise(exchange(reference, **kwargs), V),
                   normalise(exchange(subject, **kwargs), V), ids), ids


def test_ids_request_ids_order_and_whitespace_are_not_differences():
    reference = vpcs(vpc("vpc-aaa", "10.0.0.0/16"), vpc("vpc-bbb", "10.1.0.0/16", dhcp="dopt-9"))
    # other IDs, the items in the other order, members in another order, whitespace
    subject = vpcs(
        "<item><cidrBlock> 10.1.0.0/16 </cidrBlock><vpcId>vpc-222</vpcId><state>available"
        "</state><dhcpOptionsId>dopt-7</dhcpOptionsId><instanceTenancy>default</instanceTenancy>"
        "<isDefault>false</isDefault></item>\n  ",
        vpc("vpc-111", "10.0.0.0/16", dhcp="dopt-3"), request_id="other")
    found, ids = diff(reference, subject)
    assert found == []
    # the items were matched by content, so the right IDs were paired
    assert ids.forward["vpc-aaa"] == "vpc-111" and ids.forward["vpc-bbb"] == "vpc-222"


def test_a_changed_enumeration_value_is_reported_at_its_path():
    found, _ = diff(vpcs(vpc("vpc-a", "10.0.0.0/16")),
                    vpcs(vpc("vpc-b", "10.0.0.0/16", state="pending")))
    assert [(d.aspect, d.path, d.reference, d.subject, d.data_type) for d in found] == [
        ("enum-value", "/DescribeVpcsResponse/vpcSet/item/state", "available", "pending",
         "VpcState")]
    assert found[0].at == "/DescribeVpcsResponse/vpcSet/item[1]/state"


def test_a_missing_element_is_reported_even_when_its_value_is_masked():
    found, _ = diff(vpcs(vpc("vpc-a", "10.0.0.0/16")),
                    vpcs(vpc("vpc-b", "10.0.0.0/16", dhcp=None)))
    assert [(d.aspect, d.path, d.reference, d.subject) for d in found] == [
        ("presence", "/DescribeVpcsResponse/vpcSet/item/dhcpOptionsId", "present", "absent")]


def test_boolean_values_compare_and_plain_values_compare():
    found, _ = diff(vpcs(vpc("vpc-a", "10.0.0.0/16")),
                    vpcs(vpc("vpc-b", "10.9.0.0/16", default="true")))
    assert sorted((d.aspect, d.path.rsplit("/", 1)[-1]) for d in found) == [
        ("enum-value", "isDefault"), ("value", "cidrBlock")]


def test_value_type_differs_when_a_number_is_not_one():
    body = ('<CreateVolumeResponse xmlns="{ns}"><requestId>1</requestId><volumeId>vol-1'
            '</volumeId><size>{size}</size><availabilityZone>us-east-1a</availabilityZone>'
            '<status>creating</status><createTime>2014-01-01T00:00:00.000Z</createTime>'
            '</CreateVolumeResponse>')
    same, _ = diff(body.format(ns=NS, size="8"),
                   body.format(ns=NS, size="8").replace("2014-01-01", "2020-05-05"),
                   action="CreateVolume")
    assert same == []  # a timestamp member (DateTime in the schema) is masked
    found, _ = diff(body.format(ns=NS, size="8"), body.format(ns=NS, size="eight"),
                    action="CreateVolume")
    assert [(d.aspect, d.reference, d.subject) for d in found] == [("value-type", "number", "text")]


def test_list_lengths_compare_only_from_the_same_start():
    reference = vpcs(vpc("vpc-a", "10.0.0.0/16"), vpc("vpc-b", "10.1.0.0/16"))
    subject = vpcs(vpc("vpc-c", "10.0.0.0/16"))
    found, _ = diff(reference, subject)
    assert [(d.aspect, d.reference, d.subject) for d in found] == [("list-length", "2", "1")]
    later = compare(normalise(exchange(reference), V), normalise(exchange(subject), V), IdMap(),
                    same_start=False)
    assert later == []


@pytest.mark.parametrize("subject, aspect", [
    (vpcs(vpc("vpc-b", "10.0.0.0/16"), ns="http://ec2.amazonaws.com/doc/2016-11-15"),
     "namespace"),
    ("<Response><Errors><Error><Code>InvalidVpcID.NotFound</Code><Message>x</Message></Error>"
     "</Errors><RequestID>1</RequestID></Response>", "status-class"),
    ("<html><body>oops</body></html>", "body"),
    (f'<DescribeSubnetsResponse xmlns="{NS}"><requestId>1</requestId></DescribeSubnetsResponse>',
     "root-element"),
])
def test_document_level_differences(subject, aspect):
    status = 400 if "Errors" in subject else 200
    reference = normalise(exchange(vpcs(vpc("vpc-a", "10.0.0.0/16"))), V)
    found = compare(reference, normalise(exchange(subject, status=status), V), IdMap())
    assert [d.aspect for d in found] == [aspect]


def test_error_codes_compare_and_messages_do_not():
    def error(code: str, message: str) -> str:
        return (f"<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error>"
                f"</Errors><RequestID>{message}</RequestID></Response>")
    same, _ = diff(error("InvalidVpcID.NotFound", "a"), error("InvalidVpcID.NotFound", "b"),
                   status=400)
    assert same == []
    found, _ = diff(error("InvalidVpcID.NotFound", "a"), error("InvalidVpcID.Malformed", "a"),
                    status=400)
    assert [(d.aspect, d.reference, d.subject) for d in found] == [
        ("error-code", "InvalidVpcID.NotFound", "InvalidVpcID.Malformed")]


def test_learned_ids_are_remapped_in_requests_and_literal_bodies():
    ids = IdMap()
    diff(vpcs(vpc("vpc-ref", "10.0.0.0/16")), vpcs(vpc("vpc-sub", "10.0.0.0/16")), ids=ids)
    raw = RawRequest(pairs=[("Action", "DeleteVpc"), ("VpcId", "vpc-ref"),
                            ("Other", "vpc-unknown")])
    assert ids.remap(raw).pairs == [("Action", "DeleteVpc"), ("VpcId", "vpc-sub"),
                                    ("Other", "vpc-unknown")]
    literal = RawRequest(body=b"Action=DeleteVpc&VpcId=vpc-ref")
    assert ids.remap(literal).body == b"Action=DeleteVpc&VpcId=vpc-sub"


def test_masks_come_from_catalog_types_and_data_with_reasons():
    table = mask_table(V)
    # ID members from the catalog's ID kinds and ID parameters, not from value shapes
    assert {"vpcId", "routeTableAssociationId", "peerVpcId", "groupId"} <= table.ids
    assert table.kind("vpcId", "xs:string") == "id"
    assert table.kind("launchTime", "xs:dateTime") == "timestamp"
    assert table.kind("keyFingerprint", "xs:string") == "key-material"
    assert table.kind("cidrBlock", "xs:string") is None
    assert table.kind("state", "VpcState") is None


def test_every_masked_member_is_a_member_of_the_response_schema_or_error_envelope():
    from ec2_conformance.diff._masks import load_mask_data
    from ec2_conformance.schemas import build_ir, read_schema_bytes

    ir = build_ir(V)
    members = {m.name for t in ir.types.values() if t and t.kind == "struct" for m in t.members}
    envelope = read_schema_bytes("errors.xsd").decode("utf-8")
    for entry in load_mask_data(V)["members"]:
        assert entry["why"].strip()
        assert entry["member"] in members or f'name="{entry["member"]}"' in envelope, entry


def test_codes_of_an_envelope_with_another_root_still_compare():
    def error(code: str) -> str:
        return (f"<ErrorResponse><Error><Code>{code}</Code></Error>"
                f"<RequestId>1</RequestId></ErrorResponse>")
    found, _ = diff(error("InvalidVpcID.NotFound"), error("InvalidParameterValue"), status=400)
    assert [(d.aspect, d.path, d.reference, d.subject) for d in found] == [
        ("error-code", "/ErrorResponse/Error/Code", "InvalidVpcID.NotFound",
         "InvalidParameterValue")]


def test_text_composed_from_paired_ids_is_the_same_text():
    ids = IdMap()
    ids.learn("i-ref", "i-sub")
    ids.learn("ami-ref", "ami-sub")
    body = ('<DescribeVpcsResponse xmlns="{ns}"><requestId>1</requestId><vpcSet><item>'
            '<vpcId>vpc-1</vpcId><cidrBlock>{text}</cidrBlock></item></vpcSet>'
            '</DescribeVpcsResponse>')
    same, _ = diff(body.format(ns=NS, text="made by i-ref for ami-ref"),
                   body.format(ns=NS, text="made by i-sub for ami-sub"), ids=ids)
    assert same == []
    found, _ = diff(body.format(ns=NS, text="made by i-ref for ami-ref"),
                    body.format(ns=NS, text="made by i-sub for ami-other"), ids=ids)
    assert [d.aspect for d in found] == ["value"]
