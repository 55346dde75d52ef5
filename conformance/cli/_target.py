"""Shared CLI plumbing: target options (from the option table) and the client/target they
resolve to."""

from __future__ import annotations

import argparse
import contextlib
import os
from typing import Iterator

from .. import options as run_options
from ..catalog import UnknownApiVersion, load_catalog
from ..protocol import Client, EndpointUnreachable
from ..target import CredentialsError, EmbeddedTarget, TargetError
from ..target import client_for as _client_for
from ._errors import ToolError

# Explicit keys: given as flags they go to botocore through the environment (where its
# chain looks first), so worker processes resolve them the same way and they never
# enter the plugin's arguments or any report.
_KEY_FLAGS = {"aws_access_key_id": "AWS_ACCESS_KEY_ID",
              "aws_secret_access_key": "AWS_SECRET_ACCESS_KEY",
              "aws_session_token": "AWS_SESSION_TOKEN"}


def add_endpoint_options(parser: argparse.ArgumentParser) -> None:
    run_options.add_arguments(parser, run_options.TARGET)
    for dest, env in _KEY_FLAGS.items():
        parser.add_argument("--" + dest.replace("_", "-"), dest=dest, metavar="VALUE",
                            help=f"explicit credential (prefer ${env}: flags show in ps)")


def options_of(args: argparse.Namespace, **changes) -> run_options.RunOptions:
    """The run options of a parsed command line; explicit keys are moved to the environment."""
    keys = {dest: getattr(args, dest, None) for dest in _KEY_FLAGS}
    if any(keys.values()):
        if not (keys["aws_access_key_id"] and keys["aws_secret_access_key"]):
            raise ToolError("--aws-access-key-id and --aws-secret-access-key go together")
        if getattr(args, "aws_profile", None):
            raise ToolError("give explicit keys or --aws-profile, not both")
        os.environ.pop("AWS_PROFILE", None)  # botocore skips the environment for a profile
        for dest, env in _KEY_FLAGS.items():
            if keys[dest]:
                os.environ[env] = keys[dest]
            else:
                os.environ.pop(env, None)
    return run_options.from_namespace(args, **changes)


def catalog_for(version: str):
    try:
        return load_catalog(version)
    except UnknownApiVersion as exc:
        raise ToolError(str(exc)) from None


@contextlib.contextmanager
def endpoint_for(args: argparse.Namespace) -> Iterator[tuple[str, bool]]:
    """Yield ``(endpoint, embedded)``: the user's endpoint or a fresh embedded target."""
    if args.endpoint:
        check_endpoint_url(args.endpoint)
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


def check_endpoint_url(endpoint: str) -> None:
    if not endpoint.startswith(("http://", "https://")):
        raise ToolError(f"--endpoint must be an http(s) URL, got {endpoint!r}")


def client_for(args: argparse.Namespace, endpoint: str, embedded: bool) -> Client:
    try:
        return _client_for(options_of(args), endpoint, embedded=embedded)
    except CredentialsError as exc:
        raise ToolError(str(exc)) from None


def check_reachable(client: Client) -> None:
    """Fail fast with one line when nothing answers at the endpoint."""
    try:
        exchange = client.call("DescribeRegions")
    except EndpointUnreachable as exc:
        raise ToolError(str(exc)) from None
    if exchange.response is None:
        raise ToolError(f"no answer from {client.endpoint}: {exchange.error} "
                        f"(--timeout {client.timeout:g}s)")
