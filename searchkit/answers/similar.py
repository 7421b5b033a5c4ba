"""Articles about the same thing as a given one: a query made of its most distinctive
lemmas (tf-idf over the index), the article and its near-duplicates left out."""

from __future__ import annotations

from ..models import Article, Results
from .search import Searcher

__all__ = ["KEY_TERMS", "similar"]

#: How many of an article's most distinctive lemmas make its "similar articles" query.
KEY_TERMS = 25


def similar(searcher: Searcher, article: Article, *, limit: int, page: int, t0: float) -> Results:
    """See :meth:`searchkit.Engine.similar`; ``t0``: when the call began (``perf_counter``)."""
    index, analyzer = searcher.index, searcher.lexicon.analyzer
    body = [lemmas for _, lemmas in analyzer.iter_words(article.text)]
    title = [lemmas for _, lemmas in analyzer.iter_words(article.title)]
    group = index.clusters().group(article.id)
    compiled = index.similar_query(body, title, KEY_TERMS, copies=max(len(group), 1))
    label = f"similar:{article.id}"
    if compiled is None:
        others = len(set(group) - {article.id})
        said = ("the article shares fewer than two key words with any other" if not others else
                f"the article shares fewer than two key words with any article but its {others} "
                f"near-duplicate{'s' if others != 1 else ''} (`searchkit duplicates {article.id}` lists them)")
        return Results(query=label, total=0, hits=(), page=page, limit=limit, warnings=(said,))
    raw = searcher.index.search(compiled, limit=limit, offset=(page - 1) * limit, exclude={article.id, *group})
    return searcher.results(label, raw, compiled, page, limit, t0, shared=True)
