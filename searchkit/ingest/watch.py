"""What an import tells about the saved searches: how many of the articles it changed each
one matches, counted by ``count`` as the saved search's run of its new matches would list
them (:func:`searchkit.answers.saved.new_matches`: the search's own reading of the query,
its spelling correction included)."""

from __future__ import annotations

from collections.abc import Callable

from ..errors import SearchkitError
from ..models import ImportReport, SavedSearch
from ..store.saved import SavedSearches

__all__ = ["Count", "add_counts", "watch"]

#: How many of the articles of the ids given one saved search matches.
Count = Callable[[SavedSearch, set[str]], int]


def watch(saved: SavedSearches, count: Count, ids: set[str], report: ImportReport | None = None) -> dict[str, int]:
    """How many of ``ids`` each saved search matches. A saved searches file that cannot be
    read is a warning in ``report``, never a reason to stop an import."""
    out: dict[str, int] = {}
    try:
        searches = saved.all()
    except SearchkitError as e:
        note = f"saved searches not counted: {e}" + (f" ({e.hint})" if e.hint else "")
        if report is not None and note not in report.warnings:
            report.warnings.append(note)
        return out
    for s in searches:
        try:
            out[s.name] = count(s, ids)
        except SearchkitError:
            continue  # a query the current analyzer finds nothing in: nothing to count
    return out


def add_counts(report: ImportReport, counts: dict[str, int]) -> None:
    """Add one batch's counts to the import's."""
    for name, n in counts.items():
        report.watched[name] = report.watched.get(name, 0) + n
