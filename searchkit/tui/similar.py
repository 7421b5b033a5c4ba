"""The articles about the same thing as the one being read (``m`` in the reader), with the
key words each shares with it, as ``searchkit similar ID`` lists them; Enter opens one."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static

from ..models import Article, Results
from ..render import hit_view, similar_head
from .dialogs import NO_FILTERS, Filters, ListDialog
from .typed import search_app

__all__ = ["SimilarScreen"]


class SimilarScreen(ListDialog):
    """``article``'s similar articles (``results`` of :meth:`searchkit.Engine.similar`);
    Enter opens one (its matches of the search ``query`` with ``filters`` marked, as the
    article it came from), Esc closes."""

    DEFAULT_CSS = """
    SimilarScreen { align: center middle; }
    SimilarScreen > Vertical {
        width: 100; max-width: 95%; height: auto; max-height: 90%;
        border: round $accent; padding: 1 2; background: $surface;
    }
    SimilarScreen #similar-head { margin-bottom: 1; max-height: 30vh; overflow: hidden; }
    SimilarScreen OptionList { height: auto; }
    """

    def __init__(self, article: Article, results: Results, query: str, filters: Filters = NO_FILTERS) -> None:
        super().__init__()
        self.article = article
        self.results = results
        self.query_text, self.filters = query, filters

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Group(*similar_head(self.article, self.results)), id="similar-head")
            options: list[object] = []
            for hit in self.results.hits:
                options += [hit_view(hit, show_id=False), None]
            listing = OptionList(*options, id="similar")  # type: ignore[arg-type]
            listing.display = bool(self.results.hits)
            yield listing
            yield Static(Text("Enter opens an article · Esc closes" if self.results.hits else "Esc closes",
                              style="dim"))

    def on_mount(self) -> None:
        listing = self.query_one(OptionList)
        if self.results.hits:
            listing.highlighted = 0
            listing.focus()

    def open_highlighted(self) -> bool:
        """Open the article under the cursor (Enter); ``False`` when there is none."""
        index = self.query_one(OptionList).highlighted
        if index is None or not 0 <= index < len(self.results.hits):
            return False
        self.dismiss()
        search_app(self).open_article(self.results.hits[index], self.query_text, self.filters)
        return True

    @on(OptionList.OptionSelected, "#similar")
    def open(self, event: OptionList.OptionSelected) -> None:  # (a click)
        self.query_one(OptionList).highlighted = event.option_index
        self.open_highlighted()
