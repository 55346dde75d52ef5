"""What the pytest plugin needs beyond options: configuration, parts, the final report.

Kept out of ``pytest_plugin`` so that importing the plugin stays cheap; nothing
here imports the engine or reporting until a suite actually runs.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

RESULTS_KEY = pytest.StashKey[list]()
CONFIG_KEY = pytest.StashKey["SuiteConfig"]()
DOCUMENT_KEY = pytest.StashKey[dict]()
PARTS_DIR = ".parts"


@dataclass
class SuiteConfig:
    endpoint: str | None
    region: str
    api_version: str
    profile: str
    actions: list[str] | None
    max_examples: int
    seed: int | None
    stateful_steps: int
    report_dir: Path | None
    run_id: str
    allow_mutations: bool
    baseline: str | None
    suite: str
    started: str
    machines: list[str] | None = None  # None: every machine
    # differential mode (conformance/diff/): a second side, or a cassette to record
    against: str | None = None
    against_region: str | None = None
    credentials_profile: str | None = None
    against_credentials_profile: str | None = None
    same_start: str = "auto"
    record: str | None = None
    recorded_read_only: bool = False  # the cassette of --ec2-against was recorded read-only

    @property
    def differential(self) -> bool:
        return bool(self.against or self.record)

    def wants(self, suite: str) -> bool:
        return self.suite in (suite, "all")

    def selected_actions(self):
        from .catalog import load_catalog

        return load_catalog(self.api_version).select(self.actions)

    def selected_machines(self) -> list[str]:
        from .machines import MACHINES
        from .target import is_loopback

        if self.endpoint and not is_loopback(self.endpoint) and not self.allow_mutations:
            return []  # machines create and delete: never against a real cloud unasked
        if self.differential and (self.recorded_read_only or self.session_options().read_only):
            return []  # either side of a diff outside loopback, or a read-only recording
        return sorted(m for m in MACHINES if self.machines is None or m in self.machines)

    def session_options(self):
        from .engine import SessionOptions

        if self.differential:
            from .diff import DiffOptions

            return DiffOptions(
                endpoint=self.endpoint, region=self.region, api_version=self.api_version,
                profile=self.profile, max_examples=self.max_examples, seed=self.seed,
                stateful_steps=self.stateful_steps, allow_mutations=self.allow_mutations,
                run_id=self.run_id, against=self.against, against_region=self.against_region,
                credentials_profile=self.credentials_profile,
                against_credentials_profile=self.against_credentials_profile,
                same_start={"yes": True, "no": False}.get(self.same_start), record=self.record)
        return SessionOptions(endpoint=self.endpoint, region=self.region,
                              api_version=self.api_version, profile=self.profile,
                              max_examples=self.max_examples, seed=self.seed,
                              stateful_steps=self.stateful_steps,
                              allow_mutations=self.allow_mutations, run_id=self.run_id)

    def active(self, session: pytest.Session) -> bool:
        return self.report_dir is not None


def suite_config(config: pytest.Config) -> SuiteConfig:
    if CONFIG_KEY not in config.stash:
        opt = config.getoption
        worker = getattr(config, "workerinput", None)
        run_id = opt("--ec2-run-id") or (worker or {}).get("ec2_run_id") or new_run_id()
        report_dir = opt("--ec2-report-dir")
        config.stash[CONFIG_KEY] = SuiteConfig(
            endpoint=opt("--ec2-endpoint"), region=opt("--ec2-region"),
            api_version=opt("--ec2-api-version"), profile=opt("--ec2-profile"),
            actions=opt("--ec2-actions"), max_examples=opt("--ec2-max-examples"),
            seed=opt("--ec2-seed"), stateful_steps=opt("--ec2-stateful-steps"),
            report_dir=Path(report_dir) if report_dir else None, run_id=run_id,
            allow_mutations=opt("--ec2-allow-mutations"), baseline=opt("--ec2-baseline"),
            suite=opt("--ec2-suite"), machines=opt("--ec2-machines"),
            against=opt("--ec2-against"), against_region=opt("--ec2-against-region"),
            credentials_profile=opt("--ec2-credentials-profile"),
            against_credentials_profile=opt("--ec2-against-credentials-profile"),
            same_start=opt("--ec2-same-start"), record=opt("--ec2-record"),
            started=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
    return config.stash[CONFIG_KEY]


def check_differential(config: pytest.Config) -> None:
    """A differential or recording run is one process, and its cassette must load: one
    line now rather than an error in every test."""
    cfg = suite_config(config)
    if getattr(config.option, "numprocesses", None) or hasattr(config, "workerinput"):
        raise pytest.UsageError("--ec2-against and --ec2-record run in one process "
                                "(the same examples in the same order): drop -n")
    if cfg.record and cfg.seed is None:
        import random

        cfg.seed = random.getrandbits(32)  # saved in the cassette and the report alike
    if cfg.against and cfg.record:
        raise pytest.UsageError("--ec2-record records a run against --ec2-endpoint; "
                                "it does not combine with --ec2-against")
    if cfg.against and not cfg.against.startswith(("http://", "https://")):
        from . import __version__
        from .diff import CassetteError, load_cassette

        try:
            cassette = load_cassette(cfg.against, api_version=cfg.api_version,
                                     tool_version=__version__)
        except CassetteError as exc:
            raise pytest.UsageError(str(exc)) from None
        cfg.recorded_read_only = bool(cassette.options["read_only"])
        cfg.seed, cfg.max_examples = cassette.options["seed"], cassette.options["max_examples"]
        cfg.stateful_steps = cassette.options["stateful_steps"]


def new_run_id() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:6]


def record_result(config: pytest.Config, node: pytest.Item, result) -> None:
    """Keep the result and append it to this process's part file at once.

    Writing per test (not at the end) is what lets an interrupted run still
    report everything that finished.
    """
    config.stash[RESULTS_KEY].append(result)
    failing = sum(1 for r in result.findings.values() if r.finding.severity.fails)
    node.user_properties.append(("ec2_findings", failing))
    cfg = suite_config(config)
    if cfg.report_dir is None:
        return
    parts = cfg.report_dir / PARTS_DIR
    parts.mkdir(parents=True, exist_ok=True)
    worker = getattr(config, "workerinput", {}).get("workerid", "main")
    with open(parts / f"{worker}.jsonl", "a", encoding="utf-8") as handle:
        handle.write(json.dumps(result.to_json(), default=str) + "\n")
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
    from .reporting import apply_baseline, build_document, load_baseline, merge_results, write_report

    results = merge_results(read_parts(cfg.report_dir))
    document = build_document(_run_metadata(cfg, results, interrupted), results,
                              checks=_check_descriptions(), invariants=_invariant_descriptions(),
                              catalog_params=_catalog_params(cfg))
    if cfg.baseline:
        apply_baseline(document, load_baseline(Path(cfg.baseline)), cfg.baseline)
    write_report(document, cfg.report_dir)
    config.stash[DOCUMENT_KEY] = document
    return document


def _run_metadata(cfg: SuiteConfig, results: list, interrupted: bool) -> dict[str, Any]:
    from . import __version__
    from .target import is_loopback

    read_only = bool(cfg.endpoint) and not is_loopback(cfg.endpoint) and not cfg.allow_mutations
    return {
        "id": cfg.run_id, "tool_version": __version__,
        "endpoint": cfg.endpoint or "embedded moto server (one per worker)",
        "embedded": cfg.endpoint is None, "region": cfg.region, "api_version": cfg.api_version,
        "profile": cfg.profile, "seed": cfg.seed, "suite": cfg.suite,
        "max_examples": cfg.max_examples, "stateful_steps": cfg.stateful_steps,
        **({"against": cfg.against} if cfg.against else {}),
        **({"cassette": cfg.record} if cfg.record else {}),
        "read_only": read_only, "interrupted": interrupted, "started": cfg.started,
        "ended": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "examples": {"total": sum(r.examples for r in results),
                     "valid": sum(r.valid_examples for r in results),
                     "invalid": sum(r.invalid_examples for r in results)},
    }


def _check_descriptions() -> list[dict[str, str]]:
    try:
        from .checks import all_checks
    except ImportError:
        return []
    return [{"name": c.name, "description": c.description, "spec_ref": c.spec_ref}
            for c in all_checks()]


def _invariant_descriptions() -> list[dict[str, str]]:
    try:
        from .machines import all_invariants
    except ImportError:
        return []
    return [{"name": i.name, "description": i.description, "spec_ref": i.spec_ref}
            for i in all_invariants()]


def _catalog_params(cfg: SuiteConfig) -> dict[str, list[str]]:
    return {a.name: [p.name for p in a.params] for a in cfg.selected_actions()}
