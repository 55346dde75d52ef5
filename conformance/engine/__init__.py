"""The engine: runs suites against a target and collects results for reporting."""

from ._results import ActionResult, FindingRecord, SavedExample
from ._smoke import SmokeResult, smoke_action, smoke_catalog

__all__ = ["ActionResult", "FindingRecord", "SavedExample", "SmokeResult", "smoke_action",
           "smoke_catalog"]
