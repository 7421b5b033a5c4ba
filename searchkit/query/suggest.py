"""Spelling corrections for query words, in the grammatical form the user typed.

A word that no article contains (``окупаціний``, ``політвязнів``) is probably mistyped.
Its candidates are the indexed words within two edits of it, plus the dictionary words one
edit away whose lemma is indexed (so ``політвязнями`` reaches ``політв'язнями`` even when no
article has that very form). Each candidate is then re-inflected: of all the forms of its
lexeme, the one closest to what the user typed is kept, so the suggestion keeps the user's
case and number:

>>> osa_distance("політвязнів", "політв'язнів")
1

The choice between candidates belongs to the caller, who can check which of them find
articles together with the other query words (see ``Engine.search``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from ..text.analysis import Analyzer, dictionary_lemmas, known_words, ukrainian_morphology
from ..text.normalize import APOSTROPHES, CYRILLIC, HYPHENS, hyphen_parts, normalize_word
from .parse import STOP_WORDS
from .slips import FAR, RUSSIAN, first_letter_slips, slip_cost

__all__ = ["Correction", "Vocabulary", "corrections", "match_case", "max_edits", "osa_distance", "replace_word"]

#: Letters a Ukrainian word may be mistyped with (edits against the dictionary).
ALPHABET = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя'"


class Vocabulary(Protocol):
    """What the index knows about its words."""

    def frequency(self, word: str) -> int:
        """How many articles hold ``word`` as a written form or as a lemma."""
        ...

    def near(self, word: str, maxdist: int) -> Iterable[str]:
        """Indexed forms and lemmas within ``maxdist`` Levenshtein edits of ``word``."""
        ...


@dataclass(frozen=True, slots=True)
class Correction:
    """A replacement for one query word: ``word`` is what to search and show."""

    typed: str
    word: str
    distance: int
    frequency: int
    #: :func:`~searchkit.query.slips.slip_cost` of the change: what orders corrections
    #: as near (the commoner slip first)
    cost: float = 0.0


#: Longer words are not corrected: no Ukrainian word is that long, and the candidates of
#: a word grow with its length (a 3,200-letter word took minutes and gigabytes).
MAX_CORRECTED = 32


#: From this many letters a word that nothing else corrects may be two edits away (see
#: :func:`max_edits`).
STRETCH_FROM = 5


def max_edits(word: str, *, stretch: bool = False) -> int:
    """How many edits a correction of ``word`` may be away: none for short words, whose
    neighbours are mostly other real words, one from four letters, two from eight, and
    none past :data:`MAX_CORRECTED` letters. None for a word with a digit: ``2022`` is
    not a slip for ``2020``, nor ``covid19`` for ``covid-18``. ``stretch`` (a query
    that would otherwise find nothing): two from :data:`STRETCH_FROM` letters, as a
    foreign name is often spelt two letters apart (``Уайсон``, ``Вейсон``)."""
    n = len(word)
    if n < 4 or n > MAX_CORRECTED or any(c.isdigit() for c in word):
        return 0
    if stretch and n >= STRETCH_FROM:
        return 2
    return 1 if n < 8 else 2


def osa_distance(a: str, b: str, limit: int | None = None) -> int:
    """Edit distance counting a swap of two neighbouring letters as one edit (optimal
    string alignment), the commonest typing slip; ``limit + 1`` for anything further than
    ``limit``. RapidFuzz's C++ (a correction compares the typed word with every form of
    each candidate's lexeme: hundreds of pairs, 45 µs each in pure Python, 0.2 µs here;
    imported when first needed, as it takes 14 ms to import; then kept, as an import
    statement run per pair cost more than the comparison)."""
    global _osa
    if _osa is None:
        from rapidfuzz.distance import OSA

        _osa = OSA.distance
    return _osa(a, b, score_cutoff=limit)


_osa: Callable[..., int] | None = None


def _edits1(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in ALPHABET}
    out |= {a + c + b for a, b in splits for c in ALPHABET}
    out.discard(word)
    return out


def _dictionary_neighbours(form: str) -> set[str]:
    """Dictionary words one edit from ``form`` (only for Cyrillic words)."""
    if not CYRILLIC.search(form):
        return set()
    return known_words(_edits1(form))


def _closest_form(typed: str, candidate: str) -> tuple[str, int]:
    """The form of ``candidate``'s lexeme nearest to ``typed``, and its distance."""
    best = (candidate, osa_distance(typed, candidate))
    if not CYRILLIC.search(candidate):
        return best
    parses = [p for p in ukrainian_morphology().parse(candidate) if p.is_known]
    if best[1] == 1 and set(dictionary_lemmas(typed)).isdisjoint(p.normal_form for p in parses):
        # One edit away already: only the word typed itself (no edit) is nearer, and it
        # is a form of none of these lexemes. Their forms (a verb has a hundred) are not
        # built: a third of a correction's time, and every candidate of a one-edit
        # correction is one edit away.
        return best
    for parse in parses:
        for form in parse.lexeme:
            d = osa_distance(typed, form.word, best[1])
            if d < best[1] or (d == best[1] and form.word == candidate):
                best = (form.word, d)
    return best


