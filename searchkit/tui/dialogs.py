"""Dialogs over the search screen: the keys (``?``) and the filters (``f``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, OptionList, Select, Static

from .. import date_bounds
from ..errors import QueryError
from ..render import printable, sentence
from ..render.failures import message_and_hint

__all__ = ["KEYS", "Filters", "FiltersScreen", "HelpScreen", "ListDialog"]

#: (keys, what they do), grouped by where they work; the help screen and the README list these.
KEYS: list[tuple[str, list[tuple[str, str]]]] = [
    ("Query box", [
        ("type", "search as you type (all the words first, then most of them)"),
        ("Down, Tab, Enter", "into the results (Enter again opens the first hit)"),
        ("Esc", "clear the query"),
        ("Ctrl+F", "filters, as f in the results"),
    ]),
    ("Results", [
        ("Up/Down, j/k", "move"),
        ("Enter", "open the article"),
        ("/, Esc", "back to the query (Esc first closes a note shown, such as d's)"),
        ("s", "sort by relevance or by date"),
        ("f", "filters: date range, source"),
        ("d", "the near-duplicates of a hit (+N similar)"),
    ]),
    ("Saved searches", [
        ("Ctrl+S", "save the search (query and filters) under a name; a name in use asks to replace it"),
        ("Ctrl+O", "the saved searches, with how many articles are new for each since it last ran"),
        ("Enter", "run one: its query and filters in the search (as saved run)"),
        ("n", "run one, only what is new for it (as saved run --new: they stay new until the last is listed)"),
        ("d, Delete", "delete one (asks first)"),
    ]),
    ("Article", [
        ("n, N", "next, previous match"),
        ("/, Ctrl+F", "find a word in the article, every form of it (Enter; then n, N); "
                      "Enter on nothing marks the search's matches again; Esc closes the box"),
        ("m", "similar articles, with the key words each shares (Enter opens one)"),
        ("j/k, Space, b", "scroll"),
        ("Esc", "back (to the results, or to the article a similar one was opened from)"),
    ]),
    ("Anywhere", [
        ("F1; ? outside the query box", "this help"),
        ("q", "quit (in a list of articles or saved searches, or in this help, q closes it)"),
        ("Ctrl+C, Ctrl+Q", "quit, from the query box and the dialogs too (Ctrl+C copies text selected with "
                           "the mouse instead, if any)"),
    ]),
]


@dataclass(frozen=True, slots=True)
class Filters:
    """What the results are narrowed to; empty by default."""

    since: dt.date | None = None
    until: dt.date | None = None
    source: str | None = None

    def __bool__(self) -> bool:
        return bool(self.since or self.until or self.source)

    def describe(self) -> str:
        """``2016-01-01 … 2016-12-31 · Час Київщини`` (empty when there are none)."""
        parts = []
        if self.since or self.until:
            parts.append(f"{self.since.isoformat() if self.since else '…'} – "
                         f"{self.until.isoformat() if self.until else '…'}")
        if self.source:
            parts.append(printable(self.source))  # an article's source: untrusted text
        return " · ".join(parts)


#: No filters: what the results are narrowed to by default.
NO_FILTERS = Filters()


class ListDialog(ModalScreen[None]):
    """A list in a dialog (its one :class:`OptionList`): Esc or q closes, j and k move as
    the arrows do, F1 shows the keys. The near-duplicates, the similar articles and the
    saved searches are such lists."""

    BINDINGS = [Binding("escape,q", "dismiss", "Close"), Binding("j", "down", show=False),
                Binding("k", "up", show=False), Binding("f1", "app.help", "Keys", show=False)]

    #: The dialog's height at most, as a share of the screen's (its CSS says ``max-height: 90%``).
    HEIGHT_SHARE = 0.9
    #: A screen shorter than this gets no blank rows above and below the dialog's content.
    ROOMY_ROWS = 24

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self.fit_list)

    def fit_list(self) -> None:
        """Give the list the rows the dialog has left, so that it scrolls to the cursor within
        them: as tall as its hits (up to its CSS max-height) it ran past the dialog's bottom,
        the cursor went below it after a few Downs (at 80x24, the third of m's similar
        articles) and the line saying the keys was cut off, and on 12 rows no hit showed."""
        listing = self.query_one(OptionList)
        frame = listing.parent
        if not isinstance(frame, Widget):
            return
        rows = self.size.height
        frame.styles.padding = (1 if rows >= self.ROOMY_ROWS else 0, 2)
        others = sum(w.outer_size.height + w.styles.margin.height
                     for w in frame.children if w is not listing and w.display)
        chrome = frame.styles.border.spacing.height + frame.styles.padding.height + listing.styles.margin.height
        room = int(rows * self.HEIGHT_SHARE) - chrome - others
        listing.styles.max_height = max(room, 3)  # (at least its frame and one row)
        if listing.highlighted is not None:
            listing.scroll_to_highlight()

    def action_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()


class HelpScreen(ModalScreen[None]):
    """Every key, by where it works; it scrolls (Up/Down, j/k, PgUp/PgDn) where the
    terminal is too short for all of them (at 80x24 the reader's keys and q were below it)."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close"),
        Binding("j", "scroll('down')", show=False),
        Binding("k", "scroll('up')", show=False),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 76; max-width: 95%; height: auto; max-height: 95%;
        border: round $accent; padding: 0 2; background: $surface;
        border-title-style: bold; border-subtitle-color: $text-muted;
    }
    HelpScreen #help-keys { margin: 1 0; }
    """

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, padding=(0, 2, 0, 0))
        # (both columns wrap: a key column that would not left its descriptions an ellipsis
        # on a narrow terminal)
        table.add_column(style="bold cyan", ratio=2, overflow="fold")
        table.add_column(ratio=5, overflow="fold")
        for i, (where, keys) in enumerate(KEYS):
            if i:
                table.add_row("", "")
            table.add_row(Text(where, style="bold"), "")
            for key, what in keys:
                table.add_row(key, what)
        box = VerticalScroll()
        # (in the border, seen however far the keys are scrolled)
        box.border_title = "searchkit: keys"
        box.border_subtitle = "Esc, q or ? closes this · ↑↓ scroll"
        with box:
            yield Static(table, id="help-keys")

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()  # its keys scroll it

    def action_scroll(self, direction: str) -> None:
        box = self.query_one(VerticalScroll)
        box.scroll_down() if direction == "down" else box.scroll_up()


class Form(VerticalScroll, can_focus=False):
    """A dialog's boxes and buttons, scrolled to the one with the focus where the terminal
    is too short for all (at 80x24 an error under the dates pushed the buttons off it);
    Tab goes from box to box, never to the form itself."""


class Problem(Static):
    """What is wrong in a form, kept in sight: on a short terminal it is below the boxes."""

    def on_resize(self) -> None:
        if str(self.content):
            self.scroll_visible(animate=False)


class FiltersScreen(ModalScreen[Filters | None]):
    """Date range and source; Enter applies, Esc cancels. Dismisses with the new filters."""

    # (F1 here too, as the help says "Anywhere": a dialog takes no key of the app's own)
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("f1", "app.help", "Keys", show=False)]
    DEFAULT_CSS = """
    FiltersScreen { align: center middle; }
    FiltersScreen > Form {
        width: 64; max-width: 95%; height: auto; max-height: 95%;
        border: round $accent; padding: 1 2; background: $surface;
    }
    FiltersScreen Label { margin-top: 1; width: 100%; }
    FiltersScreen #filters-error { color: $error; height: auto; margin-top: 1; }
    FiltersScreen Horizontal { height: auto; margin-top: 1; }
    FiltersScreen Button { margin-right: 1; }
    """

    def __init__(self, current: Filters, sources: list[str]) -> None:
        super().__init__()
        self.current = current
        self.sources = sources

    def compose(self) -> ComposeResult:
        c = self.current
        with Form():
            yield Static(Text("Filters", style="bold"))
            yield Label("Since (2016-06-01, 24.02.2022, 2016, березень 2022, вчора…)")
            yield Input(c.since.isoformat() if c.since else "", placeholder="any date", id="since")
            yield Label("Until (the same forms: 2016 is up to 2016-12-31)")
            yield Input(c.until.isoformat() if c.until else "", placeholder="any date", id="until")
            yield Label("Source")
            options = [(Text(printable(s)), s) for s in self.sources]  # sources come from articles
            if c.source and c.source not in self.sources:
                options.insert(0, (Text(printable(c.source)), c.source))
            yield Select(options, prompt="any source", allow_blank=True, id="source",
                         value=c.source if c.source else Select.NULL)
            yield Problem("", id="filters-error")
            with Horizontal():
                yield Button("Apply", variant="primary", id="apply")
                yield Button("Clear", id="clear")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#since", Input).focus()
        form = self.query_one(Form)
        self.call_after_refresh(form.scroll_home, animate=False)  # (opened at its title, over the box)

    def _read(self) -> Filters | None:
        """The filters in the form, or ``None`` after showing what is wrong (the date
        boxes take what --since/--until take: 2016, вчора, березень 2022, 24.02.2022...)."""
        since, until = (self.query_one(f"#{name}", Input).value.strip() or None for name in ("since", "until"))
        try:
            first, last = date_bounds(since, until)
        except QueryError as e:
            self._error(e)
            return None
        source = self.query_one("#source", Select).value
        return Filters(first, last, source if isinstance(source, str) and source else None)

    def _error(self, error: QueryError) -> None:
        """Say what is wrong under the form, and put the cursor in the box at fault."""
        message, hint = message_and_hint(error)  # (in the shells' words)
        text = Text(sentence(message))  # (the library's words start a sentence here)
        if hint:
            text.append(f"\n{hint}", style="dim")
        shown = self.query_one("#filters-error", Problem)
        shown.update(text)
        if error.field:
            self.query_one(f"#{error.field}", Input).focus()
        shown.scroll_visible(animate=False)  # (and again once its new height is laid out)

    @on(Input.Submitted)
    @on(Button.Pressed, "#apply")
    def apply(self) -> None:
        filters = self._read()
        if filters is not None:
            self.dismiss(filters)

    @on(Button.Pressed, "#clear")
    def clear(self) -> None:
        self.dismiss(Filters())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
