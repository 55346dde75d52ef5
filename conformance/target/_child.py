"""Entry point of the embedded target's child process: moto's server plus a watchdog.

The child runs in its own session (so a terminal's Ctrl-C reaches only the
parent, which then stops it in order); the watchdog ends the child when the
parent dies without stopping it (a killed test run, ``kill -9``), so no moto
server is ever left running on its own.
"""

from __future__ import annotations

import gc
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
    answers does not change; only how often it asks itself the same question.

    The same holds for botocore's region lists: moto asks a fresh botocore session for a
    service's regions eleven times while it loads EC2, and each session parses the EC2
    model again (and the endpoints file) to read one field: 0.35 s of the child's 1.25 s
    start.  One shared session answers each question once."""
    import functools

    import botocore.session
    from moto import backends
    from moto.core import responses

    modules = tuple(backends.list_of_moto_modules())
    backends.list_of_moto_modules = lambda: modules
    responses.method_names_from_class = functools.lru_cache(maxsize=None)(
        responses.method_names_from_class)

    available_regions = botocore.session.Session.get_available_regions
    shared = botocore.session.Session()

    @functools.lru_cache(maxsize=None)
    def regions(service_name, partition_name="aws", allow_non_regional=False):
        return tuple(available_regions(shared, service_name, partition_name,
                                       allow_non_regional))

    botocore.session.Session.get_available_regions = (
        lambda self, *args, **kwargs: list(regions(*args, **kwargs)))


def main(argv: list[str]) -> None:
    parent, host, port = int(argv[0]), argv[1], argv[2]
    threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True).start()
    memoize_constant_lookups()
    import moto.ec2.models  # what the first EC2 request would import, imported now
    import moto.ec2.responses
    import moto.server

    # moto's modules and botocore's model live as long as the child: frozen, the collector
    # stops walking them on every full collection (some 40% of moto's time collecting).
    gc.freeze()

    # moto's own handler raises SystemExit, which its server loop notices at its next
    # poll (0.5 s), and the interpreter then tears down every backend.  The child holds
    # nothing to save: it ends at once.
    moto.server.signal_handler = lambda signum, frame: os._exit(0)
    moto.server.main(["-H", host, "-p", port])


if __name__ == "__main__":
    main(sys.argv[1:])
