"""When a build learns the archive's topic model (:mod:`searchkit.text.topics`), and from
which articles.

A model is learnt before a build writes its first article, so that every article of the
build carries its topic vector; later imports give theirs by the model the index holds.
An archive too small to learn from (under :data:`~searchkit.text.topics.MIN_ARTICLES`)
is built without one; an import that grows it to four times the articles its model (or
none) was learnt from, up to :data:`~searchkit.text.topics.SAMPLE`, rebuilds the index
instead, learning again: the rebuilds come at 50, 200, 800, 3,200 and 12,800 articles,
then never again but by ``index --rebuild``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from ..backends.documents import analysed_document, topic_counts
from ..errors import InputError
from ..store.corpus import Corpus
from ..text.analysis import Analyzer

if TYPE_CHECKING:
    from ..text.topics import TopicModel

__all__ = ["GROWTH", "learn", "outgrown", "spread"]

#: An archive this many times the articles its model was learnt from learns again.
GROWTH = 4


def spread(relpaths: Sequence[str], n: int) -> list[str]:
    """``n`` of ``relpaths`` spread evenly over them (all when there are fewer): a sample
    of the whole archive, not of its first months.

    >>> spread(["a", "b", "c", "d", "e", "f"], 3)
    ['a', 'c', 'e']
    """
    if len(relpaths) <= n:
        return list(relpaths)
    return [relpaths[i * len(relpaths) // n] for i in range(n)]


def learn(corpus: Corpus, relpaths: Sequence[str], analyzer: Analyzer) -> TopicModel | None:
    """The topic model of the articles ``relpaths`` (a sample of at most
    :data:`~searchkit.text.topics.SAMPLE` of them, spread evenly); ``None`` under
    :data:`~searchkit.text.topics.MIN_ARTICLES` readable articles. Unreadable files are
    skipped: the build that follows reports them."""
    from ..text import topics

    if len(relpaths) < topics.MIN_ARTICLES:
        return None
    def counts() -> Iterator[dict[str, int]]:
        # in the corpus's order: the same articles give the same model, however they came
        for relpath in spread(sorted(relpaths), topics.SAMPLE):
            try:
                article = corpus.read(relpath)
            except (InputError, OSError):
                continue
            yield topic_counts(analysed_document(article, analyzer, relpath, ""))

    model = topics.train(counts())
    return model if model is not None and model.articles >= topics.MIN_ARTICLES else None


def outgrown(model: TopicModel | None, articles: int) -> bool:
    """Whether an archive of ``articles`` should learn its model again (see the module
    docstring): it has grown :data:`GROWTH` times past what its model was learnt from,
    while that was under the sample a build learns from."""
    from ..text import topics

    learnt = model.articles if model is not None else 0
    if learnt >= topics.SAMPLE or articles < topics.MIN_ARTICLES:
        return False
    return articles >= GROWTH * learnt
