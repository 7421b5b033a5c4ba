"""What a home holds (``searchkit stats``), sizes in bytes as people read them."""

from __future__ import annotations

from collections.abc import Callable

from rich.console import RenderableType
from rich.text import Text

from ..advice import in_command_words
from ..models import Stats
from ..text.controls import printable
from ._common import _as_written
from .notes import fix_or_delete


def human_bytes(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"  # pragma: no cover


def stats_view(stats: Stats, *, advise: Callable[[str], str] = _as_written) -> RenderableType:
    """What a home holds; ``advise`` gives each command it advises the home it names (the
    CLI's ``--home``)."""
    from rich.table import Table  # only the commands that print tables load it

    t = Table(box=None, show_header=False)
    t.add_column(style="bold")
    t.add_column()
    t.add_row("articles", f"{stats.articles:,} indexed, {stats.corpus_articles:,} in corpus/")
    span = "—"
    if stats.first_date and stats.last_date:
        span = f"{stats.first_date.isoformat()} … {stats.last_date.isoformat()}"
    if stats.undated:
        span += f" ({stats.undated:,} undated)"
    t.add_row("dates", span)
    t.add_row("index", human_bytes(stats.index_bytes))
    why = in_command_words(stats.index_outdated_reason or "")
    # (while another process builds it, its reason says so: nothing to run meanwhile)
    # (a home with no articles, as `init` makes it, needs an import, which builds the index:
    # "run `searchkit index`" there indexed nothing, and a search said to import)
    todo = ("" if stats.index_building else fix_or_delete(stats.unreadable) if stats.unreadable
            else "" if "`searchkit index`" in why
            else "`searchkit import FILE` adds articles and builds it" if not stats.corpus_articles
            else "run `searchkit index`")  # (said once)
    t.add_row("up to date", Text("yes", style="green") if stats.index_up_to_date
              else Text(advise(f"no: {'; '.join(filter(None, (why, todo)))}"), style="yellow"))
    if stats.articles:
        from ..text import topics  # (NumPy: only `stats` needs the threshold)

        t.add_row("topics", f"learnt from {stats.topics_learnt_from:,} articles" if stats.topics_learnt_from else
                  advise("none yet: not learnt from its articles (`searchkit index` learns it)")
                  if stats.topics_due else
                  f"none yet (learnt once the archive holds {topics.MIN_ARTICLES} articles)"
                  if stats.articles < topics.MIN_ARTICLES else
                  advise("none: its articles share too few words (`searchkit index --rebuild` tries again)"))
    if stats.lexicon_error:
        t.add_row("lexicon", Text(f"cannot be read: {stats.lexicon_error} (search and index refuse until fixed)",
                                  style="red"))
    if stats.sources:
        top = list(stats.sources.items())[:15]
        more = len(stats.sources) - len(top)
        lines = "\n".join(f"{n:>6,}  {printable(s)}" for s, n in top) + (f"\n  … and {more:,} more" if more else "")
        t.add_row("sources", Text(lines))
    return t
