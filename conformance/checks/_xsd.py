"""XSD validation through libxml2: schemas loaded once per process, errors as data.

The committed ``schemas/ec2-<version>.xsd`` is used where it exists; any other
API version botocore ships is rendered from the same generator on first use.
"""

from __future__ import annotations

import copy as copy_module
import dataclasses
import functools
import re
import threading
from dataclasses import dataclass

from lxml import etree

from .. import schemas

_XS_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
_NS_PREFIX = re.compile(r"\{(?!')[^}']*\}")  # {namespace}, not an enumeration's {'a', 'b'}
_EXPECTED = re.compile(r"Expected is (?:one of )?\( (.+?) \)")
_ENUM_SET = re.compile(r"not an element of the set (\{.+\})")
_ATOMIC = re.compile(r"of the atomic type '([^']+)'")
# libxml2 cuts its messages at 64,000 characters: a value that long leaves no room for
# what it was judged against (an enumeration's set, an atomic type), and the message is
# mostly the value.  Values are cut here, in both of libxml2's forms of quoting them.
_MESSAGE_CAP = 63_000
_LONG_VALUE = re.compile(r"(': (?:\[facet '\w+'\] The value )?')([^']{200,})('?)")


@dataclass(frozen=True)
class SchemaIssue:
    element: etree._Element | None  # where libxml2 reported it, in the validated tree
    line: int
    message: str  # libxml2's message with {namespace} noise removed
    expected: str | None
    observed: str | None
    kind: str  # libxml2's error type name, e.g. SCHEMAV_CVC_COMPLEX_TYPE_2_4


class _Validator:
    def __init__(self, schema_xml: bytes):
        self.schema = etree.XMLSchema(etree.fromstring(schema_xml, _XS_PARSER))
        self.lock = threading.Lock()  # an XMLSchema's error log is per object

    def is_valid(self, root: etree._Element) -> bool:
        with self.lock:
            return bool(self.schema.validate(root))

    def validate(self, root: etree._Element) -> list[SchemaIssue]:
        with self.lock:
            if self.schema.validate(root):
                return []
            entries = list(self.schema.error_log)
        finder = _Finder(root)
        issues = []
        for entry in entries:
            issue = _issue(finder, entry)
            if len(entry.message) >= _MESSAGE_CAP and issue.expected is None and entry.path:
                issue = self._completed(root, entry.path, issue)
            issues.append(issue)
        return issues

    def _completed(self, root: etree._Element, path: str, issue: SchemaIssue) -> SchemaIssue:
        """A message libxml2 cut inside an over-long value, completed: the same element,
        emptied, in a copy of the answer, judged again says what the value was judged
        against ("is not an element of the set {...}", "of the atomic type ...")."""
        copy = copy_module.deepcopy(root)
        element = _Finder(copy).find(path)
        if element is None:
            return issue
        element.text = ""
        with self.lock:
            self.schema.validate(copy)
            entries = list(self.schema.error_log)
        again = next((e.message for e in entries if e.path == path and "''" in e.message), None)
        if again is None:
            return issue  # empty, it passes (or fails otherwise): nothing to borrow
        again = _plain(again)
        return dataclasses.replace(issue, expected=_expected(again),
                                   message=issue.message + again.split("''", 1)[1])


@functools.lru_cache(maxsize=None)
def response_validator(api_version: str) -> _Validator:
    name = schemas.schema_file_name(api_version)
    try:
        data = schemas.read_schema_bytes(name)
    except FileNotFoundError:
        data = schemas.render_schema(schemas.build_ir(api_version)).encode("utf-8")
    return _Validator(data)


@functools.lru_cache(maxsize=None)
def error_validator() -> _Validator:
    return _Validator(schemas.read_schema_bytes(schemas.ERRORS_FILE))


class _Finder:
    """Resolve libxml2's error paths, which use the document's namespace prefixes."""

    def __init__(self, root: etree._Element):
        self.doc = root.getroottree()
        self.prefixes = {p: u for p, u in root.nsmap.items() if p}
        self.scanned = False

    def find(self, path: str) -> etree._Element | None:
        for _ in range(2):
            try:
                found = self.doc.xpath(path, namespaces=self.prefixes)
                return found[0] if found and isinstance(found[0], etree._Element) else None
            except etree.XPathError:
                if self.scanned:
                    return None
                self.scanned = True  # a prefix declared below the root: collect them all
                self.prefixes = {el.prefix: etree.QName(el).namespace
                                 for el in self.doc.iter(etree.Element) if el.prefix}
        return None


def _issue(finder: _Finder, entry) -> SchemaIssue:
    message = _LONG_VALUE.sub(_shortened, _plain(entry.message))
    element = finder.find(entry.path) if entry.path else None
    return SchemaIssue(element, entry.line, message, _expected(message),
                       _observed(message, element), entry.type_name)


def _plain(message: str) -> str:
    """libxml2's message without its {namespace} noise."""
    return _NS_PREFIX.sub("", message).strip()


def _shortened(match: re.Match) -> str:
    value = match.group(2)
    cut = "" if match.group(3) else " or more, cut by libxml2"
    return f"{match.group(1)}{value[:60]}… ({len(value):,} characters{cut})'"


def _expected(message: str) -> str | None:
    for pattern, fmt in ((_EXPECTED, "{}"), (_ENUM_SET, "one of {}"),
                         (_ATOMIC, "a value of type {}")):
        m = pattern.search(message)
        if m:
            return fmt.format(m.group(1))
    if "This element is not expected" in message:
        return "no such element here"
    if "Character content" in message:
        return "child elements only"
    return None


def _observed(message: str, element: etree._Element | None) -> str | None:
    if element is None:
        return None
    if "Missing child element" in message:
        return "absent"
    if "not expected" in message:
        return f"<{etree.QName(element).localname}>"
    if "Character content" in message:  # stray text among the child elements
        stray = [element.text or ""] + [child.tail or "" for child in element]
        return " ".join(part.strip() for part in stray if part.strip())[:200]
    return element.text if element.text is not None else ""
