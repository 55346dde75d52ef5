"""Reading target responses: a hardened lxml parser and local-name look-ups.

The world sits below the checks layer, so it cannot use the checks' parser; this
one resolves no entities, reads no DTD and touches no network, and element
names are matched by local name (targets disagree on the namespace).
"""

from __future__ import annotations

from lxml import etree

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          huge_tree=False, remove_comments=True)


def parse(body: bytes) -> etree._Element | None:
    try:
        return etree.fromstring(body, _PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return None


def first_text(root: etree._Element, name: str) -> str | None:
    """Text of the first element whose local name is ``name`` (or of an ``xpath:``)."""
    if name.startswith("xpath:"):
        found = root.xpath(name[len("xpath:"):])
        if not found:
            return None
        item = found[0]
        return (item.text if hasattr(item, "text") else str(item) or "").strip() or None
    for element in root.iter():
        if isinstance(element.tag, str) and etree.QName(element).localname == name:
            return (element.text or "").strip() or None
    return None


def all_texts(root: etree._Element, name: str) -> list[str]:
    return [(e.text or "").strip() for e in root.iter()
            if isinstance(e.tag, str) and etree.QName(e).localname == name and e.text]


def error_code(root: etree._Element | None) -> str | None:
    if root is None:
        return None
    return first_text(root, "Code")
