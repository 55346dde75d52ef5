"""The stateless engine: every action, valid and labelled-invalid examples, judged.

For one action: a probe (is it implemented at all?), then Hypothesis runs of
valid requests, invalid requests, wire faults and DryRun requests against the
world's resources.  Every finding is collected (the run never stops at the
first); then each violation's signature is shrunk with Hypothesis to a minimal
request, replayed, and saved.  A target that answers the replay differently is
reported as flaky with both exchanges; no Hypothesis error escapes.
"""

from __future__ import annotations

import contextlib
import math
import random
from dataclasses import replace
from typing import Callable

from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis.errors import Flaky, HypothesisException, Unsatisfiable

from ..catalog import Catalog
from ..catalog.profiles import Profile, load_profile
from ..checks import enforce_all
from ..outcome import Expectation, Finding, Severity
from ..protocol import Client, Exchange
from ..strategies import Case, valid_requests
from ..world import World, WorldError
from ._results import ActionResult, SavedExample
from ._stateless_judge import Judge, checks_judge, error_code, soften
from ._stateless_labels import derive_seed, label_kinds, label_of, strategy_for
from ._stateless_probe import (dry_run_side_effect, never_served, not_implemented_finding,
                               unimplemented_evidence)

PHASES = ("valid", "invalid", "wire", "dry-run")
_SHRINKABLE = (Severity.VIOLATION,)
# A shrink replays the request against the target once per attempt: bound it (Hypothesis
# would otherwise spend up to 500 improvements and five minutes on one finding).
SHRINK_IMPROVEMENTS, SHRINK_SECONDS = 24, 5.0
# A target that refuses many valid requests (moto answers HTTP 500 to filters it cannot
# read) leaves the success path, where answers are validated, thin: the valid phase then
# draws again, a few at a time and at most its budget over, until this share succeeded.
SUCCESS_SHARE, _MORE_BATCH = 0.4, 5
# Action, Version and one parameter: nothing left to take away (a shrink pass first sends
# the draw's examples again up to the failure, which costs more than it could gain).
_MINIMAL_PAIRS = 3


class _Reproduced(Exception):
    """Raised inside the shrink pass when the finding under shrink shows up."""


class _Outcome:
    def __init__(self, case: Case, pairs, references, exchange: Exchange,
                 findings: list[Finding]):
        self.case, self.pairs, self.references = case, pairs, references
        self.exchange, self.findings = exchange, findings
        self._exchange_json = None

    def example(self, finding: Finding, api_version: str) -> SavedExample:
        if self._exchange_json is None:  # once per exchange, not per finding (a big answer
            self._exchange_json = self.exchange.to_json()  # has dozens of findings)
        return SavedExample(kind="stateless", action=self.case.action, api_version=api_version,
                            pairs=list(self.pairs), expectation=self.case.expectation,
                            check=finding.check, expected=finding.expected,
                            observed=finding.observed, references=dict(self.references),
                            exchange=self._exchange_json,
                            # a wire fault must replay as sent (bad signature, skewed clock)
                            raw=self.case.raw.to_json() if self.case.kind == "wire" else None)


