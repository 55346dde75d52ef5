"""The engine: runs the suites against a target and collects results for reporting.

``EngineSession`` is the one way in for every front-end (pytest plugin, CLI,
self-test): it owns the target, client and world of a process and runs the
stateless suite per action and the stateful suite per machine.
"""

from ._results import ActionResult, FindingRecord, SavedExample
from ._session import EngineSession, SessionOptions, stopped_result
from ._stateful import machine_judge, machine_result_to_action_result
from ._stateless import PHASES, run_stateless_action
from ._stateless_judge import checks_judge

# Besides the session, the pieces other front-ends compose their own runs from (the
# differential session, the self-test's units, ``reproduce``, the benchmarks): run one
# action's stateless phases, judge exchanges by the checks (``checks_judge``) or a
# machine's steps by them (``machine_judge``), and turn a machine's or a stopped run's
# outcome into the ``ActionResult`` the reports take.
__all__ = ["ActionResult", "EngineSession", "FindingRecord", "PHASES", "SavedExample",
           "SessionOptions", "checks_judge", "machine_judge", "machine_result_to_action_result",
           "run_stateless_action", "stopped_result"]
