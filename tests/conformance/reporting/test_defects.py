"""Defects: the grouping key decided per family in defects.json, held to its promise.

Two causes never share a defect; one cause never splits because of a random parameter
name, a resource ID, a count or a timestamp; a defect's id is the same on every run and
seed.  The findings here are the shapes the checks, the engine and the machines make
(taken from a default run against moto); the last tests run the suite itself.
"""

import pytest

from ec2_conformance.checks import all_checks
from ec2_conformance.engine import run_stateless_action
from ec2_conformance.machines import all_invariants
from ec2_conformance.outcome import Finding, Severity
from ec2_conformance.reporting import build_defects
from ec2_conformance.reporting._defects import load_table
from ec2_conformance.reporting._facets import FacetContext, generalise

NS_2016 = "http://ec2.amazonaws.com/doc/2016-11-15"
NS_2014 = "http://ec2.amazonaws.com/doc/2014-10-01/"


def finding(check, action, *, severity=Severity.VIOLATION, message="m", expected=None,
            observed=None, data_type=None, path=None, rule=None, seen_in="stateless", **extra):
    f = Finding(check, severity, action, message, "spec", expected, observed, data_type, path,
                extra={**({"rule": rule} if rule is not None else {}), **extra}).to_json()
    return {**f, "id": f["signature"], "occurrences": 1, "seen_in": [seen_in],
            "example": None, "exchange": None}


def defect_ids(*findings):
    build_defects(list(findings), "2014-10-01")
    return [f["defect"] for f in findings]


def namespace(action):
    return finding("namespace", action, expected=NS_2014, observed=NS_2016,
                   path=f"/{action}Response",
                   message=f"response namespace is {NS_2016}, API version 2016-11-15's "
                           f"namespace,; expected {NS_2014}")


def unknown_param(action, name):
    return finding("expected-outcome", action, expected="error (unknown-parameter)",
                   observed="success", rule=f"unknown-parameter:{name}",
                   message=f"expected an error (unknown-parameter:{name}), got success (HTTP 200)")


def wrong_code(action, rule, code, expected):
    return finding("expected-error-code", action, expected=expected, observed=code, rule=rule,
                   message=f"error code {code} is not among the expected {expected} ({rule})")


SAME_CAUSE = {
    "namespace on every action": [namespace("DescribeVpcs"), namespace("CreateTags")],
    "an unknown parameter with random names": [unknown_param("CreateVpc", "ZqNnrb"),
                                               unknown_param("DeleteTags", "aB")],
    "a missing ID answered with that ID kind's own NotFound code": [
        wrong_code("DeleteVpc", "missing-required:VpcId", "InvalidVpcID.NotFound",
                   "InvalidParameterCombination | MissingAction | MissingParameter"),
        wrong_code("DeleteSubnet", "missing-required:SubnetId", "InvalidSubnetID.NotFound",
                   "InvalidParameterCombination | MissingAction | MissingParameter")],
    "a DryRun side effect, whatever the counts": [
        finding("dry-run-no-side-effect", "CreateVpc", expected="24", observed="25"),
        finding("dry-run-no-side-effect", "CreateSubnet", expected="12", observed="13")],
    "<return> missing from each action's own response type": [
        finding("schema", "DeleteVpc", expected="return", observed="absent",
                data_type="DeleteVpcResponseType", path="/DeleteVpcResponse"),
        finding("schema", "CreateTags", expected="return", observed="absent",
                data_type="CreateTagsResponseType", path="/CreateTagsResponse")],
    "an enumeration broken by the value the request echoed": [
        finding("schema", "CreateVpc", expected="one of {'default', 'dedicated'}",
                observed="zz-makwf", data_type="Vpc", path="/CreateVpcResponse/vpc/instanceTenancy"),
        finding("schema", "DescribeVpcs", expected="one of {'default', 'dedicated'}",
                observed="zz-aaa", data_type="Vpc",
                path="/DescribeVpcsResponse/vpcSet/item/instanceTenancy")],
    "an invariant seen with other resource IDs and a run's client token": [
        finding("client-token-idempotent", None, seen_in="stateful:compute",
                expected="the first request's instances", observed="['i-6be4b191818390848']",
                message="RunInstances repeated with ClientToken '20261130T093856Z-8d2101-token-1'"),
        finding("client-token-idempotent", None, seen_in="stateful:compute",
                expected="the first request's instances", observed="['i-077c6a0a5b6751eb3']",
                message="RunInstances repeated with ClientToken '20261201T101010Z-aaaaaa-token-3'")],
    "an HTML 500 page, whatever its timestamp": [
        finding("xml-content", "CreateVpc", expected="an XML document", observed="not-xml",
                message="body is HTML, not XML: it starts '<html>at 2026-11-30T09:00:01Z' "
                        "(HTTP 500, text/html)"),
        finding("xml-content", "DeleteVpc", expected="an XML document", observed="not-xml",
                message="body is HTML, not XML: it starts '<html>at 2026-12-01T10:11:12Z' "
                        "(HTTP 500, text/html)")],
    "a machine rule and the stateless check seeing the same request": [
        finding("vpc-netmask-range", "CreateVpc", seen_in="stateful:networking",
                expected="error InvalidVpcRange", observed="HTTP 400 InvalidVpc.Range"),
        wrong_code("CreateVpc", "cidr-out-of-range:CidrBlock/8", "InvalidVpc.Range",
                   "InvalidParameterValue | InvalidVpcRange")],
    "a machine rule accepted, the stateless case accepted": [
        finding("subnet-netmask-range", "CreateSubnet", seen_in="stateful:networking",
                expected="error InvalidVpcRange", observed="HTTP 200 success"),
        finding("expected-outcome", "CreateSubnet", expected="error (cidr-out-of-range)",
                observed="success", rule="cidr-out-of-range:CidrBlock/29")],
    "a valid request refused alike by a machine and the stateless suite": [
        finding("stateful-valid-request-refused", "CreateVpc", seen_in="stateful:networking",
                expected="success", observed="HTTP 400 InvalidParameterValue"),
        finding("expected-outcome", "CreateVpc", expected="success", observed="error", rule="",
                message="expected success, got error InvalidParameterValue")],
}

