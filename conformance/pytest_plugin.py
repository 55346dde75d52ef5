"""The pytest plugin (``pytest11`` entry point): options and fixtures, nothing heavy.

Importing this module must stay cheap: pytest loads it for every test run in an
environment where ec2-conformance is installed.
"""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("ec2-conformance")
    group.addoption("--ec2-endpoint", default=None,
                    help="EC2 endpoint URL (default: start the embedded moto server)")
    group.addoption("--ec2-region", default="us-east-1")
    group.addoption("--ec2-api-version", default="2014-10-01")


@pytest.fixture(scope="session")
def ec2_endpoint(request: pytest.FixtureRequest):
    """The endpoint under test: ``--ec2-endpoint`` or an embedded moto server."""
    endpoint = request.config.getoption("--ec2-endpoint")
    if endpoint:
        yield endpoint
        return
    from .target import EmbeddedTarget

    with EmbeddedTarget() as target:
        yield target.endpoint


@pytest.fixture(scope="session")
def ec2_client(request: pytest.FixtureRequest, ec2_endpoint: str):
    """A signed client for the endpoint under test."""
    from .protocol import Client

    with Client(ec2_endpoint, region=request.config.getoption("--ec2-region"),
                api_version=request.config.getoption("--ec2-api-version")) as client:
        yield client
