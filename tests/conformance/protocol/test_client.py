"""The client against a real moto server, and against tiny loopback HTTP servers
that misbehave on purpose (throttling, oversized bodies)."""

import http.server
import threading

import botocore.credentials
import pytest

from ec2_conformance.protocol import Client, EndpointUnreachable, RawRequest
from ec2_conformance.target import free_port

SECRET_KEYS = botocore.credentials.Credentials(
    "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "FQoGZXIvYXdzEXAMPLETOKEN")


def test_describe_regions(moto_client):
    exchange = moto_client.call("DescribeRegions")
    assert exchange.response.status == 200
    assert b"<DescribeRegionsResponse" in exchange.response.body
    assert exchange.request.method == "POST"
    assert "Action=DescribeRegions" in exchange.request.body


def test_create_vpc_then_describe(moto_client):
    created = moto_client.call("CreateVpc", {"CidrBlock": "10.1.0.0/16"})
    assert created.response.status == 200
    assert b"10.1.0.0/16" in moto_client.call("DescribeVpcs").response.body


def test_get_method(moto_target):
    with Client(moto_target.endpoint, method="GET") as client:
        exchange = client.call("DescribeRegions")
    assert exchange.response.status == 200
    assert "Action=DescribeRegions" in exchange.request.url


def test_signature_v2(moto_target):
    with Client(moto_target.endpoint, signature_version="v2") as client:
        exchange = client.call("DescribeAvailabilityZones")
    assert exchange.response.status == 200
    assert "SignatureVersion=2" in exchange.request.body


def test_credentials_are_redacted_everywhere(moto_target):
    with Client(moto_target.endpoint, credentials=SECRET_KEYS) as client:
        v4 = client.call("DescribeRegions")
    with Client(moto_target.endpoint, credentials=SECRET_KEYS, signature_version="v2") as client:
        v2 = client.call("DescribeRegions")
    for exchange in (v4, v2):
        text = repr(exchange.to_json())
        for secret in ("AKIAIOSFODNN7EXAMPLE", SECRET_KEYS.secret_key, SECRET_KEYS.token):
            assert secret not in text
    assert v4.request.headers["Authorization"] == "REDACTED"
    assert "Signature=REDACTED" in v2.request.body


class _Scripted(http.server.BaseHTTPRequestHandler):
    """Answers from a per-server script: a list of (status, body)."""

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        status, body = self.server.script.pop(0) if self.server.script else (200, b"<ok/>")
        self.send_response(status)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def scripted_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Scripted)
    server.script = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


def _throttle(code):
    return (400, f"<Response><Errors><Error><Code>{code}</Code><Message>slow down</Message>"
                 f"</Error></Errors><RequestID>r</RequestID></Response>".encode())


def test_retries_throttling_and_503_then_records_them(scripted_server):
    scripted_server.script = [_throttle("RequestLimitExceeded"), (503, b"busy"),
                              _throttle("Throttling"), (200, b"<DescribeRegionsResponse/>")]
    url = f"http://127.0.0.1:{scripted_server.server_port}"
    with Client(url, backoff=0.01) as client:
        exchange = client.call("DescribeRegions")
    assert exchange.response.status == 200
    assert [r["reason"] for r in exchange.retries] == ["RequestLimitExceeded", "HTTP 503", "Throttling"]


def test_retries_are_bounded(scripted_server):
    scripted_server.script = [(503, b"busy")] * 10
    url = f"http://127.0.0.1:{scripted_server.server_port}"
    with Client(url, backoff=0.01, max_retries=2) as client:
        exchange = client.call("DescribeRegions")
    assert exchange.response.status == 503
    assert len(exchange.retries) == 2


def test_response_size_cap(scripted_server):
    scripted_server.script = [(200, b"<a>" + b"x" * 5000 + b"</a>")]
    url = f"http://127.0.0.1:{scripted_server.server_port}"
    with Client(url, max_response_bytes=1000) as client:
        exchange = client.call("DescribeRegions")
    assert exchange.response.oversized
    assert len(exchange.response.body) == 1000


def test_unreachable_endpoint_raises():
    with Client(f"http://127.0.0.1:{free_port()}") as client:
        with pytest.raises(EndpointUnreachable):
            client.call("DescribeRegions")


def test_raw_layer_sends_what_botocore_refuses(moto_client):
    pairs = [("Action", "DescribeVpcs"), ("Version", "2014-10-01"),
             ("VpcId.1", "vpc-1"), ("VpcId.1", "vpc-2"), ("NoSuchParameter", "x")]
    exchange = moto_client.send(RawRequest(pairs=pairs))
    assert exchange.request.body.count("VpcId.1=") == 2
    assert "NoSuchParameter=x" in exchange.request.body
    assert exchange.response is not None


def test_a_wrong_secret_signs_now_with_the_right_key_id_and_a_signature_that_differs():
    import datetime as dt

    now = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.timezone.utc)
    client = Client("http://127.0.0.1:9/", credentials=SECRET_KEYS)
    pairs = [("Action", "DescribeVpcs"), ("Version", "2014-10-01")]
    right = client._prepare(RawRequest(pairs=pairs), now).headers
    wrong = client._prepare(RawRequest(pairs=pairs, wrong_secret=True), now).headers
    assert wrong["X-Amz-Date"] == right["X-Amz-Date"] == "20261129T120000Z"
    scope = lambda auth: auth.split("Signature=")[0]  # noqa: E731
    assert scope(wrong["Authorization"]) == scope(right["Authorization"])
    assert "AKIAIOSFODNN7EXAMPLE/20261129/us-east-1/ec2" in wrong["Authorization"]
    assert wrong["Authorization"] != right["Authorization"]