OTHER_CAUSES = {
    "two namespaces": [namespace("DescribeVpcs"),
                       {**namespace("CreateTags"), "observed": "http://example.com/"}],
    "two rules, both accepted": [
        unknown_param("CreateVpc", "x"),
        finding("expected-outcome", "CreateVpc", expected="error (missing-required)",
                observed="success", rule="missing-required:CidrBlock")],
    "one rule accepted, one refused with the wrong code": [
        unknown_param("CreateVpc", "x"),
        wrong_code("CreateVpc", "unknown-parameter:y", "InvalidParameterValue", "UnknownParameter")],
    "another ID kind's NotFound code is not the parameter's own": [
        wrong_code("DeleteVpc", "missing-required:VpcId", "InvalidVpcID.NotFound", "Missing"),
        wrong_code("DescribeNetworkAcls", "malformed-id:NetworkAclId.N",
                   "InvalidRouteTableID.NotFound", "InvalidNetworkAclID.NotFound")],
    "two codes for one rule": [
        wrong_code("DeleteVpc", "nonexistent-id:VpcId", "InvalidParameterValue", "x"),
        wrong_code("DeleteVpc", "nonexistent-id:VpcId", "InternalError", "x")],
    "a violation and a warning": [
        wrong_code("DeleteVpc", "nonexistent-id:VpcId", "InvalidParameterValue", "x"),
        {**wrong_code("DeleteVpc", "nonexistent-id:VpcId", "InvalidParameterValue", "x"),
         "severity": "warning"}],
    "an HTML 500 and an HTML 404": [
        finding("xml-content", "CreateVpc", observed="not-xml",
                message="body is HTML, not XML: it starts '<html>' (HTTP 500, text/html)"),
        finding("xml-content", "CreateVpc", observed="not-xml",
                message="body is HTML, not XML: it starts '<html>' (HTTP 404, text/html)")],
    "an HTML body and an empty one": [
        finding("xml-content", "CreateVpc", observed="not-xml",
                message="body is HTML, not XML: it starts '<html>' (HTTP 500, text/html)"),
        finding("xml-content", "CreateVpc", observed="empty",
                message="body is empty; an EC2 response is an XML document (HTTP 500, -)")],
    "two elements of one data type": [
        finding("schema", "DescribeImages", expected="one of {'ebs', 'instance-store'}",
                observed="standard", data_type="Image", path="/R/imagesSet/item/rootDeviceType"),
        finding("schema", "DescribeImages", expected="one of {'Windows', 'windows'}",
                observed="Linux/UNIX", data_type="Image", path="/R/imagesSet/item/platform")],
    "an element missing and an element malformed": [
        finding("schema", "DescribeVpcs", expected="vpcId", observed="absent", data_type="Vpc",
                path="/R/vpcSet/item"),
        finding("schema", "DescribeVpcs", expected="vpcId", observed="vpc 1", data_type="Vpc",
                path="/R/vpcSet/item")],
    "two machine rules": [
        finding("tag-limit", "CreateTags", expected="error TagLimitExceeded",
                observed="HTTP 200 success"),
        finding("vpc-in-use", "DeleteVpc", expected="error DependencyViolation",
                observed="HTTP 200 success")],
    "valid requests of two actions refused": [
        finding("expected-outcome", "CreateVpc", expected="success", observed="error",
                message="expected success, got error InvalidParameterValue"),
        finding("expected-outcome", "CreateSubnet", expected="success", observed="error",
                message="expected success, got error InvalidParameterValue")],
    "two invariants": [
        finding("subnets-do-not-overlap", None, expected="disjoint", path="subnet/CidrBlock"),
        finding("client-token-idempotent", None, expected="disjoint", path="subnet/CidrBlock")],
}


@pytest.mark.parametrize("case", sorted(SAME_CAUSE))
def test_one_cause_is_one_defect(case):
    ids = defect_ids(*SAME_CAUSE[case])
    assert len(set(ids)) == 1, (case, ids)


