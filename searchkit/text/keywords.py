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
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence

from .variants import Lookup, spelling_variants

__all__ = ["FUNCTION_WORDS", "TITLE_WEIGHT", "HeldBy", "can_be_key", "key_terms", "shown_as", "spelling_groups",
           "text_key_terms"]

#: How many body occurrences one title occurrence is worth.
TITLE_WEIGHT = 3
#: The other spellings of this many times as many likely key words as are wanted are
#: looked up (see :func:`text_key_terms`).
SPELT_LOOKUPS = 4

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


#: ``held_by([spellings, ...])``: how many articles hold each word, in any of its
#: spellings (a tuple of lemmas), in any field: an article holding two counted once.
HeldBy = Callable[[Iterable[tuple[str, ...]]], dict[tuple[str, ...], int]]


def text_key_terms(body: Sequence[tuple[str, ...]], title: Sequence[tuple[str, ...]], n: int,
                  df: Callable[[Iterable[tuple[str, str]]], dict[tuple[str, str], int]], doc_count: int,
                  copies: int, *, lookup: Lookup | None = None,
                  held_by: HeldBy | None = None) -> list[tuple[str, float, tuple[str, ...]]]:
    """The ``n`` key words of a text given as each word's candidate lemmas, their weights
    and the lemmas each stands for (what both backends' ``similar_query`` search for):
    each word as one lemma, the one more of the text's words read as (then the one most
    articles have, then the analyzer's likelier), the spellings of one word as one key
    word (:func:`spelling_groups`), tf-idf over the archive less the text's own ``copies``.
    ``df([(field, lemma), ...])`` counts the articles holding each lemma in each field; it
    is asked three times, for only what is needed: the body counts of the lemmas a word
    must choose between, the counts of the lemmas that can be key words, then those of
    the other spellings of the likeliest. ``lookup``: the dictionary's reading of a word (see
    :func:`~searchkit.text.variants.spelling_variants`). A word written two ways is weighed
    by the articles holding it in either, each once: ``held_by`` counts them (asked once,
    for the words of more than one spelling); without it, by the spelling most articles
    hold (the sum of the spellings' counts took an article holding both for two)."""
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
    held = set(picked_body) | set(picked_title)  # (the text's own: its copies hold them too)
    wanted = {(f, lemma) for lemma in held if can_be_key(lemma) for f in ("body", "title")}
    known.update(df(wanted - known.keys()))
    n_docs = max(doc_count - copies, 1)

    def others(lemma: str) -> int:
        return max(max(known.get(("body", lemma), 0), known.get(("title", lemma), 0))
                   - (copies if lemma in held else 0), 0)

    # The spellings of the likeliest key words alone are looked up: every lemma's took
    # 0.6 s for an article of 20,000 words, and a word written two ways is among them
    # when either spelling is.
    likely = key_terms(picked_body, picked_title, others, n_docs, SPELT_LOOKUPS * n)
    groups = spelling_groups([lemma for lemma in (*picked_body, *picked_title) if can_be_key(lemma)], lookup,
                             among={lemma for lemma, _ in likely})
    known.update(df({(f, lemma) for lemmas in groups.values() for lemma in lemmas
                     for f in ("body", "title")} - known.keys()))
    key_of = {lemma: key for key, lemmas in groups.items() for lemma in lemmas}
    spelt = [lemmas for lemmas in groups.values() if len(lemmas) > 1 and any(_held(known, lm) for lm in lemmas)]
    either = held_by(spelt) if held_by is not None and spelt else {}

    def word_others(key: str) -> int:
        lemmas = groups[key]
        if lemmas not in either:
            return max(others(lemma) for lemma in lemmas)
        # (the text's copies hold the word once, whichever spellings they write)
        return max(either[lemmas] - (copies if held.intersection(lemmas) else 0), 0)

    def keyed(lemmas: list[str]) -> list[str]:
        return [key_of.get(lemma, lemma) for lemma in lemmas]

    terms = key_terms(keyed(picked_body), keyed(picked_title), word_others, n_docs, n)
    return [(key, weight, tuple(lemma for lemma in groups[key] if lemma in held or _held(known, lemma)))
            for key, weight in terms]


