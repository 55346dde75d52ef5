"""The pytest plugin (``pytest11`` entry point): options, fixtures, result collection.

Importing this module stays cheap: pytest loads it for every run in an
environment where ec2-conformance is installed, and it must be inert unless
the suite (``ec2_conformance.suite``) is collected.  The suite's tests record
``ActionResult``s; each is appended to ``<report dir>/.parts/`` as it comes (a
pytest-xdist worker sends it with its test report, and the controlling process
writes it), and the controlling process merges the parts into one report at
session end.
"""

from __future__ import annotations

import gc

import pytest

from ._suite_support import (RESULTS_KEY, ResultReceiver, SuiteConfig, collect_and_write,
                             mark_started, record_result, suite_config, worker_input)
from .options import add_pytest_options

ENGINE_KEY = pytest.StashKey[object]()
STATUS_KEY = pytest.StashKey[object]()


def pytest_addoption(parser: pytest.Parser) -> None:
    add_pytest_options(parser.getgroup("ec2-conformance"))  # --ec2-<option>, from the table


def pytest_configure(config: pytest.Config) -> None:
    config.stash[RESULTS_KEY] = []
    mark_started(config)
    if config.getoption("ec2_against") or config.getoption("ec2_record"):
        from ._suite_support import check_differential

        check_differential(config)
    if not hasattr(config, "workerinput"):  # workers send their results here (any host)
        config.pluginmanager.register(ResultReceiver(config), "ec2-conformance-results")


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


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node) -> None:
    """pytest-xdist: every worker shares the controller's run id, start and deadline."""
    node.workerinput.update(worker_input(node.config))


@pytest.fixture(scope="session")
def ec2_session(request: pytest.FixtureRequest):
    """The engine session of this process: target, client, world (torn down at the end)."""
    from ._suite_status import StatusWriter

    config = request.config
    cfg = suite_config(config)
    if cfg.differential:
        from .diff import DifferentialSession as Session
    else:
        from .engine import EngineSession as Session
    session = Session(cfg.session_options(), deadline_at=cfg.deadline_at,
                      stop_file=cfg.stop_file())
    config.stash[ENGINE_KEY] = session
    # What exists now (imported modules, botocore's model, the catalog) lives as long as
    # the process: frozen, the collector stops walking it on every full collection (a
    # sixth of a small run's CPU went to collections, some 40% of it to these objects).
    gc.freeze()
    status = None
    # The heartbeat is read where the report is written: a worker on another host (or in
    # another directory) that cannot see the report directory writes no status there.
    if cfg.report_dir is not None and cfg.report_dir.is_dir():
        worker = getattr(config, "workerinput", {}).get("workerid", "main")
        status = config.stash[STATUS_KEY] = StatusWriter(cfg.report_dir, worker, session).start()
    yield session
    try:
        session.close()
    finally:
        if status is not None:
            status.close()


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Once the run has stopped (target unhealthy, deadline, stop request), the remaining
    suite tests are skipped: nothing more is sent."""
    if not _suite_item(item):
        return
    engine = item.config.stash.get(ENGINE_KEY, None)
    if engine is not None and engine.stop_reason:
        item.session.shouldstop = engine.stop_reason
        pytest.skip(f"not run: {engine.stop_reason}")


def pytest_runtest_call(item: pytest.Item) -> None:
    status = item.config.stash.get(STATUS_KEY, None)  # made by the first test's set-up
    if status is not None and _suite_item(item):
        status.begin(item.nodeid)


def pytest_runtest_teardown(item: pytest.Item) -> None:
    status = item.config.stash.get(STATUS_KEY, None)
    if status is not None and _suite_item(item):
        status.begin(None)


@pytest.fixture
def ec2_record(request: pytest.FixtureRequest):
    """Record an ActionResult for the report (and its counts for the progress display);
    a run that stopped says so to the controller and stops this process's session."""

    def record(result) -> None:
        record_result(request.config, request.node, result)
        engine = request.config.stash.get(ENGINE_KEY, None)
        if engine is not None and engine.stop_reason:
            request.node.user_properties.append(("ec2_stopped",
                                                 [engine.stop_kind, engine.stop_reason]))
            request.session.shouldstop = engine.stop_reason

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
