"""Resource IDs of one side and their counterparts on the other.

The engine drives the reference side (``--against``): every ID in its requests
is one the reference made or reported.  When both answers carry a resource-ID
member at the same place (``MaskTable.ids``), the pair is learned; a request for
the other side has each learned reference ID replaced by its counterpart.  An ID
never learned (a made-up one of an invalid example) goes unchanged to both.
"""

from __future__ import annotations

from dataclasses import replace

from ..protocol import RawRequest


class IdMap:
    def __init__(self) -> None:
        self.forward: dict[str, str] = {}  # reference ID -> subject ID
        self.backward: dict[str, str] = {}  # subject ID -> reference ID

    def learn(self, reference: str, subject: str) -> None:
        """Keep the first pairing of each ID: a later, contradicting one is a difference the
        comparison reports, not a reason to rewrite earlier requests."""
        if not reference or not subject:
            return
        if reference in self.forward or subject in self.backward:
            return
        self.forward[reference] = subject
        self.backward[subject] = reference

    def token(self, value: str, *, side: str) -> str:
        """A side-independent name for an ID: equal on both sides once the pair is known."""
        known = self.forward if side == "reference" else self.backward
        if value in known:
            return "id:" + (value if side == "reference" else known[value])
        return "id:?"

    def translate(self, text: str) -> str:
        """``text`` with every learned reference ID in it replaced by its counterpart: a
        value the target composed from IDs ("Created by CreateImage(i-1) for ami-2")."""
        for reference, subject in self.forward.items():
            if reference in text:
                text = text.replace(reference, subject)
        return text

    def remap(self, raw: RawRequest) -> RawRequest:
        """The request for the subject side: reference IDs replaced by their counterparts."""
        if not self.forward:
            return raw
        pairs = [(name, self.forward.get(value, value)) for name, value in raw.pairs]
        body = raw.body
        if body is not None:  # a literal body (a wire-level case) carries IDs as text
            for reference, subject in self.forward.items():
                body = body.replace(reference.encode("utf-8"), subject.encode("utf-8"))
        return replace(raw, pairs=pairs, body=body)
