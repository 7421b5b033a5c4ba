"""Searching the index: pages of ranked hits, counts, months, partial matches, similar
articles, and where a hit's words stand (for its snippet)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import chain
from typing import Any, NamedTuple

from whoosh import query, sorting

from ...models import Sort
from ...query import budget, similar
from ...query import parse as q
from ...text import dedup
from ...text.highlight import MatchTerms
from ..base import Compiled, Placed, RawHit, RawResults, Relaxed
from ..records import facet_order, iso_day, period
from . import folding
from .bulkeval import BulkEvaluator, Distinct, Unsupported
from .compiler import Compiler, date_filter
from .explaining import RawExplanation, explain_document
from .grouping import Grouping
from .store import release, reported_as_damage, retried
from .tables import Tables
from .timebox import Stopper
from .words import Words

#: Match sets kept per searcher (see ``SearchIndex._matches``).
MATCH_MEMO = 4


class Scored(NamedTuple):
    """The scores of a partial-match search (see :meth:`Searching._partial_scores`)."""

    scores: dict[int, float] | set[int]  # a set: counted only, nothing scored
    floor: float | None = None
    every: set[int] | None = None  # every match, when ``scores`` holds the best tiers only
    held: dict[int, int] | None = None  # how many of the words each scored match holds


class _Asked(NamedTuple):
    """One page asked of :meth:`Searching.search`: the query, its filter (see
    ``Searching._allowed``), the ids left out, the facets, how many hits from the first
    (``want``), and the near-duplicate groups folded (empty: none)."""

    compiled: Compiled
    flt: Any
    excluded: set[str]
    facets: list[str]
    want: int
    clusters: dedup.Clusters


class _Page(NamedTuple):
    """The ranking of one search before its hits are read: ``ranked`` (document, score)
    best first, ``heads`` those left when near-duplicates are folded, the matches before
    and after folding, facet counts, each group's members that matched, the id column
    read, whether whole columns were read, each partial match's words held, and whether
    the search stopped at its deadline or scored only the required words."""

    ranked: list[tuple[int, float]]
    heads: list[tuple[int, float]]
    matched: int
    total: int
    counts: dict[str, list[tuple[str | None, int]]]
    members: dict[str, list[int]] | folding.GroupMembers
    ids: Any
    whole_columns: bool
    held: dict[int, int] | None
    stopped: bool
    ranked_only: bool


class Searching(Grouping, Tables, Words):
    """Queries compiled and run: the block evaluator where it can, Whoosh's collector otherwise."""

    # -- querying -------------------------------------------------------------------------
    @retried
    def compile(self, parsed: q.ParsedQuery, *, translit: bool = True, families: bool = True) -> Compiled:
        """Turn a parsed query into a Whoosh query over lemmas, forms and the title
        (``families``: the words of a query of several also stand for their relatives).

        :class:`QueryError` when it would stand for too many index terms to run quickly.
        """
        return Compiler(self, parsed, translit=translit, families=families).run()

    @retried
    def compile_relaxed(self, parsed: q.ParsedQuery, strict: Compiled, *, translit: bool = True,
                        families: bool = True, fill: bool = False) -> Compiled | None:
        """The partial matches of ``parsed``: articles with some of its words but not all
        (``strict``: its all-words query), more words first; ``None`` when the query has
        fewer than two words to leave out."""
        return Compiler(self, parsed, translit=translit, families=families).run_relaxed(strict.query, fill=fill)

    def _allowed(self, s: Any, since: int | None, until: int | None, source: str | None,
                 arrived_after: int | None = None, only: frozenset[int] | None = None) -> Any:
        """A Whoosh filter: a query, a set of document numbers, or ``None`` for none."""
        flt = date_filter(since, until, source)
        if arrived_after is None and only is None:
            return flt
        docs = set(only) if only is not None else None
        if arrived_after is not None:
            r = s.reader()
            col = r.column_reader("arrived")
            new = {dn for dn in (docs if docs is not None else r.all_doc_ids()) if col[dn] > arrived_after}
            docs = new
        assert docs is not None
        return docs & self._filtered(s, flt) if flt is not None else docs

    @retried
    def search(self, compiled: Compiled, *, limit: int, offset: int = 0, since: int | None = None,
               until: int | None = None, source: str | None = None, sort: Sort = "relevance",
               collapse: bool = True, facets: Iterable[str] = (), arrived_after: int | None = None,
               exclude: Iterable[str] = ()) -> RawResults:
        """One page of hits. With ``collapse`` each group of near-duplicates that matched
        is one hit (its best-ranked member); ``facets`` (names of :data:`FACETS`) are
        counted over every matching article; ``exclude`` ids never match."""
        s = self.searcher()
        facets = list(dict.fromkeys(facets))
        if not s.doc_count():  # an empty index has no columns to read
            return RawResults(total=0, matched=0, hits=[], facets={name: [] for name in facets})
        flt = self._allowed(s, since, until, source, arrived_after, compiled.only)
        if isinstance(flt, set) and not flt:  # Whoosh reads an empty set as "no filter"
            return RawResults(total=0, matched=0, hits=[], facets={name: [] for name in facets})
        with reported_as_damage():
            # (``limit`` 0: the count alone, whatever the offset: no hit wanted)
            ask = _Asked(compiled, flt, set(exclude), facets, offset + limit if limit else 0,
                         self.clusters() if collapse else dedup.Clusters())
            page = self._scored_page(s, ask) if sort == "relevance" else None
            if page is None:
                page = self._walked_page(s, ask, sort)
            hits = self._page_hits(s, ask, page, offset)
        cut: tuple[str, ...] = (budget.cut_note(page.total),) if page.stopped else ()
        if page.ranked_only and not page.stopped:  # (a cut list says it is not every match)
            cut += (budget.RANKING_NOTE.format(seconds=budget.seconds()),)
        return RawResults(total=page.total, matched=page.matched, hits=hits, facets=page.counts, cut=cut)

    def _scores_of(self, s: Any, ask: _Asked, need: int) -> tuple[Scored, bool, bool] | None:
        """The block evaluator's scores of ``ask``'s query (its partial matches when it
        is one), exact for the ``need`` best; whether optional parts were left out and
        whether scoring stopped at the deadline; ``None`` when Whoosh must run it."""
        self._ranked_only = self._scored_short = False
        compiled = ask.compiled
        if compiled.relaxed:
            scored = self._partial_scores(s, compiled.relaxed, ask.flt, ask.excluded, need=need if ask.want else 0,
                                          clusters=ask.clusters)
        else:
            distinct = self._distinct(s, ask) if ask.clusters and ask.want else None
            scores, floor = self._bulk_scores(s, compiled.query, ask.flt, ask.excluded, need=max(need, 1),
                                              distinct=distinct)
            if scores is None:
                return None
            scored = Scored(scores, floor)
        return scored, self._ranked_only, self._scored_short

    def _distinct(self, s: Any, ask: _Asked) -> Distinct:
        """What the page of ``ask`` needs scored exactly: its best hits of distinct groups
        of near-duplicates (see :meth:`BulkEvaluator.top_scores`)."""
        if self._whole_columns(s, 0):
            group_of = self._clustered(s, ask.clusters)[2]  # (its fold number: in C)
            return Distinct(ask.want, group_of.__getitem__)
        ids, clusters = s.reader().column_reader("id"), ask.clusters
        return Distinct(ask.want, lambda dn: clusters.key(ids[dn]) or dn)  # (a key: a string)

    def _scored_page(self, s: Any, ask: _Asked) -> _Page | None:
        """The page by relevance from the block evaluator's scores; ``None`` when Whoosh
        must run the query (see :meth:`_walked_page`)."""
        want, clusters = ask.want, ask.clusters
        need = want * 2 + 10 if clusters else want  # scored in full: folding may take some away
        # (no hit wanted: the partial matches counted, none scored beyond its words held)
        first = self._scores_of(s, ask, need)
        if first is None:
            return None
        (scores, floor, every, held), ranked_only, stopped = first
        matched = len(every if every is not None else scores)
        ids: Any
        clustered = None
        if self._whole_columns(s, matched):
            ids = self._table(s, "id")  # one read of the column instead of one per document
            clustered = self._clustered(s, clusters) if clusters else None
        else:  # (a column reader reads its 100,000 offsets when made: only when used)
            ids = s.reader().column_reader("id")
        # (a set when only counted: no hit wanted)
        ranked, heads = folding.top(scores, want, ids, clusters) if want and isinstance(scores, dict) else ([], [])
        while floor is not None and need < matched and (
                any(sc < floor for _, sc in heads[:want])
                or (len(heads) < want and every is not None and len(scores) < matched)):
            # The page reaches the matches not scored in full: near-duplicates folded
            # away many of the best. Four times as many scored in full, until the page
            # is above the floor (scoring every match at once took up to 130 ms, in a
            # tenth of the dev queries at a million articles).
            need = min(need * 4, matched)
            more = self._scores_of(s, ask, need)
            if more is None or not isinstance(more[0].scores, dict):
                break
            (scores, floor, every, held), ranked_only, stopped = more
            ranked, heads = folding.top(more[0].scores, want, ids, clusters)
        if floor is not None:  # (ranks order a hit's near-duplicates: the exact ones only)
            ranked = [(dn, sc) for dn, sc in ranked if sc >= floor]
        counts = self._facets(s, ask.compiled.query, ask.flt, ask.excluded, ask.facets) if ask.facets else {}
        total = matched
        members: dict[str, list[int]] | folding.GroupMembers = {}
        docset = every if every is not None else scores.keys() if isinstance(scores, dict) else scores
        if clustered is not None:
            total, members = folding.fold_clustered(docset, *clustered)
        elif clusters:
            total, members = folding.fold(docset, ids, clusters, ask.excluded)
        return _Page(ranked, heads, matched, total, counts, members, ids, clustered is not None, held,
                     stopped, ranked_only)

    def _walked_page(self, s: Any, ask: _Asked, sort: str) -> _Page:
        """The page from Whoosh's own collector: sorted by date, or a query the block
        evaluator does not run."""
        ids: Any = s.reader().column_reader("id")
        ranked, heads, matched, counts, stop = self._whoosh_ranked(s, ask.compiled.query, ask.flt, ask.excluded,
                                                                   sort, ask.facets, ask.want, ids, ask.clusters)
        total = matched
        members: dict[str, list[int]] | folding.GroupMembers = {}
        if ask.clusters:  # the documents the walk found (before the filter): no second walk
            docset = stop.seen
            if ask.flt is not None:
                flt = ask.flt
                docset = (flt if isinstance(flt, set) else self._filtered(s, flt)).intersection(docset)
            total, members = folding.fold(docset, ids, ask.clusters, ask.excluded)
        return _Page(ranked, heads, matched, total, counts, members, ids, False, None, stop.stopped, False)

    def _page_hits(self, s: Any, ask: _Asked, page: _Page, offset: int) -> list[RawHit]:
        """The hits of ``page`` from ``offset``: stored fields, the near-duplicates folded
        into each (in rank order) and the day the story was first published."""
        rank = {dn: i for i, (dn, _) in enumerate(page.ranked)}
        dates: Any = None
        if page.members:  # a big group's members are many dates: one read of the column then
            dates = self._table(s, "date") if page.whole_columns else s.reader().column_reader("date")
        relaxed = ask.compiled.relaxed
        hits = []
        shown: dict[str, tuple[int, str]] = {}
        for dn, score in page.heads[offset:ask.want]:
            f = s.stored_fields(dn)
            shown[f["id"]] = (dn, f.get("stamp", ""))
            dups: tuple[str, ...] = ()
            first = f.get("day")
            key = ask.clusters.key(f["id"])
            if key is not None and dates is not None:
                others = folding.others_in_order(page.members.get(key, ()), dn, rank, page.ids)
                dups = tuple(map(page.ids.__getitem__, others))
                days = list(filter(None, map(dates.__getitem__, (dn, *others))))
                if days:
                    first = iso_day(min(days))
            n = None
            if page.held is not None and relaxed is not None:
                n = page.held.get(dn, 0)  # (what its words held add ranks it: its score is its words' own)
                score -= relaxed.bonus * n
            hits.append(RawHit(id=f["id"], title=f.get("title", ""), day=f.get("day"), source=f.get("source"),
                               path=f.get("path", ""), score=score, duplicates=dups, first_day=first,
                               topic=f.get("topic") or b"", held=n))
        self._hits = (s, shown)
        return hits

    def _matches(self, s: Any, wq: Any, flt: Any) -> tuple[set[int], BulkEvaluator, bool] | None:
        """The documents the query ``wq`` matches, filter ``flt`` applied, the evaluator
        that found them (its decoded postings serve the scoring) and whether they are only
        those found by the search's deadline (see :meth:`BulkEvaluator.docs`), when the
        bulk path can evaluate the query (``None`` otherwise). The last few answers are
        kept: a search counts its matches (to decide on a spelling correction), then runs,
        then the timeline counts them again by month, all for the same query."""
        required = _matching(wq)
        key = _memo_key(required, flt)
        with self._mutex:
            for memo_s, memo_key, (memo_docs, memo_ev, memo_short) in self._memo:
                # matches cut at a deadline serve only a search that is past its own
                if memo_s is s and memo_key == key and (not memo_short or budget.passed()):
                    return memo_docs, memo_ev or BulkEvaluator(s), memo_short
            # One search counts several queries of the same words (the query, its
            # corrections, each word left out): they share the postings decoded so far.
            ev = self._searchs_evaluator(s, below=SHARED_TERMS) or BulkEvaluator(s)
        try:
            ev.check(wq)
        except Unsupported:
            try:  # the boosters may be what it cannot do: the matches it can still count
                ev.check(required)
            except Unsupported:
                self._let_go(ev)
                return None
        docs = ev.docs(required, may_stop=True)
        short = ev.found_short
        if flt is not None:
            docs = docs & (flt if isinstance(flt, set) else self._filtered(s, flt))
        with self._mutex:
            # Only the newest keeps its evaluator (decoded postings, scores): the query
            # about to run; older ones keep their match sets, a few MB at most.
            older = [(m_s, m_key, (m_found[0], None, m_found[2])) for m_s, m_key, m_found in self._memo
                     if m_s is s and m_key != key]
            dropped = [m_found[1] for _, _, m_found in self._memo]
            self._memo = [(s, key, (docs, ev, short)), *older[:MATCH_MEMO - 1]]
            release(dropped, kept=[ev])
        return docs, ev, short

    def _counted(self, s: Any, required: Any, flt: Any) -> set[int] | None:
        """Every match of ``required`` under ``flt`` on searcher ``s`` when a count of this
        search found them all (not cut at a deadline), else ``None``."""
        key = _memo_key(required, flt)
        with self._mutex:
            return next((docs for m_s, m_key, (docs, _, short) in self._memo
                         if m_s is s and m_key == key and not short), None)

    def _searchs_evaluator(self, s: Any, *, below: int | None = None) -> BulkEvaluator | None:
        """The newest evaluator of this search on searcher ``s`` (holding fewer than
        ``below`` words' postings, when given), to share what it decoded; ``None`` outside
        a search. Called under ``self._mutex``. Never one of an earlier search: shared from
        one search to the next, an evaluator gathered the postings of many, and freeing
        them took up to 76 ms of the search that dropped it (1M articles)."""
        scope = budget.scope()
        if scope is None:
            return None
        return next((ev for m_s, _, (_, ev, _) in self._memo if m_s is s and ev is not None and ev.scope is scope
                     and (below is None or ev.terms_decoded() < below)), None)

    def _let_go(self, ev: BulkEvaluator) -> None:
        """Free what ``ev`` decoded unless the memo keeps it (see :func:`.store.release`)."""
        with self._mutex:
            release([ev], kept=[found[1] for _, _, found in self._memo])

    def _bulk_scores(self, s: Any, wq: Any, flt: Any, excluded: set[str], *, need: int,
                     distinct: Distinct | None = None) -> tuple[dict[int, float] | None, float | None]:
        """``{docnum: score}`` of every match of ``wq`` (``None`` when Whoosh must run the
        query), exact for the ``need`` best (or those ``distinct`` asks for), and the floor
        under which scores may be short (see :meth:`BulkEvaluator.top_scores`)."""
        found = self._matches(s, wq, flt)
        if found is None:
            return None, None
        docs, ev, short = found
        try:
            ev.check(wq)
            if excluded:
                docs = docs - {dn for dn in (s.document_number(id=i) for i in excluded) if dn is not None}
            out = ev.top_scores(wq, docs, need, distinct)
        except Unsupported:
            return None, None
        finally:
            self._let_go(ev)
        self._ranked_only = ev.skipped > 0
        self._scored_short = short or ev.cut
        return out

    def _partial_scores(self, s: Any, spec: Relaxed, flt: Any, excluded: Iterable[str] = (), *,
                        need: int, clusters: dedup.Clusters | None = None) -> Scored:
        """``{docnum: score}`` of a partial-match query by the block evaluator: the articles
        holding some of the words and not all, each word held adding ``spec.bonus``; the
        same scores as Whoosh gives the whole query (none when a part cannot be run so).

        Only the articles of the best tiers (most words held), ``need`` of them at least,
        are scored, and ``floor`` is the least of their scores, above every score of the
        tiers below (``None``: all scored); the matches of those tiers are in ``every``,
        not in the scores (a dict of 100,000 partial matches cost 30 ms of a search at a
        million articles). A search for the first page of 11,000 partial matches scores
        a few hundred. ``need`` 0 (a page the all-words hits fill, counting the partial
        matches) gives the set of them, nothing scored. With ``clusters``, a near-duplicate of an
        all-words match is no partial match: it is a copy of a story listed above it."""
        with self._mutex:  # the all-words query just counted decoded the same words' postings
            ev = self._searchs_evaluator(s) or BulkEvaluator(s)
        try:
            return self._partial_scored(s, spec, flt, excluded, need, ev, clusters)
        finally:
            self._let_go(ev)

    def _partial_scored(self, s: Any, spec: Relaxed, flt: Any, excluded: Iterable[str], need: int,
                        ev: BulkEvaluator, clusters: dedup.Clusters | None) -> Scored:
        try:
            for q in (*spec.items, *spec.common, *spec.fill, *spec.exclude, *spec.require):
                ev.check(q)
            if spec.boosters is not None:
                ev.check(spec.boosters, required=False)
            held = [ev.docs(q) for q in spec.items]
            docs: set[int] = set().union(*held, *(ev.docs(q) for q in spec.fill))
            if flt is not None:
                docs &= flt if isinstance(flt, set) else self._filtered(s, flt)
            for q in spec.require:
                docs &= ev.docs(q, within=docs)
            counted = None
            for i, q in enumerate(spec.exclude):
                # the all-words matches (the first to leave out) were counted by this
                # search already: taken out as a set, not found again among the partial
                # ones (a sort and a pass over each word's blocks, a quarter of the count)
                known = self._counted(s, q, flt) if i == 0 else None
                counted = known if i == 0 else counted
                docs -= known if known is not None else ev.docs(q, within=docs)
            ids = set(excluded)
            gone: set[int] = set()
            if ids:
                gone = {dn for dn in (s.document_number(id=i) for i in ids) if dn is not None}
                docs -= gone
            if clusters and spec.exclude:
                copies = (self._copies_of_matches(s, docs, spec.exclude[0], counted, flt, gone, clusters, ev)
                          if docs else set())
                docs -= copies
                # kept for :meth:`partial_copies`, which lists them under their hits next
                self._copied = (s, spec, flt, copies)
            if not need:  # counted only (a page the all-words hits fill): no ranking asked
                return Scored(docs, None)
            held += [ev.docs(q, within=docs) for q in spec.common]
            words_held = folding.held_counts(held, docs)
            if spec.fill:  # an article holding only a filling word holds none that counts
                words_held.update(dict.fromkeys(docs - words_held.keys(), 0))
            best, floor = (folding.best_tiers(words_held, need, spec.bonus) if spec.bonus > 0
                           else (docs, None))
            if not best:
                return Scored(dict(zip(words_held.keys(), map(float(spec.bonus).__mul__, words_held.values()),
                                       strict=True)), floor, None, words_held)
            wq: Any = query.Or([*spec.items, *spec.fill])
            if spec.common:
                wq = query.AndMaybe(wq, query.Or(list(spec.common)))
            if spec.boosters is not None:
                wq = query.AndMaybe(wq, spec.boosters)
            scores, floor = self._tiers_scored(ev, wq, best, words_held, need, floor, spec.bonus)
        except Unsupported:
            # A word that is several tokens (``COVID-19/2020``) is a sequence: Whoosh would
            # take seconds over a big archive for matches that rank last. None are listed.
            return Scored({}, None)
        out = {dn: spec.bonus * words_held[dn] + score for dn, score in scores.items()}
        if self._scored_short:  # stopped at the deadline: the matches scored by then, ranked alike
            return Scored(out, None, None, words_held)
        return Scored(out, floor, docs if floor is not None else None, words_held)

    def _tiers_scored(self, ev: BulkEvaluator, wq: Any, best: set[int], words_held: dict[int, int], need: int,
                      floor: float | None, bonus: float) -> tuple[dict[int, float], float | None]:
        """The scores of ``best`` (the best tiers of partial matches) by ``wq``, exact for
        the ``need`` best (tier first), and the floor under which a score plus its words'
        bonus may be short (``floor``: the least a match of a tier not scored can have).
        Each tier is ranked apart, so that what only ranks (boosters, common words) is read
        for the few of the last tier taken that can reach the page, not for thousands of
        matches of one word (see :meth:`BulkEvaluator.top_scores`)."""
        order = list(best)
        held = list(map(words_held.__getitem__, order))  # (in C: thousands of matches)
        counts = set(held) if bonus > 0 else {0}  # (no bonus: the tiers are ranked together)
        tiers = ({n: {dn for dn, k in zip(order, held, strict=True) if k == n} for n in counts}
                 if len(counts) > 1 else {counts.pop(): best})
        scores: dict[int, float] = {}
        skipped = cut = False
        for n in sorted(tiers, reverse=True):
            mine, short = ev.top_scores(wq, tiers[n], max(need - len(scores), 1))
            scores.update(mine)
            skipped, cut = skipped or ev.skipped > 0, cut or ev.cut
            if short is not None:  # (the last tier taken: the ones above it fit the page)
                floor = max(floor or 0.0, bonus * n + short) if bonus > 0 else short
            if cut:
                break
        self._ranked_only = skipped
        self._scored_short = cut
        return scores, floor

    def _copies_of_matches(self, s: Any, docs: set[int], allq: Any, counted: set[int] | None, flt: Any,
                           gone: set[int], clusters: dedup.Clusters, ev: BulkEvaluator) -> set[int]:
        """The documents of ``docs`` (partial matches) that are near-duplicates of a match
        of ``allq`` (the all-words query) under ``flt``, not one of ``gone``: each is a copy
        of a story the all-words hits list already. ``counted``: every all-words match,
        when this search counted them."""
        if counted is not None and not self._whole_columns(s, len(counted) + len(docs)):
            # few matches: their keys read one by one, not the whole index's groups table
            # (a fresh process would build it for one small search)
            ids = s.reader().column_reader("id")
            keys = {k for dn in counted - gone if (k := clusters.key(ids[dn])) is not None}
            return {dn for dn in docs if clusters.key(ids[dn]) in keys} if keys else set()
        found, groups, _ = self._clustered(s, clusters)
        if counted is not None:  # the all-words matches' groups (fewer than the partial matches)
            keys = {found[dn] for dn in (counted - gone) & found.keys()}
        else:  # the groups of the grouped partial matches, and which of them hold an all-words match
            keys = {found[dn] for dn in docs & found.keys()}
            members: set[int] = set().union(*map(groups.__getitem__, keys)) - docs - gone
            if flt is not None and members:
                members &= flt if isinstance(flt, set) else self._filtered(s, flt)
            keys = {found[dn] for dn in ev.docs(allq, within=members)} if members else set()
        if not keys:
            return set()
        return docs & set().union(*map(groups.__getitem__, keys))

    def _whoosh_ranked(self, s: Any, wq: Any, flt: Any, excluded: set[str], sort: str, facets: list[str],
                       want: int, ids: Any, clusters: dedup.Clusters) -> tuple[list[tuple[int, float]],
                                                                              list[tuple[int, float]], int,
                                                                              dict[str, list[tuple[str | None, int]]],
                                                                              Stopper]:
        """The top of the ranking by Whoosh's collector (sorting by date, or queries the
        bulk path does not evaluate): ``(ranked, heads, matched, facet counts, stopper)``;
        the stopper says whether the walk ended at the search's deadline (with the matches
        found by then) and which documents it found; ``want`` 0: the count alone, nothing
        ranked (Whoosh refuses a page of no hits)."""
        # optimize=False: the block-skipping collector cannot count the matches, so the
        # exact total (len) would run the query a second time.
        kwargs: dict[str, Any] = {"filter": flt, "optimize": False}
        if excluded:
            kwargs["mask"] = query.Or([query.Term("id", i) for i in sorted(excluded)])
        if facets:
            kwargs["groupedby"] = {name: folding.facet(name, s.reader()) for name in facets}
        if not want:  # every match collected in index order, unscored
            res, stop = _timed_search(s, wq, limit=None, scored=False, **kwargs)
            return [], [], len(res), self._grouped(s, res, facets), stop
        if sort == "date":  # newest first, one day's articles by id (as on a cluster)
            kwargs["sortedby"] = sorting.MultiFacet([sorting.FieldFacet("date", reverse=True),
                                                     sorting.FieldFacet("id")])
        window = want * 2 + 10 if clusters else want
        while True:
            res, stop = _timed_search(s, wq, limit=window, **kwargs)
            # (sorted by date, a hit's "score" is its sort key: no score, shown as none)
            ranked = [(h.docnum, 0.0 if sort == "date" else float(h.score or 0.0)) for h in res]
            heads = folding.heads(ranked, ids, clusters)
            if len(heads) >= want or len(ranked) >= len(res) or stop.stopped:
                break
            window *= 4  # many near-duplicates near the top: look further down
        return ranked, heads, len(res), self._grouped(s, res, facets), stop

    def _grouped(self, s: Any, res: Any, facets: list[str]) -> dict[str, list[tuple[str | None, int]]]:
        """The facet counts of a Whoosh search grouped by ``facets``."""
        return {name: self._facet_counts(s, name, res.groups(name)) for name in facets}

    def _facets(self, s: Any, wq: Any, flt: Any, excluded: set[str],
                facets: list[str]) -> dict[str, list[tuple[str | None, int]]]:
        """Facet counts over every match (an unscored pass over the matching part)."""
        groupedby = {name: folding.facet(name, s.reader()) for name in facets}
        kwargs: dict[str, Any] = {"filter": flt, "groupedby": groupedby}
        if excluded:
            kwargs["mask"] = query.Or([query.Term("id", i) for i in sorted(excluded)])
        res = s.search(_matching(wq), limit=1, scored=False, **kwargs)
        return {name: self._facet_counts(s, name, res.groups(name)) for name in facets}

    def _facet_counts(self, s: Any, name: str, groups: dict[Any, Any]) -> list[tuple[str | None, int]]:
        if name == "source":
            # Grouped by the lowercase key; shown as the first-indexed article spelled it.
            out = [(s.stored_fields(min(docs)).get("source") if key else None, len(docs))
                   for key, docs in groups.items()]
            return facet_order(name, out)
        return facet_order(name, [(period(name, key), n) for key, n in groups.items()])

    @retried
    def matched_ids(self, compiled: Compiled, *, since: int | None = None, until: int | None = None,
                    source: str | None = None, within: set[str] | None = None) -> set[str]:
        """Ids of every article the query matches (only those in ``within``, if given)."""
        s = self.searcher()
        if not s.doc_count():
            return set()
        flt = date_filter(since, until, source)
        ids = s.reader().column_reader("id")
        docs = s.docs_for_query(query.And([compiled.query, flt]) if flt is not None else compiled.query)
        found = (ids[dn] for dn in docs)
        return {i for i in found if within is None or i in within}

    @retried
    def partial_copies(self, relaxed: Compiled, ids: Iterable[str], *, since: int | None = None,
                       until: int | None = None, source: str | None = None
                       ) -> dict[str, tuple[tuple[str, str | None], ...]]:
        """The partial matches among the near-duplicates of ``ids`` (see
        :meth:`Index.partial_copies`): those the partial-match search just left out, else
        (another search ran in between) the partial matches among their groups' members."""
        spec, clusters = relaxed.relaxed, self.clusters()
        key_of = {i: k for i in ids if (k := clusters.key(i)) is not None}
        wanted = set(key_of.values())
        s = self.searcher()
        if spec is None or not wanted or not s.doc_count():
            return {}
        flt = date_filter(since, until, source)
        copied = self._copied
        if copied is not None and copied[0] is s and copied[1] is spec and copied[2] == flt:
            docs = copied[3]  # left out of the partial matches just counted
        else:
            _, groups, _ = self._clustered(s, clusters)
            members: set[int] = set().union(*(groups.get(k, ()) for k in wanted))
            if flt is not None and members:
                members &= self._filtered(s, flt)
            docs = set(self._partial_scores(s, spec, members, need=0)[0]) if members else set()
        if not docs:
            return {}
        r = s.reader()
        whole = self._whole_columns(s, len(docs))  # then the columns kept per searcher
        if whole:
            # many copies (tens of thousands at a million articles): only the members of
            # the page's groups are looked at, not every copy's key (45 ms a search)
            _, groups, _ = self._clustered(s, clusters)
            docs = docs.intersection(chain.from_iterable(groups.get(k, ()) for k in wanted))
        names = self._table(s, "id") if whole else r.column_reader("id")
        dates = self._table(s, "date") if whole else r.column_reader("date")
        by_key: dict[str, list[tuple[str, str | None]]] = {}
        for dn in docs:
            name = names[dn]
            key = clusters.key(name)
            if key in wanted:
                by_key.setdefault(key, []).append((name, iso_day(dates[dn]) if dates[dn] else None))
        return {i: tuple(sorted(by_key[k])) for i, k in key_of.items() if k in by_key}

    @retried
    def similar_query(self, body: Sequence[tuple[str, ...]], title: Sequence[tuple[str, ...]], n: int, *,
                      copies: int = 1) -> Compiled | None:
        """A query for articles about the same thing as a text given as the candidate lemmas
        of each word: its key words as :func:`searchkit.query.similar.key_words` picks and
        weighs them, matching only the articles that share enough of them (a filter of
        document numbers counted from the postings here); ``None`` without enough."""
        r = self.searcher().reader()

        def holding(spellings: tuple[str, ...]) -> set[int]:  # (a word held in any field, in any spelling)
            return {dn for fieldname in similar.FIELDS for lemma in spellings if (fieldname, lemma) in r
                    for dn in r.postings(fieldname, lemma).all_ids()}

        key = similar.key_words(body, title, n, lambda keys: {(f, lemma): int(r.doc_frequency(f, lemma))
                                                              for f, lemma in keys}, r.doc_count(), copies,
                                lookup=self.analyzer.known,
                                held_by=lambda words: {spelt: len(holding(spelt)) for spelt in words})
        if key is None:
            return None
        shared: dict[int, int] = {}
        for spellings in key.spellings:
            for dn in holding(spellings):
                shared[dn] = shared.get(dn, 0) + 1
        subs = [query.Term(f, lemma, boost=boost) for f, lemma, boost in key.clauses(self.ranking.title_boost)]
        return Compiled(query.Or(subs), MatchTerms(frozenset(chain.from_iterable(key.spellings))),
                        searched_as=key.lemmas, readings=key.readings,
                        only=frozenset(dn for dn, k in shared.items() if k >= key.need))

    @retried
    def placed(self, ids: Sequence[str], lemmas: Iterable[str]) -> dict[str, Placed]:
        """Where ``lemmas`` stand in the indexed articles ``ids``: for each, the stamp of
        the file it was indexed from and ``{field: {word number: [lemmas there]}}`` for
        the title and the body. Highlighting reads it instead of analyzing every word of
        the texts again (see ``Matcher.find_placed``)."""
        s = self.searcher()
        # The page just found on this searcher knows its hits' numbers and stamps: a look-up
        # of an id in the index (a postings read) cost 0.4 ms each, 0.04 s for -n 1000.
        shown = self._hits[1] if self._hits[0] is s else {}
        docs: dict[int, str] = {}
        stamps: dict[int, str] = {}
        for art_id in ids:
            known = shown.get(art_id)
            if known is not None:
                docs[known[0]] = art_id
                stamps[known[0]] = known[1]
                continue
            dn = s.document_number(id=art_id)
            if dn is not None:
                docs[dn] = art_id
        order = sorted(docs)
        wanted = set(order)
        out: dict[str, Placed] = {
            docs[dn]: (stamps[dn] if dn in stamps else s.stored_fields(dn).get("stamp", ""),
                       {"title": {}, "body": {}}) for dn in order}
        # The search that found these hits has read its terms' block headers: reuse them.
        with self._mutex:
            ev = self._searchs_evaluator(s) or BulkEvaluator(s)
        for fieldname in ("title", "body"):
            for lemma in sorted(set(lemmas)):
                # (a term the search read is the evaluator's already; one the index lacks
                # has no postings: no look-up of its own first)
                for dn, poses in ev.term(fieldname, lemma).positions(order, wanted).items():
                    where = out[docs[dn]][1][fieldname]
                    for pos in poses:
                        where.setdefault(pos, []).append(lemma)
        self._let_go(ev)
        return out

    @retried
    def count(self, compiled: Compiled, *, since: int | None = None, until: int | None = None,
              source: str | None = None) -> int:
        """How many articles match (unranked: cheaper than a search)."""
        with reported_as_damage():
            s = self.searcher()
            flt = date_filter(since, until, source)
            if compiled.relaxed is not None and s.doc_count():
                return len(self._partial_scores(s, compiled.relaxed, flt, need=0)[0])
            found = self._matches(s, compiled.query, flt) if s.doc_count() else None
            if found is not None:
                self._let_go(found[1])
                return len(found[0])
            return len(_timed_search(s, _matching(compiled.query), limit=1, scored=False, filter=flt)[0])

    @retried
    def months(self, compiled: Compiled, *, since: int | None = None, until: int | None = None,
               source: str | None = None, exclude: Iterable[str] = ()) -> dict[int, int]:
        """``{yyyymm: matching articles}`` over every match (undated articles left out);
        ``exclude`` ids never match.

        An unscored search collects the matching document numbers, then the sortable
        ``date`` column gives each one's day without loading stored fields.
        """
        s = self.searcher()
        with reported_as_damage():
            flt = date_filter(since, until, source)
            found = self._matches(s, compiled.query, flt) if s.doc_count() else None
            if found is not None:
                self._let_go(found[1])
            docnums = found[0] if found is not None else _timed_search(s, _matching(compiled.query), limit=None,
                                                                        scored=False, filter=flt)[0].docs()
            if not docnums:  # an empty index has no date column to read
                return {}
            # (a few ids, looked up one by one: a delete's that did not reach the index)
            skip = {dn for dn in (s.document_number(id=i) for i in set(exclude)) if dn is not None}
            days = (self._table(s, "date") if self._whole_columns(s, len(docnums))
                    else s.reader().column_reader("date"))
            counts: dict[int, int] = defaultdict(int)
            for docnum in docnums:
                if docnum in skip:
                    continue
                day = days[docnum]
                if day:
                    counts[day // 100] += 1
        return dict(sorted(counts.items()))

    def explain(self, compiled: Compiled, article_id: str, *, since: int | None = None,
                until: int | None = None, source: str | None = None) -> RawExplanation | None:
        """How ``compiled`` scores the indexed article ``article_id`` (see :func:`explain_document`)."""
        return explain_document(self, compiled, article_id, since=since, until=until, source=source)


#: An evaluator shared by the next query keeps at most this many words' decoded postings.
SHARED_TERMS = 64


def _timed_search(s: Any, wq: Any, **kwargs: Any) -> tuple[Any, Stopper]:
    """``s.search(wq, **kwargs)`` without Whoosh's matcher replacement, stopped at the
    search's deadline (:mod:`searchkit.query.budget`): ``(results so far, the stopper:
    whether it stopped early, the documents matched)``. Every few documents Whoosh's
    scored collectors swap the matcher tree for a "more efficient" one pruned by each
    part's maximum score, and over a big index that drops matching documents (wrong
    totals) and sometimes well-scored ones (a wrong top 10)."""
    c = s.collector(**kwargs)
    inner = c
    while hasattr(inner, "child"):
        inner = inner.child
    if hasattr(inner, "replace"):
        inner.replace = 0
    stop = Stopper(c)
    s.search_with_collector(wq, c)
    return c.results(), stop


def _memo_key(required: Any, flt: Any) -> tuple[Any, Any]:
    """What the matches memo is keyed by: the query's matching part and the filter."""
    return required, flt if flt is None or not isinstance(flt, set) else frozenset(flt)


def _matching(wq: Any) -> Any:
    """The part of a compiled query that decides which articles match: the optional
    boosters of an ``AndMaybe`` only rank (and their phrase spans are costly to check)."""
    return wq.a if isinstance(wq, query.AndMaybe) else wq
