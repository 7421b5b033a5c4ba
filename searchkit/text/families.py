"""Word families: the derivational relatives of a lemma (noun, verb and adjective of one root).

Pure (the dictionary only, no index). A text about a subject often names it through another
word of the same family: ``харчування`` / ``харчуватися`` / ``харчовий``, ``архів`` /
``архівний``. pymorphy3 has no derivation, so relatives are found by their stems: a lemma
loses its longest derivational ending (``харчув|ання`` -> ``харч``), the dictionary's
lemmas that start with that stem and lose their endings down to the very same stem are
its family, and only those of another part of speech are kept:

>>> relatives("архівний")
('архів', 'архівація', 'архівування', 'архівувати', 'архівуватися', 'архівіст')

Another part of speech is what keeps the family honest: ``страхування`` reaches
``страховий`` and ``страхувати``, but not ``страх`` (fear), a noun like itself.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import islice

__all__ = ["is_person_name", "relatives", "stem"]

#: Lemma endings that derivation adds, longest tried first.
SUFFIXES = tuple(sorted({
    # adjectives
    "ський", "цький", "зький", "овий", "евий", "євий", "ний", "ній", "ий", "ій", "ен",
    # nouns
    "ування", "ювання", "ання", "яння", "ення", "іння", "ння", "ість", "ство", "цтво", "ація", "яція",
    "іст", "ист", "ник", "а", "я", "о", "е", "ь",
    # verbs
    "уватися", "юватися", "увати", "ювати", "атися", "ятися", "итися", "ітися", "ати", "яти", "ити", "іти",
    "ути", "тися", "ти", "ся",
}, key=len, reverse=True))
#: Shorter stems are shared by unrelated words (``прав`` in ``право`` and ``правий``).
MIN_STEM = 4
#: Most dictionary forms read under one stem, and most relatives kept.
MAX_FORMS = 4000
MAX_RELATIVES = 8


def stem(lemma: str) -> str:
    """``lemma`` without its longest derivational ending that leaves :data:`MIN_STEM` letters."""
    for suffix in SUFFIXES:
        if lemma.endswith(suffix) and len(lemma) - len(suffix) >= MIN_STEM:
            return lemma[: -len(suffix)]
    return lemma


@lru_cache(maxsize=50_000)
def _parts_of_speech(lemma: str) -> frozenset[str]:
    """The parts of speech the dictionary gives ``lemma`` as a lemma (names excluded)."""
    from .analysis import _Morph

    out = set()
    for normal, tag in _Morph.tags(lemma):
        grammemes = set(tag.replace(" ", ",").split(","))
        if normal == lemma and not {"Name", "Surn", "Patr", "Abbr"} & grammemes:
            out.add(tag.split(",")[0].split(" ")[0])
    return frozenset(out)


@lru_cache(maxsize=20_000)
def is_person_name(lemma: str) -> bool:
    """Whether the dictionary reads ``lemma`` as a first name, surname or patronymic.

    Many common words are surnames too (``школа``, ``козак``, ``зелений``), so this alone
    says nothing; with a capital typed (``Зеленський``) it says the word names a person,
    whose family is no family: ``зелень`` is not ``Зеленський``."""
    from .analysis import _Morph

    return any(normal == lemma and {"Name", "Surn", "Patr"} & set(tag.replace(" ", ",").split(","))
               for normal, tag in _Morph.tags(lemma))


@lru_cache(maxsize=20_000)
def relatives(lemma: str) -> tuple[str, ...]:
    """Dictionary lemmas of ``lemma``'s family that are another part of speech."""
    from .analysis import _Morph

    root = stem(lemma)
    if root == lemma and len(lemma) < MIN_STEM + 1 or not ("\u0400" <= lemma[:1] <= "\u04ff"):
        return ()
    pos = _parts_of_speech(lemma)
    if not pos:
        return ()
    words, _, _ = _Morph.lookup()
    out: list[str] = []
    seen: set[str] = set()
    for form in islice(words.iterkeys(root), MAX_FORMS):
        if form in seen or form == lemma or len(form) > len(root) + 8:
            continue
        seen.add(form)
        if stem(form) != root or form not in _Morph.known_lemmas(form):
            continue
        other = _parts_of_speech(form)
        if other and not other & pos:
            out.append(form)
            if len(out) >= MAX_RELATIVES:
                break
    return tuple(out)
