"""Analysed articles kept between a build's learning of its topic model and its writing.

A build learns its model (:mod:`.topics`) from the lemma counts of a sample of the
archive, before it writes any article, and then writes every article with its vector. A
sampled article analysed for the model is kept here, analysed, by the process that
analysed it, and that process writes it: each article is analysed once (a build of
BrUK's 1,396 articles takes about 0.85 of the time it took analysing them twice; see
docs/performance.md). Analysed documents are not sent between processes: pickling and
reading them back costs about what analysing them again does.

What is kept is bounded (:data:`HELD_WORDS`): an analysed document holds every word's
lemmas and positions, about 100 bytes a word, and a sample of long articles could hold
hundreds of megabytes. An article past the budget is analysed again when written, as
before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..backends.documents import set_topic

if TYPE_CHECKING:
    from ..text.topics import TopicModel

__all__ = ["HELD_WORDS", "Held"]

#: Words of analysed articles one process keeps (about 64 MB). BrUK's 1,396 articles
#: (1.03 million words, about 515,000 in each of a build's two processes) fit; so does a
#: sample of 3,000 articles of 400 words.
HELD_WORDS = 640_000


class Held:
    """Analysed documents by file (``relpath``), without their topic vectors, kept up to
    :data:`HELD_WORDS` words; :meth:`take` hands each over once, with its vector."""

    def __init__(self, words: int | None = None) -> None:
        self._docs: dict[str, dict[str, Any]] = {}
        self._room = HELD_WORDS if words is None else words

    def keep(self, relpath: str, doc: dict[str, Any]) -> None:
        """Keep ``doc`` (analysed without a topic model) if it fits in what is left."""
        words = sum(doc["forms"].values())
        if words <= self._room:
            self._docs[relpath] = doc
            self._room -= words

    def take(self, relpath: str, topics: TopicModel | None) -> dict[str, Any] | None:
        """The document of ``relpath`` with its vector by ``topics``, let go of here;
        ``None`` when none is kept."""
        doc = self._docs.pop(relpath, None)
        return None if doc is None else set_topic(doc, topics)

    def relpaths(self) -> list[str]:
        """The files whose documents are kept, in the order they were analysed."""
        return list(self._docs)

    def __contains__(self, relpath: object) -> bool:
        return relpath in self._docs

    def __len__(self) -> int:
        return len(self._docs)
