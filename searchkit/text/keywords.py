"""An article's key words: the lemmas that say what it is about (pure).

Frequent in the article, rare in the archive: tf-idf over lemmas, with the title counting
more and closed-class words (pronouns, prepositions, conjunctions, particles) never
counting (nor numbers), since however rare a small archive makes them look, they say
nothing about a topic.

>>> df = {"бджола": 3, "пасічник": 2, "поле": 40}.get
>>> [w for w, _ in key_terms(["бджола", "бджола", "поле", "вони"], ["пасічник"], lambda w: df(w, 0), 100, 5)]
['пасічник', 'бджола', 'поле']
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

__all__ = ["FUNCTION_WORDS", "TITLE_WEIGHT", "can_be_key", "key_terms"]

#: How many body occurrences one title occurrence is worth.
TITLE_WEIGHT = 3

# Lemmas as the analyzer gives them.
FUNCTION_WORDS = frozenset("""
а або адже але б би бо був бути в вам вас весь ви від він вона вони воно все вже від втім
де для до доки дуже же з за зараз зі знову і із інший їй їм їх їхній й його її
коли котрий крім лише між мій ми мов мовби наче наш не неї нема немає ні ніби ніж
ну о об от ось перед по поки при про проте понад після під сам самий свій себе серед
та так також такий там твій те теж ти то тобто той тому тут тоді у хоч хоча хто це цей
чи чий через що щоб щодо як який якби якщо я
""".split())


def can_be_key(lemma: str) -> bool:
    """Whether a lemma may be a key word: short and closed-class words, numbers and dates
    ("2016-го") name no topic."""
    return not (len(lemma) < 3 or lemma in FUNCTION_WORDS or not lemma[0].isalpha()
                or any(ch.isdigit() for ch in lemma))


def key_terms(body: Sequence[str], title: Sequence[str], df: Callable[[str], int], n_docs: int,
              n: int) -> list[tuple[str, float]]:
    """The ``n`` best ``(lemma, weight)`` of a text given as lemmas, best first.

    ``df(lemma)`` is how many OTHER articles have the lemma (out of ``n_docs``); a lemma
    no other article has is left out, since it cannot find anything.
    """
    tf: dict[str, int] = {}
    for lemma in body:
        tf[lemma] = tf.get(lemma, 0) + 1
    for lemma in title:
        tf[lemma] = tf.get(lemma, 0) + TITLE_WEIGHT
    scored = []
    for lemma, f in tf.items():
        if not can_be_key(lemma):
            continue
        d = df(lemma)
        if d < 1:
            continue
        idf = math.log(1 + (n_docs - d + 0.5) / (d + 0.5))
        scored.append((lemma, (1 + math.log(f)) * idf))
    scored.sort(key=lambda lw: (-lw[1], lw[0]))
    return scored[:n]
