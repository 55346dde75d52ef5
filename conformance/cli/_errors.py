"""Errors the CLI turns into one line and exit code 2, and shared argument types."""

import argparse

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class ToolError(Exception):
    """A usage or infrastructure problem: bad input, unreachable endpoint, no credentials."""


def positive_int(text: str) -> int:
    """argparse type for counts: a bad value is argparse's one-line usage error."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} must be at least 1")
    return value
