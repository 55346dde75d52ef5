"""Deliberately broken variants of every sample response, each flagged by the right check.

Each variant breaks one thing; the test asserts which named check reports it,
where, and that no other check piles on (one cause, one finding).
"""

from lxml import etree

from ec2_conformance.checks import validate_body as _validate_body
from ec2_conformance.checks._walk import element_path, types_along
from ec2_conformance.outcome import Severity
from ec2_conformance.schemas import build_ir

NS = "http://ec2.amazonaws.com/doc/2014-10-01/"
IR = build_ir("2014-10-01")
TYPED = {"xs:int", "xs:long", "xs:double", "xs:dateTime", "Boolean"}


def validate_body(body, action):
    """Findings other than the spec's own conflicts (a sample showing the reading the schema
    does not keep: schemas/conflicts-2014-10-01.json), which every variant of it repeats."""
    return [f for f in _validate_body(body, action) if f.severity is not Severity.SPEC_CONFLICT]


def _tree(body):
    return etree.fromstring(body)


def _bytes(root):
    return etree.tostring(root, encoding="utf-8")


def _names(element):
    return element_path(element).strip("/").split("/")[1:]


def _member(action, element):
    """The IR member an element is, with the type holding it, or (None, None)."""
    names = _names(element)
    chain = types_along(IR, IR.responses[action], names)
    if len(chain) < len(names):
        return None, None
    holder = chain[len(names) - 1]
    if holder.kind != "struct":
        return None, holder
    return holder.by_name.get(names[-1]), holder


def _checks(findings):
    return [(f.check, f.severity) for f in findings]


def test_wrong_namespace_is_one_finding_of_the_namespace_check(sample):
    _, action, body = sample
    broken = body.replace(NS.encode(), b"http://ec2.amazonaws.com/doc/2016-11-15")
    assert broken != body
    assert _checks(validate_body(broken, action)) == [("namespace", Severity.VIOLATION)]


def test_no_namespace_is_one_finding_of_the_namespace_check(sample):
    _, action, body = sample
    broken = body.replace(f'xmlns="{NS}"'.encode(), b"")
    assert broken != body
    findings = validate_body(broken, action)
    assert _checks(findings) == [("namespace", Severity.VIOLATION)]
    assert findings[0].observed == "(no namespace)"


def test_wrong_root_is_flagged_by_the_root_check(sample):
    _, action, body = sample
    other = "DescribeSubnets" if action != "DescribeSubnets" else "DescribeVpcs"
    root = _tree(body)
    root.tag = f"{{{NS}}}{other}Response"
    findings = validate_body(_bytes(root), action)
    assert _checks(findings) == [("root-element", Severity.VIOLATION)]
    assert findings[0].observed == f"<{other}Response>"


def test_missing_request_id_is_flagged_by_the_request_id_check(sample):
    _, action, body = sample
    root = _tree(body)
    request_id = root.find(f"{{{NS}}}requestId")
    if request_id is None:  # the spec's own sample has none: a recorded conflict
        conflicts = [f for f in _validate_body(body, action) if f.check == "request-id"]
        assert [f.severity for f in conflicts] == [Severity.SPEC_CONFLICT]
        return
    root.remove(request_id)
    findings = validate_body(_bytes(root), action)
    assert _checks(findings) == [("request-id", Severity.VIOLATION)]
    assert findings[0].path == f"/{action}Response/requestId"


def test_renamed_element_is_an_unexpected_element_for_the_schema_check(fixed_samples):
    flagged = 0
    for sample_id, action, body in fixed_samples:
        root = _tree(body)
        leaf = next((e for e in root.iter(etree.Element)
                     if e is not root and not len(e) and etree.QName(e).localname != "requestId"),
                    None)
        if leaf is None:
            continue
        if b"<conversionTask>" in body and action == "DescribeConversionTasks":
            continue  # its items' wrapper (a recorded conflict) is unwrapped: paths differ
        leaf.tag = leaf.tag + "Renamed"
        findings = validate_body(_bytes(root), action)
        assert {f.check for f in findings} == {"schema"}, (sample_id, _checks(findings))
        path = element_path(leaf)
        hit = [f for f in findings if f.path == path and "not expected" in f.message]
        assert hit, (sample_id, [f.message for f in findings])
        assert hit[0].observed == f"<{etree.QName(leaf).localname}>"
        flagged += 1
    assert flagged > 150


def test_wrong_type_text_is_flagged_with_its_data_type_and_path(fixed_samples):
    flagged = 0
    for sample_id, action, body in fixed_samples:
        root = _tree(body)
        for element in root.iter(etree.Element):
            member, holder = _member(action, element) if element is not root else (None, None)
            enum = member is not None and (IR.type(member.type) or None) is not None \
                and IR.type(member.type).kind == "enum"
            if member is not None and (member.type in TYPED or enum):
                break
        else:
            continue
        element.text = "not-a-value"
        findings = validate_body(_bytes(root), action)
        assert _checks(findings) == [("schema", Severity.VIOLATION)], (sample_id, findings)
        assert findings[0].path == element_path(element)
        assert findings[0].data_type == holder.name
        assert findings[0].observed == "not-a-value"
        assert findings[0].spec_ref
        flagged += 1
    assert flagged > 120


def test_dropped_required_element_is_a_missing_child_for_the_schema_check(fixed_samples):
    flagged = 0
    for sample_id, action, body in fixed_samples:
        root = _tree(body)
        for element in root.iter(etree.Element):
            member, holder = _member(action, element) if element is not root else (None, None)
            if member is not None and member.required and member.name != "requestId":
                break
        else:
            continue
        parent = element.getparent()
        parent.remove(element)
        findings = validate_body(_bytes(root), action)
        assert _checks(findings) == [("schema", Severity.VIOLATION)], (sample_id, findings)
        assert "Missing child element" in findings[0].message
        assert member.name in findings[0].expected
        assert findings[0].path == element_path(parent)
        assert findings[0].data_type == holder.name
        flagged += 1
    assert flagged > 60  # every <return> action, and the required ConversionTask members


def test_an_element_in_no_model_is_a_violation_not_an_extension(fixed_samples):
    _, action, body = next(s for s in fixed_samples if s[1] == "DescribeVpcs")
    root = _tree(body)
    item = root.find(f".//{{{NS}}}vpcSet/{{{NS}}}item")
    etree.SubElement(item, f"{{{NS}}}madeUpElement").text = "x"
    findings = validate_body(_bytes(root), action)
    assert _checks(findings) == [("schema", Severity.VIOLATION)]
    assert findings[0].path == "/DescribeVpcsResponse/vpcSet/item/madeUpElement"
    assert findings[0].data_type == "Vpc"


def test_any_order_is_accepted(fixed_samples):
    """The spec: the order of elements in a response is not guaranteed."""
    for sample_id, action, body in fixed_samples:
        root = _tree(body)
        for element in root.iter(etree.Element):
            children = [c for c in element if isinstance(c.tag, str)]
            for child in children:
                element.remove(child)
            for child in reversed(children):
                element.append(child)
        assert validate_body(_bytes(root), action) == [], sample_id
