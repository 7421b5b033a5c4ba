"""An import into a home without a usable index: the index is built while the articles
are stored, on both cores.

Storing is one process's work (reading the input, writing each article's file), and
building the index is work for two. Done one after the other, the second core idles
while articles are stored; so the build starts during the import, once the articles its
topic model learns from are stored (the first 3,000, or all if fewer: a first import of
more learns from its first 3,000, where ``index --rebuild`` learns from 3,000 spread over
the archive). Every article stored
goes into a queue of files to index. A second process (:class:`StreamSide`, started
once the queue holds :data:`~searchkit.ingest.pipeline.MIN_PARALLEL` files) indexes from the
queue from the start (into sorted runs, which the build's commit takes into its one
segment); this process joins it once the input is
stored, and the two share what is left. When the model's sample is that big, the second
process starts with the learning instead: each process analyses half the sample for the
model and later writes those articles, analysed once (see :mod:`.held`), none of which
goes into the queue. Then the build commits as ``index --rebuild``
commits: a new generation, swapped in when complete. The articles already in
``corpus/`` that the import did not touch are queued after its own.

A file stored twice by one import (one id twice) may have been indexed in its first
version: it is indexed again, replacing it, once the build is in.
"""

from __future__ import annotations

import collections
import contextlib
import itertools
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from queue import Empty
from typing import TYPE_CHECKING, Any

from ..backends.base import Capability, Index, PartWriter, relayed
from ..backends.records import Part
from ..models import IndexReport
from ..store.corpus import Corpus, article_filename
from ..text.analysis import Analyzer
from ..text.topics import SAMPLE
from . import pipeline
from .pipeline import SideJob, prepare_file, prepare_held, split
from .topics import Learnt, learn

if TYPE_CHECKING:
    from ..text.topics import TopicModel

__all__ = ["StreamSide", "build_while_storing"]

Progress = Callable[[int, int | None], None]

#: Seconds a cancelled build spends reading off its queue of files (see :func:`_abandon`).
ABANDON_DRAIN = 1.0


class StreamSide(SideJob):
    """A :class:`SideJob` fed article files one at a time: :meth:`put` queues one, and
    :meth:`take` hands this process the next one nobody has taken. The second process
    starts once :data:`~.pipeline.MIN_PARALLEL` files wait (or never, for a small job: then
    :meth:`finish` gives no part), or as the build learns its topic model, on half the
    model's sample (:meth:`learn`), which it then indexes before its queue."""

    streaming = True

    def __init__(self, corpus: Corpus, analyzer: Analyzer, writer: PartWriter,
                 topics: TopicModel | None = None) -> None:
        super().__init__(corpus, [], analyzer, writer, topics)
        self._waiting: collections.deque[str] = collections.deque()
        self._start: tuple[str, int] | None = None
        self._closed = False

    def learn(self, sample: Sequence[str]) -> set[str]:
        """:meth:`SideJob.learn` of the second half of ``sample`` by bytes (none of a
        small one, or where no process may be started: see :func:`~.pipeline.split`)."""
        self.relpaths = split(sample, [_size(self.corpus.root / r) for r in sample])[1]
        return super().learn(sample)

    def start(self, folder: str, limitmb: int) -> None:
        if self._proc is not None:  # started to learn: it writes from now on
            super().start(folder, limitmb)
        else:
            self._start = (folder, limitmb)  # the process starts when the queue is long enough

    def put(self, relpath: str) -> None:
        if self._queue is not None:
            self._queue.put(relpath)
            return
        self._waiting.append(relpath)
        # (read here, not bound at import: the rule is the pipeline's, as split()'s is)
        if len(self._waiting) >= pipeline.MIN_PARALLEL and pipeline.may_start_processes() and self._start is not None:
            super().start(*self._start)
            queue: Any = self._queue  # (made by the start)
            while self._waiting:
                queue.put(self._waiting.popleft())

    def end(self) -> None:
        """No more files: each process stops when the queue runs dry."""
        if self._queue is not None:
            self._queue.put(None)  # one end for each process
            self._queue.put(None)

    def take(self) -> str | None:
        """The next file for this process to index; ``None`` when there is none left."""
        if self._queue is None:
            return self._waiting.popleft() if self._waiting else None
        relpath: str | None = self._queue.get()
        return relpath

    def done(self) -> int:
        return super().done() if self._queue is not None else 0

    def finish(self) -> Part:
        if self._queue is None:
            return Part(None, ())
        part = super().finish()
        # Every file was taken: the queue's feeder thread ends, so that the commit may
        # fork its helper (a process with other threads does not fork).
        self._queue.close()
        self._queue.join_thread()
        self._closed = True
        return part

    def cancel(self) -> None:
        super().cancel()
        if self._queue is not None and not self._closed:
            self._closed = True
            _abandon(self._queue)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # (gone: the build reports it)


