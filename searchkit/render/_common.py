"""What the views share: the match style, text with its matches marked, a wrapped
text with a hanging indent, the words for where an analysis came from, a message as a sentence."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from ..advice import in_command_words
from ..models import Snippet, Span
from ..text.controls import printable

MATCH_STYLE = "bold black on yellow"


def sentence(text: str) -> str:
    """``text`` (the library's words, which start in lower case to follow a colon) as a
    sentence of its own: its first letter a capital."""
    return text[:1].upper() + text[1:]


def told(notes: Iterable[str], cut: Iterable[str] = ()) -> list[Text]:
    """The lines a view prints for the notes of an answer (each in the command line's words)
    and for the steps a time limit cut short: one rule for the results, the similar
    articles and an explanation."""
    return ([Text(f"Note: {printable(in_command_words(n))}", style="dim yellow") for n in notes]
            + [Text(f"Cut short: {printable(c)}", style="yellow") for c in cut])


def _as_written(text: str) -> str:
    """What a view does with the commands it advises when told nothing of the home."""
    return text


def highlighted(text: str, spans: Iterable[Span], *, base: str = "", match: str = MATCH_STYLE,
                lines: bool = False) -> Text:
    """``text`` (made :func:`printable`) as a Rich Text with each span styled as a match."""
    t = Text(printable(text, lines=lines), style=base)
    for s in spans:
        t.stylize(match, s.start, s.end)
    return t


def snippet_text(snippet: Snippet) -> Text:
    return highlighted(snippet.text, snippet.spans, lines=True)


class Hanging:
    """``text`` wrapped to the width at hand, lines after the first indented by ``indent``.

    ``first`` indents the first line. With ``max_lines`` a long text stops there, the last
    line ending in ``…``. When the console soft-wraps (piped output) the text is one line,
    whole, so that ``grep`` sees every word of it.
    """

    def __init__(self, text: Text, *, indent: int = 4, first: int | None = None, max_lines: int | None = None) -> None:
        self.text = text
        self.indent = indent
        self.first = indent if first is None else first
        self.max_lines = max_lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if options.no_wrap:
            yield Text(" " * self.first) + self.text
            return
        width = max(10, options.max_width - max(self.indent, self.first))
        lines = list(self.text.wrap(console, width, overflow="fold"))
        if not lines:
            yield Text("")
            return
        if self.max_lines and len(lines) > self.max_lines:
            lines = lines[: self.max_lines]
            last = lines[-1]
            last.rstrip()
            if last.cell_len >= width:  # make room for the ellipsis, at a word if one is near
                last.truncate(width - 1)
                space = last.plain.rfind(" ")
                if space > len(last.plain) - 15:
                    last.truncate(space)
                last.rstrip()
            if not last.plain.endswith("…"):
                last.append("…")
        for i, line in enumerate(lines):
            line.rstrip()
            line.end = "\n"
            yield Text(" " * (self.first if i == 0 else self.indent)) + line


_ORIGINS = {"uk": "uk dictionary", "ru": "ru dictionary", "lexicon": "lexicon.tsv", "": "as written"}
