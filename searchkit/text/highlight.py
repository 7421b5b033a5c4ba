"""Which words of a text matched a query, and the best snippet to show (pure).

A word matches when one of its lemmas is a query lemma, its normal form is a query form,
or it starts with a query prefix (a prefix's lemmas the index holds are query lemmas too:
``табір*`` marks ``табори``), so every inflected form that matched is marked, whatever
the apostrophe, stress mark or letter case it was written with. A function word typed
beside subject words (``на`` in ``ціни на газ``) only ranks, so it matches only where it
stands between two of their matches, word beside word (:func:`in_runs`): marked
everywhere, it was 7 of 17 marks in an article about gas prices.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate, compress, count, islice, repeat
from typing import Literal

from ..models import Snippet, Span
from .analysis import PLAIN_TOKEN_RE, TOKEN_RE, Analyzer, Token, line_broken, token_re
from .normalize import HYPHENS, LINE_BREAKS, SOFT_HYPHEN, joined_across_lines

__all__ = ["MARKED_WORDS", "MatchTerms", "Matcher", "best_snippet", "field_matchers", "highlight_all", "in_runs",
           "listed", "marked_end", "matches", "shown", "stored_spans"]

#: The words of an article in which ``show`` and ``explain`` mark a query's matches: each
#: distinct word is analysed to know whether it matches, which took 23 s for a 7.5 MB
#: article of 450,000 distinct words; a news article is a few thousand words (BrUK's
#: longest, 2,359), so none is cut. A longer one says where marking stopped.
MARKED_WORDS = 20_000


@dataclass(frozen=True, slots=True)
class MatchTerms:
    """What counts as a match: lemmas, normal forms and prefixes from the query; ``weak``:
    those of the lemmas and forms that only a function word typed beside subject words
    brought, which match only between matches of the others (see :func:`in_runs`);
    ``title_only`` / ``body_only``: those the query asked for in one field alone
    (``title:санкції``), which match only there (see :meth:`within`); ``prefixed``: those
    only a prefix's expansion brought, each counted as its prefix (see :meth:`term_of`);
    ``minor``: lemmas the query only searched as a word's lesser reading (``кий`` for
    ``Київ``), which a word of the text counts as only when it matches no other (see
    :meth:`key_of`)."""

    lemmas: frozenset[str] = frozenset()
    forms: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    weak: frozenset[str] = frozenset()
    title_only: frozenset[str] = frozenset()
    body_only: frozenset[str] = frozenset()
    prefixed: frozenset[str] = frozenset()
    minor: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.lemmas or self.forms or self.prefixes)

    def __or__(self, other: MatchTerms) -> MatchTerms:
        """What either matches (a term weak in one and not in the other is not weak; one
        searched in a field alone in one and anywhere else in the other is not alone)."""
        strong = (self.lemmas | self.forms) - self.weak | (other.lemmas | other.forms) - other.weak
        mine, theirs = self._all(), other._all()
        return MatchTerms(self.lemmas | other.lemmas, self.forms | other.forms,
                          tuple(dict.fromkeys((*self.prefixes, *other.prefixes))),
                          (self.weak | other.weak) - strong,
                          self.title_only - (theirs - other.title_only) | other.title_only - (mine - self.title_only),
                          self.body_only - (theirs - other.body_only) | other.body_only - (mine - self.body_only),
                          (self.prefixed | other.prefixed) - (mine - self.prefixed) - (theirs - other.prefixed),
                          (self.minor | other.minor) - (self.lemmas - self.minor) - (other.lemmas - other.minor))

    def _all(self) -> frozenset[str]:
        return self.lemmas | self.forms | frozenset(self.prefixes)

    def within(self, field: Literal["title", "body"]) -> MatchTerms:
        """What matches in an article's ``field``: not the terms the query asked for in the
        other field alone (``title:санкції`` marks the title's ``санкції``, not the body's).
        Every place that marks a title or a body asks this, so they all agree."""
        other = self.body_only if field == "title" else self.title_only
        if not other:
            return self
        return MatchTerms(self.lemmas - other, self.forms - other, tuple(p for p in self.prefixes if p not in other),
                          self.weak - other, self.title_only - other, self.body_only - other, self.prefixed - other,
                          self.minor - other)

    def term_of(self, term: str) -> str:
        """The query term a matched lemma or form counts as: for one only a prefix's
        expansion brought (:attr:`prefixed`), the prefix (its words were searched by their
        lemmas and forms, ``табори`` for ``табір*``: one query term, however many words it
        reached); else the term itself (``Лукашенку лукаш*``: ``лукашенку`` was typed)."""
        if term in self.prefixed:
            for p in self.prefixes:
                if term.startswith(p):
                    return p
        return term

    def key(self, tok: Token) -> str | None:
        """The query term ``tok`` matched (a lemma, form or prefix), or ``None``."""
        return self.key_of(tok.form, tok.lemmas)

    def key_of(self, form: str, lemmas: tuple[str, ...]) -> str | None:
        """The query term a word with ``form`` and ``lemmas`` matched, or ``None``; a
        :attr:`weak` term only when the word matches no other, and a :attr:`minor` lemma
        only when it matches no other lemma (``Києві``, read ``кий`` first, matched
        ``Київ`` as ``київ``, the lemma that query word is searched by)."""
        found = lesser = None
        for lemma in lemmas:
            if lemma in self.lemmas:
                if lemma not in self.weak:
                    if lemma not in self.minor:
                        return self.term_of(lemma)
                    lesser = lesser or lemma
                found = found or lemma
        if lesser is not None:
            return self.term_of(lesser)
        if form in self.forms and form not in self.weak:
            return self.term_of(form)
        for p in self.prefixes:
            if form.startswith(p):
                return p
        return found or (form if form in self.forms else None)


def in_runs(found: list[tuple[int, int, int, str]], weak: frozenset[str]) -> list[tuple[int, int, str]]:
    """``(start, end, query term)`` of the matches ``found`` (``(word number, start, end,
    query term)``, in order) that count: a match of a :attr:`MatchTerms.weak` term only
    where it stands between two other matches with no unmatched word between them
    (``ціни на газ``, ``газ і нафта``), not at a run's end (``на`` in ``газу на людину``).
    Every place that marks or lists matches goes through here, so show, snippets, the
    reader and ``matched`` agree."""
    if not weak:
        return [(a, b, k) for _, a, b, k in found]
    out: list[tuple[int, int, str]] = []
    waiting: list[tuple[int, int, str]] = []  # weak matches after a subject match, side by side with it
    last = -2  # the word number of the match before
    anchored = False  # whether the run of matches so far holds a subject match
    for i, a, b, k in found:
        if i != last + 1:  # a word between: a new run
            waiting, anchored = [], False
        last = i
        if k not in weak:
            out += waiting
            out.append((a, b, k))
            waiting, anchored = [], True
        elif anchored:
            waiting.append((a, b, k))
    return out


def matches(tokens: Sequence[Token], terms: MatchTerms) -> list[tuple[Token, str]]:
    """``(token, query term)`` for every token that matched (``tokens``: all of a
    text's, in order, as a function word counts only between other matches)."""
    if not terms:
        return []
    found = [(i, i, i, k) for i, t in enumerate(tokens) if (k := terms.key(t)) is not None]
    return [(tokens[i], k) for i, _, k in in_runs(found, terms.weak)]


class Matcher:
    """Finds a query's matches in texts, remembering the verdict for each written word.

    The verdict depends only on the word as written, so one :class:`Matcher` per query
    analyzes each distinct word of the hits once and skips building tokens: the cheap
    way to highlight many texts for one query.
    """

    def __init__(self, analyzer: Analyzer, terms: MatchTerms) -> None:
        self.analyzer = analyzer
        self.terms = terms
        self._keys: dict[str, str | None] = {}
        self._judged: set[str] = set()  # raw words whose written form was compared
        self._by_form: dict[str, str] = {}  # those of them that match -> the form or prefix
        self._forms_placed: bool | None = None  # see _placed_covers_forms

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, query term)`` of each match in ``text``, in order."""
        if not self.terms:
            return []
        if line_broken(text):  # (a word may go on past a line end: the analyzer cuts the words)
            return self._find_in(list(self.analyzer.spans(text)))
        keys = self._keys
        words_re = token_re(text)
        # Decide each new distinct word first (set operations run in C), then one pass
        # over the tokens that only looks verdicts up.
        new = set(words_re.findall(text)).difference(keys)
        if new:
            word = self.analyzer.word
            key_of = self.terms.key_of
            for raw in new:
                form, lemmas, _ = word(raw)
                keys[raw] = key_of(form, lemmas)
        get = keys.get
        if not self.terms.weak:
            return [(m.start(), m.end(), k) for m in words_re.finditer(text) if (k := get(m.group())) is not None]
        return in_runs([(i, m.start(), m.end(), k) for i, m in enumerate(words_re.finditer(text))
                        if (k := get(m.group())) is not None], self.terms.weak)

    def _find_in(self, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """:meth:`find` over words already cut (``(start, end, raw)``)."""
        keys = self._keys
        word, key_of = self.analyzer.word, self.terms.key_of
        for raw in {raw for _, _, raw in spans}.difference(keys):
            form, lemmas, _ = word(raw)
            keys[raw] = key_of(form, lemmas)
        return in_runs([(i, a, b, k) for i, (a, b, raw) in enumerate(spans) if (k := keys[raw]) is not None],
                       self.terms.weak)

    def find_placed(self, text: str, placed: dict[int, list[str]]) -> list[tuple[int, int, str]]:
        """What :meth:`find` returns, given where the query's lemmas stand in ``text``
        (``{word number: [query lemmas there]}``, as the index recorded them when it
        analyzed this very text): the other words can only match by their written form or
        a prefix, which needs no dictionary; a word holding several query lemmas is
        analyzed to know which comes first."""
        if not self.terms:
            return []
        own = self.terms.lemmas
        if any(lemma not in own for lemmas in placed.values() for lemma in lemmas):
            # (lemmas the query asked for in the other field alone: see MatchTerms.within)
            placed = {i: kept for i, lemmas in placed.items() if (kept := [x for x in lemmas if x in own])}
        by_form = self._by_form
        found = dict.fromkeys(placed)
        placed_only = self._placed_covers_forms()
        if line_broken(text):  # (a word may go on past a line end: cut as the index cut it)
            pieces = _pieces(text, self.analyzer.spans(text))
        elif placed_only:
            if not placed:
                return []
            # Every match is a placed word: the text is cut only as far as the last one
            # (the words after it need no offsets), and no written word is judged.
            pieces = _SPLIT[token_re(text)].split(text, max(placed) + 1)
        else:
            # The text cut at its words in C: words at the odd places, and the running sum
            # of the pieces' lengths gives every word's offsets without a Python step per word.
            pieces = _SPLIT[token_re(text)].split(text)
        words = pieces[1::2]
        if not placed_only:
            distinct = set(words)
            new = distinct.difference(self._judged)
            if new:
                self._judge(list(new))
            by_written = distinct.intersection(by_form)
            if by_written:  # (the numbers of those words, picked in C)
                found.update(dict.fromkeys(compress(count(), map(by_written.__contains__, words))))
        # (a position past the text's words: the text is not the one indexed)
        at = [i for i in sorted(found) if i < len(words)]
        if not at:
            return []
        # (offsets only as far as the last word marked: the words after it need none)
        ends = list(accumulate(map(len, islice(pieces, 2 * at[-1] + 2))))
        out: list[tuple[int, int, int, str]] = []
        for i in at:
            lemmas = placed.get(i)
            if lemmas is None:
                k = by_form.get(words[i])
            elif len(lemmas) == 1 and lemmas[0] not in self.terms.weak:
                k = self.terms.term_of(lemmas[0])
            else:  # (a weak lemma: the word may match another term too, which comes first)
                k = self._decide(words[i])
            if k is not None:
                out.append((i, ends[2 * i], ends[2 * i + 1], k))
        return in_runs(out, self.terms.weak)

    def _placed_covers_forms(self) -> bool:
        """Whether every word a query form matches is a word the index placed: no prefix,
        and each form shares a lemma with the query (a text word is written as a query
        form only with that form's lemmas, and the index records every lemma of every
        word where it stands). Then a text's written words need no judging: judging them
        and cutting the whole text took half of a snippet's time at 100,000 articles."""
        if self._forms_placed is None:
            lemmas = self.analyzer.lemmas
            self._forms_placed = not self.terms.prefixes and all(
                not self.terms.lemmas.isdisjoint(lemmas(form)[0]) for form in self.terms.forms)
        return self._forms_placed

    def _judge(self, new: list[str]) -> None:
        """Which of the written words ``new`` match a query form or prefix, and which."""
        self._judged.update(new)
        forms = self.analyzer.forms(new)
        prefixes = self.terms.prefixes
        # Set operations and maps over the words run in C; Python only visits the matches.
        hit_forms = self.terms.forms.intersection(forms)
        if prefixes:
            hit_forms |= set(compress(forms, map(str.startswith, forms, repeat(prefixes))))
        if not hit_forms:
            return
        for raw, form in compress(zip(new, forms, strict=True), map(hit_forms.__contains__, forms)):
            self._by_form[raw] = (self.terms.term_of(form) if form in self.terms.forms and form not in self.terms.weak
                                  else next((p for p in prefixes if form.startswith(p)), form))

    def _decide(self, raw: str) -> str | None:
        k = self._keys.get(raw, _UNSEEN)
        if k is _UNSEEN:
            form, lemmas, _ = self.analyzer.word(raw)
            k = self._keys[raw] = self.terms.key_of(form, lemmas)
        return k  # type: ignore[return-value]


