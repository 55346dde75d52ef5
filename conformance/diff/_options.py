"""What a differential or recording run is told: the engine's options and the other side's."""

from __future__ import annotations

from dataclasses import dataclass

from ..engine import SessionOptions
from ..target import is_loopback


@dataclass
class DiffOptions(SessionOptions):
    against: str | None = None  # a second endpoint URL, or a cassette file
    against_region: str | None = None
    credentials_profile: str | None = None  # botocore profile for --endpoint
    against_credentials_profile: str | None = None
    record: str | None = None  # write every exchange of the run to this cassette
    same_start: bool | None = None  # None: both sides are loopback (fresh emulators)

    @property
    def against_is_url(self) -> bool:
        return bool(self.against) and self.against.startswith(("http://", "https://"))

    @property
    def read_only(self) -> bool:
        """Either side outside loopback keeps the run read-only unless mutations are allowed."""
        if self.allow_mutations:
            return False
        remote = [url for url in (self.endpoint, self.against if self.against_is_url else None)
                  if url and not is_loopback(url)]
        return bool(remote)


def usable_credentials(found):
    """``resolve_credentials`` returns frozen credentials; the client takes botocore's
    ``Credentials`` (it freezes them itself)."""
    import botocore.credentials

    if found is None:
        return None
    return botocore.credentials.Credentials(found.access_key, found.secret_key, found.token)
