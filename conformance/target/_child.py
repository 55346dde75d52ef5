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


def main(argv: list[str]) -> None:
    parent, host, port = int(argv[0]), argv[1], argv[2]
    threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True).start()
    from moto.server import main as moto_main

    moto_main(["-H", host, "-p", port])


if __name__ == "__main__":
    main(sys.argv[1:])
