"""The option table: every option, given on ``run``'s command line, reaches the options the
engine receives in the suite process (through the pytest plugin's arguments), and the
client-facing ones reach the client.  Parametrized over the table, so an option added to
``RunOptions`` is covered here without a new test."""

import argparse
import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ec2_conformance import options as run_options
from ec2_conformance._suite_support import suite_config
from ec2_conformance.cli import build_parser
from ec2_conformance.cli import options_of, pytest_argv
from ec2_conformance.engine import EngineSession

SUITE_FIELDS = [f for f in run_options.table(run_options.TARGET, run_options.RUN)]


def sample(field, tmp_path):
    """A non-default value for ``field``: (command-line text(s), parsed value)."""
    meta = field.metadata
    if isinstance(field.default, bool):
        return [], True
    if meta["choices"]:
        choice = next(c for c in meta["choices"] if c != field.default)
        return [choice], choice
    if meta["many"]:
        return ["Alpha*", "Beta"], ["Alpha*", "Beta"]
    kind = meta["type"]
    if field.name == "api_version":
        return ["2014-09-01"], "2014-09-01"  # another version botocore ships
    if field.name == "baseline":
        (tmp_path / "baseline.json").write_text('{"accepted": []}')
        return [str(tmp_path / "baseline.json")], tmp_path / "baseline.json"
    if kind is Path:
        return [str(tmp_path / field.name)], tmp_path / field.name
    if kind is run_options.duration:
        return ["1m30s"], 90.0
    if kind is run_options.consistency:
        return ["12.5"], "12.5"
    if kind is run_options.shard_spec:
        return ["2/3"], "2/3"
    if field.name == "against":
        return ["http://127.0.0.1:9"], "http://127.0.0.1:9"
    if field.name == "record":
        return [str(tmp_path / "run.json")], str(tmp_path / "run.json")
    if kind is run_options.positive_seconds:
        return ["7.5"], 7.5
    if kind in (run_options.positive_int, run_options.non_negative_int, int):
        return ["7"], 7
    return ["some-value"], "some-value"


DIFF_FIELDS = [(command, f) for command, scope in (("diff", run_options.DIFF),
                                                    ("record", run_options.RECORD))
               for f in run_options.table(scope)]


@pytest.mark.parametrize("command, field", DIFF_FIELDS, ids=lambda x: getattr(x, "name", x))
def test_each_diff_option_reaches_the_engine(command, field, tmp_path, monkeypatch):
    """``diff``/``record`` options go through the same table and plugin arguments as
    ``run``'s (and are not ``run`` options)."""
    monkeypatch.chdir(tmp_path)
    texts, value = sample(field, tmp_path)
    required = {"diff": ["--against", "http://127.0.0.1:9"],
                "record": ["--cassette", str(tmp_path / "c.json")]}[command]
    argv = [command, run_options.cli_flag(field), *texts, "--seed", "3",
            "--report-dir", str(tmp_path / "r"), *(required if field.name not in (
                "against", "record") else [])]
    cli_side = options_of(build_parser().parse_args(argv), run_id="run-x")
    assert getattr(cli_side, field.name) == value and cli_side.workers == 1
    cli_side.report_dir.mkdir(parents=True, exist_ok=True)
    engine_side = suite_side(pytest_argv(cli_side), tmp_path)
    assert getattr(engine_side, field.name) == value
    for other in run_options.table(run_options.TARGET, run_options.RUN, run_options.DIFF,
                                   run_options.RECORD):
        assert getattr(engine_side, other.name) == getattr(cli_side, other.name), other.name
    with pytest.raises(SystemExit):
        build_parser().parse_args(["run", run_options.cli_flag(field), *texts])


class _Grab:
    def pytest_configure(self, config):
        self.config = config

    def pytest_collection_modifyitems(self, items):
        items[:] = []  # nothing runs: only the configuration is wanted


def suite_side(argv, tmp_path):
    """The run options the suite process builds from ``run``'s plugin arguments."""
    grab = _Grab()
    pytest.main([*argv, "--co"], plugins=[grab])
    return suite_config(grab.config).session_options()


