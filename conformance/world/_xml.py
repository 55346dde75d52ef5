"""The world's names for the protocol layer's XML readers (one hardened parse path).

``parse`` gives the root without comments, or ``None``; values are looked up by
local name (targets disagree on the namespace).
"""

from ..protocol import all_texts, error_code, first_text
from ..protocol import parse_or_none as parse

__all__ = ["all_texts", "error_code", "first_text", "parse"]
