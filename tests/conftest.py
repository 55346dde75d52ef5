"""Shared fixtures: one real embedded moto server per test session (never an HTTP mock),
and a hermetic environment: no test sees the caller's AWS credentials or shared files."""

import os

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


@pytest.fixture(scope="session")
def moto_target():
    with EmbeddedTarget() as target:
        yield target


@pytest.fixture
def moto_client(moto_target):
    moto_target.reset()
    with Client(moto_target.endpoint) as client:
        yield client
