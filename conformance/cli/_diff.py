"""``ec2-conformance diff`` and ``record``: the differential mode (``conformance/diff/``).

``record --endpoint URL --cassette FILE`` runs the suite against URL and saves every
exchange; ``diff --endpoint A --against B`` sends the same examples to A and to B
(a second endpoint, or a cassette answering offline) and reports where A's
answers differ from B's.  Both run the suite through the pytest plugin, in one
process (the same examples in the same order), with ``run``'s options.
"""

from __future__ import annotations

import argparse

from . import _run
from ._errors import ToolError
from ._target import check_reachable


def register(sub: argparse._SubParsersAction) -> None:
    diff = sub.add_parser("diff", help="the same examples against two targets (or a "
                                       "recording); report where the answers differ")
    _run.add_run_options(diff)
    diff.add_argument("--against", required=True, metavar="URL_OR_CASSETTE",
                      help="the reference: a second endpoint, or a cassette from `record`")
    diff.add_argument("--against-region", default=None, metavar="R",
                      help="region of --against (default: --region)")
    diff.add_argument("--same-start", choices=("auto", "yes", "no"), default="auto",
                      help="both sides start from the same state, so list lengths compare "
                           "(auto: both are loopback)")
    _credentials(diff)
    diff.add_argument("--against-credentials-profile", default=None, metavar="NAME",
                      help="botocore credentials profile for --against")
    diff.set_defaults(handler=run_diff, workers=1)

    record = sub.add_parser("record", help="run the suite and save every exchange to a "
                                           "cassette, to diff against offline")
    _run.add_run_options(record)
    record.add_argument("--cassette", required=True, metavar="FILE",
                        help="where to write the cassette (JSON)")
    _credentials(record)
    record.set_defaults(handler=run_record, workers=1)


def _credentials(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--credentials-profile", default=None, metavar="NAME",
                        help="botocore credentials profile for --endpoint")


def run_diff(args: argparse.Namespace) -> int:
    extra = ["--ec2-against", args.against, "--ec2-same-start", args.same_start]
    if args.against.startswith(("http://", "https://")):
        _reachable(args, args.against, args.against_region or args.region,
                   args.against_credentials_profile)
    else:
        cassette = _cassette(args)
        # The report states what actually ran: the recording's seed and budgets.
        args.seed = cassette.options["seed"]
        args.max_examples = cassette.options["max_examples"]
        args.stateful_steps = cassette.options["stateful_steps"]
    if args.against_region:
        extra += ["--ec2-against-region", args.against_region]
    if args.against_credentials_profile:
        extra += ["--ec2-against-credentials-profile", args.against_credentials_profile]
    return _run.run(args, tuple(extra + _profile_args(args)))


def run_record(args: argparse.Namespace) -> int:
    return _run.run(args, tuple(["--ec2-record", args.cassette] + _profile_args(args)))


def _profile_args(args: argparse.Namespace) -> list[str]:
    profile = args.credentials_profile
    return ["--ec2-credentials-profile", profile] if profile else []


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


def _reachable(args: argparse.Namespace, url: str, region: str, profile: str | None) -> None:
    from ..protocol import Client, resolve_credentials
    from ..target import is_loopback

    credentials = None
    if not is_loopback(url) or profile:
        try:
            from ..diff import usable_credentials

            credentials = usable_credentials(resolve_credentials(profile=profile))
        except Exception as exc:  # botocore raises several types for bad profiles
            raise ToolError(f"cannot load credentials for {url}: {exc}") from None
        if credentials is None:
            raise ToolError(f"no AWS credentials found for {url}")
    with Client(url, region=region, api_version=args.api_version, credentials=credentials,
                signature_version=args.signature_version, read_timeout=args.timeout) as client:
        check_reachable(client)
