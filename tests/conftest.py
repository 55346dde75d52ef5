"""Shared fixtures: one real embedded moto server per test session (never an HTTP mock)."""

import pytest

from ec2_conformance.protocol import Client
from ec2_conformance.target import EmbeddedTarget


@pytest.fixture(scope="session")
def moto_target():
    with EmbeddedTarget() as target:
        yield target


@pytest.fixture
def moto_client(moto_target):
    moto_target.reset()
    with Client(moto_target.endpoint) as client:
        yield client


class Shards:
    """One long measurement split into shards that pytest-xdist spreads over its workers.

    Each shard ``record``s its part; the call that completes the set gets every part
    (in shard order) to check the whole, so a floor over the whole (a detection rate, a
    share of actions) is still checked once, whichever worker finishes last.  Parts sit
    in a directory every worker of this test session shares.
    """

    def __init__(self, base, name: str, count: int):
        import os

        run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
        shared = base.parent if run else base  # xdist: <session temp>/popen-gwN
        self.dir = shared / f"shards-{name}-{run or 'local'}"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.count = count

    def record(self, index: int, part) -> list | None:
        import json

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
