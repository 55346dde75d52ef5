"""Walk a response against the requested version's types, with a later version's
beside it: what the later version added is an extension, not a violation.

The walk runs on the copy the XSD will judge and takes each extension out of it
(an added element is removed, an added enumeration value is replaced by one the
requested version allows), so the strict schema judges only the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ..schemas import SchemaIR, TypeDef


@dataclass(frozen=True)
class ExtensionHit:
    path: str  # element path without positions: /DescribeVpcsResponse/vpcSet/item/ownerId
    line: int
    data_type: str  # the requested version's type the element sits in
    element: str
    value: str | None  # the enumeration value, for a value extension
    later_type: str  # where the later version declares it


def element_path(element: etree._Element, *, positions: bool = False) -> str:
    parts = []
    node: etree._Element | None = element
    while node is not None:
        name = etree.QName(node).localname
        parent = node.getparent()
        if positions and parent is not None:
            same = [c for c in parent if isinstance(c.tag, str) and c.tag == node.tag]
            if len(same) > 1:
                name += f"[{same.index(node) + 1}]"
        parts.append(name)
        node = parent
    return "/" + "/".join(reversed(parts))


def strip_extensions(root: etree._Element, action: str, ir: SchemaIR, later: SchemaIR | None,
                     namespace: str) -> list[ExtensionHit]:
    """Find and take out what ``later`` adds over ``ir``; return what was found."""
    walker = _Walker(ir, later, namespace)
    mine = ir.response_type(action)
    walker.walk(root, mine, later.response_type(action) if later else None, mine.name,
                element_path(root))
    return walker.hits


class _Walker:
    def __init__(self, ir: SchemaIR, later: SchemaIR | None, namespace: str):
        self.ir, self.later, self.namespace = ir, later, namespace
        self.hits: list[ExtensionHit] = []
        self.local = LocalNames(namespace)

    def _theirs(self, name: str | None) -> TypeDef | None:
        return self.later.type(name) if self.later is not None and name else None

    def walk(self, element, mine: TypeDef | None, theirs: TypeDef | None, holder: str,
             path: str) -> None:
        if mine is None:
            return
        if theirs is not None and theirs.kind != mine.kind:
            theirs = None  # the later version reshaped it: no parallel to walk
        if mine.kind == "struct":
            self._struct(element, mine, theirs, path)
        elif mine.kind == "list":
            item_type = self._theirs(theirs.item_type) if theirs is not None else None
            local = self.local
            for child in element:
                if local(child) == mine.item:
                    self.walk(child, self.ir.type(mine.item_type), item_type, mine.name,
                              f"{path}/{mine.item}")
        elif mine.kind == "enum":
            self._enum(element, mine, theirs, holder, path)

    def _struct(self, element, mine: TypeDef, theirs: TypeDef | None, path: str) -> None:
        local = self.local
        for child in list(element):
            name = local(child)
            if name is None:
                continue
            member = mine.by_name.get(name)
            other = theirs.by_name.get(name) if theirs is not None else None
            if member is not None:
                self.walk(child, self.ir.type(member.type),
                          self._theirs(other.type if other else None), mine.name,
                          f"{path}/{name}")
            elif other is not None:
                self.hits.append(ExtensionHit(f"{path}/{name}", child.sourceline or 0,
                                              mine.name, name, None, theirs.name))
                _remove(child)

    def _enum(self, element, mine: TypeDef, theirs: TypeDef | None, holder: str,
              path: str) -> None:
        value = element.text or ""
        if (value in mine.value_set or theirs is None or value not in theirs.value_set
                or len(element)):
            return
        self.hits.append(ExtensionHit(path, element.sourceline or 0, holder,
                                      path.rsplit("/", 1)[-1], value, theirs.name))
        element.text = mine.values[0]  # judged as a value the requested version allows


class LocalNames:
    """``_local_in`` for one namespace, remembering each tag's answer (a long list
    repeats a handful of tags thousands of times)."""

    def __init__(self, namespace: str):
        self.namespace = namespace
        self.known: dict = {}

    def __call__(self, element) -> str | None:
        tag = element.tag
        try:
            return self.known[tag]
        except KeyError:
            name = self.known[tag] = _local_in(element, self.namespace)
            return name
        except TypeError:  # an unhashable tag: answer without remembering
            return _local_in(element, self.namespace)


def _local_in(element, namespace: str) -> str | None:
    """The element's local name if it is in ``namespace``; None otherwise."""
    tag = element.tag
    if not isinstance(tag, str):
        return None  # comment or processing instruction
    if not namespace:
        return None if tag.startswith("{") else tag
    prefix = f"{{{namespace}}}"
    return tag[len(prefix):] if tag.startswith(prefix) else None


def _remove(element: etree._Element) -> None:
    parent = element.getparent()
    tail = element.tail
    if tail and tail.strip():  # keep stray text where the schema will still see it
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def types_along(ir: SchemaIR, response_type: str, names: list[str]) -> list[TypeDef]:
    """The chain of known types from the response type down the element names."""
    chain: list[TypeDef] = []
    current = ir.type(response_type)
    for name in names:
        if current is None:
            break
        chain.append(current)
        if current.kind == "struct":
            member = current.by_name.get(name)
            current = ir.type(member.type) if member else None
        elif current.kind == "list":
            current = ir.type(current.item_type) if name == current.item else None
        else:
            current = None
    if current is not None:
        chain.append(current)
    return chain
