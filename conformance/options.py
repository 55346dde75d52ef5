"""Every run option, declared once: the ``RunOptions`` dataclass is the table.

Each field carries its help, parsing and where it applies (``TARGET``: every
command that talks to a target; ``RUN``: ``run`` and the pytest plugin;
``CLI``: ``run`` only; ``PLUGIN``: the plugin only, set by ``run``; ``DIFF``: ``diff``
and the plugin; ``RECORD``: ``record`` and the plugin).  From it are
derived the CLI arguments (``add_arguments``), the pytest plugin options
(``add_pytest_options``, named ``--ec2-<name>``), the translation of a parsed
CLI into plugin arguments (``to_pytest_args``), and the options object the
engine receives (``from_pytest``): adding an option is one field here.

Stdlib only: the pytest plugin imports this module in every pytest run.
"""

from __future__ import annotations

import argparse
import os
import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Callable, Iterable

TARGET, RUN, CLI, PLUGIN = "target", "run", "cli", "plugin"
DIFF, RECORD = "diff", "record"  # differential mode (conformance/diff/)
PLUGIN_SCOPES = (TARGET, RUN, PLUGIN, DIFF, RECORD)  # the plugin's --ec2-* options
CONSISTENCY_HELP = "immediate, eventual, or the SECONDS to wait for a state"


# -- value types (argparse types: a bad value is one usage line, exit 2) -------------------
def _whole_number(text: str, minimum: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < minimum:
        raise argparse.ArgumentTypeError(f"{text} must be at least {minimum}")
    return value


def positive_int(text: str) -> int:
    return _whole_number(text, 1)


def non_negative_int(text: str) -> int:
    return _whole_number(text, 0)


def positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text} must be a positive number of seconds")
    return value


_DURATION_RE = re.compile(r"^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s?)?$")


def duration(text: str) -> float:
    """``90``, ``90s``, ``10m``, ``1h30m`` -> seconds."""
    match = _DURATION_RE.match(text.strip()) if text.strip() else None
    if not match or not any(match.groups()):
        raise argparse.ArgumentTypeError(f"{text!r} is not a duration (e.g. 90s, 10m, 1h30m)")
    hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
    total = hours * 3600 + minutes * 60 + seconds
    if total <= 0:
        raise argparse.ArgumentTypeError(f"{text} must be longer than zero")
    return total


def consistency(text: str) -> str:
    if text in ("immediate", "eventual"):
        return text
    try:
        positive_seconds(text)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a consistency ({CONSISTENCY_HELP})") from None
    return text


def shard_spec(text: str) -> str:
    """``K/N`` with 1 <= K <= N (like 2/3), normalised."""
    match = re.fullmatch(r"(\d+)/(\d+)", text.strip())
    if not match or not 1 <= int(match.group(1)) <= int(match.group(2)):
        raise argparse.ArgumentTypeError(f"expected K/N with 1 <= K <= N (like 2/3), not {text!r}")
    return f"{int(match.group(1))}/{int(match.group(2))}"


# -- the table -------------------------------------------------------------------------------
def option(default: Any, help: str, *, scope: str = RUN, type: Callable | None = None,
           choices: tuple[str, ...] | None = None, many: bool = False, metavar: str | None = None,
           env: str | None = None, cli: str | None = None) -> Any:
    """A field of ``RunOptions`` with what the parsers need (``many``: one or more values;
    a ``bool`` default: a flag; ``cli``: the command's flag when not ``--<name>``)."""
    return field(default=default, metadata={
        "help": help, "scope": scope, "type": type, "choices": choices, "many": many,
        "metavar": metavar, "env": env, "cli": cli})


