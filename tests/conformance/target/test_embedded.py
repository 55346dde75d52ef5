import requests

from ec2_conformance.protocol import Client
from ec2_conformance.target import EmbeddedTarget, is_loopback


def test_start_reset_stop():
    target = EmbeddedTarget().start()
    try:
        assert is_loopback(target.endpoint)
        with Client(target.endpoint) as client:
            client.call("CreateVpc", {"CidrBlock": "10.9.0.0/16"})
            assert b"10.9.0.0/16" in client.call("DescribeVpcs").response.body
            target.reset()
            assert b"10.9.0.0/16" not in client.call("DescribeVpcs").response.body
    finally:
        endpoint = target.endpoint
        target.stop()
    try:
        requests.get(endpoint, timeout=2)
        reachable = True
    except requests.ConnectionError:
        reachable = False
    assert not reachable


def test_is_loopback():
    assert is_loopback("http://localhost:4566")
    assert is_loopback("http://127.0.0.5:80")
    assert is_loopback("http://[::1]:80")
    assert not is_loopback("https://ec2.us-east-1.amazonaws.com")


def test_child_exits_when_its_parent_is_killed(tmp_path):
    """A killed test run must not leave a moto server behind."""
    import os
    import signal
    import subprocess
    import sys
    import time

    script = tmp_path / "parent.py"
    script.write_text(
        "import sys, time\n"
        "from ec2_conformance.target import EmbeddedTarget\n"
        "t = EmbeddedTarget().start()\n"
        "print(t._process.pid, t.port, flush=True)\n"
        "time.sleep(60)\n")
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    child_pid, port = map(int, parent.stdout.readline().split())
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(child_pid, 0)
        except ProcessLookupError:
            break
        try:  # reap it if it is ours (it is not: its parent was the killed process)
            os.waitpid(child_pid, os.WNOHANG)
        except ChildProcessError:
            pass
        time.sleep(0.2)
    else:
        os.kill(child_pid, signal.SIGKILL)
        raise AssertionError("the moto child outlived its killed parent")
