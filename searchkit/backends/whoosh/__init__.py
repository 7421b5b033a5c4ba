"""The only package that imports Whoosh: index layout, writing, searching.

Everything else speaks in articles, parsed queries and raw hits. Its modules:
``documents`` (schema, articles as term lists), ``compiler`` (parsed query to Whoosh
query), ``bulkeval`` (block-at-a-time evaluation), ``folding`` (top of the ranking,
near-duplicates), ``explaining`` (why a score), ``bulk`` (the segment writer),
``merging`` (the update merge policy), ``vocabulary`` (words for corrections); this module
holds :class:`SearchIndex`, which ties them together and implements
:class:`searchkit.backends.base.Index` (the records it hands back are in
:mod:`searchkit.backends.records`, shared with the OpenSearch backend).

Index layout (``HOME/index/``)::

    CURRENT          the name of the live generation, replaced atomically
    gen-000002/      a complete Whoosh index + searchkit.json (analyzer version, lexicon)
                     + duplicates.json (groups of near-duplicate ids, derived from the index)

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
import re
import shutil
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from . import lean  # noqa: F401  - first: Whoosh without what it loads for nothing

# isort: split

from whoosh import index, query, scoring, sorting

from ...errors import IndexBusy, IndexDamaged, NoIndex, QueryError, SearchkitError
from ...query import budget
from ...query import parse as q
from ...text import dedup, keywords
from ...text.analysis import ANALYZER_VERSION, Analyzer
from ...text.highlight import MatchTerms
from ..base import (
    FACETS,
    INDEX_FORMAT,
    Capability,
    Compiled,
    IndexMeta,
    IndexStatus,
    Part,
    Placed,
    Progress,
    Ranking,
    RawHit,
    RawResults,
    Relaxed,
    SideWriter,
    status_of,
)
from . import folding, merging, sigcolumn, vocabulary
from .bulk import BulkWriter
from .bulkeval import BulkEvaluator, Unsupported
from .columns import read_column
from .compiler import FUZZY_PREFIX, MAX_EXPANSION, MAX_PATTERN_WORDS, MIN_PREFIX, Compiler, date_filter
from .documents import counts_of, encode_positions, make_schema, positions_of, prepare_document
from .expansions import Expansions
from .explaining import RawContribution, RawExplanation, explain_document, query_tree
from .timebox import Stopper

__all__ = [
    "FACETS",
    "FUZZY_PREFIX",
    "INDEX_FORMAT",
    "MAX_EXPANSION",
    "MAX_PATTERN_WORDS",
    "MIN_PREFIX",
    "NO_INDEX_YET",
    "Compiled",
    "IndexMeta",
    "Part",
    "Placed",
    "Ranking",
    "RawContribution",
    "RawExplanation",
    "RawHit",
    "RawResults",
    "SearchIndex",
    "SideWriter",
    "counts_of",
    "encode_positions",
    "explain_document",
    "make_schema",
    "positions_of",
    "prepare_document",
    "query_tree",
    "write_part",
]

#: Match sets kept per searcher (see ``SearchIndex._matches``).
MATCH_MEMO = 4
#: Past this many matches a search reads whole columns (ids, dates) once instead of a
#: value per document.
BIG_MATCH = 5000
#: A searcher that has read this share of its documents' values one by one (a file read
#: each, ~5× the cost per value of reading the whole column) reads whole columns from
#: then on: a long-lived engine pays for the columns once, a one-off search never more
#: than about twice what it would have paid (the ski-rental rule).
COLUMN_AFTER = 0.2
#: Attempts at a read that fails because another process swapped or merged files under it.
READ_ATTEMPTS = 3
_GEN_NAME = re.compile(r"gen-\d{6,9}")
#: Postings buffered in memory before a sorted run goes to disk (bounds memory per build).
REBUILD_MB = 192
UPDATE_MB = 96

#: What a read says when there is no index: the words of :attr:`IndexStatus.MISSING`.
NO_INDEX_YET = str(IndexStatus.MISSING.reason)
T = TypeVar("T")
P = ParamSpec("P")


# -- writing in two processes ----------------------------------------------------------------


def write_part(folder: str, docs: Iterable[dict[str, Any]], *, limitmb: int) -> Part:
    """Write ``docs`` into a new segment of the index in ``folder`` for the job's writer
    in another process to adopt (see :class:`SideWriter`); runs in the side process."""
    ix = index.open_dir(folder)
    writer = BulkWriter(ix, _lk=False, limitmb=limitmb, word_fields=vocabulary.FIELDS)
    written = []
    try:
        for doc in docs:
            writer.add_document(**doc)
            written.append((doc["id"], doc["path"], doc.get("sig") or b""))
        segment = writer.finish_part()
    except BaseException:
        writer.cancel_part()
        raise
    return Part(segment, tuple(written))


# -- the index -----------------------------------------------------------------------------


def _retried(method: Callable[Concatenate[SearchIndex, P], T]) -> Callable[Concatenate[SearchIndex, P], T]:
    """A read of the index, retried when it fails because a writer in another process
    swapped generations or merged segments underneath it (see ``SearchIndex._read``)."""

    @functools.wraps(method)
    def read(self: SearchIndex, /, *args: P.args, **kwargs: P.kwargs) -> T:
        return self._read(lambda: method(self, *args, **kwargs))

    return read


def _cancel(writer: Any) -> None:
    # Cancelling after a failure must not hide the failure.
    with contextlib.suppress(Exception):
        writer.cancel()


class SearchIndex:
    """The Whoosh index of one home: generations, writes under a lock, searches (an
    :class:`~searchkit.backends.base.Index`)."""

    capabilities = frozenset({Capability.PARALLEL_WRITE, Capability.PLACED, Capability.VOCABULARY})

    def __init__(self, root: Path, analyzer: Analyzer, lexicon_hash: str = "",
                 ranking: Ranking | None = None) -> None:
        self.root = root
        self.ranking = ranking or Ranking()
        self.analyzer = analyzer
        self.lexicon_hash = lexicon_hash
        self._ix: Any = None
        self._gen: str | None = None
        self._searcher: Any = None
        self._clusters: tuple[tuple[str | None, int], dedup.Clusters] | None = None
        # Updates applied with regroup=False: the groups before the first of them, and the
        # ids they changed and deleted (see regroup_deferred).
        self._deferred: tuple[dedup.Clusters, dict[str, None], list[str]] | None = None
        # (searcher, query and filter, (matches, evaluator, stopped at the deadline))
        self._memo: list[tuple[Any, Any, tuple[set[int], BulkEvaluator | None, bool]]] = []
        self._tables: tuple[Any, dict[str, Any]] = (None, {})
        self._filters: tuple[Any, dict[str, set[int]]] = (None, {})
        self._expansions = Expansions()
        #: the last scores left out optional parts at the search's deadline (reads take turns)
        self._ranked_only = False
        #: the last scores stopped at the deadline before every match was scored
        self._scored_short = False
        self._vocab: tuple[tuple[str | None, int], list[str]] | None = None
        self._mutex = threading.RLock()
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

    def exists(self) -> bool:
        """Whether there is a live generation (:class:`IndexDamaged` if the pointer is bad)."""
        gen = self.current_generation()
        if gen is None:
            return False
        if not (self.root / gen).is_dir():
            raise IndexDamaged(f"the index is damaged: index/CURRENT names {gen}, which is missing")
        return True

    def meta(self) -> IndexMeta | None:
        gen = self.current_generation()
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
        """Whether the index answers as it is, or why it must be rebuilt."""
        if not self.exists():
            return IndexStatus.MISSING
        return status_of(self.meta(), self.expected_meta())

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
        tmp = self.root / f".CURRENT.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(gen + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.root / "CURRENT")
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
            self._memo = []
            self._tables = (None, {})
            self._filters = (None, {})
            self._vocab = None

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
            try:
                self._ix = index.open_dir(str(self.root / gen), schema=make_schema())
            except Exception as e:  # Whoosh raises many kinds on damaged files
                raise IndexDamaged(f"the index is damaged ({type(e).__name__}: {e})") from None
            self._gen = gen
            return self._ix

    def _read(self, fn: Callable[[], T]) -> T:
        """Run a read of the index, retried when it fails because a writer in another
        process swapped generations or merged segments underneath it; a read that keeps
        failing means the files are damaged.

        Reads of one index run one at a time: a Whoosh searcher seeks and reads shared
        file objects, and a read in another thread must not find its searcher closed
        and replaced under it (after a commit). Threads sharing one ``Engine`` queue
        here; a read takes milliseconds.
        """
        with self._mutex:
            return self._read_locked(fn)

    def _read_locked(self, fn: Callable[[], T]) -> T:
        for attempt in range(READ_ATTEMPTS):
            try:
                return fn()
            except (QueryError, NoIndex):
                raise
            except IndexDamaged:
                if attempt == READ_ATTEMPTS - 1:
                    raise
            except Exception as e:
                if attempt == READ_ATTEMPTS - 1:
                    raise IndexDamaged(f"the index is damaged ({type(e).__name__}: {e})") from None
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
                raise IndexDamaged(f"the index is damaged ({type(e).__name__}: {e})") from None
            if getattr(self._pin, "depth", 0):
                self._pin.searcher = self._searcher
            return self._searcher

    # -- writing --------------------------------------------------------------------------
    def rebuild(self, docs: Iterable[dict[str, Any]], *, total: int | None = None,
                progress: Progress | None = None, side: SideWriter | None = None) -> int:
        """Build a new generation from ``docs`` (and the documents ``side`` writes in a
        second process) and swap it in when complete."""
        gen = self._new_generation()
        path = self.root / gen
        path.mkdir(parents=True)
        try:
            ix = index.create_in(str(path), make_schema())
            n = 0
            parts: list[Part] = []

            def adopt() -> list[Any]:
                assert side is not None
                parts.append(side.finish())
                return [parts[-1].segment]

            budget = REBUILD_MB // 2 if side else REBUILD_MB  # the two writers share it
            # With a side writer both cores are busy to the end: no commit helper.
            writer = BulkWriter(ix, limitmb=budget, parallel=side is None, word_fields=vocabulary.FIELDS)
            try:
                if side:
                    side.start(str(path), budget)
                for doc in docs:
                    writer.add_document(**doc)
                    n += 1
                    if progress and n % 200 == 0:
                        progress(n + (side.done() if side else 0), total)
                writer.commit(adopt=adopt if side else None)
            except BaseException:
                if side:
                    side.cancel()
                _cancel(writer)
                raise
            n += sum(len(p.written) for p in parts)
            (path / "searchkit.json").write_text(json.dumps(self.expected_meta().to_json()), encoding="utf-8")
            if progress:
                progress(n, total)
        except BaseException:
            shutil.rmtree(path, ignore_errors=True)
            raise
        with self._mutex:
            self._swap(gen)
            self._deferred = None
            self._regroup({}, (), None)
            self._save_vocabularies()
        return n

    def apply(self, updates: Iterable[dict[str, Any]], deletes: Iterable[str] = (),
              *, progress: Progress | None = None, total: int | None = None,
              regroup: bool = True, side: SideWriter | None = None) -> tuple[int, int]:
        """Add or replace ``updates`` (and the documents ``side`` writes in a second
        process) and remove ``deletes`` (ids) in one commit.

        Near-duplicate groups are brought up to date after the commit; that pass reads every
        signature in the index. A long import of many batches passes ``regroup=False`` for
        most of them and calls :meth:`regroup_deferred` now and then: one pass for many
        batches (meanwhile readers compute the groups themselves).
        """
        ix = self._open()
        budget = UPDATE_MB // 2 if side else UPDATE_MB
        try:
            writer = BulkWriter(ix, limitmb=budget, parallel=side is None, word_fields=vocabulary.FIELDS)
        except index.LockError as e:  # our HomeLock should prevent it: another program
            raise IndexBusy(f"index is busy ({e})") from None
        except Exception as e:
            raise IndexDamaged(f"the index is damaged ({type(e).__name__}: {e})") from None
        n_up = n_del = 0
        before = self._deferred[0] if self._deferred is not None else self.clusters()
        changed: dict[str, None] = {}
        deletes = list(deletes)

        def adopt() -> list[Any]:
            # The side's documents replace their old versions, as update_document does.
            nonlocal n_up
            assert side is not None
            part = side.finish()
            for art_id, _, _ in part.written:
                writer.delete_by_term("id", art_id)
                changed[art_id] = None
            n_up += len(part.written)
            return [part.segment]

        try:
            if side:
                side.start(ix.storage.folder, budget)
            for art_id in deletes:
                n_del += writer.delete_by_term("id", art_id)
            for doc in updates:
                writer.update_document(**doc)
                changed[doc["id"]] = None
                n_up += 1
                if progress and n_up % 200 == 0:
                    progress(n_up + (side.done() if side else 0), total)
            writer.commit(mergetype=merging.log_merge, adopt=adopt if side else None,
                          merges=bool(merging.plan(writer.segments)))
        except BaseException as e:
            if side:
                side.cancel()
            _cancel(writer)
            if isinstance(e, Exception) and not isinstance(e, (SearchkitError, OSError, MemoryError)):
                # Whoosh reading damaged segments while merging
                raise IndexDamaged(f"the index is damaged ({type(e).__name__}: {e})") from None
            raise
        if changed or n_del:
            if self._deferred is None:
                self._deferred = (before, {}, [])
            self._deferred[1].update(changed)
            self._deferred[2].extend(deletes)
        with self._mutex:  # reads of the new state: none of another thread's in between
            if regroup:
                self.regroup_deferred()
            self._save_vocabularies()
        if progress:
            progress(n_up, total)
        return n_up, n_del

    def regroup_deferred(self) -> None:
        """Bring the near-duplicate groups up to date with the updates applied with
        ``regroup=False`` since the last regrouping."""
        if self._deferred is not None:
            before, changed, deleted = self._deferred
            self._deferred = None
            with self._mutex:
                self._regroup(changed, deleted, before)

    @_retried
    def indexed(self) -> dict[str, tuple[str, str]]:
        """``{id: (path, stamp)}`` of every indexed article."""
        s = self.searcher()
        return {f["id"]: (f.get("path", ""), f.get("stamp", "")) for _, f in s.reader().iter_docs()}

    def stored(self) -> Iterator[dict[str, Any]]:
        """Stored fields of every indexed article (small: no bodies are stored). Read
        through a searcher of its own: the caller's loop runs between the reads, and
        other threads keep searching meanwhile."""
        s = self._read(lambda: self._open().searcher())
        try:
            yield from (f for _, f in s.reader().iter_docs())
        except Exception as e:
            raise IndexDamaged(f"the index is damaged ({type(e).__name__}: {e})") from None
        finally:
            s.close()

    @_retried
    def doc_count(self) -> int:
        return int(self.searcher().doc_count())

    @_retried
    def path_of(self, article_id: str) -> str | None:
        s = self.searcher()
        docnum = s.document_number(id=article_id)
        return None if docnum is None else s.stored_fields(docnum).get("path")

    # -- querying -------------------------------------------------------------------------
    @_retried
    def compile(self, parsed: q.ParsedQuery, *, translit: bool = True, families: bool = True) -> Compiled:
        """Turn a parsed query into a Whoosh query over lemmas, forms and the title
        (``families``: the words of a query of several also stand for their relatives).

        :class:`QueryError` when it would stand for too many index terms to run quickly.
        """
        return Compiler(self, parsed, translit=translit, families=families).run()

    @_retried
    def compile_relaxed(self, parsed: q.ParsedQuery, strict: Compiled, *, translit: bool = True,
                        families: bool = True) -> Compiled | None:
        """The partial matches of ``parsed``: articles with some of its words but not all
        (``strict``: its all-words query), more words first; ``None`` when the query has
        fewer than two words to leave out."""
        return Compiler(self, parsed, translit=translit, families=families).run_relaxed(strict.query)

    def _allowed(self, s: Any, since: int | None, until: int | None, source: str | None,
                 arrived_after: int | None = None, only: frozenset[int] | None = None) -> Any:
        """A Whoosh filter: a query, a set of document numbers, or ``None`` for none."""
        flt = date_filter(since, until, source)
        if arrived_after is None and only is None:
            return flt
        docs = set(only) if only is not None else None
        if arrived_after is not None:
            r = s.reader()
            col = r.column_reader("arrived")
            new = {dn for dn in (docs if docs is not None else r.all_doc_ids()) if col[dn] > arrived_after}
            docs = new
        assert docs is not None
        return docs & self._filtered(s, flt) if flt is not None else docs

    @_retried
    def search(self, compiled: Compiled, *, limit: int, offset: int = 0, since: int | None = None,
               until: int | None = None, source: str | None = None, sort: str = "relevance",
               collapse: bool = True, facets: Iterable[str] = (), arrived_after: int | None = None,
               exclude: Iterable[str] = ()) -> RawResults:
        """One page of hits. With ``collapse`` each group of near-duplicates that matched
        is one hit (its best-ranked member); ``facets`` (see :data:`FACETS`) are counted
        over every matching article; ``exclude`` ids never match."""
        s = self.searcher()
        facets = list(dict.fromkeys(facets))
        for name in facets:
            if name not in FACETS:
                raise QueryError(f"unknown facet {name!r}: use {', '.join(FACETS)}")
        if not s.doc_count():  # an empty index has no columns to read
            return RawResults(total=0, matched=0, hits=[], facets={name: [] for name in facets})
        flt = self._allowed(s, since, until, source, arrived_after, compiled.only)
        if isinstance(flt, set) and not flt:  # Whoosh reads an empty set as "no filter"
            return RawResults(total=0, matched=0, hits=[], facets={name: [] for name in facets})
        excluded = set(exclude)
        try:
            clusters = self.clusters() if collapse else dedup.Clusters()
            want = offset + limit
            r = s.reader()
            ids: Any = r.column_reader("id")
            counts: dict[str, list[tuple[str | None, int]]] = {}
            scores = None
            stopped = ranked_only = False
            if sort == "relevance":
                self._ranked_only = self._scored_short = False
                if compiled.relaxed:
                    scores, floor = self._partial_scores(s, compiled.relaxed, flt, excluded,
                                                         need=want * 2 + 10 if clusters else want)
                else:
                    scores, floor = self._bulk_scores(s, compiled.query, flt, excluded,
                                                      need=want * 2 + 10 if clusters else want)
                ranked_only = scores is not None and self._ranked_only
                stopped = scores is not None and self._scored_short
            members: dict[str, list[int]] | folding.GroupMembers = {}
            clustered = None
            if scores is not None:
                matched = len(scores)
                if self._whole_columns(s, len(scores)):
                    ids = self._table(s, "id")  # one read of the column instead of one per document
                    clustered = self._clustered(s, clusters) if clusters else None
                ranked, heads = folding.top(scores, want, ids, clusters)
                if floor is not None and any(sc < floor for _, sc in heads[:want]):
                    # the page reaches the matches not scored in full: score them all
                    full = (self._partial_scores(s, compiled.relaxed, flt, excluded, need=len(scores))[0]
                            if compiled.relaxed else
                            self._bulk_scores(s, compiled.query, flt, excluded, need=len(scores))[0])
                    scores = full if full is not None else scores
                    ranked, heads = folding.top(scores, want, ids, clusters)
                if facets:
                    counts = self._facets(s, compiled.query, flt, excluded, facets)
                total = matched
                if clustered is not None:
                    total, members = folding.fold_clustered(scores.keys(), *clustered)
                elif clusters:
                    total, members = folding.fold(scores, ids, clusters, excluded)
            else:
                ranked, heads, matched, counts, stop = self._whoosh_ranked(s, compiled.query, flt, excluded, sort,
                                                                           facets, want, ids, clusters)
                stopped = stop.stopped
                total = matched
                if clusters:  # the documents the walk found (before the filter): no second walk
                    docset: Iterable[int] = stop.seen
                    if flt is not None:
                        docset = (flt if isinstance(flt, set) else self._filtered(s, flt)).intersection(docset)
                    total, members = folding.fold(docset, ids, clusters, excluded)
            rank = {dn: i for i, (dn, _) in enumerate(ranked)}
            dates: Any = None
            if members:  # a big group's members are many dates: one read of the column then
                dates = self._table(s, "date") if clustered is not None else r.column_reader("date")
            hits = []
            for dn, score in heads[offset:want]:
                f = s.stored_fields(dn)
                dups: tuple[str, ...] = ()
                first = f.get("day")
                key = clusters.key(f["id"])
                if key is not None and dates is not None:
                    others = sorted((d for d in members.get(key, ()) if d != dn),
                                    key=lambda d: (rank.get(d, len(rank)), ids[d]))
                    dups = tuple(ids[d] for d in others)
                    days = [x for x in (dates[d] for d in (dn, *others)) if x]
                    if days:
                        first = folding.iso_day(min(days))
                hits.append(RawHit(id=f["id"], title=f.get("title", ""), day=f.get("day"), source=f.get("source"),
                                   path=f.get("path", ""), score=score, duplicates=dups, first_day=first))
        except (QueryError, NoIndex):
            raise
        except Exception as e:
            raise IndexDamaged(f"the index is damaged ({type(e).__name__}: {e})") from None
        cut: tuple[str, ...] = (budget.cut_note(total),) if stopped else ()
        if ranked_only and not stopped:  # (a cut list says it is not every match)
            cut += (budget.RANKING_NOTE.format(seconds=budget.seconds()),)
        return RawResults(total=total, matched=matched, hits=hits, facets=counts, cut=cut)

    def _matches(self, s: Any, wq: Any, flt: Any) -> tuple[set[int], BulkEvaluator, bool] | None:
        """The documents the query ``wq`` matches, filter ``flt`` applied, the evaluator
        that found them (its decoded postings serve the scoring) and whether they are only
        those found by the search's deadline (see :meth:`BulkEvaluator.docs`), when the
        bulk path can evaluate the query (``None`` otherwise). The last few answers are
        kept: a search counts its matches (to decide on a spelling correction), then runs,
        then the timeline counts them again by month, all for the same query."""
        required = _matching(wq)
        key = (required, flt if flt is None or not isinstance(flt, set) else frozenset(flt))
        with self._mutex:
            for memo_s, memo_key, (memo_docs, memo_ev, memo_short) in self._memo:
                # matches cut at a deadline serve only a search that is past its own
                if memo_s is s and memo_key == key and (not memo_short or budget.passed()):
                    return memo_docs, memo_ev or BulkEvaluator(s), memo_short
            # One search counts several queries of the same words (the query, its
            # corrections, each word left out): they share the postings decoded so far.
            ev = next((m_ev for m_s, _, (_, m_ev, _) in self._memo if m_s is s and m_ev is not None
                       and m_ev.terms_decoded() < SHARED_TERMS), None) or BulkEvaluator(s)
        try:
            ev.check(wq)
        except Unsupported:
            try:  # the boosters may be what it cannot do: the matches it can still count
                ev.check(required)
            except Unsupported:
                return None
        docs = ev.docs(required, may_stop=True)
        short = ev.found_short
        if flt is not None:
            docs = docs & (flt if isinstance(flt, set) else self._filtered(s, flt))
        with self._mutex:
            # Only the newest keeps its evaluator (decoded postings, scores): the query
            # about to run; older ones keep their match sets, a few MB at most.
            older = [(m_s, m_key, (m_found[0], None, m_found[2])) for m_s, m_key, m_found in self._memo
                     if m_s is s and m_key != key]
            self._memo = [(s, key, (docs, ev, short)), *older[:MATCH_MEMO - 1]]
        return docs, ev, short

    def _bulk_scores(self, s: Any, wq: Any, flt: Any, excluded: set[str], *,
                     need: int) -> tuple[dict[int, float] | None, float | None]:
        """``{docnum: score}`` of every match of ``wq`` (``None`` when Whoosh must run the
        query), exact for the ``need`` best, and the floor under which scores may be short
        (see :meth:`BulkEvaluator.top_scores`)."""
        found = self._matches(s, wq, flt)
        if found is None:
            return None, None
        docs, ev, short = found
        try:
            ev.check(wq)
        except Unsupported:
            return None, None
        if excluded:
            docs = docs - {dn for dn in (s.document_number(id=i) for i in excluded) if dn is not None}
        out = ev.top_scores(wq, docs, need)
        self._ranked_only = ev.skipped > 0
        self._scored_short = short or ev.cut
        return out

    def _filtered(self, s: Any, flt: Any) -> set[int]:
        """The documents a date/source filter lets through, kept for the searcher's life:
        one search counts many queries under the same filter (the query, its corrections,
        each word left out, the partial matches), and a date range at 100,000 articles
        takes tens of milliseconds to collect."""
        key = repr(flt)
        with self._mutex:
            if self._filters[0] is not s:
                self._filters = (s, {})
            hit = self._filters[1].get(key)
        if hit is None:
            hit = set(s.docs_for_query(flt))
            with self._mutex:
                if self._filters[0] is s:
                    if len(self._filters[1]) >= 16:
                        self._filters[1].clear()
                    self._filters[1][key] = hit
        return hit

    def _partial_scores(self, s: Any, spec: Relaxed, flt: Any, excluded: Iterable[str] = (), *,
                        need: int) -> tuple[dict[int, float], float | None]:
        """``{docnum: score}`` of a partial-match query by the block evaluator: the articles
        holding some of the words and not all, each word held adding ``spec.bonus``; the
        same scores as Whoosh gives the whole query (none when a part cannot be run so).

        Only the articles of the best tiers (most words held), ``need`` of them at least,
        are scored in full; the rest score their bonus alone, and ``floor`` (the second
        value) is the least full score, above every one of theirs (``None``: all scored).
        A search for the first page of 11,000 partial matches scores a few hundred."""
        with self._mutex:  # the all-words query just counted decoded the same words' postings
            ev = next((m_ev for m_s, _, (_, m_ev, _) in self._memo if m_s is s and m_ev is not None), None)
        ev = ev or BulkEvaluator(s)
        try:
            for q in (*spec.items, *spec.common, *spec.exclude):
                ev.check(q)
            if spec.boosters is not None:
                ev.check(spec.boosters, required=False)
            held = [ev.docs(q) for q in spec.items]
            docs: set[int] = set().union(*held)
            if flt is not None:
                docs &= flt if isinstance(flt, set) else self._filtered(s, flt)
            for q in spec.exclude:
                docs -= ev.docs(q, within=docs)
            ids = set(excluded)
            if ids:
                docs -= {dn for dn in (s.document_number(id=i) for i in ids) if dn is not None}
            held += [ev.docs(q, within=docs) for q in spec.common]
            words_held = folding.held_counts(held, docs)
            best, floor = (folding.best_tiers(words_held, need, spec.bonus) if spec.bonus > 0
                           else (docs, None))
            if not best:
                return {dn: spec.bonus * n for dn, n in words_held.items()}, floor
            wq: Any = query.Or(list(spec.items))
            if spec.common:
                wq = query.AndMaybe(wq, query.Or(list(spec.common)))
            if spec.boosters is not None:
                wq = query.AndMaybe(wq, spec.boosters)
            scores = ev.scores(wq, best)
            self._ranked_only = ev.skipped > 0
            self._scored_short = ev.cut
        except Unsupported:
            # A word that is several tokens (``COVID-19/2020``) is a sequence: Whoosh would
            # take seconds over a big archive for matches that rank last. None are listed.
            return {}, None
        if ev.cut:  # stopped at the deadline: the matches scored by then, ranked alike
            return {dn: spec.bonus * words_held[dn] + score for dn, score in scores.items()}, None
        out = {dn: spec.bonus * n for dn, n in words_held.items()}
        for dn, score in scores.items():
            out[dn] += score
        return out, floor

    def _clustered(self, s: Any, clusters: dedup.Clusters) -> tuple[dict[int, str], dict[str, list[int]]]:
        """``{docnum: group key}`` of every document in a group of near-duplicates and
        ``{group key: docnums}`` (once per searcher): folding a big match set then visits
        the grouped documents only."""
        with self._mutex:
            if self._tables[0] is not s:
                self._tables = (s, {})
            hit = self._tables[1].get("clustered")
            if hit is None or hit[0] is not clusters:
                key = clusters.key
                found = {dn: k for dn, art_id in enumerate(self._table(s, "id")) if (k := key(art_id)) is not None}
                groups: dict[str, list[int]] = {}
                for dn, k in found.items():
                    groups.setdefault(k, []).append(dn)
                hit = self._tables[1]["clustered"] = (clusters, (found, groups))
            return hit[1]

    def _whole_columns(self, s: Any, n: int) -> bool:
        """Whether to read whole columns for a match set of ``n`` documents: a big one, or
        once the searcher has read enough values one by one (see :data:`COLUMN_AFTER`)."""
        with self._mutex:
            if self._tables[0] is not s:
                self._tables = (s, {})
            tables = self._tables[1]
            paid = tables.get("read one by one", 0) + n
            tables["read one by one"] = paid
            return n > BIG_MATCH or "id" in tables or paid > COLUMN_AFTER * s.doc_count()

    def _table(self, s: Any, column: str) -> list[Any]:
        """Every document's value of ``column``, read once per searcher: for match sets
        so big that reading them one by one (a file read each) costs more."""
        with self._mutex:
            if self._tables[0] is not s:
                self._tables = (s, {})
            table = self._tables[1].get(column)
            if table is None:
                table = self._tables[1][column] = read_column(s, column)
            return table

    def _whoosh_ranked(self, s: Any, wq: Any, flt: Any, excluded: set[str], sort: str, facets: list[str],
                       want: int, ids: Any, clusters: dedup.Clusters) -> tuple[list[tuple[int, float]],
                                                                              list[tuple[int, float]], int,
                                                                              dict[str, list[tuple[str | None, int]]],
                                                                              Stopper]:
        """The top of the ranking by Whoosh's collector (sorting by date, or queries the
        bulk path does not evaluate): ``(ranked, heads, matched, facet counts, stopper)``;
        the stopper says whether the walk ended at the search's deadline (with the matches
        found by then) and which documents it found."""
        # optimize=False: the block-skipping collector cannot count the matches, so the
        # exact total (len) would run the query a second time.
        kwargs: dict[str, Any] = {"filter": flt, "optimize": False}
        if excluded:
            kwargs["mask"] = query.Or([query.Term("id", i) for i in sorted(excluded)])
        if sort == "date":
            kwargs["sortedby"] = sorting.FieldFacet("date", reverse=True)
        if facets:
            kwargs["groupedby"] = {name: folding.facet(name, s.reader()) for name in facets}
        window = want * 2 + 10 if clusters else want
        while True:
            res, stop = _timed_search(s, wq, limit=window, **kwargs)
            ranked = [(h.docnum, float(h.score or 0.0)) for h in res]
            heads = folding.heads(ranked, ids, clusters)
            if len(heads) >= want or len(ranked) >= len(res) or stop.stopped:
                break
            window *= 4  # many near-duplicates near the top: look further down
        counts = {name: self._facet_counts(s, name, res.groups(name)) for name in facets}
        return ranked, heads, len(res), counts, stop

    def _facets(self, s: Any, wq: Any, flt: Any, excluded: set[str],
                facets: list[str]) -> dict[str, list[tuple[str | None, int]]]:
        """Facet counts over every match (an unscored pass over the matching part)."""
        groupedby = {name: folding.facet(name, s.reader()) for name in facets}
        kwargs: dict[str, Any] = {"filter": flt, "groupedby": groupedby}
        if excluded:
            kwargs["mask"] = query.Or([query.Term("id", i) for i in sorted(excluded)])
        res = s.search(_matching(wq), limit=1, scored=False, **kwargs)
        return {name: self._facet_counts(s, name, res.groups(name)) for name in facets}

    def _facet_counts(self, s: Any, name: str, groups: dict[Any, Any]) -> list[tuple[str | None, int]]:
        if name == "source":
            # Grouped by the lowercase key; shown as the first-indexed article spelled it.
            out = [(s.stored_fields(min(docs)).get("source") if key else None, len(docs))
                   for key, docs in groups.items()]
            return sorted(out, key=lambda kv: (-kv[1], kv[0] is None, (kv[0] or "").lower()))
        named = [(folding.period(name, key), n) for key, n in groups.items()]
        return sorted(named, key=lambda kv: (kv[0] is None, kv[0] or ""))

    @_retried
    def matched_ids(self, compiled: Compiled, *, since: int | None = None, until: int | None = None,
                    source: str | None = None, within: set[str] | None = None) -> set[str]:
        """Ids of every article the query matches (only those in ``within``, if given)."""
        s = self.searcher()
        if not s.doc_count():
            return set()
        flt = date_filter(since, until, source)
        ids = s.reader().column_reader("id")
        docs = s.docs_for_query(query.And([compiled.query, flt]) if flt is not None else compiled.query)
        found = (ids[dn] for dn in docs)
        return {i for i in found if within is None or i in within}

    @_retried
    def last_arrival(self) -> int:
        """When the newest indexed article arrived (ns), 0 for an empty index."""
        r = self.searcher().reader()
        if not r.doc_count():
            return 0
        col = r.column_reader("arrived")
        return max((col[dn] for dn in r.all_doc_ids()), default=0)

    # -- near-duplicates ------------------------------------------------------------------
    def clusters(self) -> dedup.Clusters:
        """The groups of near-duplicates in the index as it is now."""
        with self._mutex:
            s = self.searcher()
            stamp = (self._gen, s.reader().generation())
            if self._clusters is not None and self._clusters[0] == stamp:
                return self._clusters[1]
            clusters = self._load_clusters(stamp[1])
            if clusters is None:  # written by a run that stopped before saving its groups
                clusters = sigcolumn.group_all(s)
            self._clusters = (stamp, clusters)
            return clusters

    def _clusters_path(self) -> Path:
        assert self._gen is not None
        return self.root / self._gen / "duplicates.json"

    def _load_clusters(self, generation: int) -> dedup.Clusters | None:
        try:
            data = json.loads(self._clusters_path().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("generation") != generation:
            return None
        groups = data.get("groups", [])
        if not isinstance(groups, list) or not all(
                isinstance(g, list) and all(isinstance(i, str) for i in g) for g in groups):
            return None  # damaged: the groups are computed again from the signatures
        try:
            return dedup.Clusters(groups)
        except (TypeError, ValueError, KeyError):
            return None

    def _save_clusters(self, clusters: dedup.Clusters) -> None:
        s = self.searcher()
        generation = s.reader().generation()
        path = self._clusters_path()
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"generation": generation, "groups": clusters.to_json()}, ensure_ascii=False),
                       encoding="utf-8")
        os.replace(tmp, path)
        self._clusters = ((self._gen, generation), clusters)

    @staticmethod
    def _signatures(s: Any) -> dict[str, bytes]:
        r = s.reader()
        if not r.doc_count():
            return {}
        ids, sigs = r.column_reader("id"), r.column_reader("sig")
        out = {}
        for dn in r.all_doc_ids():
            sig = sigs[dn]
            if sig:
                out[ids[dn]] = sig
        return out

    def _regroup(self, changed: Iterable[str], deleted: Iterable[str],
                 before: dedup.Clusters | None) -> None:
        """Bring the groups in line with a commit that wrote ``changed`` and removed ``deleted``."""
        s = self.searcher()
        if before is None:
            clusters = sigcolumn.group_all(s)  # band by band from the signature column
        else:
            sigs = self._signatures(s)
            # Only the changed articles and the members of groups they were in are looked
            # up; the band keys live in memory for this one pass, not in the index, where
            # 32 terms of one posting each would cost more to write than the signature.
            clusters = before.regrouped(changed, deleted, sigs)
        self._save_clusters(clusters)

    @_retried
    def similar_query(self, body: Sequence[tuple[str, ...]], title: Sequence[tuple[str, ...]], n: int, *,
                      copies: int = 1, min_shared: int = 3) -> Compiled | None:
        """A query for articles about the same thing as a text given as the candidate lemmas
        of each word: its ``n`` key words (see :mod:`searchkit.text.keywords`), each weighted by
        how telling it is. A word with several lemmas counts as the one most articles have
        (``року``: ``рік``, not the rarer ``рок``).

        Only articles that share at least ``min_shared`` of the key words (two, if the text
        has only two) match: one common word does not make two articles about the same
        thing. ``None`` when the text has fewer than two key words that other articles share.
        ``copies`` is how many indexed articles are this text (itself and its
        near-duplicates): they are taken out of the document frequencies, or every word of a
        story republished five times would look five times as common.
        """
        r = self.searcher().reader()

        def df(lemma: str) -> int:
            return int(max(r.doc_frequency("body", lemma), r.doc_frequency("title", lemma))) - copies

        chosen: dict[tuple[str, ...], str] = {}

        def pick(lemmas: tuple[str, ...]) -> str:
            best = chosen.get(lemmas)
            if best is None:
                best = chosen[lemmas] = max(lemmas, key=lambda lemma: r.doc_frequency("body", lemma))
            return best

        terms = keywords.key_terms([pick(t) for t in body], [pick(t) for t in title], df,
                                   max(r.doc_count() - copies, 1), n)
        if len(terms) < 2:
            return None  # one word in common says nothing about what two articles are about
        shared: dict[int, int] = {}
        subs = []
        for lemma, weight in terms:
            docs: set[int] = set()
            for fieldname in ("body", "title"):
                if (fieldname, lemma) in r:
                    docs.update(r.postings(fieldname, lemma).all_ids())
            for dn in docs:
                shared[dn] = shared.get(dn, 0) + 1
            subs.append(query.Term("body", lemma, boost=weight))
            subs.append(query.Term("title", lemma, boost=weight * self.ranking.title_boost))
        need = min(min_shared, len(terms))
        lemmas = tuple(lemma for lemma, _ in terms)
        return Compiled(query.Or(subs), MatchTerms(frozenset(lemmas)), searched_as=lemmas,
                        only=frozenset(dn for dn, k in shared.items() if k >= need))

    @_retried
    def placed(self, ids: Sequence[str], lemmas: Iterable[str]) -> dict[str, Placed]:
        """Where ``lemmas`` stand in the indexed articles ``ids``: for each, the stamp of
        the file it was indexed from and ``{field: {word number: [lemmas there]}}`` for
        the title and the body. Highlighting reads it instead of analyzing every word of
        the texts again (see ``Matcher.find_placed``)."""
        s = self.searcher()
        r = s.reader()
        docs: dict[int, str] = {}
        for art_id in ids:
            dn = s.document_number(id=art_id)
            if dn is not None:
                docs[dn] = art_id
        order = sorted(docs)
        wanted = set(order)
        out: dict[str, Placed] = {
            docs[dn]: (s.stored_fields(dn).get("stamp", ""), {"title": {}, "body": {}}) for dn in order}
        # The search that found these hits has read its terms' block headers: reuse them.
        with self._mutex:
            ev = next((found[1] for memo_s, _, found in self._memo if memo_s is s and found[1] is not None), None)
        ev = ev or BulkEvaluator(s)
        for fieldname in ("title", "body"):
            for lemma in sorted(set(lemmas)):
                if (fieldname, lemma) not in r:
                    continue
                for dn, poses in ev.term(fieldname, lemma).positions(order, wanted).items():
                    where = out[docs[dn]][1][fieldname]
                    for pos in poses:
                        where.setdefault(pos, []).append(lemma)
        return out

    # -- vocabulary: spelling corrections and transliteration --------------------------------
    @_retried
    def frequency(self, word: str) -> int:
        """How many articles hold ``word`` as a written form or as a lemma."""
        r = self.searcher().reader()
        return int(max(r.doc_frequency(f, word) for f in ("forms", "body", "title")))

    @_retried
    def has_word(self, word: str) -> bool:
        r = self.searcher().reader()
        return ("forms", word) in r or ("body", word) in r or ("title", word) in r

    @_retried
    def has_prefix(self, prefix: str) -> bool:
        """True when some indexed form or lemma starts with ``prefix``."""
        r = self.searcher().reader()
        return any(next(iter(r.expand_prefix(f, prefix)), None) is not None for f in ("forms", "body"))

    @_retried
    def near(self, word: str, maxdist: int) -> set[str]:
        """Indexed forms and lemmas within ``maxdist`` edits of ``word`` (a swap of two
        neighbouring letters is one edit), from the vocabulary in memory.

        The first letter must match: the search is five times faster, and first-letter
        slips are found among the dictionary's neighbours instead (see :mod:`.suggest`).
        """
        return vocabulary.within(self.vocabulary(), word, maxdist, FUZZY_PREFIX)

    def fuzzy_terms(self, fieldname: str, word: str, maxdist: int) -> list[str]:
        """The terms of ``fieldname`` within ``maxdist`` edits of ``word`` (first letter kept),
        sorted; kept for the searcher's life (see :mod:`.expansions`)."""
        return self._expansions.fuzzy(self.searcher(), self.near, fieldname, word, maxdist)

    def vocabulary(self) -> list[str]:
        """Every indexed form and body lemma, sorted (see :mod:`.vocabulary`); kept while
        the index is unchanged."""
        with self._mutex:
            s = self.searcher()
            stamp = (self._gen, s.reader().generation())
            if self._vocab is not None and self._vocab[0] == stamp:
                return self._vocab[1]
            assert self._gen is not None
            folder = self.root / self._gen
            lists = []
            for leaf, _ in s.leaf_searchers():
                r = leaf.reader()
                if r.segment() is not None:  # an empty index has a reader without one
                    seg = r.segment().segment_id()
                    try:
                        lists.append(vocabulary.segment_words(folder, seg, r))
                    except OSError:  # a read-only home: the list is not saved, only used
                        lists.append(vocabulary.segment_words(folder, seg, r, store=False))
            words = vocabulary.merge(lists)
            self._vocab = (stamp, words)
            return words

    def _save_vocabularies(self) -> None:
        """Save the word list of every segment that has none yet (after a commit, under
        the write lock), so that no search has to read it out of the index. The writer
        saves its new segment's list itself; this covers segments written before it did."""
        try:
            s = self.searcher()
            assert self._gen is not None
            folder = self.root / self._gen
            for leaf, _ in s.leaf_searchers():
                r = leaf.reader()
                if r.segment() is None:
                    continue
                seg = r.segment().segment_id()
                if not vocabulary.saved(folder, seg):
                    vocabulary.save(folder, seg, vocabulary.segment_words(folder, seg, r, store=False))
        except Exception:  # noqa: BLE001 - a cache: a search builds it if this failed
            pass

    @_retried
    def count(self, compiled: Compiled, *, since: int | None = None, until: int | None = None,
              source: str | None = None) -> int:
        """How many articles match (unranked: cheaper than a search)."""
        try:
            s = self.searcher()
            flt = date_filter(since, until, source)
            if compiled.relaxed is not None and s.doc_count():
                return len(self._partial_scores(s, compiled.relaxed, flt, need=0)[0])
            found = self._matches(s, compiled.query, flt) if s.doc_count() else None
            if found is not None:
                return len(found[0])
            return len(_timed_search(s, _matching(compiled.query), limit=1, scored=False, filter=flt)[0])
        except Exception as e:
            raise IndexDamaged(f"the index is damaged ({type(e).__name__}: {e})") from None

    @_retried
    def months(self, compiled: Compiled, *, since: int | None = None, until: int | None = None,
               source: str | None = None) -> dict[int, int]:
        """``{yyyymm: matching articles}`` over every match (undated articles left out).

        An unscored search collects the matching document numbers, then the sortable
        ``date`` column gives each one's day without loading stored fields.
        """
        s = self.searcher()
        try:
            flt = date_filter(since, until, source)
            found = self._matches(s, compiled.query, flt) if s.doc_count() else None
            docnums = found[0] if found is not None else _timed_search(s, _matching(compiled.query), limit=None,
                                                                        scored=False, filter=flt)[0].docs()
            if not docnums:  # an empty index has no date column to read
                return {}
            days = (self._table(s, "date") if self._whole_columns(s, len(docnums))
                    else s.reader().column_reader("date"))
            counts: dict[int, int] = defaultdict(int)
            for docnum in docnums:
                day = days[docnum]
                if day:
                    counts[day // 100] += 1
        except (QueryError, NoIndex):
            raise
        except Exception as e:
            raise IndexDamaged(f"the index is damaged ({type(e).__name__}: {e})") from None
        return dict(sorted(counts.items()))

    def explain(self, compiled: Compiled, article_id: str, *, since: int | None = None,
                until: int | None = None, source: str | None = None) -> RawExplanation | None:
        """How ``compiled`` scores the indexed article ``article_id`` (see :func:`explain_document`)."""
        return explain_document(self, compiled, article_id, since=since, until=until, source=source)

    @_retried
    def sources(self) -> dict[str, int]:
        """``{source as written: articles}`` for every source in the index."""
        s = self.searcher()
        out: dict[str, int] = {}
        for key in list(s.reader().field_terms("source_key")):
            # Postings skip deleted documents; the lexicon's frequencies would not.
            docnums = list(s.docs_for_query(query.Term("source_key", key)))
            if docnums:
                name = s.stored_fields(docnums[0]).get("source") or key
                out[name] = out.get(name, 0) + len(docnums)
        return out


#: An evaluator shared by the next query keeps at most this many words' decoded postings.
SHARED_TERMS = 64


def _exact_search(s: Any, wq: Any, **kwargs: Any) -> Any:
    """``s.search(wq, **kwargs)`` without Whoosh's matcher replacement: every few
    documents its scored collectors swap the matcher tree for a "more efficient" one
    pruned by each part's maximum score, and over a big index that drops matching
    documents (wrong totals) and sometimes well-scored ones (a wrong top 10)."""
    return _timed_search(s, wq, **kwargs)[0]


def _timed_search(s: Any, wq: Any, **kwargs: Any) -> tuple[Any, Stopper]:
    """:func:`_exact_search`, stopped at the search's deadline (:mod:`searchkit.query.budget`):
    ``(results so far, the stopper: whether it stopped early, the documents matched)``."""
    c = s.collector(**kwargs)
    inner = c
    while hasattr(inner, "child"):
        inner = inner.child
    if hasattr(inner, "replace"):
        inner.replace = 0
    stop = Stopper(c)
    s.search_with_collector(wq, c)
    return c.results(), stop


def _matching(wq: Any) -> Any:
    """The part of a compiled query that decides which articles match: the optional
    boosters of an ``AndMaybe`` only rank (and their phrase spans are costly to check)."""
    return wq.a if isinstance(wq, query.AndMaybe) else wq
