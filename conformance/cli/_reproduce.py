"""``ec2-conformance reproduce FILE_OR_ID``: replay a saved failing example.

The request is signed afresh; resource IDs it referenced that do not exist on
the target (a fresh emulator, another account) are recreated and remapped
first, and what the replay created is deleted after it.  Exit 0 when the
target now conforms, 1 when it still fails, 2 on bad input.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from ._errors import EXIT_FINDINGS, EXIT_OK, ToolError
from ._target import add_endpoint_options, catalog_for, client_for, endpoint_for


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("reproduce", help="replay a saved failing example and judge it again")
    parser.add_argument("example", metavar="FILE_OR_ID",
                        help="an example file, or a finding id found under --reports")
    parser.add_argument("--reports", type=Path, default=Path("reports"), metavar="DIR",
                        help="where to look up a finding id (default: reports/)")
    parser.add_argument("--profile", default="aws-2014-10-01", metavar="NAME")
    add_endpoint_options(parser)
    parser.set_defaults(handler=run)


def find_example(ref: str, reports: Path) -> Path:
    path = Path(ref)
    if path.is_file():
        return path
    matches = sorted(reports.glob(f"*/examples/{ref}.json"), key=lambda p: p.stat().st_mtime)
    if not matches:
        raise ToolError(f"no example file {ref!r} and no saved example with that id under {reports}/")
    return matches[-1]


def load_example(path: Path):
    from ..engine import SavedExample

    try:
        data = json.loads(path.read_text("utf-8"))
        example = SavedExample.from_json(data)
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ToolError(f"{path} is not a valid saved example: {type(exc).__name__}: {exc}") from None
    if example.kind not in ("stateless", "stateful") or (example.kind == "stateless"
                                                           and not example.pairs):
        raise ToolError(f"{path} is not a valid saved example: nothing to replay")
    return example, data


def run(args: argparse.Namespace) -> int:
    path = find_example(args.example, args.reports)
    example, data = load_example(path)
    args.api_version = example.api_version
    catalog = catalog_for(example.api_version)
    run_meta = data.get("run") or {}
    if not args.endpoint and run_meta.get("endpoint", "").startswith("http") \
            and not run_meta.get("endpoint", "").startswith("embedded"):
        args.endpoint = run_meta["endpoint"]  # the same target the finding came from
    with endpoint_for(args) as (endpoint, embedded):
        with client_for(args, endpoint, embedded) as client:
            try:
                findings = _replay(example, client, catalog, args.profile,
                                   waits=_waits(args, endpoint, embedded))
            except ConnectionError as exc:
                raise ToolError(str(exc)) from None
    return _print(example, findings, endpoint)


def _replay(example, client, catalog, profile_name, waits=None):
    from ..catalog.profiles import load_profile
    from ..engine import checks_judge

    if example.kind == "stateful":
        from ..engine import machine_judge
        from ..machines import replay_steps

        # Judged as in the run: the model's named rule, not also the generic outcome checks.
        return replay_steps(client, example.steps, catalog, profile=load_profile(profile_name),
                            judge=machine_judge(checks_judge(catalog, None)), waits=waits)
    judge = checks_judge(catalog, example.action)
    from ..world import World

    world = World(run_id="reproduce", region=client.region, client=client,
                  api_version=client.api_version)
    try:
        pairs = _remap(example, world, client, catalog)
        request, now = _raw_request(example, pairs, client)
        exchange = client.send(request, now=now)
        return judge(exchange, example.expectation)[0]
    finally:
        left = world.teardown()
        if left:
            sys.stderr.write("note: could not delete " + ", ".join(left) + "\n")


def _waits(args, endpoint, embedded):
    from ..machines import WaitSettings
    from ..target import is_loopback

    return WaitSettings.for_consistency(args.consistency,
                                        loopback=embedded or is_loopback(endpoint))


def _remap(example, world, client, catalog) -> list[tuple[str, str]]:
    """Recreate referenced resources the target lacks, and rewrite their IDs."""
    from ._exists import resource_exists

    mapping = {}
    for rid, kind in example.references.items():
        if resource_exists(client, catalog, kind, rid) is False:
            try:
                mapping[rid] = world.fresh(kind).id
            except Exception as exc:  # the world reports why it could not make one
                sys.stderr.write(f"note: {kind} {rid} is missing and could not be recreated: {exc}\n")
    return [(k, mapping.get(v, v)) for k, v in example.pairs]


def _raw_request(example, pairs, client):
    from ..protocol import RawRequest

    raw = example.raw or {}
    body = raw.get("body")
    request = RawRequest(pairs=pairs, method=raw.get("method") or client.method,
                         body=body.encode("latin-1") if isinstance(body, str) else None,
                         headers=dict(raw.get("headers") or ()), sign=raw.get("sign", True),
                         wrong_secret=raw.get("wrong_secret", False))
    skew = raw.get("clock_skew")
    now = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=skew) if skew else None
    return request, now


def _print(example, findings, endpoint) -> int:
    failing = [f for f in findings if f.severity.fails]
    what = f"{example.kind} example for {example.action or 'a step list'} ({example.check})"
    print(f"replayed {what} against {endpoint}")
    for f in findings:
        print(f"  [{f.severity.value}] {f.check}: {f.message}")
        print(f"      spec: {f.spec_ref}")
    if failing:
        print(f"still fails: {len(failing)} failing finding(s)")
        return EXIT_FINDINGS
    print("conforms now: no failing finding")
    return EXIT_OK
