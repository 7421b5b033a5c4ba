"""Reading and analyzing articles for the index writer, and other processes that do the
same for part of a job.

Whoosh's writer is single-threaded Python, and so is the analyzer. On two cores the
fastest build splits the *articles*: this process reads, analyzes and writes the first
part of a job while a second process (:class:`SideJob`) reads, analyzes and writes the
rest into sorted runs, which this process's writer takes into its segment when it
commits (one segment per job; the commit writes its biggest field in a forked helper).
No document crosses between the processes. (Sending
analyzed documents from a worker to the one writer cost about a tenth of the CPU in pickling
and piping, and left the writer the bottleneck; Whoosh's own ``procs=2`` splits the
*writing* and is slower than one writer on two cores.)

A cluster indexes on its own nodes: the importing process only sends. For it the
articles of a big job are analysed by as many processes as the index asks for (see
:data:`searchkit.backends.base.ANALYSIS_PROCESSES`), each sent chunks of files over a pipe
and sending back the analysed documents, which this process turns into requests; the
processes are kept for the next job of the same corpus (an import's next batch).

Small jobs stay in this process: starting a second one costs more than it saves.
"""

from __future__ import annotations

import collections
import contextlib
import itertools
import multiprocessing
import os
import pickle
import sys
import threading
import time
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing import connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..backends.base import ANALYSIS_PROCESSES, PartWriter
from ..backends.documents import analysed_document, topic_counts
from ..backends.records import Part
from ..errors import InputError
from ..interrupts import leave_ctrl_c_to_parent
from ..store.corpus import Corpus, file_stamp, indexed_stamp
from ..store.gcmode import use_bulk_thresholds
from ..store.locking import die_with_parent
from ..text.analysis import Analyzer, load_dictionaries
from ..text.dedup import Signer
from .held import Held

if TYPE_CHECKING:
    from ..text.topics import TopicModel

__all__ = ["CHUNK", "MIN_PARALLEL", "Prepared", "SideJob", "learn_file", "may_start_processes", "prepare_all",
           "prepare_file", "prepare_held", "split"]

#: Below this many articles a job runs in this process alone.
MIN_PARALLEL = 300
#: An analysis process left idle this long after a job exits; the next job reuses the
#: processes only if the last one ended less than REUSE_WITHIN seconds ago, so none
#: leaves as a job starts.
IDLE_EXIT = 120.0
REUSE_WITHIN = 30.0
#: Files an analysis process takes from the queue at a time: few enough that the
#: processes finish together, enough that the queue's costs per message do not show.
CHUNK = 16

#: Seconds a cancelled job waits for its killed second process to be gone.
CANCEL_WAIT = 10.0

#: Near-duplicate signatures, one per process (it caches the hash of each lemma).
_SIGNER = Signer()


@dataclass(frozen=True, slots=True)
class Prepared:
    """One article file: its document for the writer, or why there is none.

    ``doc`` and ``error`` are both ``None`` when the file vanished meanwhile.
    """

    relpath: str
    doc: dict[str, Any] | None
    error: str | None = None


def prepare_file(corpus: Corpus, relpath: str, analyzer: Analyzer, topics: TopicModel | None = None) -> Prepared:
    """Read and analyze one article file of ``corpus`` (with its topic vector by ``topics``)."""
    path = corpus.root / relpath
    try:
        st = path.stat()
        article, data = corpus.read_bytes(relpath)
    except FileNotFoundError:
        return Prepared(relpath, None)
    except InputError as e:  # (one line per file: what to do with it after it)
        return Prepared(relpath, None, f"{e}; {e.hint}" if e.hint else str(e))
    except OSError as e:
        return Prepared(relpath, None, f"{path}: cannot read ({e.strerror or e})")
    try:
        doc = analysed_document(article, analyzer, relpath, indexed_stamp(file_stamp(st), data),
                               signer=_SIGNER, arrived=st.st_mtime_ns, topics=topics)
    except (MemoryError, RecursionError):
        raise
    except Exception as e:  # noqa: BLE001 - one article that breaks the analyzer must not block the rest
        return Prepared(relpath, None, f"{path}: cannot be indexed ({type(e).__name__}: {e}) — this is a bug, "
                                       "please report it; the other articles are indexed")
    return Prepared(relpath, doc)


