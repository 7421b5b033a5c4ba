"""What an import tells about the saved searches: how many of the articles it changed each
one matches, understood as a search would understand it (date phrases and synonyms, but no
spelling correction)."""

from __future__ import annotations

import datetime as dt

from ..backends.base import Index
from ..errors import SearchkitError
from ..models import ImportReport
from ..query.request import filters_of, understand
from ..query.synonyms import Synonyms
from ..store.saved import SavedSearches

__all__ = ["watch"]


def watch(saved: SavedSearches, index: Index, synonyms: Synonyms, ids: set[str],
          report: ImportReport | None = None) -> dict[str, int]:
    """How many of ``ids`` each saved search matches. A saved searches file that cannot be
    read is a warning in ``report``, never a reason to stop an import."""
    out: dict[str, int] = {}
    today = dt.date.today()
    try:
        searches = saved.all()
    except SearchkitError as e:
        note = f"saved searches not counted: {e}" + (f" ({e.hint})" if e.hint else "")
        if report is not None and note not in report.warnings:
            report.warnings.append(note)
        return out
    for s in searches:
        try:
            u = understand(s.query, s.since, s.until, today, True, synonyms)
            if u.date_range is not None and u.date_range.empty:
                out[s.name] = 0
                continue
            compiled = index.compile(u.parsed)
        except SearchkitError:
            continue  # a query the current analyzer finds nothing in: nothing to count
        out[s.name] = len(index.matched_ids(compiled, within=ids, **filters_of(u.date_range, s.source)))
    return out


def add_counts(report: ImportReport, counts: dict[str, int]) -> None:
    """Add one batch's counts to the import's."""
    for name, n in counts.items():
        report.watched[name] = report.watched.get(name, 0) + n