_UNSEEN = object()
#: Splits a text into the gaps and the words between them (a word at every odd place),
#: by the word pattern :func:`token_re` picks for it.
_SPLIT = {p: re.compile(f"({p.pattern})", p.flags) for p in (TOKEN_RE, PLAIN_TOKEN_RE)}


def _pieces(text: str, spans: Iterable[tuple[int, int, str]]) -> list[str]:
    """What ``_SPLIT.split(text)`` gives, with the words ``spans`` cut: the gaps at the even
    places, the words at the odd ones."""
    out: list[str] = []
    at = 0
    for a, b, raw in spans:
        out += (text[at:a], raw)
        at = b
    out.append(text[at:])
    return out


#: Marking stops within this many characters too: 20,000 words of news take 146,000
#: (BrUK's texts), but a text of a few huge words holds fewer, and was read whole to
#: find its 20,000th (a hyphen chain of a million parts is one 2 MB word: 0.35 s per hit
#: listed, 3-4 s for a page of ten).
MARKED_CHARS = 200_000


def marked_part(text: str) -> tuple[int, int] | None:
    """Where marking stops in ``text`` and how many words are marked: the end of its
    :data:`MARKED_WORDS`-th word when more words follow it, or of the last whole word in
    its first :data:`MARKED_CHARS` characters when it goes on past them; ``None``: the
    whole text is marked."""
    if len(text) < 2 * MARKED_WORDS:  # too short to hold that many words and one more: no scan
        return None
    words = list(islice(TOKEN_RE.finditer(text, 0, MARKED_CHARS), MARKED_WORDS + 1))
    if len(words) > MARKED_WORDS:
        return words[MARKED_WORDS - 1].end(), MARKED_WORDS
    if len(text) <= MARKED_CHARS:
        return None
    if len(words) > 1 and words[-1].end() == MARKED_CHARS and not text[MARKED_CHARS].isspace():
        words.pop()  # (a word cut by the limit: marking stops before it)
    return (words[-1].end(), len(words)) if words else (MARKED_CHARS, 0)


