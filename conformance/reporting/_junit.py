"""JUnit XML for CI systems: one test case per (suite, action), failures per finding."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lxml import etree

from ..outcome import Severity


def write_junit(document: dict[str, Any], path: Path) -> None:
    findings = {f["id"]: f for f in document["findings"]}
    suites = etree.Element("testsuites", name="ec2-conformance")
    for suite_name in sorted({a["suite"] for a in document["actions"]}):
        rows = [a for a in document["actions"] if a["suite"] == suite_name]
        suite = etree.SubElement(suites, "testsuite", name=f"ec2-conformance.{suite_name}")
        failures = 0
        for row in rows:
            case = etree.SubElement(suite, "testcase", classname=f"ec2.{suite_name}",
                                    name=row["action"])
            failing = [findings[i] for i in row["finding_ids"]
                       if Severity(findings[i]["severity"]).fails
                       and findings[i].get("baseline") != "accepted"]
            for f in failing:
                failure = etree.SubElement(case, "failure", type=f["check"],
                                           message=_clean(f["message"])[:500])
                failure.text = _clean(_detail(f))
            failures += bool(failing)
            others = [findings[i] for i in row["finding_ids"] if findings[i] not in failing]
            if others:
                etree.SubElement(case, "system-out").text = _clean("\n".join(
                    f"[{f['severity']}] {f['check']}: {f['message']}" for f in others))
        suite.set("tests", str(len(rows)))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
    path.write_bytes(etree.tostring(suites, pretty_print=True, xml_declaration=True,
                                    encoding="UTF-8"))


def _detail(finding: dict[str, Any]) -> str:
    lines = [finding["message"], f"check: {finding['check']} ({finding['severity']})",
             f"spec: {finding['spec_ref']}"]
    for key in ("expected", "observed", "data_type", "path"):
        if finding.get(key):
            lines.append(f"{key}: {finding[key]}")
    lines.append(f"occurrences: {finding['occurrences']}; reproduce: "
                 f"ec2-conformance reproduce {finding['id']}")
    return "\n".join(lines)


def _clean(text: str) -> str:
    """XML 1.0 cannot carry most control characters; fuzzed values contain them."""
    return "".join(ch if ch in "\t\n\r" or ord(ch) >= 32 else f"\\x{ord(ch):02x}"
                   for ch in str(text)).replace("\ufffe", "").replace("\uffff", "")
