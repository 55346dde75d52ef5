"""The engine: runs the suites against a target and collects results for reporting.

``EngineSession`` is the one way in for every front-end (pytest plugin, CLI,
self-test): it owns the target, client and world of a process and runs the
stateless suite per action and the stateful suite per machine.
"""

from ._results import ActionResult, FindingRecord, SavedExample
from ._session import EngineSession, SessionOptions

__all__ = ["ActionResult", "EngineSession", "FindingRecord", "SavedExample", "SessionOptions"]
