"""Plain values that cross every seam: articles in, hits and results out."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, get_args, overload

__all__ = ["DEFAULT_LIMIT", "FACETS_COVER", "MAX_LIMIT", "SORTS", "STREAM_FORMATS", "Article", "Backlog", "DateRange",
           "FacetCount", "Hit", "ImportReport", "IndexReport", "IndexStatus", "Results", "SavedSearch", "Snippet",
           "Sort", "Span", "Staged", "Stats", "StreamFormat", "group_order"]

#: The most hits one page may hold (``limit``; ``--limit``).
MAX_LIMIT = 1000
#: The hits a page holds unless told (``limit``; ``--limit``): a command a note advises
#: leaves it out when the page held as many.
DEFAULT_LIMIT = 10

#: The orders a search lists its hits in (``sort``; ``--sort``): by relevance, or by date
#: (newest first, one day's articles by id, undated last).
Sort = Literal["relevance", "date"]
#: The same, as values: what a ``sort`` is checked against, and the command line offers.
SORTS: tuple[Sort, ...] = get_args(Sort)
#: The formats a stream of articles may hold (it has no file name to tell it).
StreamFormat = Literal["jsonl", "json", "csv", "txt", "html"]
#: The same, as values: what a stream's ``format`` is checked against, and the command
#: line offers (``--stdin-format``).
STREAM_FORMATS: tuple[StreamFormat, ...] = get_args(StreamFormat)


class Staged:
    """A progress callback ``(done, total)`` that is also told of the stages of the work
    that count something else (its ``stage(what, done, total)`` method): what a shell
    hands :meth:`Engine.index` or :meth:`Engine.ensure_index` as ``progress`` to show each
    stage (``searchkit.backends.base.stage_progress`` tells it of them)."""

    def __init__(self, count: Callable[[int, int | None], None], stage: Callable[[str, int, int | None], None]) -> None:
        self._count, self._stage = count, stage

    def __call__(self, done: int, total: int | None) -> None:
        self._count(done, total)

    def stage(self, what: str, done: int, total: int | None) -> None:
        self._stage(what, done, total)


@dataclass(frozen=True, slots=True)
class Article:
    """One news article, as stored in ``corpus/``.

    ``extra`` keeps every field of the input that searchkit does not use, so a round trip
    through searchkit loses nothing.
    """

    id: str
    title: str
    text: str
    date: dt.date | None = None
    source: str | None = None
    url: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=True, hash=False)

    def to_json(self) -> dict[str, Any]:
        """The canonical JSON object of the article (known fields first, extras after)."""
        out: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "source": self.source,
            "url": self.url,
            "text": self.text,
        }
        for k, v in self.extra.items():
            if k not in out:
                out[k] = v
        return out


@dataclass(frozen=True, slots=True)
class Span:
    """A highlighted stretch ``text[start:end]`` of a snippet or an article."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Snippet:
    """A piece of article text with the spans that matched the query. ``marked_words``:
    matches were marked only in the first that many words (a longer text); ``None``: all."""

    text: str
    spans: tuple[Span, ...] = ()
    marked_words: int | None = None
    #: ``spans`` as offsets into the text as stored, where ``text`` shows it otherwise (a
    #: title is shown without its soft hyphens: :meth:`Engine.highlight`); ``None``: the
    #: stored text is ``text``. (:attr:`stored` gives either.)
    stored_spans: tuple[Span, ...] | None = None

    @property
    def stored(self) -> tuple[Span, ...]:
        """Where the matches are in the text as stored (``show --json`` prints them)."""
        return self.spans if self.stored_spans is None else self.stored_spans

    def marked(self, left: str = "[", right: str = "]") -> str:
        """The text with every span wrapped in ``left``/``right`` (for plain output)."""
        out, pos = [], 0
        for s in self.spans:
            out += [self.text[pos : s.start], left, self.text[s.start : s.end], right]
            pos = s.end
        out.append(self.text[pos:])
        return "".join(out)


