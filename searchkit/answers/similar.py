"""Articles about the same thing as a given one: a query made of its most distinctive
lemmas (tf-idf over the index), the article and its near-duplicates left out."""

from __future__ import annotations

from itertools import islice

from ..models import Article, Results
from .search import Searcher

__all__ = ["KEY_TERMS", "similar"]

#: How many of an article's most distinctive lemmas make its "similar articles" query.
KEY_TERMS = 25
#: The words of an article its key words are drawn from: a long text's subject shows in
#: its first pages, and analysing and weighing every distinct word of a 7 MB article took
#: 19 s (a news article is a few thousand words; BrUK's longest, 2,359).
SIMILAR_WORDS = 20_000


def similar(searcher: Searcher, article: Article, *, limit: int, page: int, t0: float) -> Results:
    """See :meth:`searchkit.Engine.similar`; ``t0``: when the call began (``perf_counter``)."""
    index, analyzer = searcher.index, searcher.lexicon.analyzer
    body = [lemmas for _, lemmas in islice(analyzer.iter_words(article.text), SIMILAR_WORDS)]
    title = [lemmas for _, lemmas in analyzer.iter_words(article.title)]
    group = index.clusters().group(article.id)
    compiled = index.similar_query(body, title, KEY_TERMS, copies=max(len(group), 1))
    label = f"similar:{article.id}"
    if compiled is None:
        others = len(set(group) - {article.id})
        alone = index.doc_count() <= max(len(group), 1)
        said = ("the archive holds no other article to compare it with" if alone else
                "the article shares fewer than two key words with any other" if not others else
                f"the article shares fewer than two key words with any article but its {others} "
                f"near-duplicate{'s' if others != 1 else ''} (`searchkit duplicates {article.id}` lists them)")
        return Results(query=label, total=0, hits=(), page=page, limit=limit, warnings=(said,))
    raw = searcher.index.search(compiled, limit=limit, offset=(page - 1) * limit, exclude={article.id, *group})
    # every hit shares key words with the article: no tiers of all and some query words
    return searcher.results(label, raw, compiled, page, limit, t0, shared=True, matched_all=raw.total,
                            cut=raw.cut)
