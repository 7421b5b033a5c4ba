"""Articles about the same thing as a given one: a query made of its most distinctive
lemmas (tf-idf over the index), the article and its near-duplicates left out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from itertools import islice

from ..advice import DUPLICATES
from ..backends.records import Compiled
from ..models import Article, Results
from ..query import budget
from ..text.keywords import shown_as
from .hits import Told
from .search import Searcher

__all__ = ["KEY_TERMS", "similar"]

#: How many of an article's most distinctive lemmas make its "similar articles" query.
KEY_TERMS = 25
#: The words of an article its key words are drawn from: a long text's subject shows in
#: its first pages, and analysing and weighing every distinct word of a 7 MB article took
#: 19 s (a news article is a few thousand words; BrUK's longest, 2,359).
SIMILAR_WORDS = 20_000


def long_note(words: int) -> str:
    """What ``similar`` says of an article longer than ``words`` words."""
    return f"the article is long: its key words are taken from its first {words:,} words only"


def cut_note(found: int) -> str:
    """What ``similar`` says when its search stopped at the deadline with ``found`` hits
    (the index's own note advises narrowing a query, which ``similar`` has none to)."""
    return (f"stopped after {budget.seconds():g} s: listing the {found:,} similar article{'s' if found != 1 else ''} "
            "found by then, not necessarily the closest; search for a few of its key words to look further")


def _as_written(searcher: Searcher, compiled: Compiled, words: Sequence[tuple[str, tuple[str, ...]]]) -> Compiled:
    """``compiled`` with each key word whose lemma only the dictionary's order chose named
    as the text writes it (``банках``, not the dictionary's first lemma ``банка``; see
    :func:`~searchkit.text.keywords.shown_as`), its lemmas listed under that name, so a
    hit still says which key words it shares. What is searched is unchanged."""
    index = searcher.index
    names = shown_as(compiled.searched_as, words, lambda lemma: index.doc_frequency("body", lemma),
                     searcher.lexicon.analyzer.headwords, written=lambda lemma: index.doc_frequency("forms", lemma))
    if not names:
        return compiled
    spelt = dict(compiled.readings)
    readings = [(names[key], (key, *spelt.get(key, ()))) if key in names else (key, spelt[key])
                for key in compiled.searched_as if key in names or key in spelt]
    return replace(compiled, searched_as=tuple(names.get(key, key) for key in compiled.searched_as),
                   readings=tuple(readings))


def similar(searcher: Searcher, article: Article, *, limit: int, page: int, t0: float) -> Results:
    """See :meth:`searchkit.Engine.similar`; ``t0``: when the call began (``perf_counter``)."""
    # answered in time as a search is: an article of common words is an OR of 25 of them,
    # which matched 60,000 articles of a 61,000-article home in 2.2 s
    with searcher.scope():
        return _similar(searcher, article, limit=limit, page=page, t0=t0)


def _similar(searcher: Searcher, article: Article, *, limit: int, page: int, t0: float) -> Results:
    index, analyzer = searcher.index, searcher.lexicon.analyzer
    words = list(islice(analyzer.iter_words(article.text), SIMILAR_WORDS + 1))
    notes = (long_note(SIMILAR_WORDS),) if len(words) > SIMILAR_WORDS else ()
    written = [*words[:SIMILAR_WORDS], *analyzer.iter_words(article.title)]
    body = [lemmas for _, lemmas in words[:SIMILAR_WORDS]]
    title = [lemmas for _, lemmas in written[len(body):]]
    group = index.clusters().group(article.id)
    compiled = index.similar_query(body, title, KEY_TERMS, copies=max(len(group), 1))
    if compiled is not None:
        compiled = _as_written(searcher, compiled, written)
    # The key words are bounded work (SIMILAR_WORDS), the same at every run: not the
    # search's time. Counted in it, a 7.5 MB article's took 1.1 s of its 1 s in a fresh
    # process, and the search stopped at whichever hit it had reached by then.
    budget.restart()
    label = f"similar:{article.id}"
    if compiled is None:
        others = len(set(group) - {article.id})
        alone = index.doc_count() <= max(len(group), 1)
        said = ("the archive holds no other article to compare it with" if alone else
                "the article shares fewer than two key words with any other" if not others else
                f"the article shares fewer than two key words with any article but its {others} "
                f"near-duplicate{'s' if others != 1 else ''} ({DUPLICATES(article.id)} lists them)")
        return Results(query=label, total=0, hits=(), page=page, limit=limit, warnings=(*notes, said))
    gone = searcher.sync.gone()  # (deleted from corpus/, still indexed: neither listed nor counted)
    if gone:
        notes = (*notes, searcher.sync.gone_note(len(gone)))
    raw = searcher.index.search(compiled, limit=limit, offset=(page - 1) * limit,
                                exclude={article.id, *group, *gone})
    # (a similar query can be cut only by the deadline: 25 words, no prefixes or phrases)
    cut = (cut_note(raw.total),) if raw.cut else ()
    # every hit shares key words with the article: no tiers of all and some query words
    return searcher.results(label, raw, compiled, page, limit, t0, shared=True,
                            told=Told(matched_all=raw.total, cut=cut, warnings=notes))