@dataclass(frozen=True, slots=True)
class DateRange:
    """The days a search is limited to (both ends included; ``None``: open) and the
    words that asked for it (``"у березні 2022"``, ``"--since 2022-01-01"``)."""

    since: dt.date | None = None
    until: dt.date | None = None
    phrase: str = ""

    def __str__(self) -> str:
        a = self.since.isoformat() if self.since else "…"
        b = self.until.isoformat() if self.until else "…"
        return a if self.since and self.since == self.until else f"{a} – {b}"

    @property
    def empty(self) -> bool:
        """True when no day can match (the end comes before the start)."""
        return self.since is not None and self.until is not None and self.until < self.since

    def narrow(self, other: DateRange) -> DateRange:
        """The days in both ranges; the phrases are joined."""
        since = max((d for d in (self.since, other.since) if d), default=None)
        until = min((d for d in (self.until, other.until) if d), default=None)
        phrase = "; ".join(p for p in (self.phrase, other.phrase) if p)
        return DateRange(since, until, phrase)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
        }
        if self.phrase:
            out["phrase"] = self.phrase
        return out


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result.

    ``duplicates`` are the ids of near-duplicates of this article that matched too and
    were folded into this hit (best-ranked first); ``first_published`` is the earliest
    date among the hit and them. ``score`` is ``None`` when the hits are sorted by date
    (the ranking then says nothing about relevance).
    """

    id: str
    title: str
    date: dt.date | None
    source: str | None
    score: float | None
    snippet: Snippet
    path: str
    rank: int = 0
    title_spans: tuple[Span, ...] = ()
    matched: tuple[tuple[str, str], ...] = ()  # (form in the article, query lemma)
    duplicates: tuple[str, ...] = ()
    first_published: dt.date | None = None
    shared: tuple[str, ...] = ()  # for similar articles: the key words it shares

    def to_json(self) -> dict[str, Any]:
        """The hit as JSON: ``highlights`` are the snippet's spans, ``title_highlights`` the
        title's, each ``[start, end]``; ``rank`` is its place in the whole answer (1 first)."""
        out: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "source": self.source,
            "score": None if self.score is None else round(self.score, 4),
            "snippet": self.snippet.text,
            "highlights": [[s.start, s.end] for s in self.snippet.spans],
            "path": self.path,
            "matched": [list(m) for m in self.matched],
            "duplicates": list(self.duplicates),
            "first_published": self.first_published.isoformat() if self.first_published else None,
            "rank": self.rank,
            "title_highlights": [[s.start, s.end] for s in self.title_spans],
        }
        if self.shared:
            out["shared"] = list(self.shared)
        return out


#: The decimals a hit's score is shown with (``search``, the TUI): what tells a reader
#: whether the scores of a page are in order (:attr:`Results.topic_order`).
SCORE_DECIMALS = 2


#: What the counts per source, year and month cover (not every hit listed: the hits with
#: some of the words are left out when any article has them all, and near-duplicates
#: folded into one hit are counted each): the CLI's ``--facets`` help and output and the
#: TUI say it in these words (kept here, beside the counts, so that the command line's
#: start-up need not load the renderers for its help).
FACETS_COVER = "the articles with every word (if none, those with some), near-duplicates included"


@dataclass(frozen=True, slots=True)
class FacetCount:
    """How many matching articles have one value of a facet (``None``: no source, undated)."""

    value: str | None
    count: int

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "count": self.count}


@dataclass(frozen=True, slots=True)
class Results(Sequence[Hit]):
    """One page of hits for a query, and what the engine made of the query.

    A read-only sequence of its hits, as :attr:`hits` is: ``len(results)``, ``for hit in
    results``, ``results[0]`` (an ``IndexError`` on an empty page), ``results[-1]``,
    ``results[:3]`` (a tuple of hits), ``hit in results``.
    """

    query: str
    total: int
    hits: tuple[Hit, ...]
    page: int = 1
    limit: int = DEFAULT_LIMIT
    elapsed_ms: float = 0.0
    suggestion: str | None = None
    corrected_query: str | None = None
    searched_as: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    date_range: DateRange | None = None
    synonyms: tuple[str, ...] = ()
    #: Articles that matched, near-duplicates included (``total`` counts folded hits).
    matched: int = 0
    #: Counts per value of each requested facet, over every match (not just this page).
    facets: dict[str, tuple[FacetCount, ...]] = field(default_factory=dict, hash=False)
    #: Hits (folded) holding every query word: they rank first; the rest hold some of them.
    matched_all: int = 0
    #: The query word the best hits lack, when no article holds every word.
    missing: tuple[str, ...] = ()
    #: ``(YYYY-MM, articles)`` over every all-words match, oldest first, when asked for
    #: (``search(..., months=True)``; what :meth:`Engine.timeline` gives).
    months: tuple[tuple[str, int], ...] | None = None
    #: What was left out to answer in time (a prefix's later words, the matches after a
    #: deadline), one note each: the hits are the first ones found, not every match.
    cut: tuple[str, ...] = ()
    #: When a one-word query finds few articles: the words one slip away from it that the
    #: hits after the first ``matched_all`` hold instead (``крекнув`` for ``крякнув``), and
    #: the word they are near to (``крякнув``), which the first ``matched_all`` hold.
    near: tuple[str, ...] = ()
    near_to: str = ""
    #: Whether this page lists a hit before one of its group (all the words; some of them,
    #: as many) with a higher score, as :data:`SCORE_DECIMALS` show it: the first results
    #: are ordered by topic as well as by score, and each shows its words' score
    #: (``searchkit.answers.topical``).
    topic_order: bool = False
    #: Of a saved search's ``new`` run short of its last page
    #: (:meth:`Engine.run_saved_search`): the one of :attr:`warnings` that says its matches
    #: all stay new until a run lists the last page, and names the call for it; a shell
    #: that lists the pages its own way leaves it out. ``""``: no such note.
    stays_new_note: str = ""

    @property
    def partial(self) -> int:
        """Hits (folded) ranked after those holding every query word: holding only some of
        them or, for one word, a near spelling of it (:attr:`near`)."""
        return max(self.total - self.matched_all, 0)

    @property
    def folded(self) -> int:
        """Matching articles not listed on their own: near-duplicates of a listed hit."""
        return max(self.matched - self.total, 0)

    def __len__(self) -> int:
        return len(self.hits)

    def __iter__(self) -> Iterator[Hit]:
        return iter(self.hits)

    @overload
    def __getitem__(self, index: int) -> Hit: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Hit, ...]: ...

    def __getitem__(self, index: int | slice) -> Hit | tuple[Hit, ...]:
        return self.hits[index]

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "query": self.query,
            "total": self.total,
            "page": self.page,
            "matched": self.matched,
            "matched_all": self.matched_all,
            "hits": [h.to_json() for h in self.hits],
        }
        if self.missing:
            out["missing"] = list(self.missing)
        if self.near:
            out["near"] = list(self.near)
            out["near_to"] = self.near_to
        if self.facets:
            out["facets"] = {name: [c.to_json() for c in counts] for name, counts in self.facets.items()}
        if self.suggestion:
            out["suggestion"] = self.suggestion
        if self.corrected_query:
            out["corrected_query"] = self.corrected_query
        if self.searched_as:
            out["searched_as"] = list(self.searched_as)
        if self.date_range is not None:
            out["date_range"] = self.date_range.to_json()
        if self.synonyms:
            out["synonyms"] = list(self.synonyms)
        if self.warnings:
            out["warnings"] = list(self.warnings)
        if self.cut:
            out["cut"] = list(self.cut)
        if self.topic_order:
            out["topic_order"] = True
        return out


