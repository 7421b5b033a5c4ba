"""One article: found by its id (in ``corpus/``, or where the index says it is), and shown
with a query's matches marked."""

from __future__ import annotations

from ..backends.base import Index
from ..errors import ArticleNotFound
from ..models import Article, Snippet
from ..store.corpus import Corpus
from ..text.highlight import highlight_all
from .arguments import check_optional_text
from .search import Searcher

__all__ = ["find", "highlighted"]


def find(corpus: Corpus, index: Index, article_id: str) -> Article:
    """See :meth:`searchkit.Engine.get`."""
    if not _is_text(article_id):  # bytes a command line could not decode: no id has them
        raise ArticleNotFound(f"no article with id {article_id!r} (it is not valid text)",
                              hint="`searchkit search WORDS` lists ids")
    article = corpus.get(article_id)
    if article is None and index.exists():
        path = index.path_of(article_id)
        if path:
            try:
                article = corpus.read(path)
            except FileNotFoundError:  # deleted from corpus/ since it was indexed
                article = None
    if article is None or article.id != article_id:
        raise ArticleNotFound(f"no article with id {article_id!r}", hint="`searchkit search WORDS` lists ids")
    return article


def _is_text(value: str) -> bool:
    """Whether ``value`` is a string of real characters (no lone surrogates)."""
    try:
        value.encode("utf-8")
        return True
    except (UnicodeEncodeError, AttributeError):
        return False


def highlighted(searcher: Searcher, article: Article, query: str | None) -> tuple[Snippet, Snippet]:
    """See :meth:`searchkit.Engine.highlight`."""
    if not isinstance(article, Article):
        raise TypeError(f"article must be an Article (from Engine.get), not {type(article).__name__}")
    check_optional_text("query", query)
    if not query:
        return Snippet(article.title), Snippet(article.text)
    parsed = searcher.understand(query, None, None, None, True).parsed
    searcher.sync.ensure()
    terms = searcher.index.compile(parsed).terms
    analyzer = searcher.lexicon.analyzer
    return highlight_all(article.title, analyzer, terms), highlight_all(article.text, analyzer, terms)
