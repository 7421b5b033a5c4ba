"""The index's folders and its readers: generations, opening, reads retried, one searcher.

Index layout (``HOME/index/``)::

    CURRENT          the name of the live generation, replaced atomically
    gen-000002/      a complete Whoosh index + searchkit.json (analyzer version, lexicon)
                     + duplicates.json (groups of near-duplicate ids, derived from the index)
                     + topics.npz (the topic model the articles' vectors were made by, if any)

``index --rebuild`` writes a new generation beside the live one and swaps CURRENT only when
it is complete, so a crash mid-rebuild leaves the last good index in use; within a
generation every Whoosh commit writes its table of contents to a temporary file and renames
it. Leftovers of a killed writer (a half-built generation, Whoosh temporary files) are
removed by the next writer, under the home lock. Readers never lock: when a writer swaps
or merges files under a search, the search is retried on the new state. Documents are
analyzed by searchkit's own analyzer and handed to Whoosh as ready term lists: the fields
below never run an analyzer, so the pickled schema holds no analyzer state (and indexing
skips Whoosh's per-token machinery).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import pickle
import re
import shutil
import struct
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from . import lean  # noqa: F401  - first: Whoosh without what it loads for nothing

# isort: split

from whoosh import index, scoring

from ...errors import IndexBusy, IndexDamaged, NoIndex, QueryError, SearchkitError
from ...query import budget
from ...store.atomic import write_atomically
from ...text import dedup
from ...text.analysis import ANALYZER_VERSION
from ..base import INDEX_FORMAT, IndexMeta, IndexStatus, Ranking, ReadsLexicon, status_of
from .bulkeval import BulkEvaluator
from .documents import make_schema
from .expansions import Expansions

if TYPE_CHECKING:
    from ...query.userlexicon import LexiconSource
    from ...text.topics import TopicModel

#: The topic model's file in a generation.
TOPICS_FILE = "topics.npz"
#: Attempts at a read that fails because another process swapped or merged files under it.
READ_ATTEMPTS = 3
_GEN_NAME = re.compile(r"gen-\d{6,9}")

#: In a generation: the damage a read met in its files, noted so that the writers (``index``,
#: ``import``, ``delete``) rebuild it, and ``stats`` says it (see :meth:`IndexStore.status`).
DAMAGE_NOTE = "DAMAGED"

#: What a read says when there is no index: the words of :attr:`IndexStatus.MISSING`.
NO_INDEX_YET = str(IndexStatus.MISSING.reason)
T = TypeVar("T")
P = ParamSpec("P")
S = TypeVar("S", bound="IndexStore")


#: What reading a damaged file raises wherever it is read, in Whoosh or in searchkit's own
#: readers: a cut file, garbage lengths and offsets, text and pickles that do not decode.
DAMAGE: tuple[type[Exception], ...] = (OSError, EOFError, ValueError, LookupError, struct.error, zlib.error,
                                       pickle.UnpicklingError, OverflowError, MemoryError)


def is_damage(e: Exception) -> bool:
    """Whether ``e`` is what a read of a damaged index raises: one of :data:`DAMAGE`, or
    anything Whoosh itself raises, which on garbage also fails an ``assert`` (a generation
    number), raises a bare ``Exception`` (a block's tag) or a ``TypeError`` (a field
    length). Any other error, a ``NameError`` or ``TypeError`` in searchkit's own code, is
    a bug: reported as one, not as damage that a rebuild would fix."""
    if isinstance(e, SearchkitError):
        return False
    if isinstance(e, DAMAGE):
        return True
    return _raised_in(e).partition(".")[0] == "whoosh"


def _raised_in(e: BaseException) -> str:
    """The module whose code raised ``e`` (its innermost frame); ``""`` when unknown."""
    tb = e.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return "" if tb is None else str(tb.tb_frame.f_globals.get("__name__", ""))


def met_in_files(e: BaseException) -> bool:
    """Whether ``e`` was raised reading the index's files: in Whoosh, or as the bytes of a
    file fail to decode in this backend's own readers of them (:data:`_READERS`), not by
    the query's or the text's code above them, nor by the evaluator's logic: a
    ``KeyError`` there is a bug of one search, not damage to note in the index (noted, it
    made every search and ``stats`` say the healthy index was damaged until a rebuild)."""
    module = _raised_in(e)
    return module.partition(".")[0] == "whoosh" or (module in _READERS and isinstance(e, _UNDECODED))


#: This backend's modules that decode the index's files themselves (posting blocks, the
#: packed ids, the word lists), and what garbage bytes raise there.
_READERS = frozenset(f"{__name__.rpartition('.')[0]}.{m}" for m in ("blocks", "packed", "codec", "vocabulary"))
_UNDECODED: tuple[type[Exception], ...] = (EOFError, ValueError, struct.error, zlib.error, pickle.UnpicklingError,
                                           OverflowError)


def damaged(e: Exception) -> IndexDamaged:
    """What a read of the index that failed with ``e`` (see :func:`is_damage`) reports."""
    return IndexDamaged(f"the index is damaged ({type(e).__name__}: {e})")


@contextlib.contextmanager
def reported_as_damage() -> Iterator[None]:
    """Within the block, an error a damaged index raises is :class:`IndexDamaged`; the
    others (searchkit's own errors, bugs) pass through as they are."""
    try:
        yield
    except Exception as e:
        if not is_damage(e):
            raise
        raise damaged(e) from None


def retried(method: Callable[Concatenate[S, P], T]) -> Callable[Concatenate[S, P], T]:
    """A read of the index, retried when it fails because a writer in another process
    swapped generations or merged segments underneath it (see ``IndexStore._read``)."""

    @functools.wraps(method)
    def read(self: S, /, *args: P.args, **kwargs: P.kwargs) -> T:
        return self._read(lambda: method(self, *args, **kwargs))

    return read


def release(evaluators: Iterable[BulkEvaluator | None], kept: Iterable[BulkEvaluator | None] = ()) -> None:
    """Free at once the postings that ``evaluators`` not in ``kept`` decoded. Each term an
    evaluator reads refers back to it: dropped as it is, an evaluator and every block it
    decoded (about 1,500 objects a search) wait for the collector's oldest generation,
    which then ran once every 40 searches at 100k and took 80-130 ms in the middle of one
    (most of the warm p99). Emptying its table of terms breaks the cycle; the evaluator
    still answers (it reads a term again if asked)."""
    keep = {id(ev) for ev in kept if ev is not None}
    for ev in evaluators:
        if ev is not None and id(ev) not in keep:
            ev._terms.clear()
            ev._required = None


class ReadTurns:
    """The turns of one process's threads at the index (re-entrant): a Whoosh searcher
    reads shared file objects, so its reads run one at a time.

    Within a search the wait for a turn is no part of its time, but is bounded: past
    :data:`budget.TURN_SECONDS` waited in all the search is refused as busy. (Counted in its
    time, a queue of 40 threads left searches with none, and they were cut short with
    wrong totals and "narrow the query"; unbounded, a search could wait without end.)
    Outside a search (a writer, ``stats``) it waits as long as it takes, as before."""

    def __init__(self) -> None:
        self._lock = threading.RLock()

    def __enter__(self) -> None:
        if self._lock.acquire(blocking=False):  # (free, or this thread's already)
            return
        left = budget.turn_left()
        if left is None:
            self._lock.acquire()
            return
        began = time.monotonic()
        with budget.paused():
            got = self._lock.acquire(timeout=left)
        budget.waited_turn(time.monotonic() - began)
        if not got:
            raise IndexBusy(f"the index is busy: this search waited {budget.TURN_SECONDS:g} s for other searches "
                            "of the same Engine (in other threads) to finish reading it",
                            hint="search again in a moment, or run fewer searches at once")

    def __exit__(self, *_: object) -> None:
        self._lock.release()


class IndexStore(ReadsLexicon):
    """The generations of one home's index and the searcher on the live one; the other
    parts of :class:`~searchkit.backends.whoosh.SearchIndex` build on it."""

    def __init__(self, root: Path, lexicon: LexiconSource, ranking: Ranking | None = None) -> None:
        self.root = root
        self.ranking = ranking or Ranking()
        self.lexicon = lexicon
        self._ix: Any = None
        self._gen: str | None = None
        self._searcher: Any = None
        self._clusters: tuple[tuple[str | None, int], dedup.Clusters] | None = None
        # Updates applied with regroup=False: the groups before the first of them, and the
        # ids they changed and deleted (see regroup_deferred).
        # (``None`` for the groups before: every article to be grouped again)
        self._deferred: tuple[dedup.Clusters | None, dict[str, None], list[str]] | None = None
        self._old_rule = False  # the saved groups follow an earlier rule (see grouping.RULE)
        #: where the groups in use came from: "saved" for this commit, an "earlier"
        #: commit's, or "worked out" here (see Grouping.clusters)
        self._groups_from = "saved"
        # the near-duplicates of all-words matches the last partial-match search left out:
        # (searcher, its query's parts, filter, documents)
        self._copied: tuple[Any, Any, Any, set[int]] | None = None
        # (searcher, query and filter, (matches, evaluator, stopped at the deadline))
        self._memo: list[tuple[Any, Any, tuple[set[int], BulkEvaluator | None, bool]]] = []
        self._tables: tuple[Any, dict[str, Any]] = (None, {})
        self._filters: tuple[Any, dict[str, set[int]]] = (None, {})
        # the last page's hits on a searcher: {id: (document number, stamp)} (see Searching.placed)
        self._hits: tuple[Any, dict[str, tuple[int, str]]] = (None, {})
        self._expansions = Expansions()
        #: the last scores left out optional parts at the search's deadline (reads take turns)
        self._ranked_only = False
        #: the last scores stopped at the deadline before every match was scored
        self._scored_short = False
        self._vocab: tuple[tuple[str | None, int], tuple[str, ...]] | None = None
        #: one search's word look-ups: (its token, its searcher, answers; see Words.looked_up)
        self._lookups: tuple[object, object, dict[tuple[str, str], Any]] | None = None
        self._topics: tuple[str | None, TopicModel | None] = ("", None)  # (generation, its model)
        self._mutex = ReadTurns()
        self._pin = threading.local()  # this thread's pinned searcher (see pinned)

    # -- generations ----------------------------------------------------------------------
    def current_generation(self) -> str | None:
        """The live generation's name; ``None`` before the first build.

        :class:`IndexDamaged` when CURRENT exists but does not name a generation: the
        pointer must never send the reader (or ``rmtree``) outside ``index/``.
        """
        try:
            raw = (self.root / "CURRENT").read_bytes()
        except FileNotFoundError:
            return None
        except OSError as e:
            raise IndexDamaged(f"cannot read index/CURRENT: {e.strerror or e}") from None
        name = raw.decode("ascii", "replace").strip()
        if not _GEN_NAME.fullmatch(name):
            raise IndexDamaged("the index is damaged: index/CURRENT does not name a generation")
        return name

    def topic_model(self, *, within: float | None = None) -> TopicModel | None:
        """The live generation's topic model (read once per generation, from a local file:
        ``within`` has nothing to wait for); ``None`` when it has none, or the file is not
        one (the ranking then does without)."""
        with self._mutex:
            try:
                self.searcher()  # (a search's pinned one: CURRENT is not read again)
            except NoIndex:
                return None
            gen = self._gen
        if self._topics[0] != gen:
            model = None
            if gen is not None:
                with contextlib.suppress(OSError, ValueError), budget.paused():  # read once per generation
                    data = (self.root / gen / TOPICS_FILE).read_bytes()
                    from ...text.topics import TopicModel

                    model = TopicModel.from_bytes(data)
            self._topics = (gen, model)
        return self._topics[1]

    def exists(self) -> bool:
        """Whether there is a live generation (:class:`IndexDamaged` if the pointer is bad)."""
        return self._live(self.current_generation()) is not None

    def _live(self, gen: str | None) -> str | None:
        """``gen`` (as CURRENT names it), checked to be there (:class:`IndexDamaged` if not)."""
        if gen is not None and not (self.root / gen).is_dir():
            raise IndexDamaged(f"the index is damaged: index/CURRENT names {gen}, which is missing")
        return gen

    def meta(self) -> IndexMeta | None:
        return self._meta_of(self.current_generation())

    def _meta_of(self, gen: str | None) -> IndexMeta | None:
        if gen is None:
            return None
        try:
            data = json.loads((self.root / gen / "searchkit.json").read_text(encoding="utf-8"))
            return IndexMeta(str(data["analyzer"]), str(data["format"]), str(data.get("lexicon", "")))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def expected_meta(self) -> IndexMeta:
        return IndexMeta(ANALYZER_VERSION, INDEX_FORMAT, self.lexicon_hash)

    def status(self) -> IndexStatus:
        """Whether the index answers as it is, or why it must be rebuilt; :class:`IndexDamaged`
        when a read met damage in the files of the live generation (:meth:`_note_damage`):
        damage the table of contents does not show (a cut postings file) was met by searches
        only, while ``index`` found the index up to date and changed nothing."""
        gen = self._live(self.current_generation())  # (CURRENT read once: a search asks this)
        if gen is None:
            return IndexStatus.MISSING
        try:
            noted = (self.root / gen / DAMAGE_NOTE).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            noted = None
        except (OSError, ValueError):
            noted = "the index is damaged"
        if noted is not None:
            raise IndexDamaged(noted or "the index is damaged")
        return status_of(self._meta_of(gen), self.expected_meta())

    def _note_damage(self, e: IndexDamaged, cause: Exception | None) -> None:
        """Note in the live generation that reading it failed with ``e``, for
        :meth:`status`; not for a failure that may pass (no room, no memory, a read error
        of the disk: ``cause``), which a rebuild would not mend, nor for one the query's
        code raised, not a read of the files (:func:`met_in_files`): a bug of one search
        noted so made every search and ``stats`` say the healthy index was damaged. Best
        effort: a read-only home keeps no note."""
        if isinstance(cause, (OSError, MemoryError)) or self._gen is None or not met_in_files(cause or e):
            return
        with contextlib.suppress(OSError):
            write_atomically(self.root / self._gen / DAMAGE_NOTE, str(e) + "\n")

    def needs_rebuild(self) -> bool:
        """True when there is no index or it was built by another analyzer or lexicon."""
        return self.status() is not IndexStatus.CURRENT

    def rebuild_reason(self) -> str | None:
        """Why the index must be rebuilt before use, in words; ``None`` when it is current."""
        status = self.status()
        if status is IndexStatus.UNREADABLE:
            return "the index has no readable searchkit.json"
        return status.reason

    def size_bytes(self) -> int:
        try:
            gen = self.current_generation()
        except IndexDamaged:
            return 0
        if gen is None:
            return 0
        total = 0
        for dirpath, _, files in os.walk(self.root / gen):
            for f in files:
                try:
                    total += os.path.getsize(os.path.join(dirpath, f))
                except OSError:
                    pass
        return total

    def _new_generation(self) -> str:
        if not self.root.is_dir() and (self.root.is_symlink() or self.root.exists()):
            # A file (or a dangling link) where index/ belongs: damage, which the rebuild
            # that is about to run replaces (index/ is derived; the writer holds the lock).
            self.root.unlink()
        self.root.mkdir(parents=True, exist_ok=True)
        nums = [int(p.name[4:]) for p in self.root.glob("gen-*") if p.name[4:].isdigit()]
        return f"gen-{max(nums, default=0) + 1:06d}"

    def _swap(self, gen: str) -> None:
        # the new generation's files reach the disk before CURRENT names it: after a power
        # loss CURRENT names the old generation or a whole new one, never a truncated one
        _sync_tree(self.root / gen)
        write_atomically(self.root / "CURRENT", gen + "\n", durable=True)
        _sync_dir(self.root)
        self.close()
        self._remove_other_generations(gen)

    def _remove_other_generations(self, keep: str | None) -> None:
        for old in self.root.glob("gen-*"):
            if old.name != keep:
                shutil.rmtree(old, ignore_errors=True)

    def remove_leftovers(self) -> None:
        """Delete what a killed writer left behind: half-built generations, temporary
        CURRENT files, Whoosh's temporary files and unreferenced segments. Call only while
        holding the home's write lock."""
        if not self.root.is_dir():
            return
        for tmp in self.root.glob(".CURRENT.*.tmp"):
            tmp.unlink(missing_ok=True)
        try:
            gen = self.current_generation()
        except IndexDamaged:
            return  # keep everything for the rebuild that will follow
        if gen is None:
            # Killed during the very first build: nothing is live, everything is partial.
            self._remove_other_generations(None)
            return
        self._remove_other_generations(gen)
        live = self.root / gen
        # Whoosh's temporary folder (MAIN.tmp/) and files, and the sorted runs of our writers
        for junk in [*live.glob("*.tmp"), *live.glob(".runs-*")]:
            shutil.rmtree(junk, ignore_errors=True) if junk.is_dir() else junk.unlink(missing_ok=True)
        for toc in live.glob("_MAIN_*.toc.*"):  # a table of contents written but never renamed
            toc.unlink(missing_ok=True)
        try:
            ix = self._open()
            toc = ix._read_toc()
            index.clean_files(ix.storage, ix.indexname, toc.generation, toc.segments)
        except (IndexDamaged, NoIndex):
            pass
        except Exception:  # noqa: BLE001 - a cleanup must never stop the writer that called it
            pass

    # -- opening --------------------------------------------------------------------------
    def close(self) -> None:
        with self._mutex:
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = None
            self._ix = None
            self._gen = None
            self._clusters = None
            release(found[1] for _, _, found in self._memo)
            self._memo = []
            self._tables = (None, {})
            self._filters = (None, {})
            self._hits = (None, {})
            self._copied = None
            self._vocab = None

    def forget(self) -> None:
        """Drop the matches and the tables earlier searches left for later ones (see
        :meth:`searchkit.backends.base.Index.forget`); the searcher stays open."""
        with self._mutex:
            release(found[1] for _, _, found in self._memo)
            self._memo = []
            self._tables = (None, {})

    def _open(self) -> Any:
        gen = self.current_generation()
        if gen is None:
            raise NoIndex(NO_INDEX_YET)
        if not (self.root / gen).is_dir():
            raise IndexDamaged(f"the index is damaged: index/CURRENT names {gen}, which is missing")
        with self._mutex:
            if self._ix is not None and self._gen == gen:
                return self._ix
            self.close()
            with reported_as_damage():
                self._ix = index.open_dir(str(self.root / gen), schema=make_schema())
            self._gen = gen
            return self._ix

    def _read(self, fn: Callable[[], T]) -> T:
        """Run a read of the index, retried when it fails because a writer in another
        process swapped generations or merged segments underneath it; a read that keeps
        failing as a damaged file fails (see :func:`is_damage`) means the files are
        damaged. Any other error is a bug: raised at once, not retried.

        Reads of one index run one at a time: a Whoosh searcher seeks and reads shared
        file objects, and a read in another thread must not find its searcher closed
        and replaced under it (after a commit). Threads sharing one ``Engine`` queue
        here (:class:`ReadTurns`); a read takes milliseconds.
        """
        with self._mutex:
            return self._read_locked(fn)

    def _read_locked(self, fn: Callable[[], T]) -> T:
        for attempt in range(READ_ATTEMPTS):
            try:
                return fn()
            except (QueryError, NoIndex):
                raise
            except IndexDamaged as e:
                if attempt == READ_ATTEMPTS - 1:
                    cause = e.__cause__ or e.__context__  # (raised from None: the context)
                    self._note_damage(e, cause if isinstance(cause, Exception) else None)
                    raise
            except Exception as e:
                if not is_damage(e):  # a bug: the same again on a retry
                    raise
                if attempt == READ_ATTEMPTS - 1:
                    found = damaged(e)
                    self._note_damage(found, e)
                    raise found from None
            self.close()
        raise AssertionError("unreachable")  # pragma: no cover

    @property
    def query_seconds(self) -> float:
        return budget.QUERY_SECONDS

    @contextlib.contextmanager
    def pinned(self) -> Iterator[None]:
        """The reads of one search in this thread see one state of the index: whether a
        newer one was committed is asked once (a listing of the folder and a read of
        CURRENT), not at each of the dozens of reads that understanding a query takes. A
        state this process replaces (a write, a failed read) is let go at once."""
        depth = getattr(self._pin, "depth", 0)
        self._pin.depth = depth + 1
        try:
            yield
        finally:
            self._pin.depth = depth
            if not depth:
                self._pin.searcher = None

    def searcher(self) -> Any:
        """A searcher on the newest committed state (reused while nothing changed)."""
        with self._mutex:
            pinned = getattr(self._pin, "searcher", None)
            if pinned is not None and pinned is self._searcher:
                return pinned
            ix = self._open()
            try:
                if self._searcher is None:
                    self._searcher = ix.searcher(weighting=scoring.BM25F(B=self.ranking.b, K1=self.ranking.k1))
                elif not self._searcher.up_to_date():
                    # Not Searcher.refresh(): it reuses segment readers by segment id, so it
                    # misses deletions committed to an existing segment and keeps the
                    # segments a merge removed (merged documents would count twice).
                    self._searcher.close()
                    self._searcher = None
                    self._searcher = ix.searcher(weighting=scoring.BM25F(B=self.ranking.b, K1=self.ranking.k1))
            except Exception as e:
                self.close()
                if not is_damage(e):
                    raise
                raise damaged(e) from None
            if getattr(self._pin, "depth", 0):
                self._pin.searcher = self._searcher
            return self._searcher


def _sync_dir(path: Path) -> None:
    """Flush a folder's entries (the names of the files in it) to the disk."""
    with contextlib.suppress(OSError):  # (a file system that cannot open folders: nothing to flush)
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _sync_tree(path: Path) -> None:
    """Flush every file under ``path``, and the folders holding them, to the disk."""
    for dirpath, _, files in os.walk(path):
        for name in files:
            with open(os.path.join(dirpath, name), "rb") as f:
                os.fsync(f.fileno())
        _sync_dir(Path(dirpath))
