"""Whoosh's matchers walked once, and only until the search's deadline
(:mod:`searchkit.query.budget`).

Whoosh's own time limit needs a timer thread, and its alarm signal works in the main
thread only; here the innermost collector's stream of matches simply ends once the
deadline has passed (the clock is read after each match: a span or phrase matcher may
spend tens of milliseconds between two), and every collector wrapped around it (filters,
facets) finishes with what it has. The stream's documents are kept on the way, so the
search's count and near-duplicate folding need no second walk.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from ...query import budget

__all__ = ["Stopper"]


class Stopper:
    """Attached to a Whoosh collector (the outermost) before its search: ``seen`` are the
    documents its matchers found (before any filter), ``stopped`` whether the walk ended
    at the deadline before every match was seen."""

    def __init__(self, collector: Any) -> None:
        self.stopped = False
        self.seen: set[int] = set()
        seconds = budget.left()
        until = None if seconds is None else time.monotonic() + seconds
        inner = collector
        while hasattr(inner, "child"):
            inner = inner.child
        matches = inner.matches
        seen = self.seen
        clock = time.monotonic

        def bounded() -> Iterator[int]:
            if self.stopped:  # a later segment: nothing more
                return
            offset = inner.offset
            for docnum in matches():
                seen.add(offset + docnum)
                yield docnum
                if until is not None and clock() >= until:
                    self.stopped = True
                    return

        inner.matches = bounded
