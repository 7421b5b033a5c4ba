"""Garbage-collector settings for bulk work.

Indexing allocates millions of small lists and tuples that live until the commit. With
CPython's default thresholds (a young collection every 700 allocations, older ones
after 10 of those) the collector keeps walking that growing heap: a third of an
indexing run's CPU on BrUK. Our indexing code makes no reference cycles, so during bulk
work the collector runs rarely; it still runs, so a cycle made elsewhere is freed.

A ``searchkit`` process runs one command and exits, and keeps nearly everything it
loads until then (its modules, the dictionaries, the index's tables): it runs that
command with the collector off (:func:`one_command`), but for its bulk work and the
terminal UI, which turn it back on.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["BULK_THRESHOLDS", "bulk_collection", "collect_batch_garbage", "interactive", "one_command",
           "use_bulk_thresholds"]

#: A young collection every 50,000 allocations, older generations far less often.
BULK_THRESHOLDS = (50_000, 200, 1000)


def use_bulk_thresholds() -> None:
    """For a process that does nothing but bulk work (the second indexing process; forked,
    it may have found the collector off: see :func:`one_command`)."""
    gc.set_threshold(*BULK_THRESHOLDS)
    gc.enable()


def one_command() -> None:
    """For a process that runs one command and ends with it (the ``searchkit`` program):
    the collector off from here to the end. What such a process allocates it mostly keeps
    until it exits, and the collector walked it again and again to free next to nothing:
    a fresh ``searchkit search`` at 100,000 articles ran 154 collections (a full one among
    them) for 55-140 ms, then a full one of 20-90 ms as the interpreter shut down, and
    freed 412 objects. Bulk work (:func:`bulk_collection`) and the terminal UI
    (:func:`interactive`) turn it back on while they run."""
    gc.disable()


@contextmanager
def interactive() -> Iterator[None]:
    """The collector on while the block runs (a terminal UI searching again and again),
    as it was before it (off, after :func:`one_command`)."""
    was = gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        if not was:
            gc.disable()


_lock = threading.Lock()
_inside = 0  # blocks running bulk work, in all threads
_before: tuple[int, ...] = ()  # the thresholds the first of them found
_was_on = True  # and whether it found the collector on


@contextmanager
def bulk_collection() -> Iterator[None]:
    """Bulk thresholds while the block runs, the collector on; the previous ones (and the
    collector as it was) after the last such block of the process ends. (The thresholds
    are the process's: threads sharing an Engine may end their blocks out of order, and
    each putting back what it found left the bulk thresholds in place for good.)"""
    global _inside, _before, _was_on
    with _lock:
        if _inside == 0:
            _before = gc.get_threshold()
            _was_on = gc.isenabled()
            gc.set_threshold(*BULK_THRESHOLDS)
            gc.enable()
        _inside += 1
    try:
        yield
    finally:
        with _lock:
            _inside -= 1
            if _inside == 0:
                gc.set_threshold(*_before)
                if not _was_on:
                    gc.disable()


def collect_batch_garbage() -> None:
    """A full collection, for the end of each batch of bulk work.

    Under :data:`BULK_THRESHOLDS` the oldest generation is almost never collected, so
    the reference cycles each batch leaves behind (Whoosh's searchers, readers and
    their open files) would pile up for the whole import. One full collection per
    batch of thousands of articles costs tens of milliseconds.
    """
    gc.collect()
