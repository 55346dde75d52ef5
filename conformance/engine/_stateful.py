"""Run one state machine for the engine and express it as an ``ActionResult``.

The machines layer returns its own plain ``MachineResult``; this module is the
only place that knows both shapes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._results import ActionResult, SavedExample

if TYPE_CHECKING:
    from ._session import EngineSession


def run_stateful_machine(session: "EngineSession", machine: str) -> ActionResult:
    from ..machines import MachineConfig, WaitSettings, run_machine

    options = session.options
    waits = WaitSettings.for_consistency(options.consistency, loopback=session.loopback)
    outcome = run_machine(machine, session.client, session.catalog,
                          max_examples=max(1, options.max_examples // 2),
                          steps=options.stateful_steps, seed=options.seed,
                          judge=_findings_only(session.catalog), profile=session.profile,
                          run_id=options.run_id, config=MachineConfig(), waits=waits)
    result = machine_result_to_action_result(outcome, session.catalog.api_version)
    if outcome.error and outcome.error.startswith("stopped: "):
        from ..protocol import RunStopped
        from ._session import stopped_result

        client = session.client
        return stopped_result(result, RunStopped(client.stop_reason or outcome.error[9:],
                                                 client.stop_kind or "asked"), client)
    return result


def _findings_only(catalog):
    from ._stateless_judge import checks_judge

    return machine_judge(checks_judge(catalog, None))


def machine_judge(judge):
    """A check-layer judge as the machines take it: findings only, and every check but the
    outcome checks, which the machine's model already applies with its named rule (an
    accepted 11th tag is ``tag-limit``, not also ``expected-outcome``: one cause, one
    finding)."""
    from ._stateless_judge import OUTCOME_CHECKS

    return lambda exchange, expectation: [f for f in judge(exchange, expectation)[0]
                                          if f.check not in OUTCOME_CHECKS]


def machine_result_to_action_result(outcome, api_version: str) -> ActionResult:
    result = ActionResult(action=outcome.machine, suite="stateful", examples=outcome.requests,
                          invariants=dict(outcome.invariants),
                          scenarios=dict(outcome.scenarios))
    for recorded in outcome.findings:
        finding = recorded.finding
        example = None
        if recorded.steps:
            example = SavedExample(kind="stateful", action=finding.action,
                                   api_version=api_version, pairs=[], expectation=None,
                                   check=finding.check, expected=finding.expected,
                                   observed=finding.observed, steps=list(recorded.steps))
        result.add_finding(finding, example)
        result.findings[finding.signature].occurrences = recorded.occurrences
    return result
