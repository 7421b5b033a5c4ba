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
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..backends.base import Progress, stage_progress
from ..store.corpus import Corpus
from ..text.analysis import Analyzer
from .held import Held

if TYPE_CHECKING:
    from ..text.topics import TopicModel
    from .pipeline import SideJob

__all__ = ["GROWTH", "LEARNING", "READING", "UNLEARNT", "Learnt", "learn", "outgrown", "spread"]

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


@dataclass(frozen=True, slots=True)
class Learnt:
    """What :func:`learn` gives a build: the model, and the sampled articles this process
    analysed for it, kept for writing them (a second process keeps its own)."""

    model: TopicModel | None
    held: Held


def learn(corpus: Corpus, relpaths: Sequence[str], analyzer: Analyzer, progress: Progress | None = None,
          *, side: SideJob | None = None) -> Learnt:
    """The topic model of the articles ``relpaths`` (distinct; a sample of at most
    :data:`~searchkit.text.topics.SAMPLE` of them, spread evenly), which says it was learnt
    from the whole sample; ``None`` under :data:`~searchkit.text.topics.MIN_ARTICLES`
    articles, and an empty model when fewer of them give topics. Unreadable files are
    skipped: the build that follows reports them. ``progress`` (the build's) hears of the
    articles read as its :data:`READING` stage, then of :data:`LEARNING` now and then (see
    :func:`~searchkit.backends.base.stage_progress`): each takes seconds per thousand
    articles, before the build counts any.

    The build's second process (``side``, if any) analyses the sampled articles it is to
    index while this one analyses the others (see :meth:`SideJob.learn`), and writes
    them by the model learnt (which it is given). The model is learnt from the articles
    in the sample's order, whichever process analysed them: one process or two learn the
    same model."""
    from ..text import topics
    from .pipeline import learn_file

    held = Held()
    if len(relpaths) < topics.MIN_ARTICLES:
        return Learnt(None, held)
    # in the corpus's order: the same articles give the same model, however they came
    sample = spread(sorted(relpaths), topics.SAMPLE)
    place = {relpath: n for n, relpath in enumerate(sample)}
    step = stage_progress(progress, READING)
    learning = stage_progress(progress, LEARNING)
    gathered = topics.Gathered()
    read = 0

    def got(relpath: str, counts: dict[str, int] | None) -> None:
        nonlocal read
        if counts is not None:
            gathered.add(place[relpath], counts)
        read += 1
        if step is not None:
            step(read, len(sample))

    theirs = side.learn(sample) if side is not None else set()
    if step is not None:
        step(0, len(sample))
    for relpath in sample:
        if relpath not in theirs:
            got(relpath, learn_file(corpus, relpath, analyzer, held))
        if side is not None:  # (read as they come: the process is not held up by a full pipe)
            for theirs_read in side.counts(wait=False):
                got(*theirs_read)
    if side is not None:
        for theirs_read in side.counts(wait=True):
            got(*theirs_read)

    model = gathered.train(tick=None if learning is None else lambda: learning(0, None))
    if model is None or model.articles < topics.MIN_ARTICLES:
        model = topics.TopicModel.empty(len(sample))
    else:
        model = dataclasses.replace(model, articles=len(sample))
    if side is not None:
        side.topics = model
    return Learnt(model, held)


#: What ``stats`` says of an index that :func:`outgrown` calls to learn again (a build that
#: was to learn its model was stopped: the index it would have replaced holds the articles).
UNLEARNT = "its topic model is not learnt from the articles it holds (a build that learns it was stopped)"


def outgrown(model: TopicModel | None, articles: int) -> bool:
    """Whether an archive of ``articles`` should learn its model again (see the module
    docstring): it has grown :data:`GROWTH` times past the articles its model (empty or
    not) was learnt from, while those were fewer than the sample a build learns from."""
    from ..text import topics

    learnt = model.articles if model is not None else 0
    if learnt >= topics.SAMPLE or articles < topics.MIN_ARTICLES:
        return False
    return articles >= GROWTH * learnt
