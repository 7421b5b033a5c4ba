"""Russian words inside Ukrainian text: pymorphy3's Russian dictionary, and name pairs.

Ukrainian news quote Russian officials, Russian media and readers' comments, so a corpus holds
Russian words (``войны``, ``Киеве``) that the Ukrainian dictionary does not know; its guesses
for them are bogus (``киеве`` -> ``киеве``). A word goes to the Russian dictionary when it has a
letter Ukrainian does not use (``ы э ё ъ``), or when the Ukrainian dictionary does not know it
and the Russian one does; Ukrainian guesses for unknown Ukrainian words are kept either way.

The Russian dictionary is loaded on the first word that needs it (~0.2 s).

Place and personal names differ between the two languages (``Киев``/``Київ``); the table
below maps the Russian lemma to the Ukrainian one, which is added as an extra lemma so a
Russian text is found by the Ukrainian name and the other way round:

>>> ukrainian_name("харьков")
'харків'
"""

from __future__ import annotations

import re
import threading
from typing import Any

__all__ = ["RU_ONLY_LETTERS", "RU_TO_UK_NAMES", "has_russian_letters", "russian_lemmas", "ukrainian_name"]

#: Letters of Russian that Ukrainian does not use: a word with one of them is Russian.
RU_ONLY_LETTERS = "ыэёъ"
_RU_ONLY = re.compile(f"[{RU_ONLY_LETTERS}]")

#: Russian lemma -> Ukrainian lemma for places and first names whose spelling differs.
#: Lemmas as pymorphy3 gives them: lowercase, ``ё`` kept (``пётр``).
RU_TO_UK_NAMES: dict[str, str] = {
    # countries and regions
    "украина": "україна", "россия": "росія", "белоруссия": "білорусь", "беларусь": "білорусь", "польша": "польща",
    "германия": "німеччина", "европа": "європа", "крым": "крим", "донбасс": "донбас", "молдавия": "молдова",
    "грузия": "грузія", "латвия": "латвія", "эстония": "естонія", "венгрия": "угорщина", "румыния": "румунія",
    "турция": "туреччина", "франция": "франція", "великобритания": "великобританія", "англия": "англія",
    "приднестровье": "придністров'я", "закарпатье": "закарпаття",
    # cities
    "киев": "київ", "харьков": "харків", "одесса": "одеса", "львов": "львів", "днепр": "дніпро",
    "днепропетровск": "дніпропетровськ", "запорожье": "запоріжжя", "николаев": "миколаїв", "чернигов": "чернігів",
    "винница": "вінниця", "сумы": "суми", "ровно": "рівне", "луцк": "луцьк", "черновцы": "чернівці",
    "ивано-франковск": "івано-франківськ", "тернополь": "тернопіль", "хмельницкий": "хмельницький",
    "черкассы": "черкаси", "кропивницкий": "кропивницький", "кировоград": "кіровоград", "донецк": "донецьк",
    "луганск": "луганськ", "мариуполь": "маріуполь", "симферополь": "сімферополь", "керчь": "керч",
    "артемовск": "артемівськ", "краматорск": "краматорськ", "славянск": "слов'янськ", "северодонецк": "сєвєродонецьк",
    "лисичанск": "лисичанськ", "мелитополь": "мелітополь", "бердянск": "бердянськ", "энергодар": "енергодар",
    "ирпень": "ірпінь", "изюм": "ізюм", "купянск": "куп'янськ", "кременчуг": "кременчук", "чернобыль": "чорнобиль",
    "припять": "прип'ять", "авдеевка": "авдіївка", "горловка": "горлівка", "макеевка": "макіївка", "минск": "мінськ",
    "днестр": "дністер",
    # first names
    "владимир": "володимир", "александр": "олександр", "алексей": "олексій", "андрей": "андрій", "сергей": "сергій",
    "николай": "микола", "михаил": "михайло", "дмитрий": "дмитро", "юрий": "юрій", "виктор": "віктор",
    "игорь": "ігор", "евгений": "євген", "пётр": "петро", "павел": "павло", "иван": "іван", "григорий": "григорій",
    "василий": "василь", "валерий": "валерій", "анатолий": "анатолій", "геннадий": "геннадій", "аркадий": "аркадій",
    "арсений": "арсеній", "елена": "олена", "татьяна": "тетяна", "наталья": "наталія", "екатерина": "катерина",
    "ирина": "ірина", "мария": "марія", "юлия": "юлія", "светлана": "світлана",
    # surnames spelled differently
    "зеленский": "зеленський", "путин": "путін", "медведев": "медведєв", "залужный": "залужний",
    "сырский": "сирський",
}


class _Ru:
    """pymorphy3's Russian analyzer, created on the first word that needs it."""

    _lock = threading.Lock()
    _morph: Any = None
    _missing = False

    @classmethod
    def get(cls) -> Any:
        if cls._morph is None and not cls._missing:
            with cls._lock:
                if cls._morph is None and not cls._missing:
                    from .analysis import morph_analyzer

                    try:
                        cls._morph = morph_analyzer("ru")
                    except (ValueError, ImportError, OSError):
                        # The dictionary package is a dependency; a broken install degrades
                        # to Ukrainian-only analysis instead of failing every search.
                        cls._missing = True
        return cls._morph


def has_russian_letters(form: str) -> bool:
    """True when ``form`` has a letter that only Russian uses (``ы э ё ъ``)."""
    return _RU_ONLY.search(form) is not None


def ukrainian_name(ru_lemma: str) -> str | None:
    """The Ukrainian lemma of a Russian place or first name, if the table has it."""
    return RU_TO_UK_NAMES.get(ru_lemma)


def russian_lemmas(form: str, *, guess: bool) -> tuple[tuple[str, ...], bool]:
    """Russian lemmas of a normalised word (Ukrainian name pairs added) and whether the
    Russian dictionary knows it.

    Only dictionary parses count unless ``guess`` is true (the word is certainly Russian);
    then the best guess stands in. No lemmas when the word is not Russian as far as the
    dictionary can tell.

    >>> russian_lemmas("киеве", guess=False)
    (('киев', 'київ'), True)
    """
    morph = _Ru.get()
    if morph is None:
        return (), False
    if not guess and not morph.word_is_known(form):
        return (), False  # a dictionary look-up: ~100x cheaper than parsing an unknown word
    parses = morph.parse(form)
    known = [p for p in parses if p.is_known]
    if not known and not guess:
        return (), False
    out: list[str] = []
    for p in known or parses[:1]:
        for lemma in (p.normal_form, ukrainian_name(p.normal_form)):
            if lemma and lemma not in out:
                out.append(lemma)
    return tuple(out), bool(known)
