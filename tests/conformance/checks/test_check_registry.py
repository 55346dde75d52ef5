"""The registry and each named check on hand-made exchanges."""

import pytest

from ec2_conformance.catalog import load_catalog
from ec2_conformance.checks import (REGISTRY, Check, CheckContext, all_checks, check,
                                    offline_exchange, run_checks, run_checks_detailed,
                                    validate_body)
from ec2_conformance.outcome import Expectation, Severity

NS = "http://ec2.amazonaws.com/doc/2014-10-01/"
CATALOG = load_catalog("2014-10-01")


def error_body(code="InvalidVpcID.NotFound", message="The vpc ID 'vpc-1' does not exist",
               request_id="ea966190-f9aa-478e-9ede-example", xmlns=""):
    ns = f' xmlns="{xmlns}"' if xmlns else ""
    rid = f"<RequestID>{request_id}</RequestID>" if request_id is not None else ""
    msg = f"<Message>{message}</Message>" if message is not None else ""
    return (f"<Response{ns}><Errors><Error><Code>{code}</Code>{msg}</Error></Errors>{rid}"
            "</Response>").encode()


def success_body(action, inner="", request_id="r-1"):
    return (f'<{action}Response xmlns="{NS}"><requestId>{request_id}</requestId>{inner}'
            f"</{action}Response>").encode()


def findings_of(body, action, status=200, check_name=None, **ctx):
    exchange = offline_exchange(body, action, "2014-10-01", status)
    found = run_checks(exchange, CheckContext(catalog=CATALOG, action=action, **ctx))
    return [f for f in found if check_name is None or f.check == check_name]


def failing(findings):
    return [(f.check, f.severity) for f in findings if f.severity is not Severity.EXTENSION]


# -- the registry -----------------------------------------------------------------------
def test_every_check_has_a_stable_name_description_and_spec_ref():
    names = [c.name for c in all_checks()]
    assert len(names) == len(set(names)) == len(REGISTRY)
    assert {"http-status-class", "xml-content", "well-formed", "root-element", "namespace",
            "schema", "request-id", "error-envelope", "error-code-documented",
            "expected-outcome", "expected-error-code", "return-true", "extension"} <= set(names)
    for item in all_checks():
        assert item.description and "\n" not in item.description
        assert item.spec_ref and item.to_json()["name"] == item.name


def test_a_duplicate_or_undocumented_check_is_refused():
    with pytest.raises(ValueError, match="already registered"):
        check(name="schema", description="again", spec_ref="x")(lambda e, c: [])
    with pytest.raises(ValueError, match="spec_ref"):
        REGISTRY.register(Check("no-ref", "has no reference", "", lambda e, c: []))


def test_a_crashing_check_is_reported_not_raised():
    @check(name="test-crashes", description="raises on purpose", spec_ref="tests")
    def crashes(exchange, ctx):
        raise RuntimeError("boom")
    try:
        report = run_checks_detailed(offline_exchange(success_body("DeleteVpc", "<return>true"
                                                                   "</return>"), "DeleteVpc",
                                                      "2014-10-01"),
                                     CheckContext(catalog=CATALOG, action="DeleteVpc"))
    finally:
        REGISTRY._checks.pop("test-crashes")
    crash = [f for f in report.findings if f.check == "test-crashes"]
    assert crash[0].severity is Severity.WARNING and "boom" in crash[0].message
    assert "test-crashes" in report.ran and "test-crashes" not in report.failed


def test_report_says_which_checks_ran_and_which_failed():
    body = success_body("DeleteVpc", "<return>false</return>")
    report = run_checks_detailed(offline_exchange(body, "DeleteVpc", "2014-10-01"),
                                 CheckContext(catalog=CATALOG, action="DeleteVpc"))
    assert report.failed == ["return-true"]
    assert {"schema", "return-true", "namespace"} <= set(report.ran)
    assert "error-envelope" not in report.ran and "expected-outcome" not in report.ran
    assert "return-true" not in report.passed and "schema" in report.passed
    assert not report.conformant


def test_a_transport_error_runs_no_check():
    exchange = offline_exchange(b"", "DescribeVpcs", "2014-10-01")
    exchange.response = None
    report = run_checks_detailed(exchange, CheckContext(catalog=CATALOG, action="DescribeVpcs"))
    assert report.ran == [] and report.findings == []


def test_the_parse_is_shared_between_checks():
    exchange = offline_exchange(success_body("DescribeVpcs", "<vpcSet/>"), "DescribeVpcs",
                                "2014-10-01")
    ctx = CheckContext(catalog=CATALOG, action="DescribeVpcs")
    assert ctx.analysis(exchange) is ctx.analysis(exchange)
    assert ctx.analysis(exchange).root is ctx.analysis(exchange).root


