"""One article (``show``), its matches marked, laid out by its own line wrapping."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.segment import Segment
from rich.style import Style
from rich.text import Span as RichSpan
from rich.text import Text

from ..models import Snippet, Span
from ..text.controls import printable
from ._common import MATCH_STYLE, highlighted, snippet_text
from .notes import marked_note


def article_view(article_id: str, title: Snippet, body: Snippet, meta: Sequence[str]) -> RenderableType:
    head = highlighted(title.text, title.spans, base="bold", match=f"bold {MATCH_STYLE}")
    info = Text(printable(" · ".join([*meta, article_id])), style="dim cyan")
    parts: list[RenderableType] = [head, info]
    if body.marked_words is not None:
        parts.append(Text(f"Note: {marked_note(body.marked_words)}", style="dim yellow"))
    return Group(*parts, Text(""), _ArticleText(body))


#: Characters Rich gives one cell each (tests/test_render.py checks them against it), and
#: which none of its wrapping rules treats apart: Latin, Greek and Cyrillic letters,
#: spaces, the usual punctuation and signs, :func:`printable`'s symbols for controls.
_ONE_CELL = re.compile(r"[\x20-\x7e\xa0-\xac\xae-\u02ff\u0370-\u0482\u048a-\u052f\u2000-\u200a"
                       r"\u2010-\u2027\u202f-\u205f\u20a0-\u20c0\u2100-\u214f\u2190-\u21ff\u2200-\u22ff"
                       r"\u2400-\u2426\ufffd]*")
_NOT_SPACE = re.compile(r"\S")
_UP_TO_LAST_SPACE = re.compile(r".*\s", re.DOTALL)


def _line_starts(paragraph: str, width: int) -> list[int] | None:
    """Where Rich's word wrap starts each line after the first of ``paragraph`` (one-cell
    characters only), found a line at a time rather than a word at a time; ``None`` where
    a word is longer than a line, which Rich folds.

    Rich puts a word on the line while its letters end within ``width`` (the spaces after
    it may run past), so a line starting at ``start`` ends before the word that holds or
    follows the character at ``start + width``."""
    starts: list[int] = []
    start = 0
    lead = len(paragraph) - len(paragraph.lstrip())  # (counted with the first word)
    while start + width < len(paragraph):
        edge = start + width
        if paragraph[edge].isspace():
            if start == 0 and lead >= width:
                return None
            word = _NOT_SPACE.search(paragraph, edge)
            if word is None:  # only spaces to the end: they stay on this line
                break
            start = word.start()
        else:
            space = _UP_TO_LAST_SPACE.match(paragraph, start, edge)
            if space is None or space.end() <= (lead if start == 0 else start):
                return None
            start = space.end()
        starts.append(start)
    return starts


class _ArticleText:
    """An article's text with its matches marked: what :func:`highlighted` text prints, in
    Rich's layout, but laid out a paragraph at a time and (for the usual characters)
    without Rich. Rich wraps word by word and strips its own control codes again from
    every piece it cuts, and its console splits a piece of many lines at each line
    anew: an article of 6 MB took 2 s piped and 18 s on a terminal. A paragraph that
    holds a tab, a character of another width or a word longer than a line is Rich's
    to lay out, as is any layout but the plain one. Every line fits the width: the
    console need not crop them (``print(..., crop=False)`` spares it measuring each)."""

    #: Unmarked lines put out in one piece: few pieces for the console to pass on, and
    #: none so long that splitting it into lines (when the console crops) copies much.
    LINES_A_PIECE = 64

    def __init__(self, body: Snippet) -> None:
        self.body = body

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        overflow, justify = options.overflow or "fold", options.justify or "default"
        wrap = overflow != "ignore"
        if justify != "default" or (wrap and (options.no_wrap or overflow != "fold")):
            yield snippet_text(self.body)
            return
        text = printable(self.body.text, lines=True)
        width = options.max_width
        match = console.get_style(MATCH_STYLE)
        marks = _Marks(self.body.spans)
        plain: list[str] = []  # unmarked lines not yet put out, each ending in a newline

        def pending() -> Iterator[Segment]:
            if plain:
                yield Segment("".join(plain))
                plain.clear()

        offset = 0
        for paragraph in text.split("\n"):
            end = offset + len(paragraph)
            starts: list[int] | None = []  # where its lines after the first start (None: Rich's to lay out)
            if "\t" in paragraph:  # (Rich expands tabs by column)
                starts = None
            elif wrap:
                starts = _line_starts(paragraph, width) if _ONE_CELL.fullmatch(paragraph) else None
            if starts is None:
                yield from pending()
                yield Text(paragraph, end="\n", spans=[
                    RichSpan(max(s.start, offset) - offset, min(s.end, end) - offset, MATCH_STYLE)
                    for s in marks.within(offset, end)])
                offset = end + 1
                continue
            marked = marks.any_within(offset, end)
            for a, b in zip([0, *starts], [*starts, len(paragraph)], strict=True):
                if wrap and b - a > width:  # Rich drops the spaces that end past the width
                    b = max(a + width, a + len(paragraph[a:b].rstrip()))
                here = marks.within(offset + a, offset + b) if marked else None
                if here:
                    yield from pending()
                    yield from _marked(text, offset + a, offset + b, here, match)
                    yield Segment("\n")
                else:
                    plain.append(paragraph[a:b] + "\n")
                    if len(plain) >= self.LINES_A_PIECE:
                        yield from pending()
            offset = end + 1
        yield from pending()


class _Marks:
    """The spans that meet each of a run of stretches of a text, asked in order: each
    span is looked at while it is open, not again for every line."""

    def __init__(self, spans: Iterable[Span]) -> None:
        self.spans = sorted((s for s in spans if s.start < s.end), key=lambda s: (s.start, s.end))  # (as stylize)
        self.next = 0  # spans[next:] start after the stretches asked so far
        self.open: list[Span] = []

    def any_within(self, start: int, end: int) -> bool:
        self.open = [s for s in self.open if s.end > start]
        return bool(self.open) or (self.next < len(self.spans) and self.spans[self.next].start < end)

    def within(self, start: int, end: int) -> list[Span]:
        while self.next < len(self.spans) and self.spans[self.next].start < end:
            self.open.append(self.spans[self.next])
            self.next += 1
        self.open = [s for s in self.open if s.end > start]
        return [s for s in self.open if s.start < end]


def _marked(text: str, start: int, end: int, spans: Sequence[Span], match: Style) -> Iterator[Segment]:
    """``text[start:end]`` as Rich renders it with ``spans`` styled ``match``: a piece from
    each span's start or end to the next, so that spans that meet are marked apart."""
    opened: dict[int, int] = {}  # spans opened (closed: negative) at each cut
    for s in spans:
        a, b = max(start, s.start), min(end, s.end)
        opened[a], opened[b] = opened.get(a, 0) + 1, opened.get(b, 0) - 1
    cuts = sorted({start, end, *opened})
    depth = 0
    for a, b in zip(cuts, cuts[1:], strict=False):
        depth += opened.get(a, 0)
        yield Segment(text[a:b], match if depth else None)
