"""The HTML report rendered by real headless Chromium: a screenshot, and assertions
on the DOM after the page's own script ran (filters, counts, escaping)."""

import shutil
import subprocess

import pytest
from lxml import html as lxml_html

from ec2_conformance.reporting import apply_baseline, build_document, merge_results, write_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.browser
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"]


def chromium(*args, tmp_path):
    if CHROMIUM is None:
        pytest.fail("chromium is not installed (.ci/run installs Debian's chromium package)")
    profile = tmp_path / "chromium-profile"
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, timeout=120)


@pytest.fixture
def report(results, run_meta, tmp_path):
    doc = build_document(run_meta, merge_results(results),
                         checks=[{"name": "schema", "description": "d", "spec_ref": "s"},
                                 {"name": "status-class", "description": "d", "spec_ref": "s"}],
                         invariants=[], catalog_params={"CreateVpc": ["CidrBlock", "DryRun"]})
    apply_baseline(doc, {doc["findings"][0]["signature"]: {"reason": "known"}}, "baseline.json")
    write_report(doc, tmp_path / "report")
    return tmp_path / "report" / "index.html", doc


def test_rendered_dom(report, tmp_path):
    page, doc = report
    result = chromium("--virtual-time-budget=3000", "--dump-dom", page.as_uri(), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    dom = lxml_html.fromstring(result.stdout)
    # The page's script ran: it fills in how many findings are shown.
    assert dom.get_element_by_id("finding-count").text_content() == f"{len(doc['findings'])} shown"
    assert dom.get_element_by_id("count-violation").text_content() == "2"
    assert dom.get_element_by_id("baseline-accepted").text_content() == "1"
    summaries = [d.text_content() for d in dom.xpath("//details[@class='finding']/summary")]
    assert any("<script>alert(1)</script>" in s for s in summaries)  # shown as text...
    assert not dom.xpath("//script[contains(., 'alert(1)')]")  # ...never as a script
    assert dom.xpath("//pre[@class='reproduce']")[0].text_content().startswith("ec2-conformance reproduce ")
    assert "--aws-sigv4" in dom.xpath("//pre[@class='curl']")[0].text_content()
    assert "REDACTED" in dom.xpath("//pre[@class='request']")[0].text_content()
    matrix_rows = dom.xpath("//table[@id='matrix-table']/tbody/tr")
    assert {r[0].text_content() for r in matrix_rows} == {"CreateVpc", "BundleInstance", "DescribeVpcs"}
    assert dom.xpath("//table[@id='matrix-table']//td[@class='fail']")[0].text_content() == "2"
    assert "http" not in "".join(dom.xpath("//link/@href | //script/@src"))  # self-contained


def test_screenshot(report, tmp_path):
    page, _ = report
    shot = tmp_path / "report.png"
    result = chromium("--window-size=1280,2000", f"--screenshot={shot}", page.as_uri(),
                      tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


def test_the_page_opens_on_the_defects_view(report, tmp_path):
    page, doc = report
    result = chromium("--virtual-time-budget=3000", "--dump-dom", page.as_uri(), tmp_path=tmp_path)
    dom = lxml_html.fromstring(result.stdout)
    first = dom.xpath("//main/h2")[0]
    assert first.get("id") == "defects"  # the first thing below the totals
    shown = dom.xpath("//details[@class='defect']")
    assert [d.get("id") for d in shown] == [f"defect-{d['id']}" for d in doc["defects"]]
    assert dom.get_element_by_id("defect-count").text_content() == f"{len(doc['defects'])} shown"
    assert "1 action" in shown[0].xpath("summary")[0].text_content()
    # matrix and per-action detail are one click away
    assert {a.get("href") for a in dom.xpath("//nav/a")} >= {"#defects", "#matrix", "#actions"}


def test_a_link_opens_the_defects_filtered(report, tmp_path):
    page, doc = report
    url = page.as_uri() + "#defects?severity=not-implemented"
    dom = lxml_html.fromstring(chromium("--virtual-time-budget=3000", "--dump-dom", url,
                                        tmp_path=tmp_path).stdout)
    visible = [d for d in dom.xpath("//details[@class='defect']")]
    assert [d.get("data-severity") for d in visible] == ["not-implemented"]
    assert dom.get_element_by_id("defect-count").text_content() == "1 shown"
    url = page.as_uri() + "#defects?action=CreateVpc&check=schema"
    dom = lxml_html.fromstring(chromium("--virtual-time-budget=3000", "--dump-dom", url,
                                        tmp_path=tmp_path).stdout)
    assert dom.get_element_by_id("defect-count").text_content() == "1 shown"


def default_run_sized(results, run_meta):
    """A document the size of the default run against moto (160 actions, about 1,300
    findings in about 180 defects, with their real bulk: HTML error pages, long fuzzed
    values, stateful step lists)."""
    from ec2_conformance.engine import ActionResult, SavedExample
    from ec2_conformance.outcome import Expectation, Finding, Severity

    page = "<!doctype html><html><title>500 Internal Server Error</title>" + "x" * 4000
    out = []
    for i in range(160):
        action = f"Action{i:03d}"
        result = ActionResult(action=action, suite="stateless", examples=90, valid_examples=40,
                              successes=30, invalid_examples=50)
        result.checks_run.update({"schema": 40, "namespace": 60, "xml-content": 90})
        result.checks_failed.update({"namespace": 60, "xml-content": 6})
        for j, (check, extra) in enumerate([
                ("namespace", dict(expected="http://ec2.amazonaws.com/doc/2014-10-01/",
                                   observed="http://ec2.amazonaws.com/doc/2016-11-15")),
                ("xml-content", dict(observed="not-xml", message="body is HTML (HTTP 500)")),
                ("expected-outcome", dict(expected="error (unknown-parameter)", observed="success",
                                          extra={"rule": f"unknown-parameter:P{i}"})),
                ("schema", dict(expected=f"e{i}", observed="absent", data_type=f"Type{i}",
                                path=f"/{action}Response/set/item")),
                *[("expected-error-code", dict(expected=f"MissingParameter | E{k}", observed=f"Code{k}",
                                               extra={"rule": f"missing-required:P{k}"}))
                  for k in range(4)],
                ("schema", dict(expected="one of {'a'}", observed="zz", data_type="Shared",
                                path=f"/{action}Response/shared")),
        ]):
            fields = {"message": extra.pop("message", f"{check} departs on {action}"), **extra}
            finding = Finding(check, Severity.VIOLATION, action, spec_ref="Data Types > X" * 5,
                              **fields)
            pairs = [("Action", action), ("Version", "2014-10-01"), ("Value", "v" * 3000)]
            exchange = {"request": {"method": "POST", "url": "http://127.0.0.1:1/",
                                    "headers": {"Authorization": "REDACTED"},
                                    "body": "&".join(f"{k}={v}" for k, v in pairs)},
                        "response": {"status": 500, "headers": {"Content-Type": "text/html"},
                                     "body": page}, "elapsed": 0.01}
            result.add_finding(finding, SavedExample(
                kind="stateless", action=action, api_version="2014-10-01", pairs=pairs,
                expectation=Expectation("success"), check=check, exchange=exchange))
        out.append(result)
    return out + results


@pytest.mark.slow  # a default run's worth of findings, rendered and loaded
def test_a_default_run_sized_report_is_lean_and_usable_within_2_seconds(results, run_meta,
                                                                        tmp_path):
    from ec2_conformance.reporting import build_document, write_report

    doc = build_document(run_meta, merge_results(default_run_sized(results, run_meta)),
                         checks=[{"name": "schema", "description": "d", "spec_ref": "s"}],
                         invariants=[], catalog_params={})
    assert len(doc["findings"]) > 1300 and 150 < len(doc["defects"]) < 200
    paths = write_report(doc, tmp_path / "big")
    html_mb = paths["html"].stat().st_size / 1e6
    json_mb = paths["results"].stat().st_size / 1e6
    times = []
    for _ in range(3):
        dom = lxml_html.fromstring(chromium("--dump-dom", paths["html"].as_uri(),
                                            tmp_path=tmp_path).stdout)
        times.append(int(dom.get("data-ready-ms")))
    ready = sorted(times)[1]
    print(f"\ndefault-run-sized report: index.html {html_mb:.2f} MB, results.json "
          f"{json_mb:.2f} MB, usable after {ready} ms (median of {times})")
    assert html_mb <= 3 and json_mb <= 8
    assert ready < 2000, times
