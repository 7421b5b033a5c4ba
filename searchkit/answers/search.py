"""One search, from the query as typed to :class:`Results`: understood once
(:mod:`searchkit.query.request`), planned (:mod:`searchkit.query.understand`), run on the
index, the page filled with partial matches when the articles with every word do not fill
it, and date words searched as words when their dates hold nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Concatenate, Literal, ParamSpec, TypeVar

from ..advice import FACETS_OPTION, SORTED_BY_DATE, SOURCES
from ..backends.base import FACETS, Compiled, Index, RawHit, RawResults, TopicsLate
from ..backends.documents import source_key, source_keys
from ..errors import QueryError, echoed
from ..ingest.sync import IndexSync
from ..models import MAX_LIMIT, SORTS, Results, Sort
from ..query import budget
from ..query.parse import analysed_words, check_length, clean_query_text
from ..query.request import Understood, filters_of, plan, understand
from ..query.understand import Plan
from ..query.userlexicon import UserLexicon
from ..store.corpus import Corpus
from ..text.highlight import MatchTerms
from . import topical
from .arguments import check_bool, check_date, check_facets, check_int, check_source, check_text
from .hits import Told, results

__all__ = ["MAX_LIMIT", "Reading", "Searcher", "check_limit", "check_page"]


def check_limit(limit: int) -> None:
    check_int("limit", limit)
    if not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"limit={limit} is out of range: give 1 to {MAX_LIMIT}")


def check_page(page: int) -> None:
    check_int("page", page)
    if page < 1:
        raise QueryError(f"page={page} is out of range: give 1 or more")


def _checked(*, limit: int, page: int, sort: Sort, source: str | None, facets: Iterable[str],
             snippets: bool | Literal["all"], **switches: bool) -> list[str]:
    """The arguments of :meth:`Searcher.run` checked (``switches``: the yes/no ones); the
    facets' names."""
    if sort not in SORTS:  # (a caller whose types are not checked)
        raise QueryError(f"unknown sort={sort!r}: use {' or '.join(map(repr, SORTS))}")
    check_limit(limit)
    check_page(page)
    check_source(source)
    items = check_facets(facets)
    for name, switch in switches.items():
        check_bool(name, switch)
    check_bool("snippets", snippets, "all")
    return facet_names(items)


