"""Compare two normalised answers; return where and how they part.

In order: status class, body (XML or not), root element, namespace, error codes,
then the typed tree: an element present on one side only, value type, enumeration
(and boolean) value, other values unless masked, and list lengths when both
sides started from the same state.  List items are matched by content (masked
values and learned ID pairs count as equal), since the spec does not guarantee
order; unmatched items are paired by likeness so a change inside one item is
reported at its own path, not as a whole item missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._ids import IdMap
from ._normalise import Answer, Node

_LIKENESS_LIMIT = 64
ASPECTS = ("status-class", "body", "root-element", "namespace", "error-code", "presence",
           "value-type", "enum-value", "value", "list-length")


@dataclass(frozen=True)
class Difference:
    aspect: str  # one of ASPECTS
    path: str  # element path without positions (what groups findings)
    at: str  # the same path with item positions of the reference side
    reference: str | None  # what the --against side answered there
    subject: str | None  # what the --endpoint side answered there
    data_type: str | None = None

    def to_json(self) -> dict:
        return {"aspect": self.aspect, "path": self.path, "at": self.at,
                "against": self.reference, "endpoint": self.subject,
                "data_type": self.data_type}


def compare(reference: Answer, subject: Answer, ids: IdMap, *,
            same_start: bool = True) -> list[Difference]:
    """Differences between two answers to the same request (reference first); learns the
    ID pairs the two answers reveal into ``ids``."""
    def top(aspect: str, ref, sub) -> list[Difference]:
        return [Difference(aspect, "/", "/", ref, sub)]
    if reference.status != subject.status:
        return top("status-class", reference.status, subject.status)
    if reference.body != subject.body:
        return top("body", reference.body, subject.body)
    if reference.body != "xml":
        return []
    if reference.root != subject.root:
        return top("root-element", reference.root, subject.root)
    out: list[Difference] = []
    root = "/" + (reference.root or "")
    if reference.namespace != subject.namespace:
        out.append(Difference("namespace", root, root, reference.namespace, subject.namespace))
    if reference.codes != subject.codes:
        where = reference.code_path or subject.code_path or root
        out.append(Difference("error-code", where, where, " ".join(reference.codes),
                              " ".join(subject.codes)))
        return out
    walker = _Walk(ids, same_start)
    walker.node(reference.tree, subject.tree, root, root)
    return out + walker.found


class _Walk:
    def __init__(self, ids: IdMap, same_start: bool):
        self.ids, self.same_start = ids, same_start
        self.found: list[Difference] = []

    def node(self, ref: Node, sub: Node, path: str, at: str) -> None:
        if ref.kind != sub.kind:
            self.found.append(Difference("value-type", path, at, ref.kind, sub.kind, ref.type))
        elif ref.kind == "struct":
            for name in list(ref.children) + [n for n in sub.children if n not in ref.children]:
                a, b = ref.children.get(name), sub.children.get(name)
                child = f"{path}/{name}"
                if a is None or b is None:
                    self.found.append(Difference("presence", child, f"{at}/{name}",
                                                 "present" if a else "absent",
                                                 "present" if b else "absent",
                                                 ref.type))
                else:
                    self.node(a, b, child, f"{at}/{name}")
        elif ref.kind == "list":
            self._list(ref, sub, path, at)
        else:
            self._scalar(ref, sub, path, at)

    def _scalar(self, ref: Node, sub: Node, path: str, at: str) -> None:
        if ref.value_type != sub.value_type:
            self.found.append(Difference("value-type", path, at, ref.value_type, sub.value_type,
                                         ref.type))
            return
        if ref.mask == "id" and sub.mask == "id":
            self.ids.learn(ref.text or "", sub.text or "")
        if ref.mask or sub.mask or ref.text == sub.text:
            return
        if ref.text and self.ids.translate(ref.text) == sub.text:
            return  # the same text, composed from each side's own IDs
        aspect = "enum-value" if ref.enum or ref.value_type == "boolean" else "value"
        self.found.append(Difference(aspect, path, at, ref.text, sub.text, ref.type))

    def _list(self, ref: Node, sub: Node, path: str, at: str) -> None:
        pairs, left, right = self._match(ref.items, sub.items)
        # What is left pairs by likeness: one changed item is one difference inside it.
        while left and right:
            i = left.pop(0)
            if len(right) > _LIKENESS_LIMIT:  # too many to weigh: keep their order
                pairs.append((i, right.pop(0)))
                continue
            j = max(right, key=lambda j: _likeness(ref.items[i], sub.items[j]))
            right.remove(j)
            pairs.append((i, j))
        for i, j in sorted(pairs):
            item = ref.items[i]
            self.node(item, sub.items[j], f"{path}/{item.name}", f"{at}/{item.name}[{i + 1}]")
        if (left or right) and self.same_start:
            self.found.append(Difference("list-length", path, at, str(len(ref.items)),
                                         str(len(sub.items)), ref.type))

    def _match(self, refs: list[Node], subs: list[Node]):
        """Pair items whose content is equal (masked values and known ID pairs aside)."""
        keys: dict[object, list[int]] = {}
        for j, item in enumerate(subs):
            keys.setdefault(self._key(item, "subject"), []).append(j)
        pairs, left = [], []
        for i, item in enumerate(refs):
            slot = keys.get(self._key(item, "reference"))
            if slot:
                pairs.append((i, slot.pop(0)))
            else:
                left.append(i)
        used = {j for _, j in pairs}
        return pairs, left, [j for j in range(len(subs)) if j not in used]

    def _key(self, node: Node, side: str):
        if node.kind == "struct":
            return ("s", tuple(sorted((n, self._key(c, side)) for n, c in node.children.items())))
        if node.kind == "list":
            return ("l", tuple(sorted((self._key(c, side) for c in node.items), key=repr)))
        if node.mask == "id":
            return ("v", node.name, self.ids.token(node.text or "", side=side))
        if node.mask:
            return ("v", node.name, node.mask, node.value_type)
        return ("v", node.name, node.text)


def _likeness(a: Node, b: Node) -> int:
    """How many leaves two items share (name and value): pairs the unmatched items."""
    return len(_leaves(a) & _leaves(b))


def _leaves(node: Node, prefix: str = "") -> set[tuple[str, str | None]]:
    if node.kind == "struct":
        return {leaf for n, c in node.children.items() for leaf in _leaves(c, f"{prefix}/{n}")}
    if node.kind == "list":
        return {leaf for c in node.items for leaf in _leaves(c, f"{prefix}/{c.name}")}
    return {(prefix, node.mask or node.text)}
