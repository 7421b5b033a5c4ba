"""Latin spellings of Ukrainian words back to Cyrillic (pure: no index, no dictionary).

People type names the way passports, maps and foreign news spell them: ``Kyiv``,
``Zelenskyi``, ``Kharkiv``, or the older ``Kiev``. The official 2010 transliteration
(Cabinet of Ministers resolution No. 55) is read backwards, which is ambiguous: ``i`` may
be і, ї or й, the soft sign and the apostrophe are dropped, ``ia`` is я or ія, ``kh`` is х
or к+г. Every reading is generated letter by letter and a branch is dropped as soon as no
word of the index starts that way (``has_prefix``), so only real words come out:

>>> vocabulary = {"виноградова", "київ"}
>>> has = lambda p: any(w.startswith(p) for w in vocabulary)
>>> candidates("Vynohradova", has_prefix=has, exists=vocabulary.__contains__)
['виноградова']

Informal spellings (``ya``/``ja``, ``w``, ``x``, ``iy``) cost more than official ones, so an
official reading wins when both exist; well-known exonyms (``Kiev``, ``Kharkov``, ``Odessa``)
come from a small table of names whose foreign spelling no rule reaches.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .normalize import APOSTROPHES, HYPHENS, normalize_word

__all__ = ["EXONYMS", "best_reading", "candidates", "is_latin_word"]

#: Official 2010 readings (cost 0) of each Latin letter group. Longest groups first.
_OFFICIAL: dict[str, tuple[str, ...]] = {
    "shch": ("щ",),
    "zgh": ("зг",),
    "kh": ("х", "кг"),
    "zh": ("ж",),
    "ts": ("ц", "тс"),
    "ch": ("ч",),
    "sh": ("ш", "сг"),
    "ye": ("є",),
    "yi": ("ї", "ий"),
    "yu": ("ю",),
    "ya": ("я",),
    "ie": ("є", "іє", "іе"),
    "iu": ("ю", "ію", "іу"),
    "ia": ("я", "ія", "іа"),
    "a": ("а",),
    "b": ("б",),
    "v": ("в",),
    "h": ("г",),
    "g": ("ґ", "г"),
    "d": ("д",),
    "e": ("е",),
    "z": ("з",),
    "y": ("и", "й"),
    "i": ("і", "ї", "й"),
    "k": ("к",),
    "l": ("л",),
    "m": ("м",),
    "n": ("н",),
    "o": ("о",),
    "p": ("п",),
    "r": ("р",),
    "s": ("с",),
    "t": ("т",),
    "u": ("у",),
    "f": ("ф",),
}

#: Informal and foreign-keyboard spellings (cost 1 each).
_INFORMAL: dict[str, tuple[str, ...]] = {
    "sch": ("щ",),
    "tch": ("ч",),
    "ja": ("я",),
    "ju": ("ю",),
    "je": ("є",),
    "ji": ("ї",),
    "yo": ("йо", "ьо"),
    "jo": ("йо", "ьо"),
    "iy": ("ий", "ій"),
    "yy": ("ий",),
    "ii": ("ій", "ії"),
    "ph": ("ф",),
    "ck": ("к",),
    "ee": ("і",),
    "oo": ("у",),
    "ou": ("у",),
    "w": ("в",),
    "x": ("кс",),
    "j": ("й", "дж"),
    "c": ("ц", "к"),
    "q": ("к",),
    "e": ("є",),
    "i": ("и",),
    "y": ("і", "ий"),
    "g": ("дж",),
}

#: Letters after which the (dropped) soft sign may stand.
_SOFTENED = set("дзлнстцр")
#: Letters after which the (dropped) apostrophe may stand, before я, ю, є, ї.
_HARD = set("бпвмфрк")
_IOTATED = set("яюєї")

#: Established foreign names of Ukrainian places that no letter rule turns into the
#: Ukrainian word (they come from Russian). Lowercase Latin -> Ukrainian word.
EXONYMS: dict[str, str] = {
    "kiev": "київ",
    "kyiv": "київ",
    "kharkov": "харків",
    "odessa": "одеса",
    "lvov": "львів",
    "nikolaev": "миколаїв",
    "nikolayev": "миколаїв",
    "zaporozhye": "запоріжжя",
    "zaporozhe": "запоріжжя",
    "dnepr": "дніпро",
    "dnipropetrovsk": "дніпропетровськ",
    "chernigov": "чернігів",
    "chernobyl": "чорнобиль",
    "rovno": "рівне",
    "lugansk": "луганськ",
    "ivano-frankovsk": "івано-франківськ",
    "kirovograd": "кіровоград",
    "vinnitsa": "вінниця",
    "zhitomir": "житомир",
    "uzhgorod": "ужгород",
    "crimea": "крим",
    "ukraine": "україна",
}

#: any apostrophe or hyphen the analyzer joins words with (``Ivano‑Frankivsk``, U+2011)
_LATIN_WORD = re.compile(rf"^[A-Za-z][A-Za-z{re.escape(APOSTROPHES + HYPHENS)}]*$")
MAX_COST = 3
MAX_BRANCHES = 4000


def is_latin_word(word: str) -> bool:
    """True for a word written in Latin letters only (apostrophes and hyphens allowed)."""
    return bool(_LATIN_WORD.match(word))


def candidates(word: str, *, has_prefix: Callable[[str], bool], exists: Callable[[str], bool],
               limit: int = 5) -> list[str]:
    """Cyrillic words (lowercase) that ``word`` may be a Latin spelling of, best first.

    ``has_prefix(p)`` tells whether some indexed word starts with ``p``; ``exists(w)``
    whether ``w`` itself is indexed. Readings with fewer informal rules come first.
    """
    latin = normalize_word(word)  # (lowercase, one apostrophe, one hyphen)
    found: dict[str, int] = {}
    exo = EXONYMS.get(latin)
    if exo and exists(exo):
        found[exo] = 0
    if "-" in latin:
        # Compounds (Ivano-Frankivsk) are read part by part and joined.
        parts = [candidates(p, has_prefix=has_prefix, exists=lambda _w: True, limit=1) for p in latin.split("-")]
        if all(parts):
            joined = "-".join(p[0] for p in parts)
            if exists(joined):
                found.setdefault(joined, 1)
    else:
        _expand(latin.replace("'", ""), has_prefix, exists, found)
    return sorted(found, key=lambda w: (found[w], len(w)))[:limit]


def best_reading(word: str, *, has_prefix: Callable[[str], bool]) -> str | None:
    """The Cyrillic reading of ``word`` that the index confirms furthest, completed by the
    official readings of the remaining letters (``Kahamlychka`` -> ``кагамличка`` when the
    index has only ``Кагамлички``); ``None`` when not even the first letters are confirmed.
    A spelling corrector takes it from there."""
    latin = normalize_word(word).replace("'", "")
    deepest: list[tuple[int, int, str]] = []
    _expand(latin, has_prefix, lambda _w: False, {}, deepest)
    if not deepest:
        return None
    i, _, out = deepest[0]
    if i < len(latin) / 2:
        return None
    while i < len(latin):
        steps = _steps(latin, i, out)
        if not steps:
            return None  # a character no table reads ("A-"): there is no reading to offer
        step, cyr, _cost = steps[0]
        out += cyr
        i += step
    return out


def _expand(latin: str, has_prefix: Callable[[str], bool], exists: Callable[[str], bool],
            found: dict[str, int], deepest: list[tuple[int, int, str]] | None = None) -> None:
    budget = [MAX_BRANCHES]
    seen: set[tuple[int, str]] = set()

    def walk(i: int, out: str, cost: int) -> None:
        if budget[0] <= 0 or (i, out) in seen:
            return
        budget[0] -= 1
        seen.add((i, out))
        if deepest is not None and (not deepest or (i, -cost) > (deepest[0][0], -deepest[0][1])):
            deepest[:] = [(i, cost, out)]
        if i == len(latin):
            for word in (out, out + "ь") if out[-1:] in _SOFTENED else (out,):
                if word and exists(word) and cost < found.get(word, MAX_COST + 1):
                    found[word] = cost
            return
        for step, cyr, extra in _steps(latin, i, out):
            if cost + extra > MAX_COST:
                continue
            for variant in _with_dropped_signs(out, cyr):
                nxt = out + variant
                if has_prefix(nxt):
                    walk(i + step, nxt, cost + extra)

    walk(0, "", 0)


def _steps(latin: str, i: int, out: str) -> list[tuple[int, str, int]]:
    """``(letters consumed, Cyrillic, cost)`` for every reading of the group at ``i``."""
    steps = []
    for table, cost in ((_OFFICIAL, 0), (_INFORMAL, 1)):
        for n in (4, 3, 2, 1):
            group = latin[i : i + n]
            if len(group) < n:
                continue
            for cyr in table.get(group, ()):
                # Word-initially the official table spells й as "y" and є, ї, ю, я with "y";
                # inside a word "i" stands for й and "ie/iu/ia" for є/ю/я. Both are accepted
                # anywhere, but the position-true reading costs nothing.
                steps.append((n, cyr, cost))
    return steps


def _with_dropped_signs(out: str, cyr: str) -> list[str]:
    """``cyr`` as read, plus the soft sign or apostrophe the transliteration dropped."""
    variants = [cyr]
    last = out[-1:] if out else ""
    if last in _SOFTENED and cyr[0] not in "ьаеиоуі'" and cyr[0] not in _IOTATED:
        variants.append("ь" + cyr)
    if last in _SOFTENED and cyr[0] == "о":
        variants.append("ь" + cyr)  # ьо: Соловйов's cousin, Кольо
    if last in _HARD and cyr[0] in _IOTATED:
        variants.append("'" + cyr)
    return variants
