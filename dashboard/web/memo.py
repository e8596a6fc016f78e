"""A least-recently-used cache bounded in bytes, for results whose sizes differ a lot.

Streamlit's caches bound entries, not bytes: four cached 50 MB uploads would hold
gigabytes. This one drops the least recently used results once their summed size passes
a budget, and never keeps a single result larger than the budget.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any


class BytesBoundedCache:
    """Thread-safe LRU mapping whose values' declared sizes sum to at most `max_bytes`."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._items: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()
        self.bytes = 0

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            if key not in self._items:
                return None
            self._items.move_to_end(key)
            return self._items[key][0]

    def put(self, key: Hashable, value: Any, size: int) -> None:
        """Keep `value` (declared `size` bytes) unless it alone exceeds the budget."""
        with self._lock:
            if key in self._items:
                self.bytes -= self._items.pop(key)[1]
            if size > self.max_bytes:
                return
            self._items[key] = (value, size)
            self.bytes += size
            while self.bytes > self.max_bytes:
                _, (_, dropped) = self._items.popitem(last=False)
                self.bytes -= dropped

    def __len__(self) -> int:
        return len(self._items)
