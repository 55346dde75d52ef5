"""Errors the CLI turns into one line and exit code 2, exit codes, and shared argument types."""

from ..options import positive_int  # noqa: F401  (argparse type for counts; one home)

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
# ``run`` stopped before the end (the partial report is written in each case):
EXIT_DEADLINE = 124  # --deadline reached (as coreutils' timeout)
EXIT_INTERRUPTED = 130  # SIGINT / Ctrl-C
EXIT_TERMINATED = 143  # SIGTERM


class ToolError(Exception):
    """A usage or infrastructure problem: bad input, unreachable endpoint, no credentials."""
