"""Garbage-collector settings for bulk work.

Indexing allocates millions of small lists and tuples that live until the commit. With
CPython's default thresholds (a young collection every 700 allocations, older ones
after 10 of those) the collector keeps walking that growing heap: a third of an
indexing run's CPU on BrUK. Our indexing code makes no reference cycles, so during bulk
work the collector runs rarely; it still runs, so a cycle made elsewhere is freed.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["BULK_THRESHOLDS", "bulk_collection", "collect_batch_garbage", "use_bulk_thresholds"]

#: A young collection every 50,000 allocations, older generations far less often.
BULK_THRESHOLDS = (50_000, 200, 1000)


def use_bulk_thresholds() -> None:
    """For a process that does nothing but bulk work (the second indexing process)."""
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
