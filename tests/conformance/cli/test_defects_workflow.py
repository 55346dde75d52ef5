"""The defects-first workflow as a user runs it: run, read the top defects, baseline,
rerun; ``report`` re-renders a finished run; ``--shard`` and ``merge`` (real processes,
the embedded moto server)."""

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

import ec2_conformance.reporting as reporting

CLI = [sys.executable, "-m", "ec2_conformance"]
SCHEMA = json.loads((Path(reporting.__file__).parent / reporting.RESULTS_SCHEMA).read_text())
BASE = ["--suite", "stateless", "--max-examples", "2", "--workers", "1", "--seed", "11"]


def cli(*args, timeout=600):
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout)


def concurrently(*runs, timeout=600):
    """Each ``run`` (CLI arguments) in a process of its own, all at once."""
    processes = [subprocess.Popen([*CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) for args in runs]
    outputs = [p.communicate(timeout=timeout) for p in processes]
    return [subprocess.CompletedProcess(p.args, p.returncode, *out)
            for p, out in zip(processes, outputs)]


def load(report):
    return json.loads((report / "results.json").read_text())


@pytest.fixture
def two_actions(once):
    """One run whose report several tests read (made once for every worker)."""
    def build(directory):
        result = cli("run", *BASE, "--actions", "CreateVpc", "DescribeVpcs", "--report-dir",
                     str(directory / "two"))
        return [result.returncode, result.stdout, result.stderr]
    (code, out, err), directory = once("two-actions", build)
    assert code == 1, err
    return subprocess.CompletedProcess([], code, out, err), directory / "two"


def test_the_run_ends_with_its_top_defects_and_writes_summary_md(two_actions):
    result, report = two_actions
    document = load(report)
    jsonschema.validate(document, SCHEMA)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("top defects (")
    top = document["defects"][0]
    assert top["id"] in lines[1] and top["title"][:60] in lines[1]
    assert any("failing defect" in line and " examples; " in line for line in lines)
    assert document["run"]["started"] < document["run"]["ended"]
    summary = (report / "summary.md").read_text()
    assert "## Defects" in summary and top["id"] in summary and "**Score" in summary
    # every finding names its defect; every defect's findings are in the document
    ids = {f["id"] for f in document["findings"]}
    assert all(f["defect"] in {d["id"] for d in document["defects"]} for f in document["findings"])
    assert {i for d in document["defects"] for i in d["findings"]} == ids
    exemplar = top["exemplar"]
    assert exemplar["reproduce"] == f"ec2-conformance reproduce {report / exemplar['example_file']}"


def test_reproduce_the_top_defect_from_its_command(two_actions):
    _, report = two_actions
    top = load(report)["defects"][0]
    replay = cli(*top["exemplar"]["reproduce"].split()[1:])
    assert replay.returncode == 1, replay.stdout + replay.stderr
    assert "still fails" in replay.stdout


@pytest.mark.slow  # a second run
def test_a_baseline_accepts_defects_on_actions_it_never_saw(two_actions, tmp_path):
    _, report = two_actions
    baseline = tmp_path / "baseline.json"
    made = cli("baseline", str(report / "results.json"), "--reason", "moto gaps", "-o",
               str(baseline))
    assert made.returncode == 0, made.stderr
    data = json.loads(baseline.read_text())
    assert data["format"] == 2 and {d["id"] for d in data["defects"]} == \
        {d["id"] for d in load(report)["defects"]}
    again = tmp_path / "again"
    result = cli("run", *BASE, "--actions", "CreateVpc", "DescribeVpcs", "DeleteVpc",
                 "--baseline", str(baseline), "--report-dir", str(again))
    document = load(again)
    namespace = next(d for d in document["defects"] if d["family"] == "namespace"
                     and "DeleteVpc" in d["actions"])
    assert namespace["baseline"] == "accepted"  # DeleteVpc is new to it, the cause is not
    assert all(f["baseline"] == "accepted" for f in document["findings"]
               if f["defect"] == namespace["id"])
    new = document["baseline"]["new_defects"]
    assert all(d["baseline"] == "new" for d in document["defects"] if d["id"] in new)
    assert result.returncode == (1 if new else 0), result.stdout + result.stderr
    assert f"baseline: {len(new)} new failing defect(s)" in result.stdout


def test_an_old_baseline_file_keeps_working_and_a_broken_one_says_how_to_migrate(two_actions,
                                                                                 tmp_path):
    _, report = two_actions
    document = load(report)
    old = tmp_path / "old.json"
    old.write_text(json.dumps({"accepted": [
        {"signature": f["signature"], "check": f["check"], "action": f["action"],
         "message": f["message"], "reason": "r"} for f in document["findings"]]}))
    judged = cli("report", str(report), "--baseline", str(old), "--format", "json", "-o", "-")
    assert judged.returncode == 0, judged.stderr
    rendered = json.loads(judged.stdout)
    assert rendered["baseline"]["new"] == [] and rendered["baseline"]["new_defects"] == []
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"accepted": [{"check": "namespace"}]}))
    refused = cli("report", str(report), "--baseline", str(broken), "--format", "markdown",
                  "-o", "-")
    assert refused.returncode == 2
    assert len(refused.stderr.strip().splitlines()) == 1
    assert "ec2-conformance baseline RESULTS_JSON --reason TEXT -o FILE" in refused.stderr


