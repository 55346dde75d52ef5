"""``junit.xml``: one test case per action (and machine); a failure names its defects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lxml import etree

from ..outcome import Severity


def write_junit(document: dict[str, Any], path: Path) -> None:
    findings = {f["id"]: f for f in document["findings"]}
    defects = {d["id"]: d for d in document.get("defects", ())}
    suites = etree.Element("testsuites", name="ec2-conformance")
    for suite_name in sorted({a["suite"] for a in document["actions"]}):
        rows = [a for a in document["actions"] if a["suite"] == suite_name]
        suite = etree.SubElement(suites, "testsuite", name=f"ec2-conformance.{suite_name}")
        failures = 0
        for row in rows:
            case = etree.SubElement(suite, "testcase", classname=f"ec2.{suite_name}",
                                    name=row["action"])
            failing = [findings[i] for i in row["finding_ids"] if i in findings
                       and Severity(findings[i]["severity"]).fails
                       and findings[i].get("baseline") != "accepted"]
            by_defect: dict[str, list[dict[str, Any]]] = {}
            for f in failing:
                by_defect.setdefault(f.get("defect") or f["id"], []).append(f)
            for ident, group in by_defect.items():
                defect = defects.get(ident)
                title = defect["title"] if defect else group[0]["message"]
                reach = f" (defect {ident}, {defect['reach']} action(s))" if defect else ""
                failure = etree.SubElement(case, "failure", type=group[0]["check"],
                                           message=_clean(f"{title}{reach}")[:500])
                failure.text = _clean("\n\n".join(_detail(f) for f in group))
            failures += bool(failing)
            others = [findings[i] for i in row["finding_ids"]
                      if i in findings and findings[i] not in failing]
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
