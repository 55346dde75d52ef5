"""The fault catalog: it loads, covers the issue's categories, names real checks, and
every fault changes what passes through the proxy in front of a real moto server."""

import json

import pytest

from ec2_conformance.catalog import load_catalog
from ec2_conformance.faults import Fault, FaultError, FaultProxy, load_fault_catalog
from ec2_conformance.faults import CATEGORIES, answer_digest, parse_fault_catalog, run_probe
from ec2_conformance.protocol import Client

CATALOG = load_fault_catalog()
FAULTS = [spec for spec in CATALOG.faults.values() if spec.category != "none"]


def test_at_least_30_faults_across_every_category_of_the_issue():
    assert len(FAULTS) >= 30
    counts = {c: sum(1 for f in FAULTS if f.category == c) for c in CATEGORIES if c != "none"}
    minimum = {"response-shape": 6, "namespace": 2, "http": 6, "error-envelope": 3,
               "protocol": 4, "state": 6}
    assert {c: n for c, n in counts.items() if n < minimum[c]} == {}
    assert CATALOG.faults["none"].faults == () and CATALOG.faults["none"].disables == ()


def test_caught_by_names_registered_checks_rules_or_invariants():
    from ec2_conformance.checks import REGISTRY, finding_names
    from ec2_conformance.machines import INVARIANTS, load_broken_rules

    known = (set(REGISTRY.names()) | set(INVARIANTS) | set(load_broken_rules())
             | set(finding_names()))
    unknown = {f.name: sorted(set(f.caught_by) - known) for f in FAULTS
               if set(f.caught_by) - known}
    assert unknown == {}
    assert all(f.caught_by for f in FAULTS)


def test_units_are_catalog_actions_and_registered_machines():
    from ec2_conformance.machines import MACHINES

    actions = load_catalog("2014-10-01").actions
    assert {f.name: a for f in FAULTS for a in f.actions if a not in actions} == {}
    assert {f.name: m for f in FAULTS for m in f.machines if m not in MACHINES} == {}


def test_an_accepted_gap_is_explained_in_words():
    gaps = [f for f in FAULTS if f.gap]
    assert all(len(f.gap.split()) >= 8 for f in gaps)
    assert len(gaps) <= len(FAULTS) * 0.05 + 1  # the detection target leaves room for few


def test_a_fault_counted_by_its_warnings_breaks_a_rule_the_spec_does_not_state():
    """``warned``: the rule the fault breaks is not stated (the rule table says so), so its
    detection is a warning; every other fault breaks a stated rule."""
    from ec2_conformance.checks import load_rule_table

    table = load_rule_table("2014-10-01")
    warned = {s.name: s for s in load_fault_catalog().faults.values() if s.warned}
    assert set(warned) == {"namespace-on-error", "http-wrong-content-type"}
    keys = {"namespace-on-error": "namespace:error-envelope",
            "http-wrong-content-type": "content-type"}
    for name, spec in warned.items():
        assert len(spec.warned) > 30 and table[keys[name]].classification != "stated"


def _catalog(**fault):
    entry = {"name": "x", "category": "http", "description": "d", "spec_ref": "s",
             "caught_by": ["schema"], "actions": ["DescribeVpcs"],
             "probe": [{"action": "DescribeVpcs"}], "proxy": [{"status": 500}], **fault}
    return {"reference": [{"name": "ref-unsigned", "when": "unsigned", "forward": False,
                           "error": {"code": "MissingAuthenticationToken"}}],
            "faults": [{"name": "none", "category": "none", "description": "d", "spec_ref": "-",
                        "caught_by": [], "probe": [{"action": "DescribeVpcs"}]}, entry]}


@pytest.mark.parametrize("change, message", [
    ({"category": "weather"}, "category 'weather'"),
    ({"colour": "red"}, "unknown fields ['colour']"),
    ({"proxy": [{"response": [{"op": "explode", "select": "//a"}]}]}, "unknown response op"),
    ({"proxy": [{"response": [{"op": "remove", "select": "//["}]}]}, "bad select"),
    ({"proxy": [{"when": "full-moon"}]}, "unknown request predicate 'full-moon'"),
    ({"proxy": [{"forward": False}]}, "forward=false needs an error or a body"),
    ({"proxy": [{"truncate": 1.5}]}, "truncate is a fraction"),
    ({"proxy": [{"response": [{"op": "rename", "select": "//a"}]}]}, "rename needs a 'to'"),
    ({"proxy": [], "disables": []}, "changes nothing"),
    ({"disables": ["ref-nothing"]}, "unknown reference guards"),
    ({"actions": []}, "names no actions or machines"),
    ({"phases": ["valid", "lunar"]}, "unknown phases"),
    ({"probe": []}, "has no probe"),
])
def test_a_bad_catalog_entry_is_one_clear_error(change, message):
    with pytest.raises(FaultError, match="fault 'x(#1)?'") as info:
        parse_fault_catalog(_catalog(**change))
    assert message in str(info.value) and "\n" not in str(info.value)


def test_a_duplicate_or_missing_none_is_refused():
    data = _catalog()
    data["faults"].append(dict(data["faults"][1]))
    with pytest.raises(FaultError, match="listed twice"):
        parse_fault_catalog(data)
    data = _catalog()
    del data["faults"][0]
    with pytest.raises(FaultError, match="'none' fault"):
        parse_fault_catalog(data)


def test_select_names_and_rejects_unknown_faults():
    assert [f.name for f in CATALOG.select(["http-200-for-error", "none"])] == [
        "http-200-for-error"]
    assert len(CATALOG.select(None)) == len(FAULTS)
    with pytest.raises(FaultError, match="unknown fault 'nope'"):
        CATALOG.select(["nope"])


