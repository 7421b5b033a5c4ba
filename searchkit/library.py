"""The object users and both shells call: :class:`Engine`, one home of articles.

>>> eng = Engine.init("my-archive")                       # doctest: +SKIP
>>> eng.import_paths(["feed.jsonl"])                      # doctest: +SKIP
ImportReport(added=120, updated=0, unchanged=0, failed=0, ...)
>>> [h.title for h in eng.search("політв'язні", limit=3)] # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import functools
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from dataclasses import replace as _replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .backends import IndexConfig, load_config, open_index, save_config
from .backends.base import FACETS, Capability, Compiled, Index, Placed, RawHit, RawResults
from .errors import (
    ArticleNotFound,
    HomeError,
    IndexBusy,
    IndexDamaged,
    InputError,
    LexiconError,
    QueryError,
    SearchkitError,
)
from .ingest.schedule import CommitSchedule
from .models import (
    Article,
    DateRange,
    FacetCount,
    Hit,
    ImportReport,
    IndexReport,
    IndexStatus,
    Results,
    SavedSearch,
    Snippet,
    Span,
    Stats,
)
from .query import budget
from .query.explain import MAX_MATCHED, Explanation, contributions, matched_pairs, missing_words, query_words
from .query.parse import ParsedQuery, clean_query_text, parse_query
from .query.synonyms import Synonyms, SynonymUse, synonyms_of
from .query.understand import Plan, plan_search
from .store.corpus import Corpus, article_filename
from .store.formats import count_records, iter_input_files, parse_date, read_file
from .store.gcmode import bulk_collection, collect_batch_garbage
from .store.locking import HomeLock
from .store.saved import SavedSearches, now_iso
from .text import dates
from .text.analysis import Analyzer, Token, ukrainian_morphology
from .text.highlight import Matcher, best_snippet, highlight_all
from .text.lexicon import LEXICON_FILE, Lexicon

if TYPE_CHECKING:
    from .ingest.pipeline import SideJob

__all__ = ["IMPORT_BATCH", "Engine", "Progress"]

#: ``progress(done, total_or_None)``, called now and then during long work.
Progress = Callable[[int, int | None], None]
_F = TypeVar("_F", bound=Callable[..., Any])
MAX_LIMIT = 1000
#: When an import commits the index (see :mod:`searchkit.ingest.schedule`): once
#: ``IMPORT_GROWTH`` times the indexed articles have changed, but at least every
#: ``IMPORT_BATCH`` and at most every ``IMPORT_BATCH_MAX`` changed articles; an import
#: into no usable index commits once, at its end.
IMPORT_BATCH = 2000
IMPORT_GROWTH = 1.0
IMPORT_BATCH_MAX = 20_000
#: Present while corpus/ may be ahead of the index (an import or delete at work, or killed).
PENDING_FILE = ".searchkit.pending"
#: How many of an article's most distinctive lemmas make its "similar articles" query.
KEY_TERMS = 25


def _as_date(value: dt.date | str | None, name: str, today: dt.date) -> dt.date | None:
    """A ``--since``/``--until`` value: a date, ``YYYY-MM-DD`` or a Ukrainian date phrase."""
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return parse_date(value)
    except ValueError:
        pass
    try:
        return dates.since_date(value, today=today) if name == "since" else dates.until_date(value, today=today)
    except ValueError as e:
        raise QueryError(f"{name}={value!r}: {e}") from None  # the library's wording; the CLI says --{name}


def _is_iso(value: str) -> bool:
    try:
        parse_date(value)
    except ValueError:
        return False
    return True


def _date_int(d: dt.date | None) -> int | None:
    return int(d.strftime("%Y%m%d")) if d else None


def _filters(rng: DateRange | None, source: str | None) -> dict[str, Any]:
    """The index's filter arguments for a date range and a source."""
    return {"since": _date_int(rng.since) if rng else None, "until": _date_int(rng.until) if rng else None,
            "source": source}


@dataclass(frozen=True, slots=True)
class _Understood:
    """A query as the engine will run it: dates taken out (``typed``), synonyms added
    (``parsed``)."""

    typed: ParsedQuery
    parsed: ParsedQuery
    date_range: DateRange | None
    synonyms: tuple[SynonymUse, ...]
    #: the query's own words gave the date range (``обстріли вчора``), not since/until
    dated_words: bool = False


#: Errors after which no further article can be stored: the import stops at the first.
_STORE_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS})


class _StoreFull(Exception):
    """The store cannot take another article (disk full, read-only)."""


def _is_text(value: str) -> bool:
    """Whether ``value`` is a string of real characters (no lone surrogates)."""
    try:
        value.encode("utf-8")
        return True
    except (UnicodeEncodeError, AttributeError):
        return False


