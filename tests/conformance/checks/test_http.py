"""The HTTP-layer checks: an answer arrives, and its Content-Type says it is XML."""

import socket
import threading

import pytest

from ec2_conformance.catalog import load_catalog
from ec2_conformance.checks import CheckContext, offline_exchange, run_checks_detailed
from ec2_conformance.checks import validate_body_detailed
from ec2_conformance.outcome import Severity
from ec2_conformance.protocol import Client

CATALOG = load_catalog("2014-10-01")
BODY = (b'<DescribeKeyPairsResponse xmlns="http://ec2.amazonaws.com/doc/2014-10-01/">'
        b"<requestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</requestId><keySet/>"
        b"</DescribeKeyPairsResponse>")


def _judge(content_type, body=BODY):
    return validate_body_detailed(body, "DescribeKeyPairs", content_type=content_type)


@pytest.mark.parametrize("label", ["text/xml;charset=UTF-8", "application/xml",
                                   "Text/XML; charset=utf-8", "application/soap+xml"])
def test_xml_media_types_pass(label):
    report = _judge(label)
    assert "content-type" in report.passed and report.conformant


@pytest.mark.parametrize("label", ["application/json", "text/html; charset=UTF-8", "text/plain"])
def test_a_non_xml_label_on_an_xml_answer_is_a_warning(label):
    # The spec names no Content-Type (rule table: implied): a warning citing the passage.
    report = _judge(label)
    assert report.failed == [] and "content-type" in report.ran
    (finding,) = report.findings
    assert finding.severity is Severity.WARNING and finding.observed == label
    assert "does not state it" in finding.message
    assert "RFC 7303" in finding.spec_ref


def test_a_missing_label_is_a_warning_only():
    report = _judge("")
    assert report.conformant
    (finding,) = report.findings
    assert finding.check == "content-type" and finding.severity is Severity.WARNING


def test_a_body_that_is_not_xml_is_left_to_xml_content():
    report = _judge("application/json", b'{"Vpcs": []}')
    assert "content-type" not in report.ran and report.failed == ["xml-content"]


def test_an_answered_request_passes(fixed_samples):
    _, action, body = fixed_samples[0]
    assert "answered" in validate_body_detailed(body, action).passed


def _judge_exchange(exchange):
    return run_checks_detailed(exchange, CheckContext(catalog=CATALOG, action="DescribeKeyPairs"))


@pytest.mark.parametrize("error", ["read timeout", "connection reset",
                                   "connection reset while reading the body"])
def test_no_answer_is_a_violation(error):
    exchange = offline_exchange(BODY, "DescribeKeyPairs", "2014-10-01")
    exchange.response, exchange.error, exchange.elapsed = None, error, 3.2
    report = _judge_exchange(exchange)
    assert report.ran == ["answered"] and report.failed == ["answered"]
    assert report.findings[0].observed == error and "3.2 s" in report.findings[0].message


def test_a_client_side_failure_is_not_blamed_on_the_target():
    exchange = offline_exchange(BODY, "DescribeKeyPairs", "2014-10-01")
    exchange.response, exchange.error = None, "connect timeout"
    assert _judge_exchange(exchange).ran == []


@pytest.fixture
def silent_server():
    """A real loopback socket that accepts requests and never answers them."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held, stop = [], threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue
    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    listener.close()


def test_a_target_that_never_answers_is_found_over_a_real_socket(silent_server):
    with Client(silent_server, read_timeout=0.5, max_retries=0) as client:
        exchange = client.call("DescribeKeyPairs")
    report = _judge_exchange(exchange)
    assert exchange.response is None and exchange.error == "read timeout"
    assert report.failed == ["answered"]
