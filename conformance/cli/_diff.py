"""``ec2-conformance diff`` and ``record``: the differential mode (``conformance/diff/``).

``record --endpoint URL --cassette FILE`` runs the suite against URL and saves every
exchange; ``diff --endpoint A --against B`` sends the same examples to A and to B
(a second endpoint, or a cassette answering offline) and reports where A's
answers differ from B's.  Both are ``run`` (same flow, report and exit codes) in one
process (the same examples in the same order); their options are the table's
``DIFF``/``RECORD`` ones (``options.py``), which reach the plugin like every other.
"""

from __future__ import annotations

import argparse

from .. import options as run_options
from . import _run
from ._errors import ToolError
from ._target import add_endpoint_options, check_reachable, options_of


def register(sub: argparse._SubParsersAction) -> None:
    diff = sub.add_parser("diff", help="the same examples against two targets (or a "
                                       "recording); report where the answers differ")
    add_endpoint_options(diff)
    run_options.add_arguments(diff, run_options.RUN, run_options.DIFF)
    diff.set_defaults(handler=run_diff, workers=1)

    record = sub.add_parser("record", help="run the suite and save every exchange to a "
                                           "cassette, to diff against offline")
    add_endpoint_options(record)
    run_options.add_arguments(record, run_options.RUN, run_options.RECORD)
    record.set_defaults(handler=run_record, workers=1)


def run_diff(args: argparse.Namespace) -> int:
    if not args.against:
        raise ToolError("diff needs --against: a second endpoint URL or a cassette file")
    if args.against.startswith(("http://", "https://")):
        _reachable(args)
        return _run.run(args)
    cassette = _cassette(args)
    # The report states what actually ran: the recording's seed and budgets.
    recorded = cassette.options
    return _run.run(args, seed=recorded["seed"], max_examples=recorded["max_examples"],
                    stateful_steps=recorded["stateful_steps"])


def run_record(args: argparse.Namespace) -> int:
    if not args.record:
        raise ToolError("record needs --cassette FILE: where to save the exchanges")
    return _run.run(args)


def _cassette(args: argparse.Namespace):
    from .. import __version__
    from ..diff import CassetteError, load_cassette
    from ..target import is_loopback

    try:
        cassette = load_cassette(args.against, api_version=args.api_version,
                                 tool_version=__version__)
    except CassetteError as exc:
        raise ToolError(str(exc)) from None
    remote = args.endpoint and not is_loopback(args.endpoint)
    if not cassette.options["read_only"] and remote and not args.allow_mutations:
        raise ToolError("the cassette was recorded with mutations; replaying them against "
                        f"{args.endpoint} needs --allow-mutations")
    return cassette


def _reachable(args: argparse.Namespace) -> None:
    """The reference endpoint answers, with its own region and credentials: one line now
    rather than a run of unanswered requests."""
    from ..diff import reference_options
    from ..target import CredentialsError, client_for

    options = reference_options(options_of(args))
    try:
        client = client_for(options, options.endpoint, embedded=False)
    except CredentialsError as exc:
        raise ToolError(f"--against {options.endpoint}: {exc}") from None
    with client:
        check_reachable(client)
