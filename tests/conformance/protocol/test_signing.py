"""Credentials: explicit keys win; otherwise botocore's chain (environment here)."""

from ec2_conformance.protocol import resolve_credentials


def test_explicit_keys_are_used_as_given():
    credentials = resolve_credentials("AKIDEXAMPLE", "secret", "token")
    assert (credentials.access_key, credentials.secret_key, credentials.token) == (
        "AKIDEXAMPLE", "secret", "token")


def test_without_keys_the_environment_supplies_them(monkeypatch):
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDFROMENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "envsecret")
    credentials = resolve_credentials()
    assert (credentials.access_key, credentials.secret_key) == ("AKIDFROMENV", "envsecret")
