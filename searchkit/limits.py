"""The query-side limits, one set for every backend's query compiler: a query the embedded
index refuses is refused by the cluster too, with the same message."""

from __future__ import annotations

__all__ = ["MIN_PREFIX"]

#: Fewest letters of a prefix word (``п*`` would stand for every word starting with п).
MIN_PREFIX = 2
