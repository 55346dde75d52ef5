"""``ec2-conformance call ACTION Key=Value ...``: send one request, print the response."""

from __future__ import annotations

import argparse
import sys

from ..protocol import RawRequest
from ._errors import EXIT_FINDINGS, ToolError
from ._target import add_endpoint_options, catalog_for, client_for, endpoint_for


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("call", help="send one request and print the response")
    parser.add_argument("action", metavar="ACTION")
    parser.add_argument("params", nargs="*", metavar="Key=Value",
                        help="wire parameters as sent, e.g. Filter.1.Name=vpc-id")
    parser.add_argument("--show-request", action="store_true",
                        help="print the (redacted) request before the response")
    add_endpoint_options(parser)
    parser.set_defaults(handler=run)


def parse_pairs(items: list[str]) -> list[tuple[str, str]]:
    pairs = []
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ToolError(f"parameter {item!r} is not Key=Value")
        pairs.append((key, value))
    return pairs


def run(args: argparse.Namespace) -> int:
    catalog = catalog_for(args.api_version)
    if args.action not in catalog.actions:
        # Still sendable (that is what a fuzzer wants), but say so once.
        sys.stderr.write(f"note: {args.action} is not an action of API version "
                         f"{args.api_version}; sending it anyway\n")
    pairs = [("Action", args.action), ("Version", args.api_version), *parse_pairs(args.params)]
    with endpoint_for(args) as (endpoint, embedded):
        with client_for(args, endpoint, embedded) as client:
            try:
                exchange = client.send(RawRequest(pairs=pairs, method=client.method))
            except ConnectionError as exc:
                raise ToolError(str(exc)) from None
    if args.show_request:
        req = exchange.request
        print(f"{req.method} {req.url}\n{req.body}\n", file=sys.stderr)
    if exchange.response is None:
        raise ToolError(f"no response from {endpoint}: {exchange.error}")
    print(f"HTTP {exchange.response.status}", file=sys.stderr)
    sys.stdout.write(exchange.response.text)
    if not exchange.response.text.endswith("\n"):
        sys.stdout.write("\n")
    return 0 if exchange.response.status < 400 else EXIT_FINDINGS