def corrections(typed: str, vocab: Vocabulary, analyzer: Analyzer, *, limit: int = 5,
                edits: int = 2, written: bool = False, stretch: bool = False) -> list[Correction]:
    """Likely corrections of the query word ``typed``, nearest and commonest first.

    Only words the index has (as a form or a lemma) are offered, never a function word
    (``яка`` for ``ятка`` would leave the query a word short); each comes in the letter
    case and, where the dictionary knows the word, the grammatical form the user typed.
    ``edits`` caps the distance (a real word mistyped into another is one slip away);
    ``written`` (a real word taken for a slip): only words some article holds in that
    very form, a far key costing more (:data:`~searchkit.query.slips.FAR`). ``stretch``:
    see :func:`max_edits`.
    """
    form = normalize_word(typed)
    k = min(max_edits(form, stretch=stretch), edits)
    if k == 0:
        return []
    # One edit first (with the dictionary's neighbours, swaps included): the commonest
    # slips, and a two-edit scan of the whole vocabulary costs ten times more.
    scored: dict[str, Correction] = {}
    _score(typed, form, set(vocab.near(form, 1)) | _dictionary_neighbours(form), k, vocab, analyzer, scored,
           written)
    if not scored and k > 1:
        pool = set(vocab.near(form, k))
        for slipped in first_letter_slips(form):  # one of the edits a common slip in the first letter
            pool |= set(vocab.near(slipped, k - 1))
        _score(typed, form, pool, k, vocab, analyzer, scored, written)
    # A slip in the first letter is rarer than one further on (people see what they start
    # with): among corrections as near, those keeping the first letter come first.
    return sorted(scored.values(), key=lambda c: (c.cost, c.word[:1].lower() != form[:1], -c.frequency,
                                                  c.word))[:limit]


def _score(typed: str, form: str, pool: set[str], k: int, vocab: Vocabulary, analyzer: Analyzer,
           scored: dict[str, Correction], written: bool = False) -> None:
    pool.discard(form)
    if written and k == 1:
        # One edit away, a candidate's nearest form is itself (or the word typed, which is
        # no correction): one that no article writes is out before its lexeme is read (a
        # real word's dictionary neighbours are dozens, most of them absent from the archive)
        pool = {cand for cand in pool if vocab.frequency(cand)}
    for cand in pool:
        word, dist = _closest_form(form, cand)
        # two edits reach far into a short word: ``Пілат`` is not ``Піт`` (the allowance of
        # :func:`max_edits` holds for the correction as for the word typed)
        if dist == 0 or dist > k or dist > 1 and len(word) < STRETCH_FROM:
            continue
        tok = analyzer.analyze(word)
        if len(tok) != 1 or word in STOP_WORDS or not _spelt_in_letters(word):
            continue
        own = vocab.frequency(word)
        freq = max([own, *(vocab.frequency(lemma) for lemma in tok[0].lemmas)])
        if freq == 0 or (written and own == 0):
            continue
        cost = slip_cost(form, word, far=FAR if written else 1.0)
        if analyzer.origin(tok[0].form) == "ru":
            cost += RUSSIAN
        old = scored.get(word)
        if old is None or (cost, -freq) < (old.cost, -old.frequency):
            scored[word] = Correction(typed, match_case(typed, word), dist, freq, cost)


def _spelt_in_letters(word: str) -> bool:
    """Whether ``word`` is letters only (joined by apostrophes or hyphens). A word typed
    with a digit is never corrected (:func:`max_edits`), so a candidate with one is no
    spelling of it but the word with junk glued on: ``Зеленський1``, a title's footnote
    mark, was a near spelling of ``Зеленський``."""
    return all(c.isalpha() or c in _JOINING for c in word)


_JOINING = frozenset(APOSTROPHES + HYPHENS)
_JOINS = re.escape(APOSTROPHES + HYPHENS)  # (in a character class)


def match_case(typed: str, word: str) -> str:
    """``word`` in the letter case of ``typed``: ``ЛЬВІВ``, ``Львів`` or ``львів``; a
    compound part by part (``Івано-Франківськ``, ``Нью-Йорк``).

    >>> match_case("Івано-франкывськ", "івано-франківськ"), match_case("Івано-Франкывськ", "івано-франківськ")
    ('Івано-франківськ', 'Івано-Франківськ')
    """
    typed_parts, parts = hyphen_parts(typed), word.split("-")  # (``word``, a normal form, has only -)
    if len(parts) > 1 and len(typed_parts) == len(parts):
        return "-".join(_match_case(t, w) for t, w in zip(typed_parts, parts, strict=True))
    return _match_case(typed, word)


def _match_case(typed: str, word: str) -> str:
    # (ʼ, ʹ and ꞌ, apostrophes Unicode counts as letters, have no case)
    letters = [c for c in typed if c.isalpha() and c not in _JOINING]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return word.upper()
    if letters and letters[0].isupper():
        return word[:1].upper() + word[1:]
    return word


def replace_word(query: str, old: str, new: str) -> str:
    """``query`` with the first stand-alone occurrence of the word ``old`` replaced: not
    one joined to another word by any apostrophe or hyphen the analyzer joins words with
    (``Франкивськ`` is not the one in ``Івано‑Франкивськ``, a non-breaking hyphen)."""
    pattern = re.compile(rf"(?<![\w{_JOINS}]){re.escape(old)}(?![\w{_JOINS}])")
    return pattern.sub(lambda _m: new, query, count=1)
