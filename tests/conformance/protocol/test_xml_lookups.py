"""The protocol layer's lenient look-ups: what the world, probes and guards read answers with."""

from ec2_conformance.protocol import error_code, first_text
from ec2_conformance.protocol import parse_or_none as parse

LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
          b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Response><Errors><Error>'
          b"<Code>&b;</Code></Error></Errors></Response>")


def test_hostile_or_broken_bodies_read_as_nothing():
    assert parse(LAUGHS) is None
    assert parse(b"<html><body>502</body></html>") is None
    assert parse(b"") is None
    assert parse(b"<a>" * 10_000) is None


def test_comments_do_not_split_a_value():
    root = parse(b"<R><vpcId>vpc-<!-- x -->1a2b3c4d</vpcId><Code>Gone</Code></R>")
    assert first_text(root, "vpcId") == "vpc-1a2b3c4d"
    assert error_code(root) == "Gone"
