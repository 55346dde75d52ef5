"""How a suite test turns a result into pass/fail: failing findings fail the test."""

from __future__ import annotations


def assert_conformant(result) -> None:
    failing = [r.finding for r in result.findings.values() if r.finding.severity.fails]
    if failing:
        lines = [f"{len(failing)} failing finding(s) for {result.action}:"]
        lines += [f"  [{f.severity.value}] {f.check}: {f.message} ({f.spec_ref})"
                  for f in failing[:20]]
        raise AssertionError("\n".join(lines))
