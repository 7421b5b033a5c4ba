"""Reading and analyzing articles in a second process while this one writes the index.

Whoosh's writer is single-threaded Python, and so is the analyzer: on two cores the
fastest build runs them side by side. A worker process reads article files from
``corpus/``, analyzes them and sends ready documents back in chunks; the caller feeds
them to the one index writer. Whoosh's own multi-process writer (``procs=2``) splits the
*writing* instead and is slower than one writer on two cores.

Small jobs stay in this process: starting a worker costs more than it saves.
"""

from __future__ import annotations

import marshal
import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .analysis import Analyzer, WordInfo
from .corpus import Corpus
from .dedup import Signer
from .engine import prepare_document
from .errors import InputError
from .gcmode import use_bulk_thresholds
from .locking import die_with_parent

__all__ = ["Prepared", "prepare_all", "prepare_file"]

#: Below this many articles the work is done in this process.
MIN_PARALLEL = 300
#: Articles per message between the processes, and messages in flight (bounds memory
#: when the writer is the slower side).
CHUNK = 48
AHEAD = 6
#: Articles the writer prepares itself at a time while the worker is behind, and the most
#: chunks held in order before the writer waits after all.
STEAL = 8
MAX_PENDING = AHEAD + 12


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


def prepare_file(corpus: Corpus, relpath: str, analyzer: Analyzer) -> Prepared:
    """Read and analyze one article file of ``corpus``."""
    path = corpus.root / relpath
    try:
        st = path.stat()
        article = corpus.read(relpath)
    except FileNotFoundError:
        return Prepared(relpath, None)
    except InputError as e:
        return Prepared(relpath, None, str(e))
    except OSError as e:
        return Prepared(relpath, None, f"{path}: cannot read ({e.strerror or e})")
    return Prepared(relpath, prepare_document(article, analyzer, relpath, f"{st.st_mtime_ns}-{st.st_size}",
                                              signer=_SIGNER, arrived=st.st_mtime_ns))


# -- the worker side -----------------------------------------------------------------------
_worker: tuple[Corpus, Analyzer] | None = None


def _init_worker(root: str, analyzer: Analyzer, parent: int) -> None:
    global _worker
    # Ctrl-C reaches the whole process group: the parent handles it and shuts us down.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # kill -9 does not: without this the worker would wait for work forever.
    die_with_parent(parent)
    use_bulk_thresholds()
    analyzer.journal()  # record what it looks up: the writer wants those words too
    _worker = (Corpus(Path(root)), analyzer)


def _prepare_chunk(relpaths: Sequence[str], learned: list[tuple[str, WordInfo]]) -> bytes:
    # marshal, not the executor's pickle: ten times faster on these many small values
    # (documents are plain dicts, lists, tuples, str, bytes and numbers).
    assert _worker is not None
    corpus, analyzer = _worker
    analyzer.learn(learned)
    docs = [(p.relpath, p.doc, p.error) for p in (prepare_file(corpus, r, analyzer) for r in relpaths)]
    return marshal.dumps((docs, analyzer.journal()))


def _context() -> Any:
    # fork starts in milliseconds and shares the warm dictionary, but forking a process
    # that runs other threads (a TUI) can copy a held lock: spawn then.
    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def prepare_all(corpus: Corpus, relpaths: Sequence[str], analyzer: Analyzer, *,
                parallel: bool | None = None) -> Iterator[Prepared]:
    """:class:`Prepared` for each of ``relpaths``, in order.

    With ``parallel`` left to ``None`` a worker process is used for big jobs on machines
    with more than one core.
    """
    if parallel is None:
        parallel = len(relpaths) >= MIN_PARALLEL and (os.cpu_count() or 1) > 1
    if not parallel:
        for r in relpaths:
            yield prepare_file(corpus, r, analyzer)
        return
    todo = deque(relpaths[i : i + CHUNK] for i in range(0, len(relpaths), CHUNK))
    pool = ProcessPoolExecutor(max_workers=1, mp_context=_context(), initializer=_init_worker,
                               initargs=(str(corpus.root), analyzer, os.getpid()))
    # Chunks in order: a worker's future, or articles this process prepared itself.
    pending: deque[Future[bytes] | list[Prepared]] = deque()
    in_flight = 0
    try:
        while todo or pending:
            while todo and in_flight < AHEAD:
                # Each side sends the other the words it looked up since it last wrote:
                # neither looks up a word twice (about 0.5 s of a BrUK build otherwise).
                pending.append(pool.submit(_prepare_chunk, todo.popleft(), analyzer.journal()))
                in_flight += 1
            head = pending[0]
            if isinstance(head, Future) and not head.done() and todo and len(pending) < MAX_PENDING:
                # The writer is ahead of the worker: rather than wait, prepare the next few
                # articles here. The two processes share the analysis the way their speeds
                # allow (on an idle machine the writer takes about a third).
                piece, rest = todo[0][:STEAL], todo[0][STEAL:]
                if rest:
                    todo[0] = rest
                else:
                    todo.popleft()
                pending.append([prepare_file(corpus, r, analyzer) for r in piece])
                continue
            pending.popleft()
            if isinstance(head, Future):
                in_flight -= 1
                docs, learned = marshal.loads(head.result())
                analyzer.learn(learned)
                for relpath, doc, error in docs:
                    yield Prepared(relpath, doc, error)
            else:
                yield from head
    finally:
        analyzer.stop_journal()
        pool.shutdown(wait=True, cancel_futures=True)
