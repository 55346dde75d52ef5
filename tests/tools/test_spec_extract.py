"""tools/spec_extract.py: the committed catalog and samples are a fresh run's
output, and what they say about the spec text holds."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from botocore.loaders import Loader
from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tools" / "spec_extract.py"
CATALOG = ROOT / "conformance" / "catalog" / "data" / "spec-2014-10-01.json"
SAMPLES = ROOT / "tests" / "data" / "spec_samples" / "2014-10-01.json"
# The spec's samples carry the namespace WITH a trailing slash; botocore's
# metadata xmlNamespace has none.
NAMESPACE = "http://ec2.amazonaws.com/doc/2014-10-01/"

# Well-formed sample responses whose root or namespace is not the usual
# <ActionResponse xmlns=NAMESPACE>, keyed (action, example_index).
ROOT_EXCEPTIONS = {
    ("AssignPrivateIpAddresses", 1): "root printed as <AssignPrivateIpAddresses>, no 'Response'",
    ("AssignPrivateIpAddresses", 2): "root printed as <AssignPrivateIpAddresses>, no 'Response'",
    ("CancelExportTask", 1): "root printed as <CancelExportTask>, no 'Response'",
    ("EnableVgwRoutePropagation", 1): "root printed as <EnableVgwRoutePropagation>",
    ("UnassignPrivateIpAddresses", 1): "root printed as <UnassignPrivateIpAddresses>",
    ("DescribeVolumes", 1): "namespace is http://ec2.amazonaws.com/doc/2014-06-15/ (older API)",
}

_NS_BREAK = "line break inside the xmlns value; libxml2 rejects the URI"
_TAG_BREAK = "a tag name or text wrapped onto the next line"
_PAGES = "page-break fragments that do not fit together"
# Sample responses that are not well-formed as printed (kept, flagged).
NOT_WELL_FORMED = {
    ("AuthorizeSecurityGroupEgress", 1): _NS_BREAK,
    ("AuthorizeSecurityGroupEgress", 2): _NS_BREAK,
    ("CancelSpotInstanceRequests", 1): _NS_BREAK,
    ("CreateSpotDatafeedSubscription", 1): _NS_BREAK,
    ("DescribeNetworkInterfaceAttribute", 1): _NS_BREAK,
    ("DescribeReservedInstancesOfferings", 1): _NS_BREAK + "; also " + _TAG_BREAK,
    ("DescribeSpotDatafeedSubscription", 1): _NS_BREAK,
    ("ModifyNetworkInterfaceAttribute", 1): _NS_BREAK,
    ("PurchaseReservedInstancesOffering", 1): _NS_BREAK,
    ("PurchaseReservedInstancesOffering", 2): _NS_BREAK,
    ("ReplaceNetworkAclAssociation", 1): _NS_BREAK,
    ("ReplaceRouteTableAssociation", 1): _NS_BREAK,
    ("ResetNetworkInterfaceAttribute", 1): _NS_BREAK,
    ("CancelReservedInstancesListing", 1): _TAG_BREAK,
    ("CreateReservedInstancesListing", 1): _TAG_BREAK + "; " + _PAGES,
    ("DescribeExportTasks", 1): "closing tag printed as '</ DescribeExportTasksResponse>'",
    ("DescribeImages", 3): _TAG_BREAK,
    ("DescribeKeyPairs", 1): _TAG_BREAK,
    ("DescribeReservedInstances", 1): _TAG_BREAK,
    ("DescribeReservedInstancesListings", 1): _TAG_BREAK,
    ("DescribeRouteTables", 1): _TAG_BREAK,
    ("ImportKeyPair", 1): _TAG_BREAK,
    ("ImportVolume", 1): "unescaped '&' in a URL, wrapped over several lines",
    ("ModifyReservedInstances", 1): _TAG_BREAK,
    ("DescribeConversionTasks", 1): "unescaped '&' in importManifestUrl",
    ("ImportInstance", 1): "unescaped '&' in importManifestUrl",
    ("DescribeCustomerGateways", 1): "mismatched tags",
    ("DescribeInstanceStatus", 3): "mismatched tags (</instanceStatus> closes <systemStatus>)",
    ("DescribeVolumeStatus", 1): "<VolumeId> closed by </volumeId>; root <DescribeVolumeStatus>",
    ("DescribeVpcPeeringConnections", 1): "xmlns value lacks its opening quote",
    ("DescribeAccountAttributes", 2): "two documents and '?????' in one block",
    ("DescribeTags", 4): "root printed self-closing: <DescribeTagsResponse ... />",
    ("DescribeTags", 5): "root printed self-closing: <DescribeTagsResponse ... />",
}


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def catalog():
    return load(CATALOG)


@pytest.fixture(scope="module")
def samples():
    return load(SAMPLES)


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory, spec_path):
    out = tmp_path_factory.mktemp("spec_extract")
    subprocess.run([sys.executable, str(SCRIPT), "--spec", str(spec_path),
                    "--catalog-out", str(out / "catalog.json"),
                    "--samples-out", str(out / "samples.json")],
                   check=True, capture_output=True)
    return out


@pytest.mark.parametrize("fresh,committed", [("catalog.json", CATALOG),
                                             ("samples.json", SAMPLES)])
def test_committed_output_is_a_fresh_run(regenerated, fresh, committed):
    assert (regenerated / fresh).read_bytes() == committed.read_bytes(), (
        f"{committed.relative_to(ROOT)} is stale: run python tools/spec_extract.py")


def test_actions_are_exactly_botocores(catalog):
    model = Loader().load_service_model("ec2", "service-2", "2014-10-01")
    assert len(catalog["action_list"]) == 160
    assert sorted(catalog["action_list"]) == sorted(model["operations"])
    assert sorted(catalog["actions"]) == sorted(model["operations"])
    assert catalog["corrections"] == [
        {"listed": "DescribeInstanceState", "actual": "DescribeInstanceStatus"}]


def test_parameters_are_clean(catalog):
    for action, entry in catalog["actions"].items():
        assert entry["params"], action
        for param in entry["params"]:
            assert re.fullmatch(r"[A-Za-z][A-Za-z0-9]*(\.(N|[A-Za-z0-9]+))*", param["name"]), param
            assert isinstance(param["required"], bool)
            assert "(p." not in param["type"] and "[" not in param["type"], param
            assert all(v and "|" not in v and "`" not in v for v in param.get("valid_values", ()))
        assert {e["name"] for e in entry["response_elements"]} >= {"requestId"}, action


def test_known_parameters(catalog):
    params = {p["name"]: p for p in catalog["actions"]["DescribeInstances"]["params"]}
    assert params["Filter.N"]["type"] == "Filter list"
    assert params["InstanceId.N"]["type"] == "String list"
    vpc = {p["name"]: p for p in catalog["actions"]["CreateVpc"]["params"]}
    assert vpc["CidrBlock"]["required"] is True
    assert vpc["InstanceTenancy"]["valid_values"] == ["default", "dedicated"]
    run = {p["name"]: p for p in catalog["actions"]["RunInstances"]["params"]}
    assert run["BlockDeviceMapping.N"]["type"] == "BlockDeviceMapping list"
    # A value list wrapped over three lines in the spec is read whole.
    spot = {p["name"]: p for p in catalog["actions"]["DescribeSpotPriceHistory"]["params"]}
    assert len(spot["InstanceType.N"]["valid_values"]) == 47
    assert "d2.8xlarge" in spot["InstanceType.N"]["valid_values"]


def test_data_types(catalog):
    types = catalog["data_types"]
    assert len(types) == 135
    # Headings the spec misprints are filed under the real names.
    assert "SpotInstanceStatus" in types and "UserIdGroupPair" in types
    assert "SpotInstanceState" not in types and "UserGroupIdPair" not in types
    ebs = {m["name"]: m for m in types["EbsBlockDevice"]["members"]}
    assert ebs["VolumeSize"]["response_name"] == "volumeSize"
    assert ebs["VolumeType"]["valid_values"] == ["standard", "io1", "gp2"]


def test_error_tables(catalog):
    counts = {k: len(catalog[k]) for k in
              ("common_client_errors", "specific_client_errors", "server_errors")}
    assert counts == {"common_client_errors": 24, "specific_client_errors": 158,
                      "server_errors": 7}
    for key in counts:
        for row in catalog[key]:
            assert re.fullmatch(r"[A-Za-z0-9]+(\.[A-Za-z0-9]+)*", row["code"]), row
            assert "<" not in row["description"] and row["description"], row
    specific = {r["code"] for r in catalog["specific_client_errors"]}
    assert {"InvalidVpcID.NotFound", "InvalidGroupId.Malformed", "InvalidGroup.NotFound",
            "Resource.AlreadyAssociated", "VPCIdNotSpecified"} <= specific


def test_common_parameters(catalog):
    params = {p["name"]: p for p in catalog["common_parameters"]}
    assert params["Action"]["required"] and params["Version"]["required"]
    assert params["Action"]["signature_versions"] == ["2", "4"]
    assert params["X-Amz-Credential"]["signature_versions"] == ["4"]
    assert "condition" in params["Timestamp"] and not params["Timestamp"]["required"]


def test_sample_counts(samples):
    assert len(samples["requests"]) == 248
    assert len(samples["responses"]) == 182
    keys = [(r["action"], r["example_index"]) for r in samples["responses"]]
    assert len(keys) == len(set(keys)), "responses are identified by (action, example_index)"


# Sample requests that do not call their own section's action.
OTHER_REQUESTS = {
    ("CreateKeyPair", None): "a 'chmod 400 my-key-pair.pem' shell command labelled Sample Request",
    ("DescribeSpotInstanceRequests", "DescribeInstances"): "the lifecycle=spot filter alternative",
    ("DisableVgwRoutePropagation", "DisableVgwRoutePropagationResponse"): "typo in the spec",
}


def test_sample_requests_name_their_action(samples):
    others = set()
    for sample in samples["requests"]:
        text = re.sub(r"\s+", "", sample["text"])
        if sample["request_action"] == sample["action"]:
            assert text.startswith("https://") and f"Action={sample['action']}" in text, sample
        else:
            others.add((sample["action"], sample["request_action"]))
            assert sample["note"], sample
    assert others == set(OTHER_REQUESTS)


def _parse(body):
    try:
        return etree.fromstring(body.encode("utf-8"))
    except etree.XMLSyntaxError:
        return None


def test_well_formed_flags_agree_with_lxml(samples):
    flagged = {}
    for sample in samples["responses"]:
        key = (sample["action"], sample["example_index"])
        parsed = _parse(sample["body"])
        assert (parsed is not None) == (sample.get("well_formed", True)), key
        if parsed is None:
            assert sample["note"].startswith("not well-formed XML as printed"), key
            flagged[key] = sample["note"]
    assert set(flagged) == set(NOT_WELL_FORMED)


def test_response_roots_and_namespace(samples):
    seen = set()
    for sample in samples["responses"]:
        root = _parse(sample["body"])
        if root is None:
            continue
        key = (sample["action"], sample["example_index"])
        name = etree.QName(root)
        expected = name.localname in (f"{sample['action']}Response", "Response")
        if not (expected and name.namespace == NAMESPACE):
            assert key in ROOT_EXCEPTIONS, (key, name.localname, name.namespace)
            seen.add(key)
    assert seen == set(ROOT_EXCEPTIONS)