def _abandon(queue: Any) -> None:
    """Close ``queue`` once the process that read it is gone (killed by a Ctrl-C, or
    failed).

    Its feeder thread may be blocked writing to a pipe that is full and that nobody reads
    any more; Python joins that thread at exit, and would wait for ever ("Interrupted."
    printed, the process never ending). So the exit is told not to wait for it, and what
    the pipe holds is read off for a moment, so that the thread can send the rest and end.
    """
    queue.cancel_join_thread()
    deadline = time.monotonic() + ABANDON_DRAIN
    # Empty: nothing more came (or the killed reader died holding the queue's read lock)
    with contextlib.suppress(Empty, OSError, EOFError):
        while time.monotonic() < deadline:
            queue.get(timeout=0.05)
    queue.close()


def build_while_storing(index: Index, corpus: Corpus, analyzer: Analyzer, stored: Iterable[str],
                        report: IndexReport, progress: Progress | None = None,
                        failed: list[str] | None = None) -> list[str]:
    """Build a new generation of ``index`` (the embedded one: a backend that writes a job
    in two processes) from every article of ``corpus``, starting while ``stored`` (the
    import: it stores articles and yields the ids of those that changed) is still storing
    them. Returns the changed ids, in order.

    The build starts once the first :data:`~searchkit.text.topics.SAMPLE` articles are
    stored (or all, if fewer), and the topic model is learnt from them (with the articles
    ``corpus/`` held before, up to the sample): every article it writes has its vector.
    The sampled articles are analysed by both processes, and each writes those it
    analysed without analysing them again (see :mod:`.held`). ``failed`` hears of the
    files that could not be read (their paths in ``corpus/``)."""
    writer = index.part_writer() if Capability.PARALLEL_WRITE in index.capabilities else None
    if writer is None:
        raise TypeError("an import is built while stored only by a backend that writes in two processes")
    stored = iter(stored)
    head = list(itertools.islice(stored, SAMPLE))
    learn_from = list(dict.fromkeys(article_filename(i) for i in head))
    if len(learn_from) < SAMPLE:
        known = set(learn_from)
        learn_from += [f.relpath for f in corpus.scan() if f.relpath not in known]
    side = StreamSide(corpus, analyzer, writer)
    try:  # (the second process may have started to learn: it goes with a failure)
        learnt = learn(corpus, learn_from, analyzer, progress, side=side)
        return _build(index, corpus, analyzer, side, learnt, itertools.chain(head, stored), report, progress,
                      [] if failed is None else failed)
    except BaseException:
        side.cancel()
        raise


def _build(index: Index, corpus: Corpus, analyzer: Analyzer, side: StreamSide, learnt: Learnt,
           stored: Iterator[str], report: IndexReport, progress: Progress | None, failed: list[str]) -> list[str]:
    """:func:`build_while_storing` once the model is learnt: ``stored`` gives the ids
    stored for it, then stores the rest."""
    model, held = learnt.model, learnt.held
    # Written by the process that analysed them for the model: none goes into the queue.
    claimed = {*side.relpaths, *held.relpaths()}
    changed: list[str] = []
    queued: set[str] = set()
    again: list[str] = []
    total: list[int | None] = [None]

    def docs() -> Iterator[dict[str, Any]]:
        for art_id in stored:
            changed.append(art_id)
            relpath = article_filename(art_id)
            # stored twice: the index may hold the first version (a claimed article's
            # too, the one analysed for the model: all were stored before it was learnt)
            if relpath in queued:
                again.append(relpath)
                continue
            queued.add(relpath)
            if relpath not in claimed:
                side.put(relpath)
        for f in corpus.scan():
            if f.relpath not in queued:
                queued.add(f.relpath)
                if f.relpath not in claimed:
                    side.put(f.relpath)
        total[0] = len(queued)
        side.end()
        for relpath in itertools.chain(held.relpaths(), iter(side.take, None)):
            p = prepare_held(corpus, relpath, analyzer, model, held)
            if p.error is not None:
                report.failed += 1
                report.errors.append(p.error)
                failed.append(relpath)
            if p.doc is not None:
                yield p.doc

    def step(n: int, _total: int | None) -> None:
        if progress is not None and total[0] is not None:
            progress(n, total[0])

    report.indexed = index.rebuild(docs(), progress=relayed(step, progress), side=side, topics=model)
    report.failed += len(side.errors)
    report.errors.extend(side.errors)
    failed.extend(side.failed)
    report.rebuilt = True
    if again:  # the last version replaces whichever was indexed
        def docs_again() -> Iterator[dict[str, Any]]:
            for relpath in dict.fromkeys(again):
                p = prepare_file(corpus, relpath, analyzer, model)
                if p.doc is not None:
                    yield p.doc

        index.apply(docs_again())
    return changed
