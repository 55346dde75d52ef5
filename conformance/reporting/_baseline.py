"""Baselines: the deviations a team accepts for its target.

A baseline is either a baseline file (``{"accepted": [{"signature", "reason", ...}]}``,
written by ``ec2-conformance baseline``) or a previous run's ``results.json``
(every finding in it counts as accepted).  Against a baseline, only new
failing findings fail the run, and accepted findings that no longer occur are
listed as fixed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..outcome import Severity


class BaselineError(ValueError):
    pass


def load_baseline(path: Path) -> dict[str, dict[str, Any]]:
    """Signature -> entry (``reason``, ``check``, ``action``, ``message``)."""
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaselineError(f"cannot read baseline {path}: {exc}") from None
    if isinstance(data, dict) and isinstance(data.get("accepted"), list):
        entries = data["accepted"]
    elif isinstance(data, dict) and isinstance(data.get("findings"), list):
        entries = [{**f, "reason": "present in baseline run " + str(data.get("run", {}).get("id"))}
                   for f in data["findings"]]
    else:
        raise BaselineError(f"{path} is neither a baseline file nor a results.json")
    out = {}
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("signature"), str):
            raise BaselineError(f"{path}: every entry needs a 'signature'")
        out[entry["signature"]] = {k: entry.get(k) for k in ("reason", "check", "action", "message")}
    return out


def apply_baseline(document: dict[str, Any], baseline: dict[str, dict[str, Any]],
                   source: str) -> None:
    """Mark findings new/accepted and list fixed ones, in place."""
    current = set()
    new, accepted = [], []
    for finding in document["findings"]:
        current.add(finding["signature"])
        if finding["signature"] in baseline:
            finding["baseline"] = "accepted"
            finding["baseline_reason"] = baseline[finding["signature"]].get("reason")
            accepted.append(finding["id"])
        else:
            finding["baseline"] = "new"
            new.append(finding["id"])
    fixed = [{"signature": sig, **entry} for sig, entry in sorted(baseline.items())
             if sig not in current]
    document["baseline"] = {"source": source, "new": new, "accepted": accepted, "fixed": fixed}


def failing_findings(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Findings that fail the run: failing severity, and not accepted by a baseline."""
    return [f for f in document["findings"]
            if Severity(f["severity"]).fails and f.get("baseline") != "accepted"]


def baseline_from_results(document: dict[str, Any], reason: str) -> dict[str, Any]:
    return {"accepted": [{"signature": f["signature"], "check": f["check"],
                          "action": f["action"], "message": f["message"], "reason": reason}
                         for f in document["findings"]]}
