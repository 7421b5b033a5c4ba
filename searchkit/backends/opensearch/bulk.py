"""Bulk writes to a cluster: requests sized by bytes, several in flight, every item retried
until it is in.

The process that writes also prepares the next request (each document's JSON) while the
cluster indexes the last ones: :class:`BulkSender` hands each full request to one of
:data:`CONCURRENT` sending threads (the client waits on the network without holding the
interpreter), and blocks when they all have one waiting, so the writer never runs more
than a few requests ahead of the cluster. Requests are cut at :data:`BULK_BYTES`, not at a
number of articles: articles differ tenfold in length, and a cluster's cost per request
follows its bytes.

Back-pressure: items the cluster rejects with 429 (its write queue is full) or a 5xx (a
shard moving) are sent again after a pause that doubles up to 10 s; a request that fails
on the connection (a node went away) is sent again, and the client sends it to another
node. Every item is an index, delete or partial update by article id, so sending one
twice never duplicates an article. What still fails after :data:`RETRY_FOR` seconds fails
the write. Before an item turned away with a 5xx (or a request that lost its connection)
is sent again, the cluster is asked whether the shard lost its last copy with a node that
left (:func:`.shards.lost`): no pause brings that back, and the write stops at once.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

from ...advice import INDEX
from ...errors import IndexError_, clipped
from . import shards
from .client import RETRIED_STATUSES, Connection, reason

__all__ = ["BULK_BYTES", "CONCURRENT", "PRIMARY_WAIT", "RETRY_FOR", "BulkSender"]

#: A request is sent once its lines reach this size.
BULK_BYTES = 4 * 1024 * 1024
#: Requests in flight at once (one per sending thread).
CONCURRENT = 3
#: How long one request keeps being retried (cluster busy or a node restarting).
RETRY_FOR = 180.0
#: How long a node holds an item whose shard has no active primary before it answers 503
#: (the bulk API's ``timeout``): the sender waits on such a shard itself, between tries
#: that ask why (:func:`.shards.lost`). At the API's 60 s (the value before), a rebuild
#: whose node died with a shard was told so after three minutes of tries.
PRIMARY_WAIT = 5.0

#: One item: the article id, its action line, its source line (none for a delete).
Op = tuple[str, str, str | None]
_KINDS = {"index": 0, "delete": 1}  # anything else (an update) counts as 2


class BulkSender:
    """Writes items into the concrete index ``index`` (see the module docstring). Use as a
    context manager; :meth:`flush` waits until everything added so far is in. ``done``
    counts ``[indexed, deleted, updated]`` items; ``progress(indexed, total)`` hears, in
    the writing thread, of the requests completed since it last heard."""

    def __init__(self, conn: Connection, index: str, *, progress: Callable[[int, int | None], None] | None = None,
                 total: int | None = None, concurrent: int = CONCURRENT, max_bytes: int | None = None) -> None:
        self.conn = conn
        self.index = index
        self.done = [0, 0, 0]
        self._progress = progress
        self._reported = 0
        self._total = total
        self._concurrent = max(1, concurrent)
        self._max_bytes = max_bytes or BULK_BYTES
        self._chunk: list[Op] = []
        self._size = 0
        self._queue: queue.Queue[list[Op] | None] = queue.Queue(maxsize=self._concurrent)
        self._threads: list[threading.Thread] = []
        self._writer: Any = None
        self._failure: BaseException | None = None
        self._lock = threading.Lock()

    # -- adding items (the writing thread) ----------------------------------------------------
    def index_doc(self, art_id: str, source: dict[str, Any]) -> None:
        self._add((art_id, json.dumps({"index": {"_id": art_id}}, ensure_ascii=False),
                   json.dumps(source, ensure_ascii=False)))

    def delete(self, art_id: str) -> None:
        self._add((art_id, json.dumps({"delete": {"_id": art_id}}, ensure_ascii=False), None))

    def update(self, art_id: str, values: dict[str, Any]) -> None:
        """A partial update (a document deleted meanwhile is skipped)."""
        self._add((art_id, json.dumps({"update": {"_id": art_id}}, ensure_ascii=False),
                   json.dumps({"doc": values}, ensure_ascii=False)))

    def _add(self, op: Op) -> None:
        self._chunk.append(op)
        self._size += len(op[1]) + len(op[2] or "") + 2
        if self._size >= self._max_bytes:
            self._submit()

    def _submit(self) -> None:
        self._check()
        if not self._chunk:
            return
        if not self._threads:  # started with the first request, not before: see ingest.pipeline
            self._writer = self.conn.writer  # made here, not by two threads at once
            self._threads = [threading.Thread(target=self._run, name=f"searchkit-bulk-{i}", daemon=True)
                             for i in range(self._concurrent)]
            for t in self._threads:
                t.start()
        self._queue.put(self._chunk)  # blocks while every thread has a request waiting
        self._chunk, self._size = [], 0
        self._report()

    def _report(self) -> None:
        # from the writing thread only: a shell's progress display is not thread-safe
        if self._progress is not None and self.done[0] != self._reported:
            self._reported = self.done[0]
            self._progress(self._reported, self._total)

    def flush(self) -> None:
        """Send what is left and wait until every item added so far is in."""
        self._submit()
        self._queue.join()
        self._check()
        self._report()

    def _check(self) -> None:
        if self._failure is not None:
            raise self._failure

    def __enter__(self) -> BulkSender:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if kind is not None:  # stop early: what is not sent yet is dropped
            self._failure = self._failure or exc or IndexError_("the write was interrupted")
        for _ in self._threads:
            self._queue.put(None)
        for t in self._threads:
            t.join()

    # -- sending (the sending threads) ----------------------------------------------------------
    def _run(self) -> None:
        while True:
            chunk = self._queue.get()
            try:
                if chunk is None:
                    return
                if self._failure is None:  # after a failure the rest is dropped, not sent
                    self._send(chunk)
            except BaseException as e:  # noqa: BLE001 - the writing thread raises it
                with self._lock:
                    self._failure = self._failure or e
            finally:
                self._queue.task_done()

    def _send(self, chunk: list[Op]) -> None:
        """One request until every item is in: rejected items (429, 5xx) and lost
        connections are retried with growing pauses; any other item error fails the write."""
        os_ = self.conn.os
        pending = chunk
        pause = 0.5
        deadline = time.monotonic() + RETRY_FOR
        while pending and self._failure is None:  # after a failure elsewhere, stop retrying
            body = "".join(a + "\n" + (s + "\n" if s is not None else "") for _, a, s in pending)
            try:
                res = self._writer.bulk(body=body, index=self.index,
                                        params={"timeout": f"{PRIMARY_WAIT:g}s", "request_timeout": 90})
            except (os_.ConnectionError, os_.ConnectionTimeout) as e:
                if time.monotonic() > deadline:
                    raise IndexError_(f"cannot reach OpenSearch at {self.conn.shown}: {e.info or e}",
                                      hint=f"the import can be resumed with {INDEX}") from None
                self._stop_if_lost()
                time.sleep(pause)
                pause = min(pause * 2, 10.0)
                continue
            except os_.TransportError as e:
                if e.status_code in (429, *RETRIED_STATUSES) and time.monotonic() < deadline:
                    if e.status_code != 429:
                        self._stop_if_lost()
                    time.sleep(pause)
                    pause = min(pause * 2, 10.0)
                    continue
                raise IndexError_(f"OpenSearch refused a bulk write: {e.status_code} {reason(e)}") from None
            retry = []
            why: dict[int, str] = {}  # a rejection's status: the cluster's reason, in one line
            counts = [0, 0, 0]
            for item, op in zip(res["items"], pending, strict=True):
                kind, result = next(iter(item.items()))
                status = int(result.get("status", 500))
                if status < 300:
                    counts[_KINDS.get(kind, 2)] += 1
                elif kind in ("delete", "update") and status == 404:
                    pass  # was not indexed (or deleted since): nothing to remove or change
                elif status in (429, 503) or status >= 500:
                    retry.append(op)  # back-pressure or a shard moving: send it again
                    why.setdefault(status, reason({"error": result.get("error") or "no reason given"}))
                else:
                    raise IndexError_(f"OpenSearch rejected article {op[0]!r}: {status} {result.get('error')}")
            with self._lock:
                for i, n in enumerate(counts):
                    self.done[i] += n
            if retry and set(why) != {429}:
                self._stop_if_lost()
            if retry and time.monotonic() > deadline:
                raise _kept_rejecting(len(retry), why)
            if retry:
                time.sleep(pause)
                pause = min(pause * 2, 10.0)
            pending = retry

    def _stop_if_lost(self) -> None:
        """Fail the write if a shard of the index lost its last copy with a node that left."""
        lost = shards.lost(self.conn, self.index)
        if lost:
            raise shards.refuse_writes(self.index, lost)


def _kept_rejecting(n: int, why: dict[int, str]) -> IndexError_:
    """The error of writes still rejected after :data:`RETRY_FOR`: the cluster's reasons, and
    overload only when it said so (429), not when a shard had no copy on a running node
    (a node that died during a rebuild, whose new index has no replicas yet)."""
    reasons = "; ".join(f"{status} {clipped(' '.join(text.split()), 160)}" for status, text in sorted(why.items()))
    busy = set(why) == {429}
    return IndexError_(f"OpenSearch kept rejecting {n} writes for {RETRY_FOR:.0f} s: {reasons}",
                       hint=("the cluster is overloaded" if busy else "check that every node is up")
                       + f"; {INDEX} resumes the import")
