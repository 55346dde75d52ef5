#!/usr/bin/env python3
"""Classify every sample response of the spec: valid, broken sample, or spec conflict.

Usage: python tools/audit_samples.py [--check]

Writes schemas/sample-audit-2014-10-01.json: for each of the spec's sample
responses (tests/data/spec_samples/2014-10-01.json) its verdict and reason.

* broken: the errata (schemas/errata-<version>.json) fix it: PDF damage, a
  misprint, a placeholder where a typed value belongs; its reason is the fixes'.
* spec-conflict: printed as it is, it shows a reading the spec's own tables
  contradict; schemas/conflicts-<version>.json accepts both and says which the
  schema keeps.  It passes ``validate`` with spec-conflict warnings only.
* valid: it passes ``validate`` as printed.

The verdicts are derived from the two hand-written files and the validator, so
the audit cannot drift from what ``validate`` does; --check compares instead of
writing (exit 1 when stale).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "tests" / "data" / "spec_samples"
API_VERSION = "2014-10-01"


def audit(api_version: str = API_VERSION) -> dict:
    from ec2_conformance.checks import validate_body
    from ec2_conformance.outcome import Severity
    from ec2_conformance.schemas import apply_fixes, errata_for, load_conflicts

    samples = json.loads((SAMPLES / f"{api_version}.json").read_text("utf-8"))["responses"]
    wins = {c["id"]: c["wins"] for c in load_conflicts(api_version)}
    entries = []
    for sample in samples:
        action, index = sample["action"], sample["example_index"]
        fixes = errata_for(api_version, action, index)
        body = apply_fixes(sample["body"], fixes)
        findings = validate_body(body.encode("utf-8"), action, api_version)
        conflicts = sorted({f.extra["conflict"] for f in findings
                            if f.severity is Severity.SPEC_CONFLICT and "conflict" in f.extra})
        if fixes:
            verdict = "broken"
            reason = "; ".join(dict.fromkeys(f"{f['kind']}: {f['reason']}" for f in fixes))
        elif conflicts:
            verdict = "spec-conflict"
            reason = "; ".join(f"{c}: {wins[c]}" for c in conflicts)
        else:
            verdict = "valid"
            reason = f"validates as printed against the {api_version} schema"
        entries.append({
            "action": action, "example_index": index, "verdict": verdict, "reason": reason,
            "conflicts": conflicts,
            "violations": sorted({f.check for f in findings if f.severity.fails}),
            "warnings": sorted({f.check for f in findings
                                if f.severity in (Severity.WARNING, Severity.SPEC_CONFLICT)}),
        })
    counts = {v: sum(1 for e in entries if e["verdict"] == v)
              for v in ("valid", "spec-conflict", "broken")}
    return {"api_version": api_version,
            "_about": "Every sample response of the spec, classified (made by "
                      "tools/audit_samples.py from the errata, the conflicts and validate; "
                      "violations lists what validate still reports after the errata: "
                      "always empty, a test keeps it so)",
            "counts": counts, "samples": entries}


def render(api_version: str = API_VERSION) -> str:
    return json.dumps(audit(api_version), indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="compare with the committed audit instead of writing it")
    args = parser.parse_args(argv)
    path = ROOT / "schemas" / f"sample-audit-{API_VERSION}.json"
    text = render()
    current = path.read_text("utf-8") if path.exists() else None
    if current == text:
        print("sample audit is up to date")
        return 0
    if args.check:
        print(f"stale: {path.relative_to(ROOT)} (run python tools/audit_samples.py)",
              file=sys.stderr)
        return 1
    path.write_text(text, "utf-8")
    print(f"wrote {path.relative_to(ROOT)}: {json.loads(text)['counts']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
