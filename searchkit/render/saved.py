"""Saved searches as a table, with the time each last ran."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from rich.console import RenderableType
from rich.text import Text

from ..models import SavedSearch
from ..text.controls import printable
from ._common import _as_written


def local_time(timestamp: str) -> str:
    """An ISO timestamp as this machine's local time, to the minute (``2025-06-01 14:32``):
    a date as the CLI shows one, and the time of day; text that is no timestamp as it is."""
    import datetime as dt

    try:
        when = dt.datetime.fromisoformat(timestamp)
    except ValueError:
        return timestamp
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


def saved_filters(search: SavedSearch) -> str:
    """``since 2016, source Вісті``: the filters of ``search`` as kept (a date phrase as
    typed), empty when it has none."""
    parts = [f"since {search.since}" if search.since else "", f"until {search.until}" if search.until else "",
             f"source {search.source}" if search.source else ""]
    return ", ".join(p for p in parts if p)


def saved_table(searches: Sequence[SavedSearch], *, advise: Callable[[str], str] = _as_written,
                new: Mapping[str, int | None] | None = None) -> RenderableType:
    """The saved searches; ``advise`` as for :func:`stats_view`; ``new``: by name, how many
    articles a run of only the new ones would list (``None``: it cannot run now, shown ``?``)."""
    from rich.table import Table  # only the commands that print tables load it

    if not searches:
        return Text(advise("No saved searches (add one with `searchkit saved add NAME QUERY`)."), style="yellow")
    table = Table(box=None, header_style="bold")
    for col in ("name", "query", "filters", "last run"):
        table.add_column(col)
    if new is not None:
        table.add_column("new", justify="right")
    for s in searches:
        row = [Text(printable(s.name)), Text(printable(s.query)), Text(printable(saved_filters(s)) or "—"),
               Text(printable(local_time(s.last_run) if s.last_run else "never"))]
        if new is not None:
            count = new.get(s.name)
            row.append(Text("?" if count is None else f"{count:,}"))
        table.add_row(*row)
    return table
