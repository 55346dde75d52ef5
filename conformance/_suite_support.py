"""What the pytest plugin needs beyond options: configuration, parts, the final report.

Kept out of ``pytest_plugin`` so that importing the plugin stays cheap; nothing
here imports the engine or reporting until a suite actually runs.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ._suite_status import PARTS_DIR, stop_file
from .options import RunOptions, from_pytest

RESULTS_KEY = pytest.StashKey[list]()
CONFIG_KEY = pytest.StashKey["SuiteConfig"]()
DOCUMENT_KEY = pytest.StashKey[dict]()
STARTED_KEY = pytest.StashKey[str]()


@dataclass
class SuiteConfig:
    """The run options (``options.RunOptions``, derived from the plugin's arguments) plus
    what the controlling process fixes for every worker: run id, start, deadline."""

    options: RunOptions
    run_id: str
    report_dir: Path | None
    started: str
    deadline_at: float | None = None  # wall clock; every process stops sending after it
    recorded_read_only: bool = False  # the cassette of --ec2-against was recorded read-only

    def __getattr__(self, name: str) -> Any:  # cfg.endpoint, cfg.suite, ...: the options'
        if name == "options":
            raise AttributeError(name)
        return getattr(self.options, name)

    @property
    def differential(self) -> bool:
        """A diff (``--ec2-against``) or a recording (``--ec2-record``): conformance/diff/."""
        return bool(self.options.against or self.options.record)

    @property
    def shard(self) -> tuple[int, int] | None:
        """(K, N): this job runs the K-th of N parts (``--shard K/N``)."""
        return parse_shard(self.options.shard) if self.options.shard else None

    def wants(self, suite: str) -> bool:
        return self.suite in (suite, "all")

    def selected_actions(self):
        actions = self._all_actions()
        return [a for i, a in enumerate(actions) if self._in_shard(i)]

    def selected_machines(self) -> list[str]:
        from .machines import MACHINES
        from .target import is_loopback

        if self.endpoint and not is_loopback(self.endpoint) and not self.allow_mutations:
            return []  # machines create and delete: never against a real cloud unasked
        if self.differential:
            from .diff import read_only

            if self.recorded_read_only or read_only(self.options):
                return []  # either side of a diff outside loopback, or a read-only recording
        machines = sorted(m for m in MACHINES if self.machines is None or m in self.machines)
        # Numbered after the actions, so N jobs get about as many units each.
        first = len(self._all_actions()) if self.wants("stateless") else 0
        return [m for i, m in enumerate(machines, first) if self._in_shard(i)]

    def _all_actions(self):
        from .catalog import load_catalog

        return sorted(load_catalog(self.api_version).select(self.actions), key=lambda a: a.name)

    def _in_shard(self, index: int) -> bool:
        """Round robin over the sorted units: the same split on every job and run."""
        return self.shard is None or index % self.shard[1] == self.shard[0] - 1

    def session_options(self) -> RunOptions:
        return self.options.but(run_id=self.run_id, report_dir=self.report_dir)

    def stop_file(self) -> Path | None:
        return stop_file(self.report_dir) if self.report_dir is not None else None

    def active(self, session: pytest.Session) -> bool:
        return self.report_dir is not None


def unit_count(options: RunOptions) -> int:
    """The items a run of ``options`` collects: one per action and one per machine."""
    cfg = SuiteConfig(options=options, run_id=options.run_id or "", report_dir=None,
                      started="")
    return ((len(cfg.selected_actions()) if cfg.wants("stateless") else 0)
            + (len(cfg.selected_machines()) if cfg.wants("stateful") else 0))


def suite_config(config: pytest.Config) -> SuiteConfig:
    if CONFIG_KEY not in config.stash:
        options = from_pytest(config)
        worker = getattr(config, "workerinput", None) or {}
        run_id = options.run_id or worker.get("ec2_run_id") or new_run_id()
        if "ec2_deadline_at" in worker:
            deadline_at = worker["ec2_deadline_at"]
        else:
            deadline_at = time.time() + options.deadline if options.deadline else None
        report_dir = Path(options.report_dir) if options.report_dir else None
        config.stash[CONFIG_KEY] = SuiteConfig(
            options=options.but(run_id=run_id, report_dir=report_dir), run_id=run_id,
            report_dir=report_dir, deadline_at=deadline_at,
            started=worker.get("ec2_started") or config.stash.get(STARTED_KEY, None) or _now())
    return config.stash[CONFIG_KEY]


def check_differential(config: pytest.Config) -> None:
    """A differential or recording run is one process, and its cassette must load: one
    line now rather than an error in every test.  A recording fixes its seed (saved in the
    cassette and the report alike); a replay takes the recording's seed and budgets."""
    cfg = suite_config(config)
    if getattr(config.option, "numprocesses", None) or hasattr(config, "workerinput"):
        raise pytest.UsageError("--ec2-against and --ec2-record run in one process "
                                "(the same examples in the same order): drop -n")
    if cfg.against and cfg.record:
        raise pytest.UsageError("--ec2-record records a run against --ec2-endpoint; "
                                "it does not combine with --ec2-against")
    if cfg.seed is None:  # one seed for every unit of the run, and in the report
        import random

        cfg.options = cfg.options.but(seed=random.getrandbits(32))
    if cfg.against and not cfg.against.startswith(("http://", "https://")):
        from . import __version__
        from .diff import CassetteError, load_cassette

        try:
            cassette = load_cassette(cfg.against, api_version=cfg.api_version,
                                     tool_version=__version__)
        except CassetteError as exc:
            raise pytest.UsageError(str(exc)) from None
        recorded = cassette.options
        cfg.recorded_read_only = bool(recorded["read_only"])
        cfg.options = cfg.options.but(seed=recorded["seed"],
                                      max_examples=recorded["max_examples"],
                                      stateful_steps=recorded["stateful_steps"])


def parse_shard(text: str) -> tuple[int, int]:
    """``"2/3"`` -> (2, 3); anything else is a usage error."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", str(text))
    if not match or not 1 <= int(match.group(1)) <= int(match.group(2)):
        raise pytest.UsageError(f"--shard takes K/N with 1 <= K <= N (like 2/3), not {text!r}")
    return int(match.group(1)), int(match.group(2))


def mark_started(config: pytest.Config) -> None:
    """The run's start time, taken when pytest configures (the controller of a
    pytest-xdist run hands it to every worker)."""
    config.stash[STARTED_KEY] = _now()


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def worker_input(config: pytest.Config) -> dict[str, Any]:
    """What every pytest-xdist worker takes from the controller, so all share one run id,
    one start and one deadline."""
    cfg = suite_config(config)
    return {"ec2_run_id": cfg.run_id, "ec2_deadline_at": cfg.deadline_at,
            "ec2_started": cfg.started}


def new_run_id() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:6]


RESULT_PROPERTY = "ec2_result"


def record_result(config: pytest.Config, node: pytest.Item, result) -> None:
    """Keep the result and append it to a part file at once.

    Writing per test (not at the end) is what lets an interrupted run still
    report everything that finished.  A pytest-xdist worker, which may run on
    another host (``--tx ssh=...``) with a file system of its own, sends the
    result with its test's report instead; the controlling process writes it
    (``ResultReceiver``).
    """
    config.stash[RESULTS_KEY].append(result)
    failing = sum(1 for r in result.findings.values() if r.finding.severity.fails)
    node.user_properties.append(("ec2_findings", failing))
    cfg = suite_config(config)
    if cfg.report_dir is None:
        return
    text = json.dumps(result.to_json(), default=str)
    if hasattr(config, "workerinput"):
        node.user_properties.append((RESULT_PROPERTY, text))
        return
    _append_part(cfg.report_dir, "main", text)


class ResultReceiver:
    """Controller side of a pytest-xdist run: each worker's results, as they arrive."""

    def __init__(self, config: pytest.Config):
        self.config = config

    @pytest.hookimpl(tryfirst=True)  # before junitxml would copy the property into its file
    def pytest_runtest_logreport(self, report) -> None:
        carried = [v for k, v in report.user_properties if k == RESULT_PROPERTY]
        if not carried:
            return
        report.user_properties = [p for p in report.user_properties if p[0] != RESULT_PROPERTY]
        cfg = suite_config(self.config)
        if cfg.report_dir is not None and report.when == "call":
            for text in carried:
                _append_part(cfg.report_dir, "workers", text)