def test_target_faults_keep_the_guards_a_fault_does_not_disable():
    spec = CATALOG.faults["protocol-accepts-unsigned"]
    names = [f.name for f in CATALOG.target_faults(spec)]
    assert "ref-unsigned" not in names and "ref-bad-signature" in names
    assert [f.name for f in CATALOG.target_faults(None)] == [f.name for f in CATALOG.reference]


# -- through the proxy, against the real embedded moto server ---------------------------
@pytest.fixture(scope="module")
def reference(moto_target):
    with FaultProxy(moto_target.endpoint, CATALOG.reference) as proxy:
        yield proxy


def _probe(moto_target, proxy, faults, steps, *, read_timeout=10.0):
    moto_target.reset()
    proxy.set_faults(faults)
    with Client(proxy.endpoint, read_timeout=read_timeout, max_retries=0) as client:
        return run_probe(client, list(steps))


def test_the_reference_target_serves_correctly_signed_requests(moto_target, reference):
    for method in ("POST", "GET"):
        reference.set_faults(CATALOG.reference)
        with Client(reference.endpoint, method=method) as client:
            exchange = client.call("DescribeVpcs", {"Filters": [{"Name": "is-default",
                                                                  "Values": ["true"]}]})
        assert exchange.response.status == 200, exchange.response.body[:300]
        assert b'xmlns="http://ec2.amazonaws.com/doc/2014-10-01/"' in exchange.response.body


@pytest.fixture(scope="module")
def reference_answers(moto_target, reference):
    """Each distinct probe's answer from the reference target, twice (probes repeat a lot)."""
    answers = {}
    for spec in FAULTS:
        key = json.dumps(spec.probe, sort_keys=True)
        if key not in answers:
            answers[key] = [answer_digest(_probe(moto_target, reference, CATALOG.reference,
                                                 spec.probe)) for _ in range(2)]
    return answers


def test_probes_answer_the_same_twice_on_the_reference_target(reference_answers):
    """Without this, 'the fault changed the answer' below could be run-to-run noise."""
    assert [json.loads(k) for k, (a, b) in reference_answers.items() if a != b] == []
    assert all(a[0] != "no answer" for a, _ in reference_answers.values())


@pytest.mark.parametrize("spec", FAULTS, ids=lambda s: s.name)
def test_every_fault_changes_what_passes_through_the_proxy(moto_target, reference,
                                                           reference_answers, spec):
    before = reference_answers[json.dumps(spec.probe, sort_keys=True)][0]
    delays = [f.delay for f in spec.faults if f.delay]
    after = _probe(moto_target, reference, CATALOG.target_faults(spec), spec.probe,
                   read_timeout=min(delays) / 2 if delays else 10.0)
    assert answer_digest(after) != before
    if spec.faults:
        assert sum(reference.applied.get(f.name, 0) for f in spec.faults) >= 1


def test_guards_answer_without_asking_moto(moto_target, reference):
    """A refused request never reaches moto: a refused DryRun creates nothing."""
    moto_target.reset()
    reference.set_faults(CATALOG.reference)
    with Client(reference.endpoint) as client:
        count = _vpcs(client)
        refused = client.call("CreateVpc", {"CidrBlock": "10.0.0.0/16", "DryRun": True})
        assert b"<Code>DryRunOperation</Code>" in refused.response.body
        assert refused.response.status == 412
        assert _vpcs(client) == count


def _vpcs(client):
    body = client.call("DescribeVpcs", {}).response.body
    return body.count(b"<vpcId>")


def test_new_proxy_features_edit_as_described(moto_target):
    """rename, namespace, headers, truncate, when_code and {param:...} (data-only faults)."""
    faults = [
        Fault("rename", action="DescribeVpcs",
              response=({"op": "rename", "select": "//vpcSet/item", "to": "member"},),
              namespace="", headers={"Content-Type": "application/json"}),
        Fault("canned", action="DeleteVpc", when_code="InvalidVpcID.*", status=200,
              body="<ok>{action} {param:VpcId}</ok>"),
        Fault("cut", action="DescribeRegions", truncate=0.5),
    ]
    moto_target.reset()
    with FaultProxy(moto_target.endpoint, faults) as proxy, Client(proxy.endpoint) as client:
        described = client.call("DescribeVpcs", {}).response
        assert described.headers["Content-Type"] == "application/json"
        assert b"<member>" in described.body and b"xmlns" not in described.body
        deleted = client.call("DeleteVpc", {"VpcId": "vpc-1234&5678"}).response
        assert (deleted.status, deleted.body) == (200, b"<ok>DeleteVpc vpc-1234&amp;5678</ok>")
        created = client.call("CreateVpc", {"CidrBlock": "10.0.0.0/16"}).response
        vpc_id = created.body.split(b"<vpcId>")[1].split(b"<")[0].decode()
        kept = client.call("DeleteVpc", {"VpcId": vpc_id}).response  # succeeds: untouched
        assert kept.status == 200 and b"<ok>" not in kept.body
        regions = client.call("DescribeRegions", {}).response
        assert regions.body.startswith(b"<?xml") and not regions.body.rstrip().endswith(b">")
        assert proxy.applied == {"rename": 1, "canned": 1, "cut": 1}


def test_catalog_file_is_the_documented_shape():
    from importlib import resources

    data = json.loads(resources.files("ec2_conformance.faults").joinpath(
        "catalog.json").read_text("utf-8"))
    assert data["api_version"] == "2014-10-01"
    assert all("why" in guard for guard in data["reference"])
