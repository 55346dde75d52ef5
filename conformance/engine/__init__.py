"""The engine: runs suites against a target and collects results for reporting."""

from ._smoke import SmokeResult, smoke_action, smoke_catalog

__all__ = ["SmokeResult", "smoke_action", "smoke_catalog"]
