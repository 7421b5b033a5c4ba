"""The query-side limits: one set, applied by every backend's query compiler before any
costly work (dictionary look-ups, vocabulary walks, clauses sent to a cluster).

A compiler makes one :class:`QueryBudget` per query and passes every word it analyzes
and every phrase through it, so such a query refused by the embedded index is refused by
the cluster too, with the same message. The expansion of a prefix or fuzzy word is
counted where the backend expands it: the embedded index walks its own vocabulary and
refuses a word standing for over :data:`MAX_EXPANSION` words; the cluster expands it
inside Lucene, a prefix in full (see docs/scale-out.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice
from typing import TypeVar

from ..errors import QueryError
from ..text.analysis import Token, tokenize
from ..text.lexicon import MAX_SYNONYM_WORDS
from ..text.normalize import HYPHENS
from .parse import MAX_WORDS, too_many_words

__all__ = [
    "FUZZY_PREFIX",
    "MAX_EXPANSION",
    "MAX_PATTERN_WORDS",
    "MAX_PHRASE_WORDS",
    "MAX_PROXIMITY_WORDS",
    "MAX_QUERY_EXPANSION",
    "MAX_QUERY_POSTINGS",
    "MAX_QUERY_TOKENS",
    "MIN_PREFIX",
    "TERM_POSTINGS",
    "PostingsAsk",
    "QueryBudget",
    "distinct",
]

#: Letters a fuzzy word keeps as typed (the first): far fewer words are compared.
FUZZY_PREFIX = 1
#: Fewest letters of a prefix word (``п*`` would stand for every word starting with п).
MIN_PREFIX = 2
#: Most index terms one prefix or fuzzy word may stand for, and all of them in one query:
#: each is a posting list to merge, and ``п*`` over a big archive is tens of thousands.
MAX_EXPANSION = 1000
MAX_QUERY_EXPANSION = 4000
#: Most prefix or fuzzy words in one query (each costs a walk over the vocabulary).
MAX_PATTERN_WORDS = 16
#: Most analyzed words in one query (a "word" like ``a/b/c/...`` is many, and so is each
#: part of a compound, ``а-б-в``: each part is looked up too).
MAX_QUERY_TOKENS = MAX_WORDS
_HYPHEN = re.compile(f"[{re.escape(HYPHENS)}]+")
#: Most postings the prefix and fuzzy words of one query read in the embedded index (all
#: their terms' document frequencies, in every field): past it a word searches its most
#: common terms that fit, and the results say so. ``та*`` stands for 951
#: terms and 839,000 postings at 100,000 articles, about 2.5 s to read.
MAX_QUERY_POSTINGS = 150_000
#: What each term of a prefix or fuzzy word counts against :data:`MAX_QUERY_POSTINGS`
#: beyond its postings, per field it is in: looking it up and reading its first block.
#: Fitted over 40 prefixes of 20-260 terms each, a term costs 0.25-0.27 ms at 1,396
#: articles and at 100,000 alike, a posting of such words 2.9 µs at 100,000: a term is
#: about 100 postings, so many rare words are not cheaper than one common one. (500, a
#: guess from one prefix, cut ``укра* наві* прос* біль*`` to 136 of its 182 matches on
#: 1,396 articles, where searching all 730 terms takes 0.1 s.)
TERM_POSTINGS = 100
#: Most words in one quoted phrase: a phrase reads every position of every word in it. A
#: synonym of several words is searched as a phrase: the lexicon refuses longer ones.
MAX_PHRASE_WORDS = MAX_SYNONYM_WORDS
#: The proximity boosts look at the first words only: they match spans over the whole
#: archive, and 255 pairs of common words took seconds on 1,400 articles.
MAX_PROXIMITY_WORDS = 12

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PostingsAsk:
    """A prefix or fuzzy word's terms as :meth:`QueryBudget.share_postings` shares the
    postings budget: ``what`` as typed (``ук*``), its ``words`` the most common first,
    what each costs (``postings``), and whether the query leaves it out."""

    what: str
    words: list[str]
    postings: list[int]
    left_out: bool = False


def distinct(items: tuple[T, ...] | list[T]) -> tuple[T, ...]:
    """``items`` without repeats, in order: a word or group typed twice is searched once
    (``київ~2 київ~2 ...`` is one word, ``київ`` thirty times one clause)."""
    return tuple(dict.fromkeys(items))


class QueryBudget:
    """What one query has spent of the limits above; each ``count_*`` raises
    :class:`QueryError` (saying which limit, in the user's terms) once one is passed."""

    def __init__(self) -> None:
        self.tokens = 0
        self.patterns = 0
        self.expanded = 0
        self.postings = 0
        #: notes on what was left out to answer quickly
        self.cut: list[str] = []
        self._analyzed: dict[str, list[Token]] = {}
        self._counted: set[str] = set()

    def _count_tokens(self, text: str) -> None:
        if text not in self._counted:
            self._counted.add(text)
            self.tokens += sum(1 + len(_HYPHEN.findall(raw)) for _, _, raw in
                               islice(tokenize(text), MAX_QUERY_TOKENS + 1))
        if self.tokens > MAX_QUERY_TOKENS:
            raise too_many_words()

    def counting(self, analyze: Callable[[str], list[Token]]) -> Callable[[str], list[Token]]:
        """``analyze`` that first counts a word's tokens against :data:`MAX_QUERY_TOKENS`
        (once per distinct word, before the dictionary look-ups) and remembers the answer."""

        def counted(text: str) -> list[Token]:
            hit = self._analyzed.get(text)
            if hit is not None:
                return hit
            self._count_tokens(text)
            out = self._analyzed[text] = analyze(text)
            return out

        return counted

    def forms(self, text: str, form: Callable[[str], str]) -> list[str]:
        """The written forms of ``text``'s words (``form``: a raw word's), counted as
        :meth:`counting` counts them, without looking up lemmas: a prefix needs none, and
        in a fresh process the dictionaries would take 70-100 ms to load for it."""
        hit = self._analyzed.get(text)
        if hit is not None:
            return [t.form for t in hit]
        self._count_tokens(text)
        return [form(raw) for _, _, raw in tokenize(text)]

    def count_pattern(self) -> None:
        """One more prefix or fuzzy word."""
        self.patterns += 1
        if self.patterns > MAX_PATTERN_WORDS:
            raise QueryError(f"query has more than {MAX_PATTERN_WORDS} prefix or fuzzy words",
                             hint="write the others out in full")

    def count_expansion(self, what: str, n: int) -> None:
        """``what`` (``київ~2``, ``по*``) stands for ``n`` index terms."""
        if n > MAX_EXPANSION:
            raise QueryError(f"{what} matches too many words (over {MAX_EXPANSION}); make it more specific")
        self.expanded += n
        if self.expanded > MAX_QUERY_EXPANSION:
            raise QueryError(f"the prefix and fuzzy words match too many words together (over "
                             f"{MAX_QUERY_EXPANSION}); make them more specific")

    def share_postings(self, asks: list[PostingsAsk]) -> list[int]:
        """How many of each prefix or fuzzy word's terms (``asks``, each word's terms the
        most common first) fit in :data:`MAX_QUERY_POSTINGS`, shared fairly: the words are
        served the cheapest first, each taking all its terms when they fit in an equal
        share of what is left, its most common ones that fit otherwise (and what it leaves
        goes to the rest). So a word of two terms is not cut because a word before it in
        the query took everything. The first term of each is always searched; a note in
        :attr:`cut` says which were. A word the query leaves out (``left_out``: under a
        minus) is refused instead of cut: its other words would be let through
        (``школа -ки*`` listed articles holding ``кипарис``)."""
        taken = [0] * len(asks)
        left = MAX_QUERY_POSTINGS - self.postings
        order = sorted(range(len(asks)), key=lambda i: sum(asks[i].postings))
        for served, i in enumerate(order):
            share = left / (len(order) - served)
            n, used = 0, 0
            for p in asks[i].postings:
                if n and used + p > share:
                    break
                used += p
                n += 1
            taken[i] = n
            left -= used
            self.postings += used
        for ask, n in zip(asks, taken, strict=True):
            if n < len(ask.words):
                self._cut(ask, n)
        return taken

    def _cut(self, ask: PostingsAsk, n: int) -> None:
        """Refuse ``ask`` cut to ``n`` terms when it is left out, or say which were searched."""
        what, words = ask.what, ask.words
        if ask.left_out:
            raise QueryError(f"-{what} stands for {len(words)} words, too many to leave out at once; make it "
                             "more specific")
        shown = ", ".join(words[:min(n, 3)]) + (", …" if n > 3 else "")
        which = f"its most common one ({shown})" if n == 1 else f"the {n} most common ({shown})"
        if sum(ask.postings) <= MAX_QUERY_POSTINGS:  # alone it would have been searched in full
            self.cut.append(f"{what} stands for {len(words)} words: searched {which}, as the query's other prefix "
                            "and fuzzy words share the time; narrow the query")
        else:
            self.cut.append(f"{what} stands for {len(words)} words, too many to search at once: searched {which}; "
                            "narrow the query")

    @staticmethod
    def check_prefix(typed: str, form: str) -> None:
        if len(form) < MIN_PREFIX:
            raise QueryError(f"prefix {typed!r} is too short: give at least {MIN_PREFIX} letters")

    @staticmethod
    def check_phrase(words: int) -> None:
        if words > MAX_PHRASE_WORDS:
            raise QueryError(f"a phrase of more than {MAX_PHRASE_WORDS} words; quote a shorter part")