@dataclass(frozen=True, slots=True)
class SavedSearch:
    """A query kept under a name, with its filters and when it last ran.

    ``seen`` is the arrival mark of the newest article indexed when it last ran: articles
    that arrived after it are what ``run(new=True)`` shows.
    """

    name: str
    query: str
    since: str | None = None  # as typed: a date or a Ukrainian phrase, read at each run
    until: str | None = None
    source: str | None = None
    created: str = ""  # ISO timestamp
    last_run: str | None = None  # ISO timestamp
    seen: int = 0
    #: how the query is read, when saved (``read 'or' as OR``): said, not kept
    notes: tuple[str, ...] = field(default=(), compare=False)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "query": self.query,
            "since": self.since,
            "until": self.until,
            "source": self.source,
            "created": self.created,
            "last_run": self.last_run,
            "seen": self.seen,
        }
        if self.notes:
            out["notes"] = list(self.notes)
        return out


#: Error messages an import keeps (``failed`` counts all): a broken 2 GB dump must not
#: fill memory with millions of them.
MAX_ERRORS = 1000


@dataclass(slots=True)
class ImportReport:
    """What an import did, counted per outcome; ``errors`` are one-line messages (the
    first ``MAX_ERRORS`` of them).

    ``watched`` maps each saved search to how many of the imported articles it matches;
    ``warnings`` say what went wrong beside the articles (an unreadable saved-searches
    file: the articles are imported, the saved searches not counted). ``replaced``
    counts the records that repeated the id of an earlier record of the same import and
    replaced it (the article is counted once, as the first record was), so every record
    read is counted once in ``added + updated + unchanged + replaced + failed``.
    """

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    replaced: int = 0
    errors: list[str] = field(default_factory=list)
    watched: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def fail(self, message: str) -> None:
        """Count one failure and keep its message (while there is room)."""
        self.failed += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(message)

    def to_json(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "replaced": self.replaced,
            "errors": self.errors,
            "saved_searches": self.watched,
            "warnings": self.warnings,
        }


@dataclass(frozen=True, slots=True)
class Deletion:
    """What :meth:`searchkit.Engine.delete_ids` did: the articles it removed, by their ids
    as stored, the ids given that no article has, and those that could mean several
    articles, each with the ids it could mean (typed with another apostrophe: ``бʼю``
    where ``б'ю`` and ``б’ю`` are two; none of them was deleted). An id given twice, or
    spelt two ways (``ї`` as one character and decomposed), asks for one article, once."""

    deleted: tuple[str, ...] = ()
    not_found: tuple[str, ...] = ()
    ambiguous: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def requested(self) -> int:
        """How many articles were asked for."""
        return len(self.deleted) + len(self.not_found) + len(self.ambiguous)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"deleted": len(self.deleted), "requested": self.requested,
                               "not_found": list(self.not_found)}
        if self.ambiguous:  # (rare: only then, as the scripts written before it expect)
            out["ambiguous"] = {i: list(could_be) for i, could_be in self.ambiguous}
        return out


