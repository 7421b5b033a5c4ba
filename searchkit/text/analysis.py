"""The analyzer: Ukrainian text -> tokens with offsets, normal forms and lemmas.

Pure: no Whoosh, no files, no global state that changes results. Documents and queries go
through the very same chain, so ``політв'язнів``, ``політв’язні`` and ``ПОЛІТВʼЯЗЕНЬ`` meet:

>>> [t.lemmas for t in analyze("ПОЛІТВʼЯЗНІВ")]
[("політв'язень",)]

Offsets always slice the ORIGINAL text (``text[t.start:t.end]``), so highlights land on what
the reader sees even when the word was folded (stress marks, look-alikes, apostrophes).

A word hyphenated across a line break is one word when the dictionary says so (see
:meth:`Analyzer.spans`); its token covers both pieces:

>>> [t.form for t in analyze("Українська інфор-\\nмація")]
['українська', 'інформація']
"""

from __future__ import annotations

import os
import re
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import compress, product, repeat
from operator import is_
from typing import TYPE_CHECKING, Any

from .normalize import (
    APOSTROPHES,
    CYRILLIC,
    HYPHENS,
    INVISIBLE,
    LINE_BREAKS,
    QUOTE_APOSTROPHE,
    SOFT_HYPHEN,
    STRESS_MARKS,
    normalize_word,
)
from .russian import has_russian_letters, russian_lemmas, ukrainian_name

if TYPE_CHECKING:  # pragma: no cover
    from .lexicon import Lexicon

__all__ = [
    "ANALYZER_VERSION",
    "PLAIN_TOKEN_RE",
    "TOKEN_RE",
    "Analyzer",
    "Token",
    "analyze",
    "default_analyzer",
    "dictionary_lemmas",
    "half_of",
    "is_verb_form",
    "known_words",
    "line_broken",
    "load_dictionaries",
    "token_re",
    "tokenize",
    "ukrainian_morphology",
]

#: Bump when tokens or lemmas change: an index built by an earlier version is rebuilt, one
#: built by a later version refused (see :func:`searchkit.backends.base.status_of`).
ANALYZER_VERSION = "10"

#: Longer "words" are noise (base64, URLs without separators); they are kept as one
#: truncated term and never sent to the dictionary.
MAX_WORD = 64
#: Shorter words unknown to Ukrainian are abbreviations (``р``, ``обл``), not Russian words.
MIN_RUSSIAN = 3

_INNER = re.escape(STRESS_MARKS + INVISIBLE) + r"\u0302-\u036f"
_JOIN = re.escape(APOSTROPHES + HYPHENS)
#: what joins a word's parts: apostrophes and hyphens, or a quote typed for the apostrophe
_JOINS = rf"(?:[{_JOIN}]+|{QUOTE_APOSTROPHE.pattern})"
# A word: letters/digits (with stress marks or invisible characters inside), joined by
# apostrophes or hyphens that stand BETWEEN letters; a trailing apostrophe is a quote.
# Apostrophes Unicode counts as letters (ʼ U+02BC, ʹ U+02B9) join a word's parts like any
# other, but never start or end a word: "словоʼ" is "слово" followed by a quote.
_WAPOS = "".join(c for c in APOSTROPHES if re.match(r"\w", c))
_PART = rf"[^\W{_WAPOS}]*+(?:[{_INNER}]+[^\W{_WAPOS}]*+)*+"  # possessive: no backtracking
_TOKEN = re.compile(rf"[^\W_{_WAPOS}]{_PART}(?:{_JOINS}[^\W_{_WAPOS}]{_PART})*+")
#: The word pattern itself, for callers that scan texts with offsets.
TOKEN_RE = _TOKEN
#: :data:`TOKEN_RE` as it reads a text without an underscore, ʼ, ʹ, ꞌ or a character of
#: ``_INNER``: there its letter classes (``\w`` but for ``_``, ʼ, ʹ and ꞌ) are plain ``\w``
#: and its ``_INNER`` runs match nothing, so it finds the very same words in a quarter
#: less time (sre tests ``\w`` at once, a class of ``\W`` and exceptions item by item).
#: 1,389 of BrUK's 1,396 texts have none of those characters. See :func:`token_re`.
PLAIN_TOKEN_RE = re.compile(rf"\w++(?:{_JOINS}\w++)*+")
_TOKEN_ONLY = re.compile(rf"[_{_WAPOS}{_INNER}]")
_BREAKS = re.escape(LINE_BREAKS)
# A hyphen ending a line, where a word may go on on the next one; the soft hyphen stays
# inside the word before it (an invisible character), so it ends that word's token.
_LINE_END = re.compile(rf"[{re.escape(HYPHENS + SOFT_HYPHEN)}][^\S{_BREAKS}]*[{_BREAKS}]")
# What stands between the two pieces of such a word: the hyphen (none after a soft
# hyphen), the white space that ends the line and the next one's indent.
_LINE_GAP = re.compile(rf"[{re.escape(HYPHENS)}]?[^\S{_BREAKS}]*[{_BREAKS}]\s*")
_HAS_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")


