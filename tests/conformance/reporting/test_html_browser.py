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