def _bulk(method: _F) -> _F:
    """Run a writing method with the garbage collector's bulk thresholds (see gcmode)."""

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with bulk_collection():
            return method(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


class Engine:
    """A searchkit home: ``corpus/`` (the articles) and ``index/`` (derived, rebuildable).

    The index is embedded (Whoosh, in ``index/``) unless the home's ``searchkit.toml`` or
    ``backend``/``url`` name an OpenSearch cluster (see :mod:`searchkit.backends`).
    """

    def __init__(self, home: str | os.PathLike[str] = ".", *, backend: str | None = None,
                 url: str | None = None) -> None:
        self.home = Path(home)
        if not (self.home / "corpus").is_dir():
            raise HomeError(
                f"{self.home}: not a searchkit home (no corpus/ folder)",
                hint=f"run `searchkit init {self.home}` or pass --home",
            )
        self.corpus = Corpus(self.home / "corpus")
        self.lock = HomeLock(self.home / ".searchkit.lock", directory=self.home)
        self.lexicon = Lexicon()
        self.analyzer = Analyzer()
        self.config: IndexConfig = load_config(self.home).with_overrides(backend, url)
        self._index: Index = open_index(self.config, self.home / "index", self.analyzer)
        self._lexicon_stamp: tuple[int, int, int] | None = None
        self._import_started = 0  # when the running import began (ns): what "stored by it" means
        self._repeats: list[Any] = [0, ""]  # its records that repeated an id, and the first
        self._synonyms: Synonyms | None = None
        try:
            self._load_lexicon(force=True)
        except LexiconError:
            # What needs the lexicon (search, import, index, analyze) says what is wrong
            # with it; reading articles, stats and saved searches go on.
            self._lexicon_stamp = None
        self.saved = SavedSearches(self.home)

    @classmethod
    def init(cls, home: str | os.PathLike[str], *, backend: str | None = None, url: str | None = None) -> Engine:
        """Create an empty home (``corpus/``) at ``home`` and open it. ``backend``/``url``
        are saved in its ``searchkit.toml``."""
        path = Path(home)
        try:
            (path / "corpus").mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise HomeError(f"{path}: cannot create ({e.strerror})") from None
        if backend is not None or url is not None:
            save_config(path, load_config(path).with_overrides(backend, url))
        return cls(path)

    # -- the user lexicon -----------------------------------------------------------------
    @property
    def lexicon_path(self) -> Path:
        """``HOME/lexicon.tsv``: lemma overrides, new words and synonyms (may not exist)."""
        return self.home / LEXICON_FILE

    def _load_lexicon(self, *, force: bool = False) -> None:
        """(Re)read ``lexicon.tsv`` when it changed since last read, so a long-lived Engine
        follows the user's edits and never searches with a stale lexicon."""
        try:
            st = self.lexicon_path.stat()
            stamp: tuple[int, int, int] | None = (st.st_mtime_ns, st.st_size, st.st_ino)
        except FileNotFoundError:
            stamp = None
        except OSError as e:
            raise HomeError(f"{self.lexicon_path}: cannot read ({e.strerror or e})") from None
        if not force and stamp == self._lexicon_stamp:
            return
        lexicon = Lexicon.load(self.lexicon_path) if stamp is not None else Lexicon()
        if force or lexicon.lemmas != self.lexicon.lemmas:
            self.analyzer = Analyzer(lexicon if lexicon.lemmas else None)
            self._index.analyzer = self.analyzer
            self._index.lexicon_hash = lexicon.index_hash
        self.lexicon, self._lexicon_stamp, self._synonyms = lexicon, stamp, None

    def synonyms(self) -> Synonyms:
        """The lexicon's synonym groups, analyzed (once per lexicon) for query expansion."""
        self._load_lexicon()
        if self._synonyms is None:
            self._synonyms = synonyms_of(self.lexicon, self.analyzer)
        return self._synonyms

    # -- importing ------------------------------------------------------------------------
    @_bulk
    def import_paths(self, paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], *, index: bool = True,
                     progress: Progress | None = None, index_progress: Progress | None = None) -> ImportReport:
        """Import ``.txt``/``.jsonl``/``.csv``/``.html`` files or folders into ``corpus/``;
        ``paths`` is one path or several (``"feed.jsonl"`` is one file, not its letters).

        Unchanged articles are skipped, an article with a known id and new content replaces
        the old one, and bad records are counted and reported (file and line) while the rest
        goes on. With ``index=True`` the index is updated as the import goes, one commit per
        ``IMPORT_BATCH`` to ``IMPORT_BATCH_MAX`` changed articles (as many as the index
        holds), or once at the end when there is no usable index (see
        :mod:`searchkit.ingest.schedule`): an interrupted import keeps what it committed, and the
        next writer indexes the rest.
        ``progress`` hears about records read
        (with their total, counted first; a record is in ``corpus/`` when it is counted),
        ``index_progress`` about articles indexed so far.
        """
        paths = _several(paths, "paths", os.PathLike)
        report = ImportReport()
        self._load_lexicon()
        self._import_started = time.time_ns()
        self._repeats = [0, ""]
        batch: dict[str, None] = {}  # ids changed since the last commit, in order
        marked = False  # the pending mark is set: corpus/ may be ahead of the index
        indexed = [0]
        batches = [0]

        def index_batch(last: bool = False) -> None:
            base, size = indexed[0], len(batch)
            batches[0] += 1
            # Near-duplicate grouping reads every signature in the index: after batches 1,
            # 2, 4, 8, ... and the last, not after each one (a long import stays linear).
            n = batches[0]
            regroup = last or n & (n - 1) == 0

            def step(n: int, total: int | None) -> None:  # counts across batches
                assert index_progress is not None
                index_progress(base + n, base + max(size, total or 0))

            self._index_changed(list(batch), report, step if index_progress else None, regroup=regroup)
            if batch:
                for name, n in self._watch(set(batch), report).items():
                    report.watched[name] = report.watched.get(name, 0) + n
            indexed[0] += size
            batch.clear()
            collect_batch_garbage()

        with self.lock:
            self._index.remove_leftovers()
            schedule = self._schedule() if index else CommitSchedule(None, batch=IMPORT_BATCH)
            if index and not schedule.at_end:
                # (an import built at its end covers what a killed writer left pending)
                self._recover()
                schedule = self._schedule()
            items: Iterable[Path | InputError] = iter_input_files([Path(p) for p in paths])
            total: int | None = None
            if progress:
                # One cheap pass first (line counts), so the bar has a total and an ETA.
                items = list(items)
                total = sum(count_records(i) for i in items if isinstance(i, Path)) + sum(
                    1 for i in items if isinstance(i, InputError))

            def stored() -> Iterator[str]:
                """Store every record; yields the ids of the articles that changed."""
                nonlocal marked
                for item, rec in self._records(items, report):
                    changed = False
                    if rec is not None:
                        if index and not marked:
                            self._mark_pending()
                            marked = True
                        try:
                            changed = self._store(item, rec, report)
                        except _StoreFull:
                            break  # reported once; what was stored is indexed
                    if progress:  # before the batch is indexed: the records it covers are counted
                        done = report.added + report.updated + report.unchanged + report.failed
                        progress(done, max(total or 0, done))
                    if changed:
                        assert rec is not None
                        yield rec.id
                if progress:  # the total was an estimate for CSV: finish the bar at what was read
                    done = report.added + report.updated + report.unchanged + report.failed
                    progress(done, done)
                if report.added or report.updated:
                    if syncing is None:
                        self.corpus.sync()
                    else:  # the build goes on meanwhile: a sync waits for every dirty page of the machine
                        syncing.start()

            syncing: threading.Thread | None = None
            if index and schedule.at_end and Capability.PARALLEL_WRITE in self._index.capabilities:
                syncing = threading.Thread(target=self.corpus.sync, name="searchkit-sync", daemon=True)
                try:
                    self._build_while_storing(stored(), report, index_progress)
                finally:
                    if syncing.is_alive():
                        syncing.join()
                self._clear_pending()
                return self._import_warnings(report)
            for art_id in stored():
                if not index:
                    continue
                batch[art_id] = None
                if schedule.due(len(batch)):
                    schedule.committed(len(batch))
                    index_batch()
                    marked = False
            if index:
                if batch or self._index_missing():
                    index_batch(last=True)
                self._index.regroup_deferred()
                self._clear_pending()
        return self._import_warnings(report)

    def _import_warnings(self, report: ImportReport) -> ImportReport:
        repeats, first = self._repeats
        if repeats:
            report.warnings.append(
                f"{repeats} record{'s' if repeats != 1 else ''} had the id of an earlier record of this import "
                f"(first: {first}) and replaced it; ids are text, so 1 and \"1\" are the same id")
        return report

    def _build_while_storing(self, stored: Iterator[str], report: ImportReport,
                             progress: Progress | None) -> None:
        """Index an import into no usable index as it is stored (see :mod:`searchkit.ingest.storebuild`)."""
        from .ingest.storebuild import build_while_storing

        self.corpus.remove_temporary()
        sub = IndexReport()
        changed = build_while_storing(self._index, self.corpus, self.analyzer, stored, sub, progress)
        for err in sub.errors:
            report.fail(err)
        if changed:
            for name, n in self._watch(set(changed), report).items():
                report.watched[name] = report.watched.get(name, 0) + n

    def import_batch(self) -> int | None:
        """How many changed articles an import would index at a time as of now; ``None``
        when it would index them all at its end (see :mod:`searchkit.ingest.schedule`)."""
        self._load_lexicon()
        schedule = self._schedule()
        return None if schedule.at_end else schedule.limit()

    def _schedule(self) -> CommitSchedule:
        if Capability.PARALLEL_WRITE not in self._index.capabilities:  # a cluster: batches as they come
            return CommitSchedule(0, batch=IMPORT_BATCH, growth=0)
        if self._index_missing():
            return CommitSchedule(None, batch=IMPORT_BATCH)
        try:
            held: int | None = self._index.doc_count()
        except IndexDamaged:
            held = None  # rebuilt when the import commits
        return CommitSchedule(held, batch=IMPORT_BATCH, growth=IMPORT_GROWTH, most=IMPORT_BATCH_MAX)

    def _records(self, items: Iterable[Path | InputError],
                 report: ImportReport) -> Iterator[tuple[Path, Article | None]]:
        """The articles of every input file, and ``None`` for each bad file or record
        (counted in ``report``)."""
        for item in items:
            if isinstance(item, InputError):
                report.fail(str(item))
                yield Path(item.path), None
                continue
            for rec in read_file(item):
                if isinstance(rec, InputError):
                    report.fail(str(rec))
                    yield item, None
                else:
                    yield item, rec

    def _store(self, item: Path, article: Article, report: ImportReport) -> bool:
        """Put one article in ``corpus/``; ``True`` when that changed something. An
        article stored earlier by the same import (the same id twice) is counted in
        ``_repeats``: the import warns about it once."""
        try:
            st = os.stat(self.corpus.path_for(article.id))
            if st.st_mtime_ns >= self._import_started:
                self._repeats[0] += 1
                self._repeats[1] = self._repeats[1] or f"{article.id!r} in {item}"
        except (OSError, ValueError):
            pass
        try:
            outcome = self.corpus.put(article)
        except OSError as e:
            if e.errno in _STORE_FULL:
                stored = report.added + report.updated
                report.fail(f"{self.corpus.root}: cannot store articles ({e.strerror}); the import stopped at "
                            f"article {article.id!r} of {item}, after {stored} stored")
                raise _StoreFull from None
            report.fail(f"{item}: cannot store article {article.id!r}: {e.strerror or e}")
            return False
        except ValueError as e:
            why = e
            report.fail(f"{item}: cannot store article {article.id!r}: {why}")
            return False
        if outcome == "unchanged":
            report.unchanged += 1
            return False
        setattr(report, outcome, getattr(report, outcome) + 1)
        return True

    # -- writes that run ahead of the index -------------------------------------------------
    def _mark_pending(self) -> None:
        """Note that corpus/ is about to change ahead of the index. If the process dies
        before :meth:`_clear_pending`, the next writer sees the mark and reconciles the
        index with corpus/ first: articles stored but never indexed are not left out."""
        (self.home / PENDING_FILE).touch()

    def _clear_pending(self) -> None:
        (self.home / PENDING_FILE).unlink(missing_ok=True)

    def _recover(self) -> None:
        """Finish the job of a writer that was killed after storing articles but before
        indexing them (it left the pending mark)."""
        if (self.home / PENDING_FILE).exists():
            self.index()

    def _index_missing(self) -> bool:
        try:
            return self._index.needs_rebuild()
        except IndexDamaged:
            return True

    def _watch(self, ids: set[str], report: ImportReport | None = None) -> dict[str, int]:
        """How many of ``ids`` each saved search of this home matches (as a search would
        understand it: date phrases and synonyms, but no spelling correction). A saved
        searches file that cannot be read is a warning in ``report``, never a reason to
        stop an import."""
        out: dict[str, int] = {}
        today = dt.date.today()
        try:
            saved = self.saved.all()
        except SearchkitError as e:
            note = f"saved searches not counted: {e}" + (f" ({e.hint})" if e.hint else "")
            if report is not None and note not in report.warnings:
                report.warnings.append(note)
            return out
        for s in saved:
            try:
                u = self._understand(s.query, s.since, s.until, today, True)
                if u.date_range is not None and u.date_range.empty:
                    out[s.name] = 0
                    continue
                compiled = self._index.compile(u.parsed)
            except SearchkitError:
                continue  # a query the current analyzer finds nothing in: nothing to count
            out[s.name] = len(self._index.matched_ids(compiled, within=ids, **_filters(u.date_range, s.source)))
        return out

    def _index_changed(self, ids: list[str], report: ImportReport, progress: Progress | None = None,
                       *, regroup: bool = True) -> None:
        """Index the articles ``ids`` (just stored); a missing, outdated or damaged index is
        rebuilt from ``corpus/`` instead. Either way the index then covers everything
        stored so far, so the pending mark goes."""
        sub = IndexReport()
        if not self._index_missing():
            unique = [article_filename(i) for i in dict.fromkeys(ids)]
            try:
                docs, side = self._job(unique, sub)
                self._index.apply(docs, progress=progress, total=len(unique), regroup=regroup, side=side)
                self._side_done(side, sub)
            except IndexDamaged:
                sub = IndexReport()
                self._rebuild(sub, progress)
        else:
            self._rebuild(sub, progress)
        for err in sub.errors:
            report.fail(err)
        self._clear_pending()

    def _docs(self, relpaths: list[str], report: IndexReport | None = None) -> Iterator[dict[str, Any]]:
        """Documents for the index writer; unreadable files are counted in ``report``."""
        from .ingest.pipeline import prepare_all

        for p in prepare_all(self.corpus, relpaths, self.analyzer):
            if p.error is not None and report is not None:
                report.failed += 1
                report.errors.append(p.error)
            if p.doc is not None:
                yield p.doc

    def _job(self, relpaths: list[str], report: IndexReport,
             sizes: list[int] | None = None) -> tuple[Iterator[dict[str, Any]], SideJob | None]:
        """The documents this process writes and, for a big job on the embedded index,
        a second process that writes the rest (see :mod:`searchkit.ingest.pipeline`)."""
        from .ingest.pipeline import SideJob, split

        parallel = Capability.PARALLEL_WRITE in self._index.capabilities
        mine, theirs = split(relpaths, sizes) if parallel else (relpaths, [])
        return self._docs(mine, report), (SideJob(self.corpus, theirs, self.analyzer) if theirs else None)

    @staticmethod
    def _side_done(side: SideJob | None, report: IndexReport) -> None:
        if side is not None:
            report.failed += len(side.errors)
            report.errors.extend(side.errors)

    # -- indexing -------------------------------------------------------------------------
    @_bulk
    def index(self, *, rebuild: bool = False, progress: Progress | None = None) -> IndexReport:
        """Bring the index in line with ``corpus/``: add new and changed articles, drop
        deleted ones. ``rebuild=True`` builds a fresh index and swaps it in when done; a
        damaged index is rebuilt too. Leftovers of a killed import or index run go."""
        report = IndexReport()
        self._load_lexicon()
        with self.lock:
            self._index.remove_leftovers()
            self.corpus.remove_temporary()
            if rebuild or self._index_missing():
                self._rebuild(report, progress)
            else:
                try:
                    self._update(report, progress)
                except IndexDamaged:
                    report = IndexReport()
                    self._rebuild(report, progress)
            self._clear_pending()
        return report

    def _update(self, report: IndexReport, progress: Progress | None) -> None:
        # One dict of what the index holds, emptied as corpus/ is walked: what is left
        # was deleted. Memory: one entry per indexed article.
        by_path = {path: (art_id, stamp) for art_id, (path, stamp) in self._index.indexed().items()}
        changed: list[str] = []
        sizes: list[int] = []
        stale: dict[str, tuple[str, str]] = {}
        for f in self.corpus.scan():
            old = by_path.pop(f.relpath, None)
            if old is None or old[1] != f.stamp:
                changed.append(f.relpath)
                sizes.append(f.size)
                if old is not None:
                    stale[f.relpath] = old
        deletes = [art_id for art_id, _ in by_path.values()]
        del by_path
        deletes_extra: list[str] = []

        def moved(art_id: str, path: str) -> None:
            old = stale.get(path)
            if old is not None and old[0] != art_id:
                deletes_extra.append(old[0])  # the file now holds another id

        mine, side = self._job(changed, report, sizes)

        def docs() -> Iterator[dict[str, Any]]:
            for doc in mine:
                moved(doc["id"], doc["path"])
                yield doc

        if changed or deletes:
            n_up, n_del = self._index.apply(docs(), deletes, progress=progress, total=len(changed), side=side)
            self._side_done(side, report)
            for art_id, path, _ in side.written if side else ():
                moved(art_id, path)
            if deletes_extra:
                self._index.apply((), deletes_extra)
            report.indexed, report.deleted = n_up, n_del + len(deletes_extra)

    def _rebuild(self, report: IndexReport, progress: Progress | None) -> None:
        self.corpus.remove_temporary()
        scanned = list(self.corpus.scan())
        docs, side = self._job([f.relpath for f in scanned], report, [f.size for f in scanned])
        report.indexed = self._index.rebuild(docs, total=len(scanned), progress=progress, side=side)
        self._side_done(side, report)
        report.rebuilt = True

    def index_status(self) -> str | None:
        """Why the index must be rebuilt before the next search (``"the lemmas in
        lexicon.tsv changed"``), or ``None`` when it is current."""
        self._load_lexicon()
        return self._index.rebuild_reason()

    def index_state(self) -> IndexStatus:
        """Whether the index answers the next search as it is (``IndexStatus.CURRENT``)
        or must be built first, and why (``MISSING``, ``LEXICON_CHANGED``, ...)."""
        self._load_lexicon()
        return self._index.status()

    def unindexed(self) -> tuple[int, int]:
        """``(behind, stored)``: how many articles of ``corpus/`` a search cannot find yet
        (stored by an import that was interrupted, or run with ``index=False``), of how
        many stored; ``searchkit index`` (:meth:`index`) makes them searchable.

        Cheap when nothing is pending (file names are counted, not read); after an
        interrupted writer, changed articles count too (their stamps are compared).
        """
        try:
            if (self.home / PENDING_FILE).exists():
                by_path = dict(self._index.indexed().values())
                behind = stored = 0
                for f in self.corpus.scan():
                    stored += 1
                    behind += by_path.get(f.relpath) != f.stamp
                return behind, stored
            stored = self.corpus.count_names()
            return max(stored - self._index.doc_count(), 0), stored
        except (SearchkitError, OSError):  # only a note: the search says what is wrong
            return 0, 0

    @_bulk
    def ensure_index(self, progress: Progress | None = None) -> bool:
        """Build the index if there is none (or it is from another analyzer version).
        Returns ``True`` when it had to build."""
        self._load_lexicon()
        if not self._index.needs_rebuild():
            return False
        meta = self._index.meta() if self._index.exists() else None
        if meta is not None and meta.format == self._index.expected_meta().format:
            # An index built with another lexicon or analyzer still answers. While another
            # writer is at work (or the home is read-only) search it as it is rather than
            # wait: the writer, or the next `index` run, rebuilds it.
            try:
                self.lock.acquire(timeout=0)
            except (IndexBusy, OSError):
                return False
        else:
            self.lock.acquire()
        try:
            if self._index.needs_rebuild():  # another process may have built it meanwhile
                self._rebuild(IndexReport(), progress)
                return True
        finally:
            self.lock.release()
        return False

    # -- searching ------------------------------------------------------------------------
    def _understand(self, query: str, since: dt.date | str | None, until: dt.date | str | None,
                    today: dt.date | None, find_dates: bool) -> _Understood:
        """Parse ``query``; take its date phrases out as a date range (narrowed by
        ``since``/``until``) and add the lexicon's synonyms."""
        query = clean_query_text(query)
        today = today or dt.date.today()
        d_since, d_until = _as_date(since, "since", today), _as_date(until, "until", today)
        flags = None
        if d_since or d_until:
            words = [f"--{n} {v}" for n, v in (("since", since), ("until", until))
                     if isinstance(v, str) and not _is_iso(v)]
            flags = DateRange(d_since, d_until, "; ".join(words))
        text, found = (dates.find_dates(query, today=today) if find_dates else (query, None))
        parsed = None
        if found is not None:
            try:
                parsed = parse_query(text)
            except QueryError:
                found = None  # only dates and no words: search the words as typed
        if parsed is None:
            parsed = parse_query(query)
        date_range = found.narrow(flags) if found and flags else found or flags
        expanded, uses = self.synonyms().expand(parsed)
        return _Understood(parsed, expanded, date_range, uses, found is not None)

    def search(self, query: str, *, limit: int = 10, page: int = 1,
               since: dt.date | str | None = None, until: dt.date | str | None = None,
               source: str | None = None, sort: str = "relevance", exact: bool = False,
               today: dt.date | None = None, find_dates: bool = True, snippets: bool = True,
               collapse: bool = True, facets: Iterable[str] = (), partial: bool = True,
               months: bool = False) -> Results:
        """Search (see :mod:`searchkit.query.parse` for the language): the articles holding every
        word (in any form and spelling) first, then those holding some of the words, more
        of them first. ``Results.matched_all`` counts the first kind (hits ranked after it
        are partial matches); ``partial=False`` (or ``exact=True``) lists only the first
        kind. When no article holds every word, ``Results.missing`` names the word the best
        partial matches lack.

        When nothing matches, a word no article contains (or, failing that, the real word
        whose absence lets the others meet) is taken for a typo: the query is searched
        with its closest indexed correction and ``corrected_query`` says so.
        Latin words are also searched as the Cyrillic words they spell (``searched_as``).
        ``exact=True`` turns off correction and transliteration.

        ``since``/``until`` take dates, ``YYYY-MM-DD`` or Ukrainian phrases (``"вчора"``,
        ``"у березні 2022"``), relative to ``today`` (default: the real today). Date phrases
        inside the query become a date filter too (``find_dates=False`` keeps them as
        words); ``Results.date_range`` says which days were searched. Synonyms from the
        home's ``lexicon.tsv`` are searched too (``Results.synonyms``).

        ``snippets=False`` skips reading the articles: hits carry ids, titles and scores
        only (the fast way to collect ids).

        Near-duplicates (the same story republished with small edits) are folded into one
        hit, the best-ranked of them, unless ``collapse=False``; ``Hit.duplicates`` lists
        the others. ``facets`` names counts to make over every match: ``source``, ``year``,
        ``month`` (``Results.facets``). ``months=True`` also counts the matches per month
        (``Results.months``, as :meth:`timeline` does) from the same understanding of the query.

        >>> Engine("archive").search("мовні табори", limit=5, sort="date")  # doctest: +SKIP
        >>> Engine("archive").search("табори", facets=["year"]).facets["year"]  # doctest: +SKIP
        (FacetCount(value='2016', count=3), ...)
        """
        query = clean_query_text(query)  # echoed back in Results: must be printable
        # past the budget, optional steps are skipped and Whoosh's walks stop; one search
        # sees one state of the index
        with budget.limited(self._index.query_seconds), self._index.pinned():
            return self._search(query, limit=limit, page=page, since=since, until=until, source=source,
                                sort=sort, exact=exact, today=today, find_dates=find_dates, snippets=snippets,
                                collapse=collapse, facets=facets, partial=partial, months=months)

    def _search(self, query: str, *, limit: int, page: int, since: dt.date | str | None,
                until: dt.date | str | None, source: str | None, sort: str, exact: bool = False,
                today: dt.date | None = None, find_dates: bool = True, snippets: bool = True,
                collapse: bool = True, facets: Iterable[str] = (), arrived_after: int | None = None,
                partial: bool = False, months: bool = False) -> Results:
        t0 = time.perf_counter()
        if sort not in ("relevance", "date"):
            raise QueryError(f"unknown sort={sort!r}: use 'relevance' or 'date'")
        if not 1 <= limit <= MAX_LIMIT:
            raise QueryError(f"limit={limit} is out of range: give 1 to {MAX_LIMIT}")
        if page < 1:
            raise QueryError(f"page={page} is out of range: give 1 or more")
        facet_names = _facet_names(facets)
        u = self._understand(query, since, until, today, find_dates)
        rng = u.date_range
        self.ensure_index()
        filters = _filters(rng, source)
        warnings = u.parsed.warnings
        matched_all = 0
        cut: tuple[str, ...] = ()
        if rng is not None and rng.empty:
            plan = Plan(self._index.compile(u.parsed, translit=not exact))
            raw = RawResults(total=0, matched=0, hits=[], facets={name: [] for name in facet_names})
            warnings += (f"no day is in the date range {rng}",)
        else:
            # partial matches rank by how many words they hold: a list sorted by date has
            # no place for them
            plan = self._plan(u, exact, filters, partial=partial and not exact and arrived_after is None
                              and sort == "relevance")
            offset = (page - 1) * limit
            raw = self._index.search(plan.compiled, limit=limit, offset=offset, sort=sort,
                                     collapse=collapse, facets=facet_names, arrived_after=arrived_after, **filters)
            matched_all = raw.total
            cut += plan.compiled.cut
            if plan.relaxed is not None and raw.total < offset + limit:
                if budget.passed():
                    cut += (f"stopped after {budget.seconds():g} s: the articles with only some of the words are "
                            "not listed; narrow the query",)
                else:
                    raw = self._with_partial(raw, plan.relaxed, offset, limit, sort=sort, collapse=collapse,
                                             facets=facet_names, filters=filters)
            cut += raw.cut
        as_words = not raw.total and u.dated_words and since is None and until is None and not (rng and rng.empty)
        if as_words and budget.passed():
            cut += (f"stopped after {budget.seconds():g} s: the date words were not searched as words; "
                    "narrow the query",)
        elif as_words:
            # "сьогодні", "вчора" may be plain words of what is sought: when the dates they
            # stand for hold nothing, the words are searched as words.
            res = self._search(query, limit=limit, page=page, since=since, until=until, source=source,
                               sort=sort, exact=exact, today=today, find_dates=False, snippets=snippets,
                               collapse=collapse, facets=facet_names, arrived_after=arrived_after, partial=partial,
                               months=months)
            if res.total:
                if rng is not None:
                    note = f"no article dated {rng} has the other words: the date words were searched as words"
                    res = dataclasses.replace(res, warnings=(*res.warnings, note))
                return res
            # nothing either way: the answer is the dated search's, which says its dates
        shown = plan.compiled
        if plan.near and plan.relaxed is not None and raw.total > matched_all:
            # the hits after the word's own hold a near spelling: their snippets mark it
            shown = dataclasses.replace(shown, terms=shown.terms | plan.relaxed.terms)
        res = self._results(
            query, raw, shown, page, limit, t0, snippets=snippets, scored=sort == "relevance",
            warnings=warnings, suggestion=plan.suggestion, matched_all=matched_all,
            near=plan.near if raw.total > matched_all else (),
            missing=plan.missing if raw.total else (),
            corrected_query=plan.corrected_query, date_range=rng, synonyms=tuple(str(x) for x in u.synonyms),
            months=self._months(plan.compiled, filters) if months and not (rng and rng.empty) else
            () if months else None,
            cut=cut,
        )
        if res.hits and not matched_all and res.hits[0].matched:
            # what the best partial match lacks, read from the words it matched
            held = {k for _, k in res.hits[0].matched}
            lacks = tuple(word for word, terms in plan.items if not terms & held)
            if lacks:
                res = dataclasses.replace(res, missing=lacks)
        return res

    def _with_partial(self, raw: RawResults, relaxed: Compiled, offset: int, limit: int, *, sort: str,
                      collapse: bool, facets: list[str], filters: dict[str, Any]) -> RawResults:
        """A page that the all-words hits do not fill, filled with the partial matches
        that rank after them (see :mod:`searchkit.query.understand`)."""
        start = max(offset - raw.total, 0)
        room = offset + limit - max(offset, raw.total)
        more = self._index.search(relaxed, limit=room, offset=start, sort=sort, collapse=collapse,
                                  facets=facets if not raw.total else [], **filters)
        shown = {h.id for h in raw.hits}
        return RawResults(total=raw.total + more.total, matched=raw.matched + more.matched,
                          hits=[*raw.hits, *(h for h in more.hits if h.id not in shown)],
                          facets=raw.facets if raw.total else more.facets, cut=(*raw.cut, *more.cut))

    def _plan(self, u: _Understood, exact: bool, filters: dict[str, Any], *, partial: bool = False) -> Plan:
        """The query to run: as understood, or its spelling correction when it finds
        nothing (see :mod:`searchkit.query.understand`); corrections keep the synonyms."""
        synonyms = self.synonyms()

        def expand(parsed: ParsedQuery) -> ParsedQuery:
            return synonyms.expand(parsed)[0]

        return plan_search(self._index, self.analyzer, u.typed, exact=exact, expand=expand, partial=partial,
                           **filters)

    def _results(self, query: str, raw: RawResults, compiled: Compiled, page: int, limit: int, t0: float,
                 *, snippets: bool = True, shared: bool = False, scored: bool = True, **extra: Any) -> Results:
        first = (page - 1) * limit + 1
        gone = [r for r in raw.hits if self.corpus.stamp(r.path) is None]
        if gone:  # deleted from corpus/ since indexed: not a hit (with an empty snippet)
            raw = _replace(raw, hits=[r for r in raw.hits if r not in gone], total=max(raw.total - len(gone), 0))
            extra["warnings"] = (*extra.get("warnings", ()), f"left out {len(gone)} hit(s) deleted from corpus/ "
                                 "since they were indexed; `searchkit index` updates the index")
        if snippets:
            matcher = Matcher(self.analyzer, compiled.terms)
            order = compiled.searched_as if shared else None
            # Where the query's lemmas stand in each hit, as the index recorded it: the
            # texts need not be analyzed again (the OpenSearch backend does not say).
            placed_in = self._index.placed if Capability.PLACED in self._index.capabilities else None
            placed = placed_in([r.id for r in raw.hits], compiled.terms.lemmas) if placed_in and raw.hits else {}
            # A long page (-n 1000) reads and marks every hit's text: past a screenful, only
            # while the snippets' time lasts; the rest are listed without one, and said.
            started = time.perf_counter()
            made: list[Hit] = []
            for i, r in enumerate(raw.hits):
                if i >= budget.SNIPPETS_ALWAYS and time.perf_counter() - started > budget.SNIPPET_SECONDS:
                    made += [self._bare_hit(rest, first + k) for k, rest in enumerate(raw.hits[i:], start=i)]
                    extra["cut"] = (*extra.get("cut", ()), budget.SNIPPETS_NOTE.format(
                        n=i, seconds=budget.SNIPPET_SECONDS))
                    break
                made.append(self._hit(r, matcher, first + i, shared=order, placed=placed.get(r.id)))
            hits = tuple(made)
        else:
            hits = tuple(self._bare_hit(r, first + i) for i, r in enumerate(raw.hits))
        if not scored:  # sorted by date: the backends' sort keys are no scores
            hits = tuple(_replace(h, score=None) for h in hits)
        facets = {name: tuple(FacetCount(v, n) for v, n in counts) for name, counts in raw.facets.items()}
        extra.setdefault("searched_as", compiled.searched_as)
        return Results(query=query, total=raw.total, hits=hits, page=page, limit=limit,
                       elapsed_ms=(time.perf_counter() - t0) * 1000, matched=raw.matched, facets=facets, **extra)

    @staticmethod
    def _bare_hit(raw: RawHit, rank: int) -> Hit:
        return Hit(id=raw.id, title=raw.title, date=dt.date.fromisoformat(raw.day) if raw.day else None,
                   source=raw.source, score=raw.score, snippet=Snippet(""), path=f"corpus/{raw.path}", rank=rank,
                   duplicates=raw.duplicates,
                   first_published=dt.date.fromisoformat(raw.first_day) if raw.first_day else None)

    def _hit(self, raw: RawHit, matcher: Matcher, rank: int, *, shared: Sequence[str] | None = None,
             placed: Placed | None = None) -> Hit:
        """A hit with its snippet; ``shared``: key words (in this order) to report when present;
        ``placed``: the stamp of the file the index read and where the query's lemmas stand."""
        try:
            text = self.corpus.read(raw.path).text
        except (OSError, InputError):
            text = ""  # deleted or unreadable between the check in _results and now
            placed = None
        if placed is not None and placed[0] == self.corpus.stamp(raw.path):
            found = matcher.find_placed(text, placed[1]["body"])
            in_title = matcher.find_placed(raw.title, placed[1]["title"])
        else:  # the file changed since it was indexed: analyze what it says now
            found = matcher.find(text)
            in_title = matcher.find(raw.title)
        snippet = best_snippet(text, self.analyzer, matcher.terms, found=found)
        title_spans = tuple(Span(a, b) for a, b, _ in in_title)
        # (word as written, query term), first occurrence of each, title first
        pairs = tuple(dict.fromkeys([(raw.title[a:b], k) for a, b, k in in_title]
                                    + [(text[a:b], k) for a, b, k in found]))[:MAX_MATCHED]
        keys = [k for _, _, k in [*in_title, *found]] if shared else []
        return Hit(
            id=raw.id, title=raw.title, date=dt.date.fromisoformat(raw.day) if raw.day else None,
            source=raw.source, score=raw.score, snippet=snippet, path=f"corpus/{raw.path}", rank=rank,
            title_spans=title_spans, matched=pairs, duplicates=raw.duplicates,
            first_published=dt.date.fromisoformat(raw.first_day) if raw.first_day else None,
            shared=_present(shared, keys),
        )

    def explain(self, query: str, article_id: str, *, since: dt.date | str | None = None,
                until: dt.date | str | None = None, source: str | None = None, exact: bool = False,
                today: dt.date | None = None, find_dates: bool = True) -> Explanation:
        """How ``query`` was understood and how it scores the article ``article_id``: which
        of its words matched which query word, and what each added to the score. The query
        is planned as :meth:`search` plans it (dates, synonyms, transliteration, correction).

        >>> Engine("archive").explain("мовні табори", "a2").score  # doctest: +SKIP
        """
        u = self._understand(query, since, until, today, find_dates)
        article = self.get(article_id)
        self.ensure_index()
        rng = u.date_range
        filters = _filters(rng, source)
        plan = self._plan(u, exact, filters, partial=not exact)
        compiled = plan.compiled
        if plan.corrected_query:
            typed = parse_query(plan.corrected_query)
            parsed, uses = self.synonyms().expand(typed)
            u = _Understood(typed, parsed, rng, uses)
        raw = self._index.explain(compiled, article_id, **filters)
        if raw is None:
            raise ArticleNotFound(f"article {article_id!r} is not in the index", hint="run `searchkit index`")
        if not raw.matches_query and plan.relaxed is not None:
            # a partial match (some of the words): explained by the query that found it,
            # ranked after every article with all the words
            partial = self._index.explain(plan.relaxed, article_id, **filters)
            if partial is not None and partial.matches_query:
                before = self._index.count(compiled, **filters)
                raw = dataclasses.replace(partial, rank=partial.rank + before if partial.rank else None)
                compiled = plan.relaxed
        title = (article.title, self.analyzer.analyze(article.title))
        body = (article.text, self.analyzer.analyze(article.text))
        alternatives = [a for use in u.synonyms for a in use.alternatives]
        readings = dict(compiled.readings)
        words = query_words(u.parsed.root, self.analyzer, synonyms=alternatives, readings=readings)
        also = {text: {k for r in rs for t in self.analyzer.analyze(r) for k in (t.form, *t.lemmas)}
                for text, rs in readings.items()}
        parts = contributions(raw.parts, words, {"title": [title], "body": [body], "forms": [title, body]}, also)
        # a typed word is not missing when the article has one of its synonyms
        used = {w for c in parts for w in c.query_word.split()}
        covered = [w for use in u.synonyms if used & {w for a in use.alternatives for w in a.split()}
                   for w in use.matched.split()]
        in_range = True
        if rng is not None:
            day = article.date
            in_range = day is not None and (rng.since is None or day >= rng.since) and (
                rng.until is None or day <= rng.until)
        return Explanation(
            query=query, article_id=article_id, title=article.title, words=words, tree=raw.tree,
            matches_query=raw.matches_query, score=raw.score, rank=raw.rank,
            contributions=parts, matched=matched_pairs([title, body], compiled.terms),
            missing=missing_words(words, [title, body], covered, also),
            synonyms=tuple(str(x) for x in u.synonyms), searched_as=compiled.searched_as,
            corrected_query=plan.corrected_query, date_range=rng, in_date_range=in_range,
            warnings=u.parsed.warnings,
        )

    def timeline(self, query: str, *, since: dt.date | str | None = None, until: dt.date | str | None = None,
                 source: str | None = None, exact: bool = False, today: dt.date | None = None,
                 find_dates: bool = True) -> list[tuple[str, int]]:
        """Matching articles per month over the whole result set of :meth:`search` (the same
        date phrases, synonyms, corrections and transliteration), oldest first; months
        without matches and undated articles are left out.

        >>> Engine("archive").timeline("мовні табори")  # doctest: +SKIP
        [('2016-05', 2), ('2016-06', 7), ('2017-06', 1)]
        """
        u = self._understand(query, since, until, today, find_dates)
        rng = u.date_range
        if rng is not None and rng.empty:
            return []
        self.ensure_index()
        filters = _filters(rng, source)
        with self._index.pinned():
            return list(self._months(self._plan(u, exact, filters).compiled, filters))

    def _months(self, compiled: Compiled, filters: dict[str, Any]) -> tuple[tuple[str, int], ...]:
        months = self._index.months(compiled, **filters)
        return tuple((f"{ym // 100:04d}-{ym % 100:02d}", n) for ym, n in sorted(months.items()))

    def count(self) -> int:
        """How many articles the index holds (building it first if there is none)."""
        self.ensure_index()
        return self._index.doc_count()

    def sources(self) -> dict[str, int]:
        """``{source: articles}`` for every source in the index, the largest first."""
        self.ensure_index()
        return dict(sorted(self._index.sources().items(), key=lambda kv: (-kv[1], kv[0])))

    # -- near-duplicates and similar articles ---------------------------------------------
    def duplicates(self, article_id: str) -> tuple[str, ...]:
        """Ids of the near-duplicates of an article (the same story with small edits)."""
        self.get(article_id)
        self.ensure_index()
        return tuple(i for i in self._index.clusters().group(article_id) if i != article_id)

    def duplicate_groups(self) -> list[tuple[str, ...]]:
        """Every group of near-duplicates in the index, each a sorted tuple of ids."""
        self.ensure_index()
        return self._index.clusters().groups()

    def similar(self, article_id: str, *, limit: int = 10, page: int = 1) -> Results:
        """Articles about the same thing as ``article_id``: a query made of its most
        distinctive lemmas (tf-idf over the index). The article and its near-duplicates
        are left out; ``Hit.shared`` lists the key words each hit shares with it.

        >>> [h.shared for h in Engine("archive").similar("a-2016-movni-tabory")]  # doctest: +SKIP
        """
        t0 = time.perf_counter()
        if not 1 <= limit <= MAX_LIMIT:
            raise QueryError(f"limit={limit} is out of range: give 1 to {MAX_LIMIT}")
        article = self.get(article_id)
        self.ensure_index()
        body = [lemmas for _, lemmas in self.analyzer.iter_words(article.text)]
        title = [lemmas for _, lemmas in self.analyzer.iter_words(article.title)]
        group = self._index.clusters().group(article_id)
        compiled = self._index.similar_query(body, title, KEY_TERMS, copies=max(len(group), 1))
        label = f"similar:{article_id}"
        if compiled is None:
            others = len(set(group) - {article_id})
            said = ("the article shares fewer than two key words with any other" if not others else
                    f"the article shares fewer than two key words with any article but its {others} "
                    f"near-duplicate{'s' if others != 1 else ''} (`searchkit duplicates {article_id}` lists them)")
            return Results(query=label, total=0, hits=(), page=page, limit=limit, warnings=(said,))
        exclude = {article_id, *group}
        raw = self._index.search(compiled, limit=limit, offset=(page - 1) * limit, exclude=exclude)
        return self._results(label, raw, compiled, page, limit, t0, shared=True)

    # -- saved searches -------------------------------------------------------------------
    def save_search(self, name: str, query: str, *, since: dt.date | str | None = None,
                    until: dt.date | str | None = None, source: str | None = None,
                    replace: bool = False) -> SavedSearch:
        """Keep ``query`` (with its filters) under ``name``; see :mod:`searchkit.store.saved`.

        ``since``/``until`` may be Ukrainian phrases (``"останній тиждень"``): they are kept
        as typed and read again at every run. Its first ``run(new=True)`` shows what arrived
        after it was saved.
        """
        # Refuse a query that cannot run now rather than at every run and import: as the
        # imports' watch reads it (words, dates, filters), compiled against the index
        # (`п*` stands for too many words).
        u = self._understand(query, since, until, dt.date.today(), True)
        if not self._index_missing():
            self._index.compile(u.parsed)
        seen = self._index.last_arrival() if self._index.exists() else 0
        search = SavedSearch(name=name, query=query, since=_as_text(since), until=_as_text(until),
                             source=source or None, created=now_iso(), seen=seen)
        return self.saved.add(search, replace=replace)

    def saved_searches(self) -> list[SavedSearch]:
        """The saved searches of this home, by name."""
        return self.saved.all()

    def remove_saved_search(self, name: str) -> None:
        self.saved.remove(name)

    def run_saved_search(self, name: str, *, new: bool = False, limit: int = 10, page: int = 1,
                         sort: str = "relevance", collapse: bool = True, facets: Iterable[str] = ()) -> Results:
        """Run a saved search; with ``new=True`` only articles that arrived (were imported
        or changed) since it last ran. Either way it is marked as run now."""
        search = self.saved.get(name)
        self.ensure_index()
        mark = self._index.last_arrival()
        results = self._search(search.query, limit=limit, page=page, since=search.since, until=search.until,
                               source=search.source, sort=sort, collapse=collapse,
                               facets=facets, arrived_after=search.seen if new else None)
        self.saved.mark_run(name, mark)
        return results

    # -- articles -------------------------------------------------------------------------
    def get(self, article_id: str) -> Article:
        """The stored article with ``article_id`` (:class:`ArticleNotFound` if none)."""
        if not _is_text(article_id):  # bytes a command line could not decode: no id has them
            raise ArticleNotFound(f"no article with id {article_id!r} (it is not valid text)",
                                  hint="`searchkit search` lists ids")
        article = self.corpus.get(article_id)
        if article is None and self._index.exists():
            path = self._index.path_of(article_id)
            if path:
                article = self.corpus.read(path)
        if article is None or article.id != article_id:
            raise ArticleNotFound(f"no article with id {article_id!r}", hint="`searchkit search` lists ids")
        return article

    def highlight(self, article: Article, query: str | None) -> tuple[Snippet, Snippet]:
        """The title and the full text of ``article`` with ``query``'s matches marked."""
        if not query:
            return Snippet(article.title), Snippet(article.text)
        parsed = self._understand(query, None, None, None, True).parsed
        self.ensure_index()
        terms = self._index.compile(parsed).terms
        return highlight_all(article.title, self.analyzer, terms), highlight_all(article.text, self.analyzer, terms)

    def delete(self, ids: str | Iterable[str]) -> int:
        """Remove articles from ``corpus/`` and the index; returns how many existed.
        ``ids`` is one id or several (``"f1"`` is one article, not ``f`` and ``1``)."""
        ids = _several(ids, "ids")
        with self.lock:
            self._index.remove_leftovers()
            self._recover()  # a killed import's stored articles first: the mark is cleared below
            self._mark_pending()
            n = sum(self.corpus.delete(i) for i in ids)
            if not self._index_missing():
                self._index.apply((), ids)
            self._clear_pending()
        return n

    def warm_up(self) -> None:
        """Load what the first misspelt query would otherwise wait for (about 0.1 s at
        100,000 articles): the full Ukrainian dictionary, whose neighbours of a word are
        candidate corrections, and the index's word list. For a long-lived shell such as
        the TUI, once it is ready."""
        ukrainian_morphology()
        if Capability.VOCABULARY in self._index.capabilities and not self._index.needs_rebuild():
            self._index.vocabulary()

    def analyze(self, text: str) -> list[Token]:
        """Tokens of ``text`` as the index sees them (form and lemmas per word, the user
        lexicon applied)."""
        self._load_lexicon()
        return self.analyzer.analyze(text)

    def stats(self) -> Stats:
        """Counts, date range, sources, index size and whether the index is up to date."""
        lexicon_error = None
        try:
            self._load_lexicon()
        except LexiconError as e:  # say so; the counts need no lexicon
            lexicon_error = str(e)
        files = {f.relpath: f.stamp for f in self.corpus.scan()}
        # with an unreadable lexicon, whether its lemmas changed cannot be told
        reason = self._index.rebuild_reason() if lexicon_error is None else None
        if not self._index.exists():
            return Stats(0, {}, None, None, 0, False, len(files), 0, reason, lexicon_error)
        sources: dict[str, int] = {}
        days = []
        undated = 0
        fresh = reason is None
        seen = 0
        for f in self._index.stored():
            seen += 1
            if f.get("source"):
                sources[f["source"]] = sources.get(f["source"], 0) + 1
            if f.get("day"):
                days.append(f["day"])
            else:
                undated += 1
            if fresh and files.get(f.get("path", "")) != f.get("stamp"):
                fresh = False
        fresh = fresh and seen == len(files)
        if reason is None and not fresh:
            reason = "corpus/ has changed since it was indexed"
        return Stats(
            articles=seen, sources=dict(sorted(sources.items(), key=lambda kv: (-kv[1], kv[0]))),
            first_date=dt.date.fromisoformat(min(days)) if days else None,
            last_date=dt.date.fromisoformat(max(days)) if days else None,
            index_bytes=self._index.size_bytes(), index_up_to_date=fresh, corpus_articles=len(files),
            undated=undated, index_outdated_reason=reason, lexicon_error=lexicon_error,
        )

    def close(self) -> None:
        self._index.close()


