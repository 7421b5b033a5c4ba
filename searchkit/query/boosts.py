"""What lifts the better of a query's matches, in neutral terms each backend translates:
the very forms typed, and neighbouring query words found side by side (in the typed
order) or close together.

Only words that must all match are neighbours: the words of one all-words group. The
alternatives of an ``OR`` (``крикнув OR крекнув``, the near spellings of a word) are never
in one article together by design, so pairing them would only cost span queries.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..text.analysis import Token
from . import limits
from . import parse as q
from .limits import distinct
from .resolve import WordResolver

__all__ = ["Boosts", "Pair", "boosts"]

Slot = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Pair:
    """Two neighbouring query words in the body: ``slots``, the lemmas each position may
    hold side by side (its spellings, not its relatives: ``архів`` does not make
    ``архівні документи`` a phrase); ``wide``, what each may be near each other (relatives
    count); ``gap``, how far apart they were typed (2 across a stop word: ``війна в Україні``)."""

    slots: tuple[Slot, Slot]
    wide: tuple[Slot, Slot]
    gap: int


@dataclass(frozen=True, slots=True)
class Boosts:
    """The boosts of one query: ``forms``, each written form with its boost
    (``WordResolver.lifts``); ``pairs``, the neighbours to lift when adjacent
    (``Ranking.adjacent_boost``) or near (``Ranking.near_boost``)."""

    forms: tuple[tuple[str, float], ...]
    pairs: tuple[Pair, ...]


def _runs(node: q.Node) -> list[list[q.Word]]:
    """The query's all-words groups, each as its plain words in typed order."""
    if isinstance(node, q.Word):
        return [[node]]
    if isinstance(node, (q.Phrase, q.Not)):
        return []
    if isinstance(node, q.Or):
        return [run for item in node.items for run in _runs(item)]
    run: list[q.Word] = []
    others: list[list[q.Word]] = []
    for item in node.items:
        if isinstance(item, q.Word):
            run.append(item)
        elif isinstance(item, q.And):
            inner = _runs(item)
            run += inner[0] if inner else []
            others += inner[1:]
        else:
            others += _runs(item)
    return [run, *others]


def _plain(w: q.Node) -> bool:
    return isinstance(w, q.Word) and not (w.prefix or w.fuzzy)


def boosts(root: q.Node, resolver: WordResolver, *, stop_words: bool = True) -> Boosts:
    """The boosts of the query ``root``. Stop words are left out of the pairs (the words
    around one pair across it) unless every word is one; at most
    :data:`~searchkit.query.limits.MAX_PROXIMITY_WORDS` words are paired (spans of many
    pairs cost seconds)."""
    words = [w for w in distinct(q.words_of(root)) if isinstance(w, q.Word) and _plain(w)]
    skip_stops = stop_words and any(not q.is_stop_word(w) for w in words)
    forms: list[tuple[str, float]] = []
    for w in words:
        if skip_stops and q.is_stop_word(w):
            continue
        for toks in resolver.alternatives(w.text):
            if len(toks) == 1:
                forms += resolver.lifts(toks[0])
    pairs: list[Pair] = []
    budget = limits.MAX_PROXIMITY_WORDS
    for run in _runs(root):
        placed: list[tuple[list[Token], int]] = []  # (the word's tokens, how far from the previous word)
        gap = 1
        for w in distinct([w for w in run if _plain(w)]):
            if skip_stops and q.is_stop_word(w):
                gap += 1
                continue
            placed.append(([toks[0] for toks in resolver.alternatives(w.text) if len(toks) == 1], gap))
            gap = 1
        first = placed[:budget]
        budget -= len(first)
        for (a, _), (b, gap) in zip(first, first[1:], strict=False):
            if a and b:
                pairs.append(Pair(
                    (tuple(lemma for t in a for lemma in resolver.slot(t)),
                     tuple(lemma for t in b for lemma in resolver.slot(t))),
                    (tuple(lemma for t in a for lemma in resolver.weights(t)),
                     tuple(lemma for t in b for lemma in resolver.weights(t))),
                    gap))
        if budget <= 1:
            break
    return Boosts(tuple(forms), tuple(pairs))

