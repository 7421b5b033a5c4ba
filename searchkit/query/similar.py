"""The similar-articles query, one rule for every backend: a text's key words (see
:func:`searchkit.text.keywords.text_key_terms`), each scored by its weight in the body and
by more in the title, matching only the articles that share enough of them. Each backend
turns a :class:`KeyWords` into its own query objects (see ``Index.similar_query``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ..text import keywords
from ..text.variants import Lookup

__all__ = ["FIELDS", "MIN_KEY_WORDS", "MIN_SHARED", "KeyWords", "key_words"]

#: Fewest key words a text needs to be compared at all: one word in common says nothing
#: about what two articles are about.
MIN_KEY_WORDS = 2
#: Key words another article must share with the text (all of them, when it has fewer):
#: one common word does not make two articles about the same thing.
MIN_SHARED = 3
#: Where a key word is looked for (an article holds it if either field does).
FIELDS = ("body", "title")


@dataclass(frozen=True, slots=True)
class KeyWords:
    """What a similar-articles query searches: ``words`` as ``(lemma, weight, spellings)``,
    best first, ``spellings`` the lemmas the word is written as (``проект``, ``проєкт``:
    one key word), any of which holds it; an article matches when it holds at least
    ``need`` of the words."""

    words: tuple[tuple[str, float, tuple[str, ...]], ...]
    need: int

    @property
    def lemmas(self) -> tuple[str, ...]:
        """The key words, one lemma each (as the text writes it most)."""
        return tuple(lemma for lemma, _, _ in self.words)

    @property
    def spellings(self) -> tuple[tuple[str, ...], ...]:
        """Each key word's lemmas, in the order of :attr:`lemmas`."""
        return tuple(spelt for _, _, spelt in self.words)

    @property
    def readings(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """``(key word, its other spellings)`` of each word written more ways than one."""
        return tuple((lemma, spelt[1:]) for lemma, _, spelt in self.words if len(spelt) > 1)

    def clauses(self, title_boost: float) -> list[tuple[str, str, float]]:
        """``(field, lemma, boost)`` of each scoring clause: each spelling of each word by
        the word's weight in the body, and ``title_boost`` times that in the title."""
        return [clause for _, weight, spelt in self.words for lemma in spelt
                for clause in (("body", lemma, weight), ("title", lemma, weight * title_boost))]


def key_words(body: Sequence[tuple[str, ...]], title: Sequence[tuple[str, ...]], n: int,
              df: Callable[[Iterable[tuple[str, str]]], dict[tuple[str, str], int]], doc_count: int,
              copies: int, *, lookup: Lookup | None = None, held_by: keywords.HeldBy | None = None) -> KeyWords | None:
    """The ``n`` key words of a text given as each word's candidate lemmas (the arguments
    of :func:`~searchkit.text.keywords.text_key_terms`), or ``None`` with fewer than
    :data:`MIN_KEY_WORDS`. ``held_by``: the articles holding a word in any of its spellings
    in any of :data:`FIELDS`, each once."""
    terms = keywords.text_key_terms(body, title, n, df, doc_count, copies, lookup=lookup, held_by=held_by)
    if len(terms) < MIN_KEY_WORDS:
        return None
    return KeyWords(tuple(terms), min(MIN_SHARED, len(terms)))
