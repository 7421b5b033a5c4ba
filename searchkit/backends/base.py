"""The seam between the library and an index backend: what :class:`searchkit.Engine` may
call on an index (:class:`Index`), what a backend can do beyond that (:class:`Capability`),
the state an index is in (:class:`IndexStatus`), and the records that cross the seam.

Both backends (the embedded Whoosh index in :mod:`searchkit.engine`, the cluster in
:mod:`searchkit.backends.opensearch`) implement :class:`Index` and hand back the records
defined here; neither imports the other. This module imports no backend library::

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

import enum
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from ..highlight import MatchTerms
from ..models import IndexStatus

if TYPE_CHECKING:  # pragma: no cover
    from .. import dedup
    from .. import query as q
    from ..analysis import Analyzer

__all__ = [
    "FACETS",
    "INDEX_FORMAT",
    "Capability",
    "Compiled",
    "Index",
    "IndexMeta",
    "IndexStatus",
    "Part",
    "Placed",
    "Progress",
    "Ranking",
    "RawContribution",
    "RawExplanation",
    "RawHit",
    "RawResults",
    "Relaxed",
    "SideWriter",
    "status_of",
]

#: The format of the prepared documents and stored fields (see
#: :func:`searchkit.engine.prepare_document`); an index of another format is rebuilt.
INDEX_FORMAT = "2"
#: The facets :meth:`Index.search` can count.
FACETS = ("source", "year", "month")

#: ``progress(done, total_or_None)``, called now and then during long work.
Progress = Callable[[int, int | None], None]
#: An article's file stamp when indexed, and ``{field: {word number: [query lemmas there]}}``.
Placed = tuple[str, dict[str, dict[int, list[str]]]]


class Capability(enum.Enum):
    """What a backend can do beyond the :class:`Index` protocol's common ground; the
    library asks ``Capability.X in index.capabilities`` instead of testing for a class."""

    #: A second process may write part of a big job into a segment of its own
    #: (:class:`SideWriter`), for the job's writer to adopt.
    PARALLEL_WRITE = "parallel_write"
    #: :meth:`Index.placed` says where a query's lemmas stand in each hit, so snippets
    #: need not analyze the texts again.
    PLACED = "placed"
    #: :meth:`Index.vocabulary` is a word list held locally, worth loading ahead of the
    #: first misspelt query.
    VOCABULARY = "vocabulary"


# -- records that cross the seam -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ranking:
    """The ranking knobs (chosen by measurement; see docs/relevance.md)."""

    title_boost: float = 2.0
    form_boost: float = 0.3
    near_boost: float = 0.5
    near_slop: int = 3
    adjacent_boost: float = 4.0
    translit_limit: int = 3
    lemma_weighting: str = "typed"
    #: weight of a word's other spellings (``учитель`` for ``вчитель``); 0 turns them off
    variant_weight: float = 1.0
    #: what each query word held adds to a partial match (one holding some of the words):
    #: large enough that more words rank first
    partial_bonus: float = 100.0
    #: a word in more than this share of the articles makes no partial match on its own
    partial_common: float = 0.05
    #: weight of a word's derivational relatives (``архів`` for ``архівні``); 0 turns them off
    family_weight: float = 0.3
    stop_words: bool = True
    k1: float = 1.2
    b: float = 0.75


@dataclass(frozen=True, slots=True)
class IndexMeta:
    analyzer: str
    format: str
    lexicon: str

    def to_json(self) -> dict[str, str]:
        return {"analyzer": self.analyzer, "format": self.format, "lexicon": self.lexicon}


def status_of(meta: IndexMeta | None, expected: IndexMeta) -> IndexStatus:
    """The status of an existing index built as ``meta`` says (``None``: unreadable),
    for a reader that expects ``expected``."""
    if meta is None:
        return IndexStatus.UNREADABLE
    if meta.analyzer != expected.analyzer:
        return IndexStatus.ANALYZER_CHANGED
    if meta.format != expected.format:
        return IndexStatus.FORMAT_CHANGED
    if meta.lexicon != expected.lexicon:
        return IndexStatus.LEXICON_CHANGED
    return IndexStatus.CURRENT


@dataclass(frozen=True, slots=True)
class RawHit:
    id: str
    title: str
    day: str | None
    source: str | None
    path: str
    score: float
    duplicates: tuple[str, ...] = ()  # near-duplicates folded into this hit, best first
    first_day: str | None = None  # the earliest date among the hit and its duplicates


@dataclass(frozen=True, slots=True)
class RawResults:
    """One page of a search: hits after folding near-duplicates, and counts for all matches."""

    total: int  # hits after folding: what pages count
    matched: int  # articles that matched, near-duplicates included
    hits: list[RawHit]
    facets: dict[str, list[tuple[str | None, int]]]


@dataclass(frozen=True, slots=True)
class Relaxed:
    """A partial-match query in parts the block evaluator can run: each word's clause
    (``items``, ``common``), what must not match (``exclude``: the all-words query and negated words),
    what each word held adds (``bonus``) and the ranking-only boosters."""

    items: tuple[Any, ...]
    exclude: tuple[Any, ...]
    bonus: float
    boosters: Any = None
    #: the clauses of words too common to make a match alone: they only add (and count)
    common: tuple[Any, ...] = ()


@dataclass(frozen=True, slots=True)
class Compiled:
    """A backend's query (opaque to the library) plus the terms that highlight its matches."""

    #: the backend's own query object (a Whoosh query, an OpenSearch DSL tree)
    query: Any
    terms: MatchTerms
    searched_as: tuple[str, ...] = ()
    #: typed word -> the other spellings searched for it (transliteration), for explain
    readings: tuple[tuple[str, tuple[str, ...]], ...] = ()
    only: frozenset[int] | None = None  # when set, only these documents may match
    #: a partial-match query's parts (``query`` is the same as one Whoosh query)
    relaxed: Relaxed | None = None


