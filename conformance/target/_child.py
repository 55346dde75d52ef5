"""Entry point of the embedded target's child process: moto's server plus a watchdog.

The child runs in its own session (so a terminal's Ctrl-C reaches only the
parent, which then stops it in order); the watchdog ends the child when the
parent dies without stopping it (a killed test run, ``kill -9``), so no moto
server is ever left running on its own.
"""

from __future__ import annotations

import os
import sys
import threading
import time


def _exit_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def memoize_constant_lookups() -> None:
    """moto's server, on every request, lists its own package's folders to match the Host
    header (some 180 ``stat`` calls) and inspects the responder class for its methods: a
    third of its CPU per request (measured: 2.3 of 6.8 ms for DescribeVpcs).  Both answers
    are fixed for the life of the process, so the child computes each once.  What moto
    answers does not change; only how often it asks itself the same question."""
    import functools

    from moto import backends
    from moto.core import responses

    modules = tuple(backends.list_of_moto_modules())
    backends.list_of_moto_modules = lambda: modules
    responses.method_names_from_class = functools.lru_cache(maxsize=None)(
        responses.method_names_from_class)


def main(argv: list[str]) -> None:
    parent, host, port = int(argv[0]), argv[1], argv[2]
    threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True).start()
    memoize_constant_lookups()
    from moto.server import main as moto_main

    moto_main(["-H", host, "-p", port])


if __name__ == "__main__":
    main(sys.argv[1:])
