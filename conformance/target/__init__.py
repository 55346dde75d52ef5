"""Targets: the embedded moto server, the credentials a target gets, telling targets apart."""

from ._connect import client_for
from ._credentials import CredentialsError, credentials_for
from ._embedded import EmbeddedTarget, TargetError, free_port, is_loopback

__all__ = ["CredentialsError", "EmbeddedTarget", "TargetError", "client_for", "credentials_for",
           "free_port", "is_loopback"]