# -- status class -----------------------------------------------------------------------
@pytest.mark.parametrize("body, status, ok", [
    (success_body("DescribeVpcs", "<vpcSet/>"), 200, True),
    (success_body("DescribeVpcs", "<vpcSet/>"), 400, False),
    (error_body(), 400, True),
    (error_body(), 200, False),
    (error_body(), 500, False),
    (error_body("ServiceUnavailable", "try later"), 503, True),
    (error_body("InternalError", "boom"), 500, False),  # not a documented server error code...
    (error_body("Unavailable", "overloaded"), 400, False),
    (b"<html>moved</html>", 302, False),
])
def test_http_status_class(body, status, ok):
    found = findings_of(body, "DescribeVpcs", status, "http-status-class")
    if body == error_body("InternalError", "boom"):
        assert found == []  # ...so its class is unknown; error-code-documented reports it
        return
    assert (found == []) is ok, found
    if not ok:
        # The spec states the status of errors only (rule table: the status of a success
        # or of an answer that is neither is implied, a warning).
        stated = b"<Errors>" in body
        assert found[0].severity is (Severity.VIOLATION if stated else Severity.WARNING)
        assert found[0].observed == str(status)


# -- the error envelope and its code ----------------------------------------------------
def test_the_spec_example_error_response_passes():
    assert validate_body(error_body(), "DescribeVpcs", status=400) == []


@pytest.mark.parametrize("body, where", [
    (error_body(message=None), "/Response/Errors/Error"),
    (b"<Response><Errors/><RequestID>r</RequestID></Response>", "/Response/Errors"),
    (error_body().replace(b"</Error>", b"<Detail/></Error>"), "/Response/Errors/Error/Detail"),
])
def test_error_envelope_shape(body, where):
    found = findings_of(body, "DescribeVpcs", 400, "error-envelope")
    assert [f.path for f in found] == [where]
    assert found[0].severity is Severity.VIOLATION and found[0].spec_ref.startswith("Error Codes")


def test_error_without_request_id_is_one_request_id_finding():
    found = findings_of(error_body(request_id=None), "DescribeVpcs", 400)
    assert failing(found) == [("request-id", Severity.VIOLATION)]
    assert found[0].expected == "<RequestID>"


def test_namespaced_error_envelope_is_one_namespace_warning():
    # The only error example has no xmlns, but no sentence says so (rule table: implied).
    found = findings_of(error_body(xmlns="http://ec2.amazonaws.com/doc/2016-11-15"),
                        "DescribeVpcs", 400)
    assert [(f.check, f.severity) for f in found] == [("namespace", Severity.WARNING)]


@pytest.mark.parametrize("code, severity", [
    ("InvalidVpcID.NotFound", None),  # documented for DescribeVpcs
    ("InternalFailure", None),  # a server error: any action
    ("MadeUpError", Severity.WARNING),  # documented nowhere, but no list is said to be closed
    ("InvalidSnapshot.NotFound", Severity.WARNING),  # documented, not for DescribeVpcs
])
def test_error_code_documented(code, severity):
    status = 500 if code == "InternalFailure" else 400
    found = findings_of(error_body(code), "DescribeVpcs", status, "error-code-documented")
    assert [f.severity for f in found] == ([severity] if severity else [])


def test_a_prefixed_error_code_is_a_warning():
    found = findings_of(error_body("Client.InvalidVpcID.NotFound"), "DescribeVpcs", 400,
                        "error-code-documented")
    assert [(f.severity, f.expected) for f in found] == [
        (Severity.WARNING, "InvalidVpcID.NotFound")]


# -- expectations -----------------------------------------------------------------------
NOT_FOUND = Expectation("error", frozenset({"InvalidVpcID.NotFound"}), "nonexistent-id:VpcId",
                        "Client Errors For Specific Actions > InvalidVpcID.NotFound")


def test_expected_error_code_matches():
    assert findings_of(error_body(), "DescribeVpcs", 400, expectation=NOT_FOUND) == []


def test_unexpected_error_code_is_a_violation_citing_the_expectation():
    found = findings_of(error_body("InvalidParameterValue"), "DescribeVpcs", 400,
                        expectation=NOT_FOUND)
    assert failing(found) == [("expected-error-code", Severity.VIOLATION)]
    assert found[0].spec_ref == NOT_FOUND.spec_ref and found[0].expected == "InvalidVpcID.NotFound"


def test_an_error_without_a_code_where_a_code_was_expected():
    found = findings_of(b"<html>oops</html>", "DescribeVpcs", 500, expectation=NOT_FOUND)
    # one cause, one finding: "carries no error code" follows from the HTML body
    assert failing(found) == [("xml-content", Severity.VIOLATION)]
    found = findings_of(b"<Response><Errors><Error><Message>m</Message></Error></Errors>"
                        b"<RequestID>r</RequestID></Response>", "DescribeVpcs", 400,
                        expectation=NOT_FOUND)
    assert ("expected-error-code", Severity.VIOLATION) in failing(found)


