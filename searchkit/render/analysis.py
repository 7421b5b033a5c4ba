"""The analyzer's tokens as a table (``searchkit analyze``).

Rich lays a table out at about 0.9 ms a row (a 20,000-word text took 17 s, where its
analysis takes 2), so a long one (over :data:`TABLE_ROWS` tokens) is laid out here, one
line a row, as Rich lays it out when it fits the width (each row on one line: always when
piped); where it does not fit (a terminal narrower than the longest row), the first
:data:`TABLE_ROWS` rows are the table, and a line says how many more there are and how to
list them all."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.text import Text

from ..text.analysis import Token
from ..text.controls import printable
from ._common import _ORIGINS

if TYPE_CHECKING:  # pragma: no cover
    from rich.table import Table

#: Most rows of tokens laid out by Rich's table (0.4 s of it); past them, see the module.
TABLE_ROWS = 500


def analysis_table(tokens: Sequence[Token], text: str, origins: Sequence[str] = (),
                   spellings: Sequence[Sequence[str]] = ()) -> Table:
    """One row per token; ``origins`` (per token: ``uk``, ``ru``, ``lexicon``) adds a column,
    ``spellings`` (per token: its other spellings) another."""
    from rich.table import Table  # only the commands that print tables load it

    table = Table(box=None, header_style="bold")
    names = _columns(origins, spellings)
    for name in names:
        table.add_column(name, justify="center" if name == _CENTRED else "left")
    for row in _rows(tokens, text, origins, spellings):
        table.add_row(*(Text(cell, style=_style(name, cell)) for name, cell in zip(names, row, strict=True)))
    return table


def analysis_view(tokens: Sequence[Token], text: str, origins: Sequence[str] = (),
                  spellings: Sequence[Sequence[str]] = ()) -> RenderableType:
    """:func:`analysis_table`, or for a long text (over :data:`TABLE_ROWS` tokens) the
    same rows laid out without Rich's table (see the module)."""
    if len(tokens) <= TABLE_ROWS:
        return analysis_table(tokens, text, origins, spellings)
    return _LongAnalysis(tokens, text, origins, spellings)


#: the column whose cells are centred
_CENTRED = "known"


def _style(column: str, cell: str) -> str:
    return "yellow" if column == _CENTRED and cell == "guess" else ""


def _columns(origins: Sequence[str], spellings: Sequence[Sequence[str]]) -> list[str]:
    return ["token", "normal form", "lemma(s)", _CENTRED, *(["from"] if origins else []),
            *(["other spellings"] if any(spellings) else [])]


def _rows(tokens: Sequence[Token], text: str, origins: Sequence[str],
          spellings: Sequence[Sequence[str]]) -> list[list[str]]:
    rows = []
    shown = any(spellings)
    for i, t in enumerate(tokens):
        row = [printable(text[t.start : t.end]), printable(t.form), printable(", ".join(t.lemmas)),
               "yes" if t.known else "guess"]
        if origins:
            row.append(_ORIGINS.get(origins[i], origins[i]))
        if shown:
            row.append(", ".join(spellings[i]))
        rows.append(row)
    return rows


@dataclass(frozen=True)
class _LongAnalysis:
    tokens: Sequence[Token]
    text: str
    origins: Sequence[str]
    spellings: Sequence[Sequence[str]]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        names = _columns(self.origins, self.spellings)
        rows = _rows(self.tokens, self.text, self.origins, self.spellings)
        widths = [max(cell_len(row[c]) for row in [names, *rows]) for c in range(len(names))]
        if sum(w + 2 for w in widths) > options.max_width:  # (Rich would wrap cells: it lays out the first)
            more = len(rows) - TABLE_ROWS
            yield analysis_table(self.tokens[:TABLE_ROWS], self.text, self.origins[:TABLE_ROWS],
                                 self.spellings[:TABLE_ROWS])
            yield Text(f"… and {more:,} more tokens ({len(rows):,} in all): piped (| less -S) or with --json, "
                       "every one is listed", style="dim")
            return
        # as Rich's table without a box lays it out: each cell padded by a space either side
        out = Text(no_wrap=True, overflow="ignore", end="")
        for r, row in enumerate([names, *rows]):
            for c, cell in enumerate(row):
                pad = widths[c] - cell_len(cell)
                left = pad // 2 if names[c] == _CENTRED else 0
                out.append(" " * (left + 1))
                out.append(cell, style="bold" if r == 0 else _style(names[c], cell))
                out.append(" " * (pad - left + 1))
            out.append("\n")
        yield out