@dataclass
class RunOptions:
    # Every command that talks to a target.
    endpoint: str | None = option(
        None, "target URL (default: $AWS_ENDPOINT_URL, else the embedded moto server)",
        scope=TARGET, env="AWS_ENDPOINT_URL", metavar="URL")
    region: str = option("us-east-1", "region signed for (default: $AWS_DEFAULT_REGION, "
                         "else us-east-1)", scope=TARGET, env="AWS_DEFAULT_REGION",
                         metavar="R")
    api_version: str = option("2014-10-01", "EC2 API version", scope=TARGET, metavar="V")
    signature_version: str = option("v4", "request signing", scope=TARGET,
                                    choices=("v4", "v2"))
    method: str = option("POST", "form-encoded POST or query-string GET", scope=TARGET,
                         choices=("POST", "GET"))
    timeout: float = option(30.0, "seconds one request may take in all: connect, headers and "
                            "body (default 30)", scope=TARGET, type=positive_seconds,
                            metavar="SECONDS")
    retries: int = option(3, "retries of a throttled, unavailable (503, the spec's retryable "
                          "server errors) or reset request (default 3)",
                          scope=TARGET, type=non_negative_int, metavar="N")
    aws_profile: str | None = option(
        None, "credentials profile of the shared AWS files (default: $AWS_PROFILE)",
        scope=TARGET, metavar="NAME")
    consistency: str | None = option(
        None, f"how long to wait for a state: {CONSISTENCY_HELP} (default: immediate on "
        "loopback, eventual elsewhere)", scope=TARGET, type=consistency, metavar="MODE")
    # The suite (``run`` and the plugin).
    profile: str = option("aws-2014-10-01", "target profile the run is judged by "
                          "(default: the spec)", metavar="NAME")
    actions: list[str] | None = option(None, "only these actions", many=True, metavar="GLOB")
    suite: str = option("all", "which suite", choices=("stateless", "stateful", "all"))
    machines: list[str] | None = option(None, "only these state machines (default: all)",
                                        many=True, metavar="NAME")
    max_examples: int = option(25, "Hypothesis examples per action (default 25)",
                               type=positive_int, metavar="N")
    stateful_steps: int = option(20, "steps per state-machine run", type=positive_int,
                                 metavar="N")
    seed: int | None = option(None, "fixed seed: the same examples again", type=int,
                              metavar="N")
    report_dir: Path | None = option(None, "where to write the report (default: "
                                     "reports/<run id>/)", type=Path, metavar="DIR")
    baseline: Path | None = option(None, "accepted findings (a baseline file or an earlier "
                                   "results.json)", type=Path, metavar="RESULTS_JSON")
    shard: str | None = option(None, "run the K-th of N deterministic parts of the actions and "
                               "machines (CI matrices; join them with 'ec2-conformance merge')",
                               type=shard_spec, metavar="K/N")
    allow_mutations: bool = option(False, "against a non-loopback endpoint, run actions "
                                   "that change state")
    deadline: float | None = option(None, "end the run after this long, like Ctrl-C, with "
                                    "the partial report (e.g. 90s, 10m, 1h30m)",
                                    type=duration, metavar="DURATION")
    # 3: a hanging target costs three --timeouts per process before the run stops.
    max_transport_failures: int = option(
        3, "stop the run after this many requests in a row got no usable answer (timeouts, "
        "resets, refused, throttled past retries) (default 3)", type=positive_int,
        metavar="N")
    # ``run`` only.
    workers: int = option(min(os.cpu_count() or 1, 4), "parallel processes (pytest-xdist)",
                          scope=CLI, type=positive_int, metavar="N")
    # Differential mode: ``diff`` (the reference side) and ``record`` (a cassette); the
    # endpoint side takes the target options above (``--aws-profile``, ``--region``).
    against: str | None = option(
        None, "the reference: a second endpoint URL, or a cassette from 'record'; the same "
        "examples go to both, differences are reported (one process)", scope=DIFF,
        metavar="URL_OR_CASSETTE")
    against_region: str | None = option(None, "region of --against (default: --region)",
                                        scope=DIFF, metavar="R")
    against_aws_profile: str | None = option(
        None, "credentials profile of the shared AWS files for --against (default: the "
        "chain botocore resolves)", scope=DIFF, metavar="NAME")
    same_start: str | None = option(
        None, "both sides start from the same state, so list lengths compare (default: "
        "when both are loopback)", scope=DIFF, choices=("yes", "no"))
    record: str | None = option(None, "save every exchange of the run to this cassette "
                                "(JSON; *.gz compressed; one process)", scope=RECORD,
                                metavar="CASSETTE", cli="--cassette")
    # The plugin only (``run`` sets them).
    run_id: str | None = option(None, "tag for resources this run creates", scope=PLUGIN)

    def but(self, **changes: Any) -> "RunOptions":
        return replace(self, **changes)


def table(*scopes: str) -> list[Any]:
    """The fields of ``RunOptions`` in these scopes (all when none is given)."""
    return [f for f in fields(RunOptions) if not scopes or f.metadata["scope"] in scopes]


def flag(f: Any, prefix: str = "--") -> str:
    return prefix + f.name.replace("_", "-")


def cli_flag(f: Any) -> str:
    return f.metadata["cli"] or flag(f)


def _default(f: Any) -> Any:
    env = f.metadata["env"]
    return os.environ.get(env) or f.default if env else f.default


def _spec(f: Any) -> dict[str, Any]:
    meta = f.metadata
    if isinstance(f.default, bool):
        return {"action": "store_true", "default": f.default, "help": meta["help"]}
    spec: dict[str, Any] = {"default": _default(f), "help": meta["help"]}
    for key in ("type", "choices", "metavar"):
        if meta[key] is not None:
            spec[key] = meta[key]
    if meta["many"]:
        spec.update(nargs="+", action="extend")  # repeatable too: --x A --x B == --x A B
    return spec


def add_arguments(parser: argparse.ArgumentParser, *scopes: str) -> None:
    for f in table(*scopes):
        parser.add_argument(cli_flag(f), dest=f.name, **_spec(f))


def add_pytest_options(group: Any) -> None:
    for f in table(*PLUGIN_SCOPES):
        spec = _spec(f)
        group.addoption(flag(f, "--ec2-"), dest="ec2_" + f.name, **spec)


def from_namespace(args: argparse.Namespace, **changes: Any) -> RunOptions:
    """The options a parsed command line holds (a subcommand has a subset; the rest default)."""
    values = {f.name: getattr(args, f.name) for f in table() if hasattr(args, f.name)}
    return RunOptions(**{**values, **changes})


def from_pytest(config: Any, **changes: Any) -> RunOptions:
    values = {f.name: config.getoption("ec2_" + f.name) for f in table(*PLUGIN_SCOPES)}
    return RunOptions(**{**values, **changes})


def to_pytest_args(options: RunOptions) -> list[str]:
    """Plugin arguments that give the plugin exactly ``options`` (CLI-only ones left out)."""
    argv: list[str] = []
    for f in table(*PLUGIN_SCOPES):
        value = getattr(options, f.name)
        if value is None or value is False:
            continue
        if value is True:
            argv.append(flag(f, "--ec2-"))
        elif f.metadata["many"]:
            argv += [flag(f, "--ec2-"), *map(str, value)]
        else:
            argv += [flag(f, "--ec2-"), _text(value)]
    return argv


def _text(value: Any) -> str:
    return repr(value) if isinstance(value, float) else str(value)


def names(*scopes: str) -> Iterable[str]:
    return [f.name for f in table(*scopes)]
