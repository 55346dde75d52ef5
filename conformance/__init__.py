"""ec2-conformance: a property-based conformance suite and fuzzer for the EC2 Query API.

The Python API (docs/python-api.md): ``Client`` and ``serialize`` to talk to a
target, ``validate_body`` and ``@check`` to judge answers, ``World`` and
``ec2_conformance.strategies`` for your own Hypothesis tests.
"""

import importlib

from .catalog import DEFAULT_API_VERSION, load_catalog
from .protocol import Client, serialize

__version__ = "0.1.0"

# Loaded on first use, so importing the package (the pytest plugin does) stays cheap.
_LAZY = {"World": "world", "check": "checks", "validate_body": "checks", "Finding": "outcome",
         "Severity": "outcome", "EmbeddedTarget": "target"}

__all__ = ["Client", "DEFAULT_API_VERSION", "EmbeddedTarget", "Finding", "Severity", "World",
           "__version__", "check", "load_catalog", "serialize", "validate_body"]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
