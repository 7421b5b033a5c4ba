"""A parsed query compiled into a Whoosh query over the index's fields, within the
query-side limits of :mod:`searchkit.query.limits`."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any

from whoosh import matching, query

from ...query import limits
from ...query import parse as q
from ...query.compiling import TreeCompiler
from ...query.limits import FUZZY_PREFIX, MAX_EXPANSION, MAX_PATTERN_WORDS, MIN_PREFIX
from ..documents import date_bounds, source_keys
from ..records import Compiled, Relaxed

if TYPE_CHECKING:
    from .words import Words

__all__ = ["FUZZY_PREFIX", "MAX_EXPANSION", "MAX_PATTERN_WORDS", "MIN_PREFIX", "Compiler", "date_filter"]


class _ExpandedFuzzyTerm(query.FuzzyTerm):  # type: ignore[misc]
    """A fuzzy term that keeps the expansion made while compiling: Whoosh would walk the
    vocabulary with its (pure Python) automaton again for every search. It scores the sum
    of its terms' scores (not Whoosh's constant), as the block evaluator does, so that
    the search, Whoosh's own run of a query and ``explain`` agree."""

    def __init__(self, term: Any, expansion: list[Any]) -> None:
        super().__init__(term.fieldname, term.text, boost=term.boost, maxdist=term.maxdist,
                         prefixlength=term.prefixlength, constantscore=False)
        self.expansion = expansion

    def _btexts(self, ixreader: Any) -> list[Any]:
        return self.expansion


class _ExpandedPrefix(query.Prefix):  # type: ignore[misc]
    """A prefix that keeps the index terms it stands for (all of them, or the first ones
    when it stands for too many postings to search quickly): Whoosh would walk the
    terms again for every search, and the block evaluator reads the list. Scored as
    :class:`_ExpandedFuzzyTerm` is."""

    def __init__(self, fieldname: str, text: str, expansion: list[str], boost: float = 1.0) -> None:
        super().__init__(fieldname, text, boost=boost, constantscore=False)
        self.expansion = expansion

    def _btexts(self, ixreader: Any) -> list[Any]:
        return self.expansion


class _Vocabulary:
    """The index's words as the shared resolver asks for them."""

    def __init__(self, ix: Words, reader: Any) -> None:
        self.has_word = ix.has_word
        self.has_prefix = ix.has_prefix
        self.doc_frequency = ix.doc_frequency  # (the reader's, kept for the search: see Words.looked_up)
        self.doc_count = reader.doc_count
        self.reader = reader

    def prefix_terms(self, fields: Sequence[str], prefix: str, most: int) -> list[list[str]]:
        return [[t.decode("utf-8") for t in islice(self.reader.expand_prefix(f, prefix), most)] for f in fields]


