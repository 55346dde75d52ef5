"""ARCHITECTURE.md's "Which files to touch" table names files that exist."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _section(title: str) -> str:
    text = (ROOT / "ARCHITECTURE.md").read_text("utf-8")
    start = text.index(f"## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end != -1 else None]


def test_every_path_in_which_files_to_touch_exists():
    table = _section("Which files to touch")
    paths = {p for p in re.findall(r"`([\w./-]+\.(?:py|json))`", table) if "/" in p}
    assert len(paths) >= 15
    missing = sorted(p for p in paths if not (ROOT / p).is_file())
    assert not missing, f"ARCHITECTURE.md names files that do not exist: {missing}"


def test_the_table_covers_every_common_change():
    rows = {line.split("|")[1].strip() for line in _section("Which files to touch").splitlines()
            if line.startswith("| new ")}
    assert {"new action", "new check", "new resource kind", "new invariant", "new machine rule",
            "new run option", "new fault"} <= rows
