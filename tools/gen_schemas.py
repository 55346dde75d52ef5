#!/usr/bin/env python3
"""Regenerate the committed XSD schemas under schemas/.

Usage: python tools/gen_schemas.py [--check]

Writes schemas/ec2-<version>.xsd for every version in SCHEMA_VERSIONS and
schemas/errors.xsd, generated from the action catalog (botocore's model plus the
spec facts).  Output is deterministic.  With --check nothing is written; the exit
status is 1 when a committed file differs from a fresh generation.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="compare with the committed files instead of writing them")
    args = parser.parse_args(argv)
    from ec2_conformance.schemas import generated_files

    stale = []
    for name, text in generated_files().items():
        path = SCHEMAS / name
        current = path.read_text("utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(name)
        if not args.check:
            path.write_text(text, "utf-8")
            print(f"wrote {path.relative_to(ROOT)} ({len(text):,} bytes)")
    if args.check and stale:
        print("stale: " + ", ".join(stale) + " (run python tools/gen_schemas.py)", file=sys.stderr)
        return 1
    if not stale:
        print("schemas are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