@pytest.mark.parametrize("field", SUITE_FIELDS, ids=lambda f: f.name)
def test_each_option_reaches_the_engine(field, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    texts, value = sample(field, tmp_path)
    argv = ["run", run_options.flag(field), *texts, "--report-dir", str(tmp_path / "r")]
    if field.name == "report_dir":
        argv = argv[:-2]
    args = build_parser().parse_args(argv)
    cli_side = options_of(args, run_id="run-x")
    assert getattr(cli_side, field.name) == value
    if cli_side.report_dir is None:
        cli_side = cli_side.but(report_dir=tmp_path / "r")
    cli_side.report_dir.mkdir(parents=True, exist_ok=True)
    engine_side = suite_side(pytest_argv(cli_side.but(workers=1)), tmp_path)
    assert getattr(engine_side, field.name) == value
    # ... and nothing else changed on the way
    for other in run_options.table(run_options.TARGET, run_options.RUN):
        assert getattr(engine_side, other.name) == getattr(cli_side, other.name), other.name


@pytest.mark.parametrize("argv, processes", [
    (["--actions", "DescribeVpcs", "--suite", "stateless", "--workers", "4"], None),
    (["--actions", "DescribeVpcs", "DescribeSubnets", "--suite", "stateless",
      "--workers", "4"], "2"),
    (["--actions", "DescribeVpcs", "--machines", "networking", "--workers", "4"], "2"),
    (["--machines", "networking", "--suite", "stateful", "--workers", "3"], None),
    (["--actions", "Describe*", "--suite", "stateless", "--workers", "3"], "3"),
    (["--actions", "Describe*", "--shard", "1/40", "--suite", "stateless", "--workers", "3"],
     "2"),
])
def test_run_starts_no_more_workers_than_it_has_items(argv, processes, tmp_path):
    """A worker is a process of its own (the suite imported, a world built): one with no
    action or machine to run would only cost."""
    cli_side = options_of(build_parser().parse_args(["run", *argv]), run_id="run-x")
    argv = pytest_argv(cli_side.but(report_dir=tmp_path))
    assert (argv[argv.index("-n") + 1] if "-n" in argv else None) == processes


CLIENT_FIELDS = {"region": "region", "api_version": "api_version",
                 "signature_version": "signature_version", "method": "method",
                 "timeout": "timeout", "retries": "max_retries",
                 "max_transport_failures": "max_transport_failures"}


@pytest.mark.parametrize("name", sorted(CLIENT_FIELDS))
def test_each_target_option_reaches_the_client(name, tmp_path):
    field = next(f for f in run_options.table() if f.name == name)
    _, value = sample(field, tmp_path)
    options = run_options.RunOptions(endpoint="http://127.0.0.1:9", **{name: value})
    session = EngineSession(options)
    client = session.client
    try:
        assert getattr(client, CLIENT_FIELDS[name]) == value
    finally:
        session.close()


def test_consistency_and_deadline_reach_the_machines_and_the_client(tmp_path):
    from ec2_conformance.machines import WaitSettings

    session = EngineSession(run_options.RunOptions(endpoint="http://127.0.0.1:9",
                                                   consistency="12.5"), deadline_at=123.0,
                            stop_file=tmp_path / ".stop")
    assert session.client.stop_at == 123.0 and session.client.stop_file == tmp_path / ".stop"
    waits = WaitSettings.for_consistency(session.options.consistency, loopback=session.loopback)
    assert waits.timeout == 12.5
    session.close()


def test_every_table_field_is_a_cli_or_plugin_option():
    run_parser = build_parser()._subparsers._group_actions[0].choices["run"]
    cli_dests = {a.dest for a in run_parser._actions}
    for field in run_options.table():
        scope = field.metadata["scope"]
        if scope == run_options.PLUGIN:
            continue
        if scope in (run_options.DIFF, run_options.RECORD):  # diff and record's own
            command = build_parser()._subparsers._group_actions[0].choices[scope]
            assert field.name in {a.dest for a in command._actions}, field.name
            continue
        assert field.name in cli_dests, field.name


def test_durations_and_consistency_parse_or_refuse():
    assert run_options.duration("90") == 90 and run_options.duration("1h30m") == 5400
    for bad in ("", "0", "soon", "-5s"):
        with pytest.raises(argparse.ArgumentTypeError):
            run_options.duration(bad)
    assert run_options.consistency("eventual") == "eventual"
    with pytest.raises(argparse.ArgumentTypeError):
        run_options.consistency("later")


def test_a_v2_get_run_really_sends_sigv2_signed_gets(recording_target, tmp_path):
    """The flags of the issue: parsed and then dropped before; observed at a real server."""
    result = subprocess.run(
        [sys.executable, "-m", "ec2_conformance", "run", "--endpoint", recording_target.endpoint,
         "--signature-version", "v2", "--method", "GET", "--actions", "DescribeVpcs",
         "--suite", "stateless", "--max-examples", "1", "--workers", "1",
         "--report-dir", str(tmp_path / "r")], capture_output=True, text=True, timeout=300,
        cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    signed = [r for r in recording_target.seen if "Signature=" in r["path"]]
    assert len(signed) > 10
    assert all(r["method"] == "GET" and "SignatureVersion=2" in r["path"]
               and "Authorization" not in r["headers"] for r in signed)
    assert not any(r["method"] == "POST" for r in recording_target.seen)


def test_the_plugin_takes_the_same_options(recording_target, tmp_path):
    """``pytest --pyargs ec2_conformance.suite --ec2-...`` (no CLI in between)."""
    env = {**os.environ}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--pyargs", "ec2_conformance.suite", "-q",
         "-p", "no:cacheprovider", "--noconftest", "-c", os.devnull, "--rootdir", str(tmp_path),
         "--ec2-endpoint", recording_target.endpoint, "--ec2-method", "GET",
         "--ec2-signature-version", "v2", "--ec2-actions", "DescribeRegions",
         "--ec2-suite", "stateless", "--ec2-max-examples", "1"],
        capture_output=True, text=True, timeout=300, cwd=tmp_path, env=env)
    assert "error" not in result.stderr.lower(), result.stderr
    assert recording_target.seen and all(r["method"] == "GET" for r in recording_target.seen)


def test_the_table_is_a_dataclass_the_engine_takes():
    assert dataclasses.is_dataclass(run_options.RunOptions)
    from ec2_conformance.engine import SessionOptions

    assert SessionOptions is run_options.RunOptions