@pytest.mark.parametrize("case", sorted(OTHER_CAUSES))
def test_two_causes_never_share_a_defect(case):
    ids = defect_ids(*OTHER_CAUSES[case])
    assert len(set(ids)) == 2, (case, ids)


def test_every_registered_check_has_its_grouping_decided_in_the_table():
    """One place decides each check's key; a new check must be added there."""
    table = load_table()
    ctx = FacetContext("2014-10-01", table.same_rule)
    for check in all_checks():
        family, _ = table.family_of(check.name, ctx)
        assert family in table.families, f"check {check.name!r} has no entry in defects.json"
    for invariant in all_invariants():
        expected = "rule" if invariant.name in ctx.machine_rules else "invariant"
        assert table.family_of(invariant.name, ctx)[0] == expected, invariant.name


def test_a_defect_carries_reach_counts_data_types_and_its_smallest_example():
    small = {**namespace("CreateTags"), "example": {"pairs": [["Action", "CreateTags"]],
                                                    "steps": []}}
    large = {**namespace("DescribeVpcs"), "occurrences": 3,
             "example": {"pairs": [["Action", "DescribeVpcs"], ["VpcId.1", "vpc-1"]], "steps": []}}
    stateful = {**namespace("CreateVpc"), "seen_in": ["stateful:networking"],
                "example": {"pairs": [], "steps": [{"pairs": [["Action", "CreateVpc"]]}]}}
    [defect] = build_defects([large, stateful, small], "2014-10-01")
    assert defect["actions"] == {"CreateTags": 1, "CreateVpc": 1, "DescribeVpcs": 3}
    assert defect["reach"] == 3 and defect["occurrences"] == 5
    assert defect["exemplar"]["finding"] == small["id"]
    assert defect["seen_in"] == ["stateful:networking", "stateless"]
    assert defect["severity"] == "violation" and defect["spec_ref"] == "spec"
    assert "2016-11-15" in defect["title"] and "2014-10-01" in defect["title"]


def test_generalise_keeps_what_tells_causes_apart():
    assert generalise("from sg-0a1b2c3d at 10.0.0.0/16 on 2026-11-30T09:00:00Z") == \
        "from <id> at <address> on <time>"
    assert generalise(NS_2016) == NS_2016  # a namespace's date is not a timestamp
    assert generalise("3 rules, token 'x1'", shape=True) == "<n> rules, token '…'"


def test_defect_ids_are_pinned():
    """The id is a hash of the cause: a change to it breaks every saved baseline."""
    assert defect_ids(namespace("DescribeVpcs"))[0] == "D5971a52f3e"
    assert defect_ids(unknown_param("CreateVpc", "q"))[0] == "Dc236b508f8"


def test_same_defects_on_another_seed(moto_target):
    """Two seeds send other requests (other random names, other IDs): the namespace and
    unknown-parameter causes keep their ids."""
    from ec2_conformance.catalog import load_catalog
    from ec2_conformance.protocol import Client
    from ec2_conformance.world import World

    catalog = load_catalog("2014-10-01")
    seen = []
    for seed in (1, 2):
        moto_target.reset()
        with Client(moto_target.endpoint) as client:
            world = World.build(client, catalog, run_id=f"defects-{seed}")
            result = run_stateless_action(client, catalog, "CreateVpc", world, seed=seed,
                                          max_examples=6, phases=("valid", "invalid"))
        findings = [{**r.to_json(), "id": sig, "seen_in": ["stateless"]}
                    for sig, r in result.findings.items()]
        seen.append({d["id"]: d for d in build_defects(findings, "2014-10-01")})
    common = set(seen[0]) & set(seen[1])
    assert "D5971a52f3e" in common  # the namespace moto serves
    assert {d["title"] for i, d in seen[0].items() if i not in common}.isdisjoint(
        {d["title"] for i, d in seen[1].items() if i not in common})  # no title split in two


def test_a_family_of_several_checks_keys_on_the_check_unless_they_see_one_departure():
    table = load_table()
    merging = {"rule", "implemented"}  # their checks report the same departure alike
    for name, family in table.families.items():
        if len(family["checks"]) > 1 and name not in merging:
            assert "check" in family["key"], name


def test_a_machine_and_the_stateless_suite_word_a_server_failure_alike():
    machine = finding("stateful-valid-request-refused", "DetachVolume",
                      seen_in="stateful:storage", expected="success",
                      observed="HTTP 500, unreadable: not-xml: body is HTML, not XML: it starts")
    stateless = finding("expected-outcome", "DetachVolume", expected="success", observed="error",
                        rule="", message="expected success, got HTTP 500")
    assert len(set(defect_ids(machine, stateless))) == 1
    [defect] = build_defects([machine, stateless], "2014-10-01")
    assert defect["title"] == "a valid DetachVolume request: failed with HTTP 500"


def test_a_rule_that_is_also_an_invariant_is_named_as_the_rule():
    [defect] = build_defects([finding("security-group-rule-limit", "AuthorizeSecurityGroupIngress",
                                      expected="error RulesPerSecurityGroupLimitExceeded",
                                      observed="HTTP 200 success")], "2014-10-01")
    assert defect["family"] == "rule" and defect["title"].endswith(": accepted")
