"""Saved examples on disk, and the command lines a report offers for each."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

from ..protocol import encode_pairs

EXAMPLES_DIR = "examples"


def write_examples(document: dict[str, Any], report_dir: Path) -> int:
    """One self-contained JSON file per finding that has an example."""
    folder = report_dir / EXAMPLES_DIR
    written = 0
    for finding in document["findings"]:
        example = finding.get("example")
        if not example:
            continue
        folder.mkdir(parents=True, exist_ok=True)
        saved = {**example, "finding": {k: finding.get(k) for k in (
            "id", "check", "severity", "message", "spec_ref", "expected", "observed")},
            "run": {k: document["run"].get(k) for k in ("id", "endpoint", "api_version",
                                                        "profile", "region")}}
        (folder / f"{finding['id']}.json").write_text(
            json.dumps(saved, indent=1, default=str) + "\n", "utf-8")
        finding["example_file"] = f"{EXAMPLES_DIR}/{finding['id']}.json"
        written += 1
    return written


def curl_line(pairs: list[list[str]] | list[tuple[str, str]], endpoint: str, region: str) -> str:
    """A copy-able curl command; credentials come from the user's environment."""
    body = encode_pairs([(str(k), str(v)) for k, v in pairs])
    return " ".join([
        "curl", "-sS", "-X", "POST", shlex.quote(endpoint),
        "--aws-sigv4", shlex.quote(f"aws:amz:{region}:ec2"),
        "--user", '"$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY"',
        "-H", shlex.quote("Content-Type: application/x-www-form-urlencoded; charset=utf-8"),
        "--data", shlex.quote(body),
    ])


def reproduce_line(finding_id: str, endpoint: str | None, embedded: bool) -> str:
    line = f"ec2-conformance reproduce {finding_id}"
    if endpoint and not embedded:
        line += f" --endpoint {shlex.quote(endpoint)}"
    return line