def _lists_partial(partial: bool, exact: bool, sort: Sort, arrived_after: int | None) -> bool:
    """Whether a search lists the articles with only some of the words after those with
    all: they rank by how many words they hold, so a list sorted by date (or of a saved
    search's new matches) has no place for them, nor has an exact search."""
    return partial and not exact and arrived_after is None and sort == "relevance"


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _one_search(method: Callable[Concatenate[Searcher, _P], _R]) -> Callable[Concatenate[Searcher, _P], _R]:
    """``method`` run in :meth:`Searcher.scope`: its own time and one state of the index."""

    @functools.wraps(method)
    def scoped(self: Searcher, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        with self.scope():
            return method(self, *args, **kwargs)

    return scoped


@dataclass(frozen=True, slots=True)
class Reading:
    """A query as it is searched (:meth:`Searcher.as_searched`): its date words a date
    filter, or words when the days they stand for hold nothing."""

    understood: Understood
    #: the index's filter arguments: its dates and source
    filters: dict[str, Any]
    #: its plan with partial matches (not for an exact search), when one was made to read it
    plan: Plan | None = None
    #: what the search says about the reading: its date words searched as words, or not
    #: tried by the deadline
    warnings: tuple[str, ...] = ()
    cut: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Fetched:
    """What the index gave for one page: the hits (partial matches included), how many
    articles hold all the words, and where the search was cut short."""

    raw: RawResults
    matched_all: int = 0
    cut: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    #: the page lists a hit before one of its group with a higher score (ordered by topic)
    topic_order: bool = False


def facet_names(items: list[str]) -> list[str]:
    """``["source,year", "month"]`` as ``["source", "year", "month"]``; unknown names refused,
    and an item that names none (``--facets "$F"`` with ``F`` unset counted nothing and said
    nothing; no facets at all is ``[]``)."""
    names = []
    for item in items:
        named = [n.strip().lower() for n in item.split(",") if n.strip()]
        if not named:
            raise QueryError(f"facets {echoed(item)} is blank: it names no facet",
                             hint=f"name {', '.join(FACETS)}, or leave {FACETS_OPTION} out")
        names += named
    for n in names:
        if n not in FACETS:
            raise QueryError(f"unknown facet {echoed(n)}: use {', '.join(FACETS)}")
    return list(dict.fromkeys(names))


class Searcher:
    """Runs searches on one home's index. ``refresh`` reads ``lexicon.tsv`` again when it
    changed (the engine's: it hands a new analyzer to the index), once per search."""

    def __init__(self, index: Index, corpus: Corpus, lexicon: UserLexicon, sync: IndexSync,
                 refresh: Callable[[], None]) -> None:
        self.index, self.corpus, self.lexicon, self.sync = index, corpus, lexicon, sync
        self.refresh = refresh

    @contextmanager
    def scope(self) -> Iterator[None]:
        """What one search runs in, and so do its explanation, its timeline and a list of
        similar articles: its time (:mod:`searchkit.query.budget`: every search is answered
        within 2 s), past which optional steps are skipped and Whoosh's walks stop, and one
        state of the index. Entered once, by what the engine calls (a second block within
        would undo the time given back by :func:`budget.restart` and :func:`budget.paused`),
        and one state of ``lexicon.tsv``, its query compiled and its snippets marked with
        one analyzer while another thread reads the file edited (:meth:`UserLexicon.held`)."""
        with budget.limited(self.index.query_seconds), self.index.pinned(), self.lexicon.held():
            yield

    def ensure(self) -> None:
        """Build the index if there is none; the build, or the wait for another process's,
        is no part of the search's time."""
        # Paused, not restarted when this process built: a search that waited on another
        # process's first build was left with no time and cut to its first few matches.
        with budget.paused():
            self.sync.ensure()

    @staticmethod
    def accept(query: str) -> str:
        """``query`` as every entry point takes it (a search, its explanation and
        timeline, a saved search, the marks of an article) and echoes it back: refused
        when it is no text or too long (at once, before any is read), made printable
        (:func:`~searchkit.query.parse.clean_query_text`)."""
        check_text("query", query)
        check_length(query)
        return clean_query_text(query)

    def understand(self, query: str, since: dt.date | str | None, until: dt.date | str | None,
                   today: dt.date | None, find_dates: bool) -> Understood:
        """``query`` (as :meth:`accept` gave it) understood with the lexicon as it is now,
        the dictionaries its words need read."""
        check_date("since", since)
        check_date("until", until)
        check_date("today", today, text=False)
        check_bool("find_dates", find_dates)
        self.refresh()
        u = understand(query, since, until, today, find_dates, self.lexicon.synonyms())
        with budget.paused():  # read once per process: no part of the search that comes first
            self.lexicon.analyzer.load(" ".join(analysed_words(u.parsed.root)))
        return u

    def plan(self, u: Understood, exact: bool, filters: dict[str, Any], *, partial: bool = False) -> Plan:
        return plan(self.index, self.lexicon.analyzer, u, self.lexicon.synonyms(), exact=exact, filters=filters,
                    partial=partial, keep=u.keep)

    def planned(self, reading: Reading, exact: bool, *, partial: bool) -> Plan:
        """The plan of ``reading``: the one made to read it (:meth:`_planned_reading`) when
        it was planned alike."""
        if reading.plan is not None and partial == (not exact):
            return reading.plan
        return self.plan(reading.understood, exact, reading.filters, partial=partial)

    @_one_search
    def run(self, query: str, *, limit: int, page: int, since: dt.date | str | None,
            until: dt.date | str | None, source: str | None, sort: Sort, exact: bool = False,
            today: dt.date | None = None, find_dates: bool = True, snippets: bool | Literal["all"] = True,
            collapse: bool = True, facets: Iterable[str] = (), arrived_after: int | None = None,
            partial: bool = False, months: bool = False) -> Results:
        """See :meth:`searchkit.Engine.search`; ``arrived_after``: only articles that arrived
        after this mark (a saved search's new matches)."""
        t0 = time.perf_counter()
        query = self.accept(query)  # (echoed back in Results: printable)
        names = _checked(limit=limit, page=page, sort=sort, source=source, facets=facets, snippets=snippets,
                         exact=exact, collapse=collapse, partial=partial, months=months)
        u = self.understand(query, since, until, today, find_dates)
        self.ensure()
        reading = self.as_searched(u, query, since=since, until=until, today=today, exact=exact, source=source)
        u, filters = reading.understood, reading.filters
        rng = u.date_range
        warnings = u.parsed.warnings
        # (articles deleted from corpus/ the index still holds: neither listed nor counted)
        gone = self.sync.gone()
        if gone:
            warnings += (self.sync.gone_note(len(gone)),)
        if (lag := self.index.lagging()) is not None:
            warnings += (lag,)
        if rng is not None and rng.empty:
            plan = Plan(self.index.compile(u.parsed, translit=not exact))
            got = _Fetched(RawResults(total=0, matched=0, hits=[], facets={name: [] for name in names}))
            warnings += (f"no day is in the date range {rng}",)
        else:
            plan = self.planned(reading, exact, partial=_lists_partial(partial, exact, sort, arrived_after))
            got = self._fetch(plan, u, page=page, limit=limit, sort=sort, collapse=collapse, facets=names,
                              arrived_after=arrived_after, filters=filters, exclude=gone)
        warnings += (*got.notes, *self._notes(plan, got.raw, filters["source"]), *reading.warnings)
        per_month = None  # (not asked for)
        if months:
            per_month = () if rng is not None and rng.empty else self.months(
                self.counted(plan, got.matched_all, got.raw.total), filters, gone)
        res = self._results(query, u, plan, got, page=page, limit=limit, t0=t0, sort=sort, snippets=snippets,
                            warnings=warnings, cut=(*got.cut, *reading.cut), months=per_month)
        by_date_only = sort == "date" and partial and not exact and arrived_after is None
        if by_date_only and not res.total and plan.relaxed is None:
            return self._only_all_by_date(res, reading)
        return self._lacking(res, plan, got.matched_all)

    def _only_all_by_date(self, res: Results, reading: Reading) -> Results:
        """``res``, a search by date that found no article with all the words, saying why
        when some hold part of them: by relevance they would be listed (switching the
        order must not seem to lose them)."""
        relaxed = self.planned(reading, False, partial=True)
        if relaxed.relaxed is None or not relaxed.missing:
            return res
        note = ("sorted by date, only the articles with all the words are listed; sorted by relevance (without "
                f"{SORTED_BY_DATE}), those with some of them are listed too")
        return dataclasses.replace(res, missing=relaxed.missing, warnings=(*res.warnings, note))

    @_one_search
    def matched_among(self, query: str, ids: set[str], *, since: dt.date | str | None,
                      until: dt.date | str | None, source: str | None) -> set[str]:
        """The articles of ``ids`` that :meth:`run` of ``query`` lists when it lists only
        the articles that arrived after a mark (a saved search's new matches): read and
        planned as it reads and plans it, spelling correction included."""
        query = self.accept(query)
        u = self.understand(query, since, until, None, True)
        if u.date_range is not None and u.date_range.empty:
            return set()
        reading = self.as_searched(u, query, since=since, until=until, today=None, exact=False, source=source)
        # (no partial matches: the new matches are the articles with all the words)
        plan = self.planned(reading, False, partial=_lists_partial(True, False, "relevance", arrived_after=0))
        return self.index.matched_ids(plan.compiled, within=ids, **reading.filters)

    @_one_search
    def marked_terms(self, query: str, *, since: dt.date | str | None, until: dt.date | str | None,
                     source: str | None, exact: bool, today: dt.date | None, find_dates: bool) -> MatchTerms:
        """What :meth:`run` of ``query`` with these options marks in its hits by default (by
        relevance, the partial matches listed unless exact): read and planned as it reads
        and plans it, its spelling correction and date words searched as words included."""
        query = self.accept(query)
        check_source(source)
        check_bool("exact", exact)
        u = self.understand(query, since, until, today, find_dates)
        rng = u.date_range
        if rng is not None and rng.empty:  # (as run plans it: nothing to search)
            return self.index.compile(u.parsed, translit=not exact).terms
        self.ensure()
        reading = self.as_searched(u, query, since=since, until=until, today=today, exact=exact, source=source)
        partial = _lists_partial(True, exact, "relevance", None)
        return self.planned(reading, exact, partial=partial).compiled.terms

    def _fetch(self, plan: Plan, u: Understood, *, page: int, limit: int, sort: Sort, collapse: bool,
               facets: list[str], arrived_after: int | None, filters: dict[str, Any],
               exclude: frozenset[str] = frozenset()) -> _Fetched:
        """The page of ``plan``'s hits: the articles with all the words, then (when the
        plan has them) the partial matches, and the first :data:`topical.WINDOW` ordered by
        topic when the index has a topic model; never the articles ``exclude`` names."""
        offset = (page - 1) * limit
        ordered = False  # by topic
        if sort == "relevance" and offset < topical.WINDOW:
            try:  # (at hand, or to be read once the search is answered, waited for while it can)
                ordered = self.index.topic_model(within=0.0) is not None
            except TopicsLate:
                ordered = True
        # ordered by topic, the first WINDOW results are fetched whatever the page, so
        # that every page of them is cut from the same order
        at, want = (0, max(topical.WINDOW, offset + limit)) if ordered else (offset, limit)
        raw = self.index.search(plan.compiled, limit=want, offset=at, sort=sort, collapse=collapse,
                                facets=facets, arrived_after=arrived_after, exclude=exclude, **filters)
        matched_all, all_matched = raw.total, raw.matched  # (folded, and near-duplicates included)
        cut = plan.compiled.cut
        if plan.relaxed is not None and budget.passed():
            cut += (f"stopped after {budget.seconds():g} s: the articles with only some of the words are "
                    "not listed; narrow the query",)
        elif plan.relaxed is not None:
            # a page the all-words hits do not fill is filled with the partial matches; a
            # page of all-words hits still counts them: every page of one search says the
            # same total
            room = want if raw.total < offset + limit else 0
            raw = self._with_partial(raw, plan.relaxed, at, room, sort=sort, collapse=collapse,
                                     facets=facets, filters=filters, exclude=exclude)
        notes: tuple[str, ...] = ()
        unordered = False
        if ordered:  # the window was fetched: ordered by topic, then cut to the page
            raw, notes = self._reordered(raw, plan, u, matched_all=matched_all, all_matched=all_matched,
                                         offset=offset, limit=limit)
            unordered = topical.out_of_order(raw.hits, matched_all, offset)
        return _Fetched(raw, matched_all, (*cut, *raw.cut), notes, unordered)

    def placed(self, plan: Plan, u: Understood, filters: dict[str, Any], article_id: str,
               depth: int) -> tuple[int, str] | None:
        """Where the search of ``plan`` as ``search`` runs it by default (by relevance,
        near-duplicates folded, partial matches after the articles with all the words, the
        first :data:`topical.WINDOW` ordered by topic, the deleted articles left out) lists
        ``article_id`` among its first ``depth`` results: its place and the hit that lists
        it (itself, or the near-duplicate it is folded into); ``None`` when it is not
        among them. (Within :meth:`scope`.)"""
        got = self._fetch(plan, u, page=1, limit=depth, sort="relevance", collapse=True,
                          facets=[], arrived_after=None, filters=filters, exclude=self.sync.gone())
        for place, hit in enumerate(got.raw.hits, 1):
            if hit.id == article_id or article_id in hit.duplicates:
                return place, hit.id
        return None

    def _reordered(self, raw: RawResults, plan: Plan, u: Understood, *, matched_all: int, all_matched: int,
                   offset: int, limit: int) -> tuple[RawResults, tuple[str, ...]]:
        """The window of ``raw`` ordered by topic (see :mod:`.topical`), cut to the page, and
        a note when the model could not be had in time."""
        # (the model asked again after the search: a cluster's alias may have moved to a
        # new generation meanwhile, whose model the hits' vectors are of; one still being
        # read is waited for while the search can still answer in time)
        hits = raw.hits
        notes: tuple[str, ...] = ()
        try:
            model = self.index.topic_model(within=budget.answer_left())
        except TopicsLate as e:
            model = None
            # (a note, not a cut: every match is listed, and narrowing the query would not help)
            notes = (f"the first results are ordered by their words alone: {e}",)
        if model is not None:
            words = topical.searched_words(plan, u.typed, self.lexicon.analyzer)
            hits = [*topical.reorder(hits[:topical.WINDOW], matched_all, model, words, matched=all_matched),
                    *hits[topical.WINDOW:]]
        return dataclasses.replace(raw, hits=hits[offset:offset + limit]), notes

    def _notes(self, plan: Plan, raw: RawResults, source: str | None) -> tuple[str, ...]:
        """What the plan says, and why a search that found nothing did."""
        notes = plan.notes
        if plan.relaxed is not None and plan.missing and not raw.total and not plan.notes:
            # (``мова Лукашенко``: what the others hold is too common to list as partial matches)
            without = ", ".join(plan.missing)
            notes += (f"no article has all the words, and the others are each in too many articles to list as "
                      f"partial matches: search without {without} to see them",)
        if source is not None and not raw.total and (unknown := self._unknown_source(source)):
            notes += (unknown,)
        return notes

    def _results(self, query: str, u: Understood, plan: Plan, got: _Fetched, *, page: int, limit: int,
                 t0: float, sort: Sort, snippets: bool | Literal["all"], warnings: tuple[str, ...],
                 cut: tuple[str, ...], months: tuple[tuple[str, int], ...] | None) -> Results:
        """The page of ``got`` as :class:`Results`: its hits' snippets, and what the plan
        searched."""
        raw, matched_all = got.raw, got.matched_all
        wider = None
        if plan.near and plan.relaxed is not None and raw.total > matched_all:
            # the hits after the word's own hold a near spelling: their snippets mark it
            # (the word's own articles mark only the word)
            wider = (matched_all, dataclasses.replace(plan.compiled, terms=plan.compiled.terms | plan.relaxed.terms))
        told = Told(warnings=warnings, cut=cut, matched_all=matched_all, suggestion=plan.suggestion,
                    corrected_query=plan.corrected_query, date_range=u.date_range,
                    synonyms=tuple(str(x) for x in u.synonyms), missing=plan.missing if raw.total else (),
                    near=plan.near if raw.total > matched_all else (), near_to=plan.near_to, months=months,
                    topic_order=got.topic_order)
        return self.results(query, raw, plan.compiled, page, limit, t0, told=told, snippets=snippets,
                            scored=sort == "relevance", wider=wider)

    def _lacking(self, res: Results, plan: Plan, matched_all: int) -> Results:
        """``res``, its ``missing`` the words the best partial match lacks when no article
        has them all."""
        if not (res.hits and not matched_all and res.hits[0].matched):
            return res
        # read from the words it matched: each with every lemma it has (``повній`` is
        # marked under a relative, ``повніти``, and still holds the query's ``повні``
        # through ``повний``)
        held: set[str] = set()
        for form, key in res.hits[0].matched:
            held.add(key)
            for tok in self.lexicon.analyzer.analyze(form):
                held.add(tok.form)
                held.update(tok.lemmas)
        lacks = tuple(word for word, terms in plan.items if not terms & held)
        return dataclasses.replace(res, missing=lacks) if lacks else res

    def _unknown_source(self, source: str) -> str | None:
        """A note when no article has ``source`` (a slip in ``--source``), naming the
        commonest sources; ``None`` when some article has it."""
        known = self.index.sources()
        keys = source_keys(source)  # (once: it was once per known source, seconds for a long value)
        if any(source_key(s) in keys for s in known):
            return None
        common = sorted(known.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
        listed = "; ".join(f"{name} ({n:,})" for name, n in common)
        more = f"; {len(known) - len(common):,} more in {SOURCES}" if len(known) > len(common) else ""
        return (f"no article has the source {echoed(source)}" + (f" (sources: {listed}{more})" if common else ""))

    def results(self, query: str, raw: RawResults, compiled: Compiled, page: int, limit: int, t0: float, *,
                told: Told, snippets: bool | Literal["all"] = True, shared: bool = False, scored: bool = True,
                wider: tuple[int, Compiled] | None = None) -> Results:
        """``raw`` as :class:`Results` (see :func:`.hits.results`)."""
        return results(self.index, self.corpus, self.lexicon.analyzer, query, raw, compiled, page, limit, t0,
                       told=told, snippets=snippets, shared=shared, scored=scored, wider=wider)

    def _with_partial(self, raw: RawResults, relaxed: Compiled, offset: int, limit: int, *, sort: Sort,
                      collapse: bool, facets: list[str], filters: dict[str, Any],
                      exclude: frozenset[str] = frozenset()) -> RawResults:
        """A page that the all-words hits do not fill, filled with the partial matches
        that rank after them (see :mod:`searchkit.query.understand`), and their count in
        the total (``limit`` 0: the count alone, for a page the all-words hits fill)."""
        start = max(offset - raw.total, 0)
        room = max(offset + limit - max(offset, raw.total), 0)  # 0: counted only
        more = self.index.search(relaxed, limit=room, offset=start, sort=sort, collapse=collapse,
                                 facets=facets if not raw.total else [], exclude=exclude, **filters)
        shown = {h.id for h in raw.hits}
        hits = self._with_partial_copies(raw.hits, relaxed, filters) if collapse and raw.hits else raw.hits
        return RawResults(total=raw.total + more.total, matched=raw.matched + more.matched,
                          hits=[*hits, *(h for h in more.hits if h.id not in shown)],
                          facets=raw.facets if raw.total else more.facets, cut=(*raw.cut, *more.cut))

    def _with_partial_copies(self, hits: list[RawHit], relaxed: Compiled, filters: dict[str, Any]) -> list[RawHit]:
        """``hits`` (all-words hits) with their copies that hold only some of the words
        among their duplicates: the partial matches leave those out (the story is listed
        here), and a copy should stay a click away."""
        if budget.passed():
            return hits
        copies = self.index.partial_copies(relaxed, [h.id for h in hits], **filters)
        out = []
        for h in hits:
            more = [(i, day) for i, day in copies.get(h.id, ()) if i != h.id and i not in h.duplicates]
            if not more:
                out.append(h)
                continue
            # first published: the earliest date among the hit and every copy listed
            first = min(filter(None, (h.first_day, *(day for _, day in more))), default=None)
            out.append(dataclasses.replace(h, duplicates=(*h.duplicates, *(i for i, _ in more)), first_day=first))
        return out

    @_one_search
    def timeline(self, query: str, *, since: dt.date | str | None, until: dt.date | str | None,
                 source: str | None, exact: bool, today: dt.date | None,
                 find_dates: bool) -> list[tuple[str, int]]:
        """See :meth:`searchkit.Engine.timeline`."""
        query = self.accept(query)
        check_source(source)
        check_bool("exact", exact)
        u = self.understand(query, since, until, today, find_dates)
        rng = u.date_range
        if rng is not None and rng.empty:
            return []
        self.ensure()
        reading = self.as_searched(u, query, since=since, until=until, today=today, exact=exact, source=source)
        filters, gone = reading.filters, self.sync.gone()
        # (planned as the search plans it: its partial matches are counted when no article
        # has all the words)
        plan = self.planned(reading, exact, partial=_lists_partial(True, exact, "relevance", None))
        matched_all = self.index.search(plan.compiled, limit=0, offset=0, sort="relevance", collapse=True,
                                        facets=[], arrived_after=None, exclude=gone, **filters).total
        # (articles deleted from corpus/ the index still holds are counted in no month)
        return list(self.months(self.counted(plan, matched_all), filters, gone))

    @staticmethod
    def counted(plan: Plan, matched_all: int, listed: int | None = None) -> Compiled:
        """What a search's months count, as its facets do: the articles with all the
        words, or when none has them all, its partial matches (``listed``: how many
        matches the search found, when it ran; 0 when its deadline left the partial
        matches unsearched)."""
        if matched_all or plan.relaxed is None or listed == 0:
            return plan.compiled
        return plan.relaxed

    def as_searched(self, u: Understood, query: str, *, since: dt.date | str | None, until: dt.date | str | None,
                    today: dt.date | None, exact: bool, source: str | None) -> Reading:
        """``query`` (understood as ``u``) as every search of it reads it, and ``explain``
        and the timeline with them: its date words (``вчора``) a date filter, or words when
        no article of those days holds any of the other words and some article holds the
        query with them as words. The archive decides, not what one search lists: sorted by
        date or without partial matches, ``обстріли вчора`` is read as the plain search
        reads it, and a saved search's new matches are some of its matches. (Within
        :meth:`scope`.)"""
        if not _dates_may_be_words(u, since, until):
            return Reading(u, filters_of(u.date_range, source))
        dated = self._planned_reading(u, exact, source)
        if self._finds(dated):
            return dated
        if budget.passed():
            return dataclasses.replace(dated, cut=(
                f"stopped after {budget.seconds():g} s: the date words were not searched as words; narrow the query",))
        # (a date word is no typo: ``вчора`` stays, never ``вечора``; the other words may
        # still be corrected)
        rng = u.date_range
        plain = dataclasses.replace(self.understand(query, since, until, today, False),
                                    keep=rng.phrase if rng is not None else "")
        words = self._planned_reading(plain, exact, source)
        if not self._finds(words):
            return dated  # nothing either way: the dated search's answer says its dates
        return dataclasses.replace(words, warnings=(
            f"no article dated {rng} has the other words: the date words were searched as words",))

    def _planned_reading(self, u: Understood, exact: bool, source: str | None) -> Reading:
        """``u`` planned as a search plans it unless told otherwise: with partial matches,
        unless exact."""
        filters = filters_of(u.date_range, source)
        return Reading(u, filters, self.plan(u, exact, filters, partial=not exact))

    def _finds(self, reading: Reading) -> bool:
        """Whether the search of ``reading`` lists any article (with all the words or some)."""
        p, filters = reading.plan, reading.filters
        return p is not None and bool(self.index.count(p.compiled, **filters)
                                      or (p.relaxed is not None and self.index.count(p.relaxed, **filters)))

    def months(self, compiled: Compiled, filters: dict[str, Any],
               exclude: frozenset[str] = frozenset()) -> tuple[tuple[str, int], ...]:
        """The matches of ``compiled`` per month (``YYYY-MM``), oldest first, but for the
        articles ``exclude`` names."""
        months = self.index.months(compiled, exclude=exclude, **filters)
        return tuple((f"{ym // 100:04d}-{ym % 100:02d}", n) for ym, n in sorted(months.items()))


def _dates_may_be_words(u: Understood, since: dt.date | str | None, until: dt.date | str | None) -> bool:
    """Whether the date words of ``u`` are searched as words should their days hold no
    match: never when ``--since``/``--until`` were given or the range holds no day."""
    rng = u.date_range
    return u.dated_words and since is None and until is None and not (rng is not None and rng.empty)
