"""A moto server of the engine tests' own, with one world on it, per xdist worker.

Other tests reset the shared embedded server between tests; a reset in the
middle of these runs would wipe the world they reference.
"""

import pytest

from ec2_conformance.catalog import load_catalog
from ec2_conformance.faults import Fault, FaultProxy
from ec2_conformance.protocol import Client
from ec2_conformance.target import EmbeddedTarget
from ec2_conformance.world import World


@pytest.fixture(scope="session")
def stateless_client():
    with EmbeddedTarget() as target, Client(target.endpoint) as client:
        yield client


@pytest.fixture(scope="session")
def stateless_world(stateless_client):
    # No teardown: the server is stopped with the session, and undoing thousands of
    # example resources one request at a time would cost more than the runs
    # (teardown itself is tested in tests/conformance/world/).
    return World.build(stateless_client, load_catalog(), run_id="engine")


@pytest.fixture(scope="session")
def catalog_pass_world():
    """The whole-catalog pass's own server and world: the other engine tests' examples
    (other seeds, every phase) leave that target in states the pass does not expect.  Once
    they had deleted every security group named "default" (``GroupName=default``), moto
    refused the world's RequestSpotInstances with HTTP 500 (it looks that group up), and
    CancelSpotInstanceRequests had no valid example (three of five clean-clone runs)."""
    with EmbeddedTarget() as target, Client(target.endpoint) as client:
        yield client, World.build(client, load_catalog(), run_id="catalog-pass")


@pytest.fixture(scope="module")
def proxied_target():
    """moto behind a loopback fault proxy, with a world built through it: ``(set_faults,
    client, world)``; ``set_faults(*specs)`` sets the proxy's faults (none: forward all)."""
    with EmbeddedTarget() as moto, FaultProxy(moto.endpoint) as proxy, \
            Client(proxy.endpoint) as client:
        def set_faults(*specs):
            proxy.set_faults([Fault.from_json({"name": f"f{i}", **spec})
                              for i, spec in enumerate(specs)])
        yield set_faults, client, World.build(client, load_catalog(), run_id="proxied")