def test_success_where_an_error_was_expected():
    found = findings_of(success_body("DescribeVpcs", "<vpcSet/>"), "DescribeVpcs",
                        expectation=NOT_FOUND)
    assert failing(found) == [("expected-outcome", Severity.VIOLATION)]
    assert found[0].observed == "success"


def test_error_where_success_was_expected_and_server_errors_are_warnings():
    success = Expectation("success")
    found = findings_of(error_body(), "DescribeVpcs", 400, expectation=success)
    assert failing(found) == [("expected-outcome", Severity.VIOLATION)]
    found = findings_of(error_body("ServiceUnavailable"), "DescribeVpcs", 503, expectation=success)
    assert failing(found) == [("expected-outcome", Severity.WARNING)]


# -- return-true, extensions ------------------------------------------------------------
def test_return_false_on_success_is_a_violation():
    found = findings_of(success_body("DeleteVpc", "<return>false</return>"), "DeleteVpc")
    assert failing(found) == [("return-true", Severity.VIOLATION)]
    assert findings_of(success_body("DeleteVpc", "<return>true</return>"), "DeleteVpc") == []


def test_missing_return_is_the_schema_checks_finding():
    found = findings_of(success_body("DeleteVpc"), "DeleteVpc")
    assert failing(found) == [("schema", Severity.VIOLATION)]
    assert "return" in found[0].expected


NIC = ("<networkInterfaceSet><item><networkInterfaceId>eni-1</networkInterfaceId>"
       "<status>{}</status><sourceDestCheck>true</sourceDestCheck></item></networkInterfaceSet>")


def test_a_later_versions_enum_value_is_an_extension_not_a_violation():
    """The 2018 change note: network interfaces gained the status 'associated'."""
    body = success_body("DescribeNetworkInterfaces", NIC.format("associated"))
    found = findings_of(body, "DescribeNetworkInterfaces")
    assert [(f.check, f.severity) for f in found] == [("extension", Severity.EXTENSION)]
    assert found[0].observed == "associated" and found[0].data_type == "NetworkInterface"
    assert found[0].path == "/DescribeNetworkInterfacesResponse/networkInterfaceSet/item/status"
    assert "2016-11-15" in found[0].spec_ref


def test_with_extensions_off_a_later_value_is_a_violation():
    body = success_body("DescribeNetworkInterfaces", NIC.format("associated"))
    assert failing(findings_of(body, "DescribeNetworkInterfaces", extensions=False)) == [
        ("schema", Severity.VIOLATION)]


def test_an_enum_value_in_no_version_is_a_violation():
    body = success_body("DescribeNetworkInterfaces", NIC.format("exploded"))
    found = findings_of(body, "DescribeNetworkInterfaces")
    assert failing(found) == [("schema", Severity.VIOLATION)]
    assert found[0].observed == "exploded" and "in-use" in found[0].expected


def test_later_elements_are_extensions_counted_once_per_path():
    items = "".join(f"<item><vpcId>vpc-{i}</vpcId><ownerId>123456789012</ownerId>"
                    "<state>available</state></item>" for i in range(5))
    found = findings_of(success_body("DescribeVpcs", f"<vpcSet>{items}</vpcSet>"), "DescribeVpcs")
    assert [(f.check, f.severity, f.path, f.extra["count"]) for f in found] == [
        ("extension", Severity.EXTENSION, "/DescribeVpcsResponse/vpcSet/item/ownerId", 5)]


def test_schema_findings_are_grouped_per_path():
    items = "".join(f"<item><vpcId>vpc-{i}</vpcId><isDefault>maybe</isDefault></item>"
                    for i in range(4))
    found = findings_of(success_body("DescribeVpcs", f"<vpcSet>{items}</vpcSet>"), "DescribeVpcs")
    assert [(f.check, f.path, f.extra["count"]) for f in found] == [
        ("schema", "/DescribeVpcsResponse/vpcSet/item/isDefault", 4)]
    assert found[0].extra["location"] == "/DescribeVpcsResponse/vpcSet/item[1]/isDefault"
    assert found[0].spec_ref == "Data Types > Vpc"


def test_a_request_without_a_known_action_is_judged_by_its_root():
    ctx = CheckContext(catalog=CATALOG, action=None)
    exchange = offline_exchange(success_body("DescribeVpcs", "<vpcSet/>"), "DescribeVpcs",
                                "2014-10-01")
    assert run_checks(exchange, ctx) == []
    exchange = offline_exchange(b"<Whatever/>", "DescribeVpcs", "2014-10-01")
    assert failing(run_checks(exchange, CheckContext(catalog=CATALOG))) == [
        ("root-element", Severity.VIOLATION)]