def shown_as(keys: Iterable[str], words: Iterable[tuple[str, tuple[str, ...]]],
             df: Callable[[str], int], headwords: Lookup | None = None, *,
             written: Callable[[str], int] | None = None) -> dict[str, str]:
    """Each key word of ``keys`` (lemmas, as :func:`text_key_terms` picks them) that only
    the dictionary's order chose -> the form the text writes most of it. A word's lemma is
    the one more of the text's words read as, then the one more articles hold (``df``, the
    articles holding a lemma in the body), then the one the dictionary lists first. Where
    another lemma of its words is read by as many of them and held by as many articles
    (``банках``, ``банки``, ``банку`` each read as ``банк`` and as ``банка``, the text
    writes no ``банків``, and the archive's articles hold those forms alike), neither the
    text nor the archive says which word it is, and the dictionary's first lemma (``банка``,
    a jar, for an article on banks) said what they do not. The form the text writes most
    is what it says (``банках``). A lemma that is the other's dictionary form too
    (``пасічники``, a plural the dictionary lists as a word of its own, is the nominative
    of ``пасічник``; ``headwords``: the lemmas a word is the dictionary form of, see
    :meth:`~searchkit.text.analysis.Analyzer.headwords`) is the same word, and leaves
    nothing undecided; so do a compound and its parts (``будинок-музей``: ``будинок``,
    ``музей``), each of which it is. A lemma that is only another case of the other is
    another word (``ранок`` is also the genitive plural of ``ранка``, a wound, and ``київ``
    of ``кий``, a cue: taken for one word, an article writing ``ранку`` was shown as
    ``ранка``, one writing ``Києві`` as ``кий``). ``written``: how many articles write a
    lemma as a word; a key word that more articles write as it is than the other lemma is
    the archive's choice, and keeps its name (``рай``, whose ``рай`` is also the imperative
    of ``раяти``: an article writing ``раю`` is about ``рай``).

    >>> text = [("банках", ("банка", "банк")), ("кредити", ("кредит",)), ("банки", ("банка", "банк")),
    ...         ("банках", ("банка", "банк"))]
    >>> shown_as(["банка", "кредит"], text, lambda lemma: 4)
    {'банка': 'банках'}
    >>> shown_as(["банк"], text, {"банк": 9, "банка": 4}.__getitem__)  # (the archive says)
    {}
    >>> shown_as(["банк"], [*text, ("банків", ("банк",))], lambda lemma: 4)  # (the text says)
    {}
    >>> shown_as(["пасічник"], [("пасічники", ("пасічник", "пасічники"))], lambda lemma: 1,
    ...          {"пасічники": (("пасічник", "пасічники"), True), "пасічник": (("пасічник",), True)}.__getitem__)
    {}
    >>> headwords = {"ранок": (("ранок",), True), "ранка": (("ранка",), True)}.__getitem__
    >>> shown_as(["ранка"], [("ранку", ("ранка", "ранок"))], lambda lemma: 1, headwords)
    {'ранка': 'ранку'}
    >>> shown_as(["ранка"], [("ранку", ("ранка", "ранок"))], lambda lemma: 1, headwords,
    ...          written={"ранка": 3, "ранок": 0}.__getitem__)  # (the archive says)
    {}
    """
    words = list(words)
    support: Counter[str] = Counter(lemma for _, lemmas in words for lemma in set(lemmas))
    out: dict[str, str] = {}
    for key in keys:
        # (a compound's lemmas are its own and its parts', each of them meant: no choice)
        own = [(form, lemmas) for form, lemmas in words if key in lemmas and "-" not in form]
        # (as :func:`text_key_terms` picks: the text's words, then the archive's articles)
        tied = {lemma for _, lemmas in own for lemma in lemmas
                if lemma != key and lemma not in FUNCTION_WORDS and support[lemma] >= support[key]}
        if tied and headwords is not None:
            tied = {lemma for lemma in tied if key not in headwords(lemma)[0] and lemma not in headwords(key)[0]}
        if tied:
            held = df(key)
            tied = {lemma for lemma in tied if df(lemma) >= held}
        if tied and written is not None:
            held = written(key)
            tied = {lemma for lemma in tied if written(lemma) >= held}
        if not tied:
            continue
        name = Counter(form for form, _ in own).most_common(1)[0][0]  # (the first of equals)
        if name != key:
            out[key] = name
    return out


def _held(known: dict[tuple[str, str], int], lemma: str) -> bool:
    return known.get(("body", lemma), 0) > 0 or known.get(("title", lemma), 0) > 0


def spelling_groups(lemmas: Sequence[str], lookup: Lookup | None = None, *,
                    among: Collection[str] | None = None) -> dict[str, tuple[str, ...]]:
    """The text's ``lemmas`` (one per word, in order) as one key word per word however
    spelt: ``{key word: its spellings}``, the key word the spelling the text writes most
    (then first), its spellings that one, then the text's others, then those the text
    does not write. Two lemmas are one word when :func:`spelling_variants` gives either
    as a spelling of the other (``проект`` and ``проєкт``): the search finds both for
    either, so an article holding both is about one thing, not two. ``among``: the
    lemmas whose spellings are looked up (each of ``lemmas`` by default).

    >>> spelling_groups(["проект", "міст", "проєкт", "проєкт"])
    {'проєкт': ('проєкт', 'проект'), 'міст': ('міст',)}
    """
    count = Counter(lemmas)
    order = sorted(count, key=lambda lemma: -count[lemma])  # (the most written first, then the first)
    spelt = {lemma: [v for var in spelling_variants(lemma, lookup=lookup) for v in var.lemmas
                     if v != lemma and can_be_key(v)] if among is None or lemma in among else []
             for lemma in order}
    key_of: dict[str, str] = {}  # a text's lemma -> its key word
    listed_by: dict[str, str] = {}  # a spelling of a lemma met -> that lemma's key word
    groups: dict[str, list[str]] = {}
    for lemma in order:
        # (a spelling met earlier may list this one and not be listed by it: either joins)
        key = next((key_of[v] for v in spelt[lemma] if v in key_of), listed_by.get(lemma, lemma))
        key_of[lemma] = key
        groups.setdefault(key, []).append(lemma)
        for v in spelt[lemma]:
            listed_by.setdefault(v, key)
    return {key: tuple(dict.fromkeys([*members, *(v for m in members for v in spelt[m])]))
            for key, members in groups.items()}
