"""Evaluate the common queries a posting block at a time instead of a document at a time.

Whoosh runs a query as a tree of matchers that step through the postings one document at
a time, in Python: two common words over a big archive are thousands of steps for the
intersection and, for the "side by side" boosters, a span check for every document that
has both words. Most queries are plain words (terms joined by AND and OR, with optional
boosters), and for those this module computes the same results in bulk:

- **Which documents match**: the rarest part first, then each other part only in the
  posting blocks that can hold one of the candidates left (a block's highest id is in its
  header, so the other blocks are never decoded); sets do the rest, in C.
- **Scores**, for the matching documents only, with Whoosh's own scorer objects: a term
  scores ``scorer._score(weight, field length)`` times its boost; a compound query adds
  its parts' scores and multiplies by its boost, as Whoosh's matchers do.
- **Side-by-side boosters** (a ``Sequence`` of two parts): positions are read only for
  the documents that match the query, and checked as Whoosh's ``SpanNear`` checks them
  (``1 <= distance <= slop``, the first part first when ``ordered``).

- **Prefix and fuzzy words** whose expansion the compiler kept (an ``expansion`` list of
  index terms): the union of the terms' postings, scored as Whoosh scores a multi-term
  query (the boost times the sum of the terms' scores; one term alone: its own score,
  unboosted).
- **Negations** (``Not``): every live document but the inner part's, each scoring 0.0 as
  the compiler's negation (:class:`.compiler.Without`) does; in a conjunction they are
  taken out of what the other parts matched.

- **Phrases** and words that are several tokens (a ``Sequence`` of terms or alternatives):
  the documents with every part, then their positions, checked as Whoosh's tree of span
  matchers checks them.
- **Partial matches**' wrappers (the compiler's ``held`` and ``excluding``): a
  ``ConstantScoreQuery`` scores its constant wherever its part matches, an ``AndNot``
  its first side where the second does not match, neither boosted, as Whoosh's matchers
  score them (the search ranks partial matches from their parts, ``explain`` from these).

A term's postings are read block by block by :mod:`.blocks`. Anything else (a
sequence of something other than terms) raises :class:`Unsupported`,
and the caller runs the query through Whoosh. The
scores are Whoosh's; only the order in which a document's parts are added may differ, which
moves a sum by a rounding step at most.
"""

from __future__ import annotations

import functools
import heapq
import math
from bisect import bisect_left
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from whoosh import query
from whoosh.codec.whoosh3 import LENGTHS_COLUMN

from ...query import budget
from .blocks import TermPostings, length_of
from .compiler import Without

__all__ = ["BulkEvaluator", "Unsupported"]

#: Matches scored between two looks at the clock: past the search's deadline the rest of a
#: big match set is left unscored (see :meth:`BulkEvaluator.scores`). 100,000 matches of
#: twenty words took 1-3 s to score on a busy 2-core machine, about 0.1 s per chunk.
SCORE_CHUNK = 4096


#: Matches above which :meth:`BulkEvaluator.top_scores` first tries to leave out those
#: that hold only common words.
_PRUNED_OVER = 2000


#: Documents whose side-by-side boosters are checked at a time, best possible first (see
#: ``BulkEvaluator._boost_best``).
_REACH_STEP = 256


@dataclass(frozen=True)
class Distinct:
    """A page that folds near-duplicates into one hit: its ``want`` best hits of distinct
    groups are what must be scored exactly. ``group`` gives a document's group: the same
    for the near-duplicates of one group, another for every other document."""

    want: int
    group: Callable[[int], Hashable]


class Unsupported(Exception):
    """The query has a part this module does not evaluate: use Whoosh."""


class _Late(Exception):
    """An optional part's scoring ran past the search's deadline."""



#: Candidates of a sequence checked between two looks at the clock.
_CHECKED = 1024


def _expansion(q: Any) -> list[str] | None:
    """The index terms a prefix or fuzzy word was expanded to by the compiler, if kept."""
    expansion = getattr(q, "expansion", None)
    return expansion if isinstance(q, query.MultiTerm) and isinstance(expansion, list) else None


