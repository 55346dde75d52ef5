"""Request signing through botocore's signers (Signature Version 4 and 2).

Signing takes a prepared ``AWSRequest`` and adds auth; a fixed clock can be
given so the fuzzer can send expired or future timestamps.
"""

from __future__ import annotations

import datetime as dt
from unittest import mock

import botocore.auth
import botocore.credentials
import botocore.session
from botocore.awsrequest import AWSRequest

SIGNATURE_VERSIONS = ("v4", "v2")


def sign(request: AWSRequest, credentials: botocore.credentials.Credentials, *,
         region: str, version: str = "v4", now: dt.datetime | None = None) -> AWSRequest:
    """Sign ``request`` in place and return it."""
    if version == "v4":
        signer = botocore.auth.SigV4Auth(credentials, "ec2", region)
    elif version == "v2":
        signer = botocore.auth.SigV2Auth(credentials)
    else:
        raise ValueError(f"unknown signature version {version!r}; use v4 or v2")
    if now is None:
        signer.add_auth(request)
        return request
    # botocore reads the clock through module-level helpers; pinning them is the
    # only way to sign with a chosen time without re-implementing the signers.
    naive_utc = now.astimezone(dt.timezone.utc).replace(tzinfo=None) if now.tzinfo else now
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=naive_utc), \
            mock.patch.object(botocore.auth.time, "gmtime", return_value=naive_utc.timetuple()):
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
