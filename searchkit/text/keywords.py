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
from collections.abc import Callable, Iterable, Sequence

__all__ = ["FUNCTION_WORDS", "TITLE_WEIGHT", "can_be_key", "key_terms", "text_key_terms"]

#: How many body occurrences one title occurrence is worth.
TITLE_WEIGHT = 3

# Lemmas as the analyzer gives them.
FUNCTION_WORDS = frozenset("""
а або адже але б без би біля бо був бути в вам вас весь ви від він вона вони воно все вже
від втім де для до доки дуже же з за замість зараз зі знову зокрема і із інший їй їм їх
їхній й його її коли котрий крім лише між мій ми мов мовби навіть наче наш не неї нема
немає ні ніби ніж ну о об окрім от ось перед по поки попри при про проте понад після під
сам саме самий свій себе серед та так також такий там твій те теж ти то тобто той тому
тощо тут тоді у хоч хоча хто це цей чи чий через ще що щоб щодо як який якби якщо я
стати проти можна можний треба потрібно
""".split()) | frozenset(  # numbers in words name no topic either (``три`` also reads as ``терти``)
    """один два три чотири п'ять шість сім вісім дев'ять десять одинадцять дванадцять двадцять
    тридцять сорок п'ятдесят шістдесят сімдесят вісімдесят дев'яносто сто двісті триста
    чотириста п'ятсот тисяча мільйон мільярд перший другий третій четвертий п'ятий обидва
    кілька декілька""".split())


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


def text_key_terms(body: Sequence[tuple[str, ...]], title: Sequence[tuple[str, ...]], n: int,
                  df: Callable[[Iterable[tuple[str, str]]], dict[tuple[str, str], int]], doc_count: int,
                  copies: int) -> list[tuple[str, float]]:
    """The ``n`` key words of a text given as each word's candidate lemmas, and their
    weights (what both backends' ``similar_query`` search for): each word as one lemma,
    the one more of the text's words read as (then the one most articles have, then the
    analyzer's likelier), tf-idf over the archive less the text's own ``copies``.
    ``df([(field, lemma), ...])`` counts the articles holding each lemma in each field; it
    is asked twice, for only what is needed: the body counts of the lemmas a word must
    choose between, then the counts of the lemmas that can be key words."""
    known = df({("body", lemma) for words in (*body, *title) if len(words) > 1 for lemma in words})
    # How many of the text's words may read as each lemma. By the archive alone a form
    # of two readings went to whichever more articles hold: ``банку`` to ``банка`` in an
    # article whose ``банк`` and ``банків`` are ``банк``, which then had both as key
    # words and found articles about jars. The text's own words say which word it is.
    support: dict[str, int] = {}
    for words in (*body, *title):
        for lemma in set(words):
            support[lemma] = support.get(lemma, 0) + 1

    def pick(lemmas: tuple[str, ...]) -> str:
        if len(lemmas) == 1:
            return lemmas[0]
        # a word that may be a function word is one (``вона`` also reads as the adverb ``вон``)
        function = next((lemma for lemma in lemmas if lemma in FUNCTION_WORDS), None)
        # (``max`` keeps the first of equals: the analyzer lists the likelier lemma first)
        return function or max(lemmas, key=lambda lemma: (support[lemma], known[("body", lemma)]))

    picked_body, picked_title = [pick(t) for t in body], [pick(t) for t in title]
    wanted = {(f, lemma) for lemma in (*picked_body, *picked_title) if can_be_key(lemma)
              for f in ("body", "title")}
    known.update(df(wanted - known.keys()))

    def others(lemma: str) -> int:
        return max(known.get(("body", lemma), 0), known.get(("title", lemma), 0)) - copies

    return key_terms(picked_body, picked_title, others, max(doc_count - copies, 1), n)
