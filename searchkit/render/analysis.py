"""The analyzer's tokens as a table (``searchkit analyze``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import RenderableType
from rich.text import Text

from ..text.analysis import Token
from ..text.controls import printable
from ._common import _ORIGINS

if TYPE_CHECKING:  # pragma: no cover
    from rich.table import Table


def analysis_table(tokens: Sequence[Token], text: str, origins: Sequence[str] = (),
                   spellings: Sequence[Sequence[str]] = ()) -> Table:
    """One row per token; ``origins`` (per token: ``uk``, ``ru``, ``lexicon``) adds a column,
    ``spellings`` (per token: its other spellings) another."""
    from rich.table import Table  # only the commands that print tables load it

    table = Table(box=None, header_style="bold")
    table.add_column("token")
    table.add_column("normal form")
    table.add_column("lemma(s)")
    table.add_column("known", justify="center")
    if origins:
        table.add_column("from")
    if any(spellings):
        table.add_column("other spellings")
    for i, t in enumerate(tokens):
        row: list[RenderableType] = [Text(printable(text[t.start : t.end])), Text(printable(t.form)),
                                     Text(printable(", ".join(t.lemmas))),
                                     "yes" if t.known else Text("guess", style="yellow")]
        if origins:
            row.append(Text(_ORIGINS.get(origins[i], origins[i])))
        if any(spellings):
            row.append(Text(", ".join(spellings[i])))
        table.add_row(*row)
    return table
