"""XSD validation through libxml2: what a schema issue says, whatever the answer's size."""

import pytest
from lxml import etree

from ec2_conformance.checks._xsd import _Validator, response_validator

NS = "http://ec2.amazonaws.com/doc/2014-10-01/"


def _vpn_connections(connection_type: str) -> etree._Element:
    return etree.fromstring(
        f'<DescribeVpnConnectionsResponse xmlns="{NS}"><requestId>r</requestId>'
        "<vpnConnectionSet><item><vpnConnectionId>vpn-1</vpnConnectionId>"
        "<state>available</state><customerGatewayConfiguration>x"
        f"</customerGatewayConfiguration><type>{connection_type}</type>"
        "<customerGatewayId>cgw-1</customerGatewayId><vpnGatewayId>vgw-1</vpnGatewayId>"
        "</item></vpnConnectionSet></DescribeVpnConnectionsResponse>".encode())


@pytest.mark.parametrize("length", [12, 5_000, 70_000])
def test_a_value_outside_its_enumeration_says_which_set_however_long(length):
    """libxml2 cuts its messages at 64,000 characters: an echoed 70,000-character value
    (moto keeps what a request sent) left no set in the message, and the report said "a
    value that is not ?".  VpnConnection's type: "The type of VPN connection (ipsec.1)"
    (Data Types > VpnConnection)."""
    [issue] = response_validator("2014-10-01").validate(_vpn_connections("a" * length))
    assert issue.kind == "SCHEMAV_CVC_ENUMERATION_VALID"
    assert issue.expected == "one of {'ipsec.1'}"
    assert issue.message.endswith("is not an element of the set {'ipsec.1'}.")
    assert len(issue.message) < 300 and issue.observed == "a" * length
    if length == 5_000:
        assert "(5,000 characters)" in issue.message
    if length == 70_000:  # libxml2 kept less than the whole value
        assert "characters or more, cut by libxml2)" in issue.message


SMALL = _Validator(b"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:element name="r"><xs:complexType><xs:sequence>
    <xs:element name="size" type="xs:int"/><xs:element name="at" type="xs:dateTime"/>
  </xs:sequence></xs:complexType></xs:element></xs:schema>""")


@pytest.mark.parametrize("length", [300, 70_000])
def test_a_value_not_of_its_atomic_type_says_which_type_however_long(length):
    root = etree.fromstring(f"<r><size>{'7' * length}x</size><at>{'1' * length}</at></r>"
                            .encode())
    issues = SMALL.validate(root)
    assert [i.expected for i in issues] == ["a value of type xs:int",
                                            "a value of type xs:dateTime"]
    assert all(len(i.message) < 300 and i.message.endswith("'.") for i in issues)


def test_a_valid_value_has_no_issue():
    assert response_validator("2014-10-01").validate(_vpn_connections("ipsec.1")) == []