class StatelessRun:
    """One action's stateless run (``run_stateless_action`` is the usual entry)."""

    def __init__(self, client: Client, catalog: Catalog, action: str, world: World, *,
                 max_examples: int, seed: int | None, judge: Judge | None, profile: Profile,
                 phases: tuple[str, ...], shrink: bool, max_shrinks: int):
        self.client, self.catalog, self.world = client, catalog, world
        self.action = catalog.actions[action]
        self.max_examples = max_examples
        self.seed = seed if seed is not None else random.getrandbits(32)
        self.judge = judge or checks_judge(catalog, action)
        self.profile = profile
        self.phases, self.shrink, self.max_shrinks = phases, shrink, max_shrinks
        self.result = ActionResult(action=action, suite="stateless")
        # signature -> (the draw that first showed it: phase, label, seed, budget; outcome)
        self.first: dict[str, tuple[tuple[str, str | None, int, int], _Outcome]] = {}
        self._draw: tuple[str, str | None, int, int] = ("valid", None, self.seed, 0)
        self._valid_drawn: list[Case] = []
        self.valid_server_errors = 0  # valid examples answered with a 5xx
        self.first_valid: _Outcome | None = None

    # -- the run ----------------------------------------------------------------
    def run(self) -> ActionResult:
        mark = self.world.mark()
        try:
            if self._probe_unimplemented():
                return self.result
            for phase in self.phases:
                self._run_phase(phase)
            if self._never_served():
                return self.result
            if self.shrink:
                self._shrink_all()
            return self.result
        finally:
            # What this action's examples made goes now, so the target stays small
            # and later actions stay fast; what cannot be undone waits for teardown.
            self.world.release(mark)

    def _run_phase(self, phase: str) -> None:
        """Stratified: one draw of every label kind that applies, then the rest of the
        budget over all of them (see ``_stateless_labels``)."""
        if phase not in PHASES:
            raise ValueError(f"unknown phase {phase!r} ({self.action.name}); "
                             f"choose from {PHASES}")
        kinds = label_kinds(phase, self.action, self.world, self.catalog)
        for label in kinds:
            self.result.labels.setdefault(label, 0)
        draws = [(label, 1) for label in kinds]
        rest = self._budget(phase) - len(kinds)
        if rest > 0:
            draws.append((None, rest))
        for label, examples in draws:
            self._draw = (phase, label, derive_seed(self.seed, self.action.name,
                                                    label or phase), examples)
            strategy = self._strategy(phase, label)
            if strategy is not None:
                self._hypothesis(strategy, self._collect, examples, seed=self._draw[2])
        if phase == "valid":
            self._repeat_valid(self._budget(phase))
            self._draw_until_successes(self._budget(phase))

    def _repeat_valid(self, budget: int) -> None:
        """A small input space (CreateInternetGateway takes nothing but DryRun) ends
        Hypothesis' draw after its few distinct cases.  They are sent again, round robin,
        until the budget: each is a new request on the wire (fresh resources, new names),
        and the action gets as many valid examples as any other."""
        drawn, sent = list(self._valid_drawn), len(self._valid_drawn)
        for number in range(budget - sent if drawn else 0):
            self._collect(drawn[number % len(drawn)])

    def _draw_until_successes(self, budget: int) -> None:
        """More valid draws while fewer than ``SUCCESS_SHARE`` of the budget succeeded, and
        at least one did (none: the target does not serve the action; more draws would
        only repeat that)."""
        wanted, extra, batch = math.ceil(budget * SUCCESS_SHARE), 0, 0
        while 0 < self.result.successes < wanted and extra < budget:
            examples = min(_MORE_BATCH, budget - extra)
            seed = derive_seed(self.seed, self.action.name, f"valid-more-{batch}")
            self._draw = ("valid", None, seed, examples)
            self._hypothesis(self._strategy("valid"), self._collect, examples, seed=seed)
            extra, batch = extra + examples, batch + 1

    def _strategy(self, phase: str, label: str | None = None):
        return strategy_for(phase, self.action, self.world, self.catalog, label)

    def _budget(self, phase: str) -> int:
        if phase == "invalid":
            # Half: every invalid class that applies is drawn once anyway (``_run_phase``),
            # and a full budget on top of the valid one doubled the action's requests.
            return max(2, self.max_examples // 2)
        if phase == "wire":
            return max(2, self.max_examples // 3)
        if phase == "dry-run":
            return min(2, self.max_examples)
        return self.max_examples

    # -- one example ------------------------------------------------------------
    def execute(self, case: Case) -> _Outcome | None:
        try:
            pairs, references = case.materialize(self.world)
        except WorldError as exc:  # a resource the case needs cannot be made on this target
            self.result.add_finding(Finding(
                check="world", severity=Severity.WARNING, action=self.action.name,
                message=f"examples skipped: {exc}", spec_ref="conformance/world/plan.json"))
            return None
        before = dry_run_side_effect.count(self, case) if case.kind == "dry-run" else None
        exchange = self.client.send(case.to_raw(pairs, self.client.method),
                                    now=case.signing_time())
        self._adopt(exchange, pairs)
        self.world.returned(used=not _refused(exchange))
        expectation = case.expectation
        judged = Expectation(expectation.outcome, self.profile.widen(expectation.codes),
                             expectation.rule, expectation.spec_ref)
        findings, ran = self.judge(exchange, judged)
        findings = soften(list(findings), case_kind=case.kind, strict=case.strict,
                          action=self.action, exchange=exchange, rule=expectation.rule,
                          common=self.catalog.common_errors)
        if case.kind in ("invalid", "dry-run"):
            findings = self._control(case, findings)
        if before is not None:
            findings += dry_run_side_effect.verify(self, case, before)
        findings = enforce_all(findings, self.catalog.api_version)  # after soften/_control
        self._tally(case, pairs, exchange, ran, findings)
        return _Outcome(case, pairs, references, exchange, findings)

    def _adopt(self, exchange: Exchange, pairs) -> None:
        response = exchange.response
        if response is not None and response.status == 200 and exchange.action:
            self.world.adopt(exchange.action, response.body, list(pairs))

    def _control(self, case: Case, findings: list[Finding]) -> list[Finding]:
        """An invalid or DryRun case answered with an unexpected code: does its valid base
        succeed?  If not, the surprise may come from the base, not the rule under test."""
        if case.base is None or not any(f.check == "expected-error-code"
                                        and f.severity is Severity.VIOLATION for f in findings):
            return findings
        try:
            pairs, _ = case.materialize(self.world, case.base)
        except WorldError:
            return findings
        control = self.client.send(case.to_raw(pairs, self.client.method))
        self._adopt(control, pairs)
        self.world.returned(used=not _refused(control))
        if control.response is not None and control.response.status == 200:
            return findings
        note = (f"inconclusive: the same request without the mutation failed too "
                f"({error_code(control) or 'HTTP ' + str(getattr(control.response, 'status', '-'))})")
        return [_downgrade(f, note) if f.check == "expected-error-code" else f for f in findings]

    def _tally(self, case: Case, pairs, exchange: Exchange, ran, findings) -> None:
        r = self.result
        r.examples += 1
        r.params_sent.update(case.params_sent)
        r.checks_run.update(ran)
        r.checks_failed.update({f.check for f in findings if f.severity.fails})
        code = error_code(exchange)
        if code:
            r.error_codes_seen.add(code)
        label = label_of(case)
        r.labels[label] = r.labels.get(label, 0) + 1
        if case.kind == "valid":
            r.valid_examples += 1
            if exchange.response is not None and exchange.response.status == 200:
                r.successes += 1
            elif exchange.response is not None and exchange.response.status >= 500:
                self.valid_server_errors += 1
        else:
            r.invalid_examples += 1

    def _collect(self, case: Case) -> None:
        if case.kind == "valid" and self._draw[0] == "valid":
            self._valid_drawn.append(case)
        outcome = self.execute(case)
        if outcome is None:
            return
        if case.kind == "valid" and self.first_valid is None:
            self.first_valid = outcome
        for finding in outcome.findings:
            record = self.result.findings.get(finding.signature)
            # An example no smaller than the one kept would be dropped: do not build it.
            keep = (record is None or record.example is None
                    or len(outcome.pairs) < len(record.example.pairs))
            self.result.add_finding(
                finding, outcome.example(finding, self.catalog.api_version) if keep else None)
            self.first.setdefault(finding.signature, (self._draw, outcome))

    # -- not implemented --------------------------------------------------------
    def _probe_unimplemented(self) -> bool:
        strategy = valid_requests(self.action, world=self.world, catalog=self.catalog)
        tried: list[_Outcome] = []

        def probe(case: Case) -> None:
            if len(tried) >= 2:
                return
            pairs, references = case.materialize(self.world)
            exchange = self.client.send(case.to_raw(pairs, self.client.method))
            self._adopt(exchange, pairs)
            self.world.returned(used=not _refused(exchange))
            tried.append(_Outcome(case, pairs, references, exchange, []))
        try:
            self._hypothesis(strategy, probe, 2,
                             seed=derive_seed(self.seed, self.action.name, "probe"))
        except WorldError:
            return False
        listed = not self.profile.implements(self.action.name)
        evidence = [unimplemented_evidence(o.exchange, listed=listed) for o in tried]
        if not tried or not all(evidence):
            return False
        self.result.examples += len(tried)
        self.result.valid_examples += len(tried)
        self._not_implemented(tried[0], listed, None)
        return True

    def _never_served(self) -> bool:
        """After the run: no valid example succeeded and every one got a server error."""
        r = self.result
        if self.first_valid is None or not never_served(r.valid_examples, r.successes,
                                                        self.valid_server_errors):
            return False
        r.findings.clear()  # one cause: the failures below it are all this one
        r.checks_failed.clear()
        self.first.clear()
        self._not_implemented(self.first_valid, not self.profile.implements(self.action.name),
                              f"none of its {r.valid_examples} valid examples succeeded, every "
                              "one was answered with a server error")
        return True

    def _not_implemented(self, outcome: _Outcome, listed: bool, why: str | None) -> None:
        finding = not_implemented_finding(self.action.name, outcome.exchange, self.profile,
                                          listed, why)
        self.result.not_implemented = True
        self.result.add_finding(finding, outcome.example(finding, self.catalog.api_version))

    # -- shrinking --------------------------------------------------------------
    def _shrink_all(self) -> None:
        chosen = [(sig, draw, outcome) for sig, (draw, outcome) in self.first.items()
                  if self.result.findings[sig].finding.severity in _SHRINKABLE
                  and outcome.case.kind != "dry-run"
                  and self._kept_size(sig) > _MINIMAL_PAIRS][: self.max_shrinks]
        for signature, draw, original in chosen:
            self._shrink(signature, draw, original)

    def _kept_size(self, signature: str) -> int:
        example = self.result.findings[signature].example
        return len(example.pairs) if example is not None else _MINIMAL_PAIRS + 1

    def _shrink(self, signature: str, draw, original: _Outcome) -> None:
        record = self.result.findings[signature]
        latest: dict[str, _Outcome] = {}

        def body(case: Case) -> None:
            outcome = self.execute(case)
            if outcome is not None and any(f.signature == signature for f in outcome.findings):
                latest["hit"] = outcome
                raise _Reproduced()
            if outcome is not None:
                latest["miss"] = outcome
        phase, label, seed, examples = draw  # the same draw again, now shrinking
        try:
            with _shrink_budget():
                self._hypothesis(self._strategy(phase, label), body, examples, seed=seed,
                                 shrink=True)
        except _Reproduced:
            found = latest["hit"]
            finding = next(f for f in found.findings if f.signature == signature)
            record.example = found.example(finding, self.catalog.api_version)
            # The shrunk example's own finding: its message names what it sent (the
            # first one's named a random parameter the shrunk request no longer has).
            record.finding = replace(finding, extra={**finding.extra, "shrunk": True})
            return
        except Flaky:
            pass
        # Not reproduced by the shrink pass: replay the original request once.
        replay = self.execute(original.case)
        if replay is not None and any(f.signature == signature for f in replay.findings):
            return
        self._flaky(signature, original, replay)

    def _flaky(self, signature: str, original: _Outcome, replay: _Outcome | None) -> None:
        """The violation did not come back: it becomes one flaky finding with both answers."""
        record = self.result.findings[signature]
        finding = record.finding
        flaky = Finding(
            check=finding.check, severity=Severity.FLAKY, action=finding.action,
            message=f"the target answered the replay differently: {finding.message}",
            spec_ref=finding.spec_ref, expected=finding.expected, observed=finding.observed,
            data_type=finding.data_type, path=finding.path,
            extra={"first": original.exchange.to_json(),
                   "replay": replay.exchange.to_json() if replay else None})
        record.finding = flaky  # same signature: replaces the unreproducible violation
        record.example = original.example(flaky, self.catalog.api_version)

    # -- Hypothesis -------------------------------------------------------------
    def _hypothesis(self, strategy, body: Callable[[Case], None], examples: int, *,
                    seed: int | None = None, shrink: bool = False) -> None:
        phases = [Phase.generate, Phase.shrink] if shrink else [Phase.generate]

        @hypothesis_seed(self.seed if seed is None else seed)
        @settings(max_examples=max(1, examples), deadline=None, database=None, phases=phases,
                  suppress_health_check=list(HealthCheck), verbosity=Verbosity.quiet,
                  report_multiple_bugs=False, print_blob=False)
        @given(strategy)
        def run(case: Case) -> None:
            body(case)
        # No example database: without a key Hypothesis would hash this function's
        # source (inspect.getsource, tokenize) on every phase, a few ms each time.
        run._hypothesis_internal_database_key = None
        try:
            run()
        except Unsatisfiable:
            pass  # every draw was rejected: the action has nothing of this kind to offer
        except (_Reproduced, Flaky, WorldError):
            raise
        except HypothesisException as exc:  # never let Hypothesis' own errors end the run
            self.result.add_finding(Finding(
                check="engine", severity=Severity.WARNING, action=self.action.name,
                message=f"Hypothesis stopped this phase: {type(exc).__name__}: {exc}",
                spec_ref="-"))


def _refused(exchange: Exchange) -> bool:
    """A client error: the target did nothing, so the fresh resources the request named are
    as good as new (a server error or no answer leaves that unknown)."""
    response = exchange.response
    return response is not None and 400 <= response.status < 500


@contextlib.contextmanager
def _shrink_budget():
    """Hypothesis reads these engine constants when shrinking starts; without them (a
    future Hypothesis) its defaults apply."""
    from hypothesis.internal.conjecture import engine

    saved = {name: getattr(engine, name) for name in ("MAX_SHRINKS", "MAX_SHRINKING_SECONDS")
             if hasattr(engine, name)}
    engine.MAX_SHRINKS, engine.MAX_SHRINKING_SECONDS = SHRINK_IMPROVEMENTS, SHRINK_SECONDS
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(engine, name, value)


def _downgrade(finding: Finding, note: str) -> Finding:
    return replace(finding, severity=Severity.WARNING, message=f"{finding.message} ({note})")


def run_stateless_action(client: Client, catalog: Catalog, action_name: str, world: World, *,
                         max_examples: int = 20, seed: int | None = None,
                         judge: Judge | None = None, profile: Profile | str | None = None,
                         phases: tuple[str, ...] = PHASES, shrink: bool = True,
                         max_shrinks: int = 3) -> ActionResult:
    """Run the stateless suite for one action and return what it learned."""
    if action_name not in catalog.actions:
        raise ValueError(f"{action_name!r} is not an action of EC2 {catalog.api_version}")
    if profile is None or isinstance(profile, str):
        profile = load_profile(profile) if profile else load_profile()
    run = StatelessRun(client, catalog, action_name, world, max_examples=max_examples,
                       seed=seed, judge=judge, profile=profile, phases=tuple(phases),
                       shrink=shrink, max_shrinks=max_shrinks)
    return run.run()


__all__ = ["PHASES", "StatelessRun", "run_stateless_action"]