def _latin_parts(form: str) -> list[str]:
    """The parts of a hyphenated Latin word that hold letters and are longer than one
    (``covid-19``: ``covid``; ``sars-cov-2``: ``sars``, ``cov``), each once."""
    if "-" not in form:
        return []
    out: list[str] = []
    for part in form.split("-"):
        if len(part) > 1 and part != form and part not in out and _HAS_LETTER.search(part):
            out.append(part)
    return out


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a text.

    ``start``/``end`` slice the original text; ``form`` is the normalised surface form;
    ``lemmas`` are the dictionary forms it may stand for (most likely first); ``known``
    says whether the dictionary knows the word (``False`` for guesses, numbers, Latin).
    """

    start: int
    end: int
    form: str
    lemmas: tuple[str, ...]
    known: bool


def token_re(text: str) -> re.Pattern[str]:
    """The pattern that finds exactly :data:`TOKEN_RE`'s words in ``text``: the quicker
    :data:`PLAIN_TOKEN_RE` unless ``text`` holds a character where the two could part ways
    (an underscore, an apostrophe Unicode counts as a letter: ʼ, ʹ, ꞌ, a combining mark
    of U+0300-U+036F or an invisible character). The look takes back about half of what the plain pattern saves: a text
    is split in 0.9 of the time.

    >>> token_re("Мовні табори") is PLAIN_TOKEN_RE, token_re("мо\u0301ва") is TOKEN_RE
    (True, True)
    """
    return TOKEN_RE if _TOKEN_ONLY.search(text) else PLAIN_TOKEN_RE


def tokenize(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield ``(start, end, raw)`` for each word of ``text`` (offsets into ``text``), the
    pieces of a word hyphenated across a line break apart: joining them takes the
    dictionary (:meth:`Analyzer.spans`). For a query's and a lexicon's words, which hold
    no line break."""
    for m in _TOKEN.finditer(text):
        yield m.start(), m.end(), m.group()


def _line_goes_on(text: str, end: int) -> int | None:
    """Where the next line's piece starts when the word ending at ``end`` ends its line
    with a hyphen (only white space holding a line break after it) and the next line
    starts with a lower-case letter; ``None`` otherwise."""
    gap = _LINE_GAP.match(text, end)
    if gap is None or gap.end() == len(text) or not text[gap.end()].islower():
        return None
    if text[end] not in HYPHENS and text[end - 1] != SOFT_HYPHEN:
        return None  # a line break with no hyphen before it
    return gap.end()


def line_broken(text: str) -> bool:
    """Whether a hyphen ends a line of ``text``, so that a word may go on on the next one
    (:meth:`Analyzer.spans` then looks its pieces up; other texts are cut by the pattern
    alone)."""
    return _LINE_END.search(text) is not None


def dictionary_path(package: str) -> str | None:
    """Where an installed pymorphy3 dictionary package keeps its files (``None``: let
    pymorphy3 look). Given the path, pymorphy3 skips its search through every installed
    package's entry points, which imports ``importlib.metadata`` and costs ~35 ms."""
    try:
        module = __import__(package)
    except ImportError:
        return None
    return str(module.get_path())


