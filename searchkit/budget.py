"""How long one search may take, and what is left of it.

A search sets a deadline (:func:`limited`) for itself and everything it calls, in its own
thread; the steps that can stop early ask :func:`passed` or :func:`left`: the optional
ones (a second try with date words as words, the partial matches, spelling corrections)
are skipped once the time is up, and a walk of Whoosh's matchers stops where it is, its
hits so far shown with a note (see :func:`cut_note`). Nothing here needs a clock thread
or a signal.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["QUERY_SECONDS", "RANKING_NOTE", "SNIPPETS_ALWAYS", "SNIPPETS_NOTE", "SNIPPET_SECONDS", "cut_note", "left",
           "limited", "passed", "seconds"]

#: The time a search may take before it stops where it is (seconds): what cannot stop
#: (the matches' scores, the first snippets) must fit in the rest of 2 s.
QUERY_SECONDS = 1.0

#: The note of a ranking made without its optional parts (closeness of the words, stop
#: words), skipped at the deadline.
RANKING_NOTE = ("stopped after {seconds:g} s: every match is listed, ranked without how close together the words "
                "stand; narrow the query")
#: A page's snippets: the first ones always, the rest while this time (seconds) lasts.
SNIPPETS_ALWAYS = 20
SNIPPET_SECONDS = 0.25
SNIPPETS_NOTE = ("snippets for the first {n} hits only (made in {seconds:g} s); the others are listed without; "
                 "ask for fewer hits for all of them")

_deadline: ContextVar[float | None] = ContextVar("searchkit_deadline", default=None)


@contextmanager
def limited(seconds: float | None = None) -> Iterator[None]:
    """Within this block the current thread's searches end by ``seconds`` from now
    (:data:`QUERY_SECONDS` by default); an outer block's earlier deadline stands."""
    seconds = QUERY_SECONDS if seconds is None else seconds
    outer = _deadline.get()
    when = time.monotonic() + seconds
    token = _deadline.set(when if outer is None else min(outer, when))
    try:
        yield
    finally:
        _deadline.reset(token)


def left() -> float | None:
    """Seconds left before the deadline (0 when it has passed), ``None`` without one."""
    when = _deadline.get()
    return None if when is None else max(when - time.monotonic(), 0.0)


def passed() -> bool:
    """Whether this thread's search is past its deadline."""
    when = _deadline.get()
    return when is not None and time.monotonic() >= when


def seconds() -> float:
    """The budget of a search, as notes say it."""
    return QUERY_SECONDS


def cut_note(n: int) -> str:
    """The note of a search stopped at its deadline with ``n`` matches found by then."""
    return f"stopped after {QUERY_SECONDS:g} s: showing the first {n} match{'es' if n != 1 else ''} found; " \
           "narrow the query"
