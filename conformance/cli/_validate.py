"""``ec2-conformance validate FILE --action NAME``: judge a saved response body.

Exit 0 when the body conforms (no violation), 1 when it has violations, 2 on
bad input (unreadable file, unknown action or API version).
"""

from __future__ import annotations

import argparse
import json
import sys

from ..catalog import DEFAULT_API_VERSION
from ..checks import DEFAULT_MAX_BYTES, validate_body_detailed
from ..outcome import Finding
from ._errors import EXIT_FINDINGS, EXIT_OK, ToolError
from ._target import catalog_for


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("validate", help="check a saved response body against the spec")
    parser.add_argument("file", metavar="FILE", help="the response body ('-' reads stdin)")
    parser.add_argument("--action", required=True, metavar="NAME",
                        help="the action the body answers, e.g. DescribeVpcs")
    parser.add_argument("--api-version", default=DEFAULT_API_VERSION, metavar="V")
    parser.add_argument("--status", type=int, default=200, metavar="CODE",
                        help="the HTTP status it came with (default 200)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    catalog = catalog_for(args.api_version)
    if args.action not in catalog.actions:
        raise ToolError(f"{args.action!r} is not an action of EC2 API version {args.api_version}")
    if not 100 <= args.status <= 599:
        raise ToolError(f"--status must be an HTTP status code (100-599), got {args.status}")
    body = _read(args.file)
    report = validate_body_detailed(body, args.action, args.api_version, args.status)
    if args.format == "json":
        json.dump(report.to_json(), sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        for finding in report.findings:
            print(format_finding(finding))
        print(_summary(report))
    return EXIT_FINDINGS if report.failed else EXIT_OK


def format_finding(f: Finding) -> str:
    where = f" {f.path}" if f.path else ""
    kind = f" [{f.data_type}]" if f.data_type else ""
    line = f"{f.severity.value.upper():<10} {f.check}{where}{kind}: {f.message}"
    if f.expected is not None or f.observed is not None:
        line += f"\n           expected: {f.expected}; observed: {f.observed}"
    count = f.extra.get("count", 1)
    if count > 1:
        line += f" ({count} times)"
    return line + f"\n           spec: {f.spec_ref}"


def _summary(report) -> str:
    counts: dict[str, int] = {}
    for f in report.findings:
        counts[f.severity.value] = counts.get(f.severity.value, 0) + 1
    found = ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "no findings"
    verdict = "NOT conformant" if report.failed else "conformant"
    failed = f" (failed: {', '.join(report.failed)})" if report.failed else ""
    return f"{verdict}: {found}; {len(report.ran)} checks ran, {len(report.failed)} failed{failed}"


def _read(path: str) -> bytes:
    try:
        if path == "-":
            return sys.stdin.buffer.read(DEFAULT_MAX_BYTES + 1)
        with open(path, "rb") as fh:
            return fh.read(DEFAULT_MAX_BYTES + 1)  # over the cap is reported, not loaded whole
    except OSError as exc:
        raise ToolError(f"cannot read {path}: {exc.strerror or exc}") from None
