"""Machines against the real embedded moto server, through a real loopback fault proxy."""

from __future__ import annotations

import pytest

from ec2_conformance.catalog import load_catalog
from ec2_conformance.faults import Fault, FaultProxy
from ec2_conformance.machines import MachineConfig, Session, WaitSettings, resolve_profile
from ec2_conformance.protocol import Client

# moto ships this image; passing it skips the (slow, first-call) image listing.
IMAGE = "ami-12c6146b"
FAST_WAITS = WaitSettings(timeout=5.0, interval=0.05, max_interval=0.2, confirm_visible=False,
                          reread=0.0)


def config() -> MachineConfig:
    return MachineConfig(availability_zone="us-east-1a", other_zone="us-east-1b",
                         image_id=IMAGE)


@pytest.fixture
def options():
    """Fast waits and a fixed zone/image: keyword arguments for ``run_machine``."""
    return {"waits": FAST_WAITS, "config": config()}


@pytest.fixture(scope="session")
def fault_proxy(moto_target):
    with FaultProxy(moto_target.endpoint) as proxy:
        yield proxy


@pytest.fixture
def proxied(moto_target, fault_proxy):
    """A client whose requests pass the fault proxy (no faults until a test sets them)."""
    moto_target.reset()
    fault_proxy.set_faults([])
    with Client(fault_proxy.endpoint) as client:
        yield client
    fault_proxy.set_faults([])


@pytest.fixture
def build(proxied):
    """``build(MachineClass)`` -> a machine bound to a fresh session on the proxied client."""
    def make(machine_cls, **session_options):
        options = {"profile": None, "judge": None, "run_id": "ec2c-test", "waits": FAST_WAITS,
                   "config": config(), **session_options}
        options["profile"] = resolve_profile(options["profile"])
        session = Session(proxied, load_catalog(), **options)
        return machine_cls.bind(session)()
    return make


@pytest.fixture
def inject(fault_proxy):
    """``inject({"action": ..., "response": [...]}, ...)``: set the proxy's faults."""
    def set_faults(*specs: dict) -> None:
        fault_proxy.set_faults([Fault.from_json({"name": f"fault-{i}", **spec})
                                for i, spec in enumerate(specs)])
    return set_faults
