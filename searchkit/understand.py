"""What to search for what the user typed: the query as typed, or a corrected one.

Like a web search box: a query that finds nothing because of a typo is searched with its
correction ("showing results for ..."), and a query that finds little gets a "did you
mean" suggestion. All words still have to match: a query is never relaxed to some of its
words behind the user's back. Works through the index's public methods only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import query as q
from .analysis import Analyzer
from .errors import QueryError
from .query import parse_query
from .suggest import corrections, match_case, replace_word
from .translit import best_reading, is_latin_word
from .translit import candidates as translit_candidates

if TYPE_CHECKING:  # pragma: no cover
    from .engine import Compiled, SearchIndex

__all__ = ["Plan", "plan_search"]

#: Fewer hits than this and a likely misspelt word earns a "did you mean".
SUGGEST_BELOW = 3
#: A "did you mean" for a query that found something needs a correction this many times
#: more frequent than the word typed.
SUGGEST_RATIO = 10
#: Candidates tried per word (each costs one count on the index).
CANDIDATES = 5
#: A query with more words unknown to the index is not mistyped, and each correction
#: walks the vocabulary (63 unknown words took 13 s on 1,400 articles).
MAX_SUSPECTS = 8

#: What a re-parsed query goes through before it is counted or run (the lexicon's synonyms).
Expand = Callable[[q.ParsedQuery], q.ParsedQuery]


@dataclass(frozen=True, slots=True)
class Plan:
    """The query to run and what to tell the user about it."""

    compiled: Compiled
    corrected_query: str | None = None
    suggestion: str | None = None


def plan_search(ix: SearchIndex, analyzer: Analyzer, parsed: q.ParsedQuery, *, exact: bool = False,
                expand: Expand | None = None, **filters: Any) -> Plan:
    """Decide what to search for ``parsed``; ``filters`` are the search's date/source filters.
    ``expand`` (the lexicon's synonyms) applies to every query run or counted; only the
    words typed are candidates for correction."""
    expand = expand or (lambda p: p)
    compiled = ix.compile(expand(parsed), translit=not exact)
    total = ix.count(compiled, **filters)
    if total >= SUGGEST_BELOW:
        return Plan(compiled)
    fixed = _correct(ix, analyzer, parsed, total, exact=exact, filters=filters, expand=expand)
    suggestion = None
    if fixed is not None:
        text, found = fixed
        if total == 0 and not exact:
            return Plan(ix.compile(expand(parse_query(text))), corrected_query=text)
        if found > total:
            suggestion = text
    return Plan(compiled, suggestion=suggestion)


def _suspects(ix: SearchIndex, analyzer: Analyzer, parsed: q.ParsedQuery,
              total: int) -> list[tuple[str, str]]:
    """Query words that look mistyped, as ``(typed, word to correct)``: no article has
    them (or, when the query found something, the dictionary does not know them and hardly
    any article has them). A Latin word that spells nothing the index has is corrected
    from its closest Cyrillic reading."""
    out: dict[str, str] = {}
    for w in q.words_of(parsed.root):
        if not isinstance(w, q.Word) or w.prefix or w.fuzzy:
            continue
        tokens = analyzer.analyze(w.text)
        if len(tokens) != 1:
            continue
        tok = tokens[0]
        freq = max(ix.frequency(t) for t in (tok.form, *tok.lemmas))
        if freq == 0 and is_latin_word(w.text):
            if translit_candidates(w.text, has_prefix=ix.has_prefix, exists=ix.has_word, limit=1):
                continue
            reading = best_reading(w.text, has_prefix=ix.has_prefix)
            if reading:
                out[w.text] = reading
        elif freq == 0 or (total > 0 and not tok.known and freq < SUGGEST_BELOW):
            out[w.text] = w.text
    return list(out.items())


def _correct(ix: SearchIndex, analyzer: Analyzer, parsed: q.ParsedQuery, total: int, *, exact: bool,
             filters: dict[str, Any], expand: Expand) -> tuple[str, int] | None:
    """The query with its suspect words corrected and how many articles it finds, or
    ``None`` when no correction finds anything together with the other words."""
    suspects = _suspects(ix, analyzer, parsed, total)
    if not suspects or len(suspects) > MAX_SUSPECTS:
        return None  # more unknown words than typos: each would cost a walk over the vocabulary
    text = parsed.text
    found = 0
    for i, (word, spelling) in enumerate(suspects):
        context = text
        for later, _ in suspects[i + 1 :]:  # not yet corrected: leave them out while choosing
            context = replace_word(context, later, "")
        best: tuple[tuple[int, int], str, int] | None = None
        typed_freq = ix.frequency(analyzer.analyze(spelling)[0].form)
        for cand in corrections(spelling, ix, analyzer, limit=CANDIDATES):
            if total > 0 and cand.frequency < SUGGEST_RATIO * max(typed_freq, 1):
                continue
            n = _count(ix, replace_word(context, word, match_case(word, cand.word)), exact=exact, filters=filters,
                       expand=expand)
            if n == 0:
                continue
            key = (cand.distance, -cand.frequency)
            if best is None or key < best[0]:
                best = (key, match_case(word, cand.word), n)
        if best is not None:
            text = replace_word(text, word, best[1])
            found = best[2]
    if text == parsed.text:
        return None
    n = _count(ix, text, exact=exact, filters=filters, expand=expand)
    return (text, n or found) if n else None


def _count(ix: SearchIndex, text: str, *, exact: bool, filters: dict[str, Any], expand: Expand) -> int:
    try:
        compiled = ix.compile(expand(parse_query(text)), translit=not exact)
    except QueryError:
        return 0
    return ix.count(compiled, **filters)
