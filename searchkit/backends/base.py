"""The seam between the library and an index backend: what :class:`searchkit.Engine` may
call on an index (:class:`Index`), what a backend can do beyond that (:class:`Capability`),
the state an index is in (:class:`IndexStatus`), and the records that cross the seam
(defined in :mod:`searchkit.backends.records`, re-exported here).

Both backends (the embedded Whoosh index in :mod:`searchkit.backends.whoosh`, the cluster in
:mod:`searchkit.backends.opensearch.index`) implement :class:`Index` and hand back those
records; neither imports the other. This module imports no backend library::

    library (Engine, understand)
        │  Index: compile, count, search, months, explain, apply, rebuild, ...
        ▼
    backends.base  ◄──────────────┬───────────────────────┐
                                  │                       │
                  engine (Whoosh: SearchIndex)   backends.opensearch (OpenSearchIndex)

A compiled query (:class:`Compiled`) is opaque to the library: it holds the backend's own
query object, and the terms that highlight its matches, which the library reads.
"""

from __future__ import annotations

import contextlib
import enum
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import IndexFromNewer
from ..models import IndexStatus, Sort, Staged
from .records import (
    WORD_FIELDS,
    Compiled,
    IndexMeta,
    Part,
    Ranking,
    RawContribution,
    RawExplanation,
    RawHit,
    RawResults,
    Relaxed,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..query import parse as q
    from ..query.userlexicon import LexiconSource
    from ..text import dedup
    from ..text.analysis import Analyzer
    from ..text.topics import TopicModel

__all__ = [
    "ANALYSIS_PROCESSES",
    "FACETS",
    "GROUPING",
    "INDEX_FORMAT",
    "Capability",
    "Compiled",
    "Index",
    "IndexMeta",
    "IndexStatus",
    "Part",
    "PartWriter",
    "Placed",
    "Progress",
    "Ranking",
    "RawContribution",
    "RawExplanation",
    "RawHit",
    "RawResults",
    "Relaxed",
    "SideWriter",
    "Staged",
    "TopicsLate",
    "ReadsLexicon",
    "WordCounts",
    "analysing_in",
    "as_stage",
    "begin_stage",
    "from_newer",
    "is_newer",
    "newer_parts",
    "relayed",
    "stage_progress",
    "status_of",
]

#: The format of the analysed documents and stored fields (see
#: :mod:`searchkit.backends.documents`); an index of an earlier format is rebuilt, one of
#: a later format refused (:func:`status_of`).
INDEX_FORMAT = "4"
#: The facets :meth:`Index.search` can count; the caller checks the names asked for
#: (``searchkit.answers.search.facet_names``), the backends take them as given.
FACETS = ("source", "year", "month")

#: ``progress(done, total_or_None)``, called now and then during long work.
Progress = Callable[[int, int | None], None]


def stage_progress(progress: Progress | None, what: str) -> Progress | None:
    """The callback for a stage of long work that counts something else than ``progress``
    does (``reading for topics``: articles read for the topic model, before any is indexed):
    ``progress.stage(what, done, total)`` when ``progress`` has that method, else ``None``
    (a plain callback hears nothing of the stage, and its count never goes back). Its
    next ``progress(done, total)`` call ends the stage. A stage with nothing to count
    reports ``(0, None)`` now and then."""
    stage = getattr(progress, "stage", None)
    if stage is None:
        return None

    def report(done: int, total: int | None) -> None:
        stage(what, done, total)

    return report


#: What a progress callback's stage is called while the near-duplicate groups are brought
#: up to date after a write: minutes for a big import, with nothing to count.
GROUPING = "grouping near-duplicates"


def begin_stage(progress: Progress | None, what: str) -> None:
    """Tell ``progress`` (when it hears of stages) that the stage ``what``, which counts
    nothing, begins: its ``(0, None)``, as :func:`stage_progress` gives them."""
    said = stage_progress(progress, what)
    if said is not None:
        said(0, None)


def as_stage(progress: Progress | None, what: str) -> Progress | None:
    """``progress`` for work that counts something else than it does, all of that work
    its stage ``what``: the work's counts go to ``progress.stage(what, done, total)`` and
    its own stages pass on as they are; ``None`` for a plain callback (as
    :func:`stage_progress`). The stage is said at once, as ``(0, None)``, before the work
    counts anything."""
    count = stage_progress(progress, what)
    if count is None:
        return None
    count(0, None)
    return relayed(count, progress)


def relayed(count: Progress, progress: Progress | None) -> Progress:
    """``count``, a callback that restates counts for ``progress`` (across batches, of
    another total), passing the stages of ``progress`` on to it."""
    stage = getattr(progress, "stage", None)
    return count if stage is None else Staged(count, stage)


#: ``write(folder, docs, limitmb=...)``: how a second process writes its part of a job
#: into the index in ``folder`` (see :class:`SideWriter`); a module-level function, so that
#: the process can be handed it.
PartWriter = Callable[..., Part]
#: An article's file stamp when indexed, and ``{field: {word number: [query lemmas there]}}``.
Placed = tuple[str, dict[str, dict[int, list[str]]]]


class TopicsLate(Exception):
    """The topic model is still being read (or its read failed: the message says so), so a
    search orders without it. Not a :class:`searchkit.errors.SearchkitError`: the search
    goes on."""


class Capability(enum.Enum):
    """What a backend can do beyond the :class:`Index` protocol's common ground; the
    library asks ``Capability.X in index.capabilities`` instead of testing for a class."""

    #: A second process may write part of a big job (:class:`SideWriter`), which the
    #: job's writer takes into its own segment.
    PARALLEL_WRITE = "parallel_write"
    #: :meth:`Index.placed` says where a query's lemmas stand in each hit, so snippets
    #: need not analyze the texts again.
    PLACED = "placed"
    #: :meth:`Index.vocabulary` is a word list held locally, worth loading ahead of the
    #: first misspelt query.
    VOCABULARY = "vocabulary"
    #: The index lives outside the home, under a name another home may hold too (an alias
    #: on a cluster): a new home is checked to be on one of its own (:class:`IndexTaken`
    #: from :meth:`Index.status`), and not made on another's.
    SHARED = "shared"


# -- who analyses the documents an index takes ---------------------------------------------

#: How many processes may analyse the documents an index is taking, as the index says
#: while it takes them (:func:`analysing_in`); the analysis pipeline
#: (:func:`searchkit.ingest.pipeline.prepare_all`) reads it when a job's first document is
#: asked for. The embedded index leaves it at 1: it writes in the analysing process, with
#: a second one of its own (:class:`SideWriter`). A cluster indexes on its own nodes and
#: takes documents faster than one process analyses them.
ANALYSIS_PROCESSES: ContextVar[int] = ContextVar("searchkit_analysis_processes", default=1)


@contextlib.contextmanager
def analysing_in(processes: int) -> Iterator[None]:
    """Within the block, documents asked for may be analysed by ``processes`` processes."""
    token = ANALYSIS_PROCESSES.set(max(1, processes))
    try:
        yield
    finally:
        ANALYSIS_PROCESSES.reset(token)


# -- the state of an index ---------------------------------------------------------------


def status_of(meta: IndexMeta | None, expected: IndexMeta) -> IndexStatus:
    """The status of an existing index built as ``meta`` says (``None``: unreadable),
    for a reader that expects ``expected``: ``NEWER`` when a newer searchkit made it
    (:func:`newer_parts`), which no reader of ``expected`` rebuilds unasked."""
    if meta is None:
        return IndexStatus.UNREADABLE
    if newer_parts(meta, expected):
        return IndexStatus.NEWER
    if meta.analyzer != expected.analyzer:
        return IndexStatus.ANALYZER_CHANGED
    if meta.format != expected.format:
        return IndexStatus.FORMAT_CHANGED
    if meta.lexicon != expected.lexicon:
        return IndexStatus.LEXICON_CHANGED
    return IndexStatus.CURRENT


def _numbered(version: str) -> dict[str, int] | None:
    """The numbered parts of a version an index records (``"10"``: ``{"": 10}``; the
    cluster's format ``"4+os5"``: ``{"": 4, "os": 5}``; a lexicon fingerprint ``"1:…"``:
    ``{"": 1}``), or ``None`` when it is not made of numbers (a test's ``"test-new"``)."""
    parts: dict[str, int] = {}
    for part in version.split(":", 1)[0].split("+"):
        m = _VERSION_PART.fullmatch(part)
        if m is None:
            return None
        parts[m[1]] = int(m[2])
    return parts


_VERSION_PART = re.compile(r"([a-z]*)([0-9]+)")


def is_newer(recorded: str, known: str) -> bool:
    """Whether a version an index records is later than the one this searchkit knows:
    some numbered part of ``recorded`` is greater than the same part of ``known``
    (``"11"`` after ``"10"``, ``"4+os6"`` after ``"4+os5"``). Versions not made of
    numbers are only the same or different."""
    ours, theirs = _numbered(known), _numbered(recorded)
    if ours is None or theirs is None:
        return False
    return any(n > ours[k] for k, n in theirs.items() if k in ours)


#: What each version an index records is, in words, as :func:`newer_parts` names it.
_VERSIONS = (("analyzer", "analyzer version"), ("format", "index format"), ("lexicon", "lexicon fingerprint"))


def newer_parts(meta: IndexMeta, expected: IndexMeta) -> list[tuple[str, str, str]]:
    """The versions ``meta`` records that are later than this searchkit's (``expected``):
    ``(what, recorded, known)``, such as ``("analyzer version", "11", "10")``. Any makes
    the index one a newer searchkit made (:attr:`IndexStatus.NEWER`)."""
    newer = []
    for field, what in _VERSIONS:
        recorded, known = getattr(meta, field), getattr(expected, field)
        if is_newer(recorded, known):
            # (a fingerprint is named by its scheme's version, not its hash)
            newer.append((what, recorded.split(":", 1)[0], known.split(":", 1)[0]))
    return newer


def from_newer(meta: IndexMeta, expected: IndexMeta) -> IndexFromNewer:
    """The error that refuses an index a newer searchkit made (see :func:`newer_parts`):
    which versions it has, and which this searchkit reads."""
    parts = newer_parts(meta, expected)
    made = ", ".join(f"{what} {recorded}" for what, recorded, _ in parts)
    reads = ", ".join(f"{what} {known}" for what, _, known in parts)
    return IndexFromNewer(f"the index was made by a newer searchkit ({made}; this searchkit reads {reads})")


# -- the words an index holds --------------------------------------------------------------


class ReadsLexicon:
    """An index's analyzer and lexicon fingerprint, read at each use from the state of
    the home's lexicon (:class:`~searchkit.query.userlexicon.LexiconState`): one object,
    replaced whole when ``lexicon.tsv`` changes, so the two always belong together and
    to the analyzer the same thread's search marks its snippets with."""

    lexicon: LexiconSource

    @property
    def analyzer(self) -> Analyzer:
        return self.lexicon.state.analyzer

    @property
    def lexicon_hash(self) -> str:
        return self.lexicon.state.index_hash


class WordCounts:
    """:meth:`Index.frequency` and :meth:`Index.has_word` from the backend's
    ``doc_frequency``, over :data:`~searchkit.backends.records.WORD_FIELDS`: written once,
    so that both backends correct and transliterate by the same rule."""

    def doc_frequency(self, field: str, term: str) -> int:
        """How many articles hold ``term`` in ``field`` (the backend's)."""
        raise NotImplementedError

    def frequency(self, word: str) -> int:
        """How many articles hold ``word`` as a written form or as a lemma (the most in one field)."""
        return max(self.doc_frequency(f, word) for f in WORD_FIELDS)

    def has_word(self, word: str) -> bool:
        """Whether some article holds ``word`` as a written form or as a lemma."""
        return any(self.doc_frequency(f, word) for f in WORD_FIELDS)


# -- the protocols -------------------------------------------------------------------------


class SideWriter(Protocol):
    """Writes part of a job's documents in a second process (with the index's
    :meth:`Index.part_writer`), while the job's writer writes the rest: two
    cores, no documents sent between processes. The job's writer takes the part into its
    own segment at commit. Only for a backend with :attr:`Capability.PARALLEL_WRITE`."""

    def start(self, folder: str, limitmb: int) -> None:
        """Begin writing into the index in ``folder``, buffering up to ``limitmb``."""

    def done(self) -> int:
        """Articles handled so far (for progress)."""
        ...

    def finish(self) -> Part:
        """Wait for the part; raises what failed in the other process."""
        ...

    def cancel(self) -> None:
        """Stop the other process (its unfinished files are the caller's to remove)."""


class Index(Protocol):
    """What the library calls on a home's index, whichever backend holds it.

    Documents come in as :func:`searchkit.backends.documents.analysed_document` makes them; queries as
    :class:`searchkit.query.parse.ParsedQuery`, compiled by the index itself; filters are
    ``since``/``until`` as ``YYYYMMDD`` integers and a source name. Errors are
    :class:`searchkit.errors.SearchkitError` subclasses (:class:`~searchkit.errors.NoIndex`,
    :class:`~searchkit.errors.IndexDamaged`, :class:`~searchkit.errors.QueryError`, ...).
    """

    #: the home's lexicon, read at each use (see :class:`ReadsLexicon`)
    lexicon: LexiconSource

    @property
    def analyzer(self) -> Analyzer:
        """The analyzer queries are compiled with (the lexicon's of the moment)."""
        ...

    @property
    def lexicon_hash(self) -> str:
        """The lexicon the index should have been built with (see :meth:`status`)."""
        ...
    #: the ranking knobs its queries are compiled with
    ranking: Ranking

    @property
    def capabilities(self) -> frozenset[Capability]:
        """What this backend can do beyond the common methods."""
        ...

    def part_writer(self) -> PartWriter | None:
        """How a second process writes part of a job (with :attr:`Capability.PARALLEL_WRITE`;
        ``None`` without)."""
        ...

    # -- state ---------------------------------------------------------------------------
    def current_generation(self) -> str | None:
        """The name of the live build (``None`` before the first)."""
        ...

    def exists(self) -> bool: ...

    def meta(self) -> IndexMeta | None:
        """How the live index was built (``None``: none, or not readable)."""
        ...

    def expected_meta(self) -> IndexMeta:
        """How this searchkit would build it."""
        ...

    def status(self) -> IndexStatus:
        """Whether the index answers as it is, or why it must be rebuilt."""
        ...

    def needs_rebuild(self) -> bool: ...

    def rebuild_reason(self) -> str | None:
        """:attr:`IndexStatus.reason` of :meth:`status`, the backend's words for ``UNREADABLE``."""
        ...

    def size_bytes(self) -> int: ...

    def remove_leftovers(self) -> None:
        """Delete what a killed writer left behind (under the home's write lock)."""

    def close(self) -> None: ...

    def forget(self) -> None:
        """Drop what earlier searches left for later ones to reuse (matches, tables, word
        look-ups): the next search works everything out afresh, under the limits in force
        then (a test or a benchmark that changes one of :mod:`searchkit.query.budget`)."""

    @property
    def query_seconds(self) -> float:
        """How long one search may run before its optional steps are skipped."""
        ...

    def pinned(self) -> AbstractContextManager[None]:
        """The reads of one search see one state of the index (asked once whether a
        newer one was committed)."""
        ...

    # -- writing -------------------------------------------------------------------------
    def rebuild(self, docs: Iterable[dict[str, Any]], *, total: int | None = None,
                progress: Progress | None = None, side: SideWriter | None = None,
                topics: TopicModel | None = None) -> int:
        """Build a new index from ``docs`` and swap it in when complete; how many written.
        ``topics``, the model the documents' topic vectors were made by, is kept with it."""
        ...

    def topic_model(self, *, within: float | None = None) -> TopicModel | None:
        """The topic model kept with the live index (:mod:`searchkit.text.topics`): what
        its articles' topic vectors were made by; ``None`` when it has none. ``within``:
        how long to wait for a model that is not at hand (a cluster's is read over the
        network, once, in the background), :class:`TopicsLate` past it (``0``: one at hand
        only, no read begun); ``None``: until it is read."""
        ...

    def apply(self, updates: Iterable[dict[str, Any]], deletes: Iterable[str] = (),
              *, progress: Progress | None = None, total: int | None = None,
              regroup: bool = True, side: SideWriter | None = None) -> tuple[int, int]:
        """Add or replace ``updates`` and remove ``deletes`` (ids): ``(updated, deleted)``."""
        ...

    def regroup_deferred(self) -> None:
        """Bring near-duplicate groups up to date after ``apply(..., regroup=False)``."""

    # -- what it holds -------------------------------------------------------------------
    def indexed(self) -> dict[str, tuple[str, str]]:
        """``{id: (path, stamp)}`` of every indexed article."""
        ...

    def stored(self) -> Iterator[dict[str, Any]]:
        """The stored fields of every indexed article, the first indexed first (``stats``
        spells each source as the first of it does, as the source facet does)."""
        ...

    def doc_count(self) -> int: ...

    def path_of(self, article_id: str) -> str | None: ...

    def sources(self) -> dict[str, int]: ...

    def last_arrival(self) -> int:
        """When the newest indexed article arrived (ns), 0 for an empty index."""
        ...

    def clusters(self) -> dedup.Clusters:
        """The groups of near-duplicates in the index as it is now."""
        ...

    def lagging(self) -> str | None:
        """What the index has not caught up on though its articles are in, in words (for
        ``stats`` and a search's note), or ``None``."""
        ...

    # -- queries -------------------------------------------------------------------------
    def compile(self, parsed: q.ParsedQuery, *, translit: bool = True, families: bool = True) -> Compiled:
        """``parsed`` as the backend's query; ``families``: the words of a query of several
        also stand for their relatives."""
        ...

    def compile_relaxed(self, parsed: q.ParsedQuery, strict: Compiled, *,
                        translit: bool = True, families: bool = True, fill: bool = False) -> Compiled | None:
        """The articles holding some of ``parsed``'s words, ranked after ``strict``'s;
        ``fill``: a commoner word makes such a match alone too (see
        :meth:`searchkit.query.resolve.WordResolver.split_common`)."""
        ...

    def similar_query(self, body: Sequence[tuple[str, ...]], title: Sequence[tuple[str, ...]], n: int, *,
                      copies: int = 1) -> Compiled | None:
        """A query for articles about the same thing as a text (each word's candidate lemmas):
        the key words :func:`searchkit.query.similar.key_words` picks, as this backend's query."""
        ...

    def search(self, compiled: Compiled, *, limit: int, offset: int = 0, since: int | None = None,
               until: int | None = None, source: str | None = None, sort: Sort = "relevance",
               collapse: bool = True, facets: Iterable[str] = (), arrived_after: int | None = None,
               exclude: Iterable[str] = ()) -> RawResults:
        """One page of hits of ``compiled``, ``total`` folded as ``collapse`` says;
        ``limit`` 0: the count alone (``total`` and ``matched``, no hits, nothing ranked);
        ``facets``: names of :data:`FACETS` to count over every match."""
        ...

    def count(self, compiled: Compiled, *, since: int | None = None, until: int | None = None,
              source: str | None = None) -> int: ...

    def months(self, compiled: Compiled, *, since: int | None = None, until: int | None = None,
               source: str | None = None, exclude: Iterable[str] = ()) -> dict[int, int]:
        """``{yyyymm: matching articles}`` (undated articles left out); ``exclude`` ids
        never match (as in :meth:`search`)."""
        ...

    def matched_ids(self, compiled: Compiled, *, since: int | None = None, until: int | None = None,
                    source: str | None = None, within: set[str] | None = None) -> set[str]: ...

    def partial_copies(self, relaxed: Compiled, ids: Iterable[str], *, since: int | None = None,
                       until: int | None = None, source: str | None = None
                       ) -> dict[str, tuple[tuple[str, str | None], ...]]:
        """``{id: ((copy id, day), ...)}`` for the articles ``ids`` (all-words hits): the
        matches of the partial-match query ``relaxed`` among each one's near-duplicates,
        with their dates (``YYYY-MM-DD``), the copies a search leaves out of its partial
        matches because another member of their group holds every word."""
        ...

    def explain(self, compiled: Compiled, article_id: str, *, since: int | None = None,
                until: int | None = None, source: str | None = None) -> RawExplanation | None: ...

    def placed(self, ids: Sequence[str], lemmas: Iterable[str]) -> dict[str, Placed]:
        """Where ``lemmas`` stand in the articles ``ids`` ({} without :attr:`Capability.PLACED`)."""
        ...

    # -- words: corrections and transliteration ------------------------------------------
    def doc_frequency(self, field: str, term: str) -> int:
        """How many articles hold ``term`` in ``field``."""
        ...

    def frequency(self, word: str) -> int:
        """How many articles hold ``word`` as a written form or as a lemma (:class:`WordCounts`)."""
        ...

    def has_word(self, word: str) -> bool:
        """Whether some article holds ``word`` (:class:`WordCounts`)."""
        ...

    def has_prefix(self, prefix: str) -> bool: ...

    def near(self, word: str, maxdist: int) -> set[str]:
        """Indexed forms and lemmas within ``maxdist`` edits of ``word``."""
        ...

    def vocabulary(self) -> Sequence[str]:
        """Every indexed form and lemma, sorted ([] without :attr:`Capability.VOCABULARY`)."""
        ...