def morph_analyzer(lang: str) -> Any:  # pymorphy3 has no type hints
    """A pymorphy3 analyzer for ``lang`` whose ``parse`` and ``tag`` never raise on a
    strange character: a word pymorphy3 cannot look at has no parses.

    pymorphy3 asks ``unicodedata.name()`` whether each letter of an unknown word is
    Latin; letters without a name (Tangut, U+17000-U+187F7 and U+18D00-U+18D08, in
    Python 3.11) make it raise ``ValueError``, and one article holding such a word used
    to fail every later import and index run.
    """
    import pymorphy3

    class _Safe(pymorphy3.MorphAnalyzer):  # type: ignore[misc]
        def parse(self, word: str) -> list[Any]:
            try:
                return super().parse(word)  # type: ignore[no-any-return]
            except ValueError:
                return []

        def tag(self, word: str) -> list[Any]:
            try:
                return super().tag(word)  # type: ignore[no-any-return]
            except ValueError:
                return []

    return _Safe(path=dictionary_path(f"pymorphy3_dicts_{lang}"), lang=lang)


class _Morph:
    """pymorphy3 created on first use: importing it costs ~0.1 s that ``--help`` must not pay.

    Looking up a known word's lemmas needs only the word graph and the paradigms; the
    full analyzer (for guessing unknown words, inflecting, tags) also builds an object for
    each of its 4,000 tags and loads the guessing graphs, twice the time. A query of known
    words (the common case, and a fresh ``searchkit search`` pays it every time) gets the
    lemmas from the first; the full analyzer is made when something needs it.
    """

    _lock = threading.Lock()
    _uk: Any = None  # pymorphy3's MorphAnalyzer (untyped)
    _lookup: tuple[Any, Any, Any] | None = None  # (words graph, build_normal_form, char substitutes)

    @classmethod
    def uk(cls) -> Any:
        if cls._uk is None:
            with cls._lock:
                if cls._uk is None:
                    cls._uk = morph_analyzer("uk")
        return cls._uk

    @classmethod
    def lookup(cls) -> tuple[Any, Any, Any]:
        """What :meth:`known_lemmas` reads: the full analyzer's dictionary when it is made,
        else the same files read on their own (see :func:`_word_lookup`)."""
        if cls._lookup is None:
            with cls._lock:
                if cls._lookup is None and cls._uk is None:
                    cls._lookup = _word_lookup(dictionary_path("pymorphy3_dicts_uk"))
        if cls._lookup is None:  # the files are not where expected: the full analyzer's
            morph = cls.uk()
            cls._lookup = (morph.dictionary.words, morph.dictionary.build_normal_form, morph.char_substitutes)
        return cls._lookup

    _gramtab: tuple[Any, list[str]] | None = None  # (paradigms, tag strings)

    @classmethod
    def tags(cls, form: str) -> list[tuple[str, str]]:
        """``(lemma, tag)`` of each dictionary reading of ``form`` (tags as pymorphy3's
        strings, ``NOUN,anim masc,nomn``), without building its tag objects: the full
        analyzer costs a fresh ``searchkit search`` 0.2 s."""
        if cls._gramtab is None:
            with cls._lock:
                if cls._gramtab is None:
                    cls._gramtab = _tag_table(dictionary_path("pymorphy3_dicts_uk"))
        paradigms, gramtab = cls._gramtab
        words, build, substitutes = cls.lookup()
        out: list[tuple[str, str]] = []
        for fixed, parses in words.similar_items(form, substitutes):
            for para_id, idx in parses:
                paradigm = paradigms[para_id]
                out.append((build(para_id, idx, fixed), gramtab[paradigm[len(paradigm) // 3 + idx]]))
        return out

    @classmethod
    def known_lemmas(cls, form: str) -> list[str]:
        """Lemmas of a dictionary word, in pymorphy3's parse order; ``[]`` if unknown.

        What ``parse()`` gives for a known word, without building its tags and
        ``Parse`` objects: about six times faster. It is exact because for Ukrainian the
        dictionary unit's parses come first and no other unit of its group (initials,
        Roman numerals, Latin words) matches a lowercase Cyrillic word, and no
        probability estimator reorders them (``tests/test_analysis.py`` compares both).
        """
        words, build, substitutes = cls.lookup()
        out: list[str] = []
        for fixed, parses in words.similar_items(form, substitutes):
            for para_id, idx in parses:
                lemma = build(para_id, idx, fixed)
                if lemma not in out:
                    out.append(lemma)
        return out


#: A dictionary form in pymorphy3's tag: the nominative, or a verb's infinitive
_HEADWORD = re.compile(r"\b(?:nomn|infn)\b")


#: What ``пів`` (half) joins: a noun in the genitive (``півроку``, written ``пів року``
#: since the 2019 orthography).
HALF = "пів"


def half_of(form: str) -> str | None:
    """The genitive noun a joined ``пів`` word holds (``півроку``: ``року``), or ``None``.

    Since 2019 ``пів`` stands apart before a noun in the genitive (``пів року``, ``пів
    України``); older texts join it. The joined word counts only when the dictionary marks
    it so (an indeclinable noun that is its own lemma: ``півроку``, ``півгодини``) or does
    not know it (``півУкраїни``); and what follows ``пів`` must be a genitive noun. Words
    that only begin so are other words: ``північ``, ``півострів``, ``півтора``, ``півень``.
    """
    if not form.startswith(HALF) or len(form) < len(HALF) + 3 or "-" in form:
        return None
    own = _Morph.tags(form)
    if own and not any(lemma == form and tag.startswith("NOUN") and "Fixd" in tag for lemma, tag in own):
        return None
    rest = form[len(HALF):]
    # a noun, not a person's name (``пів Зеленого`` is no half of anything)
    if any(tag.startswith("NOUN") and "gent" in tag and "Name" not in tag and "Surn" not in tag
           and "Patr" not in tag for _, tag in _Morph.tags(rest)):
        return rest
    return None


def is_verb_form(form: str) -> bool:
    """Whether the dictionary reads ``form`` only as an inflected verb: a finite form or an
    adverbial participle (``їдьте``, ``удаватимуться``, ``зазирнувши``), not the infinitive,
    which names the action as a lemma does.

    >>> is_verb_form("крекнув"), is_verb_form("читати"), is_verb_form("музеї")
    (True, False, False)
    """
    tags = _Morph.tags(form.lower())
    return bool(tags) and all(tag.startswith(("VERB", "GRND")) and "infn" not in tag for _, tag in tags)


#: ``(form, lemmas, known)`` of one word as written.
WordInfo = tuple[str, tuple[str, ...], bool]


def _word_lookup(path: str | None) -> tuple[Any, Any, Any] | None:
    """pymorphy3's Ukrainian word graph, ``build_normal_form`` and character substitutes
    (``г`` may stand for ``ґ``), read without the tag table and the guessing graphs: what
    ``MorphAnalyzer(lang="uk")`` would hold, from the same files with pymorphy3's own
    loaders. ``None`` when the files are not where expected (the full analyzer is used)."""
    if path is None:
        return None
    try:
        import pymorphy3.lang.uk
        from pymorphy3 import dawg
        from pymorphy3.analyzer import MorphAnalyzer
        from pymorphy3.opencorpora_dict import storage
        from pymorphy3.opencorpora_dict.wrapper import Dictionary

        meta = storage.load_meta(os.path.join(path, "meta.json"))
        d = Dictionary.__new__(Dictionary)  # the wrapper's methods, without its load_dict
        d.meta = meta
        d.paradigms = storage._load_paradigms(os.path.join(path, "paradigms.array"))
        d.suffixes = storage.json_read(os.path.join(path, "suffixes.json"))
        d.words = dawg.WordsDawg().load(os.path.join(path, "words.dawg"))
        prefixes = meta.get("compile_options", {}).get("paradigm_prefixes")
        d.paradigm_prefixes = prefixes if prefixes is not None else storage.json_read(
            os.path.join(path, "paradigm-prefixes.json"))
        substitutes = getattr(pymorphy3.lang.uk, "CHAR_SUBSTITUTES", MorphAnalyzer.DEFAULT_SUBSTITUTES)
        return d.words, d.build_normal_form, d.words.compile_replaces(substitutes or {})
    except (ImportError, OSError, ValueError, KeyError, AttributeError):
        return None


def _tag_table(path: str | None) -> tuple[Any, list[str]]:
    """pymorphy3's paradigms and its tags as strings (what ``build_tag_info`` reads)."""
    try:
        if path is None:
            raise OSError("no dictionary path")
        from pymorphy3.opencorpora_dict import storage

        meta = storage.load_meta(os.path.join(path, "meta.json"))
        paradigms = storage._load_paradigms(os.path.join(path, "paradigms.array"))
        gramtab = storage.json_read(os.path.join(path, "gramtab-opencorpora-int.json"))
        if meta and isinstance(gramtab, list):
            return paradigms, [str(t) for t in gramtab]
    except (ImportError, OSError, ValueError, KeyError, AttributeError):
        pass
    d = _Morph.uk().dictionary
    return d.paradigms, [str(t) for t in d.gramtab]


#: How much of a text :meth:`Analyzer.load` analyses: a query's first words.
LOAD_CHARS = 200


class Analyzer:
    """Normalises, tokenises and lemmatizes; caches per distinct word (bounded).

    A user ``Lexicon`` (lemma overrides, extra words) is applied before the dictionary.
    """

    def __init__(self, lexicon: Lexicon | None = None, *, cache_size: int = 400_000) -> None:
        self.lexicon = lexicon
        self._cache_size = cache_size
        # raw token -> (form, lemmas, known). Keyed by the RAW token so a repeated word
        # skips normalisation too; only ~15 % of tokens in news text are distinct.
        self._raw: dict[str, WordInfo] = {}
        self._forms: dict[str, tuple[tuple[str, ...], bool]] = {}
        self._norm: dict[str, str] = {}  # raw token -> form, for words whose lemmas are not needed

    @property
    def cache_size(self) -> int:
        """How many words each of the analyzer's caches holds at most (then it starts over)."""
        return self._cache_size

    def cached(self) -> dict[str, int]:
        """How many words each cache holds now: ``raw`` tokens, dictionary ``forms``, and
        ``norm`` (tokens only normalised); each at most :attr:`cache_size`."""
        return {"raw": len(self._raw), "forms": len(self._forms), "norm": len(self._norm)}

    def load(self, text: str) -> None:
        """Read the dictionaries that analysing the first words of ``text`` needs (the word
        lookup, and the guessing analyzer for a word the dictionary lacks), as the
        analysis would: a search can then keep its clock for itself, not for the process's
        start (0.06 s; 0.3 s with the guesser). Only the start of ``text``: a query of
        10,000 words is the search's own work."""
        for raw in _TOKEN.findall(text[:LOAD_CHARS]):
            self.word(raw)  # (kept: the search's own analysis finds it done)

    # -- words ----------------------------------------------------------------------------
    def lemmas(self, form: str) -> tuple[tuple[str, ...], bool]:
        """Lemmas of one normalised word and whether the dictionary knows it."""
        hit = self._forms.get(form)
        if hit is not None:
            return hit
        lemmas, known = self._lookup(form)
        # one object per lemma: the lemmas of ``року`` and ``роки`` are the same ``рік``, and
        # the lookups of a document's lemmas (its topic vector) find them by identity
        result = (tuple(map(sys.intern, lemmas)), known)
        if len(self._forms) >= self._cache_size:
            self._forms.clear()  # bounded memory on endless streams; refills in seconds
        self._forms[form] = result
        return result

    def _lookup(self, form: str) -> tuple[tuple[str, ...], bool]:
        if self.lexicon is not None:
            override = self.lexicon.lemmas_for(form)
            if override:
                return override, True
        if len(form) > MAX_WORD or not _HAS_LETTER.search(form):
            return (form,), False  # numbers and noise are their own lemma
        if not CYRILLIC.search(form):
            # a Latin word is its own lemma; a Latin compound's lettered parts are words
            # too, so ``COVID`` finds ``COVID-19`` as ``Уран`` finds ``Уран-235``
            return (form, *_latin_parts(form)), False
        if has_russian_letters(form):
            # ы э ё ъ: certainly Russian; a Ukrainian guess would be noise.
            lemmas, known = russian_lemmas(form, guess=True)
            out = list(lemmas)
            keep_form = not known
        else:
            out, known = self._ukrainian(form)
            keep_form = not known
            if not known and len(form) >= MIN_RUSSIAN and not _DIGIT.search(form):
                # Unknown to Ukrainian, known to Russian (``Киеве``, ``войны``): the Russian
                # lemmas join the Ukrainian guess and the surface form, which both stay in
                # case the word is Ukrainian after all (``нема``).
                ru, known = russian_lemmas(form, guess=False)
                out += [lemma for lemma in ru if lemma not in out]
        for lemma in list(out):
            # Russian spellings of names the Ukrainian dictionary knows (``Андрей``, ``Львов``)
            uk_name = ukrainian_name(lemma)
            if uk_name and uk_name not in out:
                out.append(uk_name)
        if keep_form and form not in out:
            out.append(form)
        if "-" in form:
            # Compounds: the parts are searchable on their own (``Франківськ``), a Latin
            # one too (``COVID-тести``: ``covid``).
            for part in form.split("-"):
                if len(part) > 1 and _HAS_LETTER.search(part):
                    for lemma in self.lemmas(part)[0]:
                        if lemma not in out:
                            out.append(lemma)
        return tuple(out), known

    def known(self, form: str) -> tuple[tuple[str, ...], bool]:
        """The lemmas of a normalised word the lexicon or the Ukrainian dictionary knows, and
        ``((), False)`` for any other: no guessing and no Russian dictionary (for checking
        candidate spellings, most of which are no words at all)."""
        settled = self._settled(form)
        if settled is not None:
            return settled
        found = tuple(_Morph.known_lemmas(form))
        return found, bool(found)

    def _settled(self, form: str) -> tuple[tuple[str, ...], bool] | None:
        """What :meth:`known` and :meth:`headwords` say of ``form`` before the dictionary:
        the lexicon's lemmas of a word it lists, ``((), False)`` for a word no dictionary
        reads (too long, no Cyrillic letter); ``None``: ask the dictionary."""
        if self.lexicon is not None:
            override = self.lexicon.lemmas_for(form)
            if override:
                return override, True
        if len(form) > MAX_WORD or not CYRILLIC.search(form):
            return (), False
        return None

    def headwords(self, form: str) -> tuple[tuple[str, ...], bool]:
        """The lemmas of a normalised word that it is the dictionary form of (a noun's or
        an adjective's nominative, in either number, or a verb's infinitive), and whether
        the lexicon or the Ukrainian dictionary knows it: ``пасічники`` is ``пасічник`` (its
        plural) and ``пасічники`` (a word the dictionary lists of its own), while ``ранок``,
        also the genitive plural of ``ранка`` (a wound), is ``ранок`` alone. The lexicon's
        lemmas of a word it lists are each its word.

        >>> default_analyzer().headwords("ранок")
        (('ранок',), True)
        """
        settled = self._settled(form)
        if settled is not None:
            return settled
        tags = _Morph.tags(form)
        return tuple(dict.fromkeys(lemma for lemma, tag in tags if _HEADWORD.search(tag))), bool(tags)

    def origin(self, form: str) -> str:
        """Where the lemmas of a normalised word come from: ``lexicon`` (the user's),
        ``uk`` or ``ru`` (a dictionary, or its guess), ``""`` (numbers, Latin words)."""
        if self.lexicon is not None and self.lexicon.lemmas_for(form):
            return "lexicon"
        if len(form) > MAX_WORD or not _HAS_LETTER.search(form) or not CYRILLIC.search(form):
            return ""
        if has_russian_letters(form):
            return "ru"
        if self.lemmas(form)[1] and not _Morph.uk().word_is_known(form):
            return "ru"  # known, but not to the Ukrainian dictionary
        return "uk"

    @staticmethod
    def _ukrainian(form: str) -> tuple[list[str], bool]:
        """Dictionary lemmas (all of them) of a Ukrainian word, or its best guess."""
        out = _Morph.known_lemmas(form)
        if out:
            return out, True
        # A guess: keep only the best one; the surface form is added later.
        parses = _Morph.uk().parse(form)
        return ([parses[0].normal_form] if parses else []), False

    def form(self, raw: str) -> str:
        """The normalised form :meth:`word` gives a raw word, without looking up lemmas."""
        hit = self._raw.get(raw)
        if hit is not None:
            return hit[0]
        form = self._norm.get(raw)
        if form is None:
            form = normalize_word(raw)[:MAX_WORD]
            if len(self._norm) >= self._cache_size:
                self._norm.clear()
            self._norm[raw] = form
        return form

    def forms(self, raws: Sequence[str]) -> list[str]:
        """:meth:`form` of each of ``raws``, the known ones looked up together (in C)."""
        norm = self._norm
        found = list(map(norm.get, raws))
        if None not in found:
            return found  # type: ignore[return-value]  # no None left
        # The others (new words, or words analyzed whole, which only the other cache
        # held) are kept here too, so that the next call finds them all in C: a page of
        # hits asked about its texts' words each time, and a Python step per word (the
        # words of ten hits, for every search) took a tenth of a page's time.
        form = self.form
        fresh = {raw: form(raw) for raw in compress(raws, map(is_, found, repeat(None)))}
        if len(norm) + len(fresh) > self._cache_size:
            norm.clear()
        if len(fresh) <= self._cache_size:
            norm.update(fresh)
        return list(map(fresh.get, raws, found))  # type: ignore[arg-type]  # (each None is in fresh)

    def word(self, raw: str) -> WordInfo:
        """``(form, lemmas, known)`` of one raw word as it stands in a text."""
        hit = self._raw.get(raw)
        if hit is not None:
            return hit
        form = normalize_word(raw)
        if len(form) > MAX_WORD:
            form = form[:MAX_WORD]
        lemmas, known = self.lemmas(form)
        result = (form, lemmas, known)
        if len(self._raw) >= self._cache_size:
            self._raw.clear()
        self._raw[raw] = result
        return result

    # -- texts ----------------------------------------------------------------------------
    def analyze(self, text: str) -> list[Token]:
        """All tokens of ``text`` in order.

        >>> [t.form for t in default_analyzer().analyze("Мо́ва — це код")]
        ['мова', 'це', 'код']
        """
        word = self.word
        out = []
        for start, end, raw in self.spans(text):
            form, lemmas, known = word(raw)
            out.append(Token(start, end, form, lemmas, known))
        return out

    def words(self, text: str) -> list[WordInfo]:
        """``(form, lemmas, known)`` per word, without offsets: the indexing hot path."""
        cache = self._raw
        word = self.word
        raws = _TOKEN.findall(text) if not line_broken(text) else [raw for _, _, raw in self._joined(text)]
        return [cache.get(raw) or word(raw) for raw in raws]

    def iter_words(self, text: str) -> Iterator[tuple[str, tuple[str, ...]]]:
        """``(form, lemmas)`` per word, without offsets, each analysed as it is reached: a
        caller that takes the first 20,000 words of a 5 MB text analyses no more (all of
        them took 5.5 s)."""
        cache = self._raw
        for _, _, raw in self.spans(text):
            form, lemmas, _ = cache.get(raw) or self.word(raw)
            yield form, lemmas

    def spans(self, text: str) -> Iterator[tuple[int, int, str]]:
        """``(start, end, raw)`` of each word of ``text``, as :meth:`analyze` cuts it: the
        one place that decides what a word is, for the index's positions and the snippets'
        marks alike.

        A word hyphenated across a line break (``украї-\\nнська``, ``інфор-\\n  мація``,
        after a soft hyphen too) is one word, from the start of its first piece to the end
        of its second, when the line's last piece ends in a hyphen (only white space
        holding a line break after it), the next line's piece starts with a lower-case
        letter, the joined word is known (to the dictionaries or the user's lexicon), and
        the first piece is not a known word on its own or the hyphenated compound is not
        (``науково-\\nдослідний``, ``блок-\\nпост`` stay two words, as before).

        >>> [raw for _, _, raw in default_analyzer().spans("науково-\\nдослідна інфор-\\nмація")]
        ['науково', 'дослідна', 'інфор-\\nмація']
        """
        if not line_broken(text):
            for m in _TOKEN.finditer(text):
                yield m.start(), m.end(), m.group()
        else:
            yield from self._joined(text)

    def _joined(self, text: str) -> Iterator[tuple[int, int, str]]:
        """:meth:`spans` of a text in which a hyphen ends a line."""
        found = _TOKEN.finditer(text)
        first = next(found, None)
        if first is None:
            return
        start, end = first.span()
        for m in found:
            a, b = m.span()
            if self._joins(text, start, end, a, b):
                end = b  # (and the joined word may go on past the next line end too)
                continue
            yield start, end, text[start:end]
            start, end = a, b
        yield start, end, text[start:end]

    def _joins(self, text: str, start: int, end: int, a: int, b: int) -> bool:
        """Whether ``text[start:end]`` and ``text[a:b]`` are the pieces of one word
        hyphenated across a line break (the rule in :meth:`spans`)."""
        if _line_goes_on(text, end) != a:
            return False
        first, second = self.form(text[start:end]), self.form(text[a:b])
        if not self.lemmas(first + second)[1]:
            # (``науково-\\nдослідний``: no ``науководослідний``) unless a narrow column cut
            # the word twice, its middle piece a line of its own: ``ін-\\nфор-\\nмація``
            c = _line_goes_on(text, b)
            third = _TOKEN.match(text, c) if c is not None else None
            return third is not None and self.lemmas(first + second + self.form(third.group()))[1]
        # A known first piece whose compound is known too is a compound (``блок-пост``);
        # pieces of one word are seldom both (``украї``, ``про-грама``).
        return not (self.lemmas(first)[1] and self.lemmas(f"{first}-{second}")[1])

    # A pickled analyzer (sent to a spawned indexing process) travels without its caches.
    def __getstate__(self) -> dict[str, object]:
        return {"lexicon": self.lexicon, "cache_size": self._cache_size}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__init__(state["lexicon"], cache_size=state["cache_size"])  # type: ignore[misc]


_default: Analyzer | None = None


def default_analyzer() -> Analyzer:
    """The shared analyzer without a user lexicon."""
    global _default
    if _default is None:
        _default = Analyzer()
    return _default


def analyze(text: str) -> list[Token]:
    """Analyze ``text`` with the default analyzer (see :class:`Analyzer`)."""
    return default_analyzer().analyze(text)


def load_dictionaries() -> None:
    """Load the Ukrainian and Russian dictionaries now. Before forking a second indexing
    process: the two then share one copy instead of each loading its own."""
    from .russian import _Ru

    _Morph.uk()
    _Morph.lookup()
    _Ru.get()


def ukrainian_morphology() -> Any:
    """The shared pymorphy3 Ukrainian analyzer (for inflecting and dictionary look-ups)."""
    return _Morph.uk()


def known_words(words: Iterable[str]) -> set[str]:
    """Those of ``words`` the Ukrainian dictionary knows: what pymorphy3's
    ``word_is_known`` says of each, asked of its word graph directly. Its character
    substitutes (a typed ``г`` may stand for ``ґ``) are tried as spellings of their own,
    each a look-up in C: through the analyzer, the hundreds of a word's one-edit
    neighbours took a correction 0.4-1.4 ms."""
    graph, _, substitutes = _Morph.lookup()
    swaps = {k.decode("utf-8"): [r for _, r in v] for k, v in (substitutes or {}).items()}
    # (Ukrainian's one substitute, ``г`` for ``ґ``, checked inline: a generator per word
    # cost more than the look-ups)
    single = [(k, v[0]) for k, v in swaps.items() if len(v) == 1]
    letter, stands = single[0] if len(swaps) == 1 and single else ("", "")
    out = set()
    for w in words:
        low = w.lower()  # (as word_is_known asks)
        if low in graph:
            out.add(w)
        elif letter:
            if letter in low and (low.replace(letter, stands) in graph if low.count(letter) == 1
                                  else any(v in graph for v in _substituted(low, swaps))):
                out.add(w)
        elif swaps and any(k in low for k in swaps) and any(v in graph for v in _substituted(low, swaps)):
            out.add(w)
    return out


def _substituted(word: str, swaps: dict[str, list[str]]) -> Iterator[str]:
    """``word`` with the letters a substitute may stand for replaced, in every way but none."""
    options = [[c, *swaps.get(c, ())] for c in word]
    for letters in product(*options):
        spelt = "".join(letters)
        if spelt != word:
            yield spelt


def dictionary_lemmas(form: str) -> list[str]:
    """The lemmas the Ukrainian dictionary knows the normalised word ``form`` as a form of
    (``[]``: none), no lexicon and no guess: what its known parses give, read faster."""
    return _Morph.known_lemmas(form)
