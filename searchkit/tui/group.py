"""The near-duplicates folded into one hit ("+N similar"), listed to open any of them."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static

from ..models import Article, Hit, Snippet
from ..render import printable
from .dialogs import NO_FILTERS, Filters, ListDialog
from .typed import search_app

__all__ = ["GroupScreen"]


def _line(article: Article, first: bool) -> Group:
    # an article's own words never reach the terminal as control sequences
    meta = printable(" · ".join([article.date.isoformat() if article.date else "undated",
                                 *([article.source] if article.source else []), article.id]))
    title = Text(printable(article.title) or "(untitled)", style="bold")
    if first:
        title.append("  (the hit listed)", style="dim")
    return Group(title, Text(meta, style="dim"))


class GroupScreen(ListDialog):
    """The hit and its near-duplicates, oldest first; Enter opens one, Esc closes."""

    DEFAULT_CSS = """
    GroupScreen { align: center middle; }
    GroupScreen > Vertical {
        width: 90; max-width: 95%; height: auto; max-height: 90%;
        border: round $accent; padding: 1 2; background: $surface;
    }
    GroupScreen OptionList { height: auto; }
    """

    def __init__(self, hit: Hit, articles: list[Article], query: str, filters: Filters = NO_FILTERS) -> None:
        super().__init__()
        self.hit = hit
        self.articles = articles
        self.query_text, self.filters = query, filters  # (the search's: its matches are marked)

    def compose(self) -> ComposeResult:
        first = f" (first published {self.hit.first_published.isoformat()})" if self.hit.first_published else ""
        with Vertical():
            yield Static(Text(f"{len(self.articles)} versions of one story{first}", style="bold"))
            options: list[object] = []
            for a in self.articles:
                options += [_line(a, a.id == self.hit.id), None]
            yield OptionList(*options, id="group")  # type: ignore[arg-type]
            yield Static(Text("Enter opens an article · Esc closes", style="dim"))

    def on_mount(self) -> None:
        listing = self.query_one(OptionList)
        listing.highlighted = 0
        listing.focus()

    def open_highlighted(self) -> bool:
        """Open the article under the cursor (Enter); ``False`` when there is none."""
        index = self.query_one(OptionList).highlighted
        if index is None or not 0 <= index < len(self.articles):
            return False
        a = self.articles[index]
        hit = Hit(id=a.id, title=a.title, date=a.date, source=a.source, score=None, snippet=Snippet(""), path="")
        self.dismiss()
        search_app(self).open_article(hit, self.query_text, self.filters)
        return True

    @on(OptionList.OptionSelected, "#group")
    def open(self, event: OptionList.OptionSelected) -> None:  # (a click)
        self.query_one(OptionList).highlighted = event.option_index
        self.open_highlighted()
