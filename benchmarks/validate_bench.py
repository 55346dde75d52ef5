#!/usr/bin/env python3
"""Validate every sample response of the spec with libxml2 (lxml) and with xmlschema.

Usage: python benchmarks/validate_bench.py [--rounds N] [--api-version V]

Both engines judge the same parsed trees (errata applied) against the same
committed XSD; the script prints the time per response of each, the ratio, and
the cost of the whole check pipeline (``validate_body``) per response.  lxml is
the engine every response goes through; xmlschema is used for what it adds
(an independent XSD 1.0 implementation in the schema tests).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "tests" / "data" / "spec_samples"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--api-version", default="2014-10-01")
    args = parser.parse_args(argv)

    import xmlschema
    from lxml import etree

    from ec2_conformance import schemas
    from ec2_conformance.checks import parse_response, validate_body

    path = SAMPLES / f"{args.api_version}.json"
    if not path.is_file():
        print(f"no sample responses for {args.api_version} ({path})", file=sys.stderr)
        return 2
    samples = []
    for sample in json.loads(path.read_text("utf-8"))["responses"]:
        fixes = schemas.errata_for(args.api_version, sample["action"], sample["example_index"])
        samples.append((sample["action"], schemas.apply_fixes(sample["body"], fixes).encode()))
    trees = [parse_response(body) for _, body in samples]
    xsd = schemas.read_schema_bytes(schemas.schema_file_name(args.api_version))

    started = time.perf_counter()
    lxml_schema = etree.XMLSchema(etree.fromstring(xsd))
    lxml_load = time.perf_counter() - started
    started = time.perf_counter()
    xs_schema = xmlschema.XMLSchema10(xsd.decode("utf-8"))
    xs_load = time.perf_counter() - started

    lxml_time = _best(args.rounds, lambda: [lxml_schema.validate(t) for t in trees])
    xs_time = _best(args.rounds, lambda: [xs_schema.is_valid(t) for t in trees])
    pipeline = _best(max(1, args.rounds // 2),
                     lambda: [validate_body(b, a, args.api_version) for a, b in samples])
    invalid = sum(not lxml_schema.validate(t) for t in trees)
    disagree = sum(lxml_schema.validate(t) != xs_schema.is_valid(t) for t in trees)

    n = len(trees)
    print(f"{n} sample responses of API {args.api_version} (errata applied); "
          f"{invalid} invalid; engines disagree on {disagree}")
    print(f"schema load:        lxml {lxml_load * 1e3:8.1f} ms   xmlschema {xs_load * 1e3:8.1f} ms")
    print(f"validate/response:  lxml {lxml_time / n * 1e6:8.1f} us   "
          f"xmlschema {xs_time / n * 1e6:8.1f} us")
    print(f"ratio: xmlschema takes {xs_time / lxml_time:.0f}x as long as lxml")
    print(f"all checks (validate_body) per response: {pipeline / n * 1e3:.2f} ms")
    return 0


def _best(rounds: int, fn) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


if __name__ == "__main__":
    sys.exit(main())
