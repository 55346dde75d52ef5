"""docs/python-api.md's examples run as written: every ``python`` block, in order, as one
script in a fresh interpreter (its checks register for that process only), against the real
moto server the first block starts on loopback."""

import re
import subprocess
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "python-api.md"


def _blocks() -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", DOC.read_text("utf-8"), re.M | re.S)


def test_the_readme_links_the_python_api():
    assert "docs/python-api.md" in (DOC.parent.parent / "README.md").read_text("utf-8")


def test_every_documented_example_runs(tmp_path):
    blocks = _blocks()
    assert len(blocks) >= 5
    script = tmp_path / "python_api_examples.py"
    script.write_text("\n\n".join(blocks), "utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    assert "request-id" not in done.stderr


def test_the_documented_names_are_the_package_roots_exports():
    import ec2_conformance
    from ec2_conformance import strategies

    text = DOC.read_text("utf-8")
    for name in ("Client", "serialize", "validate_body", "check", "World", "Finding",
                 "Severity", "EmbeddedTarget"):
        assert name in ec2_conformance.__all__ and getattr(ec2_conformance, name)
        assert f"`{name}" in text or f"import {name}" in text or f" {name}," in text
    for name in ("valid_requests", "invalid_requests", "wire_faults", "dry_run_requests",
                 "from_shape", "all_strategies"):
        assert name in strategies.__all__ and f"{name}(" in text
