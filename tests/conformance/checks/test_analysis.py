"""The judged copy: walked before the XSD judges it, and a big answer judged once.

The XSD validates the copy once, after the extension walk: that is the same verdict as
validating first only because an extension hit makes the answer as sent invalid (the
schema is strict: ``xs:all`` of the members, exact enumerations).  These tests hold
that, the conflict case where it need not hold, and the memo of big answers.
"""

from lxml import etree

from ec2_conformance.catalog import load_catalog
from ec2_conformance.checks import CheckContext, run_checks_detailed
from ec2_conformance.checks import _analysis, _conflicts
from ec2_conformance.checks._analysis import _renamed
from ec2_conformance.checks._walk import strip_extensions
from ec2_conformance.checks._xsd import response_validator
from ec2_conformance.checks._run import offline_exchange
from ec2_conformance.schemas import build_ir

CATALOG = load_catalog("2014-10-01")
NS = CATALOG.namespace
LATER_NS = "http://ec2.amazonaws.com/doc/2016-11-15/"


def _later_only_instance_type() -> str:
    mine, later = build_ir("2014-10-01"), build_ir("2016-11-15")
    return sorted(set(later.type("InstanceType").values) - set(mine.type("InstanceType").values))[0]


def _spot_prices(items: int, instance_type: str = "m1.small", ns: str = NS) -> bytes:
    item = ("<item><instanceType>{}</instanceType><productDescription>Linux/UNIX"
            "</productDescription><spotPrice>0.01</spotPrice>"
            "<timestamp>2014-01-02T15:04:05.000Z</timestamp>"
            "<availabilityZone>us-east-1a</availabilityZone></item>")
    return (f'<DescribeSpotPriceHistoryResponse xmlns="{ns}"><requestId>r-1</requestId>'
            f"<spotPriceHistorySet>{item.format(instance_type) * items}</spotPriceHistorySet>"
            "</DescribeSpotPriceHistoryResponse>").encode()


def _judge(body: bytes, action: str):
    exchange = offline_exchange(body, action, "2014-10-01")
    ctx = CheckContext(catalog=CATALOG, action=action)
    return run_checks_detailed(exchange, ctx), ctx.analysis(exchange)


def _hits_and_validity(body: bytes, action: str):
    root = etree.fromstring(body)
    mine, later = build_ir("2014-10-01"), build_ir("2016-11-15")
    judged = _renamed(root, etree.QName(root).namespace, NS)
    valid = response_validator("2014-10-01").is_valid(judged)
    return strip_extensions(judged, action, mine, later, NS), valid


def test_an_added_value_or_element_makes_the_answer_as_sent_invalid():
    value_body = _spot_prices(2, _later_only_instance_type())
    element_body = (f'<DescribeVpcsResponse xmlns="{LATER_NS}"><requestId>r</requestId>'
                    "<vpcSet><item><vpcId>vpc-1</vpcId><state>available</state>"
                    "<cidrBlock>10.0.0.0/16</cidrBlock><dhcpOptionsId>default</dhcpOptionsId>"
                    "<instanceTenancy>default</instanceTenancy><isDefault>false</isDefault>"
                    "<cidrBlockAssociationSet/></item></vpcSet>"
                    "</DescribeVpcsResponse>").encode()
    for body, action in ((value_body, "DescribeSpotPriceHistory"),
                         (element_body, "DescribeVpcs")):
        hits, valid = _hits_and_validity(body, action)
        assert hits and not valid, action
    hits, valid = _hits_and_validity(_spot_prices(2), "DescribeSpotPriceHistory")
    assert not hits and valid


def test_extensions_are_reported_and_the_rest_judged_as_before():
    report, analysis = _judge(_spot_prices(3, _later_only_instance_type()),
                              "DescribeSpotPriceHistory")
    (extension,) = [f for f in report.findings if f.check == "extension"]
    assert extension.extra["count"] == 3
    assert "schema" in report.passed and analysis.schema_issues == []
    report, _ = _judge(_spot_prices(3).replace(b"<timestamp>2014", b"<timestamp>May 2014"),
                       "DescribeSpotPriceHistory")
    assert "schema" in report.failed


def test_a_reading_of_a_conflict_the_schema_accepts_leaves_a_valid_answer_alone(monkeypatch):
    """Were the other reading of a conflict valid XSD, the answer as sent is valid, and a
    valid answer has nothing taken out of it and nothing reported (as when the XSD judged
    first)."""
    conflict = {"id": "made-up", "kind": "value", "element": "instanceType",
                "data_types": ["SpotPrice"], "accept": {"m1.small": "m1.large"},
                "wins": "-", "passages": [{"section": "-", "passage": "-"}]}
    monkeypatch.setattr(_conflicts, "load_conflicts", lambda version: [conflict])
    report, analysis = _judge(_spot_prices(2), "DescribeSpotPriceHistory")
    assert analysis.conflict_hits == [] and analysis.schema_issues == []
    assert not [f for f in report.findings if f.check in ("spec-conflict", "schema")]
    assert analysis.prepared.root.find(f".//{{{NS}}}instanceType").text == "m1.small"


def test_a_big_answer_sent_again_is_judged_once_with_the_same_findings():
    body = _spot_prices(1200, _later_only_instance_type(), ns=LATER_NS)
    assert len(body) >= _analysis._MEMO_MIN_BYTES
    first, first_analysis = _judge(body, "DescribeSpotPriceHistory")
    again, again_analysis = _judge(bytes(body), "DescribeSpotPriceHistory")
    assert again_analysis.prepared is first_analysis.prepared
    assert [f.to_json() for f in again.findings] == [f.to_json() for f in first.findings]
    assert {f.check for f in first.findings} == {"namespace", "extension"}
    # another answer is judged on its own
    other, _ = _judge(body.replace(b"r-1", b"r-2"), "DescribeSpotPriceHistory")
    assert [f.to_json() for f in other.findings] == [f.to_json() for f in first.findings]
    small, small_analysis = _judge(_spot_prices(2), "DescribeSpotPriceHistory")
    assert _analysis.ResponseAnalysis(small_analysis.exchange, small_analysis.ctx)._memo_key() is None
