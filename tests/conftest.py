"""Shared fixtures: one real embedded moto server per test session (never an HTTP mock),
and a hermetic environment: no test sees the caller's AWS credentials or shared files."""

import fcntl
import http.client
import http.server
import json
import os
import threading

import pytest

from ec2_conformance.protocol import Client
from ec2_conformance.target import EmbeddedTarget


@pytest.fixture(autouse=True)
def no_aws_environment(monkeypatch, tmp_path_factory):
    """Clear every ``AWS_*`` variable and point botocore's shared files at paths that do not
    exist; a test that needs a credential source sets it deliberately.  Subprocesses the
    test starts inherit this environment."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    home = tmp_path_factory.getbasetemp() / "no-aws"
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(home / "credentials-absent"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(home / "config-absent"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # never probe 169.254.169.254


# .ci/run sets this: in CI a missing spec text fails the spec tools' tests instead of skipping
SPEC_REQUIRED = "EC2_CONFORMANCE_REQUIRE_SPEC"


@pytest.fixture(scope="session")
def spec_text_tool():
    """tools/spec_text.py (finds and normalises the spec text), loaded by path."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "tools" / "spec_text.py"
    module_spec = importlib.util.spec_from_file_location("spec_text", path)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def spec_path(spec_text_tool):
    """The spec text (tools/spec_text.py's ``find_spec``: ``$EC2_CONFORMANCE_SPEC``, else
    ``shared/spec/`` beside the checkout or a folder above it).  Missing: a developer's test
    skips, saying so; under ``$EC2_CONFORMANCE_REQUIRE_SPEC`` (CI) it fails."""
    try:
        return spec_text_tool.find_spec()
    except FileNotFoundError as exc:
        if os.environ.get(SPEC_REQUIRED):
            pytest.fail(f"{exc} (${SPEC_REQUIRED} is set: the spec tools' tests must run)",
                        pytrace=False)
        pytest.skip(f"{exc}; the spec tools' tests need it (CI fails here instead)")


@pytest.fixture
def listener():
    """A real loopback HTTP server that records every request it gets: a parse that fetched
    an external entity or DTD would show here."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'<!ENTITY leak "LEAKED-FROM-NETWORK">')

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def moto_target():
    with EmbeddedTarget() as target:
        yield target


@pytest.fixture
def moto_client(moto_target):
    moto_target.reset()
    with Client(moto_target.endpoint) as client:
        yield client


class _Forward(http.server.BaseHTTPRequestHandler):
    """Records each request as it arrived, then relays it to the real upstream server."""

    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: without TCP_NODELAY, Nagle's algorithm and
    # the client's delayed ACK held every answer back 40 ms.
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def _relay(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.seen.append({"method": self.command, "path": self.path,
                                 "headers": dict(self.headers.items()),
                                 "body": body.decode("utf-8", "replace")})
        upstream = http.client.HTTPConnection("127.0.0.1", self.server.upstream_port, timeout=30)
        headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
        upstream.request(self.command, self.path, body=body or None, headers=headers)
        answer = upstream.getresponse()
        data = answer.read()
        upstream.close()
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.getheader("Content-Type", "text/xml"))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = _relay


@pytest.fixture
def recording_target(moto_target):
    """A loopback server in front of the real moto server that records every request it
    relays (``.seen``): how tests observe what the tool really sent."""
    moto_target.reset()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Forward)
    server.daemon_threads = True
    server.upstream_port = moto_target.port
    server.seen = []
    server.endpoint = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


class Shards:
    """One long measurement split into shards that pytest-xdist spreads over its workers.

    Each shard ``record``s its part; the call that completes the set gets every part
    (in shard order) to check the whole, so a floor over the whole (a detection rate, a
    share of actions) is still checked once, whichever worker finishes last.  Parts sit
    in a directory every worker of this test session shares.
    """

    def __init__(self, base, name: str, count: int):
        self.dir = _session_dir(base, f"shards-{name}")
        self.count = count

    def record(self, index: int, part) -> list | None:
        path = self.dir / f"{index}.json"
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(part), encoding="utf-8")
        temporary.replace(path)
        paths = [self.dir / f"{i}.json" for i in range(self.count)]
        if not all(p.is_file() for p in paths):
            return None
        return [json.loads(p.read_text(encoding="utf-8")) for p in paths]


@pytest.fixture
def shards(tmp_path_factory):
    """``shards(name, count)``: see ``Shards``."""
    return lambda name, count: Shards(tmp_path_factory.getbasetemp(), name, count)


def _session_dir(base, name: str):
    """A directory every pytest-xdist worker of this test session shares (``base``: the
    worker's temporary base, ``<session temp>/popen-gwN`` under xdist)."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    shared = (base.parent if run else base) / f"{name}-{run or 'local'}"
    shared.mkdir(parents=True, exist_ok=True)
    return shared


@pytest.fixture(scope="session")
def once(tmp_path_factory):
    """``once(name, build)`` -> ``(value, directory)``: ``build(directory)`` runs once per
    test session, whichever worker asks first (the others wait for it), and its JSON
    value and the files it wrote in ``directory`` serve every worker: for an expensive
    run that several tests only read."""
    shared = _session_dir(tmp_path_factory.getbasetemp(), "once")

    def get(name: str, build):
        directory, done = shared / name, shared / f"{name}.json"
        with open(shared / f"{name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not done.is_file():
                directory.mkdir(exist_ok=True)
                value = build(directory)
                done.with_suffix(".tmp").write_text(json.dumps(value), encoding="utf-8")
                done.with_suffix(".tmp").replace(done)
        return json.loads(done.read_text(encoding="utf-8")), directory
    return get
