"""The one place a ``Client`` is made from run options (CLI commands and the engine alike),
so every target option (signing, method, timeout, retries, health stop) reaches it."""

from __future__ import annotations

from typing import Any

from ..options import RunOptions
from ..protocol import Client
from ._credentials import credentials_for


def client_for(options: RunOptions, endpoint: str, *, embedded: bool, **extra: Any) -> Client:
    """``extra``: what is not a user option (``stop_at``, ``stop_file``)."""
    credentials = None if embedded else credentials_for(endpoint, aws_profile=options.aws_profile)
    return Client(endpoint, region=options.region, api_version=options.api_version,
                  credentials=credentials, signature_version=options.signature_version,
                  method=options.method, timeout=options.timeout, max_retries=options.retries,
                  max_transport_failures=options.max_transport_failures, **extra)
