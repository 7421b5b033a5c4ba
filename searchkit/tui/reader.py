"""The article reader: the whole text, every match marked, ``n``/``N`` to step through them;
``/`` finds a word in it (every form, marked by the library as a search marks it), ``m``
lists the articles like it (:mod:`searchkit.tui.similar`).

The body is a Line API widget that wraps the text itself, so it knows on which line each
match sits and can scroll straight to it, and only the lines on screen are ever rendered
(a book-length article costs no more than a short one).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from typing import cast

from rich.cells import cell_len
from rich.segment import Segment
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.dom import DOMNode
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Footer, Input, Static

from ..models import Article, Snippet, Span
from ..render import MATCH_STYLE, highlighted, printable
from .dialogs import NO_FILTERS, Filters
from .messages import caught, said
from .similar import SimilarScreen
from .typed import search_app
from .widgets import FooterScreen

__all__ = ["MEASURE", "SIMILAR_SHOWN", "ArticleBody", "FindBox", "ReaderScreen", "wrap_offsets"]

#: Similar articles listed for ``m`` (``searchkit similar`` lists 10 a page).
SIMILAR_SHOWN = 10
#: The widest line of the text, in cells, however wide the terminal: on a wide screen the
#: eye loses its line on the way back from the end of a 240-character one.
MEASURE = 100

# Control characters would move the cursor or take no cell; each becomes one space, so
# offsets into the displayed text stay offsets into the article.
_DISPLAY = {c: " " for c in range(32) if c != 10} | {127: " "}


def wrap_offsets(text: str, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap: ``(start, end)`` offsets of each line of ``text`` at ``width`` cells.

    A line break in the text always ends a line; the space a line was broken at belongs to
    no line; a word longer than a line is cut.

    >>> wrap_offsets("один два три", 8)
    [(0, 8), (9, 12)]
    """
    width = max(1, width)
    out: list[tuple[int, int]] = []
    start = 0
    while True:
        nl = text.find("\n", start)
        end = len(text) if nl == -1 else nl
        _wrap_paragraph(text, start, end, width, out)
        if nl == -1:
            return out
        start = nl + 1


def _wrap_paragraph(text: str, start: int, end: int, width: int, out: list[tuple[int, int]]) -> None:
    if start == end:
        out.append((start, start))
        return
    while start < end:
        if end - start <= width and cell_len(text[start:end]) <= width:
            out.append((start, end))
            return
        cut = min(end, start + width)
        while cut > start + 1 and cell_len(text[start:cut]) > width:  # wide characters
            cut -= 1
        space = text.rfind(" ", start + 1, cut + 1)
        if space > start:
            out.append((start, space))
            start = space + 1
        else:
            out.append((start, cut))
            start = cut


