"""Shared CLI plumbing: endpoint options and the client/target they resolve to."""

from __future__ import annotations

import argparse
import contextlib
import os
from typing import Iterator

from ..catalog import DEFAULT_API_VERSION, UnknownApiVersion, load_catalog
from ..protocol import Client, EndpointUnreachable, resolve_credentials
from ..target import EmbeddedTarget, TargetError, is_loopback
from ._errors import ToolError


def add_endpoint_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--endpoint", default=os.environ.get("AWS_ENDPOINT_URL"),
                        help="target URL (default: $AWS_ENDPOINT_URL, else the embedded moto server)")
    parser.add_argument("--region", default=os.environ.get("AWS_DEFAULT_REGION", "us-east-1"))
    parser.add_argument("--api-version", default=DEFAULT_API_VERSION, metavar="V")
    parser.add_argument("--signature-version", choices=("v4", "v2"), default="v4")
    parser.add_argument("--method", choices=("POST", "GET"), default="POST")
    parser.add_argument("--timeout", type=float, default=30.0, help="read timeout in seconds")


def catalog_for(version: str):
    try:
        return load_catalog(version)
    except UnknownApiVersion as exc:
        raise ToolError(str(exc)) from None


@contextlib.contextmanager
def endpoint_for(args: argparse.Namespace) -> Iterator[tuple[str, bool]]:
    """Yield ``(endpoint, embedded)``: the user's endpoint or a fresh embedded target."""
    if args.endpoint:
        if not args.endpoint.startswith(("http://", "https://")):
            raise ToolError(f"--endpoint must be an http(s) URL, got {args.endpoint!r}")
        yield args.endpoint, False
        return
    try:
        target = EmbeddedTarget().start()
    except TargetError as exc:
        raise ToolError(str(exc)) from None
    try:
        yield target.endpoint, True
    finally:
        target.stop()


def client_for(args: argparse.Namespace, endpoint: str, embedded: bool) -> Client:
    credentials = None  # the client's dummy keys: what emulators on loopback accept
    if not embedded:
        try:
            credentials = resolve_credentials(profile=getattr(args, "profile_name", None))
        except Exception as exc:  # botocore raises several types for bad profiles
            raise ToolError(f"cannot load credentials: {exc}") from None
        if credentials is None and not is_loopback(endpoint):
            raise ToolError("no AWS credentials found (environment, shared credentials file "
                            "or profile) for a non-embedded endpoint")
    return Client(endpoint, region=args.region, api_version=args.api_version,
                  credentials=credentials, signature_version=args.signature_version,
                  method=args.method, read_timeout=args.timeout)


def check_reachable(client: Client) -> None:
    """Fail fast with one line when nothing answers at the endpoint."""
    try:
        client.call("DescribeRegions")
    except EndpointUnreachable as exc:
        raise ToolError(str(exc)) from None
