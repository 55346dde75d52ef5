"""The pytest plugin (``pytest11`` entry point): options, fixtures, result collection.

Importing this module stays cheap: pytest loads it for every run in an
environment where ec2-conformance is installed, and it must be inert unless
the suite (``ec2_conformance.suite``) is collected.  The suite's tests record
``ActionResult``s; each process appends them to ``<report dir>/.parts/`` and
the controlling process merges the parts into one report at session end.
"""

from __future__ import annotations

import pytest

from ._suite_support import (RESULTS_KEY, SuiteConfig, collect_and_write, record_result,
                             suite_config)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("ec2-conformance")
    add = group.addoption
    add("--ec2-endpoint", default=None,
        help="EC2 endpoint URL (default: an embedded moto server per process)")
    add("--ec2-region", default="us-east-1")
    add("--ec2-api-version", default="2014-10-01")
    add("--ec2-profile", default="aws-2014-10-01", help="target profile the run is judged by")
    add("--ec2-actions", action="append", default=None, metavar="GLOB",
        help="only actions matching GLOB (repeatable)")
    add("--ec2-max-examples", type=int, default=10, help="Hypothesis examples per action")
    add("--ec2-seed", type=int, default=None, help="fixed seed: the same examples again")
    add("--ec2-stateful-steps", type=int, default=20, help="steps per state-machine run")
    add("--ec2-report-dir", default=None, help="write results.json, junit.xml, index.html here")
    add("--ec2-run-id", default=None, help="tag for resources this run creates")
    add("--ec2-allow-mutations", action="store_true", default=False,
        help="against a non-loopback endpoint, allow actions that change state")
    add("--ec2-baseline", default=None, help="baseline file or results.json of accepted findings")
    add("--ec2-suite", default="all", choices=("stateless", "stateful", "all"))
    add("--ec2-machines", action="append", default=None, metavar="NAME",
        help="only these state machines (repeatable)")
    add("--ec2-against", default=None, metavar="URL_OR_CASSETTE",
        help="differential mode: the same examples against this endpoint or cassette too; "
             "report where the answers differ (one process)")
    add("--ec2-against-region", default=None,
        help="region of --ec2-against (default: --ec2-region)")
    add("--ec2-credentials-profile", default=None, metavar="NAME",
        help="botocore credentials profile for --ec2-endpoint")
    add("--ec2-against-credentials-profile", default=None, metavar="NAME",
        help="botocore credentials profile for --ec2-against")
    add("--ec2-same-start", choices=("auto", "yes", "no"), default="auto",
        help="both sides start from the same state, so list lengths compare "
             "(auto: both sides are loopback)")
    add("--ec2-record", default=None, metavar="CASSETTE",
        help="save every exchange of the run to this cassette (one process)")


def pytest_configure(config: pytest.Config) -> None:
    config.stash[RESULTS_KEY] = []
    if config.getoption("--ec2-against") or config.getoption("--ec2-record"):
        from ._suite_support import check_differential

        check_differential(config)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "ec2_action" in metafunc.fixturenames:
        cfg = suite_config(metafunc.config)
        names = [a.name for a in cfg.selected_actions()] if cfg.wants("stateless") else []
        metafunc.parametrize("ec2_action", names)
    if "ec2_machine" in metafunc.fixturenames:
        cfg = suite_config(metafunc.config)
        metafunc.parametrize("ec2_machine", cfg.selected_machines() if cfg.wants("stateful") else [])


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect a suite left with nothing to run (``--suite stateful`` leaves the actions'
    parametrization empty): pytest would collect it as one skipped item, and the
    progress display would count it as a test still to come."""
    empty = [item for item in items if _suite_item(item) and "[NOTSET]" in item.nodeid]
    if empty:
        config.hook.pytest_deselected(items=empty)
        items[:] = [item for item in items if item not in empty]


def _suite_item(item: pytest.Item) -> bool:
    names = getattr(item, "fixturenames", ())
    return "ec2_action" in names or "ec2_machine" in names


@pytest.fixture(scope="session")
def ec2_session(request: pytest.FixtureRequest):
    """The engine session of this process: target, client, world (torn down at the end)."""
    cfg = suite_config(request.config)
    if cfg.differential:
        from .diff import DifferentialSession

        session = DifferentialSession(cfg.session_options())
    else:
        from .engine import EngineSession

        session = EngineSession(cfg.session_options())
    yield session
    session.close()


@pytest.fixture
def ec2_record(request: pytest.FixtureRequest):
    """Record an ActionResult for the report (and its counts for the progress display)."""

    def record(result) -> None:
        record_result(request.config, request.node, result)

    return record


@pytest.fixture(scope="session")
def ec2_endpoint(ec2_session) -> str:
    return ec2_session.endpoint


@pytest.fixture(scope="session")
def ec2_client(ec2_session):
    return ec2_session.client


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    cfg: SuiteConfig = suite_config(session.config)
    if cfg.report_dir is None or not cfg.active(session):
        return
    collect_and_write(session.config, interrupted=exitstatus == pytest.ExitCode.INTERRUPTED)


__all__ = ["SuiteConfig"]
