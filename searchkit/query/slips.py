"""How likely one spelling is a slip for another: an edit distance in which the slips
Ukrainian writers make most often cost half an edit.

Plain edit distance calls ``залетали`` as near to ``залежали`` as to ``залітали`` and
``їдте`` as near to ``їжте`` as to ``їдьте``; people, though, confuse the vowels that
sound alike or alternate (``е``/``и``/``і`` unstressed, ``і``/``ї``, ``е``/``є``, ``і``/``й``),
drop or add the soft sign and the apostrophe, and single or double a consonant
(``гривенником``/``гривеником``) far more often than they hit a random key. Among
corrections as many edits away, the one reached by such slips is the likelier:

>>> slip_cost("залетали", "залітали"), slip_cost("залетали", "залежали")
(0.5, 1.0)
>>> slip_cost("їдте", "їдьте"), slip_cost("їдте", "їжте")
(0.5, 1.0)
"""

from __future__ import annotations

__all__ = ["first_letter_slips", "slip_cost"]

#: Letters confused with each other in writing: a substitution within a group is half an
#: edit. ``е``/``и``/``і`` sound alike unstressed; ``і`` alternates with ``о`` and ``е``
#: in one word's forms (``кінь``/``коня``, ``піч``/``печі``), so ``безпорідна`` is a slip for
#: ``безпородна`` rather than ``безпорадна``.
CONFUSED = ("еиіє", "оі", "іїй", "ую", "ая")
#: Letters added or left out easily: the soft sign and the apostrophe.
LIGHT = frozenset("ь'")
CHEAP = 0.5
#: The soft sign and the apostrophe mark the same place (``конс'юмеризм``/``консьюмеризм``):
#: writing one for the other is likelier still than leaving either out.
MARKS = 0.25

#: A letter struck for another that is no neighbour of it on the ЙЦУКЕН keyboard and is not
#: confused with it: a rarer slip than a letter left out or added (``стави`` is
#: ``страви`` short of a letter likelier than ``стали`` with ``в`` for ``л``).
FAR = 1.25
ROWS = ("йцукенгшщзхї", "фівапролджє", "ячсмитьбю")


def _neighbours() -> set[tuple[str, str]]:
    """Pairs of keys side by side on the ЙЦУКЕН keyboard, in its row or the next."""
    out: set[tuple[str, str]] = set()
    for r, row in enumerate(ROWS):
        for i, a in enumerate(row):
            near = [row[i + 1]] if i + 1 < len(row) else []
            if r + 1 < len(ROWS):  # a key touches the two below it, half a key to the left
                below = ROWS[r + 1]
                near += [below[j] for j in (i - 1, i) if 0 <= j < len(below)]
            for b in near:
                out |= {(a, b), (b, a)}
    return out


_NEIGHBOURS = _neighbours()
_PAIRS = {(a, b): CHEAP for group in CONFUSED for a in group for b in group if a != b}
_PAIRS |= {("ь", "'"): MARKS, ("'", "ь"): MARKS}
#: ``и`` for ``і`` and back is the commonest slip of all: in real misspellings of one
#: letter (UA-GEC's, as realtypo-dev holds them) 56 of 391, three times ``е``/``и`` (19),
#: so ``мовни`` is ``мовні`` before ``мовне``.
I_Y = 0.35
_PAIRS |= {("и", "і"): I_Y, ("і", "и"): I_Y}


#: Added to the cost of a correction that only the Russian dictionary knows: a Ukrainian
#: archive's query is Ukrainian, so ``Украіна`` is ``Україна`` (``і`` for ``ї``, 0.5), not
#: ``Украина`` (``і`` for ``и``, 0.35), though the archive quotes both.
RUSSIAN = 0.25


def _indel(word: str, i: int) -> float:
    """The cost of leaving out (or adding) ``word[i]``: cheap for a light letter or one
    that doubles a neighbour."""
    c = word[i]
    if c in LIGHT or (i > 0 and word[i - 1] == c) or (i + 1 < len(word) and word[i + 1] == c):
        return CHEAP
    return 1.0


def slip_cost(typed: str, word: str, *, far: float = 1.0) -> float:
    """The cheapest way to turn ``typed`` into ``word`` by insertions, deletions,
    substitutions and swaps of neighbours, the common slips (:data:`CONFUSED`, :data:`LIGHT`,
    doubled letters) costing :data:`CHEAP` and a soft sign for an apostrophe :data:`MARKS`;
    a letter for one neither confused with it nor its keyboard neighbour costs ``far``.
    Both words are lower-cased already and at most
    :data:`~searchkit.query.suggest.MAX_CORRECTED` letters long, so the table stays small."""
    n, m = len(typed), len(word)
    prev2: list[float] = []
    prev = [0.0] * (m + 1)
    for j in range(1, m + 1):
        prev[j] = prev[j - 1] + _indel(word, j - 1)
    for i in range(1, n + 1):
        cur = [prev[0] + _indel(typed, i - 1)] + [0.0] * m
        a = typed[i - 1]
        for j in range(1, m + 1):
            b = word[j - 1]
            # (the keyboard looked at only when a far key costs more: this is the inner loop)
            sub = 0.0 if a == b else _PAIRS.get((a, b)) or (far if far != 1.0 and (a, b) not in _NEIGHBOURS else 1.0)
            best = min(prev[j] + _indel(typed, i - 1), cur[j - 1] + _indel(word, j - 1), prev[j - 1] + sub)
            if i > 1 and j > 1 and a == word[j - 2] and typed[i - 2] == b:
                best = min(best, prev2[j - 2] + 1.0)
            cur[j] = best
        prev2, prev = prev, cur
    return prev[m]


#: First letters that alternate at the start of a word, besides the confused ones: ``у``
#: and ``в`` (``учитель``/``вчитель``), which also start a foreign name's two spellings
#: (``Уайсон``/``Вейсон``).
FIRST_ALTERNATING = (("у", "в"), ("в", "у"))


def first_letter_slips(word: str) -> list[str]:
    """``word`` with its first letter replaced by each letter it is commonly confused with
    (``йосіфовича`` for ``іосіфовича``) or alternates with (``уайсона`` for ``вейсона``):
    the vocabulary is searched with the first letter kept, so a slip there is reached
    only through these."""
    head, rest = word[:1], word[1:]
    return [b + rest for (a, b) in (*_PAIRS, *FIRST_ALTERNATING) if a == head]