def _several(items: Any, what: str, *single: type) -> list[Any]:
    """``items`` as a list: a bare string (or ``single`` type) is one item, never its
    characters; anything else must be an iterable of strings (or ``single``)."""
    if isinstance(items, (str, *single)):
        return [items]
    if isinstance(items, (bytes, bytearray)) or not isinstance(items, Iterable):
        raise TypeError(f"{what} must be a string or an iterable of strings, not {type(items).__name__}")
    out = list(items)
    for item in out:
        if not isinstance(item, (str, *single)):
            raise TypeError(f"{what} must be strings, not {type(item).__name__} ({item!r})")
    return out


def _facet_names(facets: Iterable[str]) -> list[str]:
    names = []
    for item in [facets] if isinstance(facets, str) else facets:
        names += [n.strip().lower() for n in item.split(",") if n.strip()]
    for n in names:
        if n not in FACETS:
            raise QueryError(f"unknown facet {n!r}: use {', '.join(FACETS)}")
    return list(dict.fromkeys(names))


def _present(order: Sequence[str] | None, found: Iterable[str]) -> tuple[str, ...]:
    if not order:
        return ()
    have = set(found)
    return tuple(k for k in order if k in have)


def _as_text(value: dt.date | str | None) -> str | None:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value.strip() or None if value else None
