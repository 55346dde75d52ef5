"""The checks against a real moto server: what they find, once per cause.

moto 5 answers Version=2014-10-01 requests in the 2016-11-15 namespace (without
the trailing slash) and with elements 2016-11-15 added; its error envelope is
namespaced too.  Each response gets one namespace finding, the additions are
extensions, and the content is otherwise judged as if the namespace were right.
"""

from ec2_conformance.catalog import load_catalog
from ec2_conformance.checks import CheckContext, run_checks_detailed
from ec2_conformance.outcome import Expectation, Severity

CATALOG = load_catalog("2014-10-01")
MOTO_NS = "http://ec2.amazonaws.com/doc/2016-11-15"


def judge(exchange, action, expectation=None):
    return run_checks_detailed(exchange, CheckContext(catalog=CATALOG, action=action,
                                                      expectation=expectation))


def test_describe_vpcs_one_namespace_finding_and_extensions(moto_client):
    report = judge(moto_client.call("DescribeVpcs"), "DescribeVpcs")
    assert report.failed == ["namespace"]
    (namespace,) = [f for f in report.findings if f.check == "namespace"]
    assert namespace.observed == MOTO_NS and namespace.expected == CATALOG.namespace
    assert "2016-11-15" in namespace.message
    # what the served namespace is sits beside it, not after the expected one
    assert namespace.message.index("2016-11-15's namespace") < namespace.message.index("expected")
    others = [f for f in report.findings if f.check != "namespace"]
    assert others and all(f.severity is Severity.EXTENSION for f in others)
    assert "/DescribeVpcsResponse/vpcSet/item/cidrBlockAssociationSet" in {f.path for f in others}
    assert {"schema", "request-id", "http-status-class"} <= set(report.passed)


def test_create_vpc_content_is_judged_despite_the_namespace(moto_client):
    report = judge(moto_client.call("CreateVpc", {"CidrBlock": "10.0.0.0/16"}), "CreateVpc",
                   Expectation("success"))
    assert report.failed == ["namespace"]
    paths = {f.path for f in report.findings if f.check == "extension"}
    assert "/CreateVpcResponse/vpc/ownerId" in paths


def test_delete_vpc_without_return_is_a_schema_finding(moto_client):
    """moto answers DeleteVpc with no <return>; the spec's Response Elements list it."""
    created = moto_client.call("CreateVpc", {"CidrBlock": "10.1.0.0/16"})
    vpc_id = created.response.text.split("<vpcId>")[1].split("</vpcId>")[0]
    report = judge(moto_client.call("DeleteVpc", {"VpcId": vpc_id}), "DeleteVpc")
    assert report.failed == ["namespace", "schema"]
    (schema,) = [f for f in report.findings if f.check == "schema"]
    assert "Missing child element" in schema.message and "return" in schema.expected
    assert schema.path == "/DeleteVpcResponse" and schema.data_type == "DeleteVpcResponseType"
    assert "return-true" not in report.ran  # nothing to judge: the schema finding says why


def test_error_envelope_is_namespaced_but_otherwise_as_specified(moto_client):
    exchange = moto_client.call("DescribeVpcs", {"VpcIds": ["vpc-12345678"]})
    assert exchange.response.status == 400
    expectation = Expectation("error", frozenset({"InvalidVpcID.NotFound"}),
                              "nonexistent-id:VpcId")
    report = judge(exchange, "DescribeVpcs", expectation)
    assert report.failed == []  # the envelope's namespace: a warning (the spec only shows none)
    (namespace,) = report.findings
    assert namespace.severity is Severity.WARNING and namespace.check == "namespace"
    assert namespace.expected == "(no namespace)" and namespace.path == "/Response"
    assert {"error-envelope", "error-code-documented", "expected-error-code", "request-id",
            "http-status-class"} <= set(report.passed)


def test_unknown_action_gets_no_invalid_action_error(moto_client):
    """The spec: InvalidAction (Common Client Errors); moto answers HTTP 500 with HTML."""
    exchange = moto_client.call_pairs([("Action", "NotAnAction"), ("Version", "2014-10-01")])
    expectation = Expectation("error", frozenset({"InvalidAction"}), "wire:unknown-action",
                              "Common Client Errors > InvalidAction")
    report = run_checks_detailed(exchange, CheckContext(catalog=CATALOG, action=None,
                                                        expectation=expectation))
    # One finding: that the HTML page carries no InvalidAction code follows from it.
    assert report.failed == ["xml-content"]
    assert "expected-error-code" in report.ran
    assert [f.check for f in report.findings] == ["xml-content"]


def test_unimplemented_action_is_one_xml_content_finding(moto_client):
    exchange = moto_client.call("ImportVolume", {
        "AvailabilityZone": "us-east-1a", "Volume": {"Size": 1},
        "Image": {"Format": "RAW", "Bytes": 1, "ImportManifestUrl": "https://example.com/m"}})
    assert exchange.response.status == 500
    report = judge(exchange, "ImportVolume")
    assert [(f.check, f.observed) for f in report.findings] == [("xml-content", "not-xml")]
