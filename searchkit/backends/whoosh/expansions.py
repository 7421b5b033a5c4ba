"""The index terms a fuzzy word stands for, found once per searcher.

Whoosh finds them by walking its terms file with a pure-Python edit distance for each
candidate (2.5 s for an 18-letter word at 100,000 articles); here they come from the
vocabulary in memory (:mod:`.vocabulary`: the words sharing its first letter compared in
C, a swap of neighbouring letters one edit), then each field keeps the ones it holds. A
title's lemma that neither the body nor the written forms have is not reached (its form
is, and finds the article).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

__all__ = ["Expansions"]

#: Most expansions kept for one searcher.
KEPT = 256


class Expansions:
    """``(field, word, edits) -> sorted terms``, for the searcher they were found in."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._searcher: Any = None
        self._found: dict[tuple[str, str, int], list[str]] = {}

    def fuzzy(self, searcher: Any, near: Callable[[str, int], set[str]], fieldname: str, word: str,
              maxdist: int) -> list[str]:
        """The terms of ``fieldname`` within ``maxdist`` edits of ``word``; ``near`` gives
        the vocabulary's words within them."""
        key = (fieldname, word, maxdist)
        with self._lock:
            if self._searcher is not searcher:
                self._searcher, self._found = searcher, {}
            hit = self._found.get(key)
        if hit is not None:
            return hit
        r = searcher.reader()
        found = sorted(t for t in near(word, maxdist) if r.doc_frequency(fieldname, t))
        with self._lock:
            if self._searcher is searcher:
                if len(self._found) >= KEPT:
                    self._found.clear()
                self._found[key] = found
        return found
