"""The client's bounds against real loopback servers of our own: a whole-request deadline
however the bytes trickle, decompressed size capped like raw size, health stop, the run's
deadline and stop file, and cleanup that still goes out after them."""

import gzip
import socket
import threading
import time

import pytest

from ec2_conformance.protocol import Client, RunStopped

OK_BODY = b"<DescribeRegionsResponse><requestId>r</requestId></DescribeRegionsResponse>"


class RawServer:
    """Answers each request with ``respond(conn)`` on its own thread."""

    def __init__(self, respond):
        self.respond, self.requests = respond, 0
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.endpoint = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        try:
            self._requests(conn)
        except OSError:
            pass  # the client hung up (it stopped reading at the cap, or timed out)
        finally:
            conn.close()

    def _requests(self, conn):
        while not self.stop.is_set():
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
            head, _, rest = data.partition(b"\r\n\r\n")
            length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                           if line.lower().startswith(b"content-length")), 0)
            while len(rest) < length:
                rest += conn.recv(65536)
            self.requests += 1
            if self.respond(conn, self) is False:
                return

    def close(self):
        self.stop.set()
        self.sock.close()


@pytest.fixture
def serve():
    servers = []

    def start(respond):
        servers.append(RawServer(respond))
        return servers[-1]
    yield start
    for server in servers:
        server.close()


def _answer(body, extra=""):
    return (f"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {len(body)}\r\n"
            f"{extra}\r\n").encode() + body


def _drip_body(conn, server):
    conn.sendall(f"HTTP/1.1 200 OK\r\nContent-Length: {len(OK_BODY)}\r\n\r\n".encode())
    for byte in OK_BODY:
        if server.stop.wait(0.2):
            return False
        conn.sendall(bytes([byte]))


def _drip_headers(conn, server):
    for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 200:
        if server.stop.wait(0.2):
            return False
        conn.sendall(bytes([byte]))


@pytest.mark.parametrize("respond", [_drip_body, _drip_headers], ids=["body", "headers"])
def test_a_dripping_answer_cannot_outlive_the_timeout(serve, respond):
    server = serve(respond)
    with Client(server.endpoint, timeout=1.0, max_retries=0) as client:
        started = time.monotonic()
        exchange = client.call("DescribeRegions")
        took = time.monotonic() - started
    assert exchange.response is None and exchange.error == "read timeout"
    assert took < 1.5  # each byte came well within any per-read timeout


def test_a_gzip_bomb_stops_at_the_size_cap_quickly(serve):
    bomb = gzip.compress(b"<a>" + b" " * (200 * 1024 * 1024), compresslevel=9)
    server = serve(lambda conn, _: conn.sendall(_answer(bomb, "Content-Encoding: gzip\r\n")))
    with Client(server.endpoint, max_response_bytes=1_000_000, max_retries=0) as client:
        started = time.monotonic()
        exchange = client.call("DescribeRegions")
        took = time.monotonic() - started
    assert exchange.response.oversized
    assert len(exchange.response.body) == 1_000_000  # decompressed bytes, capped exactly
    assert took < 2


def test_a_gzipped_answer_is_decompressed(serve):
    server = serve(lambda conn, _: conn.sendall(_answer(gzip.compress(OK_BODY),
                                                        "Content-Encoding: gzip\r\n")))
    with Client(server.endpoint) as client:
        assert client.call("DescribeRegions").response.body == OK_BODY


def test_a_body_cut_short_is_a_reset_retried_and_recorded(serve):
    server = serve(lambda conn, _: (conn.sendall(_answer(OK_BODY)[:-10]), False)[1])
    with Client(server.endpoint, backoff=0.01, max_retries=2) as client:
        exchange = client.call("DescribeRegions")
    assert exchange.error == "connection reset while reading the body"
    assert [r["error"] for r in exchange.retries] == [exchange.error] * 2
    assert server.requests == 3


def test_kept_alive_connections_are_reused_and_a_closed_one_replaced(serve):
    closing = {"n": 0}

    def respond(conn, server):
        conn.sendall(_answer(OK_BODY))
        closing["n"] += 1
        return closing["n"] % 3 != 0  # every third answer, the server hangs up afterwards
    server = serve(respond)
    with Client(server.endpoint, max_retries=0) as client:
        answers = [client.call("DescribeRegions") for _ in range(7)]
    assert all(a.response is not None and a.response.body == OK_BODY for a in answers)
    assert server.requests == 7  # none sent twice


def test_server_errors_the_spec_calls_temporary_are_retried_with_every_attempt_kept(serve):
    error = (b"<Response><Errors><Error><Code>InternalServerError</Code><Message>m</Message>"
             b"</Error></Errors><RequestID>r</RequestID></Response>")

    def respond(conn, server):
        if server.requests < 3:
            conn.sendall(_answer(error).replace(b"200 OK", b"500 Internal Server Error"))
        else:
            conn.sendall(_answer(OK_BODY))
    server = serve(respond)
    with Client(server.endpoint, backoff=0.01) as client:
        exchange = client.call("DescribeRegions")
    assert exchange.response.status == 200
    assert [(r["reason"], r["status"]) for r in exchange.retries] == [
        ("InternalServerError", 500), ("InternalServerError", 500)]


def test_an_unimplemented_action_answered_500_is_not_retried(serve):
    html = b"<html>not implemented</html>"
    server = serve(lambda conn, _: conn.sendall(_answer(html).replace(b"200 OK", b"500 X")))
    with Client(server.endpoint, backoff=0.01) as client:
        exchange = client.call("DescribeRegions")
    assert exchange.response.status == 500 and not exchange.retries


def test_health_stop_after_consecutive_failures_then_nothing_is_sent(serve):
    def respond(conn, server):  # answers the first request, then hangs up on every one
        if server.requests > 1:
            return False
        conn.sendall(_answer(OK_BODY))
    server = serve(respond)
    with Client(server.endpoint, max_retries=0, max_transport_failures=3) as client:
        assert client.call("DescribeRegions").response is not None
        for _ in range(2):
            assert client.call("DescribeRegions").error == "connection reset"
        with pytest.raises(RunStopped) as stopped:
            client.call("DescribeRegions")
        assert stopped.value.unhealthy and "3 requests in a row" in stopped.value.reason
        sent = server.requests
        with pytest.raises(RunStopped):
            client.call("DescribeRegions")
        with client.cleaning():  # cleanup after a health stop: not sent, reported
            assert client.call("DeleteVpc", {"VpcId": "vpc-1"}).error.startswith("not sent")
    assert server.requests == sent


def test_the_deadline_and_the_stop_file_stop_sending_but_not_cleanup(serve, tmp_path):
    server = serve(lambda conn, _: conn.sendall(_answer(OK_BODY)))
    with Client(server.endpoint, stop_at=time.time() - 1) as client:
        with pytest.raises(RunStopped) as stopped:
            client.call("DescribeRegions")
        assert stopped.value.kind == "deadline"
        with client.cleaning():
            assert client.call("DeleteVpc", {"VpcId": "vpc-1"}).response is not None
    stop = tmp_path / ".stop"
    with Client(server.endpoint, stop_file=stop) as client:
        assert client.call("DescribeRegions").response is not None
        stop.write_text("terminated (SIGTERM)")
        with pytest.raises(RunStopped, match="SIGTERM"):
            client.call("DescribeRegions")
