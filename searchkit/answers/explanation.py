"""Why an article matched: the query planned as a search plans it, the index's account of
the article's score, each contribution tied to the query word it came from
(:mod:`searchkit.query.explain`), and the place the search lists the article at."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from ..advice import INDEX
from ..backends.base import Compiled, Index, RawExplanation
from ..errors import ArticleNotFound, echoed
from ..models import MAX_LIMIT, Article, DateRange
from ..query.explain import Explanation, contributions, excluded_words, matched_pairs, missing_words, query_words
from ..query.request import Understood, understood_as
from ..query.understand import Plan
from ..text.highlight import marked_part
from . import topical
from .arguments import check_bool, check_source
from .search import Reading, Searcher

__all__ = ["PLACE_DEPTH", "explain"]

#: How far into the results the place of an article is looked for (the longest page a
#: search lists); past it, explain gives its rank by score.
PLACE_DEPTH = MAX_LIMIT


def explain(searcher: Searcher, query: str, u: Understood, article: Article, *, exact: bool,
            source: str | None, since: dt.date | str | None = None, until: dt.date | str | None = None,
            today: dt.date | None = None) -> Explanation:
    """See :meth:`searchkit.Engine.explain`: ``query`` as ``u`` understood it (its date
    words taken as words where the search takes them so), and the article (looked up
    before the index is built)."""
    check_source(source)
    check_bool("exact", exact)
    with searcher.scope():  # planned in the time a search has, as the search it explains
        return _explained(searcher, query, u, article, exact=exact, source=source, since=since, until=until,
                          today=today)


def _explained(searcher: Searcher, query: str, u: Understood, article: Article, *, exact: bool,
               source: str | None, since: dt.date | str | None, until: dt.date | str | None,
               today: dt.date | None) -> Explanation:
    index, analyzer, article_id = searcher.index, searcher.lexicon.analyzer, article.id
    searcher.ensure()
    reading = searcher.as_searched(u, query, since=since, until=until, today=today, exact=exact, source=source)
    u, filters = reading.understood, reading.filters
    rng = u.date_range
    plan = searcher.planned(reading, exact, partial=not exact)  # (its partial matches explained too)
    if plan.corrected_query:
        u = understood_as(plan.corrected_query, rng, searcher.lexicon.synonyms())
    raw, compiled = _scored(index, plan, article_id, filters)
    searched, listed_under, notes = _place(searcher, plan, reading, filters, raw.rank, article_id)
    title = (article.title, analyzer.analyze(article.title))
    # the article's own words are read from its first MARKED_WORDS (the score is the index's)
    part = marked_part(article.text)
    marked = article.text if part is None else article.text[:part[0]]
    body = (marked, analyzer.analyze(marked))
    alternatives = [a for use in u.synonyms for a in use.alternatives]
    readings = dict(compiled.readings)
    words = query_words(u.parsed.root, analyzer, synonyms=alternatives, readings=readings,
                        ranking_only=plan.compiled.ranking_only)
    also = {text: {k for r in rs for t in analyzer.analyze(r) for k in (t.form, *t.lemmas)}
            for text, rs in readings.items()}
    parts = contributions(raw.parts, words, {"title": [title], "body": [body], "forms": [title, body]}, also)
    # a typed word is not missing when the article has one of its synonyms
    used = {w for c in parts for w in c.query_word.split()}
    covered = [w for use in u.synonyms if used & {w for a in use.alternatives for w in a.split()}
               for w in use.matched.split()]
    if part is not None:  # a word that scored is in the article, if past the words read
        covered += used
    topic, all_words = None, 0
    if (model := index.topic_model()) is not None:  # (the vector the search orders by)
        topic = model.similarity(model.query_vector(topical.searched_words(plan, u.typed, analyzer)), raw.topic)
        all_words = index.count(plan.compiled, **filters)  # (how much the topic weighs depends on it)
    return Explanation(
        query=query, article_id=article_id, title=article.title, words=words, tree=raw.tree,
        topic=topic, topic_factor=topical.factor(topic or 0.0, all_words), topic_window=topical.WINDOW,
        matches_query=raw.matches_query, score=raw.score, rank=searched or raw.rank, score_rank=raw.rank,
        in_search_order=searched is not None, listed_under=listed_under,
        contributions=parts, matched=matched_pairs(title, body, compiled.terms),
        missing=missing_words(words, [title, body], covered, also),
        # (an article that matches holds no word it is left out for: a nested minus, or
        # one on a field, may exclude a word elsewhere)
        excluded=() if raw.matches_query else excluded_words(words, [title, body], also),
        synonyms=tuple(str(x) for x in u.synonyms), searched_as=compiled.searched_as,
        corrected_query=plan.corrected_query, date_range=rng, in_date_range=_in_range(article, rng),
        warnings=u.parsed.warnings + notes + (() if part is None else (
            f"the article is too long to read whole; the words found in it are listed from its first "
            f"{part[1]:,} words only (the score counts them all)",)),
    )


def _scored(index: Index, plan: Plan, article_id: str, filters: dict[str, Any]) -> tuple[RawExplanation, Compiled]:
    """The index's account of the article's score, and the query it is of: the all-words
    query, or for a partial match (some of the words) the query that found it, ranked
    after every article with all the words."""
    compiled = plan.compiled
    raw = index.explain(compiled, article_id, **filters)
    if raw is None:
        raise ArticleNotFound(f"article {echoed(article_id)} is not in the index", hint=f"run {INDEX}")
    if raw.matches_query or plan.relaxed is None:
        return raw, compiled
    partial = index.explain(plan.relaxed, article_id, **filters)
    if partial is None or not partial.matches_query:
        return raw, compiled
    before = index.count(compiled, **filters)
    # its score is its words' own, as the search shows it: what the words it holds add
    # ranks it after the articles holding more (the tree says so)
    held = sum(p.score for p in partial.parts if p.kind == "held")
    return dataclasses.replace(partial, rank=partial.rank + before if partial.rank else None,
                               score=partial.score - held,
                               parts=tuple(p for p in partial.parts if p.kind != "held")), plan.relaxed


def _place(searcher: Searcher, plan: Plan, reading: Reading, filters: dict[str, Any], rank: int | None,
           article_id: str) -> tuple[int | None, str | None, tuple[str, ...]]:
    """The place the search lists the article at (``None``: not looked for, with a note
    why), and the hit it is listed under when it is a near-duplicate folded into another.

    The rank by score moves by the near-duplicates folded before it (up only) and by the
    topic order of the first results (within them): the results up to the farther of its
    rank and their end are looked through."""
    if rank is None:
        return None, None, ()
    depth = max(min(rank, PLACE_DEPTH), topical.WINDOW)
    found = searcher.placed(plan, reading.understood, filters, article_id, depth)
    if found is not None:
        return found[0], found[1] if found[1] != article_id else None, ()
    return None, None, (
        f"its place in the search is past the first {PLACE_DEPTH:,} results, not looked for: the rank is by "
        f"score among all the matches, near-duplicates not folded" if rank > PLACE_DEPTH else
        "the search, cut short, did not list it where its score puts it: the rank is by score among all the "
        "matches, near-duplicates not folded",)


def _in_range(article: Article, rng: DateRange | None) -> bool:
    """Whether the article's date is in the query's date range (no range: it is)."""
    if rng is None:
        return True
    day = article.date
    return day is not None and (rng.since is None or day >= rng.since) and (rng.until is None or day <= rng.until)
