"""Saved searches with the index: a query refused when saved if it cannot run, and a run
that lists only what arrived since the last one (the file itself: :mod:`searchkit.store.saved`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

from ..advice import RUN_NEW, RUN_NEW_LIMIT
from ..errors import SavedSearchError
from ..models import DEFAULT_LIMIT, Results, SavedSearch, Sort
from ..query.request import Understood
from ..store.saved import SavedSearches, date_text, now_iso
from .arguments import check_bool, check_source, check_text
from .search import Searcher

__all__ = ["check_savable", "count_new", "new_matches", "not_marked", "run_saved", "save"]


def save(searcher: Searcher, saved: SavedSearches, name: str, query: str, *, since: dt.date | str | None,
         until: dt.date | str | None, source: str | None, replace: bool) -> SavedSearch:
    """See :meth:`searchkit.Engine.save_search`."""
    query = searcher.accept(query)  # (kept as every run reads it)
    check_text("name", name)
    check_bool("replace", replace)  # (replace="no" replaced the search saved under the name)
    u = _runnable(searcher, query, since, until, source)
    index = searcher.index
    seen = index.last_arrival() if index.exists() else 0
    search = SavedSearch(name=name, query=query, since=date_text(since), until=date_text(until),
                         source=source or None, created=now_iso(), seen=seen)
    return dataclasses.replace(saved.add(search, replace=replace), notes=u.typed.warnings)


def check_savable(searcher: Searcher, query: str, *, since: dt.date | str | None, until: dt.date | str | None,
                  source: str | None) -> None:
    """See :meth:`searchkit.Engine.check_saved_search`: what :func:`save` refuses of the
    query and its filters, refused the same way, nothing saved."""
    _runnable(searcher, searcher.accept(query), since, until, source)


def _runnable(searcher: Searcher, query: str, since: dt.date | str | None, until: dt.date | str | None,
              source: str | None) -> Understood:
    """``query`` (as :meth:`Searcher.accept` gave it) understood with its filters, or the
    error that says why it cannot run. A saved search is refused when it cannot run now
    rather than at every run and import: its words, dates and filters read, compiled
    against the index (`п*` stands for too many words)."""
    check_source(source)
    u = searcher.understand(query, since, until, dt.date.today(), True)
    if not searcher.sync.missing():
        searcher.index.compile(u.parsed)
    return u


def run_saved(searcher: Searcher, search: SavedSearch, *, new: bool, limit: int, page: int, sort: Sort,
              collapse: bool, facets: Iterable[str]) -> tuple[Results, int]:
    """See :meth:`searchkit.Engine.run_saved_search`: the results, and the arrival mark to
    keep as its last run (taken before it ran; the one it had while a page short of the
    last is listed)."""
    check_bool("new", new)
    mark = searcher.index.last_arrival()
    results = searcher.run(search.query, limit=limit, page=page, since=search.since, until=search.until,
                           source=search.source, sort=sort, collapse=collapse, facets=facets,
                           arrived_after=search.seen if new else None)
    if _lists_the_last(results):
        return results, mark
    # A page short of the last leaves matches unlisted: marking them seen would hide them
    # from every later `--new` (ranked by relevance, the new ones may be on any page), so
    # the mark stays until a run lists the last page.
    if new:
        note = _unlisted(search.name, results)
        results = dataclasses.replace(results, warnings=(*results.warnings, note), stays_new_note=note)
    return results, search.seen


def not_marked(results: Results, why: SavedSearchError) -> Results:
    """``results`` of a run that could not be marked as run (the saved-searches file cannot
    be written: a full disk, a read-only folder), with a note of it: what it found stands,
    and what it lists stays new for the next ``new`` run, which lists it again."""
    return dataclasses.replace(results, warnings=(*results.warnings, f"{why}: not marked as run, so what it "
                                                  "lists counts as new again next time"))


def count_new(searcher: Searcher, search: SavedSearch) -> int:
    """How many matches a run of ``search``'s new matches (:func:`run_saved`, ``new=True``)
    lists in all, near-duplicates folded, without running it: it is not marked as run."""
    return searcher.run(search.query, limit=1, page=1, since=search.since, until=search.until, source=search.source,
                        sort="relevance", snippets=False, arrived_after=search.seen).total


def _lists_the_last(results: Results) -> bool:
    """Whether ``results`` is the page holding the last hit (or there are none)."""
    return results.total == 0 or (results.page - 1) * results.limit < results.total <= results.page * results.limit


def _unlisted(name: str, results: Results) -> str:
    """The note of a ``--new`` run short of its last page: they all stay new, and the page to ask for."""
    last = -(-results.total // results.limit)
    page = min(results.page + 1, last)
    # (the default page size is left unsaid)
    command = RUN_NEW(name, page) if results.limit == DEFAULT_LIMIT else RUN_NEW_LIMIT(name, page, results.limit)
    return (f"this page lists {len(results.hits):,} of {results.total:,} new matches: they all stay new until a "
            f"run lists page {last:,}, the last ({command})")


def new_matches(searcher: Searcher, search: SavedSearch, ids: set[str]) -> int:
    """How many of ``ids`` (the articles an import just changed) the run of ``search``'s
    new matches (:func:`run_saved`, ``new=True``) lists: the same reading and plan."""
    return len(searcher.matched_among(search.query, ids, since=search.since, until=search.until,
                                      source=search.source))
