"""One answer as a typed, comparable tree: what two targets' answers are compared as.

The response is walked against the requested version's response schema (the
same ``SchemaIR`` the XSD and the extension walk read): a struct's members become
a mapping (the spec: "The order of each element in the response is not
guaranteed"), a list's items a bag matched later by content, and each scalar
keeps its data type, its whitespace-stripped text and its mask kind
(``MaskTable``).  Elements the schema does not know are kept untyped, so an
element present on one side only is still seen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from lxml import etree

from ..checks import ResponseParseError, parse_response
from ..protocol import Exchange
from ..schemas import SchemaIR, TypeDef, build_ir
from ._masks import MaskTable, mask_table

ORDER_QUOTE = ("Data Types: \"The order of each element in the response is not guaranteed. "
               "Applications should not assume a particular order.\"")
UNTYPED = "not in this version's schema"
_NUMERIC = {"xs:int": int, "xs:long": int, "xs:double": float}


@dataclass
class Node:
    kind: str  # "struct" | "list" | "scalar"
    name: str = ""  # the element's local name
    type: str | None = None  # the schema's type name (None: not in the schema)
    text: str | None = None  # scalar: stripped text
    mask: str | None = None  # scalar: why its value is not compared
    children: dict[str, "Node"] = field(default_factory=dict)  # struct
    items: list["Node"] = field(default_factory=list)  # list
    enum: tuple[str, ...] = ()  # scalar of an enumeration type: its values

    @property
    def value_type(self) -> str:
        """What the value is, judged by its declared type: a DateTime member that does not
        parse as one is "text", not "timestamp"."""
        if self.kind != "scalar":
            return self.kind
        text = self.text or ""
        if self.type in _NUMERIC:
            try:
                _NUMERIC[self.type](text)
                return "number"
            except ValueError:
                return "text"
        if self.type == "Boolean":
            return "boolean" if text in ("true", "false") else "text"
        if self.type == "xs:dateTime":
            try:
                dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
                return "timestamp"
            except ValueError:
                return "text"
        return "text"


@dataclass
class Answer:
    """An exchange's answer, normalised."""

    status: str  # "2xx", "4xx", "5xx", ... or "no answer"
    body: str  # "xml", "not xml", "none"
    root: str | None = None
    namespace: str | None = None
    codes: tuple[str, ...] = ()  # error codes, sorted
    code_path: str = ""  # where the (first) code is, e.g. /Response/Errors/Error/Code
    tree: Node | None = None


def normalise(exchange: Exchange, api_version: str) -> Answer:
    response = exchange.response
    if response is None:
        return Answer(status="no answer", body="none")
    status = f"{response.status // 100}xx"
    try:
        root = parse_response(response.body)
    except ResponseParseError:
        return Answer(status=status, body="not xml")
    qname = etree.QName(root)
    masks = mask_table(api_version)
    ir = build_ir(api_version)
    typed = _response_type(ir, exchange.action, qname.localname)
    # Any answer that is not the action's own response is read as an error envelope,
    # whatever its root is called: its codes are compared, not masked as unknown text.
    found = [] if typed is not None else [
        c for c in root.iter() if isinstance(c.tag, str) and etree.QName(c).localname == "Code"]
    codes = tuple(sorted((c.text or "").strip() for c in found))
    code_path = "/" + "/".join(etree.QName(e).localname
                               for e in reversed([found[0], *found[0].iterancestors()])) \
        if found else ""
    tree = _Walker(ir, masks).node(root, typed, qname.localname)
    return Answer(status=status, body="xml", root=qname.localname,
                  namespace=qname.namespace or "", codes=codes, code_path=code_path, tree=tree)


def _response_type(ir: SchemaIR, action: str | None, root: str) -> TypeDef | None:
    if not action or root != f"{action}Response":
        return None
    return ir.response_type(action)


class _Walker:
    def __init__(self, ir: SchemaIR, masks: MaskTable):
        self.ir, self.masks = ir, masks

    def node(self, element, typedef: TypeDef | None, name: str,
             scalar_type: str | None = None) -> Node:
        children = [c for c in element if isinstance(c.tag, str)]
        if typedef is not None and typedef.kind == "struct" and (
                children or not (element.text or "").strip()):
            node = Node("struct", name, typedef.name)
            for child in children:
                local = etree.QName(child).localname
                member = typedef.by_name.get(local)
                node.children[local] = self._member(child, local, member.type if member else None)
            return node
        if typedef is not None and typedef.kind == "list":
            return Node("list", name, typedef.name, items=[
                self._member(c, typedef.item, typedef.item_type)
                if etree.QName(c).localname == typedef.item
                else self._member(c, etree.QName(c).localname, None) for c in children])
        if children:
            return self._untyped(children, name, typedef.name if typedef else None)
        text = (element.text or "").strip()
        type_name = typedef.name if typedef is not None else scalar_type
        enum = typedef.values if typedef is not None and typedef.kind == "enum" else ()
        # An element the requested version does not describe (a later version's, an
        # ARN): this spec says nothing of its value, only that it is there.
        mask = self.masks.kind(name, type_name) if type_name else UNTYPED
        return Node("scalar", name, type_name, text=text, mask=mask, enum=enum)

    def _member(self, element, name: str, type_name: str | None) -> Node:
        typedef = self.ir.type(type_name) if type_name else None
        return self.node(element, typedef, name, None if typedef else type_name)

    def _untyped(self, children, name: str, type_name: str | None) -> Node:
        """Elements the schema does not describe: a repeated name (or ``item``) is a list."""
        names = [etree.QName(c).localname for c in children]
        if len(set(names)) < len(names) or names[0] == "item":
            return Node("list", name, type_name,
                        items=[self._member(c, n, None) for c, n in zip(children, names)])
        node = Node("struct", name, type_name)
        for child, local in zip(children, names):
            node.children[local] = self._member(child, local, None)
        return node
