"""A small LRU, safe across threads: the judged copies of the last few big answers."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any


class Memo:
    """The last few big answers' judged copies (a small LRU, safe across threads)."""

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict[tuple, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple) -> Any | None:
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
            return found

    def put(self, key: tuple, prepared: Any) -> None:
        with self.lock:
            self.entries[key] = prepared
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)
