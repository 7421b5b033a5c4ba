"""What an index hands back, whichever backend holds it: ranking settings, index metadata,
raw hits and results, a compiled query, why an article scores what it does, and a part of
a job written by another process. Plain values: no backend library is imported here (see
:mod:`searchkit.backends.base`, which re-exports them with the protocol they serve)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from ..advice import INDEX
from ..text.highlight import MatchTerms

__all__ = ["Compiled", "IndexMeta", "Part", "Ranking", "RawContribution", "RawExplanation", "RawHit", "RawResults",
           "Relaxed", "LAGGING_GROUPS", "VOCABULARY_FIELDS", "WORD_FIELDS", "facet_order", "iso_day", "period"]

#: The fields whose terms are the words an index holds: a word is there when one of them
#: holds it (as a written form, a body lemma or a title lemma). Spelling corrections and
#: transliteration decide by them, so both backends read them from here.
WORD_FIELDS = ("forms", "body", "title")
#: The fields whose terms are the vocabulary: candidate corrections, near words and
#: prefixes (the written forms, of title and body, and the body's lemmas).
VOCABULARY_FIELDS = ("forms", "body")

#: What :meth:`~searchkit.backends.base.Index.lagging` says, on either backend, while the
#: near-duplicate groups of the last write are not saved.
LAGGING_GROUPS = ("the near-duplicate groups of the last write are not saved yet (an import is running, or "
                  f"stopped before grouping them): copies may be listed apart until {INDEX}")


@dataclass(frozen=True, slots=True)
class Ranking:
    """The ranking knobs (chosen by measurement; see docs/relevance.md)."""

    title_boost: float = 2.0
    #: what the very form typed (and its other spellings' forms) lifts an article by
    form_boost: float = 0.3
    #: ... and by this when it is an inflected verb's (``їдьте``, ``удаватимуться``): a noun
    #: names a subject in any of its forms, a verb form is a word of one sentence, and the
    #: text that says it beats those with the verb's other forms (realtypo-dev MRR@10
    #: 0.9186 -> 0.9228, the subject and known-item sets unchanged; 8 costs dev a query:
    #: docs/relevance.md, "A verb form typed")
    verb_form_boost: float = 4.0
    near_boost: float = 0.5
    near_slop: int = 3
    #: 2.5 with k1 2.5: the side-by-side boost multiplies the words' own scores, so a
    #: larger k1 (the words' counts weigh more) wants it a little larger to keep phrases
    #: first (dev MRR@10 0.9966 at both 2.0/1.2 and 2.5/2.5; see docs/relevance.md)
    adjacent_boost: float = 2.5
    translit_limit: int = 3
    #: how a word's several lemmas weigh (``WordResolver.lemma_weights``): ``typed``, a word
    #: typed in a dictionary form weighs that lemma fully and the others 0.1; ``equal``;
    #: ``frequency``, each by its share of the commonest one's articles
    lemma_weighting: Literal["typed", "equal", "frequency"] = "typed"
    #: weight of a word's other spellings (``учитель`` for ``вчитель``); 0 turns them off
    variant_weight: float = 1.0
    #: what each query word held adds to a partial match (one holding some of the words),
    #: so that more words rank first: larger than the words' own score grows (three words
    #: held scored up to 93 over the judged sets, six of a seven-word query 1,110, and a
    #: word weighs more in a bigger archive), small enough that a cluster's 32-bit scores
    #: keep the words' own to 0.01 (the hits carry the count: ``RawHit.held``)
    partial_bonus: float = 10_000.0
    #: a word in more than this share of the articles makes no partial match on its own
    partial_common: float = 0.05
    #: ... unless the first page is short (``understand.FILL_BELOW``) and the word is in
    #: at most this share: ``фінансовий`` (7 % of bruk) in ``фінансова грамотність``; a
    #: commoner word's partial matches cost as much as a search for it alone, over again
    #: (at 100,000 articles a word of 22 % took 140 ms, one of 7 % 55 ms)
    fill_common: float = 0.1
    #: weight of a word's derivational relatives (``архів`` for ``архівні``); 0 turns them off
    family_weight: float = 0.3
    #: words in over this share of the articles only rank (see ``WordResolver.weak``):
    #: a quarter, not 0.3, so ``розвиток``, ``рівень``, ``стан`` (25-27 % of bruk) do not
    #: filter ``розвиток малого бізнесу`` (nDCG@10 on 11 subjects of three words 0.543 ->
    #: 0.625, the other sets unchanged; 0.15 cost topical-extra 0.007)
    weak_common: float = 0.25
    stop_words: bool = True
    #: BM25 term-count saturation: 2.5, not the usual 1.2, so a text that names a subject
    #: ten times ranks above one that names it twice; with b 0.6 (length counts a little
    #: less), topical nDCG@10 on 34 subjects 0.861 -> 0.881 with the known-item and
    #: misspelling sets unchanged (docs/relevance.md, "Ranking for subjects")
    k1: float = 2.5
    b: float = 0.6


@dataclass(frozen=True, slots=True)
class IndexMeta:
    analyzer: str
    format: str
    lexicon: str

    def to_json(self) -> dict[str, str]:
        return {"analyzer": self.analyzer, "format": self.format, "lexicon": self.lexicon}


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
    topic: bytes = b""  # what the article is about (searchkit.text.topics), b"" if unknown
    #: a partial match's count of the query words it holds (``None``: a hit of a query
    #: that needs every word); its ``score`` is then its words' own, without the
    #: ``Ranking.partial_bonus`` per word held that ranked it
    held: int | None = None


@dataclass(frozen=True, slots=True)
class RawResults:
    """One page of a search: hits after folding near-duplicates, and counts for all matches."""

    total: int  # hits after folding: what pages count
    matched: int  # articles that matched, near-duplicates included
    hits: list[RawHit]
    facets: dict[str, list[tuple[str | None, int]]]
    #: what the search left out at its deadline, as notes (see :mod:`searchkit.query.budget`)
    cut: tuple[str, ...] = ()


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
    #: the clauses of commoner words filling a short page: they match alone and add, but
    #: count as no word held (see :class:`searchkit.query.resolve.Partial`)
    fill: tuple[Any, ...] = ()
    #: the clauses of the words typed ``+word``: every match holds each (they are among
    #: the clauses above too, which score and count them)
    require: tuple[Any, ...] = ()


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
    #: what was left out of the query to answer quickly (a prefix's later words), as notes
    cut: tuple[str, ...] = ()
    #: a partial-match query with a word too common to make a match alone that may make one
    #: to fill a short page (``Index.compile_relaxed(fill=True)``)
    fillable: bool = False
    #: the typed words that only rank (function words, words too common to filter)
    ranking_only: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Part:
    """What a second process wrote for a job, handed over for the job's writer to take
    into its own segment (``None`` if it wrote nothing; the embedded index's sorted runs
    and columns), and the ``(id, path)`` of each document in it (the job's writer replaces
    those ids, and the sync notes a file that now holds another id)."""

    handover: Any
    written: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class RawContribution:
    """What one part of a compiled query adds to one document's score.

    ``kind``: ``term`` (a lemma or form), ``phrase`` (words in order), ``near`` (words
    close together, any order), ``prefix``/``fuzzy``/``other`` (one unit, with the index
    terms it expanded to in ``terms``), ``held`` (a word a partial match holds: what ranks
    it among the partial matches, not a score of its words).
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
    tree: str
    topic: bytes = b""  # the article's topic vector as stored (what the search orders by)


# -- dates and facets as both backends give them ------------------------------------------


def iso_day(yyyymmdd: int) -> str:
    """A stored day (``20160601``) as ``2016-06-01``."""
    return f"{yyyymmdd // 10000:04d}-{yyyymmdd // 100 % 100:02d}-{yyyymmdd % 100:02d}"


def period(name: str, key: int) -> str | None:
    """A year (``2016``) or month (``2016-06``) facet value from its key (``2016``,
    ``201606``); ``None`` for undated. Four-digit years, as a month's and a day's
    (``0001``, ``0001-01``): the values then sort in time order as strings."""
    if not key:
        return None
    return f"{key:04d}" if name == "year" else f"{key // 100:04d}-{key % 100:02d}"


def facet_order(name: str, counts: list[tuple[str | None, int]]) -> list[tuple[str | None, int]]:
    """A facet's counts as listed: sources by how many match, then by name; years and
    months in time order; the articles without one last."""
    if name == "source":
        return sorted(counts, key=lambda kv: (-kv[1], kv[0] is None, (kv[0] or "").lower()))
    return sorted(counts, key=lambda kv: (kv[0] is None, kv[0] or ""))
