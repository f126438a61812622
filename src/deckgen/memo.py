"""What a session (watch, serve) remembers between builds: a dict that empties itself when it reaches its limit."""
from __future__ import annotations

from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Memo(dict, Generic[K, V]):
    """Answers by key, at most `limit` of them: when full, everything goes (a rebuild asks the same questions again,
    so the cache fills with what is asked now; no bookkeeping per read)."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def keep(self, key: K, value: V) -> V:
        """Remember `value` for `key`; returns it."""
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value
