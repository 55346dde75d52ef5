"""Measure what moto implements and write the ``moto`` target profile.

    python -m ec2_conformance.engine._stateless_profile [--write PATH]

Two kinds of evidence per action, both recorded in the profile: moto's source
(``EC2Response`` has no method for the action, or the method raises
``NotImplementedError``) and its behaviour (the first valid requests of the
stateless strategies get HTTP 501 or a server error, or ``InvalidAction``).
An action is listed when either says so.
"""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import json
import sys
from typing import Any

from ..catalog import load_catalog
from ..protocol import Client
from ..target import EmbeddedTarget
from ..world import World

# Later-API codes moto answers for the spec's ones (AWS itself renamed them after
# 2014-10-01): accepted by the moto profile, never by aws-2014-10-01.
MOTO_EQUIVALENTS = {
    "InvalidVpcRange": {"codes": ["InvalidVpc.Range", "InvalidSubnet.Range"],
                        "reason": "later API versions split InvalidVpcRange into "
                                  "InvalidVpc.Range (CreateVpc) and InvalidSubnet.Range "
                                  "(CreateSubnet)"},
}


def source_evidence(action: str) -> str | None:
    from moto.core.utils import camelcase_to_underscores
    from moto.ec2.responses import EC2Response

    method = getattr(EC2Response, camelcase_to_underscores(action), None)
    if method is None:
        return f"moto's EC2Response has no {camelcase_to_underscores(action)} method"
    try:
        source = inspect.getsource(method)
    except (OSError, TypeError):
        return None
    if "NotImplementedError" in source:
        return f"EC2Response.{camelcase_to_underscores(action)} raises NotImplementedError"
    return None


def behaviour_evidence(client: Client, catalog: Any, action: str, world: World) -> str | None:
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hseed

    from ..strategies import valid_requests
    from ._stateless_probe import unimplemented_evidence

    answers: list[str] = []

    @hseed(0)
    @settings(max_examples=2, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(valid_requests(action, world=world, catalog=catalog))
    def probe(case):
        pairs, _ = case.materialize(world)
        exchange = client.send(case.to_raw(pairs, client.method))
        # Measuring: a server error on both probes counts (what the profile then records).
        unimplemented = unimplemented_evidence(exchange, listed=True)
        answers.append("unimplemented" if unimplemented else "answered")
        if exchange.response is not None and answers[-1] == "unimplemented":
            answers[-1] = (f"HTTP {exchange.response.status} "
                           f"{exchange.response.content_type.split(';')[0] or 'no type'}")
    try:
        probe()
    except Exception as exc:  # a resource the request needs could not be made
        return None if "answered" in answers else f"not probed: {type(exc).__name__}"
    if answers and "answered" not in answers:
        return f"valid requests got {answers[0]}"
    return "answered" if answers else None


def measure(endpoint: str | None = None) -> dict[str, Any]:
    import moto

    catalog = load_catalog()
    with EmbeddedTarget() as target, Client(endpoint or target.endpoint) as client:
        world = World.build(client, catalog, run_id="profile")
        listed = {}
        for action in catalog:
            source = source_evidence(action.name)
            behaviour = behaviour_evidence(client, catalog, action.name, world)
            unanswered = behaviour is None or behaviour != "answered"
            # A partial implementation (NotImplementedError for some inputs only) that
            # answers valid requests stays implemented.
            if (source and unanswered) or (behaviour or "").startswith("valid requests"):
                listed[action.name] = {"source": source, "behaviour": behaviour}
        world.teardown()
    return {
        "name": "moto",
        "description": "moto's EC2 server (embedded target): the actions it does not implement, "
                       "and later-API codes it answers in place of the spec's.",
        "api_version": catalog.api_version,
        "measured": {"moto_version": moto.__version__,
                     "date": dt.date.today().isoformat(),
                     "how": "python -m ec2_conformance.engine._stateless_profile --write "
                            "conformance/catalog/profiles/moto.json: for every catalog action, "
                            "moto's EC2Response source (no method, or a method raising "
                            "NotImplementedError) and the answers to two valid requests of the "
                            "stateless strategies against the embedded server",
                     "actions": len(catalog), "not_implemented": len(listed)},
        "not_implemented": dict(sorted(listed.items())),
        "code_equivalents": MOTO_EQUIVALENTS,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", metavar="PATH", help="write the profile here (default: stdout)")
    args = parser.parse_args(argv)
    text = json.dumps(measure(), indent=1, sort_keys=False) + "\n"
    if args.write:
        with open(args.write, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
