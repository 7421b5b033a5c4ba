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

__all__ = [
    "ANSWER_SECONDS",
    "CLUSTER_QUERY_SECONDS",
    "QUERY_SECONDS",
    "RANKING_NOTE",
    "SNIPPETS_ALWAYS",
    "SNIPPETS_NOTE",
    "SNIPPET_SECONDS",
    "TURN_SECONDS",
    "answer_left",
    "cut_note",
    "left",
    "limited",
    "passed",
    "paused",
    "restart",
    "scope",
    "seconds",
    "snippets_cut",
    "turn_left",
    "waited_turn",
]

#: The time a search may take before it stops where it is (seconds): what cannot stop
#: (the matches' scores, the first snippets) must fit in the rest of 2 s.
QUERY_SECONDS = 1.0
#: The same on a cluster, where every step (a word looked up, a count, a correction tried)
#: is a request over the network: past it the cluster is asked nothing more about words,
#: and the search itself gets the rest of :data:`ANSWER_SECONDS`. (A misspelt three-word
#: query takes 0.4 s warm there and 1.3 s on a cold index of a 3-node cluster on a loaded
#: 2-core machine: its partial matches are then left out, and said.)
CLUSTER_QUERY_SECONDS = 1.2
#: Every search is answered (or refused) within this many seconds; a request to a cluster
#: is given what is left of it, less :data:`ANSWER_RESERVE` for the snippets.
ANSWER_SECONDS = 2.0
ANSWER_RESERVE = 0.4
#: The least a request is given, however late: a search that is past its time still asks once.
MIN_REQUEST_SECONDS = 0.25

#: The longest one search waits, all told, for its turns at an index that threads share
#: (seconds). The wait is no part of its time (queueing behind other searches is not the
#: query's fault: counted, 40 threads on 1,396 articles cut 8 of 200 plain searches and
#: told them to narrow the query); past this the search is refused as busy instead.
TURN_SECONDS = 5.0

#: The note of a ranking made without its optional parts (closeness of the words, stop
#: words), skipped at the deadline.
RANKING_NOTE = ("stopped after {seconds:g} s: every match is listed, ranked without how close together the words "
                "stand; narrow the query")
#: A page's snippets: the first ones always, the rest while this time (seconds) lasts.
#: 0.15 s: a fresh ``search -n 1000`` at 100,000 articles answers in 0.53-0.58 s with
#: snippets for its first 180-250 hits (0.25 s gave 555 and 0.67 s).
SNIPPETS_ALWAYS = 20
SNIPPET_SECONDS = 0.15
SNIPPETS_NOTE = ("snippets for the first {n} hits only (made in {seconds:g} s); the others are listed without; "
                 "ask for fewer hits for all of them")


def snippets_cut(note: str) -> bool:
    """Whether a note of what was cut short is :data:`SNIPPETS_NOTE`: every match is there,
    so the advice is fewer hits, not a narrower query."""
    return note.startswith(SNIPPETS_NOTE.split("{", 1)[0])

_deadline: ContextVar[float | None] = ContextVar("searchkit_deadline", default=None)
_started: ContextVar[float | None] = ContextVar("searchkit_started", default=None)
_seconds: ContextVar[float | None] = ContextVar("searchkit_budget", default=None)
_scope: ContextVar[object | None] = ContextVar("searchkit_search", default=None)
_turns: ContextVar[list[float] | None] = ContextVar("searchkit_turns", default=None)  # (waited so far)


@contextmanager
def limited(seconds: float | None = None) -> Iterator[None]:
    """Within this block the current thread's searches end by ``seconds`` from now
    (:data:`QUERY_SECONDS` by default); an outer block's earlier deadline stands."""
    seconds = QUERY_SECONDS if seconds is None else seconds
    outer = _deadline.get()
    now = time.monotonic()
    when = now + seconds
    token = _deadline.set(when if outer is None else min(outer, when))
    said = _seconds.set(seconds if outer is None else _seconds.get())
    began = _started.set(now if outer is None else _started.get())
    search = _scope.set(object() if outer is None else _scope.get())
    turns = _turns.set([0.0] if outer is None else _turns.get())
    try:
        yield
    finally:
        _turns.reset(turns)
        _scope.reset(search)
        _started.reset(began)
        _seconds.reset(said)
        _deadline.reset(token)


def restart() -> None:
    """Give this thread's search its whole budget again from now: after it had to build
    the index first (a first search, a changed ``lexicon.tsv``), which is no part of it."""
    given = _seconds.get()
    if _deadline.get() is None or given is None:
        return
    now = time.monotonic()
    _deadline.set(now + given)
    _started.set(now)


@contextmanager
def paused() -> Iterator[None]:
    """Time spent in this block does not count against this thread's search: a load done
    once per process or per index (the topic model, with numpy's import) is no part of
    the search that happens to come first. A fresh ``searchkit search`` spent 0.3 s there,
    and on a busy machine that alone cut a search of 1,396 articles short."""
    began = time.monotonic()
    try:
        yield
    finally:
        when = _deadline.get()
        if when is not None:
            spent = time.monotonic() - began
            _deadline.set(when + spent)
            started = _started.get()
            if started is not None:
                _started.set(started + spent)


def turn_left() -> float | None:
    """Seconds this thread's search may still wait for its turns at a shared index (see
    :data:`TURN_SECONDS`), ``None`` outside a search (a writer waits as long as it takes)."""
    turns = _turns.get()
    return None if turns is None else max(TURN_SECONDS - turns[0], 0.0)


def waited_turn(seconds: float) -> None:
    """Count ``seconds`` waited for a turn against :func:`turn_left`, and not against the
    search's time (the caller waited within :func:`paused`)."""
    turns = _turns.get()
    if turns is not None:
        turns[0] += seconds


def left() -> float | None:
    """Seconds left before the deadline (0 when it has passed), ``None`` without one."""
    when = _deadline.get()
    return None if when is None else max(when - time.monotonic(), 0.0)


def answer_left() -> float | None:
    """Seconds a request of this thread's search may take so that the search answers
    within :data:`ANSWER_SECONDS` (at least :data:`MIN_REQUEST_SECONDS`), ``None`` outside a
    search."""
    began = _started.get()
    if began is None:
        return None
    return max(ANSWER_SECONDS - ANSWER_RESERVE - (time.monotonic() - began), MIN_REQUEST_SECONDS)


def scope() -> object | None:
    """A token of this thread's search (the outermost :func:`limited` block), ``None``
    outside one: what one search may share with itself and not with the next."""
    return _scope.get()


def passed() -> bool:
    """Whether this thread's search is past its deadline."""
    when = _deadline.get()
    return when is not None and time.monotonic() >= when


def seconds() -> float:
    """The budget of this thread's search, as notes say it."""
    given = _seconds.get()
    return QUERY_SECONDS if given is None else given


def cut_note(n: int) -> str:
    """The note of a search stopped at its deadline with ``n`` matches found by then."""
    return f"stopped after {seconds():g} s: showing the first {n} match{'es' if n != 1 else ''} found; " \
           "narrow the query"
