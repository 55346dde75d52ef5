"""tools/spec_text.py finds the spec where the project keeps it, and the spec tools' tests
fail, not skip, when CI (``.ci/run``) says the spec must be there."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _spec_text():
    spec = importlib.util.spec_from_file_location("spec_text", ROOT / "tools" / "spec_text.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_variable_names_the_file_or_its_folder(tmp_path, monkeypatch):
    spec_text = _spec_text()
    (tmp_path / spec_text.SPEC_NAME).write_text("the spec", "utf-8")
    monkeypatch.setenv(spec_text.SPEC_ENV, str(tmp_path))
    assert spec_text.find_spec() == tmp_path / spec_text.SPEC_NAME
    monkeypatch.setenv(spec_text.SPEC_ENV, str(tmp_path / spec_text.SPEC_NAME))
    assert spec_text.find_spec() == tmp_path / spec_text.SPEC_NAME
    monkeypatch.setenv(spec_text.SPEC_ENV, str(tmp_path / "elsewhere"))
    with pytest.raises(FileNotFoundError, match=spec_text.SPEC_ENV):
        spec_text.find_spec()


def test_ci_runs_with_the_spec_required():
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "export EC2_CONFORMANCE_REQUIRE_SPEC=1" in ci
    readme = (ROOT / "README.md").read_text("utf-8")
    command = ci.split("# --- the test command of README.md, verbatim ---\n")[1].strip()
    assert command in readme


@pytest.mark.parametrize("required", [False, True])
def test_a_missing_spec_skips_for_a_developer_and_fails_in_ci(tmp_path, required):
    env = {k: v for k, v in os.environ.items() if k != "EC2_CONFORMANCE_REQUIRE_SPEC"}
    env["EC2_CONFORMANCE_SPEC"] = str(tmp_path / "absent")
    if required:
        env["EC2_CONFORMANCE_REQUIRE_SPEC"] = "1"
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", "-rs",
                           "tests/tools/test_build_overlay.py", "-k", "verbatim"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    if required:
        assert done.returncode == 1 and "the spec tools' tests must run" in done.stdout, \
            done.stdout
    else:
        assert done.returncode == 0 and "1 skipped" in done.stdout, done.stdout
        assert "holds no spec text" in done.stdout
