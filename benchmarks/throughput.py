#!/usr/bin/env python3
"""The suite's cost per request against a bare keep-alive client sending the same requests.

Usage: python benchmarks/throughput.py [--actions N] [--max-examples N] [--seed N]
                                       [--profile-out FILE]

1. A fixed-seed stateless run (world set-up, then ``N`` implemented actions spread over the
   catalog, one process) against an embedded moto server, every request recorded as sent
   (method, path, headers, body).
2. Those very requests, same bodies, same order, replayed by a bare ``requests.Session``
   (keep-alive, nothing else) against a fresh moto server.
3. The same run again against another fresh server, timed.

Every server is seeded through moto's ``/moto-api/seed`` so it hands out the same resource
IDs to the same request sequence, and the replay meets the state the run met.  The script
prints both rates (requests per second) and the ratio of the suite's cost per request to
the bare client's; the goal is at most 1.15.  On a machine other jobs load, wall-clock rates
swing with the load between steps 2 and 3, so it also prints the CPU seconds per request
(the client process plus the moto server process) and their ratio, which the load barely
moves.  ``--profile-out`` writes a cProfile of step 3.
"""

from __future__ import annotations

import argparse
import sys
import time

import requests


def pick_actions(count: int) -> list[str]:
    """``count`` implemented actions spread evenly over the catalog (deterministic)."""
    from ec2_conformance.catalog import load_catalog
    from ec2_conformance.catalog.profiles import load_profile

    moto = load_profile("moto")
    implemented = sorted(a.name for a in load_catalog() if moto.implements(a.name))
    step = max(1, len(implemented) // count)
    return implemented[::step][:count]


class Recorder:
    """Wraps a client's transport (``Client._transport.request``): counts, and optionally
    keeps, every request as it goes on the wire."""

    def __init__(self, transport, keep: bool):
        self.sent: list[tuple[str, str, dict[str, str], bytes | None]] = []
        self.count = 0
        self._keep = keep
        self._request = transport.request
        transport.request = self  # type: ignore[method-assign]

    def __call__(self, method, url, headers, body):
        from urllib.parse import urlsplit

        self.count += 1
        if self._keep:
            parts = urlsplit(url)
            path = (parts.path or "/") + ("?" + parts.query if parts.query else "")
            self.sent.append((method, path, dict(headers), body))
        return self._request(method, url, headers, body)


class Clock:
    """Wall time and CPU time (this process and the server's) between start and stop."""

    def __init__(self, server_pid: int):
        self.server_pid = server_pid

    def _server_cpu(self) -> float:
        import os

        fields = open(f"/proc/{self.server_pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def __enter__(self) -> "Clock":
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        self._server = self._server_cpu()
        return self

    def __exit__(self, *exc) -> None:
        self.wall = time.perf_counter() - self._wall
        self.client_cpu = time.process_time() - self._cpu
        self.server_cpu = self._server_cpu() - self._server


def seeded(target, seed: int):
    requests.post(f"{target.endpoint}/moto-api/seed?a={seed}", timeout=10).raise_for_status()
    return target


def suite_run(actions: list[str], *, seed: int, max_examples: int, keep: bool,
              profile_out: str | None = None) -> tuple[Clock, Recorder]:
    """One stateless run on a fresh seeded server, as the engine runs it (no tags on a
    throwaway server): (clock, recorder)."""
    from ec2_conformance.catalog import load_catalog
    from ec2_conformance.catalog.profiles import load_profile
    from ec2_conformance.engine import run_stateless_action
    from ec2_conformance.protocol import Client
    from ec2_conformance.target import EmbeddedTarget
    from ec2_conformance.world import World

    catalog, profile = load_catalog(), load_profile("aws-2014-10-01")
    with EmbeddedTarget() as target, Client(seeded(target, seed).endpoint) as client:
        recorder = Recorder(client._transport, keep)
        profiler = None
        if profile_out:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        with Clock(target._process.pid) as clock:
            world = World.build(client, catalog, run_id="bench")
            world.tag_resources = False
            for action in actions:
                run_stateless_action(client, catalog, action, world,
                                     max_examples=max_examples, seed=seed, profile=profile)
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(profile_out)
    return clock, recorder


def bare_replay(sent, seed: int) -> Clock:
    from ec2_conformance.target import EmbeddedTarget

    with EmbeddedTarget() as target, requests.Session() as session:
        base = seeded(target, seed).endpoint
        session.trust_env = False
        with Clock(target._process.pid) as clock:
            for method, path, headers, body in sent:
                session.request(method, base + path, headers=headers, data=body,
                                allow_redirects=False).content
        return clock


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=20, help="how many actions (default 20)")
    parser.add_argument("--max-examples", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile-out", metavar="FILE", help="cProfile the timed suite run")
    args = parser.parse_args(argv)

    actions = pick_actions(args.actions)
    _, recorded = suite_run(actions, seed=args.seed, max_examples=args.max_examples, keep=True)
    bare = bare_replay(recorded.sent, args.seed)
    suite, timed = suite_run(actions, seed=args.seed, max_examples=args.max_examples,
                             keep=False, profile_out=args.profile_out)
    sent = len(recorded.sent)
    bare_rate, suite_rate = sent / bare.wall, timed.count / suite.wall
    print(f"actions: {len(actions)} ({actions[0]} .. {actions[-1]}), seed {args.seed}, "
          f"--max-examples {args.max_examples}")
    for name, clock, count, rate in (("bare keep-alive replay", bare, sent, bare_rate),
                                     ("suite", suite, timed.count, suite_rate)):
        print(f"{name + ':':23s} {count} requests in {clock.wall:.1f} s = {rate:.1f} req/s; "
              f"CPU per request {1000 * clock.client_cpu / count:.2f} ms client + "
              f"{1000 * clock.server_cpu / count:.2f} ms server")
    cpu_ratio = ((suite.client_cpu + suite.server_cpu) / timed.count) / (
        (bare.client_cpu + bare.server_cpu) / sent)
    print(f"cost per request, suite / bare: {bare_rate / suite_rate:.2f} wall clock "
          f"(goal: at most 1.15), {cpu_ratio:.2f} CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
