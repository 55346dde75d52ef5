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


def _request(version):
    from botocore.awsrequest import AWSRequest
    body = {"Action": "DescribeVpcs", "Version": "2014-10-01"}
    return AWSRequest(method="POST", url="http://127.0.0.1:1/", data=dict(body))


def _stamp(request, version):
    return request.headers["X-Amz-Date"] if version == "v4" else request.data["Timestamp"]


def test_a_chosen_clock_takes_effect_in_both_signers():
    import datetime as dt

    from ec2_conformance.protocol import sign
    credentials = resolve_credentials("AKIDEXAMPLE", "secret")
    when = dt.datetime(2009, 2, 13, 23, 31, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    v4 = sign(_request("v4"), credentials, region="us-east-1", now=when)
    assert v4.headers["X-Amz-Date"] == "20090213T213130Z"
    assert "/20090213/us-east-1/ec2/aws4_request" in v4.headers["Authorization"]
    v2 = sign(_request("v2"), credentials, region="us-east-1", version="v2", now=when)
    assert v2.data["Timestamp"] == "2009-02-13T21:31:30Z"
    unclocked = sign(_request("v2"), credentials, region="us-east-1", version="v2")
    assert unclocked.data["Signature"] != v2.data["Signature"]


def test_threads_signing_with_different_clocks_do_not_interfere():
    """The fault proxy's thread signs while the suite signs: no clock is process-wide."""
    import datetime as dt
    import threading

    from ec2_conformance.protocol import sign
    credentials = resolve_credentials("AKIDEXAMPLE", "secret")
    clocks = {"past": dt.datetime(2001, 1, 1), "future": dt.datetime(2099, 12, 31),
              "real": None}
    wrong = []
    start = threading.Barrier(len(clocks) * 2)

    def signer(name, version):
        start.wait()
        for _ in range(150):
            stamp = _stamp(sign(_request(version), credentials, region="us-east-1",
                                version=version, now=clocks[name]), version)
            year = stamp[:4]
            expected = {"past": "2001", "future": "2099"}.get(name)
            if (expected and year != expected) or (not expected and year in ("2001", "2099")):
                wrong.append((name, version, stamp))

    threads = [threading.Thread(target=signer, args=(name, version))
               for name in clocks for version in ("v4", "v2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []
