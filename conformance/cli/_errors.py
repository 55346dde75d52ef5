"""Errors the CLI turns into one line and exit code 2."""

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class ToolError(Exception):
    """A usage or infrastructure problem: bad input, unreachable endpoint, no credentials."""