class Compiler(TreeCompiler[Any]):
    """One query's compilation into a Whoosh query (see :class:`~searchkit.query.compiling.TreeCompiler`)."""

    def __init__(self, ix: Words, parsed: q.ParsedQuery, *, translit: bool = True,
                 families: bool = True) -> None:
        self.ix = ix
        self.reader = ix.searcher().reader()
        #: the prefix and fuzzy words' terms, shared out by :meth:`settle`
        self._asks: list[tuple[limits.PostingsAsk, list[str], list[list[str]], bool]] = []
        super().__init__(ix.analyzer, parsed, _Vocabulary(ix, self.reader), ix.ranking, translit=translit,
                         families=families)

    def run(self) -> Compiled:
        wq = self.ranked(self.required())
        self.settle()
        terms = self.match_terms()
        return Compiled(wq, terms, tuple(dict.fromkeys(self.searched_as.values())), tuple(self.readings.items()),
                        cut=tuple(self.budget.cut), ranking_only=tuple(self.ranking_only))

    def run_relaxed(self, strict: Any, *, fill: bool = False) -> Any | None:
        """The partial matches (see :meth:`TreeCompiler.relaxed`), with their parts for the
        block evaluator, which counts the words each article holds itself."""
        got = self.relaxed(strict, fill=fill)
        self.settle()
        if got is None:
            return None
        found = got.parts
        terms = self.match_terms()
        spec = Relaxed(tuple(found.rare), tuple(got.excluded), self.rk.partial_bonus,
                       query.Or(got.boosters) if got.boosters else None, tuple(found.common), tuple(found.filling),
                       tuple(found.required))
        return Compiled(got.query, terms, tuple(dict.fromkeys(self.searched_as.values())),
                        tuple(self.readings.items()), relaxed=spec, cut=tuple(self.budget.cut),
                        fillable=found.fillable)

    def expanding(self, w: q.Word) -> Any:
        """``word*`` and ``word~``: over lemmas and written forms, each expanding to at most
        ``MAX_EXPANSION`` index terms."""
        if w.prefix:
            got = self.prefix_terms(w)
            if got is None:
                return None
            form, fields, found = got
            kept = self.within_budget(f"{form}*", [f for f, _ in fields], found, highlight=True, prefix=True)
            return query.Or([_ExpandedPrefix(f, form, terms, boost=b)
                             for (f, b), terms in zip(fields, kept, strict=True)])
        aimed = self.fuzzy_targets(w)
        if aimed is None:
            return None
        tok, targets = aimed
        subs = [query.FuzzyTerm(f, text, boost=b, maxdist=w.fuzzy, prefixlength=FUZZY_PREFIX)
                for f, b, text in targets]
        found = []
        for sub in subs:
            expanded = self.ix.fuzzy_terms(sub.fieldname, sub.text, w.fuzzy)
            self.budget.count_expansion(f"{tok.form}~{w.fuzzy}", len(expanded))
            found.append(expanded)
        kept = self.within_budget(f"{tok.form}~{w.fuzzy}", [sub.fieldname for sub in subs], found,
                                  typed={tok.form, *tok.lemmas[:1]}, highlight=True)
        return query.Or([_ExpandedFuzzyTerm(sub, expanded) for sub, expanded in zip(subs, kept, strict=True)])

    def within_budget(self, what: str, fields: list[str], found: list[list[str]], *,
                      typed: set[str] | frozenset[str] = frozenset(), highlight: bool = False,
                      prefix: bool = False) -> list[list[str]]:
        """The terms of a prefix or fuzzy word (``found``, per field) to search: all of
        them, or, once :meth:`settle` has shared the postings budget among all the
        query's such words, its most common words that fit, cut in place (see
        :meth:`searchkit.query.limits.QueryBudget.share_postings`): for ``ук*``,
        ``україна`` and ``український``, which the first words in alphabetical order
        (``укажемо``, ``указ``, ...) left out. Each term costs its postings and
        :data:`~searchkit.query.limits.TERM_POSTINGS` for its look-ups. ``typed``: the
        fuzzy word itself, searched first whatever its count (``війна~2`` cut to its most
        common word searched ``він``); ``highlight``: the terms searched are highlighted (unless
        the word is left out: see :meth:`searched`); ``prefix``: they are a prefix's."""
        postings: dict[str, int] = {}
        cost: dict[str, int] = {}
        for f, terms in zip(fields, found, strict=True):
            for t in terms:
                df = self.reader.doc_frequency(f, t)
                postings[t] = postings.get(t, 0) + df
                cost[t] = cost.get(t, 0) + df + limits.TERM_POSTINGS
        words = sorted(postings, key=lambda t: (t not in typed, -postings[t], t))
        ask = limits.PostingsAsk(what, words, [cost[t] for t in words], left_out=self.negations > 0)
        self._asks.append((ask, fields if highlight and not self.negations % 2 else [], found, prefix))
        return found

    def settle(self) -> None:
        """Share the postings budget among the prefix and fuzzy words compiled so far, all
        known now (each in order, the first would take all it could and leave the others
        one word each), and cut each one's term lists, which its clauses hold, in place."""
        asks, self._asks = self._asks, []
        taken = self.budget.share_postings([ask for ask, _, _, _ in asks])
        for (ask, fields, found, prefix), n in zip(asks, taken, strict=True):
            if n < len(ask.words):
                keep = set(ask.words[:n])
                for terms in found:
                    terms[:] = [t for t in terms if t in keep]
            if fields:  # highlight the terms searched
                self.searched_terms(fields, found, prefix=prefix)

    # -- the query language: Whoosh's query objects ------------------------------------------

    def term(self, field: str, value: str, boost: float = 1.0) -> Any:
        return query.Term(field, value, boost=boost)

    def any_of(self, subs: list[Any]) -> Any:
        return query.Or(subs) if len(subs) > 1 else subs[0]

    def all_of(self, subs: list[Any]) -> Any:
        return query.And(subs)

    def negate(self, sub: Any) -> Any:
        return Without(sub)

    def ranked_by(self, required: Any, optional: list[Any]) -> Any:
        return query.AndMaybe(required, query.Or(optional))

    def held(self, clause: Any, bonus: float) -> Any:
        return query.Or([clause, query.ConstantScoreQuery(clause, bonus)])

    def matching_part(self, compiled: Any) -> Any:
        return compiled.a if isinstance(compiled, query.AndMaybe) else compiled  # (see :meth:`ranked_by`)

    def excluding(self, q_: Any, excluded: list[Any]) -> Any:
        return query.AndNot(q_, query.Or(excluded))

    def requiring(self, q_: Any, required: list[Any]) -> Any:
        return query.Require(q_, required[0] if len(required) == 1 else query.And(required))

    def adjacent(self, field: str, slots: list[tuple[str, ...]], boost: float) -> Any:
        seq = [query.Term(field, s[0]) if len(s) == 1 else query.Or([query.Term(field, lemma) for lemma in s])
               for s in slots]
        return query.Sequence(seq, slop=1, boost=boost)

    def near(self, field: str, slots: list[tuple[str, ...]], between: int, *, ordered: bool, boost: float) -> Any:
        # (Whoosh's slop counts the step to the next word: one more than Lucene's)
        seq = [query.Or([query.Term(field, lemma) for lemma in slot]) for slot in slots]
        return query.Sequence(seq, slop=between + 1, ordered=ordered, boost=boost)


class Without(query.Not):  # type: ignore[misc]
    """A negation that adds nothing to a score. Whoosh's own scores 1.0, so every word
    left out raised every score shown by one; the cluster's ``must_not`` adds nothing."""

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        reader = searcher.reader()
        child = self.query.matcher(searcher, searcher.boolean_context())
        return matching.InverseMatcher(child, reader.doc_count_all(), missing=reader.is_deleted, weight=0.0)


def date_filter(since: int | None, until: int | None, source: str | None) -> Any:
    """The Whoosh filter for a date range (``yyyymmdd``) and a source, or ``None``."""
    filters = []
    if since is not None or until is not None:
        filters.append(query.NumericRange("date", *date_bounds(since, until)))
    if source:
        keys = source_keys(source)
        filters.append(query.Term("source_key", keys[0]) if len(keys) == 1
                       else query.Or([query.Term("source_key", key) for key in keys]))
    return query.And(filters) if filters else None
