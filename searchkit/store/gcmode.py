"""Garbage-collector settings for bulk work.

Indexing allocates millions of small lists and tuples that live until the commit. With
CPython's default thresholds (a young collection every 700 allocations, older ones
after 10 of those) the collector keeps walking that growing heap: a third of an
indexing run's CPU on BrUK. Our indexing code makes no reference cycles, so during bulk
work the collector runs rarely; it still runs, so a cycle made elsewhere is freed.

A ``searchkit`` process runs one command and exits, and keeps nearly everything it
loads until then (its modules, the dictionaries, the index's tables): it runs under
the bulk thresholds from the start (:func:`one_command`).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["BULK_THRESHOLDS", "bulk_collection", "collect_batch_garbage", "one_command", "use_bulk_thresholds"]

#: A young collection every 50,000 allocations, older generations far less often.
BULK_THRESHOLDS = (50_000, 200, 1000)


def use_bulk_thresholds() -> None:
    """For a process that does nothing but bulk work (the second indexing process)."""
    gc.set_threshold(*BULK_THRESHOLDS)


def one_command() -> None:
    """For a process that runs one command and ends with it (the ``searchkit`` program):
    the bulk thresholds from here to its end. What such a process allocates it mostly
    keeps until it exits, and under the default thresholds the collector walked it again
    and again to free next to nothing: a fresh ``searchkit search`` at 100,000 articles
    ran 154 collections (a full one among them) for 55-140 ms and freed 412 objects.
    Fresh ``search школа`` at 100,000 articles, interleaved, 8 runs each (median CPU):
    0.836 s under the default thresholds, 0.779 s under these, 0.742 s with the collector
    off. Not off: a long command (``search -`` over a file of queries, an export) makes
    cycles a search at a time (Whoosh's searchers and readers hold their open files),
    which only the collector frees."""
    gc.set_threshold(*BULK_THRESHOLDS)


_lock = threading.Lock()
_inside = 0  # blocks running bulk work, in all threads
_before: tuple[int, ...] = ()  # the thresholds the first of them found


@contextmanager
def bulk_collection() -> Iterator[None]:
    """Bulk thresholds while the block runs; the previous ones after the last such block
    of the process ends. (The thresholds are the process's: threads sharing an Engine may
    end their blocks out of order, and each putting back what it found left the bulk
    thresholds in place for good.)"""
    global _inside, _before
    with _lock:
        if _inside == 0:
            _before = gc.get_threshold()
            gc.set_threshold(*BULK_THRESHOLDS)
        _inside += 1
    try:
        yield
    finally:
        with _lock:
            _inside -= 1
            if _inside == 0:
                gc.set_threshold(*_before)


def collect_batch_garbage() -> None:
    """A full collection, for the end of each batch of bulk work.

    Under :data:`BULK_THRESHOLDS` the oldest generation is almost never collected, so
    the reference cycles each batch leaves behind (Whoosh's searchers, readers and
    their open files) would pile up for the whole import. One full collection per
    batch of thousands of articles costs tens of milliseconds.
    """
    gc.collect()
