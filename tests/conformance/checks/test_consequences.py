"""One finding per cause on one exchange: consequences.json applied to real answers."""

from ec2_conformance.checks import validate_body_detailed
from ec2_conformance.checks._consequences import drop_consequences, load_consequences
from ec2_conformance.checks._registry import REGISTRY
from ec2_conformance.outcome import Expectation, Finding, Severity

HTML_500 = b"<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>"
NOT_FOUND = Expectation("error", frozenset({"InvalidVpcID.NotFound"}), "nonexistent-id:VpcId")


def test_an_html_500_is_one_finding_not_also_a_missing_error_code():
    report = validate_body_detailed(HTML_500, "DeleteVpc", status=500, expectation=NOT_FOUND,
                                    content_type="text/html; charset=utf-8")
    checks = [f.check for f in report.findings]
    assert checks == ["xml-content"], checks
    assert "expected-error-code" in report.ran and "expected-error-code" not in report.failed


def test_an_accepted_invalid_request_is_not_judged_again_by_the_schema():
    echoed = (b'<CreateVpcResponse xmlns="http://ec2.amazonaws.com/doc/2014-10-01/">'
              b"<requestId>r</requestId><vpc><vpcId>vpc-1</vpcId><state>available</state>"
              b"<cidrBlock>10.0.0.0/16</cidrBlock><dhcpOptionsId>default</dhcpOptionsId>"
              b"<instanceTenancy>zz-echoed</instanceTenancy><isDefault>false</isDefault>"
              b"</vpc></CreateVpcResponse>")
    invalid = Expectation("error", frozenset({"InvalidParameterValue"}),
                          "enum-violation:InstanceTenancy")
    assert any(f.check == "schema" for f in validate_body_detailed(echoed, "CreateVpc").findings)
    report = validate_body_detailed(echoed, "CreateVpc", expectation=invalid)
    assert [f.check for f in report.findings if f.severity.fails] == ["expected-outcome"]
    assert report.failed == ["expected-outcome"]


def test_a_cause_of_its_own_kind_stays():
    """Two findings of the cause's own check are both kept; only consequences go."""
    one = Finding("xml-content", Severity.VIOLATION, "A", "m", "s", observed="not-xml")
    two = Finding("xml-content", Severity.VIOLATION, "A", "n", "s", observed="empty")
    code = Finding("expected-error-code", Severity.VIOLATION, "A", "m", "s",
                   observed="no error code")
    wrong = Finding("expected-error-code", Severity.VIOLATION, "A", "m", "s", observed="X")
    assert drop_consequences([one, two, code, wrong]) == [one, two, wrong]
    warning = Finding("xml-content", Severity.WARNING, "A", "m", "s")
    assert drop_consequences([warning, code]) == [warning, code]  # a warning causes nothing


def test_the_table_names_registered_checks_and_says_why():
    for rule in load_consequences():
        assert rule["why"]
        for item in [*rule["causes"], *rule["consequences"]]:
            assert item["check"] in REGISTRY, item
