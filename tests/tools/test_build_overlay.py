"""tools/build_overlay.py: the committed overlay is a fresh run's output, and it
is consistent with the spec catalog and with botocore's model.

The required-flag and wire-name checks here are written against botocore's
Shape API and serializer, independently of the builder's own dict walking.
"""

import datetime
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from botocore.loaders import Loader
from botocore.model import ServiceModel
from botocore.serialize import create_serializer

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tools" / "build_overlay.py"
CATALOG = ROOT / "conformance" / "catalog" / "data" / "spec-2014-10-01.json"
OVERLAY = ROOT / "conformance" / "catalog" / "data" / "overlay-2014-10-01.json"

# Maps whose keys are names and whose values are entries (or plain kinds).
CONTAINERS = {"actions", "id_kinds", "enums", "enum_differences", "reasons"}


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def overlay():
    return load(OVERLAY)


@pytest.fixture(scope="module")
def catalog():
    return load(CATALOG)


@pytest.fixture(scope="module")
def model():
    return ServiceModel(Loader().load_service_model("ec2", "service-2", "2014-10-01"), "ec2")


def test_committed_overlay_is_a_fresh_run(tmp_path):
    # The builder reads only committed files and botocore, so this runs
    # even where the spec text is absent.
    out = tmp_path / "overlay.json"
    subprocess.run([sys.executable, str(SCRIPT), "--out", str(out)],
                   check=True, capture_output=True)
    assert out.read_bytes() == OVERLAY.read_bytes(), (
        "overlay is stale: run python tools/build_overlay.py")


def test_header(overlay):
    assert overlay["api_version"] == "2014-10-01"
    assert overlay["spec"] == "000_9140317b0454c1a2.txt"
    assert len(overlay["actions"]) == 160


def _entries_without_spec_ref(node, path=()):
    if isinstance(node, list):
        for i, item in enumerate(node):
            yield from _entries_without_spec_ref(item, path + (i,))
        return
    if not isinstance(node, dict):
        return
    is_container = path == () or (path and path[-1] in CONTAINERS) or path[-1:] == ("id_params",)
    if not is_container and "spec_ref" not in node:
        yield path
    for key, value in node.items():
        if key != "id_params":
            yield from _entries_without_spec_ref(value, path + (key,))


def test_every_entry_has_a_spec_ref(overlay):
    assert list(_entries_without_spec_ref(overlay)) == []


def test_every_id_param_kind_is_an_id_kind(overlay):
    kinds = set(overlay["id_kinds"])
    for action, entry in overlay["actions"].items():
        assert set(entry["id_params"].values()) <= kinds, action


def test_id_kind_codes_are_spec_codes(overlay, catalog):
    specific = {r["code"] for r in catalog["specific_client_errors"]}
    for kind, entry in overlay["id_kinds"].items():
        codes = [entry["malformed"], entry["not_found"], *entry["other_codes"]]
        assert {c for c in codes if c} <= specific, kind
    sg = overlay["id_kinds"]["security_group"]
    assert (sg["prefix"], sg["malformed"], sg["not_found"]) == (
        "sg-", "InvalidGroupId.Malformed", "InvalidGroup.NotFound")
    assert overlay["id_kinds"]["vpc"]["malformed"] is None  # the spec lists none


def _fill(shape):
    """A value for every member of `shape`, one element per list."""
    kind = shape.type_name
    if kind == "structure":
        return {name: _fill(member) for name, member in shape.members.items()}
    if kind == "list":
        return [_fill(shape.member)]
    if kind == "string":
        return shape.enum[0] if getattr(shape, "enum", None) else "x"
    return {"integer": 1, "long": 1, "boolean": True, "double": 1.5, "float": 1.5,
            "blob": b"x", "timestamp": datetime.datetime(2015, 1, 1)}[kind]


def _serialized_names(model, action):
    op = model.operation_model(action)
    body = create_serializer("ec2").serialize_to_request(_fill(op.input_shape), op)["body"]
    return {re.sub(r"\.1(?=\.|$)", ".N", k) for k in body} - {"Action", "Version"}


