"""The spec text, found and normalised, so data files can prove their quotes verbatim.

A passage is "in the spec" when, after both are normalised the same way (the text
conversion's link and table markup removed, whitespace collapsed), it occurs in the
spec text.  A passage may join sentences from several places with `` ... ``: each part must occur.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

SPEC_NAME = "000_9140317b0454c1a2.txt"
REPO_ROOT = Path(__file__).resolve().parent.parent
SPEC_ENV = "EC2_CONFORMANCE_SPEC"  # the spec text file, or the folder holding it


def find_spec() -> Path:
    """The spec text: ``$EC2_CONFORMANCE_SPEC``, else ``shared/spec/`` beside the checkout or
    beside a folder enclosing it (CI clones with ``../shared/spec`` next to the clone)."""
    given = os.environ.get(SPEC_ENV)
    if given:
        path = Path(given) / SPEC_NAME if Path(given).is_dir() else Path(given)
        if not path.is_file():
            raise FileNotFoundError(f"${SPEC_ENV} is {given}, which holds no spec text "
                                    f"{SPEC_NAME}")
        return path
    for folder in (REPO_ROOT, *REPO_ROOT.parents):
        candidate = folder / "shared" / "spec" / SPEC_NAME
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"the spec text {SPEC_NAME} is not in shared/spec beside "
                            f"{REPO_ROOT} or any folder above it; set ${SPEC_ENV}")


def normalize(text: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\(#\)", r"\1", text)  # markdown links
    text = re.sub(r"</?(?:code|i|b|p|br|ul|li|a)\b[^>]*>", "", text)  # the tables' HTML
    text = text.replace("`", "").replace("\\(", "(").replace("\\)", ")").replace("**", "")
    return re.sub(r"\s+", " ", text).strip()


@functools.lru_cache(maxsize=1)
def spec_text() -> str:
    return normalize(find_spec().read_text("utf-8"))


def missing_parts(passage: str, text: str | None = None) -> list[str]:
    """The parts of ``passage`` (split on `` ... ``) not found in the spec."""
    text = spec_text() if text is None else text
    parts = (normalize(p) for p in re.split(r"\s\.\.\.\s", passage))
    return [part for part in parts if part and part not in text]