class ArticleBody(ScrollView, can_focus=True):
    """The text of one article with its matches marked; one match can be the current one."""

    COMPONENT_CLASSES = {"article-body--match", "article-body--current"}
    DEFAULT_CSS = """
    ArticleBody {
        scrollbar-gutter: stable;
        overflow-x: hidden;
        & > .article-body--match { background: $warning 70%; color: $text; text-style: bold; }
        & > .article-body--current { background: $error; color: $text; text-style: bold underline; }
    }
    """
    BINDINGS = [
        Binding("j", "scroll_down", "Down", show=False),
        Binding("k", "scroll_up", "Up", show=False),
        Binding("space", "page_down", "Page down", show=False),
        Binding("b", "page_up", "Page up", show=False),
    ]

    class MatchChanged(Message):
        """The current match moved: ``index`` of ``total`` (0-based); ``wrapped``: past the
        last to the first (1), or before the first to the last (-1)."""

        def __init__(self, index: int, total: int, wrapped: int = 0) -> None:
            super().__init__()
            self.index = index
            self.total = total
            self.wrapped = wrapped

    def __init__(self, body: Snippet, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = body.text.translate(_DISPLAY)
        self.spans: tuple[Span, ...] = ()
        self._span_starts: list[int] = []
        self._span_ends: list[int] = []
        self.current: int | None = None
        self.mark(body.spans)
        self._width = 0
        self._lines: list[tuple[int, int]] = []
        self._starts: list[int] = []

    # -- layout -------------------------------------------------------------------------
    def on_resize(self) -> None:
        self._rewrap()

    def _rewrap(self) -> None:
        width = min(self.scrollable_content_region.width, MEASURE)
        if width <= 0 or width == self._width:
            return
        self._width = width
        self._lines = wrap_offsets(self.text, width)
        self._starts = [start for start, _ in self._lines]
        self.virtual_size = Size(width, len(self._lines))
        if self.current is not None:
            self._scroll_to_current()
        self.refresh()

    def line_of(self, offset: int) -> int:
        """The wrapped line that holds ``offset``."""
        return max(0, bisect_right(self._starts, offset) - 1)

    # -- matches ------------------------------------------------------------------------
    def mark(self, spans: Iterable[Span]) -> None:
        """Mark ``spans`` (offsets into the text) instead of the matches marked so far; none
        is current until :meth:`jump`."""
        self.spans = tuple(sorted(spans, key=lambda s: s.start))
        self._span_starts = [s.start for s in self.spans]
        self._span_ends = [s.end for s in self.spans]
        self.current = None
        self.refresh()

    def jump(self, step: int) -> None:
        """Make the next (``step=1``) or previous (``-1``) match current, wrapping around."""
        if not self.spans:
            return
        wrapped = 0
        if self.current is None:
            self.current = 0 if step > 0 else len(self.spans) - 1
        else:
            after = self.current + step
            if len(self.spans) > 1 and not 0 <= after < len(self.spans):
                wrapped = step
            self.current = after % len(self.spans)
        self._scroll_to_current()
        self.refresh()
        self.post_message(self.MatchChanged(self.current, len(self.spans), wrapped))

    def _scroll_to_current(self) -> None:
        if self.current is None or not self._lines:
            return
        line = self.line_of(self.spans[self.current].start)
        top, height = round(self.scroll_y), self.scrollable_content_region.height
        if not top <= line < top + height - 1:  # off screen: bring it to the upper third
            self.scroll_to(y=max(0, line - height // 3), animate=False)

    # -- drawing ------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.size.width
        base = self.rich_style
        if index >= len(self._lines):
            return Strip.blank(width, base)
        start, end = self._lines[index]
        line = Text(printable(self.text[start:end]), end="")
        match = self.get_component_rich_style("article-body--match")
        current = self.get_component_rich_style("article-body--current")
        # Spans are word-sized, sorted and disjoint, so their ends are sorted too.
        first, last = bisect_right(self._span_ends, start), bisect_left(self._span_starts, end)
        for i in range(first, last):
            s = self.spans[i]
            line.stylize(current if i == self.current else match, max(s.start, start) - start,
                         min(s.end, end) - start)
        # The widget's style under every piece, the match styles over it.
        strip = Strip(list(Segment.apply_style(line.render(self.app.console), base)), cell_len(line.plain))
        return strip.crop_extend(scroll_x, scroll_x + width, base)


class FindBox(Input):
    """The word to find in the article: Enter finds it (every form, as a search matches
    it), Esc closes the box and keeps the matches marked."""

    BINDINGS = [Binding("escape", "screen.close_find", "Cancel")]

    async def action_submit(self) -> None:
        # at once, not through a Submitted message: the keys typed after Enter (n) wait for
        # the matches instead of reaching the box
        reader_screen(self).find(self.value)


class ReaderScreen(FooterScreen):
    """One article: title, date · source · link · id, the body, and where the current match
    is; ``/`` finds a word in it, ``m`` lists the articles like it."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        # (short, so that Quit and Keys stay in a footer 60 columns wide: the line under the
        # title says what n and N step through)
        Binding("n", "next_match", "Next", tooltip="The next match"),
        Binding("N,shift+n", "previous_match", "Previous", key_display="N", tooltip="The previous match"),
        Binding("slash", "find", "Find", key_display="/"),
        Binding("ctrl+f", "find", "Find", show=False),
        Binding("m", "similar", "Similar", tooltip="The articles about the same thing"),
        Binding("q", "app.quit", "Quit"),
        Binding("question_mark", "app.help", "Keys", key_display="?"),
    ]
    DEFAULT_CSS = """
    ReaderScreen { layout: vertical; }
    ReaderScreen #reader-title { padding: 1 2 0 2; }
    ReaderScreen #reader-meta { padding: 0 2; color: $text-muted; }
    ReaderScreen #reader-where { padding: 0 2 1 2; color: $text-muted; }
    ReaderScreen ArticleBody { height: 1fr; padding: 0 1 0 2; }
    ReaderScreen FindBox { margin: 0 1; }
    """

    def __init__(self, article: Article, title: Snippet, body: Snippet, *, query: str = "",
                 filters: Filters = NO_FILTERS) -> None:
        super().__init__()
        self.article = article
        self.title_snippet = title
        self.body_snippet = body
        #: the search whose matches are marked (a similar article opened from here marks its own)
        self.query_text, self.filters = query, filters
        #: the word found with ``/`` whose matches are marked ("": the search's)
        self.found = ""
        self.marks = body
        self.title_marks = title  # (the title as marked with them)

    def compose(self) -> ComposeResult:
        yield Static(_title(self.title_snippet), id="reader-title")
        meta = [self.article.date.isoformat() if self.article.date else "undated"]
        meta += [x for x in (self.article.source, self.article.url) if x]
        meta.append(self.article.id)
        yield Static(Text(printable(" · ".join(meta))), id="reader-meta")
        yield Static(self._where(None), id="reader-where")
        yield ArticleBody(self.body_snippet, id="reader-body")
        box = FindBox(placeholder="Find in the article (every form of a word); Enter finds, Esc cancels",
                      id="find")
        box.display = False
        yield box
        yield Footer()

    def on_mount(self) -> None:
        body = self.query_one(ArticleBody)
        body.focus()
        if body.spans:
            self.call_after_refresh(body.jump, 1)

    def _where(self, current: int | None, wrapped: int = 0) -> Text:
        n = len(self.marks.spans)
        words = self.marks.marked_words
        within = "" if words is None else f" in the first {words:,} words (the article is longer)"
        found = Text(f"{printable(self.found)}: ", style="bold") if self.found else Text()
        if not n:
            if self.found:  # (marked in the title alone: said, not left to look like nothing found)
                said = "in the title, not in the text" if self.title_marks.spans else "not in the text"
                return Text.assemble(found, (said + within, "dim"), (" · / finds another word", "dim"))
            # (a title: search's hit said "no matches in the text", as if the search were wrong:
            # said as the find box says it)
            return Text(("in the title, not in the text" if self.title_snippet.spans else "no matches") + within,
                        style="dim")
        where = f"match {current + 1} of {n}" if current is not None else f"{n} matches"
        if wrapped:  # (the text jumped the other way: said, as a pager says it)
            where += " (past the last: back to the first)" if wrapped > 0 else " (before the first: back to the last)"
        return Text.assemble(found, where + within, (" · n next, N previous", "dim"))

    def _show_where(self, current: int | None, wrapped: int = 0) -> None:
        self.query_one("#reader-where", Static).update(self._where(current, wrapped))

    def on_article_body_match_changed(self, event: ArticleBody.MatchChanged) -> None:
        self._show_where(event.index, event.wrapped)

    def action_next_match(self) -> None:
        self.query_one(ArticleBody).jump(1)

    def action_previous_match(self) -> None:
        self.query_one(ArticleBody).jump(-1)

    def action_back(self) -> None:
        self.dismiss()

    # -- find -----------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """In the find box n, N, / and m are letters: their actions are not offered there."""
        if action in ("next_match", "previous_match", "find", "similar") and isinstance(self.focused, FindBox):
            return False
        return True

    def action_find(self) -> None:
        box = self.query_one(FindBox)
        box.value = ""  # (Enter on nothing: the search's matches again)
        box.display = True
        self.set_focus(box)  # at once: the next keys are typed into it

    def action_close_find(self) -> None:
        box = self.query_one(FindBox)
        box.display = False
        self.set_focus(self.query_one(ArticleBody))

    def find(self, words: str) -> None:
        """Mark the matches of ``words`` in the text (every form, as a search of them marks
        them) and go to the first; nothing typed marks the search's matches again."""
        self.action_close_find()
        if not words.strip():
            self._mark("", self.title_snippet, self.body_snippet)
            return
        search_app(self).hold_keys()  # (the next keys, n, are for the matches)
        self._find(words.strip())

    @work(thread=True, exclusive=True, group="find")
    def _find(self, words: str) -> None:
        app = search_app(self)
        try:
            with app.engine_lock:  # (the library marks them: its analyzer, its forms)
                marked = app.engine.highlight(self.article, words, find_dates=False)
        except Exception as e:
            app.call_from_thread(self._found, words, None, said(caught(e)))
        else:
            app.call_from_thread(self._found, words, marked, "")

    def _found(self, words: str, marked: tuple[Snippet, Snippet] | None, error: str) -> None:
        if marked is None:
            self.notify(error, title="Cannot find in the article", severity="error", markup=False)
        else:
            self._mark(words, *marked)
        search_app(self).release_keys()

    def _mark(self, found: str, title: Snippet, marks: Snippet) -> None:
        """Mark ``title``'s and ``marks``'s matches (those of the word found, or the search's)."""
        self.found, self.marks, self.title_marks = found, marks, title
        self.query_one("#reader-title", Static).update(_title(title))
        body = self.query_one(ArticleBody)
        body.mark(marks.spans)
        self._show_where(None)
        body.jump(1)

    # -- similar articles -----------------------------------------------------------------
    def action_similar(self) -> None:
        """List the articles about the same thing as this one (``searchkit similar ID``)."""
        search_app(self).hold_keys()  # (the next keys are for the list)
        self._similar()

    @work(thread=True, exclusive=True, group="similar")
    def _similar(self) -> None:
        """Ask the library off the UI thread (a search may hold the engine); the list opens
        when done, and the keys typed meanwhile go to it."""
        app = search_app(self)
        try:
            with app.engine_lock:
                results = app.engine.similar(self.article.id, limit=SIMILAR_SHOWN)
        except Exception as e:
            app.call_from_thread(self._similar_shown, None, said(caught(e)))
        else:
            app.call_from_thread(self._similar_shown,
                                 SimilarScreen(self.article, results, self.query_text, self.filters), "")

    def _similar_shown(self, listing: SimilarScreen | None, error: str) -> None:
        if listing is not None:
            self.app.push_screen(listing)
        else:
            self.notify(error, title="Cannot list the similar articles", severity="error", markup=False)
        self.app.call_after_refresh(search_app(self).release_keys)


def _title(title: Snippet) -> Text:
    """The article's title as the reader heads it, its matches marked."""
    return highlighted(title.text or "(untitled)", title.spans, base="bold", match=f"bold {MATCH_STYLE}")


def reader_screen(node: DOMNode) -> ReaderScreen:
    """The reader of a widget only the reader holds (the find box)."""
    return cast(ReaderScreen, node.screen)
