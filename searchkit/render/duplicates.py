"""Groups of near-duplicate articles (``searchkit duplicates``)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.text import Text

from ..models import Article
from ..text.controls import printable


def duplicates_view(groups: Sequence[Sequence[Article]]) -> RenderableType:
    """Groups of near-duplicates, oldest first within each: date · source · id · title."""
    if not groups:
        return Text("No near-duplicates.", style="yellow")
    parts: list[RenderableType] = [Text(f"{len(groups)} group{'s' if len(groups) != 1 else ''} of near-duplicates",
                                        style="green"), Text("")]
    for n, group in enumerate(groups, 1):
        parts.append(Text(f"{n:>3}. {len(group)} articles", style="bold"))
        for a in group:
            meta = " · ".join([a.date.isoformat() if a.date else "undated", a.source or "—", a.id])
            parts.append(Text.assemble("     ", (printable(meta), "dim cyan"), "  ", printable(a.title)))
    return Group(*parts)