def test_id_params_are_wire_names_botocore_sends(overlay, model):
    for action, entry in overlay["actions"].items():
        assert set(entry["id_params"]) <= _serialized_names(model, action), action
    assert overlay["actions"]["DescribeInstances"]["id_params"] == {"InstanceId.N": "instance"}
    run = overlay["actions"]["RunInstances"]["id_params"]
    assert run["NetworkInterface.N.SubnetId"] == "subnet"
    assert run["SecurityGroupId.N"] == "security_group"


def _wire(name, ref_shape):
    serialization = ref_shape.serialization
    if "queryName" in serialization:
        return serialization["queryName"]
    if "name" in serialization:
        return serialization["name"][0].upper() + serialization["name"][1:]
    return name


def _element(shape):
    suffix = ""
    while shape.type_name == "list":
        shape, suffix = shape.member, suffix + ".N"
    return shape, suffix


def _disagreements(catalog, spec_fields, struct, prefix, spec_ref, top, found):
    """(wire, spec_required, model_required) for every spec field that maps
    onto a member of botocore structure `struct`, recursively."""
    members = {}
    for name, member in struct.members.items():
        element, suffix = _element(member)
        wire = _wire(name, member) + suffix
        keys = {wire, name} if top else {wire.lower(), name.lower(),
                                          member.serialization.get("name", "").lower()}
        for key in keys:
            members[key] = (name, element, wire)
    for field in spec_fields:
        names = [field["name"]] if top else [
            n.lower() for n in (field["name"], field.get("response_name")) if n]
        hit = next((members[n] for n in names if n in members), None)
        if hit is None:
            continue
        name, element, wire = hit
        full = f"{prefix}.{wire}" if prefix else wire
        model_required = name in struct.required_members
        if field.get("required", False) != model_required:
            found.add((full, field.get("required", False), model_required, spec_ref))
        dtype = re.sub(r" list$", "", field["type"])
        if dtype in catalog["data_types"] and element.type_name == "structure":
            _disagreements(catalog, catalog["data_types"][dtype]["members"], element, full,
                           f"Data Types > {dtype}", False, found)


def test_every_required_disagreement_is_listed(overlay, catalog, model):
    for action, entry in overlay["actions"].items():
        # Spec names that differ from the wire name are mapped by the
        # overlay's own table, itself checked in test_param_name_differences.
        renames = {d["spec_name"]: d["wire"] for d in entry.get("param_name_differences", ())}
        fields = [dict(f, name=renames.get(f["name"], f["name"]))
                  for f in catalog["actions"][action]["params"]]
        expected = set()
        _disagreements(catalog, fields, model.operation_model(action).input_shape, "",
                       f"{action} > Request Parameters", True, expected)
        listed = {(d["param"], d["spec_required"], d["model_required"], d["spec_ref"])
                  for d in entry.get("required_disagreements", ())}
        assert listed == expected, action
        assert all(d["reason"] for d in entry.get("required_disagreements", ()))
    assert {d["param"] for d in overlay["actions"]["AssociateAddress"]["required_disagreements"]} \
        == {"InstanceId", "PublicIp"}


def test_param_name_differences(overlay, catalog, model):
    for action, entry in overlay["actions"].items():
        spec_names = {p["name"] for p in catalog["actions"][action]["params"]}
        sent = _serialized_names(model, action)
        for diff in entry.get("param_name_differences", ()):
            assert diff["spec_name"] in spec_names and diff["reason"], diff
            assert any(n == diff["wire"] or n.startswith(diff["wire"] + ".") for n in sent)


def test_dry_run_and_mutating(overlay, catalog):
    for action, entry in overlay["actions"].items():
        spec_dry_run = any(p["name"] == "DryRun" for p in catalog["actions"][action]["params"])
        assert entry["dry_run"] is spec_dry_run, action
        if action.startswith(("Describe", "Get")):
            assert entry["mutating"] is False, action
    assert overlay["actions"]["ConfirmProductInstance"]["mutating"] is False
    assert overlay["actions"]["ConfirmProductInstance"]["mutating_reason"]


def test_enums_only_where_the_model_has_none(overlay, model):
    for action, entry in overlay["actions"].items():
        for wire in entry.get("enums", {}):
            assert wire in _serialized_names(model, action)
    # botocore's 2014-10-01 model declares an enum wherever the spec lists
    # Valid Values; the one case difference is recorded separately.
    assert not any("enums" in e for e in overlay["actions"].values())
    platform = overlay["actions"]["ImportInstance"]["enum_differences"]["Platform"]
    assert (platform["spec_values"], platform["model_values"]) == (["windows"], ["Windows"])