def test_report_re_renders_a_finished_run(two_actions, tmp_path):
    _, report = two_actions  # only this test reads the page it rewrites
    markdown = cli("report", str(report), "--format", "markdown", "-o", "-")
    assert markdown.returncode == 0, markdown.stderr
    assert markdown.stdout == (report / "summary.md").read_text()
    (report / "index.html").unlink()
    again = cli("report", str(report), "--format", "html")
    assert again.returncode == 0 and (report / "index.html").is_file()
    # a results.json from before defects (schema version 1) is grouped on the way
    old = tmp_path / "old"
    old.mkdir()
    document = load(report)
    for finding in document["findings"]:
        finding.pop("defect")
    for key in ("defects",):
        document.pop(key)
    document["schema_version"] = 1
    (old / "results.json").write_text(json.dumps(document))
    upgraded = cli("report", str(old))
    assert upgraded.returncode == 0, upgraded.stderr
    jsonschema.validate(load(old), SCHEMA)
    assert {d["id"] for d in load(old)["defects"]} == {d["id"] for d in load(report)["defects"]}


@pytest.mark.parametrize("args,message", [
    (["/nonexistent"], "holds no results.json"),
    (["{dir}", "--format", "html", "json", "-o", "-"], "exactly one --format"),
    (["{dir}", "--format", "pdf"], "invalid choice"),
])
def test_report_bad_input_is_one_line_exit_2(args, message, tmp_path):
    (tmp_path / "results.json").write_text("{not json")
    result = cli("report", *[a.replace("{dir}", str(tmp_path)) for a in args])
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    broken = cli("report", str(tmp_path))
    assert broken.returncode == 2 and "not a readable results.json" in broken.stderr


@pytest.mark.slow  # three runs and a merge
def test_two_shards_merged_find_what_one_run_finds(tmp_path):
    actions = ["--actions", "CreateVpc", "DescribeVpcs", "DescribeRegions"]
    # the three runs at once, each with its own embedded server
    whole, *shards = concurrently(
        ["run", *BASE, *actions, "--report-dir", str(tmp_path / "whole")],
        *(["run", *BASE, *actions, "--shard", f"{k}/2", "--report-dir",
           str(tmp_path / f"shard{k}")] for k in (1, 2)))
    assert whole.returncode == 1 and all(s.returncode in (0, 1) for s in shards), \
        whole.stderr + "".join(s.stderr for s in shards)
    ran = [{a["action"] for a in load(tmp_path / f"shard{k}")["actions"]} for k in (1, 2)]
    assert ran[0] and ran[1] and not ran[0] & ran[1]  # a split, not a copy
    assert load(tmp_path / "shard1")["run"]["shard"] == "1/2"
    merged = cli("merge", str(tmp_path / "shard1"), str(tmp_path / "shard2"), "--report-dir",
                 str(tmp_path / "merged"))
    assert merged.returncode == 1, merged.stdout + merged.stderr
    one, both = load(tmp_path / "whole"), load(tmp_path / "merged")
    jsonschema.validate(both, SCHEMA)
    assert {f["signature"] for f in both["findings"]} == {f["signature"] for f in one["findings"]}
    assert {d["id"] for d in both["defects"]} == {d["id"] for d in one["defects"]}
    assert both["summary"]["actions"] == one["summary"]["actions"] == 3
    assert both["summary"]["examples"] == sum(load(tmp_path / f"shard{k}")["summary"]["examples"]
                                              for k in (1, 2))
    assert set(both["coverage"]) == set(one["coverage"])
    assert both["run"]["shards"] == [load(tmp_path / f"shard{k}")["run"]["id"] for k in (1, 2)]
    assert (tmp_path / "merged" / "summary.md").is_file()


def test_shard_and_merge_usage_errors(tmp_path):
    bad = cli("run", "--shard", "3/2", "--report-dir", str(tmp_path / "r"))
    assert bad.returncode == 2 and "1 <= K <= N" in bad.stderr
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "results.json").write_text(json.dumps(
        {"schema_version": 2, "findings": [], "defects": [], "run": {}}))
    missing = cli("merge", str(tmp_path / "a"), "--report-dir", str(tmp_path / "out"))
    assert missing.returncode == 2 and "no .parts/" in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1
