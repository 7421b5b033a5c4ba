"""The search screen's widgets: the query box, the result list and the timeline; and what
the search screen and the reader share (:class:`FooterScreen`)."""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Input, OptionList

from .. import clean_query_text
from ..render import timeline_bars
from .messages import Settle
from .typed import search_screen

#: Narrower than this, a footer drops the room between its keys and the command palette's
#: key (Ctrl+P still opens it), so that its last keys stay on screen: at 80 columns the
#: reader's ended "m Similar article", its Quit and Keys cut off, and at 60 the results'
#: lost Keys and Quit.
COMPACT_FOOTER_BELOW = 100


class FooterScreen(Screen[None]):
    """A screen with a footer of its keys, hidden while a dialog is over the screen: it
    offered the keys of the screen behind (q Quit over the filters, where q is typed into a
    date, and over the lists, where q closes them). Each dialog says its own keys. On a
    narrow terminal the footer is compact (:data:`COMPACT_FOOTER_BELOW`)."""

    @on(events.Resize)
    def _fit_footer(self, event: events.Resize) -> None:
        footer = self.query_one(Footer)
        footer.compact = event.size.width < COMPACT_FOOTER_BELOW
        footer.show_command_palette = not footer.compact

    def on_screen_suspend(self) -> None:
        self.query_one(Footer).display = False

    def on_screen_resume(self) -> None:
        self.query_one(Footer).display = True


class QueryInput(Input):
    BINDINGS = [
        Binding("down,tab,enter", "screen.focus_results", "Results", key_display="↓"),
        Binding("escape", "clear", "Clear", show=False),
        Binding("f1", "app.help", "Keys"),
    ]

    def action_clear(self) -> None:
        self.value = ""

    def validate_value(self, value: str) -> str:
        """Typed, pasted or set: the box shows and searches no control characters (a pasted
        escape sequence is dropped, a tab or NUL is a space)."""
        return clean_query_text(value)

    def on_settle(self, event: Settle) -> None:
        search_screen(self).typeahead_check()


class ResultList(OptionList):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("escape", "screen.escape_results", "Query", show=False),
    ]

    def action_cursor_up(self) -> None:
        if not self.highlighted:  # above the first hit is the query box
            search_screen(self).action_focus_query()
        else:
            super().action_cursor_up()

    def action_cursor_down(self) -> None:
        """The next hit; at the last one listed, the first of the next page once it is in
        (the keys typed after it wait for it), and at the last of all, none: the list grows
        as the cursor goes, so it does not wrap to the first hit as a list does."""
        if not self._at_the_last() or not search_screen(self).after_the_next_page(self.step_down):
            self.step_down()

    def action_page_down(self) -> None:
        """A page down; at the last hit listed, a page into the next ones once they are in."""
        if not self._at_the_last() or not search_screen(self).after_the_next_page(self._page_down):
            self._page_down()

    def _page_down(self) -> None:
        # (Textual's action has no type hints)
        super().action_page_down()  # type: ignore[no-untyped-call]

    def step_down(self) -> None:
        """The next hit, if there is one listed."""
        if self.highlighted is not None and self.highlighted < self.option_count - 1:
            super().action_cursor_down()

    def _at_the_last(self) -> bool:
        return self.highlighted is not None and self.highlighted >= self.option_count - 1


class Timeline(Widget):
    """Matches per month as a small bar chart, drawn to the width it gets."""

    HEIGHT = 2  # rows of bars
    ROWS = HEIGHT + 1  # and the months under them
    DEFAULT_CSS = f"Timeline {{ height: {ROWS}; padding: 0 2; }}"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.months: list[tuple[str, int]] = []

    def show(self, months: list[tuple[str, int]]) -> None:
        self.months = months
        self.display = bool(months)
        self.refresh()

    def render(self) -> Text:
        return timeline_bars(self.months, self.content_region.width or self.size.width, height=self.HEIGHT)
