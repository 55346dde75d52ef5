"""``ec2-conformance cleanup --run-id ID``: remove what an interrupted run left behind.

Everything a run creates is tagged ``ec2-conformance:run=<run id>``; this
deletes every tagged resource in reverse dependency order (the machines'
teardown sweep, which the world's resources share the tag with) and lists what
could not be deleted.  Exit 0 when nothing is left, 1 otherwise.
"""

from __future__ import annotations

import argparse

from ._errors import EXIT_FINDINGS, EXIT_OK, ToolError
from ._target import add_endpoint_options, catalog_for, check_reachable, client_for


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("cleanup", help="delete the resources a run left behind")
    parser.add_argument("--run-id", required=True, metavar="ID")
    add_endpoint_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..machines import WaitSettings, cleanup_run
    from ..target import is_loopback

    if not args.endpoint:
        raise ToolError("cleanup needs --endpoint (an embedded target starts empty)")
    catalog = catalog_for(args.api_version)
    with client_for(args, args.endpoint, embedded=False) as client:
        check_reachable(client)
        session = cleanup_run(client, catalog, run_id=args.run_id,
                              waits=WaitSettings.for_consistency(
                                  args.consistency, loopback=is_loopback(args.endpoint)))
    for rid in sorted(session.deleted):
        print(f"deleted {rid}")
    for rid, info in sorted(session.leftovers.items()):
        print(f"could not delete {info['kind']} {rid}: {info['error']}")
    print(f"{len(session.deleted)} deleted, {len(session.leftovers)} left behind")
    return EXIT_FINDINGS if session.leftovers else EXIT_OK
