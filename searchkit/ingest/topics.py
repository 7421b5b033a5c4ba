"""When a build learns the archive's topic model (:mod:`searchkit.text.topics`), and from
which articles.

A model is learnt before a build writes its first article, so that every article of the
build carries its topic vector; later imports give theirs by the model the index holds.
An archive too small to learn from (under :data:`~searchkit.text.topics.MIN_ARTICLES`)
is built without one; an import that grows it to four times the articles its model (or
none) was learnt from rebuilds the index instead, learning again, until a model was
learnt from a whole sample (:data:`~searchkit.text.topics.SAMPLE`): the rebuilds come at
50, 200, 800 and 3,200 articles, then never again but by ``index --rebuild``. Articles
that give no topics (they share no words, or cannot be read) leave an empty model that
says how many were tried, so that the next import does not rebuild to try them again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from ..backends.base import Progress, stage_progress
from ..backends.documents import analysed_document, topic_counts
from ..errors import InputError
from ..store.corpus import Corpus
from ..text.analysis import Analyzer

if TYPE_CHECKING:
    from ..text.topics import TopicModel

__all__ = ["GROWTH", "LEARNING", "READING", "learn", "outgrown", "spread"]

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


#: What a progress callback's stages are called while a model is learnt (see :func:`learn`).
#: (short: with the command's label they fit an 80-column terminal beside the counts)
READING, LEARNING = "reading for topics", "learning topics"


def learn(corpus: Corpus, relpaths: Sequence[str], analyzer: Analyzer,
          progress: Progress | None = None) -> TopicModel | None:
    """The topic model of the articles ``relpaths`` (a sample of at most
    :data:`~searchkit.text.topics.SAMPLE` of them, spread evenly), which says it was learnt
    from the whole sample; ``None`` under :data:`~searchkit.text.topics.MIN_ARTICLES`
    articles, and an empty model when fewer of them give topics. Unreadable files are
    skipped: the build that follows reports them. ``progress`` (the build's) hears of the
    articles read as its :data:`READING` stage, then of :data:`LEARNING` now and then (see
    :func:`~searchkit.backends.base.stage_progress`): each takes seconds per thousand
    articles, before the build counts any."""
    from ..text import topics

    if len(relpaths) < topics.MIN_ARTICLES:
        return None
    # in the corpus's order: the same articles give the same model, however they came
    sample = spread(sorted(relpaths), topics.SAMPLE)
    step = stage_progress(progress, READING)
    learning = stage_progress(progress, LEARNING)

    def counts() -> Iterator[dict[str, int]]:
        for n, relpath in enumerate(sample):
            if step is not None:
                step(n, len(sample))
            try:
                article = corpus.read(relpath)
            except (InputError, OSError):
                continue
            yield topic_counts(analysed_document(article, analyzer, relpath, ""))
        if step is not None:
            step(len(sample), len(sample))

    model = topics.train(counts(), tick=None if learning is None else lambda: learning(0, None))
    if model is None or model.articles < topics.MIN_ARTICLES:
        return topics.TopicModel.empty(len(sample))
    return dataclasses.replace(model, articles=len(sample))


def outgrown(model: TopicModel | None, articles: int) -> bool:
    """Whether an archive of ``articles`` should learn its model again (see the module
    docstring): it has grown :data:`GROWTH` times past the articles its model (empty or
    not) was learnt from, while those were fewer than the sample a build learns from."""
    from ..text import topics

    learnt = model.articles if model is not None else 0
    if learnt >= topics.SAMPLE or articles < topics.MIN_ARTICLES:
        return False
    return articles >= GROWTH * learnt
