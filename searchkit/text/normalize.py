"""Pure text normalisation for Ukrainian words: ``str -> str``, no dictionaries, no state.

pymorphy3's Ukrainian dictionary knows only the ASCII apostrophe (U+0027), no stress marks,
no invisible characters and no Latin letters inside Cyrillic words. Any of those makes a
known word unknown and yields a bogus guessed lemma, so every word is folded here first:

>>> normalize_word("ПОЛІТВʼЯЗНІВ")
"політв'язнів"
>>> normalize_word("мо\u0301ва")
'мова'
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "APOSTROPHES",
    "CYRILLIC",
    "HYPHENS",
    "INVISIBLE",
    "LINE_BREAKS",
    "QUOTE_APOSTROPHE",
    "QUOTES",
    "SOFT_HYPHEN",
    "STRESS_MARKS",
    "fold_fullwidth",
    "fold_lookalikes",
    "hyphen_parts",
    "joined_across_lines",
    "normalize_word",
    "straight_quotes",
    "strip_marks",
]

#: Characters people and keyboards use for the Ukrainian apostrophe (all fold to U+0027);
#: the saltillo (U+A78C) is a Latin letter some layouts put on the apostrophe key.
APOSTROPHES = "'\u2019\u02bc\u2018`\u00b4\u2032\u02b9\uff07\ua78c"
#: A double quote typed for the apostrophe (``пам"ятник``, and Word's ``пам”ятник``: it
#: makes a typed ``"`` after a letter a closing quote): a quote between a Cyrillic letter
#: and ``я``, ``ю``, ``є`` or ``ї``, where Ukrainian writes its apostrophe and a quote mark
#: never stands (UA-GEC's corrected texts still hold 8, each an apostrophe); before a
#: capital only after a capital (``ПАМ"ЯТНИК``, not ``слово"Ялта"``). The word pattern
#: joins a word across it and :func:`normalize_word` folds it to U+0027.
#: (The quote first: a word pattern tries this at every word's end, where it then fails at once.)
QUOTE_APOSTROPHE = re.compile('["\u201c\u201d](?:(?<=[\u0400-\u045f\u0490\u0491].)(?=[яюєї])'
                              '|(?<=[\u0400-\u042f\u0490].)(?=[ЯЮЄЇ]))')
#: Quote marks a query's phrase may be typed in besides ``"`` (``«нова школа»``, ``„нова
#: школа“``, Word's ``“нова школа”``): each opens one, closed by its pair (:data:`_PAIRS`),
#: else by the next quote mark of any kind (``«нова школа"``).
QUOTES = "«»„“”"
#: Hyphen look-alikes that join the parts of a compound word (dashes are punctuation, not here).
HYPHENS = "-\u2010\u2011\u2012\u2043\ufe63\uff0d"
#: Combining stress marks: acute (dictionaries, textbooks) and grave.
STRESS_MARKS = "\u0301\u0300"
#: Word's optional hyphen (U+00AD): where a word may break at a line end, invisible
#: elsewhere. Stored as imported; what a hit shows (its title and snippet, in every output
#: and export) goes without it (see :func:`searchkit.text.highlight.shown`).
SOFT_HYPHEN = "\u00ad"
#: Characters that are invisible in print but break dictionary look-ups.
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff\u180e"
#: What ends a line (``str.splitlines`` breaks at these): a word hyphenated at a line end
#: goes on after one of them.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"

_DROP = {ord(c): None for c in STRESS_MARKS + INVISIBLE}
#: Fullwidth Latin letters and figures (``ＫＹＩＶ``, from East Asian input methods) are the
#: ASCII ones (U+FF01-FF5E are U+0021-007E, in order)
_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
# (a double quote is inside a word only as :data:`QUOTE_APOSTROPHE` puts it there)
_FOLD = (_FULLWIDTH | {ord(c): "'" for c in APOSTROPHES + '"\u201c\u201d'}
         | {ord(c): "-" for c in HYPHENS})

# Latin letters that look like Cyrillic ones; OCR and mixed keyboard layouts leave them
# inside Cyrillic words. Only repaired in words that already contain Cyrillic letters.
# ``ï`` is the Latin twin of ``ї`` (``Украïна``): as ``i`` is of ``і``.
LATIN_LOOKALIKES = "aceiopxyABCEHIKMOPTXYkmtbhïÏ"
_LOOKALIKES = str.maketrans(LATIN_LOOKALIKES, "асеіорхуАВСЕНІКМОРТХУкмтвнїЇ")
#: A Cyrillic letter (a word with one is read as Cyrillic: look-alikes repaired, looked up)
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_QUOTE = re.compile('["' + QUOTES + "]")
#: what a quote with no pair after it quotes, if anything: a letter or figure
_QUOTED_TEXT = re.compile(r"[^\W_]")
#: The marks that close a phrase each quote mark opens, as typography pairs them: ``«…»``,
#: ``„…“`` (or ``„…”``), ``“…”``, ``»…«``, ``”…”``, and ``"…"``.
_PAIRS = {'"': '"', "«": "»", "„": "“”", "“": "”", "»": "«", "”": "”"}
#: The hyphen and line break inside a word the analyzer joined across a line end
#: (``украї-\nнська``): no word holds white space otherwise.
_LINE_END = re.compile(rf"[{re.escape(HYPHENS)}]?\s+")
_LATIN = re.compile(r"[A-Za-zïÏ]")
_HYPHEN = re.compile(f"[{re.escape(HYPHENS)}]")


def fold_fullwidth(text: str) -> str:
    """``text`` with its fullwidth Latin letters, figures and signs as ASCII (``ＫＹＩＶ``)."""
    return text.translate(_FULLWIDTH) if any("\uff01" <= c <= "\uff5e" for c in text) else text


def straight_quotes(query: str) -> str:
    """``query`` with the quote marks that open and close each phrase as ``"``, quote marks
    inside a phrase or left over from one as spaces, and every quote typed for the
    apostrophe (:data:`QUOTE_APOSTROPHE`) as ``'``, character for character (offsets into
    one are offsets into the other): the one reading of what a query quotes, for its parser
    and for its date phrases (a date inside quotes is words).

    A phrase runs from a quote mark to its pair (:data:`_PAIRS`), quotes quoted inside it
    being part of its text (``"газета «День»"``, ``«мова „школа“»``), or, with no pair
    after it before a mark that opens another phrase the same way, to the next quote mark
    of any kind (``«нова школа"``); a mark with none after it opens a phrase that runs to
    the end, unless no letter or figure follows it: then it quotes nothing. So the pair
    in mismatched quotes is the phrase: ``"мова «школа" »`` is ``"мова школа"``, its
    ``«`` and ``»`` no phrase of their own.

    >>> straight_quotes('«нова школа» „мова“')
    '"нова школа" "мова"'
    >>> straight_quotes('"мова «школа" »')
    '"мова  школа"  '
    >>> straight_quotes('пам"ятник')
    "пам'ятник"
    """
    query = QUOTE_APOSTROPHE.sub("'", query)
    if not _QUOTE.search(query):
        return query
    marks = [m.start() for m in _QUOTE.finditer(query)]
    out = list(query)
    k = 0
    while k < len(marks):
        opener = query[marks[k]]
        end = k + 1 if k + 1 < len(marks) else None  # (no pair: the next mark closes it)
        for j in range(k + 1, len(marks)):
            if query[marks[j]] in _PAIRS[opener]:
                end = j
                break
            if query[marks[j]] == opener:
                break  # (``«мова" школа «освіта»``: the second « opens a phrase of its own)
        if end is None:  # (unclosed: the phrase runs to the end, if it quotes anything)
            out[marks[k]] = '"' if _QUOTED_TEXT.search(query, marks[k] + 1) else " "
            break
        out[marks[k]] = '"'
        for j in range(k + 1, end):
            out[marks[j]] = " "
        out[marks[end]] = '"'
        k = end + 1
    return "".join(out)


def hyphen_parts(word: str) -> list[str]:
    """``word`` split at its hyphens as ``str.split("-")`` splits it, whichever of
    :data:`HYPHENS` they are typed with (``Івано‑Франківськ``, U+2011: a query word's
    text holds them as typed).

    >>> hyphen_parts("Харків\u2011Києв")
    ['Харків', 'Києв']
    """
    return _HYPHEN.split(word)


def strip_marks(text: str) -> str:
    """Remove stress marks and invisible characters, keeping й, ї and ё intact.

    Decomposing first lets a stress mark on a look-alike Latin vowel (``ó``) come off too;
    recomposing afterwards restores й (и + U+0306) and ї (і + U+0308).
    """
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", text).translate(_DROP))


def fold_lookalikes(word: str) -> str:
    """Replace Latin look-alike letters inside a word that also has Cyrillic letters.

    A part of a hyphenated compound written wholly in Latin with a letter that looks like
    no Cyrillic one is a Latin word and stays one: ``COVID-тести`` is ``covid`` and
    ``тести``, not ``соvіd``. A Latin part of look-alikes alone (``IT-фахівці``) is
    folded, as it may as well be typed in Cyrillic (``ІТ-фахівці``).
    """
    if not (_LATIN.search(word) and CYRILLIC.search(word)):
        return word
    if "-" not in word:
        return word.translate(_LOOKALIKES)
    return "-".join(part if _is_latin_word(part) else part.translate(_LOOKALIKES) for part in word.split("-"))


def _is_latin_word(part: str) -> bool:
    """Latin letters only, one of them unlike any Cyrillic letter (``covid``, not ``it``)."""
    return not CYRILLIC.search(part) and bool(_LATIN.search(part.translate(_LOOKALIKES)))


def joined_across_lines(word: str) -> str:
    """``word``, which the analyzer cut as one word hyphenated across a line end, as that
    one word: without the hyphen and the line break (and the spaces about it), its letters
    and their case kept. The one rule of the join, for the search form and for a word
    listed as matched.

    >>> joined_across_lines("Інфор-\\n  мація")
    'Інформація'
    """
    return _LINE_END.sub("", word)


def normalize_word(word: str) -> str:
    """The search form of one word: marks stripped, apostrophes and hyphens unified,
    look-alikes repaired, lowercased; a word hyphenated across a line break, as the
    analyzer joins it, is one. Idempotent: ``normalize_word(normalize_word(w)) ==
    normalize_word(w)``.

    >>> normalize_word("Івано\u2011Франківськ")
    'івано-франківськ'
    >>> normalize_word("Украї-\\nнська")
    'українська'
    """
    if not word.isprintable():  # (white space other than " ", soft hyphens, ...: rare)
        word = joined_across_lines(word)
    # Lowercase before repairing look-alikes: lowercasing can itself produce a Latin letter
    # (``İ`` -> ``i`` + dot), which must be repaired in the same pass to stay idempotent.
    word = strip_marks(word).translate(_FOLD)
    return fold_lookalikes(word.lower())
