"""One article: found by its id (in ``corpus/``, or where the index says it is) however it
is spelt (:func:`~searchkit.store.fields.typed_id_spellings`), deleted by it, and shown with a
query's matches marked."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ..advice import SEARCH_WORDS
from ..backends.base import Index
from ..errors import ArticleAmbiguous, ArticleNotFound, echoed
from ..models import Article, Snippet
from ..store.corpus import Corpus
from ..store.fields import id_spellings, normal_id, typed_id_spellings
from ..text.highlight import highlight_all, shown, stored_spans
from .arguments import check_optional_text, check_text
from .search import Searcher

__all__ = ["Removal", "find", "find_each", "highlighted", "remove"]


def find(corpus: Corpus, index: Index, article_id: str) -> Article:
    """See :meth:`searchkit.Engine.get`."""
    check_text("article_id", article_id)
    if not _is_text(article_id):  # bytes a command line could not decode: no id has them
        raise ArticleNotFound(f"no article with id {echoed(article_id)} (it is not valid text)",
                              hint=f"{SEARCH_WORDS} lists ids")
    where = index.path_of if index.exists() else None
    article, could_be = _spelt(corpus, corpus.get, where, article_id)
    if could_be:
        raise ArticleAmbiguous(article_id, could_be)
    if article is None:
        raise ArticleNotFound(f"no article with id {echoed(article_id)}", hint=f"{SEARCH_WORDS} lists ids")
    return article


def _spelt(corpus: Corpus, stored: Callable[[str], Article | None], where: Callable[[str], str | None] | None,
           article_id: str) -> tuple[Article | None, tuple[str, ...]]:
    """The article of ``article_id`` however it is spelt (see :func:`_found`), and ``()``;
    or ``None`` and the ids it could mean when it is one only by another apostrophe and
    two articles are so spelt: an id typed with another apostrophe names the article
    only when it names one (of ``б'ю`` and ``б’ю``, ``бʼю`` names neither)."""
    own = id_spellings(article_id)
    article = _found(corpus, stored, where, own)
    if article is not None:
        return article, ()
    others = [a for s in typed_id_spellings(article_id) if s not in own
              if (a := _found(corpus, stored, where, (s,))) is not None]
    if could_be := _could_mean(a.id for a in others):
        return None, could_be
    return (others[0] if others else None), ()


def _could_mean(held: Iterable[str]) -> tuple[str, ...]:
    """The ids an id typed with another apostrophe could mean, of the spellings of it
    ``held`` (stored, or in the index), when they are two articles or more; ``()`` when
    they are one or none. Such an id stands for an article only when it names one: of
    ``б'ю`` and ``б’ю`` (for ``бʼю``) either would be an article nobody named. The one rule
    of :func:`find`, :func:`find_each` and :func:`remove`."""
    meant = {normal_id(s) for s in held}
    return tuple(sorted(meant)) if len(meant) > 1 else ()


def find_each(corpus: Corpus, index: Index, ids: list[str]) -> list[Article]:
    """See :meth:`searchkit.Engine.stored`. The ids are read against one state of the
    index, asked once whether there is one, and many at once are looked up in one listing
    each of ``corpus/`` and of the index, not one look each: 100,000 missing ids took 39 s.
    An id that is ambiguous as :func:`find` says (``бʼю`` for two articles) finds none."""
    spelt = [typed_id_spellings(i) for i in ids if _is_text(i)]
    files = corpus.present({s for spellings in spelt for s in spellings})

    def stored(article_id: str) -> Article | None:
        return corpus.get(article_id) if article_id in files else None

    with index.pinned():
        where: Callable[[str], str | None] | None = None
        if index.exists():
            where = index.path_of
            # the spellings with no file of their name: the index says where they are, one
            # look each, or all in one listing of it when they outnumber its articles (a
            # look costs about what an article listed does)
            if sum(map(len, spelt)) - len(files) > index.doc_count():
                paths = {i: path for i, (path, _) in index.indexed().items()}

                def where(article_id: str) -> str | None:
                    return paths.get(article_id)
        found = (_spelt(corpus, stored, where, article_id)[0] for article_id in ids if _is_text(article_id))
        return [article for article in found if article is not None]


def _found(corpus: Corpus, stored: Callable[[str], Article | None], where: Callable[[str], str | None] | None,
           article_id: str | tuple[str, ...]) -> Article | None:
    """The article of ``article_id`` (or of its spellings) however it is spelt, or
    ``None``: the one stored under one of them (``stored``), or where the index says it
    is (``where``: ``None`` without an index)."""
    for spelling in typed_id_spellings(article_id) if isinstance(article_id, str) else article_id:
        article = stored(spelling)
        if article is None and where is not None and (path := where(spelling)):
            try:
                article = corpus.read(path)
            except FileNotFoundError:  # deleted from corpus/ since it was indexed
                article = None
        if article is not None and article.id == spelling:
            return article
    return None


@dataclass(frozen=True, slots=True)
class Removal:
    """What deleting one id did: the id as asked, the id its article was stored under
    (``None``: none went), the ids the index is to drop, and when the id is ambiguous
    (:class:`~searchkit.errors.ArticleAmbiguous`), the ids it could mean."""

    asked: str
    stored: str | None
    drop: tuple[str, ...]
    could_be: tuple[str, ...] = ()


def remove(corpus: Corpus, ids: list[str]) -> Iterator[Removal]:
    """Delete the articles of ``ids`` from ``corpus/`` one at a time, each under the first
    of its spellings stored, saying as each goes (:class:`Removal`): the ids the index is
    to drop are the one deleted, or when none was stored, every spelling (an entry of any
    is stale then). One article at most per id, however often or however spelt it is
    given (:func:`asked`): a home imported before ids were normalised may hold two
    spellings as two articles."""
    for article_id in asked(ids):
        own = id_spellings(article_id)
        stored = next((s for s in own if corpus.delete(s)), None)
        if stored is not None:
            yield Removal(article_id, stored, (stored,))
            continue
        others = [s for s in typed_id_spellings(article_id) if s not in own]
        held = corpus.present(set(others))
        if could_be := _could_mean(held):
            yield Removal(article_id, None, own, could_be)  # (the index keeps both of theirs)
            continue
        stored = next((s for s in others if s in held and corpus.delete(s)), None)
        yield Removal(article_id, stored, (*own, *others) if stored is None else (stored,))


def asked(ids: list[str]) -> list[str]:
    """``ids`` each once, as first given: two spellings of one id (:func:`normal_id`) are one."""
    first: dict[str, str] = {}
    for i in ids:
        first.setdefault(normal_id(i), i)
    return list(first.values())


def _is_text(value: str) -> bool:
    """Whether ``value`` is a string of real characters (no lone surrogates)."""
    try:
        value.encode("utf-8")
        return True
    except (UnicodeEncodeError, AttributeError):
        return False


def highlighted(searcher: Searcher, article: Article, query: str | None, *, since: dt.date | str | None = None,
                until: dt.date | str | None = None, source: str | None = None, exact: bool = False,
                today: dt.date | None = None, find_dates: bool = True) -> tuple[Snippet, Snippet]:
    """See :meth:`searchkit.Engine.highlight`."""
    if not isinstance(article, Article):
        raise TypeError(f"article must be an Article (from Engine.get), not {type(article).__name__}")
    check_optional_text("query", query)
    if not query or not query.strip():  # (nothing to mark, as a search of it would refuse it)
        return shown(article.title), Snippet(article.text)
    terms = searcher.marked_terms(query, since=since, until=until, source=source, exact=exact, today=today,
                                  find_dates=find_dates)
    analyzer = searcher.lexicon.analyzer
    title = highlight_all(article.title, analyzer, terms.within("title"))
    # (the title as a hit shows it, with where its matches are in the title as stored; the
    # text as stored, which show prints whole)
    title = shown(title.text, title.spans)
    title = dataclasses.replace(title, stored_spans=stored_spans(article.title, title.spans))
    return title, highlight_all(article.text, analyzer, terms.within("body"))
