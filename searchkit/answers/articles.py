"""One article: found by its id (in ``corpus/``, or where the index says it is) however it
is spelt (:func:`~searchkit.store.fields.id_spellings`), deleted by it, and shown with a
query's matches marked."""

from __future__ import annotations

from ..backends.base import Index
from ..errors import ArticleNotFound, echoed
from ..models import Article, Snippet
from ..store.corpus import Corpus
from ..store.fields import id_spellings, normal_id
from ..text.highlight import highlight_all
from .arguments import check_optional_text
from .search import Searcher

__all__ = ["find", "highlighted", "remove"]


def find(corpus: Corpus, index: Index, article_id: str) -> Article:
    """See :meth:`searchkit.Engine.get`."""
    if not _is_text(article_id):  # bytes a command line could not decode: no id has them
        raise ArticleNotFound(f"no article with id {echoed(article_id)} (it is not valid text)",
                              hint="`searchkit search WORDS` lists ids")
    for spelling in id_spellings(article_id):
        article = _stored(corpus, index, spelling)
        if article is not None:
            return article
    raise ArticleNotFound(f"no article with id {echoed(article_id)}", hint="`searchkit search WORDS` lists ids")


def _stored(corpus: Corpus, index: Index, article_id: str) -> Article | None:
    """The article stored with exactly ``article_id``, or ``None``."""
    article = corpus.get(article_id)
    if article is None and index.exists():
        path = index.path_of(article_id)
        if path:
            try:
                article = corpus.read(path)
            except FileNotFoundError:  # deleted from corpus/ since it was indexed
                article = None
    return article if article is not None and article.id == article_id else None


def remove(corpus: Corpus, ids: list[str]) -> tuple[list[bool], list[str]]:
    """Delete the articles of ``ids`` from ``corpus/``, each under the first of its
    spellings stored; whether each existed, and the ids the index is to drop: the one
    deleted, or when none was stored, every spelling (an entry of any is stale then).
    One article at most per id, however often or however spelt it is given: a home
    imported before ids were normalised may hold two spellings as two articles."""
    found: list[bool] = []
    drop: list[str] = []
    seen: set[str] = set()
    for article_id in ids:
        if normal_id(article_id) in seen:
            found.append(False)
            continue
        seen.add(normal_id(article_id))
        spellings = id_spellings(article_id)
        deleted = next((s for s in spellings if corpus.delete(s)), None)
        found.append(deleted is not None)
        drop.extend(spellings if deleted is None else (deleted,))
    return found, drop


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