def marked_end(text: str) -> int | None:
    """Where marking stops in ``text`` (see :func:`marked_part`), ``None`` when it does not."""
    part = marked_part(text)
    return None if part is None else part[0]


def field_matchers(analyzer: Analyzer, terms: MatchTerms) -> tuple[Matcher, Matcher]:
    """Matchers of ``terms`` in titles and in bodies (:meth:`MatchTerms.within`): one
    :class:`Matcher` for both when they match the same, so each word is judged once."""
    title, body = terms.within("title"), terms.within("body")
    in_body = Matcher(analyzer, body)
    return in_body if title is body else Matcher(analyzer, title), in_body


def highlight_all(text: str, analyzer: Analyzer, terms: MatchTerms) -> Snippet:
    """The whole ``text`` with every match in its first :data:`MARKED_WORDS` words (and
    :data:`MARKED_CHARS` characters) marked (for ``show``); the snippet says so when the
    text is longer."""
    part = marked_part(text) if terms else None
    marked = text if part is None else text[:part[0]]
    spans = tuple(Span(a, b) for a, b, _ in Matcher(analyzer, terms).find(marked))
    return Snippet(text, spans, None if part is None else part[1])


def best_snippet(text: str, analyzer: Analyzer, terms: MatchTerms, *, width: int = 220,
                 found: list[tuple[int, int, str]] | None = None) -> Snippet:
    """A window of about ``width`` characters holding the most distinct query terms.

    Ties go to the earlier window (news put the key facts first). Without matches it is the
    start of the text. Line breaks are folded to spaces; ``…`` marks cut ends. ``found``
    passes matches already found by a :class:`Matcher`.
    """
    if found is None:
        found = Matcher(analyzer, terms).find(text)
    hits = found
    first_start = 0
    if not hits:
        start, end = 0, min(len(text), width)
    else:
        best = _best_window(hits, width)
        first_start = hits[best][0]
        # Some words of context before the first match, but not past a paragraph break.
        start = max(0, first_start - width // 4)
        para = text.rfind("\n", start, first_start)
        if para != -1:
            start = para + 1
        end = min(len(text), start + width)
    # Snap to word boundaries, never past the first match of the window.
    if start > 0 and not text[start - 1].isspace():
        limit = first_start if hits else min(len(text), start + 30)
        sp = text.find(" ", start, limit)
        if sp != -1:
            start = sp + 1
    if end < len(text):
        last_match = max((b for _, b, _ in hits if b <= end), default=start)
        sp = text.rfind(" ", max(last_match, end - 30), end)
        if sp > start:
            end = sp
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    inside = [(a - start, b - start) for a, b, _ in hits if a >= start and b <= end]
    return _fold_space(prefix, text[start:end], suffix, inside)


def _best_window(hits: list[tuple[int, int, str]], width: int) -> int:
    """The match that starts the window of ``width`` characters with the most distinct
    terms, then the most matches; the earliest such. One pass with a sliding window: a
    long article can hold tens of thousands of matches, and a window rebuilt from each
    match (a copy of the rest of the list every time) took seconds."""
    keys: Counter[str] = Counter()
    best = (-1, -1, 0)
    j = 0  # the window is hits[i:j]; both ends only move forward, as matches are in order
    for i, (tstart, _, _) in enumerate(hits):
        j = max(j, i)
        while j < len(hits) and hits[j][1] - tstart <= width:
            keys[hits[j][2]] += 1
            j += 1
        if (len(keys), j - i) > best[:2]:
            best = (len(keys), j - i, i)
        if j > i:  # hit i leaves the window
            k = hits[i][2]
            keys[k] -= 1
            if not keys[k]:
                del keys[k]
    return best[2]


def _fold_space(prefix: str, piece: str, suffix: str, spans: list[tuple[int, int]]) -> Snippet:
    """Fold every run of white space (line and paragraph breaks too) into one space,
    moving the spans along with the text; a line break after a word's hyphen goes
    (``украї-\\nнська`` reads ``украї-нська``, as in print), and so does a soft hyphen
    (with the line break after it: ``укрит\\u00ad\\nтя`` reads ``укриття``)."""
    folded = _folded(piece, spans, _FOLDED, lambda m: "" if m.group(1) or m.group(2) else " ")
    return Snippet(prefix + folded.text + suffix,
                   tuple(Span(s.start + len(prefix), s.end + len(prefix)) for s in folded.spans))


def listed(word: str) -> str:
    """A word of a text (as :meth:`Analyzer.spans` cuts it) as a list of the words that
    matched shows it (a hit's ``matched``, ``explain``): as :func:`shown`, and a word
    hyphenated across a line end as the word it is (``інфор-\\nмація``: ``інформація``,
    which is what the search found). A snippet shows the text as printed
    (``інфор-мація``), so that its marks stay where they are."""
    return joined_across_lines(shown(word).text) if not word.isprintable() else word


def shown(text: str, spans: Iterable[Span] = ()) -> Snippet:
    """``text`` as a hit shows it (its title, a word of it), with ``spans`` moved along:
    without soft hyphens (nor a line end after one inside a word), which print as nothing
    but stay in what is copied or exported (a title pasted into a search elsewhere no
    longer matched)."""
    return _folded(text, [(s.start, s.end) for s in spans], _SOFT, lambda m: "")


def stored_spans(text: str, spans: Iterable[Span]) -> tuple[Span, ...]:
    """``spans`` of :func:`shown` ``(text)`` as offsets into ``text`` itself, which keeps its
    soft hyphens (what ``show --json`` prints).

    >>> stored_spans("укри\u00adття укриття", [Span(0, 6), Span(7, 13)])
    (Span(start=0, end=7), Span(start=8, end=14))
    """
    spans = tuple(spans)
    gone = [range(m.start(), m.end()) for m in _SOFT.finditer(text)]
    if not gone or not spans:
        return spans
    removed = {i for r in gone for i in r}
    kept = [i for i in range(len(text)) if i not in removed]  # shown offset -> stored offset
    return tuple(Span(kept[s.start], kept[s.end - 1] + 1) for s in spans)


def _folded(piece: str, spans: Iterable[tuple[int, int]], runs_of: re.Pattern[str],
            fold: Callable[[re.Match[str]], str]) -> Snippet:
    """``piece`` with each run ``runs_of`` finds replaced by ``fold`` of it, and the
    ``spans`` moved along with the text."""
    # Only the runs that change are visited; an offset moves back by what the runs before it lost.
    runs = [(m.start(), m.end(), fold(m)) for m in runs_of.finditer(piece)]
    if not runs:
        return Snippet(piece, tuple(Span(a, b) for a, b in spans))
    starts = [a for a, _, _ in runs]
    lost = list(accumulate(b - a - len(new) for a, b, new in runs))

    def where(offset: int) -> int:
        # Spans start and end at words, never inside a run of white space.
        k = bisect_left(starts, offset)  # the runs before the offset
        return offset - (lost[k - 1] if k else 0)

    out, pos = [], 0
    for a, b, new in runs:
        out += [piece[pos:a], new]
        pos = b
    out.append(piece[pos:])
    return Snippet("".join(out), tuple(Span(where(a), where(b)) for a, b in spans))


_BREAKS = re.escape(LINE_BREAKS)
_LETTER = r"[^\W\d_]"
#: A soft hyphen, and the line end after it when a word goes on after that (``укрит\\u00ad\\nтя``).
_SOFT_BREAK = rf"{SOFT_HYPHEN}(?:(?<={_LETTER}{SOFT_HYPHEN})\s*[{_BREAKS}]\s*(?={_LETTER}))?"
_SOFT = re.compile(_SOFT_BREAK)
#: A run of white space that folding changes; group 1: one that ends a line after a word's
#: hyphen and goes on to a letter, which folds to nothing; group 2: a soft hyphen (and such
#: a line end after it), which folds to nothing too.
_FOLDED = re.compile(rf"(?<={_LETTER}[{re.escape(HYPHENS)}])(\s*[{_BREAKS}]\s*)(?={_LETTER})"
                     rf"|({_SOFT_BREAK})|\s{{2,}}|[^\S ]")
