"""Which credentials a target gets: the user's (botocore's chain), or dummy keys.

The embedded moto server always gets the client's dummy keys: the user's
secrets have no business there.  A user-given endpoint gets what botocore
resolves (explicit keys, environment, shared credentials/config files,
``AWS_PROFILE`` or ``--aws-profile``, session tokens, container/instance
providers); a loopback endpoint without any still gets dummy keys, as
emulators expect, and a remote one without any is a one-line error.
"""

from __future__ import annotations

import botocore.credentials
import botocore.exceptions

from ..protocol import resolve_credentials
from ._embedded import is_loopback


class CredentialsError(ValueError):
    """No usable credentials for a remote endpoint, or a broken profile/file."""


def credentials_for(endpoint: str | None, *, aws_profile: str | None = None,
                    ) -> botocore.credentials.Credentials | None:
    """``None`` means the client's dummy keys (``endpoint`` None: the embedded target)."""
    if endpoint is None:
        return None
    try:
        found = resolve_credentials(profile=aws_profile)
        if found is not None:
            found.get_frozen_credentials()  # a broken process/refresh provider fails here, once
    except botocore.exceptions.BotoCoreError as exc:
        raise CredentialsError(f"cannot load credentials: {exc}") from None
    except (OSError, ValueError) as exc:  # unreadable or malformed shared files
        raise CredentialsError(f"cannot load credentials: {type(exc).__name__}: {exc}") from None
    if found is None and not is_loopback(endpoint):
        raise CredentialsError(
            f"no AWS credentials found for {endpoint} (environment, shared credentials or "
            "config file, AWS_PROFILE or --aws-profile)")
    return found