def _optional_parts(q: Any) -> tuple[Any, list[tuple[Any, float]]] | None:
    """A query that is a required part with optional ones (``AndMaybe``, nested as the
    compiler nests them: words that only rank, then boosters) as ``(required, parts)``:
    each optional part that is not an ``Or`` with the factor its score is multiplied by
    (the boosts of the ``Or`` around it; Whoosh drops a one-part compound's boost).
    ``None`` for any other query."""
    parts: list[tuple[Any, float]] = []
    while isinstance(q, query.AndMaybe) and isinstance(q.b, query.Or) and q.boost == 1.0:
        parts[:0] = _summed(q.b, 1.0)
        q = q.a
    return (q, parts) if parts else None


def _summed(q: Any, factor: float) -> list[tuple[Any, float]]:
    """The parts whose scores an ``Or`` adds up, nested ``Or`` opened, each with its factor."""
    if not isinstance(q, query.Or):
        return [(q, factor)]
    if len(q.subqueries) > 1:
        factor *= q.boost
    return [pair for sub in q.subqueries for pair in _summed(sub, factor)]


def _spans_of(positions: list[list[int]], slop: int, ordered: bool) -> list[tuple[int, int]]:
    """The spans where the parts (each one's positions in a document, sorted) stand in
    sequence, as Whoosh's ``Sequence`` finds them: a binary tree of ``SpanNear`` matchers
    (the first half of the parts, then the second), each joining a span of its first side
    and one of its second that are 1 to ``slop`` positions apart (the first one first
    when ``ordered``)."""
    if len(positions) == 1:
        return [(p, p) for p in positions[0]]
    half = len(positions) // 2
    a = _spans_of(positions[:half], slop, ordered)
    if not a:
        return []
    b = _spans_of(positions[half:], slop, ordered)
    if not b:
        return []
    # Each span of the first side looks only at the second side's spans that may reach
    # it (a long article holds tens of thousands of each: all pairs took tens of seconds);
    # the spans are sorted by start, and none is longer than ``longest``.
    starts = [b0 for b0, _ in b]
    longest = max(b1 - b0 for b0, b1 in b)
    out = set()
    for a0, a1 in a:
        for j in range(bisect_left(starts, a0 if ordered else a0 - slop - longest), len(b)):
            b0, b1 = b[j]
            if b1 < a0 - slop or (ordered and a0 > b0):
                continue
            if b0 > a1 + slop:
                break
            if a0 <= b1 and b0 <= a1:  # overlapping: distance 0
                continue
            dist = b0 - a1 if a1 < b0 else a0 - b1
            if 1 <= dist <= slop:
                out.add((min(a0, b0), max(a1, b1)))
    return sorted(out)



