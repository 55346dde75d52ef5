"""The committed XSDs are a fresh generation, valid XSD 1.0, and say what the spec says."""

import collections
import json
import re
from pathlib import Path

import pytest
import xmlschema
from lxml import etree

from ec2_conformance import schemas
from ec2_conformance.catalog import load_catalog
from ec2_conformance.catalog import load_spec_facts
from ec2_conformance.schemas._ir import SPEC_SCALARS

ROOT = Path(__file__).resolve().parents[2]
XS = "{http://www.w3.org/2001/XMLSchema}"
SAMPLES = ROOT / "tests" / "data" / "spec_samples" / "2014-10-01.json"


@pytest.fixture(scope="module")
def fresh():
    return schemas.generated_files()


def _xsd(name):
    return etree.fromstring(schemas.read_schema_bytes(name))


@pytest.mark.parametrize("name", [schemas.schema_file_name(v) for v in schemas.SCHEMA_VERSIONS]
                         + [schemas.ERRORS_FILE])
def test_committed_schema_is_a_fresh_generation(fresh, name):
    committed = schemas.read_schema_bytes(name).decode("utf-8")
    assert committed == fresh[name], f"schemas/{name} is stale: run python tools/gen_schemas.py"


def test_generation_is_deterministic(fresh):
    schemas.build_ir.cache_clear()
    try:
        assert schemas.generated_files() == fresh
    finally:
        schemas.build_ir.cache_clear()


@pytest.mark.parametrize("version", schemas.SCHEMA_VERSIONS)
def test_target_namespace_is_the_one_responses_carry(version):
    root = _xsd(schemas.schema_file_name(version))
    assert root.get("targetNamespace") == f"http://ec2.amazonaws.com/doc/{version}/"
    assert root.get("targetNamespace") == load_catalog(version).namespace


def test_namespace_matches_the_spec_sample_responses():
    bodies = [s["body"] for s in json.loads(SAMPLES.read_text())["responses"]]
    seen = collections.Counter(m.group(1) for b in bodies
                               for m in [re.search(r'xmlns="([^"]*)"', b)] if m)
    namespace, count = seen.most_common(1)[0]
    assert count > len(bodies) * 0.8
    assert _xsd("ec2-2014-10-01.xsd").get("targetNamespace") == namespace


@pytest.mark.parametrize("version", schemas.SCHEMA_VERSIONS)
def test_one_global_response_element_per_action(version):
    root = _xsd(schemas.schema_file_name(version))
    elements = {e.get("name") for e in root.findall(f"{XS}element")}
    assert elements == {f"{a}Response" for a in load_catalog(version).actions}


def test_every_spec_data_type_has_a_named_complex_type():
    facts = load_spec_facts("2014-10-01")
    corrections = {c["heading"]: c["actual"] for c in facts["data_type_corrections"]}
    wanted = {corrections.get(n, n) for n in facts["data_types"]}
    root = _xsd("ec2-2014-10-01.xsd")
    complex_types = {t.get("name") for t in root.findall(f"{XS}complexType")}
    assert len(wanted) >= 120
    assert wanted <= complex_types, sorted(wanted - complex_types)


@pytest.mark.parametrize("version", schemas.SCHEMA_VERSIONS)
def test_structures_accept_any_order_within_xsd_1_0(version):
    root = _xsd(schemas.schema_file_name(version))
    for complex_type in root.findall(f"{XS}complexType"):
        groups = [g for g in complex_type if g.tag in (f"{XS}all", f"{XS}sequence")]
        assert len(groups) == 1, complex_type.get("name")
        group = groups[0]
        if group.tag == f"{XS}all":
            assert all(e.get("maxOccurs") in (None, "1") for e in group)
        else:  # the item list of a ...Set wrapper: the only repeated particle
            (item,) = group
            assert item.get("maxOccurs") == "unbounded"


def test_spec_scalar_types_and_valid_values_are_in_the_schema():
    """Every Data Types row the model has too: the spec's type, all its valid values."""
    ir = schemas.build_ir("2014-10-01")
    facts = load_spec_facts("2014-10-01")
    corrections = {c["heading"]: c["actual"] for c in facts["data_type_corrections"]}
    checked = 0
    for heading, table in facts["data_types"].items():
        struct = ir.type(corrections.get(heading, heading))
        for row in table["members"]:
            wire = row.get("response_name") or row["name"]
            member = struct.by_name.get(wire) or next(
                (m for m in struct.members if m.name.lower() == wire.lower()), None)
            if member is None:
                continue  # the tables use SDK-style names for lists (tags -> tagSet)
            if row["type"] in SPEC_SCALARS and ir.type(member.type) is None:
                assert member.type == SPEC_SCALARS[row["type"]], (heading, wire)
                checked += 1
            if row.get("valid_values"):
                assert set(row["valid_values"]) <= set(ir.type(member.type).values), (heading, wire)
                checked += 1
    assert checked > 250


def test_required_members_are_required_in_the_schema():
    root = _xsd("ec2-2014-10-01.xsd")
    conversion = root.find(f"{XS}complexType[@name='ConversionTask']")
    occurs = {e.get("name"): e.get("minOccurs") for e in conversion.iter(f"{XS}element")}
    assert occurs["conversionTaskId"] is None and occurs["state"] is None  # required
    assert occurs["statusMessage"] == "0"
    delete_vpc = root.find(f"{XS}complexType[@name='DeleteVpcResponseType']")
    assert {e.get("name"): e.get("type") for e in delete_vpc.iter(f"{XS}element")} == {
        "requestId": "xs:string", "return": "tns:Boolean"}


@pytest.mark.parametrize("name", ["errors.xsd", "ec2-2014-10-01.xsd",
                                  "ec2-2016-11-15.xsd"])  # 1 MB: ~3 s in xmlschema
def test_an_independent_xsd_implementation_accepts_the_schema(name):
    """xmlschema (pure Python, strict XSD 1.0) builds what libxml2 builds."""
    schema = xmlschema.XMLSchema10(schemas.read_schema_bytes(name).decode("utf-8"))
    assert schema.validity == "valid"


def test_error_envelope_schema_has_no_namespace():
    root = _xsd("errors.xsd")
    assert root.get("targetNamespace") is None
    schema = etree.XMLSchema(root)
    spec_example = (b"<Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code><Message>"
                    b"The instance ID 'i-1a2b3c4d' does not exist</Message></Error></Errors>"
                    b"<RequestID>ea966190-f9aa-478e-9ede-example</RequestID></Response>")
    assert schema.validate(etree.fromstring(spec_example))
    assert not schema.validate(etree.fromstring(spec_example.replace(
        b"<Response>", b'<Response xmlns="http://ec2.amazonaws.com/doc/2014-10-01/">')))


def test_gen_schemas_tool_check_mode_passes():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, str(ROOT / "tools" / "gen_schemas.py"), "--check"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