@dataclass(slots=True)
class IndexReport:
    """What bringing the index in line with ``corpus/`` did."""

    indexed: int = 0
    deleted: int = 0
    failed: int = 0
    rebuilt: bool = False
    errors: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "indexed": self.indexed,
            "deleted": self.deleted,
            "failed": self.failed,
            "rebuilt": self.rebuilt,
            "errors": self.errors,
        }


@dataclass(frozen=True, slots=True)
class Stats:
    """The state of a home: what is stored, what is indexed, and whether they agree."""

    articles: int
    sources: dict[str, int]
    first_date: dt.date | None
    last_date: dt.date | None
    index_bytes: int
    index_up_to_date: bool
    corpus_articles: int
    undated: int = 0
    index_outdated_reason: str | None = None
    #: Why ``lexicon.tsv`` cannot be read (searching and indexing refuse until it is fixed).
    lexicon_error: str | None = None
    #: The articles the topic model that orders the first results was learnt from (0: none,
    #: the archive was too small when the index was built; see docs/relevance.md).
    topics_learnt_from: int = 0
    #: The archive is big enough for a topic model the index has not learnt (a build that
    #: would have learnt it was stopped): ``searchkit index`` learns it.
    topics_due: bool = False
    #: Article files in ``corpus/`` that cannot be read (damaged), when they are all that
    #: keeps the index from being up to date: to fix or delete (``searchkit index`` names them).
    unreadable: int = 0
    #: Another searchkit process (an import or index run) is building the index, or bringing
    #: the one there is up to date: nothing to run meanwhile (the reason says so).
    index_building: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "corpus_articles": self.corpus_articles,
            "sources": self.sources,
            "first_date": self.first_date.isoformat() if self.first_date else None,
            "last_date": self.last_date.isoformat() if self.last_date else None,
            "undated": self.undated,
            "index_bytes": self.index_bytes,
            "index_up_to_date": self.index_up_to_date,
            "index_outdated_reason": self.index_outdated_reason,
            "lexicon_error": self.lexicon_error,
            "topics_learnt_from": self.topics_learnt_from,
            "topics_due": self.topics_due,
            "unreadable": self.unreadable,
            "index_building": self.index_building,
        }


@dataclass(frozen=True, slots=True)
class Backlog:
    """The articles of ``corpus/`` a search cannot find yet (see :meth:`searchkit.Engine.backlog`)."""

    #: stored articles the index lacks (or, after an interrupted writer, holds as they were)
    behind: int
    #: every article file in ``corpus/``
    stored: int
    #: ``behind`` again when every one of them is a file that cannot be read (damaged),
    #: else 0: then ``searchkit index`` leaves them behind (it names them); fixing or
    #: deleting them is what helps
    unreadable: int = 0
    #: articles the index still holds whose files were deleted from ``corpus/`` (a delete
    #: stopped before its commit, or files removed by hand): a search leaves them out
    deleted: int = 0


class IndexStatus(enum.Enum):
    """Whether an index can answer as it is, and if not, why it must be rebuilt."""

    CURRENT = "current"
    MISSING = "missing"
    #: there is something where the index belongs, but not a searchkit index (or its
    #: record of how it was built cannot be read)
    UNREADABLE = "unreadable"
    ANALYZER_CHANGED = "analyzer_changed"
    FORMAT_CHANGED = "format_changed"
    LEXICON_CHANGED = "lexicon_changed"
    #: made by a newer searchkit (a later analyzer or index format than this one knows):
    #: refused, not rebuilt, unless a rebuild is asked for (``index --rebuild``)
    NEWER = "newer"

    @property
    def reason(self) -> str | None:
        """Why a rebuild is due, in words (``None`` when current). ``UNREADABLE`` has no
        words of its own: the backend says what it found."""
        return _REASONS.get(self)


_REASONS = {
    IndexStatus.MISSING: "there is no index yet",
    IndexStatus.ANALYZER_CHANGED: "searchkit's analyzer changed",
    IndexStatus.FORMAT_CHANGED: "the index format changed",
    IndexStatus.LEXICON_CHANGED: "the lemmas in lexicon.tsv changed",
    IndexStatus.NEWER: "the index was made by a newer searchkit",
}


def group_order(articles: Iterable[Article]) -> list[Article]:
    """A group of near-duplicates as it is shown: oldest first, undated last, then by id."""
    return sorted(articles, key=lambda a: (a.date is None, a.date or dt.date.min, a.id))
