"""``ec2-conformance validate FILE --action NAME``: exit 0 conformant, 1 violations, 2 bad input."""

import json
import subprocess
import sys

import pytest

from ec2_conformance.cli import main

NS = "http://ec2.amazonaws.com/doc/2014-10-01/"
GOOD = (f'<DescribeVpcsResponse xmlns="{NS}"><requestId>r-1</requestId><vpcSet><item>'
        "<vpcId>vpc-1a2b3c4d</vpcId><state>available</state><isDefault>false</isDefault>"
        "</item></vpcSet></DescribeVpcsResponse>")


@pytest.fixture
def body_file(tmp_path):
    def write(text, name="body.xml"):
        path = tmp_path / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
        return str(path)
    return write


def test_conformant_body_exits_0(body_file, capsys):
    assert main(["validate", body_file(GOOD), "--action", "DescribeVpcs"]) == 0
    out = capsys.readouterr().out
    assert out.strip().startswith("conformant: no findings")


def test_violation_exits_1_and_names_check_path_and_type(body_file, capsys):
    bad = GOOD.replace("<isDefault>false", "<isDefault>maybe")
    assert main(["validate", body_file(bad), "--action", "DescribeVpcs"]) == 1
    out = capsys.readouterr().out
    assert "VIOLATION  schema /DescribeVpcsResponse/vpcSet/item/isDefault [Vpc]" in out
    assert "observed: maybe" in out and "spec: Data Types > Vpc" in out
    assert "NOT conformant" in out


def test_extension_alone_exits_0(body_file, capsys):
    later = GOOD.replace("<state>", "<ownerId>123456789012</ownerId><state>")
    assert main(["validate", body_file(later), "--action", "DescribeVpcs"]) == 0
    out = capsys.readouterr().out
    assert "EXTENSION  extension /DescribeVpcsResponse/vpcSet/item/ownerId" in out


def test_error_body_with_status(body_file, capsys):
    error = ("<Response><Errors><Error><Code>InvalidVpcID.NotFound</Code><Message>no</Message>"
             "</Error></Errors><RequestID>r</RequestID></Response>")
    path = body_file(error)
    assert main(["validate", path, "--action", "DescribeVpcs", "--status", "400"]) == 0
    assert main(["validate", path, "--action", "DescribeVpcs"]) == 1  # an error with HTTP 200
    assert "http-status-class" in capsys.readouterr().out


def test_json_output(body_file, capsys):
    assert main(["validate", body_file(b"<html></html>"), "--action", "DescribeVpcs",
                 "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["failed"] == ["xml-content"] and data["findings"][0]["severity"] == "violation"


@pytest.mark.parametrize("args, message", [
    (["/no/such/file.xml", "--action", "DescribeVpcs"], "cannot read"),
    (["{file}", "--action", "DescribeVpc"], "not an action"),
    (["{file}", "--action", "DescribeVpcs", "--api-version", "1999-01-01"], "unknown EC2 API"),
    (["{file}", "--action", "DescribeVpcs", "--status", "42"], "--status"),
])
def test_bad_input_exits_2_with_one_line(body_file, capsys, args, message):
    path = body_file(GOOD)
    assert main(["validate", *[a.format(file=path) for a in args]]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_hostile_body_through_the_console_script(body_file):
    xxe = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           b"<DescribeVpcsResponse>&x;</DescribeVpcsResponse>")
    result = subprocess.run([sys.executable, "-m", "ec2_conformance", "validate", body_file(xxe),
                             "--action", "DescribeVpcs"], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 1, result.stderr
    assert "well-formed" in result.stdout and "DOCTYPE" in result.stdout
    assert "Traceback" not in result.stderr and "root:" not in result.stdout
