"""The object users and both shells call: :class:`Engine`, one home of articles.

>>> eng = Engine.init("my-archive")                       # doctest: +SKIP
>>> eng.import_paths(["feed.jsonl"])                      # doctest: +SKIP
ImportReport(added=120, updated=0, unchanged=0, failed=0, ...)
>>> [h.title for h in eng.search("політв'язні", limit=3)] # doctest: +SKIP

A façade: one method per command, each delegating to the module that does that job
(``ingest/`` imports and keeps the index in line, ``query/`` understands queries,
``answers/`` makes results, explanations and stats, ``store/`` keeps what is stored).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
import os
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Concatenate, Literal, ParamSpec, TypeVar

from .advice import GIVE_HOME, INIT, INIT_FOLDER, OPEN
from .answers.arguments import check_bool, check_callable, check_optional_text, check_text
from .answers.articles import find, find_each, highlighted, remove
from .answers.explanation import explain
from .answers.saved import check_savable, count_new, new_matches, not_marked, run_saved, save
from .answers.search import MAX_LIMIT, Searcher, check_limit, check_page
from .answers.similar import KEY_TERMS, similar
from .answers.stats import stats
from .backends import (
    CONFIG_FILE,
    IndexConfig,
    check_backend,
    check_client,
    load_config,
    open_index,
    save_config,
    shown_url,
)
from .backends.base import Capability, Index, Progress
from .errors import (
    DeleteInterrupted,
    EngineClosed,
    HomeError,
    IndexInterrupted,
    IndexTaken,
    LexiconError,
    SavedSearchError,
    SavedSearchNotFound,
    SearchkitError,
)
from .ingest.importer import Import
from .ingest.schedule import Batches
from .ingest.stream import stream_format_option
from .ingest.sync import PENDING_FILE, IndexSync, index_full, room_for_the_index
from .models import (
    DEFAULT_LIMIT,
    Article,
    Backlog,
    Deletion,
    ImportReport,
    IndexReport,
    IndexStatus,
    Results,
    SavedSearch,
    Snippet,
    Sort,
    Stats,
    StreamFormat,
)
from .query.explain import Explanation
from .query.resolve import WordAnalysis, WordResolver, analysis
from .query.synonyms import Synonyms
from .query.userlexicon import UserLexicon
from .store.corpus import Corpus
from .store.fields import normal_id
from .store.gcmode import bulk_collection
from .store.locking import HomeLock, check_lock_timeout
from .store.room import no_room
from .store.saved import ID_FILE, SavedSearches, make_home_id
from .text.analysis import Analyzer, default_analyzer, ukrainian_morphology
from .text.lexicon import LEXICON_FILE, Lexicon

# KEY_TERMS, MAX_LIMIT and PENDING_FILE are importable from here as before
__all__ = ["IMPORT_BATCH", "IMPORT_BATCH_MAX", "IMPORT_GROWTH", "KEY_TERMS", "MAX_LIMIT", "PENDING_FILE", "Engine",
           "Progress"]

#: When an import commits the index (see :mod:`searchkit.ingest.schedule`): once
#: ``IMPORT_GROWTH`` times the indexed articles have changed, but at least every
#: ``IMPORT_BATCH`` and at most every ``IMPORT_BATCH_MAX`` changed articles; an import
#: into no usable index commits once, at its end. An update that catches up on what an
#: import left unindexed (:meth:`Engine.index`) commits by the same rule.
IMPORT_BATCH = 2000
IMPORT_GROWTH = 1.0
IMPORT_BATCH_MAX = 20_000  # (all three read at each import: a change here applies to the next one)


def _batches() -> Batches:
    """How many changed articles a writer commits at a time, as the three numbers above say now."""
    return Batches(IMPORT_BATCH, IMPORT_GROWTH, IMPORT_BATCH_MAX)


Date = dt.date | str | None
#: What :meth:`Engine.import_articles` takes as one article.
ArticleLike = Article | Mapping[str, Any]
_P = ParamSpec("_P")
_R = TypeVar("_R")


def _open(method: Callable[Concatenate[Engine, _P], _R]) -> Callable[Concatenate[Engine, _P], _R]:
    """A method a closed engine refuses: its index is closed, and reopening it on the
    quiet would leave files (or a cluster's connections) open that the caller let go."""

    def checked(self: Engine, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        if self._closed:
            raise EngineClosed(f"{self.home}: this Engine was closed", hint="open the home again: Engine(home)")
        return method(self, *args, **kwargs)

    functools.update_wrapper(checked, method)  # (its name and docstring, for help())
    return checked


class Engine:
    """A searchkit home: ``corpus/`` (the articles) and ``index/`` (derived, rebuildable).

    The index is embedded (Whoosh, in ``index/``) unless the home's ``searchkit.toml`` or
    ``backend``/``url`` name an OpenSearch cluster (see :mod:`searchkit.backends`).
    :meth:`close` (or the end of a ``with Engine(home) as eng:`` block) lets the index go;
    the engine then raises :class:`~searchkit.errors.EngineClosed` if used.

    ``lock_timeout``: the seconds a writer (an import, ``index``, ``delete``, a saved
    search's change, the build a first search does) waits for another to let the home
    go before :class:`~searchkit.errors.IndexBusy`, 0 to 86,400; ``None`` (the default):
    as ``SEARCHKIT_LOCK_TIMEOUT`` says, read at each wait, else 10.
    """

    _closed = False  # (a class default: set before __init__ could fail, read by close())

    def __init__(self, home: str | os.PathLike[str] = ".", *, backend: str | None = None,
                 url: str | None = None, lock_timeout: float | None = None) -> None:
        wait = None if lock_timeout is None else check_lock_timeout(lock_timeout)
        _check_place(home, backend, url)
        if not os.fspath(home).strip():  # (``--home "$ARCHIVE"`` with nothing in it: not this folder)
            raise HomeError("no path given for the home", hint=f"{GIVE_HOME} (\".\" is this one)")
        self.home = Path(home)
        _check_reachable(self.home)
        if self.home.exists() and not self.home.is_dir():
            # (``--home feed.jsonl``, ``--home /dev/null``: `init` could not make it a home either)
            kind = "file" if self.home.is_file() else "device, pipe or socket"
            raise HomeError(f"{self.home}: a {kind}, not a searchkit home",
                            hint=f"pass the folder that holds corpus/ ({INIT_FOLDER} makes one)")
        if not (self.home / "corpus").is_dir():
            above = _home_above(self.home)  # (named, not used: a command acts on the home it is given)
            raise HomeError(f"{self.home}: not a searchkit home (no corpus/ folder)",
                            hint=f"did you mean {OPEN(str(above))}, the home it is in?" if above else
                            f"make it one with {INIT(str(self.home))}, or {GIVE_HOME}")
        self.corpus = Corpus(self.home / "corpus")
        self.lock = HomeLock(self.home / ".searchkit.lock", directory=self.home, timeout=wait)
        self._lexicon = UserLexicon(self.home / LEXICON_FILE)
        self.config: IndexConfig = load_config(self.home).with_overrides(backend, url)
        self._index: Index = open_index(self.config, self.home / "index", self._lexicon)
        try:
            self._load_lexicon(force=True)
        except LexiconError:
            pass  # what needs the lexicon says what is wrong; reading, stats and saved searches go on
        self.saved = SavedSearches(self.home, lock_timeout=wait)
        self._sync = IndexSync(self.home, self.corpus, self.lock, self._index, self._lexicon, self._load_lexicon)
        self._searcher = Searcher(self._index, self.corpus, self._lexicon, self._sync, self._load_lexicon)

    @classmethod
    def init(cls, home: str | os.PathLike[str], *, backend: str | None = None, url: str | None = None,
             lock_timeout: float | None = None) -> Engine:
        """Create an empty home (``corpus/``) at ``home`` and open it. ``backend``/``url``
        are saved in its ``searchkit.toml``; ``lock_timeout`` is the engine's (not saved).

        An existing home moves to the index they name only once that index answers: a
        home whose articles a search could find is never left pointing at a cluster that
        is down or a client that is not installed (nothing is written then). A new home
        on an alias another home's index holds is not made: :class:`IndexTaken`."""
        if lock_timeout is not None:
            check_lock_timeout(lock_timeout)  # (before anything is written)
        _check_place(home, backend, url)
        if not os.fspath(home).strip():  # ("" would be the current folder, said as nothing)
            raise HomeError(f"no path given for the home: name a folder, e.g. {INIT('archive')}")
        path = Path(home)
        _check_reachable(path)
        if (blocker := _file_in_the_way(path)) is not None:
            raise HomeError(f"{path}: cannot create a home there: {blocker} is a file, not a folder")
        existed = (path / "corpus").is_dir()
        folder_existed = path.is_dir()
        before = load_config(path)
        config = before.with_overrides(backend, url)
        check_client(config)  # not installed: said before anything is written
        if existed and config != before:
            moved = cls(path, backend=config.backend, url=config.url, lock_timeout=lock_timeout)
            try:
                moved.index_state()  # the cluster answers, or its one-line error
            except SearchkitError as e:
                moved.close()
                raise HomeError(f"{path}: its index settings were not changed: {e}", hint=e.hint) from None
            save_config(path, config)
            return moved  # (opened on the settings now saved)
        try:
            (path / "corpus").mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise HomeError(f"{path}: cannot create ({e.strerror})") from None
        if not existed:
            make_home_id(path)
        if config != before:
            save_config(path, config)
        made = cls(path, lock_timeout=lock_timeout)
        if not existed and Capability.SHARED in made._index.capabilities:  # a new home: on an index of its own
            _refuse_a_taken_alias(made, folder_existed=folder_existed)
        return made

    @staticmethod
    def saved_config(home: str | os.PathLike[str]) -> IndexConfig:
        """The index settings saved in ``home``'s ``searchkit.toml`` (the embedded index's
        without one), as :attr:`config` reads them with no ``backend``/``url`` given: what
        an :meth:`init` of an existing home may change."""
        _check_place(home, None, None)
        return load_config(Path(home))

    @property
    def backend_index(self) -> Index:
        """The backend index this engine searches (:class:`searchkit.backends.base.Index`),
        for tools that work below this API: benchmarks, diagnostics, the backend's tests.
        Its methods take no lock of the home, nor bring it up to date with ``corpus/``:
        what changes the index goes through the engine."""
        return self._index

    # -- the user lexicon -----------------------------------------------------------------
    @property
    def lexicon_path(self) -> Path:
        """``HOME/lexicon.tsv``: lemma overrides, new words and synonyms (may not exist)."""
        return self._lexicon.path

    @property
    def lexicon(self) -> Lexicon:
        return self._lexicon.lexicon

    @property
    def analyzer(self) -> Analyzer:
        """The analyzer of the index and the queries (the lexicon's lemmas applied)."""
        return self._lexicon.analyzer

    def _load_lexicon(self, *, force: bool = False) -> None:
        """Follow the user's edits of ``lexicon.tsv`` (the index reads the same state of it:
        see :mod:`searchkit.query.userlexicon`)."""
        self._lexicon.refresh(force=force)

    @_open
    def synonyms(self) -> Synonyms:
        """The lexicon's synonym groups, analyzed (once per lexicon) for query expansion."""
        self._load_lexicon()
        return self._lexicon.synonyms()

    # -- importing and indexing -----------------------------------------------------------
    @_open
    def import_paths(self, paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], *, index: bool = True,
                     progress: Progress | None = None, index_progress: Progress | None = None) -> ImportReport:
        """Import ``.txt``/``.jsonl``/``.csv``/``.html`` files (gzipped too) or folders into ``corpus/``;
        ``paths`` is one path or several (``"feed.jsonl"`` is one file, not its letters; an
        open file is refused with :class:`TypeError`: give its path).

        Unchanged articles are skipped, a known id with new content replaces the old article,
        bad records are reported (file and line) while the rest goes on. With ``index=True``
        the index is committed every ``IMPORT_BATCH`` to ``IMPORT_BATCH_MAX`` changed articles,
        or once at the end into no usable index (:mod:`searchkit.ingest.schedule`): an
        interrupted import keeps what it committed, and the next writer indexes the rest.
        ``progress`` hears about records read (of a total counted first), ``index_progress``
        about articles indexed. A KeyboardInterrupt meanwhile is raised as
        :class:`~searchkit.errors.ImportInterrupted`, which counts what was stored.

        A ``.txt`` or ``.html`` article keeps the file it came from (its extra field
        ``imported_from``): another file of its name imported later is refused, not stored
        over it. (A stream: :meth:`import_stream`.)"""
        _check_import(index, progress, index_progress)
        return self._import_files(_several(paths, "paths", os.PathLike), index=index, progress=progress,
                                  index_progress=index_progress)

    def _import_files(self, paths: list[str | os.PathLike[str]], *, index: bool, progress: Progress | None,
                      index_progress: Progress | None, piped: str | None = None) -> ImportReport:
        """:meth:`import_paths` of ``paths``; ``piped``, one of them whose name was made up
        (a spooled stream): its articles keep no file."""
        job = self._import_job(piped)
        return self._importing(lambda: job.run(paths, index=index, progress=progress, index_progress=index_progress))

    @_open
    def import_stream(self, stream: IO[bytes], *, format: StreamFormat = "jsonl", name: str = "<stdin>",
                      read_as: Callable[[str], str] = stream_format_option,
                      paths: Iterable[str | os.PathLike[str]] = (), index: bool = True,
                      progress: Progress | None = None, index_progress: Progress | None = None) -> ImportReport:
        """Import what a binary ``stream`` holds (``sys.stdin.buffer``, a socket's file, a
        download): ``format`` is one of ``jsonl``, ``json``, ``csv``, ``txt`` or ``html``
        (a stream has no file name to tell it), imported as :meth:`import_paths` imports a
        file: ``index``, ``progress`` and ``index_progress`` as there.

        JSON Lines and CSV are imported as they arrive, in batches (see
        :data:`searchkit.ingest.stream.BATCH_LINES`: up to 10,000 lines or 64 MB, or what
        has come when the stream pauses for a second, or within 10 seconds), each spooled
        in turn to a temporary file and committed to the index before the next is read: what
        a long or endless stream (a scraper, ``tail -f``) brings is searchable as it goes,
        and a KeyboardInterrupt keeps the batches stored (:class:`~searchkit.errors.ImportInterrupted`
        counts them). The stream is still one import: line numbers count from its start,
        the report counts every batch, and a repeated id replaces the earlier record as in
        one file (a CSV row whose quoted cell a batch cuts is read on in the next; CSV's
        first batch goes on, whatever pauses, to a byte past ASCII, which tells its
        encoding, or 256 KB). While the stream is waited for, its batches so far committed,
        the home is left to other writers (another process's ``delete`` or import), and
        taken again, however long they keep it, before the next batch is stored. ``progress``
        then has no total. Any other format (and gzip, UTF-16 or UTF-32) is read to its end
        first (into a temporary file, removed after).

        The report's errors and warnings name the stream ``name`` (``<stdin>:3: bad
        JSON``), and where a file would be told to be renamed to be read as another format
        (CSV sent as JSON Lines), they say ``read_as(format)`` instead: how the caller's
        users give the format (``give format='csv'``; the command line says ``add
        --stdin-format csv``). A ``.txt`` or ``.html`` article takes its id from the
        content (``stdin-<12 hex digits>``): the same text piped twice is one article, and
        it keeps no file it came from. ``paths``: files and folders imported in the same
        run, before the stream (``searchkit import feed.jsonl -``)."""
        from .ingest.stream import as_stream, batched, head_of, in_batches, spooled
        from .store.formats import STREAM_FORMATS

        _check_import(index, progress, index_progress)
        check_callable("read_as", read_as, optional=False)
        # (checked before a line is read: met when the report was worded, after the import,
        # a wrong one raised from inside with the articles stored)
        check_text("name", name)
        files = _several(paths, "paths", os.PathLike) if paths else []
        head = head_of(stream) if format in STREAM_FORMATS else b""
        if batched(head, format):
            with in_batches(stream, format, name, head) as lines:
                job = self._import_job(lines.path)
                report = self._importing(lambda: job.run_stream(files, lines, index=index, progress=progress,
                                                                index_progress=index_progress))
            return as_stream(report, lines.path, name, read_as)
        with spooled(stream, format, name, head) as path:
            report = self._import_files([*files, path], index=index, progress=progress,
                                        index_progress=index_progress, piped=path)
        return as_stream(report, path, name, read_as)

    @_open
    def import_articles(self, articles: ArticleLike | Iterable[ArticleLike], *, index: bool = True,
                        progress: Progress | None = None, index_progress: Progress | None = None) -> ImportReport:
        """Import articles from Python: :class:`~searchkit.Article` objects and/or mappings
        with the fields of a JSON Lines record (``{"id": ..., "title": ..., "text": ...,
        "date": ..., "source": ..., "url": ...}``, other fields kept); ``articles`` is one
        or an iterable of them, read once, as it goes (a generator is fine).

        Each is checked, stored in ``corpus/`` and indexed exactly as a line of a ``.jsonl``
        file (:meth:`import_paths`): a missing id is made from the content, a known id with
        new content replaces the article, an unchanged one is skipped, two of one id in one
        call are one article (the later wins, and the report warns). Its values go through
        JSON as stored: a ``datetime.date`` or ``datetime`` becomes its ISO text (``date``:
        the day), a tuple a list; one that JSON cannot hold (a set, NaN) is refused. An
        ``Article``'s fields are checked so whatever their types (untyped code may give
        ``date="2016-06-01"``, read as a line's date, or ``extra=None``, refused). A bad
        one is refused as a bad line is: it changes nothing, the rest goes on, and
        ``ImportReport.failed``/``errors`` say what is wrong with which (``article 3:
        missing "text"``: the third given, counting from 1).

        ``index``, ``progress`` (with a total when ``articles`` has a length) and
        ``index_progress`` are as in :meth:`import_paths`, and so is a KeyboardInterrupt
        (:class:`~searchkit.errors.ImportInterrupted`). An exception raised by ``articles``
        itself goes on up; what was stored before it stays, made searchable by the next
        import or :meth:`index`. The home stays locked for writers while ``articles`` is
        read."""
        _check_import(index, progress, index_progress)
        given = _articles(articles)
        job = self._import_job()
        return self._importing(lambda: job.run_objects(given, index=index, progress=progress,
                                                       index_progress=index_progress))

    def _import_job(self, piped: str | None = None) -> Import:
        return Import(self._sync, self.saved, _batches(), piped, count=functools.partial(new_matches, self._searcher))

    def _importing(self, run: Callable[[], ImportReport]) -> ImportReport:
        """``run`` an import: the lexicon followed, under the home's lock, the collector in bulk mode."""
        with bulk_collection():
            self._load_lexicon()
            with self.lock:
                return run()

    @_open
    def import_batch(self) -> int | None:
        """How many changed articles an import would index at a time as of now; ``None``
        when it would index them all at its end (see :mod:`searchkit.ingest.schedule`)."""
        self._load_lexicon()
        schedule = self._sync.commit_schedule(_batches())
        return None if schedule.at_end else schedule.limit()

    @_open
    def index(self, *, rebuild: bool = False, progress: Progress | None = None) -> IndexReport:
        """Bring the index in line with ``corpus/``: add new and changed articles, drop
        deleted ones. ``rebuild=True`` builds a fresh index and swaps it in when done; a
        damaged index is rebuilt too; one a newer searchkit made is refused
        (:class:`~searchkit.errors.IndexFromNewer`) unless ``rebuild=True`` replaces it.
        Leftovers of a killed import or index run go. An update
        commits as an import does (see :data:`IMPORT_BATCH`), so an interrupted one keeps the
        batches it committed and the next run has only the rest to do. A KeyboardInterrupt
        meanwhile is raised as :class:`~searchkit.errors.IndexInterrupted`, which says whether
        the index still answers (it does, unless there was none) and what it lacks still."""
        check_bool("rebuild", rebuild)
        check_callable("progress", progress)
        with bulk_collection():
            self._load_lexicon()
            with self.lock:
                answers = self._sync.answers()
                try:
                    with room_for_the_index("corpus/ is untouched", had_index=answers, rebuild=rebuild):
                        return self._sync.index_all(rebuild=rebuild, progress=progress, batches=_batches())
                except KeyboardInterrupt:
                    rebuilt = rebuild or not answers
                    # (an update keeps the batches it committed: counted, what is left to do)
                    behind = 0 if rebuilt else self._sync.unindexed()[0]
                    raise IndexInterrupted(rebuild=rebuilt, answers=answers, behind=behind) from None

    @_open
    def index_status(self) -> str | None:
        """Why the index must be rebuilt before the next search (``"the lemmas in
        lexicon.tsv changed"``), or ``None`` when it is current."""
        self._load_lexicon()
        return self._index.rebuild_reason()

    @_open
    def index_state(self) -> IndexStatus:
        """Whether the index answers the next search as it is (``IndexStatus.CURRENT``)
        or must be built first, and why (``MISSING``, ``LEXICON_CHANGED``, ...)."""
        self._load_lexicon()
        return self._index.status()

    @_open
    def unindexed(self) -> tuple[int, int]:
        """``(behind, stored)``: how many changes of ``corpus/`` the index has not caught up
        on, of how many articles stored: articles a search cannot find yet (stored by an
        interrupted import, or one with ``index=False``) and articles deleted from
        ``corpus/`` that the index still holds (a search leaves those out: see
        :meth:`backlog`); :meth:`index` catches up. Cheap unless a writer was interrupted."""
        return self._sync.unindexed()

    @_open
    def backlog(self) -> Backlog:
        """:meth:`unindexed`, and whether what a search cannot find is only files of
        ``corpus/`` that cannot be read (``Backlog.unreadable``): :meth:`index` names them
        and leaves them out, so fixing or deleting them helps, not indexing again. Reads
        those few files only when some articles are behind."""
        return self._sync.backlog()

    @_open
    def writer_at_work(self) -> bool:
        """Whether an import, ``index`` or ``delete`` is at work on this home right now (in
        another process or thread): what :meth:`unindexed` counts may be its articles,
        searchable once it is done."""
        return self._sync.writer_at_work()

    @_open
    def ensure_index(self, progress: Progress | None = None) -> bool:
        """Build the index if there is none (or it is from an earlier analyzer version; one a
        newer searchkit made raises :class:`~searchkit.errors.IndexFromNewer`).
        Returns ``True`` when it had to build. A KeyboardInterrupt meanwhile is raised as
        :class:`~searchkit.errors.IndexInterrupted`, as by :meth:`index`."""
        check_callable("progress", progress)
        self._load_lexicon()
        try:
            return self._sync.ensure(progress)
        except KeyboardInterrupt:
            # (asked now: a build is swapped in only once whole, so the index is as it was)
            raise IndexInterrupted(rebuild=True, answers=self._sync.answers()) from None

    # -- searching ------------------------------------------------------------------------
    @_open
    def search(self, query: str, *, limit: int = DEFAULT_LIMIT, page: int = 1, since: Date = None, until: Date = None,
               source: str | None = None, sort: Sort = "relevance", exact: bool = False,
               today: dt.date | None = None, find_dates: bool = True, snippets: bool | Literal["all"] = True,
               collapse: bool = True, facets: Iterable[str] = (), partial: bool = True,
               months: bool = False) -> Results:
        """Search (the language: :mod:`searchkit.query.parse`): the articles holding every word
        (in any form and spelling) first, counted in ``Results.matched_all``, then those
        holding some of the words, more of them first (not with ``partial=False`` or
        ``exact=True``); ``Results.missing`` names the word the best of them lack.

        A query that finds nothing because of a typo is searched with its correction
        (``corrected_query``); Latin words are searched as the Cyrillic words they spell
        too (``searched_as``); ``exact=True`` turns both off. ``since``/``until`` take dates,
        ``YYYY-MM-DD`` or Ukrainian phrases (``"вчора"``) relative to ``today``; date phrases
        in the query become a filter too unless ``find_dates=False`` (``date_range``). The
        home's ``lexicon.tsv`` synonyms are searched too (``synonyms``).

        ``snippets=False`` skips reading the articles (the fast way to collect ids); a long
        page gets snippets for its first 20 hits, then while 0.15 s lasts (said in
        ``Results.cut``), and ``snippets="all"`` for every hit however long that takes (an
        export, which should not differ from run to run).
        Near-duplicates fold into one hit (``Hit.duplicates``) unless ``collapse=False``;
        ``facets`` counts ``source``, ``year``, ``month`` over every match (a blank one, ``""``,
        is refused: no facets is ``()``); ``months=True``
        counts matches per month (as :meth:`timeline`) from the same understanding.

        >>> Engine("archive").search("мовні табори", limit=5, sort="date")  # doctest: +SKIP
        >>> Engine("archive").search("табори", facets=["year"]).facets["year"]  # doctest: +SKIP
        (FacetCount(value='2016', count=3), ...)
        """
        return self._searcher.run(query, limit=limit, page=page, since=since, until=until, source=source,
                                  sort=sort, exact=exact, today=today, find_dates=find_dates,
                                  snippets=snippets, collapse=collapse, facets=facets, partial=partial,
                                  months=months)

    @_open
    def explain(self, query: str, article_id: str, *, since: Date = None, until: Date = None,
                source: str | None = None, exact: bool = False, today: dt.date | None = None,
                find_dates: bool = True) -> Explanation:
        """How ``query`` was understood and how it scores the article ``article_id``: which
        of its words matched which query word, and what each added to the score. The query
        is planned as :meth:`search` plans it (dates, synonyms, transliteration, correction),
        and ``rank`` is the place that search lists the article at (see :class:`Explanation`).

        >>> Engine("archive").explain("мовні табори", "a2").score  # doctest: +SKIP
        """
        query = self._searcher.accept(query)
        u = self._searcher.understand(query, since, until, today, find_dates)
        return explain(self._searcher, query, u, self.get(article_id), exact=exact, source=source,
                       since=since, until=until, today=today)

    @_open
    def timeline(self, query: str, *, since: Date = None, until: Date = None, source: str | None = None,
                 exact: bool = False, today: dt.date | None = None, find_dates: bool = True) -> list[tuple[str, int]]:
        """The articles per month of :meth:`search`'s matches with all the words (the same
        date phrases, synonyms, corrections and transliteration), or when no article has
        them all, of its partial matches, as ``facets`` counts them; oldest first; months
        without matches, undated articles and those deleted from ``corpus/`` the index
        still holds are left out.

        >>> Engine("archive").timeline("мовні табори")  # doctest: +SKIP
        [('2016-05', 2), ('2016-06', 7), ('2017-06', 1)]
        """
        return self._searcher.timeline(query, since=since, until=until, source=source, exact=exact, today=today,
                                       find_dates=find_dates)

    @_open
    def count(self) -> int:
        """How many articles a search can find: those the index holds (building it first if
        there is none), less those deleted from ``corpus/`` since (see :meth:`unindexed`)."""
        self.ensure_index()
        return self._index.doc_count() - len(self._sync.gone())

    @_open
    def sources(self) -> dict[str, int]:
        """``{source: articles}`` for every source in the index, the largest first."""
        self.ensure_index()
        return dict(sorted(self._index.sources().items(), key=lambda kv: (-kv[1], kv[0])))

    # -- near-duplicates and similar articles ---------------------------------------------
    @_open
    def duplicates(self, article_id: str) -> tuple[str, ...]:
        """Ids of the near-duplicates of an article (the same story with small edits)."""
        stored = self.get(article_id).id  # (as stored: typed, it may be spelt otherwise)
        return tuple(i for i in self.duplicate_group(stored) if i != stored)

    @_open
    def duplicate_group(self, article_id: str) -> tuple[str, ...]:
        """The group of near-duplicates an article is in, as :meth:`duplicate_groups` lists
        it (a sorted tuple of ids as stored, the article's among them), or ``()`` when it
        has none."""
        stored = self.get(article_id).id  # (typed, it may be spelt otherwise)
        self.ensure_index()
        return self._index.clusters().group(stored)

    @_open
    def duplicate_groups(self) -> list[tuple[str, ...]]:
        """Every group of near-duplicates in the index, each a sorted tuple of ids."""
        self.ensure_index()
        return self._index.clusters().groups()

    @_open
    def similar(self, article_id: str, *, limit: int = DEFAULT_LIMIT, page: int = 1) -> Results:
        """Articles about the same thing as ``article_id``: a query made of its most
        distinctive lemmas (tf-idf over the index). The article and its near-duplicates
        are left out; ``Hit.shared`` lists the key words each hit shares with it.

        >>> [h.shared for h in Engine("archive").similar("a-2016-movni-tabory")]  # doctest: +SKIP
        """
        t0 = time.perf_counter()
        check_limit(limit)
        check_page(page)
        article = self.get(article_id)
        self.ensure_index()
        return similar(self._searcher, article, limit=limit, page=page, t0=t0)

    # -- saved searches -------------------------------------------------------------------
    @_open
    def save_search(self, name: str, query: str, *, since: Date = None, until: Date = None,
                    source: str | None = None, replace: bool = False) -> SavedSearch:
        """Keep ``query`` (with its filters) under ``name``; see :mod:`searchkit.store.saved`.
        A name in use raises :class:`~searchkit.errors.SavedSearchExists` unless ``replace``.

        ``since``/``until`` may be Ukrainian phrases (``"останній тиждень"``): they are kept
        as typed and read again at every run. Its first ``run(new=True)`` shows what arrived
        after it was saved.
        """
        return save(self._searcher, self.saved, name, query, since=since, until=until, source=source,
                    replace=replace)

    @_open
    def check_saved_search(self, query: str, *, since: Date = None, until: Date = None,
                           source: str | None = None) -> None:
        """Raise what :meth:`save_search` would of ``query`` and its filters, saving
        nothing: a :class:`~searchkit.errors.QueryError` for a query that cannot run (``п*``,
        ``31.02.2022``, an empty one) or filters that hold no day, as a search raises it.
        A program that asks for the name after the query (the TUI's Ctrl+S) says so first."""
        check_savable(self._searcher, query, since=since, until=until, source=source)

    @_open
    def saved_searches(self) -> list[SavedSearch]:
        """The saved searches of this home, by name."""
        return self.saved.all()

    @_open
    def saved_search(self, name: str) -> SavedSearch:
        """The saved search ``name``, however its letters are spelt (``ї`` as one character
        or decomposed), as :meth:`run_saved_search` finds it; an unknown ``name`` raises
        :class:`~searchkit.errors.SavedSearchNotFound`."""
        check_text("name", name)
        return self.saved.get(name)

    @_open
    def remove_saved_search(self, name: str) -> None:
        """Forget the saved search ``name`` (:class:`~searchkit.errors.SavedSearchNotFound` if none)."""
        check_text("name", name)
        self.saved.remove(name)

    @_open
    def run_saved_search(self, name: str, *, new: bool = False, limit: int = DEFAULT_LIMIT, page: int = 1,
                         sort: Sort = "relevance", collapse: bool = True, facets: Iterable[str] = ()) -> Results:
        """Run a saved search; with ``new=True`` only articles that arrived (were imported
        or changed) since it last ran. Either way it is marked as run now (when the saved
        searches cannot be written, a warning says it was not), and what arrived
        counts as seen once a run lists the page of its last hit (before that, a ``new``
        run lists them all again, and says so in a warning). An unknown ``name`` raises
        :class:`~searchkit.errors.SavedSearchNotFound`."""
        check_text("name", name)
        search = self.saved.get(name)
        self.ensure_index()
        results, mark = run_saved(self._searcher, search, new=new, limit=limit, page=page, sort=sort,
                                  collapse=collapse, facets=facets)
        try:
            self.saved.mark_run(name, mark)
        except SavedSearchNotFound:
            raise  # (removed meanwhile, by another process)
        except SavedSearchError as e:  # (the results stand: said, not lost)
            return not_marked(results, e)
        return results

    @_open
    def count_new_matches(self, name: str) -> int:
        """How many articles :meth:`run_saved_search` with ``new=True`` would list in all
        for the saved search ``name`` (near-duplicates folded), without running it: it is
        not marked as run, and nothing counts as seen. An unknown ``name`` raises
        :class:`~searchkit.errors.SavedSearchNotFound`."""
        check_text("name", name)
        search = self.saved.get(name)
        self.ensure_index()
        return count_new(self._searcher, search)

    # -- articles -------------------------------------------------------------------------
    @_open
    def get(self, article_id: str) -> Article:
        """The stored article with ``article_id`` (:class:`ArticleNotFound` if none),
        however its letters are spelt (``ї`` as one character or decomposed: ids are NFC;
        an id a home stored decomposed before is found too), as in every method taking ids."""
        return find(self.corpus, self._index, article_id)

    @_open
    def stored(self, ids: str | Iterable[str]) -> list[Article]:
        """The stored articles of ``ids``, in their order, leaving out those no longer in
        ``corpus/`` (removed by hand since they were indexed: a group of near-duplicates
        may still name them). ``ids`` is one id or several, as in :meth:`delete`."""
        return find_each(self.corpus, self._index, _several(ids, "ids"))

    @_open
    def highlight(self, article: Article, query: str | None, *, since: Date = None, until: Date = None,
                  source: str | None = None, exact: bool = False, today: dt.date | None = None,
                  find_dates: bool = True) -> tuple[Snippet, Snippet]:
        """The title and the full text of ``article`` with ``query``'s matches marked: what
        :meth:`search` of ``query`` with the same options marks in its snippets (its
        spelling correction, synonyms and date words as it reads them); no query (``None``,
        or nothing but spaces) marks nothing. The title is as a hit shows it (without soft
        hyphens); its :attr:`~searchkit.Snippet.stored` spans are offsets into
        ``article.title`` itself, the text's spans into ``article.text``."""
        return highlighted(self._searcher, article, query, since=since, until=until, source=source, exact=exact,
                           today=today, find_dates=find_dates)

    @_open
    def delete(self, ids: str | Iterable[str]) -> int:
        """Remove articles from ``corpus/`` and the index; returns how many existed.
        ``ids`` is one id or several (``"f1"`` is one article, not ``f`` and ``1``)."""
        return len(self.delete_ids(ids).deleted)

    @_open
    def delete_each(self, ids: str | Iterable[str]) -> list[bool]:
        """:meth:`delete`, saying for each of ``ids`` in turn whether it existed (an id
        given twice, however spelt, exists the first time only)."""
        ids = _several(ids, "ids")
        done = self.delete_ids(ids)
        absent = {normal_id(i) for i in (*done.not_found, *(i for i, _ in done.ambiguous))}
        seen: set[str] = set()
        found = []
        for i in ids:
            found.append(normal_id(i) not in seen | absent)
            seen.add(normal_id(i))
        return found

    @_open
    def delete_ids(self, ids: str | Iterable[str]) -> Deletion:
        """:meth:`delete`, saying which articles went (their ids as stored), which ids no
        article has and which could mean several (and deleted none: ``бʼю`` where ``б'ю``
        and ``б’ю`` are two articles), each id counted once however often or however spelt
        it is given (see :class:`~searchkit.models.Deletion`). A KeyboardInterrupt meanwhile is raised
        as :class:`~searchkit.errors.DeleteInterrupted`, which counts what was deleted; no
        room to write the index, as an :class:`~searchkit.errors.IndexError_` that says so
        too. Either way the next writer (or :meth:`index`) finishes the index. No room to
        index what an earlier writer left first (an import's articles) deletes all the same,
        as deleting is how room is made; the error then says how many of those articles
        are not searchable yet."""
        ids = _several(ids, "ids")
        deleted: list[str] = []  # filled as the files go: what an interruption says was deleted
        absent: list[str] = []
        ambiguous: dict[str, tuple[str, ...]] = {}
        with self.lock:
            try:
                self._delete(ids, deleted, absent, ambiguous)
            except KeyboardInterrupt:
                unreached = len({normal_id(i) for i in ids}) - len(deleted) - len(absent) - len(ambiguous)
                raise DeleteInterrupted(len(deleted), unreached) from None
            self._sync.clear_pending()
        return Deletion(tuple(deleted), tuple(absent), tuple(ambiguous.items()))

    def _delete(self, ids: list[str], deleted: list[str], absent: list[str],
                ambiguous: dict[str, tuple[str, ...]]) -> None:
        """The work of :meth:`delete_ids`, under the lock: each article's id as stored goes
        into ``deleted`` as its file goes, each id no article has into ``absent``, each
        that could mean several into ``ambiguous`` with the ids it could mean. No room to
        index what an earlier writer left first: the delete goes on (it is how room is
        made), and an error says so where articles stored before it are still not
        searchable, the pending mark left for the next writer; with none left (the delete
        took them) it succeeds, and the mark goes: kept, every search compared the stamp
        of every file of ``corpus/`` until the next writer."""
        self._sync.refuse_newer()  # (before any file goes: the index would not follow)
        self._index.remove_leftovers()
        answers = self._sync.answers()
        full: OSError | None = None
        try:
            self._sync.recover(batches=_batches())  # a killed writer's articles first: the mark is cleared after
        except OSError as e:
            if no_room(e) is None:
                raise
            # No room to index them: deleting is how room is made, so the articles go all
            # the same (it refused, and said to free some space); the mark stays for the
            # next writer.
            full = e
            self._index.remove_leftovers()  # (what the stopped commit wrote takes room too)
        self._sync.mark_pending()
        dropped: list[str] = []
        for gone in remove(self.corpus, ids):
            if gone.could_be:
                ambiguous[gone.asked] = gone.could_be
            elif gone.stored is None:
                absent.append(gone.asked)
            else:
                deleted.append(gone.stored)
            dropped += gone.drop
        n = len(deleted)
        said = f"{n} article{'s' if n != 1 else ''} deleted from corpus/, which searches leave out already"
        if not self._sync.missing():
            with room_for_the_index(lambda: said + self._still_behind(full), had_index=answers):
                self._index.apply((), dropped)
            said, answers = f"{n} article{'s' if n != 1 else ''} deleted from corpus/ and the index", False
        if full is not None and (behind := self._still_behind(full)):
            raise index_full(full, said + behind, had_index=answers) or full

    def _still_behind(self, full: OSError | None) -> str:
        """What a delete that met ``full`` (no room to index what an earlier writer left:
        see :meth:`_delete`) says of the articles stored before it that are not searchable
        yet (nothing if none are, or if it met no full disk)."""
        behind = self._sync.backlog().behind if full is not None else 0
        return (f", but {behind:,} article{'s' if behind != 1 else ''} stored before it "
                f"{'is' if behind == 1 else 'are'} not searchable yet") if behind else ""

    @_open
    def warm_up(self) -> None:
        """Load what the first misspelt query would otherwise wait for (about 0.1 s at
        100,000 articles): the full Ukrainian dictionary, whose neighbours of a word are
        candidate corrections, and the index's word list. For a long-lived shell such as
        the TUI, once it is ready."""
        ukrainian_morphology()
        if Capability.VOCABULARY in self._index.capabilities and not self._index.needs_rebuild():
            self._index.vocabulary()

    @staticmethod
    def analyze_text(text: str) -> list[WordAnalysis]:
        """Each word of ``text`` as a search reads it where there is no home: the
        dictionary's analysis alone (no ``lexicon.tsv``; the other spellings those the
        dictionary confirms, as no archive can be asked). :meth:`analyze` reads it as a
        home's search does."""
        check_text("text", text)
        return analysis(text, default_analyzer(), None)

    @_open
    def analyze(self, text: str) -> list[WordAnalysis]:
        """Each word of ``text`` as a search reads it: its token as the index sees it (form
        and lemmas, the user lexicon applied), where the lemmas come from, and the other
        spellings a search for it finds too, those of the archive (until the index is
        built and current: those the dictionary confirms)."""
        check_text("text", text)
        self._load_lexicon()
        current = self._index.status() is IndexStatus.CURRENT
        # (an analysis asks no more than a few words of the index: its families are not shown)
        resolver = WordResolver(self.analyzer, self._index, self._index.ranking, with_families=False) \
            if current else None
        return analysis(text, self.analyzer, resolver)

    @_open
    def stats(self) -> Stats:
        """Counts, date range, sources, index size and whether the index is up to date.

        A damaged index raises :class:`~searchkit.errors.IndexDamaged` (its ``hint`` the
        rebuild), as a search does: the counts are the index's, and none can be told from
        it (zeros would read as an empty archive); :meth:`index` rebuilds it. So does an
        index a newer searchkit made raise :class:`~searchkit.errors.IndexFromNewer`, as a
        search, an import and :meth:`index` do (``index(rebuild=True)`` rebuilds it). A missing
        index is no error (nothing indexed, and why), nor is an unreadable ``lexicon.tsv``
        (``lexicon_error``), which leaves every count readable."""
        lexicon_error = None
        try:
            self._load_lexicon()
        except LexiconError as e:  # say so; the counts need no lexicon
            lexicon_error = str(e)
        return stats(self._sync, lexicon_error)

    def close(self) -> None:
        """Close the index's files (or the cluster's connections); closing twice is no
        error. The engine is done: its other methods raise :class:`EngineClosed`."""
        self._closed = True
        self._index.close()

    def __repr__(self) -> str:
        # (two homes open in a notebook told apart; a cluster's password never shown)
        config: IndexConfig | None = getattr(self, "config", None)
        where = "" if config is None else f" {config.backend}" + (f" {shown_url(config.url)}" if config.url else "")
        return f"<searchkit.Engine {str(getattr(self, 'home', '?'))!r}{where}{' closed' if self._closed else ''}>"

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def _refuse_a_taken_alias(made: Engine, *, folder_existed: bool) -> None:
    """Undo the new home ``made`` (its id, settings and empty ``corpus/``; its folder, when
    this made it) and raise :class:`IndexTaken` when its alias names another home's index:
    kept, it said it was made and then refused every command, and the ``init`` advised
    found a home there already. A cluster that does not answer keeps the home (``init``
    warns): the alias is checked again by every command."""
    try:
        made.index_state()
    except IndexTaken as e:
        made.close()
        home = made.home
        for name in (CONFIG_FILE, ID_FILE):
            with contextlib.suppress(OSError):
                (home / name).unlink()
        for folder in (home / "corpus", *(() if folder_existed else (home,))):
            with contextlib.suppress(OSError):  # (not empty: something else is there, and stays)
                folder.rmdir()
        raise IndexTaken(f"{home}: no home was made: {e}") from None
    except SearchkitError:
        pass


def _check_reachable(path: Path) -> None:
    """A home path the file system cannot even look up (a name too long for it) is a
    :class:`HomeError`: ``Path.exists`` raised the bare ``OSError`` of ``os.stat``."""
    try:
        path.stat()
    except (FileNotFoundError, NotADirectoryError):
        pass  # (no such folder: said as such where it is looked for)
    except OSError as e:
        raise HomeError(f"{path}: cannot be a home ({e.strerror or e})",
                        hint=f"{GIVE_HOME} (a shorter path)") from None


def _file_in_the_way(path: Path) -> Path | None:
    """The file (not folder) that ``path`` or the nearest of its parents that exists is,
    if it is one: no folder can be made at or under it."""
    for place in (path, *path.parents):
        if place.exists():
            return place if not place.is_dir() else None
    return None


def _home_above(path: Path) -> str | None:
    """The nearest folder above the folder ``path`` that is a home (``..`` from inside its
    corpus/), as ``--home`` would take it (relative when ``path`` is); else ``None``, and
    for a folder that does not exist (a mistyped home is in no home). (Not quoted: the hint
    names it as the library's argument, and the shells quote it as theirs.)"""
    if not path.is_dir():
        return None
    try:
        here = path.resolve()
    except OSError:
        return None
    for place in here.parents:
        if (place / "corpus").is_dir():
            return str(place) if path.is_absolute() else os.path.relpath(place)
    return None


def _articles(articles: Any) -> Iterable[object]:
    """``articles`` as an iterable of articles: one ``Article`` or mapping is one (a dict
    is not its keys); a string or an open file is refused (it is no article, nor are its
    characters or lines). Each item is checked as it is imported."""
    if isinstance(articles, (Article, Mapping)):
        return [articles]
    if isinstance(articles, (str, bytes, bytearray, io.IOBase)) or callable(getattr(articles, "read", None)) \
            or not isinstance(articles, Iterable):
        raise TypeError(f"articles must be an Article, a mapping of its fields or an iterable of them, "
                        f"not {type(articles).__name__}")
    return articles  # (not listed: a generator of a million articles is read as it goes)


def _check_place(home: Any, backend: Any, url: Any) -> None:
    """Where an engine's home and index are, as given: ``url=5`` was an AttributeError."""
    if not isinstance(home, (str, os.PathLike)):
        raise TypeError(f"home must be a str or an os.PathLike, not {type(home).__name__}")
    if "\x00" in os.fspath(home):  # (no file system path holds one: os.stat's bare "embedded null byte")
        raise ValueError(f"home must not hold a NUL character: {os.fspath(home)!r}")
    check_backend(backend)
    check_optional_text("url", url)


def _check_import(index: Any, progress: Any, index_progress: Any) -> None:
    """The arguments every import takes, checked as they enter."""
    check_bool("index", index)
    check_callable("progress", progress)
    check_callable("index_progress", index_progress)


def _several(items: Any, what: str, *single: type) -> list[Any]:
    """``items`` as a list: a bare string (or ``single`` type) is one item, never its
    characters; anything else must be an iterable of strings (or ``single``), and not an
    open file (iterated, its lines were taken for paths or ids, each one failing)."""
    if isinstance(items, (str, *single)):
        return [items]
    if isinstance(items, io.IOBase) or callable(getattr(items, "read", None)):
        raise TypeError(f"{what} must be a string or an iterable of strings, not an open file "
                        f"({type(items).__name__}): give its path")
    if isinstance(items, (bytes, bytearray)) or not isinstance(items, Iterable):
        raise TypeError(f"{what} must be a string or an iterable of strings, not {type(items).__name__}")
    out = list(items)
    for item in out:
        if not isinstance(item, (str, *single)):
            raise TypeError(f"{what} must be strings, not {type(item).__name__} ({item!r})")
    return out