def test_error_codes_are_documented_and_all_mapped(overlay, catalog):
    tables = {k: [r["code"] for r in catalog[k]] for k in
              ("common_client_errors", "specific_client_errors", "server_errors")}
    assert overlay["common_errors"]["codes"] == tables["common_client_errors"]
    assert overlay["server_errors"]["codes"] == tables["server_errors"]
    assert overlay["specific_errors"]["codes"] == tables["specific_client_errors"]
    specific = set(tables["specific_client_errors"])
    mapped = set()
    for action, entry in overlay["actions"].items():
        codes = [e["code"] for e in entry["errors"]]
        assert codes == sorted(set(codes)), action
        assert set(codes) <= specific, action
        assert all(e["reason"] for e in entry["errors"]), action
        assert set(overlay["unscoped_errors"]["codes"]) <= set(codes), action
        mapped |= set(codes)
    assert mapped == specific, "every specific code belongs to some action"


@pytest.mark.parametrize("action,codes", [
    ("CreateSubnet", {"InvalidSubnet.Conflict", "InvalidVpcRange", "InvalidVpcID.NotFound"}),
    ("CreateVpc", {"InvalidVpcRange", "VpcLimitExceeded"}),
    ("AuthorizeSecurityGroupIngress", {"RulesPerSecurityGroupLimitExceeded",
                                       "InvalidPermission.Duplicate", "InvalidGroup.NotFound",
                                       "InvalidGroupId.Malformed"}),
    ("DeleteSecurityGroup", {"CannotDelete", "DependencyViolation", "InvalidGroup.InUse"}),
    ("AttachVolume", {"IncorrectState", "VolumeInUse", "InvalidVolume.NotFound"}),
    ("CreateKeyPair", {"InvalidKeyPair.Duplicate"}),
    ("DescribeInstances", {"InvalidInstanceID.Malformed", "InvalidInstanceID.NotFound",
                           "InvalidFilter"}),
])
def test_expected_codes(overlay, action, codes):
    assert codes <= {e["code"] for e in overlay["actions"][action]["errors"]}


def test_limits(overlay):
    limits = {entry["name"]: entry for entry in overlay["limits"]}
    assert (limits["vpc_netmask"]["min_prefix"], limits["vpc_netmask"]["max_prefix"]) == (16, 28)
    assert (limits["subnet_netmask"]["min_prefix"], limits["subnet_netmask"]["max_prefix"]) \
        == (16, 28)
    assert limits["rules_per_vpc_security_group"]["value"] == 50
    assert limits["rules_per_vpc_security_group"]["counts"] == "ingress+egress"
    assert limits["rules_per_classic_security_group"]["value"] == 100
    assert limits["security_groups_per_vpc"]["value"] == 100


def test_limit_quotes_are_verbatim(overlay, spec_path):
    text = " ".join(spec_path.read_text(encoding="utf-8").split())
    for entry in overlay["limits"]:
        assert " ".join(entry["quote"].split()) in text, entry["name"]


def _builder():
    spec = importlib.util.spec_from_file_location("build_overlay", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_builder_names_parameters_as_the_catalog_does():
    """One wire-name rule: the builder's parameters are the catalog's, for every action."""
    from ec2_conformance.catalog import load_catalog

    builder, catalog = _builder(), load_catalog("2014-10-01")
    raw = builder.load_model()
    for action in catalog:
        leaves = {f["wire"] for f in builder.model_params(raw, action.name)
                  if raw["shapes"][f["target"]]["type"] != "structure"}
        assert leaves == {p.name for p in action.params}, action.name


def test_the_tables_are_data_with_a_reason():
    tables = json.loads((ROOT / "tools" / "overlay-tables-2014-10-01.json").read_text("utf-8"))
    assert tables["_about"]
    for name, table in tables.items():
        if name != "_about":
            assert len(table["_about"]) > 40 and table["entries"], name
    builder = _builder()
    assert builder.ID_KINDS["vpc"][2] == "InvalidVpcID.NotFound"
    assert ("CreateKeyPair", "KeyName") in builder.ID_PARAM_OVERRIDES
