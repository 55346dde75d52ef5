"""``ec2-conformance catalog``: show the action catalog."""

from __future__ import annotations

import argparse
import json
import sys

from ..catalog import DEFAULT_API_VERSION
from ._errors import ToolError
from ._target import catalog_for


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("catalog", help="show actions, wire parameters and error codes")
    parser.add_argument("--api-version", default=DEFAULT_API_VERSION, metavar="V")
    parser.add_argument("--action", metavar="NAME", help="one action (glob patterns allowed)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    catalog = catalog_for(args.api_version)
    actions = catalog.select([args.action] if args.action else None)
    if args.action and not actions:
        raise ToolError(f"no action matches {args.action!r} in API version {args.api_version}")
    if args.format == "json":
        json.dump(catalog.to_json(actions), sys.stdout, indent=1)
        sys.stdout.write("\n")
        return 0
    for action in actions:
        flags = ", ".join(f for f, on in (("mutating", action.mutating),
                                          ("DryRun", action.dry_run)) if on)
        print(f"{action.name}  ({flags or 'read-only'})  -> {action.response_element}")
        for p in action.params:
            extra = []
            if p.top_required:
                extra.append("required")
            if p.id_kind:
                extra.append(f"id:{p.id_kind}")
            if p.enum:
                extra.append("enum: " + "|".join(p.enum))
            print(f"    {p.name:<48} {p.type:<10} {' '.join(extra)}")
        if args.action:
            print("    errors: " + (", ".join(action.errors) or "(none listed)"))
    return 0
