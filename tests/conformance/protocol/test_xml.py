"""The one hardened XML parse: its options, and that no other module builds its own parser."""

import ast
from pathlib import Path

import pytest
from lxml import etree

from ec2_conformance.protocol import ResponseParseError, parse_response

ROOT = Path(__file__).resolve().parents[3]
LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
          b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><r>&b;</r>')
# Parsers of XML the project ships itself (never a target's answer), each with why.
OWN_XML = {
    "conformance/checks/_xsd.py": "the packaged XSD files",
    "conformance/faults/_proxy.py": "an `append` edit's XML from the fault catalog",
}


def test_comments_are_kept_unless_a_reader_asks():
    body = b"<r><a>one<!-- split -->two</a></r>"
    assert parse_response(body).find("a").text == "one"
    assert parse_response(body, remove_comments=True).find("a").text == "onetwo"


def test_a_dtd_is_refused_before_parsing():
    with pytest.raises(ResponseParseError) as caught:
        parse_response(LAUGHS)
    assert caught.value.kind == "dtd"


def _parser_calls(path: Path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in {"XMLParser", "fromstring", "XML", "parse", "iterparse"} \
                and isinstance(node.func.value, ast.Name) \
                and node.func.value.id in {"etree", "ElementTree", "ET", "minidom"}:
            yield node.lineno


def test_target_xml_is_parsed_only_through_the_protocol_module():
    found = {}
    for tree in ("conformance", "strategies", "schemas"):
        for path in (ROOT / tree).rglob("*.py"):
            rel = path.relative_to(ROOT).as_posix()
            if rel == "conformance/protocol/_xml.py" or rel in OWN_XML:
                continue
            lines = list(_parser_calls(path))
            if lines:
                found[rel] = lines
    assert not found, f"parse target XML with ec2_conformance.protocol.parse_response: {found}"


def test_the_allowed_parsers_still_parse_only_own_xml():
    for rel in OWN_XML:
        assert list(_parser_calls(ROOT / rel)), f"{rel} no longer parses XML: drop it from OWN_XML"
    assert etree.LXML_VERSION  # the module under test is lxml's
