"""The ``ec2-conformance`` command line: one module per subcommand.

Every failure the user can cause (bad flag, unreachable endpoint, unreadable
file) ends in one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from . import (_baseline, _call, _catalog, _cleanup, _diff, _merge, _report, _reproduce, _run,
               _selftest, _validate)
from ._errors import EXIT_INTERRUPTED, EXIT_TERMINATED, EXIT_USAGE, ToolError
# run's hand-over, command line -> RunOptions -> the suite's pytest arguments, public for
# the option table's test (tests/conformance/test_options.py)
from ._run import pytest_argv  # noqa: F401
from ._target import options_of  # noqa: F401

COMMANDS = [_run, _diff, _reproduce, _cleanup, _catalog, _call, _validate, _baseline, _selftest,
            _report, _merge]


class _Terminated(KeyboardInterrupt):
    """SIGTERM outside ``run`` (which stops gracefully itself): stop like Ctrl-C."""


def _terminate(signum, frame) -> None:
    raise _Terminated


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not usage + error
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        sys.exit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    from .. import __version__

    parser = _Parser(prog="ec2-conformance",
                     description="Conformance suite and fuzzer for the EC2 Query API.")
    parser.add_argument("--version", action="version", version=f"ec2-conformance {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    # A parent may have left SIGINT ignored (CI runners, pytest-xdist workers); Ctrl-C
    # must still stop a run and write its partial report.
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, _terminate)
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except ToolError as exc:
        sys.stderr.write(f"ec2-conformance: error: {exc}\n")
        return EXIT_USAGE
    except _Terminated:
        sys.stderr.write("ec2-conformance: terminated\n")
        return EXIT_TERMINATED
    except KeyboardInterrupt:
        sys.stderr.write("ec2-conformance: interrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
