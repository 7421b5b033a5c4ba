"""Spelling variants of a Ukrainian word: the other ways Ukrainian itself allows to write it.

Pure (no index, no files): a normalised word in, the variant spellings the dictionary
confirms out. pymorphy3 lists ``вчитель`` and ``учитель``, ``проект`` and ``проєкт`` as
separate words; a reader who types one means both:

>>> [v.form for v in spelling_variants("учителів")]
['вчителів']

The rules:

- **у/в and і/й alternation** at the start of a word (``учитель``/``вчитель``,
  ``іти``/``йти``, ``увійти``/``ввійти``): the euphony rule of Ukrainian.
- **The 2019 orthography and its older forms**: ``е``/``є`` (``проект``/``проєкт``),
  ``ау``/``ав`` (``аудиторія``/``авдиторія``), ``ф``/``т`` inside a word (``міф``/``міт``,
  ``Афіни``/``Атени``).
- **Foreign names**: ``г``/``х``, ``г``/``ґ``, ``і``/``и``, a doubled or single consonant
  (``Хендрікс``/``Гендрикс``, ``Пілат``/``Пилат``, ``Весон``/``Вессон``); only for names
  (the dictionary's ``Name``/``Surn`` words) and words the dictionary does not know, since
  among common words these letters tell words apart (``бик``/``бік``).
- **Euphonic function words**: ``в``/``у``, ``і``/``й``, ``з``/``із``/``зі`` are one word
  each (in a quoted phrase too: ``"у Львові"`` finds ``в Львові``).
- **Compounds** written with a hyphen or joined (``веб-сайт``/``вебсайт``,
  ``екс-президент``/``експрезидент``).

A candidate counts only when the dictionary knows it (or, for a word the dictionary does
not know, when the caller's ``exists`` says the archive has it) and the same rewrite of
the typed word's lemma is among the candidate's lemmas: ``вчителів`` -> ``учителів`` is
confirmed by ``вчитель`` -> ``учитель``. The у/в, і/й alternation holds both ways: a
known word's alternate spelling that the dictionary lacks counts when the archive has it
(``уже``, which the dictionary reads as ``уж``, finds ``вже``, as ``вже`` finds ``уже``).
Pairs the dictionary lists as separate words with separate meanings (``вступ``/``уступ``)
are never merged: see :data:`DISTINCT`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["DISTINCT", "Variant", "is_function_word", "is_name", "spelling_variants"]

_VOWELS = set("аеєиіїоуюя")
_CONSONANTS = set("бвгґджзйклмнпрстфхцчшщ")
#: Most candidates of a word the dictionary does not know that are looked up in the archive.
MAX_INDEX_CHECKS = 16
#: Longest word that is given variants: longer ones are rare, and every candidate is a
#: dictionary look-up.
MAX_LENGTH = 40

#: у/в and і/й pairs that are different words, not two spellings of one (the dictionary
#: lists both and says nothing of their meaning). Lemmas, either order.
DISTINCT: frozenset[frozenset[str]] = frozenset(
    frozenset(p.split("/"))
    for p in (
        "вступ/уступ", "вступати/уступати", "вступити/уступити", "вступний/уступний",
        "вклад/уклад", "вкладати/укладати", "вкласти/укласти", "вкладка/укладка",
        "вправа/управа", "вдача/удача", "вникати/уникати", "вникнути/уникнути",
        "вхід/ухід", "входити/уходити", "вряд/уряд", "вдаль/удаль", "внести/унести",
        "вносити/уносити", "врізати/урізати", "врізка/урізка", "вклонитися/уклонитися",
        "вклонятися/уклонятися", "влучити/улучити", "влучати/улучати", "вдар/удар",
        "вліт/уліт", "вбір/убір", "вказ/указ", "впад/упад",
        "графа/грата", "шафа/шата", "фон/тон", "бик/бік", "мис/міс",
    )
)


@dataclass(frozen=True, slots=True)
class Variant:
    """Another spelling of a word: ``form`` as written, ``lemmas`` from the dictionary,
    ``rule`` the rewrite that links them (for ``analyze`` and ``explain``)."""

    form: str
    lemmas: tuple[str, ...]
    rule: str


Lookup = Callable[[str], tuple[tuple[str, ...], bool]]

#: The function words the euphony rule spells by their neighbours (``в Україні``, ``у
#: Львові``; ``вічна й незнищенна``; ``з Києва``, ``із Києва``, ``зі Львова``): one word
#: each, so a quoted phrase finds them written either way.
_EUPHONIC: dict[str, tuple[str, ...]] = {
    "в": ("у",), "у": ("в",), "і": ("й",), "й": ("і",),
    "з": ("із", "зі"), "із": ("з", "зі"), "зі": ("з", "із"),
}


def _alternation(word: str) -> Iterator[str]:
    """у/в and і/й at the start of a word, before a consonant."""
    if len(word) < 3 or word[1] not in _CONSONANTS:
        return
    first, rest = word[0], word[1:]
    pair = {"у": "в", "в": "у", "і": "й", "й": "і"}.get(first)
    if pair:
        yield pair + rest


def _each(word: str, old: str, new: str, *, start: int = 0) -> Iterator[str]:
    i = word.find(old, start)
    while i >= 0:
        yield word[:i] + new + word[i + len(old):]
        i = word.find(old, i + 1)


def _orthography(word: str) -> Iterator[str]:
    """е/є, ау/ав and ф/т (not the first letter): the 2019 orthography and older forms;
    ґ written where the dictionary has г (``ґіґабайт``)."""
    if "ґ" in word:
        yield word.replace("ґ", "г")
    yield from _each(word, "е", "є", start=1)
    yield from _each(word, "є", "е", start=1)
    yield from _each(word, "ау", "ав")
    yield from _each(word, "ав", "ау")
    yield from _each(word, "ф", "т", start=1)
    yield from _each(word, "т", "ф", start=1)


def _foreign(word: str) -> Iterator[str]:
    """г/х, г/ґ, і/и and doubled consonants: how foreign names are spelled in Ukrainian
    (``Ґаґа`` is as often written ``Гага``)."""
    for a, b in (("г", "х"), ("х", "г"), ("і", "и"), ("и", "і"), ("г", "ґ")):
        yield from _each(word, a, b)
    if word.count("г") > 1:
        yield word.replace("г", "ґ")
    for i in range(1, len(word)):
        c = word[i]
        if c in _CONSONANTS and word[i - 1] == c:
            yield word[:i] + word[i + 1:]  # Вессон -> Весон
        elif c in _CONSONANTS and word[i - 1] in _VOWELS and (i + 1 == len(word) or word[i + 1] in _VOWELS):
            yield word[:i] + c + word[i:]  # Весон -> Вессон (a consonant between vowels)


#: Fewest letters of a word spelled two letters apart: two changes to a shorter one reach
#: other names and words (``Ганна``: ``хана``, ``хан``). And the most: a name is seldom
#: longer, and the candidates grow with the square of the letters (a hostile query of 60
#: words of 40 such letters took twice as long).
TWICE_FROM, TWICE_UPTO = 6, 16


def _foreign_twice(word: str) -> Iterator[str]:
    """Two of :func:`_foreign`'s changes at once: a name is often spelled apart in two
    letters (``Хендрікс``/``Гендрикс``: г/х and і/и)."""
    if not TWICE_FROM <= len(word) <= TWICE_UPTO:
        return
    once = dict.fromkeys(_foreign(word))  # (in order: only the first few are looked up in the index)
    for first in once:
        for second in _foreign(first):
            if second != word and second not in once:
                yield second


def _compound(word: str) -> Iterator[str]:
    """A hyphenated compound joined, or with one of its parts spelled another way
    (``демон-вбивця`` -> ``демон-убивця``), and a joined word split by a hyphen."""
    if "-" in word:
        if word.count("-") == 1:
            yield word.replace("-", "")
        parts = word.split("-")
        for i, part in enumerate(parts):
            for other in (*_alternation(part), *_orthography(part)):
                yield "-".join([*parts[:i], other, *parts[i + 1:]])
        return
    for i in range(2, len(word) - 2):
        yield word[:i] + "-" + word[i:]


def _rewrites(lemma: str, rule: str) -> set[str]:
    gen = {"alternation": _alternation, "orthography": _orthography, "foreign": _foreign,
           "foreign twice": _foreign_twice, "compound": _compound}[rule]
    return {lemma, *gen(lemma)}


@lru_cache(maxsize=20_000)
def is_name(form: str) -> bool:
    """Whether the dictionary reads ``form`` as a first name or a surname."""
    from .analysis import _Morph

    return any({"Name", "Surn"} & set(tag.replace(" ", ",").split(",")) for _, tag in _Morph.tags(form))


def is_function_word(form: str) -> bool:
    """Whether the dictionary reads ``form`` only as a preposition, a conjunction, a
    particle or a pronoun (``крім``, ``але``, ``навіть``, ``ким``): no word of a subject."""
    from .analysis import _Morph

    tags = _Morph.tags(form.lower())
    return bool(tags) and all(tag.split(",", 1)[0].split(" ", 1)[0] in _FUNCTION_TAGS for _, tag in tags)


_FUNCTION_TAGS = frozenset({"PREP", "CONJ", "PRCL", "NPRO"})


def _candidates(form: str, lemmas: tuple[str, ...], known: bool,
                lookup: Lookup) -> tuple[tuple[Variant, bool], ...]:
    """Every confirmed variant, and whether it still needs the archive to have it."""
    out: dict[str, tuple[Variant, bool]] = {}
    rules: list[tuple[str, Callable[[str], Iterator[str]]]] = [
        ("compound", _compound), ("alternation", _alternation), ("orthography", _orthography)]
    if not known or is_name(form):
        rules[2:2] = [("foreign", _foreign), ("foreign twice", _foreign_twice)]
    for rule, gen in rules:
        for cand in dict.fromkeys(gen(form)):
            if cand == form or cand in out:
                continue
            c_lemmas, c_known = lookup(cand)
            if not c_known:
                # A word the dictionary does not know may still be how the archive writes
                # it (names, new compounds): only for typed words it does not know either,
                # and only when the archive has it. A hyphen put into a word is no such
                # spelling unless the dictionary knows the result. A name's ґ spelling
                # (``Ґете`` for ``Гете``) is rarely the dictionary's, and may be the archive's.
                g_name = rule.startswith("foreign") and "ґ" in cand and "ґ" not in form and known
                # The у/в, і/й alternation links the two spellings both ways: the unknown
                # one takes the known one as its variant, so the known one takes it back
                # when the archive has it (``уже``, read as ``уж``, and ``вже``, which the
                # dictionary lacks). One candidate a word: one look-up at most.
                mirrored = known and rule == "alternation" and not any(
                    frozenset((lemma, cand)) in DISTINCT for lemma in lemmas)
                if (not known or g_name or mirrored) and not (rule == "compound" and "-" in cand and "-" not in form):
                    out[cand] = (Variant(cand, (cand,), rule), True)
                continue
            if not known and rule.startswith("foreign"):
                # an unknown word spelled like a name the dictionary knows (``Садама``)
                c_lemmas = tuple(c for c in c_lemmas if is_name(c))
                if not c_lemmas:
                    continue
            if known:
                # The same rewrite must link the lemmas: вчителів -> учителів is confirmed
                # by вчитель -> учитель, not by a form that happens to exist.
                linked = [c for c in c_lemmas if c not in lemmas
                          and any(c in _rewrites(lemma, rule) for lemma in lemmas)
                          and (not rule.startswith("foreign") or is_name(c))]
                if not linked or any(frozenset((lemma, c)) in DISTINCT for lemma in lemmas for c in linked):
                    continue
                c_lemmas = tuple(linked)
            new = tuple(c for c in c_lemmas if c not in lemmas)
            if new:
                out[cand] = (Variant(cand, new, rule), False)
    return tuple(out.values())


_cache: dict[tuple[str, tuple[str, ...], bool], tuple[tuple[Variant, bool], ...]] = {}


def spelling_variants(form: str, lemmas: tuple[str, ...] | None = None, known: bool | None = None, *,
                      lookup: Lookup | None = None,
                      exists: Callable[[str], bool] | None = None) -> tuple[Variant, ...]:
    """Other spellings of the normalised word ``form`` that the dictionary confirms, each
    with the lemmas it adds (``lemmas``/``known``: the word's own analysis; ``lookup``:
    a normalised word -> ``(lemmas, known)``, the analyzer's by default; ``exists``: whether
    the archive has a word, asked only for words the dictionary does not know)."""
    if form in _EUPHONIC:
        return tuple(Variant(other, (other,), "у/в, і/й, з/із/зі") for other in _EUPHONIC[form])
    if len(form) > MAX_LENGTH or len(form) < 3 or not any("\u0400" <= c <= "\u04ff" for c in form):
        return ()
    if lookup is None:
        from .analysis import default_analyzer

        lookup = default_analyzer().known
    if lemmas is None or known is None:
        lemmas, known = lookup(form)
    key = (form, lemmas, known)
    found = _cache.get(key)
    if found is None:
        if len(_cache) > 20_000:
            _cache.clear()
        found = _cache[key] = _candidates(form, lemmas, known, lookup)
    out: list[Variant] = []
    asked = 0
    for v, needs_index in found:
        if needs_index:
            # each is a look-up in the index (a request, on a cluster): a few are enough
            if exists is None or asked >= MAX_INDEX_CHECKS:
                continue
            asked += 1
            if not exists(v.form):
                continue
        out.append(v)
    return tuple(out)