@dataclass(frozen=True, slots=True)
class RawContribution:
    """What one part of a compiled query adds to one document's score.

    ``kind``: ``term`` (a lemma or form), ``phrase`` (words in order), ``near`` (words
    close together, any order), ``prefix``/``fuzzy``/``other`` (one unit, with the index
    terms it expanded to in ``terms``).
    """

    kind: str
    field: str
    text: str
    boost: float
    score: float
    terms: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class RawExplanation:
    matches_query: bool  # the document satisfies the query
    score: float  # its score for the query (0 when it does not match)
    rank: int | None  # its place in the results (``None``: not among them, e.g. filtered out)
    day: str | None
    parts: tuple[RawContribution, ...]  # every scoring part of the query, matched or not
    tree: str  # the compiled query, indented


@dataclass(frozen=True, slots=True)
class Part:
    """The segment a second process wrote for a job (``None`` if it wrote nothing), for
    the job's writer to adopt, and the ``(id, path, near-duplicate signature)`` of each
    document in it."""

    segment: Any
    written: tuple[tuple[str, str, bytes], ...]


# -- the protocols -------------------------------------------------------------------------


class SideWriter(Protocol):
    """Writes part of a job's documents in a second process, into a segment of its own
    (with :func:`searchkit.engine.write_part`), while the job's writer writes the rest: two
    cores, no documents sent between processes. The job's writer adopts the segment at
    commit. Only for a backend with :attr:`Capability.PARALLEL_WRITE`."""

    def start(self, folder: str, limitmb: int) -> None:
        """Begin writing into the index in ``folder``, buffering up to ``limitmb``."""

    def done(self) -> int:
        """Articles handled so far (for progress)."""
        ...

    def finish(self) -> Part:
        """Wait for the segment; raises what failed in the other process."""
        ...

    def cancel(self) -> None:
        """Stop the other process (its unfinished files are the caller's to remove)."""


class Index(Protocol):
    """What the library calls on a home's index, whichever backend holds it.

    Documents come in as :func:`searchkit.engine.prepare_document` makes them; queries as
    :class:`searchkit.query.ParsedQuery`, compiled by the index itself; filters are
    ``since``/``until`` as ``YYYYMMDD`` integers and a source name. Errors are
    :class:`searchkit.errors.SearchkitError` subclasses (:class:`~searchkit.errors.NoIndex`,
    :class:`~searchkit.errors.IndexDamaged`, :class:`~searchkit.errors.QueryError`, ...).
    """

    #: the analyzer queries are compiled with; the library replaces it when the lexicon changes
    analyzer: Analyzer
    #: the lexicon the index should have been built with (see :meth:`status`)
    lexicon_hash: str

    @property
    def capabilities(self) -> frozenset[Capability]:
        """What this backend can do beyond the common methods."""
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

    # -- writing -------------------------------------------------------------------------
    def rebuild(self, docs: Iterable[dict[str, Any]], *, total: int | None = None,
                progress: Progress | None = None, side: SideWriter | None = None) -> int:
        """Build a new index from ``docs`` and swap it in when complete; how many written."""
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
        """The stored fields of every indexed article."""
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

    # -- queries -------------------------------------------------------------------------
    def compile(self, parsed: q.ParsedQuery, *, translit: bool = True) -> Compiled: ...

    def compile_relaxed(self, parsed: q.ParsedQuery, strict: Compiled, *,
                        translit: bool = True) -> Compiled | None:
        """The articles holding some of ``parsed``'s words, ranked after ``strict``'s."""
        ...

    def similar_query(self, body: Sequence[tuple[str, ...]], title: Sequence[tuple[str, ...]], n: int, *,
                      copies: int = 1, min_shared: int = 3) -> Compiled | None:
        """A query for articles about the same thing as a text (each word's candidate lemmas)."""
        ...

    def search(self, compiled: Compiled, *, limit: int, offset: int = 0, since: int | None = None,
               until: int | None = None, source: str | None = None, sort: str = "relevance",
               collapse: bool = True, facets: Iterable[str] = (), arrived_after: int | None = None,
               exclude: Iterable[str] = ()) -> RawResults: ...

    def count(self, compiled: Compiled, *, since: int | None = None, until: int | None = None,
              source: str | None = None) -> int: ...

    def months(self, compiled: Compiled, *, since: int | None = None, until: int | None = None,
               source: str | None = None) -> dict[int, int]:
        """``{yyyymm: matching articles}`` (undated articles left out)."""
        ...

    def matched_ids(self, compiled: Compiled, *, since: int | None = None, until: int | None = None,
                    source: str | None = None, within: set[str] | None = None) -> set[str]: ...

    def explain(self, compiled: Compiled, article_id: str, *, since: int | None = None,
                until: int | None = None, source: str | None = None) -> RawExplanation | None: ...

    def placed(self, ids: Sequence[str], lemmas: Iterable[str]) -> dict[str, Placed]:
        """Where ``lemmas`` stand in the articles ``ids`` ({} without :attr:`Capability.PLACED`)."""
        ...

    # -- words: corrections and transliteration ------------------------------------------
    def frequency(self, word: str) -> int:
        """How many articles hold ``word`` as a written form or as a lemma."""
        ...

    def has_word(self, word: str) -> bool: ...

    def has_prefix(self, prefix: str) -> bool: ...

    def near(self, word: str, maxdist: int) -> set[str]:
        """Indexed forms and lemmas within ``maxdist`` edits of ``word``."""
        ...

    def vocabulary(self) -> list[str]:
        """Every indexed form and lemma, sorted ([] without :attr:`Capability.VOCABULARY`)."""
        ...
