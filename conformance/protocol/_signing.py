"""Request signing through botocore's signers (Signature Version 4 and 2).

Signing takes a prepared ``AWSRequest`` and adds auth; a fixed clock can be
given so the fuzzer can send expired or future timestamps.
"""

from __future__ import annotations

import datetime as dt

import botocore.auth
import botocore.credentials
import botocore.session
from botocore.awsrequest import AWSRequest


class _ClockedSigV4Auth(botocore.auth.SigV4Auth):
    """SigV4 at a chosen time, with no process-wide state (the proxy thread signs too).

    ``add_auth`` stamps ``request.context["timestamp"]`` from the clock and then
    calls this hook before anything reads the stamp (botocore's own S3 and
    presigning signers override the same hook); the chosen time replaces it here.
    """

    def __init__(self, credentials, region: str, now: dt.datetime):
        super().__init__(credentials, "ec2", region)
        self._stamp = now.strftime(botocore.auth.SIGV4_TIMESTAMP)

    def _modify_request_before_signing(self, request: AWSRequest) -> None:
        request.context["timestamp"] = self._stamp
        super()._modify_request_before_signing(request)


class _ClockedSigV2Auth(botocore.auth.SigV2Auth):
    """SigV2 at a chosen time: ``add_auth`` sets ``Timestamp`` in the very parameters it
    then hands to the public ``calc_signature``, which sets the chosen one first."""

    def __init__(self, credentials, now: dt.datetime):
        super().__init__(credentials)
        self._stamp = now.strftime(botocore.auth.ISO8601)

    def calc_signature(self, request, params):
        params["Timestamp"] = self._stamp
        return super().calc_signature(request, params)


def sign(request: AWSRequest, credentials: botocore.credentials.Credentials, *,
         region: str, version: str = "v4", now: dt.datetime | None = None) -> AWSRequest:
    """Sign ``request`` in place and return it; ``now`` signs at that time (naive: UTC)."""
    if version not in ("v4", "v2"):
        raise ValueError(f"unknown signature version {version!r}; use v4 or v2")
    if now is None:
        signer = (botocore.auth.SigV4Auth(credentials, "ec2", region) if version == "v4"
                  else botocore.auth.SigV2Auth(credentials))
    else:
        utc = now.astimezone(dt.timezone.utc).replace(tzinfo=None) if now.tzinfo else now
        signer = (_ClockedSigV4Auth(credentials, region, utc) if version == "v4"
                  else _ClockedSigV2Auth(credentials, utc))
    signer.add_auth(request)
    return request


def resolve_credentials(access_key: str | None = None, secret_key: str | None = None,
                        token: str | None = None, profile: str | None = None,
                        ) -> botocore.credentials.Credentials | None:
    """Explicit keys, else botocore's chain (environment, shared credentials and config
    files, ``AWS_PROFILE`` or ``profile``, process, container and instance providers).

    Returns botocore's own credentials object (signers and the client call its
    ``get_frozen_credentials``); refreshable ones stay refreshable.
    """
    if access_key and secret_key:
        return botocore.credentials.Credentials(access_key, secret_key, token)
    session = botocore.session.Session(profile=profile) if profile else botocore.session.Session()
    return session.get_credentials()