class BulkEvaluator:
    """Evaluates queries on one searcher (see the module's docstring). Term postings
    read for one query are kept for the next calls on the same evaluator."""

    def __init__(self, searcher: Any) -> None:
        self.searcher = searcher
        self.leaves = searcher.leaf_searchers()
        self.deleted: set[int] = set()
        for leaf, offset in self.leaves:
            r = leaf.reader()
            if r.has_deletions():
                self.deleted.update(d + offset for d in r.deleted_docs_set)
        self._terms: dict[tuple[str, str], TermPostings] = {}
        #: the search that made it (see :func:`budget.scope`): only it shares these postings
        self.scope = budget.scope()
        self._lengths: dict[tuple[int, str], Any] = {}
        self._all: set[int] | None = None
        #: optional parts left out of scores at the search's deadline
        self.skipped = 0
        #: whether the last scoring stopped at the deadline before every match was scored
        self.cut = False
        #: whether the last :meth:`docs` with ``may_stop`` stopped at the deadline with some
        #: of the matches (each one a match)
        self.found_short = False
        self._may_stop = False  # within docs(..., may_stop=True), outside any negation
        self._optional = 0  # how deep in optional parts the scoring is
        #: the last required part :meth:`top_scores` scored in full: ``(part, docs,
        #: scores)``, for a second call that asks for more of the same matches
        self._required: tuple[Any, set[int], dict[int, float]] | None = None

    def all_docs(self) -> set[int]:
        """Every live document (what a negation starts from)."""
        if self._all is None:
            self._all = set(range(self.searcher.reader().doc_count_all())) - self.deleted
        return self._all

    def field_length(self, leaf: int, fieldname: str, scorer: Any) -> Any:
        """``docnum -> field length`` in segment ``leaf``, as the scorer's ``dfl`` gives
        it, from the lengths column read at once (one byte per document) instead of a
        file read per document."""
        key = (leaf, fieldname)
        fn = self._lengths.get(key)
        if fn is None:
            fn = scorer.dfl
            try:
                col = self.leaves[leaf][0].reader()._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
                if col is not None and col._fixedlen == 1:
                    raw = col._dbfile.get(col._basepos, col._count)
                    fn = functools.partial(length_of, raw, len(raw))
            except AttributeError:  # another codec: ask the scorer each time
                pass
            self._lengths[key] = fn
        return fn

    def terms_decoded(self) -> int:
        """How many terms' postings this evaluator holds."""
        return len(self._terms)

    def term(self, fieldname: str, text: str) -> TermPostings:
        key = (fieldname, text)
        t = self._terms.get(key)
        if t is None:
            if fieldname not in self.searcher.schema:
                raise Unsupported(fieldname)
            t = self._terms[key] = TermPostings(self, fieldname, text)
        return t

    # -- which documents match ----------------------------------------------------------
    def check(self, q: Any, *, required: bool = True) -> None:
        """Raise :class:`Unsupported` unless every part of ``q`` can be evaluated here
        (boosters may hold two-part sequences of terms)."""
        if isinstance(q, query.Term) and type(q) is query.Term:
            return
        if _expansion(q) is not None:
            return
        if isinstance(q, Without):
            self.check(q.query)
            return
        if isinstance(q, query.AndMaybe):
            self.check(q.a, required=required)
            self.check(q.b, required=False)
            return
        if type(q) is query.AndNot:
            self.check(q.a, required=required)
            self.check(q.b)
            return
        if type(q) is query.ConstantScoreQuery:
            self.check(q.child, required=required)
            return
        if type(q) in (query.And, query.Or):
            for sub in q.subqueries:
                self.check(sub, required=required)
            return
        if type(q) is query.Sequence and len(q.subqueries) >= 2:
            for sub in q.subqueries:
                if type(sub) is query.Or:
                    if not all(type(t) is query.Term for t in sub.subqueries):
                        raise Unsupported(str(sub))
                elif type(sub) is not query.Term:
                    raise Unsupported(str(sub))
            return
        raise Unsupported(type(q).__name__)

    def size(self, q: Any) -> int:
        """An upper bound on the matches of ``q`` (document frequencies)."""
        if isinstance(q, query.Term):
            return int(self.term(q.fieldname, q.text).df)
        expansion = _expansion(q)
        if expansion is not None:
            return sum(self.term(q.fieldname, t).df for t in expansion)
        if isinstance(q, query.Not):
            return len(self.all_docs())
        if isinstance(q, (query.AndMaybe, query.AndNot)):
            return self.size(q.a)
        if isinstance(q, query.ConstantScoreQuery):
            return self.size(q.child)
        if isinstance(q, (query.And, query.Sequence)):
            return min(self.size(s) for s in q.subqueries)
        return sum(self.size(s) for s in q.subqueries)

    def docs(self, q: Any, within: set[int] | None = None, *, may_stop: bool = False) -> set[int]:
        """The documents ``q`` matches (among ``within``, when given).

        With ``may_stop``, once the search's deadline has passed the words of a
        disjunction not read yet are left out, and a conjunction's or a phrase's
        candidates are cut to their first 1,024 before its next parts are read: what is returned
        are matches, not all of them, and ``found_short`` says so. A negation's part is
        always read in full (fewer of its documents would be more matches)."""
        wanted = sorted(within) if within is not None else None
        self.found_short = False
        self._may_stop = may_stop
        try:
            return self._docs(q, wanted, within)
        finally:
            self._may_stop = False

    def _stop(self) -> bool:
        """Whether a :meth:`docs` that may stop should stop here (and says it did)."""
        if self._may_stop and budget.passed():
            self.found_short = True
            return True
        return False

    def _exactly(self, q: Any, wanted: list[int] | None, within: set[int] | None) -> set[int]:
        """``_docs`` in full, whatever the deadline (a negation's part)."""
        may_stop, self._may_stop = self._may_stop, False
        try:
            return self._docs(q, wanted, within)
        finally:
            self._may_stop = may_stop

    def _docs(self, q: Any, wanted: list[int] | None, within: set[int] | None) -> set[int]:
        if within is not None and not within:
            return set()
        if isinstance(q, query.Term):
            return self.term(q.fieldname, q.text).docs(wanted, within, self)
        expansion = _expansion(q)
        if expansion is not None:
            found: set[int] = set()
            for i, t in enumerate(expansion):
                if i and self._stop():
                    break
                found |= self.term(q.fieldname, t).docs(wanted, within, self)
            return found
        if isinstance(q, query.Not):
            base = within if within is not None else self.all_docs()
            return base - self._exactly(q.query, wanted, within)
        if isinstance(q, query.AndMaybe):
            return self._docs(q.a, wanted, within)
        if isinstance(q, query.AndNot):
            found = self._docs(q.a, wanted, within)
            return found - self._exactly(q.b, sorted(found), found) if found else found
        if isinstance(q, query.ConstantScoreQuery):
            return self._docs(q.child, wanted, within)
        if isinstance(q, query.Sequence):  # the documents with every part, then their positions
            both = self._docs(query.And(list(q.subqueries)), wanted, within)
            return self._in_sequence(q, sorted(both), both)
        if isinstance(q, query.And):
            # the rarest part first; negations last, taken out of what the others matched
            subs = sorted(q.subqueries, key=lambda sub: (isinstance(sub, query.Not), self.size(sub)))
            out = self._docs(subs[0], wanted, within)
            for sub in subs[1:]:
                if not out:
                    break
                if len(out) > _CHECKED and self._stop():
                    # the first candidates only: the next parts read only their blocks
                    out = set(sorted(out)[:_CHECKED])
                out = self._docs(sub, sorted(out), out)
            return out
        if isinstance(q, query.Or):
            out = set()
            for i, sub in enumerate(q.subqueries):
                if i and out and self._stop():
                    break
                out |= self._docs(sub, wanted, within)
            return out
        raise Unsupported(type(q).__name__)

    # -- scores ---------------------------------------------------------------------------
    def scores(self, q: Any, docs: set[int]) -> dict[int, float]:
        """``{docnum: score}`` of ``q`` for the documents of ``docs`` it matches (past the
        search's deadline without the optional parts: ``skipped`` counts them).

        A big ``docs`` is scored :data:`SCORE_CHUNK` documents at a time, in docnum order:
        once the deadline has passed, the documents not yet scored are left out and ``cut``
        is set, as Whoosh's walk stops with the matches found by then. Without a cut the
        scores are those of one pass over every document."""
        self.skipped = 0
        self.cut = False
        return self._chunked(q, sorted(docs), docs)

    def _chunked(self, q: Any, docs: list[int], docs_set: set[int]) -> dict[int, float]:
        if len(docs) <= SCORE_CHUNK:
            return self._scores(q, docs, docs_set)
        out: dict[int, float] = {}
        for start in range(0, len(docs), SCORE_CHUNK):
            if start and budget.passed():  # the first chunk always: a cut search shows something
                self.cut = True
                break
            part = docs[start:start + SCORE_CHUNK]
            skipped = self.skipped
            got = self._scores(q, part, set(part))
            if start and self.skipped > skipped:
                # the deadline passed inside this chunk's optional parts: ranked without
                # them, its documents would not compare with the earlier ones
                self.skipped = skipped
                self.cut = True
                break
            out.update(got)
        return out

    def top_scores(self, q: Any, docs: set[int], need: int,
                   distinct: Distinct | None = None) -> tuple[dict[int, float], float | None]:
        """:meth:`scores` exact for the ``need`` best documents at least (or, with
        ``distinct``, for the best documents of its ``want`` best groups), and ``floor``:
        every document scored below it may be short of its score (``None``: all exact).

        The optional parts of a query (``AndMaybe``, one or several nested) only rank, and
        two of their kinds are costly over thousands of matches: the side-by-side boosters
        (positions) and a common word's forms (a posting block read for nearly every
        match). The most each can add to a document is known without reading that: a
        booster adds at most its two parts' scores times the boost, a word at most what its
        block's highest weight scores (see :meth:`TermPostings.bounds`). A document whose
        score with each of them at that most stays under the ``need``-th best score without
        them cannot reach the top, and is scored without them.
        """
        if len(docs) > _PRUNED_OVER and len(docs) > need * 8:
            pruned = self._without_common(q, docs, need, distinct)
            if pruned is not None:
                return pruned
        return self._top_scores(q, docs, need, distinct)

    def _without_common(self, q: Any, docs: set[int], need: int,
                        distinct: Distinct | None) -> tuple[dict[int, float], float | None] | None:
        """:meth:`top_scores` of the matches that hold a word other than the common ones
        (terms held by over a quarter of ``docs``), when that settles the top: those
        holding only common words can score at most their terms' bounds added (see
        :meth:`TermPostings.most`), and when that stays under the ``need``-th best score of
        the others, they are left unscored (0.0, under the floor). ``None`` when it does
        not settle it, or the query is not words and boosters.

        A partial-match query of a rare word and a word whose family holds a common one
        (``перекликатися слідувати``: ``слід``) matches 14,000 of 100,000 articles, and
        12,700 of them hold ``слід`` alone, whose score (at 0.3 of the word's) reaches
        none of the best."""
        found = _optional_parts(q)
        core, parts = found if found is not None else (q, [])
        leaves = [*(_summed(core, 1.0) if isinstance(core, query.Or) else [(core, 1.0)]), *parts]
        # each leaf: a term, or a booster of two parts, each a term or several: its
        # parts as (factor, terms)
        terms: list[list[tuple[float, list[Any]]]] = []
        for leaf, _ in leaves:
            if type(leaf) is query.Term:
                terms.append([(1.0, [leaf])])
            elif type(leaf) is query.Sequence and len(leaf.subqueries) == 2 and all(
                    type(p) is query.Term or (type(p) is query.Or and all(type(t) is query.Term for t in p.subqueries))
                    for p in leaf.subqueries):
                terms.append([(1.0, [p]) if type(p) is query.Term else
                              (p.boost if len(p.subqueries) > 1 else 1.0, list(p.subqueries))
                              for p in leaf.subqueries])
            else:
                return None
        every = {(t.fieldname, t.text) for leaf in terms for _, part in leaf for t in part}
        common = {key for key in every if self.term(*key).df * 4 > len(docs)}
        if not common:
            return None
        held: set[int] = set()
        for key in every - common:
            held |= self.term(*key).docs(None, None, self) & docs
        if len(held) < need or len(held) * 2 > len(docs):
            return None
        # the most an article holding only common terms can score
        most = 0.0
        for (leaf, f), leaf_terms in zip(leaves, terms, strict=True):
            sides = [factor * sum(self.term(t.fieldname, t.text).most() * t.boost for t in part
                                  if (t.fieldname, t.text) in common) for factor, part in leaf_terms]
            if len(sides) == 1:
                most += sides[0] * f
            elif all(sides):  # (a booster with a part of rarer terms only is not there)
                most += sum(sides) * leaf.boost * f
        # (with ``distinct``, the scores below the top groups' may be short: the n-th best
        # is then lower than the exact one, and the test below only more cautious)
        scores, floor = self._top_scores(q, held, need, distinct)
        if self.cut or self.skipped:
            return None
        nth = heapq.nlargest(need, scores.values())[-1]
        if most >= nth:
            return None
        out = dict.fromkeys(docs - held, 0.0)
        out.update(scores)
        return out, max(floor or 0.0, math.nextafter(most, math.inf))

    def _top_scores(self, q: Any, docs: set[int], need: int,
                    distinct: Distinct | None) -> tuple[dict[int, float], float | None]:
        found = _optional_parts(q) if len(docs) > need else None
        if found is None:
            return self.scores(q, docs), None
        core, parts = found
        near = [(sub, f) for sub, f in parts if type(sub) is query.Sequence and len(sub.subqueries) == 2]
        common = [(sub, f) for sub, f in parts if type(sub) is not query.Sequence and self._bounded(sub, len(docs))]
        if not near and not common:
            return self.scores(q, docs), None
        self.skipped = 0
        self.cut = False
        last = self._required
        if last is not None and last[0] is core and last[1] is docs:
            # the same matches again, more of them wanted (near-duplicates folded away many
            # of the best): their required part is scored already
            required = last[2]
        else:
            required = self._chunked(core, sorted(docs), docs)  # past the deadline: cut, see scores()
            # (a scoring cut at the deadline is not kept: a later search has its own time)
            self._required = None if self.cut else (core, docs, required)
        # The optional parts only rank: past the deadline they are left out, all of them
        # (the matches are then ranked alike, without them).
        self._optional += 1
        try:
            if budget.passed():
                raise _Late
            lower = dict(required)
            matched = sorted(lower)
            matched_set = set(matched)
            for sub, f in parts:
                if (sub, f) in near or (sub, f) in common:
                    continue
                for dn, sc in self._scores(sub, matched, matched_set).items():
                    lower[dn] += sc * f
            upper = dict(lower)
            for sub, f in near:
                a, b = (self._scores(x, matched, matched_set) for x in sub.subqueries)
                for dn in a.keys() & b.keys():
                    upper[dn] += (a[dn] + b[dn]) * sub.boost * f
            for sub, f in common:
                for dn, most in self.term(sub.fieldname, sub.text).bounds(matched).items():
                    upper[dn] += most * sub.boost * f
            ranked = near + common  # the parts scored for the documents that can reach the top
            if len(lower) <= need:
                floor = None
                reach = matched
            else:
                floor = heapq.nlargest(need, lower.values())[-1]
                reach = [dn for dn in matched if upper[dn] >= floor]
            if floor is None or len(reach) <= _REACH_STEP:
                reach_set = set(reach)
                for sub, f in ranked:
                    for dn, sc in self._scores(sub, reach, reach_set).items():
                        lower[dn] += sc * f
            else:
                floor = self._boost_best(ranked, reach, lower, upper, need, floor, distinct)
        except _Late:
            self.skipped += 1
            return required, None
        finally:
            self._optional -= 1
        return lower, floor

    def _bounded(self, sub: Any, matches: int) -> bool:
        """Whether an optional part is a word common enough to be ranked by its bound
        first: a plain term held by more documents than the query matches (scored exactly,
        it would read about a block per match)."""
        return type(sub) is query.Term and self.term(sub.fieldname, sub.text).df > matches

    def _boost_best(self, parts: list[tuple[Any, float]], reach: list[int], lower: dict[int, float],
                    upper: dict[int, float], need: int, floor: float, distinct: Distinct | None) -> float:
        """The optional ``parts`` (each with the factor its score is multiplied by) ranked
        by their bounds (see :meth:`top_scores`) scored for
        ``reach`` (the documents that could reach the top, in number order) and added to
        ``lower``, best possible first, :data:`_REACH_STEP` documents at a time, until the ``need`` best
        exact scores (with ``distinct``: or the best exact scores of its ``want`` best
        groups) are above what any document left could score at most: those left keep
        their scores without these parts. Returns the floor under which scores may be
        short: the most a document left could score (or the floor given, if higher), just
        above it: a score equal to it is not trusted."""
        # best bound first, ties by number: ``reach`` is in number order and the sort is
        # stable (also reversed), so no key tuple per document
        order = sorted(reach, key=upper.__getitem__, reverse=True)
        best: list[float] = []  # a heap of the ``need`` best exact scores so far
        # Each group's best exact score so far. Two common words side by side in a few
        # hundred of 2,000 matches: their ``need`` best (twice a page, for the near-duplicates
        # folded away) include matches without them, and proving no other match is above
        # those read both words' positions in every match (41-81 ms at 100,000 articles);
        # a page of distinct groups is settled by the first few hundred.
        groups: dict[Hashable, float] = {}
        done = 0
        while done < len(order):
            step = sorted(order[done:done + _REACH_STEP])
            step_set = set(step)
            for sub, f in parts:
                for dn, sc in self._scores(sub, step, step_set).items():
                    lower[dn] += sc * f
            for dn in step:
                if len(best) < need:
                    heapq.heappush(best, lower[dn])
                elif lower[dn] > best[0]:
                    heapq.heapreplace(best, lower[dn])
            if distinct is not None:
                for dn, key in zip(step, map(distinct.group, step), strict=True):
                    if lower[dn] > groups.get(key, -math.inf):
                        groups[key] = lower[dn]
            done += len(step)
            if done == len(order):
                break
            most = upper[order[done]]  # the most a document left could score
            if (len(best) >= need and best[0] > most) or (
                    distinct is not None and len(groups) >= distinct.want
                    and heapq.nlargest(distinct.want, groups.values())[-1] > most):
                # A document left scores less than any of those: it is none of the ``need``
                # best, nor the best of one of the ``want`` best groups (whose best is above
                # it). It may tie with what scores exactly its most: such a score is not
                # trusted either (above it, nothing left can reach).
                return max(floor, math.nextafter(most, math.inf))
        return floor

    def _scores(self, q: Any, docs: list[int], docs_set: set[int]) -> dict[int, float]:
        """The scores of ``q`` for those of ``docs`` it matches (:meth:`_chunked` hands a big
        ``docs`` over :data:`SCORE_CHUNK` at a time)."""
        if not docs:
            return {}
        if isinstance(q, query.CompoundQuery) and len(q.subqueries) == 1:
            return self._scores(q.subqueries[0], docs, docs_set)  # Whoosh drops the boost too
        expansion = _expansion(q)
        if isinstance(q, query.Term) and expansion is None:
            out = self.term(q.fieldname, q.text).scores(docs, docs_set)
        elif expansion is not None:
            if len(expansion) == 1:  # Whoosh runs a one-term expansion as the plain term
                return self.term(q.fieldname, expansion[0]).scores(docs, docs_set)
            out = {}
            for t in expansion:  # each term adds its score (the compiler's terms are not constant-scored)
                # (most are rare: TermPostings.scores then scores only their own documents)
                for dn, w in self.term(q.fieldname, t).scores(docs, docs_set).items():
                    out[dn] = out.get(dn, 0.0) + w
        elif isinstance(q, query.Not):
            # a negation adds nothing to a score (see compiler.Without)
            return dict.fromkeys(docs_set - self._exactly(q.query, docs, docs_set), 0.0)
        elif isinstance(q, query.AndNot):  # (unboosted: Whoosh's AndNotMatcher is its first side's)
            out = self._scores(q.a, docs, docs_set)
            gone = self._exactly(q.b, sorted(out), set(out)) if out else set()
            return {dn: s for dn, s in out.items() if dn not in gone}
        elif isinstance(q, query.ConstantScoreQuery):  # (unboosted, as Whoosh's list of its matches)
            return dict.fromkeys(self._exactly(q.child, docs, docs_set), q.score)
        elif isinstance(q, query.AndMaybe):
            out = self._scores(q.a, docs, docs_set)
            # The optional part only ranks: past the deadline it is left out, and its walk
            # over positions stops there (see _in_sequence).
            matched = sorted(out)
            self._optional += 1
            try:
                if budget.passed():
                    raise _Late
                extra = self._scores(q.b, matched, set(matched))
                out = {dn: s + extra[dn] if dn in extra else s for dn, s in out.items()}
            except _Late:
                self.skipped += 1
            finally:
                self._optional -= 1
        elif isinstance(q, query.And):
            parts = [self._scores(s, docs, docs_set) for s in q.subqueries]
            common = set(parts[0]).intersection(*parts[1:])
            out = {dn: sum(p[dn] for p in parts) for dn in common}
        elif isinstance(q, query.Or):
            out = {}
            for p in (self._scores(s, docs, docs_set) for s in q.subqueries):
                both = p.keys() & out.keys()
                summed = {dn: out[dn] + p[dn] for dn in both}
                out.update(p)
                out.update(summed)
        elif isinstance(q, query.Sequence):
            out = self._near(q, docs, docs_set)
        else:
            raise Unsupported(type(q).__name__)
        if q.boost != 1.0:
            b = q.boost
            out = {dn: s * b for dn, s in out.items()}
        return out

    def _near(self, q: Any, docs: list[int], docs_set: set[int]) -> dict[int, float]:
        """A ``Sequence`` (a phrase, a word that is several tokens, a side-by-side booster):
        the documents where its parts stand as Whoosh's span matchers want them (see
        :func:`_spans_of`); the score is the sum of the parts' scores (before the
        sequence's boost), as Whoosh's intersection of them adds them."""
        parts = [self._scores(sub, docs, docs_set) for sub in q.subqueries]
        both = set(parts[0]).intersection(*parts[1:])
        if not both:
            return {}
        found = self._in_sequence(q, sorted(both), both)
        return {dn: sum(p[dn] for p in parts) for dn in found}

    def _in_sequence(self, q: Any, docs: list[int], docs_set: set[int]) -> set[int]:
        """Those of ``docs`` (which hold every part of the sequence ``q``) where the parts
        stand in sequence."""
        if not docs:
            return set()
        placed = []
        for sub in q.subqueries:
            self._in_time()
            if len(docs) > _CHECKED and self._stop():  # matches among the first candidates only
                docs = docs[:_CHECKED]
                docs_set = set(docs)
            placed.append(self._positions(sub, docs, docs_set))
        slop, ordered = q.slop, q.ordered
        out = set()
        if len(placed) == 2:  # two words (every side-by-side booster): a look-up per position
            a_pos, b_pos = placed
            # each shift of the first word's places checked against the second's in C
            shifts = [k.__add__ for k in range(1, slop + 1)]
            if not ordered:
                shifts += [(-k).__add__ for k in range(1, slop + 1)]
            for i, dn in enumerate(docs):
                if not i % _CHECKED:
                    self._in_time()
                    if i and self._stop():
                        break
                a_at, b_at = a_pos[dn], b_pos[dn]
                for shift in shifts:
                    if not b_at.isdisjoint(map(shift, a_at)):
                        out.add(dn)
                        break
            return out
        for i, dn in enumerate(docs):
            if not i % _CHECKED:
                self._in_time()
                if i and self._stop():
                    break
            if _spans_of([sorted(p[dn]) for p in placed], slop, ordered):
                out.add(dn)
        return out

    def _in_time(self) -> None:
        """Within an optional part, stop it once the search's deadline has passed."""
        if self._optional and budget.passed():
            raise _Late

    def _positions(self, q: Any, docs: list[int], docs_set: set[int]) -> dict[int, set[int]]:
        """Where the words of ``q`` stand in each of ``docs`` (for the side-by-side boosts)."""
        terms = [q] if isinstance(q, query.Term) else q.subqueries
        out: dict[int, set[int]] = {}
        for t in terms:
            for dn, poses in self.term(t.fieldname, t.text).positions(docs, docs_set).items():
                if dn in out:
                    out[dn].update(poses)
                else:
                    out[dn] = set(poses)
        return out
