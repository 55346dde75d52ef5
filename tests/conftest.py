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
