"""Credentials as a real user has them: the real CLI, each source set deliberately (the
autouse fixture clears the caller's), a real moto server behind a recording relay that
shows which key signed each request, and no secret in any file the run writes."""

import subprocess
import sys

import pytest

CLI = [sys.executable, "-m", "ec2_conformance"]
KEY, SECRET = "AKIAZZZZEXAMPLEKEYID", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzSECRETKEY"
TOKEN = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKENzzzzzzzzzzzzzzzzzzzz"
FILE_KEY, FILE_SECRET = "AKIAFILEEXAMPLEKEYID", "fileSecretKeyExampleExampleExample123456"
PROFILE_KEY, PROFILE_SECRET = "AKIAPROFEXAMPLEKEYID", "profileSecretExampleExampleExample654321"
SECRETS = (KEY, SECRET, TOKEN, FILE_KEY, FILE_SECRET, PROFILE_KEY, PROFILE_SECRET)
SMALL_RUN = ["run", "--actions", "DescribeVpcs", "--suite", "stateless", "--max-examples", "1",
             "--workers", "1", "--seed", "5"]


def _shared_files(tmp_path, monkeypatch):
    credentials = tmp_path / "credentials"
    credentials.write_text(f"[default]\naws_access_key_id = {FILE_KEY}\n"
                           f"aws_secret_access_key = {FILE_SECRET}\n")
    config = tmp_path / "config"
    config.write_text(f"[profile tester]\naws_access_key_id = {PROFILE_KEY}\n"
                      f"aws_secret_access_key = {PROFILE_SECRET}\n")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))


def environment(tmp_path, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    return [], KEY, None


def session_token(tmp_path, monkeypatch):
    environment(tmp_path, monkeypatch)
    monkeypatch.setenv("AWS_SESSION_TOKEN", TOKEN)
    return [], KEY, TOKEN


def shared_credentials_file(tmp_path, monkeypatch):
    _shared_files(tmp_path, monkeypatch)
    return [], FILE_KEY, None


def aws_profile_variable(tmp_path, monkeypatch):
    _shared_files(tmp_path, monkeypatch)
    monkeypatch.setenv("AWS_PROFILE", "tester")
    return [], PROFILE_KEY, None


def aws_profile_flag(tmp_path, monkeypatch):
    _shared_files(tmp_path, monkeypatch)
    return ["--aws-profile", "tester"], PROFILE_KEY, None


def explicit_flags(tmp_path, monkeypatch):
    _shared_files(tmp_path, monkeypatch)  # explicit keys win over the files
    return ["--aws-access-key-id", KEY, "--aws-secret-access-key", SECRET,
            "--aws-session-token", TOKEN], KEY, TOKEN


SOURCES = [environment, session_token, shared_credentials_file, aws_profile_variable,
           aws_profile_flag, explicit_flags]


def _signed_with(seen, key, token):
    """Every request the run signed carries these credentials (the wire-level cases that
    leave the signature out or cut it short on purpose carry no complete one)."""
    assert seen, "nothing reached the target"
    signed = [r for r in seen if all(part in r["headers"].get("Authorization", "")
                                     for part in ("Credential=", "Signature="))]
    assert signed, "no request was signed"
    for request in signed:
        assert f"Credential={key}/" in request["headers"]["Authorization"]
        assert request["headers"].get("X-Amz-Security-Token") == token


@pytest.mark.parametrize("source", SOURCES, ids=lambda f: f.__name__)
def test_call_signs_with_the_credentials_botocore_resolves(source, tmp_path, monkeypatch,
                                                           recording_target):
    flags, key, token = source(tmp_path, monkeypatch)
    result = subprocess.run([*CLI, "call", "DescribeRegions", "--endpoint",
                             recording_target.endpoint, *flags],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "<DescribeRegionsResponse" in result.stdout
    _signed_with(recording_target.seen, key, token)
    assert not any(s in result.stdout + result.stderr for s in SECRETS)


@pytest.mark.slow  # a run per credential source
@pytest.mark.parametrize("source", SOURCES, ids=lambda f: f.__name__)
def test_run_uses_them_and_writes_no_secret(source, tmp_path, monkeypatch, recording_target):
    flags, key, token = source(tmp_path, monkeypatch)
    report = tmp_path / "report"
    result = subprocess.run([*CLI, *SMALL_RUN, "--endpoint", recording_target.endpoint,
                             "--report-dir", str(report), *flags],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode in (0, 1), result.stderr
    assert (report / "results.json").is_file()
    _signed_with(recording_target.seen, key, token)
    written = [p for p in report.rglob("*") if p.is_file()]
    assert len(written) >= 3
    for path in written:
        text = path.read_text(errors="replace")
        leaked = [s for s in SECRETS if s in text]
        assert not leaked, f"{path} holds {leaked}"
    assert not any(s in result.stdout + result.stderr for s in SECRETS)


def test_the_embedded_target_gets_dummy_keys_even_with_credentials_set(monkeypatch, tmp_path):
    environment(tmp_path, monkeypatch)
    result = subprocess.run([*CLI, "call", "DescribeRegions", "--show-request"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert KEY not in result.stderr and SECRET not in result.stderr


def test_a_loopback_endpoint_without_credentials_gets_dummy_keys(recording_target):
    result = subprocess.run([*CLI, "call", "DescribeRegions", "--endpoint",
                             recording_target.endpoint], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    _signed_with(recording_target.seen, "testing", None)


@pytest.mark.parametrize("args, message", [
    (["--endpoint", "https://ec2.example.invalid"], "no AWS credentials found"),
    (["--endpoint", "https://ec2.example.invalid", "--aws-profile", "nope"],
     "cannot load credentials"),
    (["--aws-access-key-id", KEY], "go together"),
])
def test_credential_problems_are_one_line_and_exit_2(args, message):
    result = subprocess.run([*CLI, "call", "DescribeRegions", *args], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