def learn_file(corpus: Corpus, relpath: str, analyzer: Analyzer, held: Held) -> dict[str, int] | None:
    """The lemma counts a topic model learns from in one article file of ``corpus``
    (``None`` when it cannot be read: the writing reports it), its analysis kept in
    ``held`` for the writing (as budget allows)."""
    p = prepare_file(corpus, relpath, analyzer)
    if p.doc is None:
        return None
    held.keep(relpath, p.doc)
    return topic_counts(p.doc)


def prepare_held(corpus: Corpus, relpath: str, analyzer: Analyzer, topics: TopicModel | None,
                 held: Held | None) -> Prepared:
    """One article file's :class:`Prepared`: its document kept in ``held`` when there is
    one, else read and analysed now."""
    doc = held.take(relpath, topics) if held is not None else None
    return Prepared(relpath, doc) if doc is not None else prepare_file(corpus, relpath, analyzer, topics)


def prepare_all(corpus: Corpus, relpaths: Sequence[str], analyzer: Analyzer,
                topics: TopicModel | None = None, held: Held | None = None) -> Iterator[Prepared]:
    """:class:`Prepared` for each of ``relpaths`` (those kept analysed in ``held`` taken
    from it): in order when this process analyses them; as the analysis processes
    finish their chunks when the index that takes them asks for more than one
    (:data:`ANALYSIS_PROCESSES`, read at the first document) and the job is big enough."""
    todo = [r for r in relpaths if r not in held] if held else relpaths
    processes = min(ANALYSIS_PROCESSES.get(), len(todo) // CHUNK)
    if processes > 1 and len(todo) >= MIN_PARALLEL and may_start_processes():
        # the kept documents go out among those the processes send back, in proportion:
        # they analyse the next chunks meanwhile
        kept = [r for r in relpaths if r in held] if held else []
        n = 0
        with contextlib.closing(_fanned_out(corpus, todo, analyzer, processes, topics)) as fanned:
            for i, p in enumerate(fanned, 1):
                yield p
                while n < len(kept) and n * len(todo) < i * len(kept):
                    yield prepare_held(corpus, kept[n], analyzer, topics, held)
                    n += 1
        for r in kept[n:]:
            yield prepare_held(corpus, r, analyzer, topics, held)
        return
    for r in relpaths:
        yield prepare_held(corpus, r, analyzer, topics, held)


def _fanned_out(corpus: Corpus, relpaths: Sequence[str], analyzer: Analyzer, processes: int,
                topics: TopicModel | None) -> Generator[Prepared, None, None]:
    """``relpaths`` analysed by ``processes`` processes (see the module docstring)."""
    global _pool
    with _pool_lock:
        pool, _pool = _pool, None  # one job at a time owns it
    if pool is None or not pool.fits(corpus, analyzer, processes, topics):
        if pool is not None:
            pool.stop()
        pool = _AnalysisPool(corpus, analyzer, processes, topics)
    clean = False
    try:
        yield from pool.run(relpaths)
        clean = True
    finally:
        if clean:  # kept for the next job: an import's batches share warm processes
            with _pool_lock:
                if _pool is None:
                    _pool = pool
                    pool = None
        if pool is not None:  # stopped midway, its queues hold leftovers; or another job kept one
            pool.stop()


class _AnalysisPool:
    """``processes`` processes analysing files of one corpus with one analyzer, each sent
    chunks of file names over a pipe of its own (no queue threads in this process, so a
    later fork stays possible), two at a time so that none waits. Kept between jobs (an
    import indexes in batches): each process's analyzer keeps the words it has seen, which
    makes the next batch about a third cheaper to analyse than in a new process."""

    def __init__(self, corpus: Corpus, analyzer: Analyzer, processes: int, topics: TopicModel | None) -> None:
        self.root, self.analyzer, self.topics = corpus.root, analyzer, topics
        ctx = _context()
        if ctx.get_start_method() == "fork":
            load_dictionaries()  # loaded once, shared by every process
        self.conns: list[Any] = []
        self.procs: list[Any] = []
        for i in range(processes):
            mine, theirs = ctx.Pipe(duplex=True)
            proc = ctx.Process(target=_analysis_main, daemon=True, name=f"searchkit-analysis-{i}",
                               args=(theirs, str(corpus.root), analyzer, os.getpid(), topics))
            if ctx.get_start_method() == "fork":
                proc.start()
            else:
                with _main_left_alone():
                    proc.start()
            theirs.close()  # ours is the other end: EOF when the process dies
            self.conns.append(mine)
            self.procs.append(proc)
        self.used = time.monotonic()

    def fits(self, corpus: Corpus, analyzer: Analyzer, processes: int, topics: TopicModel | None) -> bool:
        """Whether the next job can use these processes: same corpus, analyzer, topic model
        and number, and used recently enough that none is about to leave (see
        :data:`REUSE_WITHIN`)."""
        return (self.root == corpus.root and self.analyzer is analyzer and self.topics is topics
                and len(self.procs) == processes
                and time.monotonic() - self.used < REUSE_WITHIN and all(p.is_alive() for p in self.procs))

    def run(self, relpaths: Sequence[str]) -> Iterator[Prepared]:
        waiting = collections.deque(list(relpaths[i : i + CHUNK]) for i in range(0, len(relpaths), CHUNK))
        out = dict.fromkeys(range(len(self.conns)), 0)  # chunks each process has
        for _ in range(2):
            for i, conn in enumerate(self.conns):
                if waiting:
                    conn.send(waiting.popleft())
                    out[i] += 1
        while any(out.values()):
            busy = [self.conns[i] for i, n in out.items() if n]
            ready: list[Any] = connection.wait(busy, timeout=1.0)
            for conn in ready:
                i = self.conns.index(conn)
                try:
                    kind, value = conn.recv()
                except EOFError:
                    self.procs[i].join()
                    raise OSError(f"an analysis process stopped unexpectedly (exit status {self.procs[i].exitcode})"
                                  ) from None
                out[i] -= 1
                if kind == "failed":
                    raise value
                if waiting:
                    conn.send(waiting.popleft())
                    out[i] += 1
                yield from value
        for conn in self.conns:
            conn.send(None)  # the job is over: from now on a process may leave when idle
        self.used = time.monotonic()

    def stop(self) -> None:
        for p in self.procs:
            if p.is_alive():
                p.kill()
            p.join()
        for c in self.conns:
            c.close()


_pool: _AnalysisPool | None = None
_pool_lock = threading.Lock()


def _analysis_main(conn: Any, root: str, analyzer: Analyzer, parent: int, topics: TopicModel | None) -> None:
    leave_ctrl_c_to_parent()
    die_with_parent(parent)
    use_bulk_thresholds()
    corpus = Corpus(Path(root))
    in_job = False
    # Within a job, wait for its next chunk however long the caller is busy sending (a
    # cluster may stall for minutes while a node restarts); between jobs, leave when idle
    # (nobody reuses the processes any more, see _AnalysisPool.fits).
    while conn.poll(None if in_job else IDLE_EXIT):
        try:
            chunk = conn.recv()
        except EOFError:
            return
        in_job = chunk is not None
        if chunk is None:
            continue
        try:
            message: tuple[str, Any] = ("done", [prepare_file(corpus, r, analyzer, topics) for r in chunk])
        except BaseException as failure:  # noqa: BLE001 - whatever it is, the parent raises it
            try:
                pickle.dumps(failure)
            except Exception:  # noqa: BLE001 - it must reach the parent in some form
                failure = OSError(f"an analysis process failed ({type(failure).__name__}: {failure})")
            message = ("failed", failure)
        conn.send(message)


def may_start_processes() -> bool:
    """Whether a job may share its work with processes it starts: not on one core, nor in
    a daemonic process (a ``multiprocessing.Pool``'s worker), which multiprocessing allows
    no children: an import there failed with an AssertionError, and did it all itself."""
    return (os.cpu_count() or 1) > 1 and not multiprocessing.current_process().daemon


def split(relpaths: Sequence[str], sizes: Sequence[int] | None = None) -> tuple[list[str], list[str]]:
    """``relpaths`` cut in two, in order, for this process and a :class:`SideJob`: at half
    the bytes when the files' ``sizes`` are known (articles differ tenfold in length),
    else at half the files. Jobs under :data:`MIN_PARALLEL` articles, and processes that
    may start none (:func:`may_start_processes`), keep everything here."""
    if len(relpaths) < MIN_PARALLEL or not may_start_processes():
        return list(relpaths), []
    cut = len(relpaths) // 2
    if sizes is not None:
        half, acc = sum(sizes) / 2, 0
        for i, size in enumerate(sizes):
            acc += size
            if acc >= half:
                cut = i + 1
                break
    return list(relpaths[:cut]), list(relpaths[cut:])


def _context() -> Any:
    """The multiprocessing context the second process starts in: the one hook that picks
    fork or spawn (tests watch it to see which).

    Fork starts in milliseconds and shares the loaded dictionaries and the analyzer's
    warm caches, but forking a process that runs other threads (a TUI) can copy a held
    lock: spawn then (see _main_left_alone)."""
    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


_spawning = threading.Lock()


@contextlib.contextmanager
def _main_left_alone() -> Iterator[None]:
    """While a process is spawned: tell it not to import the parent's ``__main__``.

    multiprocessing's spawn runs the parent's main script again in the child (as
    ``__mp_main__``) so that functions defined there unpickle; a script without an
    ``if __name__ == "__main__"`` guard that imports with searchkit would run again in
    the second indexing process, and import again. The child runs only searchkit's own
    functions on searchkit's objects, so it needs nothing from ``__main__``.
    """
    from multiprocessing import spawn

    real = spawn.get_preparation_data

    def prepared(name: str) -> dict[str, Any]:
        data = real(name)
        data.pop("init_main_from_path", None)
        data.pop("init_main_from_name", None)
        return data

    with _spawning:
        _start_resource_tracker()
        spawn.get_preparation_data = prepared
        try:
            yield
        finally:
            spawn.get_preparation_data = real


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker (a spawned process needs it) with the real
    stderr when ``sys.stderr`` stands in for it with no file descriptor (``fileno()`` -1, as
    Textual's does while an app runs): the tracker is handed that descriptor, and -1 made
    its start, and the spawn, fail ("bad value(s) in fds_to_keep", then "can only join a
    started process"): ``searchkit tui`` on a home whose index had to be built said a bug."""
    from multiprocessing import resource_tracker

    try:
        no_fd = sys.stderr.fileno() < 0
    except Exception:  # (no fileno at all: the tracker goes without it)
        no_fd = False
    real = sys.__stderr__
    if not no_fd or real is None:
        return
    stand_in, sys.stderr = sys.stderr, real  # (a moment, under _spawning; the tracker keeps running)
    try:
        resource_tracker.ensure_running()
    finally:
        sys.stderr = stand_in


class SideJob:
    """Reads, analyzes and writes ``relpaths`` in a second process with the index's
    ``writer`` (its :meth:`~searchkit.backends.base.Index.part_writer`), for the job's
    writer to take into its segment (a :class:`~searchkit.backends.base.SideWriter`).
    Afterwards ``errors`` says which files it could not read (``failed``: their paths in
    ``corpus/``), and ``written`` holds the ``(id, path)`` of each article it wrote.

    A build that learns a topic model first starts the process on its share of the
    model's sample (:meth:`learn`): it analyses those articles, sends their lemma counts
    and keeps their analysis (:class:`.held.Held`) until :meth:`start` sends it where to
    write and the model learnt (:attr:`topics`, set meanwhile); then it writes them with
    the rest, analysing none of them again."""

    #: Whether the process also indexes the files put in a queue after ``relpaths``.
    streaming = False

    def __init__(self, corpus: Corpus, relpaths: Sequence[str], analyzer: Analyzer, writer: PartWriter,
                 topics: TopicModel | None = None) -> None:
        self.corpus = corpus
        self.relpaths = list(relpaths)
        self.analyzer = analyzer
        self.topics = topics
        self.writer = writer
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.written: tuple[tuple[str, str], ...] = ()
        self._proc: Any = None
        self._conn: Any = None
        self._count: Any = None
        self._queue: Any = None  # (streaming) the files to index after relpaths, once started
        self._due = 0  # lemma counts the process has still to send

    @property
    def process(self) -> Any:
        """The second process (a :class:`multiprocessing.Process`), ``None`` before it starts."""
        return self._proc

    def learn(self, sample: Sequence[str]) -> set[str]:
        """Start the process on those of ``sample`` (the articles a topic model learns
        from) that it indexes, and return them: their lemma counts come in
        :meth:`counts`."""
        ours = set(self.relpaths)
        part = [r for r in sample if r in ours]
        if part:
            self._launch(part, None)
            self._due = len(part)
        return set(part)

    def counts(self, *, wait: bool) -> Iterator[tuple[str, dict[str, int] | None]]:
        """``(relpath, lemma counts or None)`` of the sampled articles the process has
        analysed since asked last (with ``wait``, of all it has still to)."""
        while self._due and (wait or self._conn.poll(0)):
            kind, relpath, counts = self._receive()
            assert kind == "counts", kind
            self._due -= 1
            yield relpath, counts

    def start(self, folder: str, limitmb: int) -> None:
        """Have the process write into ``folder`` (the index's new generation or live
        folder), starting it unless :meth:`learn` did."""
        if self._proc is None:
            self._launch([], (folder, limitmb, self.topics))
        else:
            self._conn.send((folder, limitmb, self.topics))

    def _launch(self, sample: list[str], go: tuple[str, int, TopicModel | None] | None) -> None:
        """Start the second process: on ``sample`` first (see :meth:`learn`), then writing
        where ``go`` says (see :meth:`start`). Every start goes through here."""
        ctx = _context()
        if ctx.get_start_method() == "fork":
            load_dictionaries()  # loaded once, shared by both processes
        self._count = ctx.RawValue("q", 0)
        self._queue = ctx.Queue() if self.streaming else None
        self._conn, theirs = ctx.Pipe()
        self._proc = ctx.Process(
            target=_side_main, daemon=True, name="searchkit-side-writer",
            args=(theirs, self.writer, str(self.corpus.root), self.relpaths, self.analyzer, self._count,
                  os.getpid(), self._queue, sample, go))
        if ctx.get_start_method() == "fork":
            self._proc.start()
        else:
            with _main_left_alone():
                self._proc.start()
        theirs.close()  # ours is the other end: EOF when the child dies

    def _receive(self) -> tuple[str, Any, Any]:
        """The process's next message; what it failed with raised here."""
        try:
            message: tuple[str, Any, Any] = self._conn.recv()
        except EOFError:
            self._proc.join()
            raise OSError(f"the second indexing process stopped unexpectedly (exit status {self._proc.exitcode})"
                          ) from None
        if message[0] == "failed":  # (the process ends once it has sent it)
            self._proc.join()
            self._failures(message[2])
            raise message[1]
        return message

    def _failures(self, failures: list[tuple[str, str]]) -> None:
        """The process's ``(relpath, error)`` for each file it could not index."""
        self.failed = [relpath for relpath, _ in failures]
        self.errors = [error for _, error in failures]

    def done(self) -> int:
        return int(self._count.value) if self._count is not None else 0

    def finish(self) -> Part:
        try:
            _, value, failures = self._receive()
            self._failures(failures)
        finally:
            self._conn.close()
        self._proc.join()
        part: Part = value
        self.written = part.written
        return part

    def cancel(self) -> None:
        if self._proc is not None and self._proc.is_alive():
            self._proc.kill()  # it ignores Ctrl-C; its half-written files are the caller's
        if self._proc is not None:
            self._proc.join(CANCEL_WAIT)  # (a process stuck in the kernel must not hold Ctrl-C up)


def _side_main(conn: Any, writer: PartWriter, root: str, relpaths: list[str], analyzer: Analyzer, count: Any,
               parent: int, queue: Any, sample: list[str], go: tuple[str, int, TopicModel | None] | None) -> None:
    # Ctrl-C reaches the whole process group: the parent handles it and stops us.
    leave_ctrl_c_to_parent()
    # kill -9 does not: without this we would write on, for nobody.
    die_with_parent(parent)
    use_bulk_thresholds()
    corpus = Corpus(Path(root))
    failures: list[tuple[str, str]] = []  # (relpath, what went wrong)
    held = Held()

    def docs(topics: TopicModel | None) -> Iterator[dict[str, Any]]:
        for r in itertools.chain(relpaths, () if queue is None else iter(queue.get, None)):
            p = prepare_held(corpus, r, analyzer, topics, held)
            if p.error is not None:
                failures.append((r, p.error))
            if p.doc is not None:
                yield p.doc
            count.value += 1

    try:
        for r in sample:  # analysed once: for the topic model now, kept for writing it later
            conn.send(("counts", r, learn_file(corpus, r, analyzer, held)))
        folder, limitmb, topics = go if go is not None else conn.recv()
        message: tuple[str, Any, list[tuple[str, str]]] = (
            "written", writer(folder, docs(topics), limitmb=limitmb), failures)
    except BaseException as failure:  # noqa: BLE001 - whatever it is, the parent raises it
        message = ("failed", failure, failures)
    try:
        conn.send(message)
    except Exception:  # noqa: BLE001 - an exception that does not pickle
        what = message[1]
        conn.send(("failed", OSError(f"the second indexing process failed ({type(what).__name__}: {what})"),
                   failures))
    conn.close()
