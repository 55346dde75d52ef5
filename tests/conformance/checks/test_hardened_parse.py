"""Hostile and broken bodies: each becomes one clear finding, never a crash, a hang or a fetch."""

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ec2_conformance.checks import (ResponseParseError, parse_response, validate_body,
                                    validate_body_detailed)
from ec2_conformance.outcome import Severity

LAUGHS = ('<?xml version="1.0" encoding="{enc}"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">'
                    for i in range(1, 10))
          + ']><DescribeVpcsResponse xmlns="http://ec2.amazonaws.com/doc/2014-10-01/">'
            "<requestId>&lol9;</requestId></DescribeVpcsResponse>")
VPCS = (b'<DescribeVpcsResponse xmlns="http://ec2.amazonaws.com/doc/2014-10-01/">'
        b"<requestId>r-1</requestId><vpcSet><item><vpcId>vpc-1a2b3c4d</vpcId>"
        b"<state>available</state></item></vpcSet></DescribeVpcsResponse>")


def _one(findings, check):
    failing = [f for f in findings if f.severity is Severity.VIOLATION]
    assert [f.check for f in failing] == [check], [(f.check, f.message) for f in findings]
    assert "\n" not in failing[0].message
    return failing[0]


def _judged(body, check, action="DescribeVpcs", status=200):
    started = time.monotonic()
    finding = _one(validate_body(body, action, status=status), check)
    assert time.monotonic() - started < 2.0
    return finding


def test_the_unbroken_body_passes():
    assert validate_body(VPCS, "DescribeVpcs") == []


def test_xxe_file_entity_is_refused_unread():
    body = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            b'<DescribeVpcsResponse xmlns="http://ec2.amazonaws.com/doc/2014-10-01/">'
            b"<requestId>&xxe;</requestId></DescribeVpcsResponse>")
    finding = _judged(body, "well-formed")
    assert finding.observed == "dtd" and "DOCTYPE" in finding.message
    assert "root:" not in repr(finding.to_json())


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_external_entity_and_dtd_are_never_fetched(listener, encoding):
    url, hits = listener
    body = (f'<?xml version="1.0" encoding="{encoding.upper()}"?>'
            f'<!DOCTYPE r SYSTEM "{url}/dtd" [<!ENTITY % ext SYSTEM "{url}/param"> %ext;'
            f'<!ENTITY xxe SYSTEM "{url}/entity">]>'
            '<DescribeVpcsResponse xmlns="http://ec2.amazonaws.com/doc/2014-10-01/">'
            "<requestId>&xxe;&leak;</requestId></DescribeVpcsResponse>").encode(encoding)
    findings = validate_body(body, "DescribeVpcs")
    assert [f.check for f in findings if f.severity.fails] == ["well-formed"]
    time.sleep(0.2)
    assert hits == []
    assert "LEAKED" not in repr([f.to_json() for f in findings])


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_billion_laughs_is_refused_fast(encoding):
    body = LAUGHS.format(enc=encoding.upper()).encode(encoding)
    finding = _judged(body, "well-formed")
    assert finding.observed in ("dtd", "entity")


@pytest.mark.parametrize("cut", [2, 10, 30, 60, 75, 120, len(VPCS) - 5, len(VPCS) - 1])
def test_truncated_body_is_a_truncated_finding(cut):
    finding = _judged(VPCS[:cut] + b"\n", "well-formed")
    assert finding.observed == "truncated" and "truncated" in finding.message


@pytest.mark.parametrize("body", [VPCS.replace(b"vpc-1a2b3c4d", b"vpc-\xff\xfe\xfa"),
                                  b'<?xml version="1.0" encoding="utf-8"?>' + VPCS.replace(
                                      b"r-1", b"caf\xe9")])
def test_invalid_utf8_is_an_encoding_finding(body):
    assert _judged(body, "well-formed").observed == "encoding"


@pytest.mark.parametrize("body, status", [
    (b"<!doctype html>\n<html lang=en><title>500 Internal Server Error</title>", 500),
    (b'{"Errors": [{"Code": "InvalidAction"}]}', 400),
    (b"Internal Server Error", 500),
    (b"", 200),
    (b"   \r\n", 200),
])
def test_non_xml_body_is_an_xml_content_finding(body, status):
    finding = _judged(body, "xml-content", status=status)
    assert finding.expected == "an XML document"


def test_deep_nesting_hits_the_depth_limit():
    body = b"<a>" * 100_000 + b"</a>" * 100_000
    assert _judged(body, "well-formed").observed == "too-deep"


def test_oversized_body_is_refused_before_parsing():
    with pytest.raises(ResponseParseError) as info:
        parse_response(VPCS, max_bytes=50)
    assert info.value.kind == "too-large" and "cap" in info.value.message


def test_undeclared_entity_and_trailing_garbage():
    assert _judged(VPCS.replace(b"r-1", b"&nope;"), "well-formed").observed == "entity"
    assert _judged(VPCS + b"<more/>", "well-formed").observed == "malformed"


def test_parse_error_carries_kind_and_one_line_message():
    with pytest.raises(ResponseParseError) as info:
        parse_response(b"<a><b></a>")
    assert info.value.kind == "malformed"
    assert "\n" not in str(info.value) and "line 1" in str(info.value)


def test_parse_response_returns_the_root():
    root = parse_response(VPCS)
    assert root.tag == "{http://ec2.amazonaws.com/doc/2014-10-01/}DescribeVpcsResponse"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=300),
                 st.builds(lambda cut, junk: VPCS[:cut] + junk,
                           st.integers(0, len(VPCS)), st.binary(max_size=20))))
def test_arbitrary_bytes_never_crash_a_check(body):
    try:
        parse_response(body)
    except ResponseParseError as exc:
        assert exc.kind and "\n" not in exc.message
    report = validate_body_detailed(body, "DescribeVpcs")
    assert not [f for f in report.findings if "crashed" in f.message]
    assert all("\n" not in f.message for f in report.findings)