def _append_part(report_dir: Path, name: str, text: str) -> None:
    parts = report_dir / PARTS_DIR
    parts.mkdir(parents=True, exist_ok=True)
    with open(parts / f"{name}.jsonl", "a", encoding="utf-8") as handle:
        handle.write(text + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def read_parts(report_dir: Path) -> list:
    from .engine import ActionResult

    results = []
    for part in sorted((report_dir / PARTS_DIR).glob("*.jsonl")):
        for line in part.read_text("utf-8").splitlines():
            if line.strip():
                try:
                    results.append(ActionResult.from_json(json.loads(line)))
                except (ValueError, KeyError):
                    continue  # a line cut short by an interrupt: the rest still counts
    return results


def collect_and_write(config: pytest.Config, *, interrupted: bool) -> dict[str, Any] | None:
    """Controller side: merge every process's parts and write the report."""
    if hasattr(config, "workerinput"):
        return None  # workers only write parts
    cfg = suite_config(config)
    from .reporting import (apply_baseline, build_document, list_of_checks, load_baseline,
                            merge_results, write_report)

    results = merge_results(read_parts(cfg.report_dir))
    document = build_document(_run_metadata(cfg, results, interrupted), results,
                              checks=list_of_checks(cfg.api_version),
                              invariants=_invariant_descriptions(),
                              catalog_params=_catalog_params(cfg))
    if cfg.baseline:
        apply_baseline(document, load_baseline(Path(cfg.baseline)), str(cfg.baseline))
    write_report(document, cfg.report_dir)
    config.stash[DOCUMENT_KEY] = document
    return document


def _run_metadata(cfg: SuiteConfig, results: list, interrupted: bool) -> dict[str, Any]:
    from . import __version__
    from .target import is_loopback

    read_only = bool(cfg.endpoint) and not is_loopback(cfg.endpoint) and not cfg.allow_mutations
    if cfg.differential:
        from .diff import read_only as diff_read_only

        read_only = cfg.recorded_read_only or diff_read_only(cfg.options)
    return {
        "id": cfg.run_id, "tool_version": __version__,
        "endpoint": cfg.endpoint or "embedded moto server (one per worker)",
        "embedded": cfg.endpoint is None, "region": cfg.region, "api_version": cfg.api_version,
        "profile": cfg.profile, "seed": cfg.seed, "suite": cfg.suite,
        "shard": f"{cfg.shard[0]}/{cfg.shard[1]}" if cfg.shard else None,
        "max_examples": cfg.max_examples, "stateful_steps": cfg.stateful_steps,
        **({"against": cfg.against} if cfg.against else {}),
        **({"cassette": cfg.record} if cfg.record else {}),
        "read_only": read_only, "interrupted": interrupted, "started": cfg.started,
        "ended": _now(),
        "examples": {"total": sum(r.examples for r in results),
                     "valid": sum(r.valid_examples for r in results),
                     "invalid": sum(r.invalid_examples for r in results)},
    }


def _invariant_descriptions() -> list[dict[str, str]]:
    from .machines import all_invariants

    return [{"name": i.name, "description": i.description, "spec_ref": i.spec_ref}
            for i in all_invariants()]


def _catalog_params(cfg: SuiteConfig) -> dict[str, list[str]]:
    return {a.name: [p.name for p in a.params] for a in cfg.selected_actions()}
