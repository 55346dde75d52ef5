"""Targets: the embedded moto server, the credentials a target gets, telling targets apart."""

from ._credentials import CredentialsError, credentials_for
from ._embedded import EmbeddedTarget, TargetError, free_port, is_loopback

__all__ = ["CredentialsError", "EmbeddedTarget", "TargetError", "credentials_for", "free_port",
           "is_loopback"]
