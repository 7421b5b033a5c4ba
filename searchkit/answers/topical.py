"""The first results ordered again by how close each article is to the query's subject.

Counting the query's own words ranks a text that names the subject once in passing with
one that is about it. The archive's topic model (:mod:`searchkit.text.topics`) tells them
apart by all the other words of the text: within the first :data:`WINDOW` results, each
score is multiplied by ``1 + WEIGHT × cosine`` of the article's and the query's topic
vectors (``WEIGHT_MANY`` where :data:`MANY` articles or more hold every word). Only
articles of one tier trade places: the articles with every word stay before the partial
matches, and among those, the ones holding more of the words stay before those holding
fewer. The window is the same for every page, so paging through it shows each article
once. Measured on six judged subject sets and the known-item sets in docs/relevance.md,
"Ranking by topic".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING

from ..backends.records import RawHit
from ..models import SCORE_DECIMALS
from ..query.parse import ParsedQuery, Phrase, parse_query, words_of
from ..query.understand import Plan
from ..text.analysis import Analyzer

if TYPE_CHECKING:  # (NumPy loads with the first model, not with every command)
    from ..text.topics import TopicModel

__all__ = ["MANY", "WEIGHT", "WEIGHT_MANY", "WINDOW", "factor", "out_of_order", "query_words", "reorder",
           "searched_words", "weight"]

#: The first results that may trade places: 30 gave the subject sets all that 100 gave.
WINDOW = 30
#: How much the topic moves a score: 0.3 to 0.7 all won on the subject sets; 0.5 is where
#: the known-item sets still lose nothing beyond one phrase query (see docs/relevance.md).
WEIGHT = 0.5
#: How much it moves a score where :data:`MANY` articles or more hold every word: there the
#: words' own scores tell a text about the subject from one that names it in passing
#: least, and a known-item query rarely has that many (1.0 from 5 or 10: every subject set
#: the same or better, dev MRR@10 0.9944 → 0.9943; docs/relevance.md, "Ranking by topic").
WEIGHT_MANY = 1.0
MANY = 10


def weight(all_words: int) -> float:
    """How much the topic moves the first results of a search where ``all_words``
    articles hold every word."""
    return WEIGHT_MANY if all_words >= MANY else WEIGHT


def factor(cosine: float, all_words: int = 0) -> float:
    """What a score is multiplied by to order the first results, for an article whose
    topic vector has ``cosine`` with the query's, in a search where ``all_words``
    articles hold every word (near-duplicates included)."""
    return 1.0 + weight(all_words) * cosine


def reorder(hits: Sequence[RawHit], all_words: int, model: TopicModel,
            words: Sequence[Iterable[str]], *, matched: int | None = None) -> list[RawHit]:
    """``hits`` (the first results, best first) ordered within their tiers by topic (their
    scores stay those of the words: a score is what the query's words give, on every page):
    the first ``all_words`` hold every word; after them, the partial matches (or those of
    a word's near spellings), by how many words each holds (``RawHit.held``). ``words``:
    each query word's terms; ``matched``: how many articles hold every word, near-duplicates
    included (what the topic's :func:`weight` depends on, the same whether the hits fold
    near-duplicates or not; ``all_words`` when not given). Unchanged when the model knows
    none of the words."""
    query = model.query_vector(words)
    if query is None or len(hits) < 2:
        return list(hits)
    keyed = []
    many = all_words if matched is None else matched
    for i, h in enumerate(hits):
        keyed.append(((*_tier(i, h, all_words), h.score * factor(model.similarity(query, h.topic), many), -i), h))
    keyed.sort(key=lambda k: k[0], reverse=True)
    return [h for _, h in keyed]


def _tier(place: int, hit: RawHit, all_words: int) -> tuple[bool, int]:
    """The group of the hit at ``place`` (0 first) that it is ordered within: the articles
    with every word, then the partial matches by how many of the words they hold."""
    return place < all_words, hit.held or 0


def out_of_order(page: Sequence[RawHit], all_words: int, first: int) -> bool:
    """Whether ``page`` (the results from place ``first`` on, 0 first, as :func:`reorder`
    left them) lists a hit before one of its group with a higher score, as the scores are
    shown (:data:`SCORE_DECIMALS`: 2.326 before 2.332 shows 2.33 twice): what the order by
    topic does that the scores shown do not tell. (A partial match after an article with
    every word may score higher, as one holding fewer words may after one holding more:
    the groups say that order, and the scores within a group follow it.)"""
    return any(_tier(first + i, a, all_words) == _tier(first + i + 1, b, all_words)
               and round(b.score, SCORE_DECIMALS) > round(a.score, SCORE_DECIMALS)
               for i, (a, b) in enumerate(pairwise(page)))


def searched_words(plan: Plan, typed: ParsedQuery, analyzer: Analyzer) -> list[tuple[str, ...]]:
    """:func:`query_words` of the query a plan searches: its correction, or as typed, and
    the words its Latin ones were searched as (``Kyiv``: ``Київ``, which the model knows)."""
    words = query_words(parse_query(plan.corrected_query) if plan.corrected_query else typed, analyzer)
    for spelt in plan.compiled.searched_as:
        words += [tok.lemmas for tok in analyzer.analyze(spelt) if tok.lemmas]
    return words


def query_words(parsed: ParsedQuery, analyzer: Analyzer) -> list[tuple[str, ...]]:
    """The lemmas of each word the query asks for (not those it excludes), a word's
    several lemmas together: what its topic vector is made of."""
    out = []
    for node in words_of(parsed.root):
        for text in node.words if isinstance(node, Phrase) else (node.text,):
            out += [tok.lemmas for tok in analyzer.analyze(text) if tok.lemmas]
    return out
