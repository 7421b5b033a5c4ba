"""Saved searches over the search screen: Ctrl+S saves the search (its query and filters)
under a name, Ctrl+O lists the saved searches, with how many articles are new for each;
Enter runs one, ``n`` only what is new for it, ``d`` deletes one. The rules are the
library's (:meth:`~searchkit.Engine.save_search`, :meth:`~searchkit.Engine.run_saved_search`
and friends): these are its dialogs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static

from ..errors import clipped
from ..models import SavedSearch
from ..render import local_time, printable, saved_filters
from .dialogs import Filters, ListDialog
from .typed import search_app

__all__ = ["SHOWN_QUERY_CHARS", "ConfirmScreen", "Listed", "NameScreen", "SavedListScreen", "listed_view",
           "shown_query"]


#: Most characters of a saved search's query a dialog, the list or a note shows (cut with
#: "…"): a query of 60 long words filled the name dialog at 60x20, its name box and keys
#: pushed off the screen.
SHOWN_QUERY_CHARS = 150


def shown_query(query: str) -> str:
    """``query`` as the saved-search dialogs, the list and notes show it: printable, and cut
    to :data:`SHOWN_QUERY_CHARS` (the whole of it is saved and run)."""
    return printable(clipped(query, SHOWN_QUERY_CHARS))


class NameScreen(ModalScreen[str | None]):
    """The name to save the search (``query`` with ``filters``) under; Enter saves, Esc
    cancels. Dismisses with the name as typed (the library says what a name may be), the
    keys typed after Enter held for the saving to release."""

    # (Enter is the dialog's, before the box's: the keys typed after it must wait for the
    # search to be saved, or for the question whether to replace one of that name)
    BINDINGS = [Binding("enter", "save", "Save", priority=True), Binding("escape", "cancel", "Cancel"),
                Binding("f1", "app.help", "Keys", show=False)]
    DEFAULT_CSS = """
    NameScreen { align: center middle; }
    NameScreen > Vertical {
        width: 64; max-width: 95%; height: auto; max-height: 95%;
        border: round $accent; padding: 1 2; background: $surface;
    }
    NameScreen Label { margin-top: 1; }
    NameScreen #save-hint { margin-top: 1; color: $text-muted; }
    NameScreen #save-error { margin-top: 1; color: $error; }
    """

    def __init__(self, query: str, filters: Filters, name: str = "", error: str = "") -> None:
        super().__init__()
        self.query_text, self.filters, self.initial_name = query, filters, name
        #: why the name typed before could not be saved (asked again, with it)
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Save the search", style="bold"))
            what = Text(shown_query(self.query_text), style="bold")
            if self.filters:
                what.append(" · ")
                what.append(self.filters.describe(), style="magenta")
            yield Static(what, id="save-what")
            yield Label("Name")
            yield Input(self.initial_name, placeholder="a name for it", id="save-name")
            if self.error:
                yield Static(Text(printable(self.error)), id="save-error")
            yield Static("Enter saves · Esc cancels", id="save-hint")

    def on_mount(self) -> None:
        self.query_one("#save-name", Input).focus()

    def action_save(self) -> None:
        """Dismiss with the name typed; the keys typed next wait until the search screen
        has saved it (:meth:`~searchkit.tui.search.SearchScreen.action_save_search`)."""
        search_app(self).hold_keys()
        self.dismiss(self.query_one("#save-name", Input).value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmScreen(ModalScreen[bool]):
    """A yes-or-no question: y (or the Yes button) says yes; n, Esc (or No) says no."""

    BINDINGS = [Binding("y", "answer(True)", "Yes"), Binding("n,escape", "answer(False)", "No")]
    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical {
        width: 64; max-width: 95%; height: auto;
        border: round $warning; padding: 1 2; background: $surface;
    }
    ConfirmScreen Horizontal { height: auto; margin-top: 1; }
    ConfirmScreen Button { margin-right: 1; }
    """

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.question), id="confirm-question")
            with Horizontal():
                yield Button("Yes (y)", variant="warning", id="yes")
                yield Button("No (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()  # (Enter alone changes nothing)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


@dataclass(frozen=True, slots=True)
class Listed:
    """A saved search as the list shows it: how many articles a run of its new ones would
    list (:meth:`~searchkit.Engine.count_new_matches`), or why they could not be counted."""

    search: SavedSearch
    new: int | None
    error: str = ""


def listed_view(item: Listed) -> Text:
    """Its name and how many are new, then its query, filters and last run (as ``saved list``
    says them)."""
    s = item.search
    since = "since it last ran" if s.last_run else "since it was saved"
    out = Text(printable(s.name), style="bold")
    out.append("  ")
    if item.new is None:
        out.append(f"cannot count the new: {item.error}", style="red")
    elif item.new:
        out.append(f"{item.new:,} new {since}", style="bold green")
    else:
        out.append(f"nothing new {since}", style="dim")
    out.append("\n  ")
    out.append(shown_query(s.query))
    filters = saved_filters(s)
    if filters:
        out.append(" · ")
        out.append(printable(filters), style="magenta")
    out.append(f" · last run {local_time(s.last_run)}" if s.last_run else " · never run", style="dim")
    return out


class SavedListScreen(ListDialog):
    """The saved searches of the home (``listed``); Enter runs one (``run(search, False)``),
    n runs only what is new for it (``run(search, True)``), d or Delete deletes one after
    asking (``delete(search)``, which calls :meth:`forget` once it is gone); Esc closes."""

    BINDINGS = [Binding("n", "run_new", "Only the new"), Binding("d,delete", "delete", "Delete")]
    DEFAULT_CSS = """
    SavedListScreen { align: center middle; }
    SavedListScreen > Vertical {
        width: 100; max-width: 95%; height: auto; max-height: 90%;
        border: round $accent; padding: 1 2; background: $surface;
    }
    SavedListScreen #saved-head { margin-bottom: 1; }
    SavedListScreen OptionList { height: auto; }
    SavedListScreen #saved-hint { margin-top: 1; color: $text-muted; }
    """

    def __init__(self, listed: list[Listed], run: Callable[[SavedSearch, bool], None],
                 delete: Callable[[SavedSearch], object]) -> None:
        super().__init__()
        self.listed = list(listed)
        self._run, self._delete = run, delete

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Saved searches", style="bold"), id="saved-head")
            yield OptionList(*self._options(), id="saved")  # type: ignore[arg-type]
            yield Static(self._hint(), id="saved-hint")

    def on_mount(self) -> None:
        self._show_cursor(0)

    def _options(self) -> list[object]:
        options: list[object] = []
        for item in self.listed:
            options += [listed_view(item), None]
        return options

    def _hint(self) -> str:
        if self.listed:
            return "Enter runs one · n only what is new for it · d deletes one · Esc closes"
        return "No saved searches yet: Ctrl+S in the search saves its query and filters under a name. Esc closes."

    def _show_cursor(self, index: int) -> None:
        listing = self.query_one(OptionList)
        listing.display = bool(self.listed)
        if self.listed:
            listing.highlighted = min(index, len(self.listed) - 1)
            listing.focus()

    def highlighted(self) -> SavedSearch | None:
        index = self.query_one(OptionList).highlighted
        return self.listed[index].search if index is not None and 0 <= index < len(self.listed) else None

    def open_highlighted(self, new: bool = False) -> bool:
        """Run the saved search under the cursor (Enter); ``False`` when there is none."""
        search = self.highlighted()
        if search is None:
            return False
        self.dismiss()
        self._run(search, new)
        return True

    def action_run_new(self) -> None:
        self.open_highlighted(new=True)

    def action_delete(self) -> None:
        search = self.highlighted()
        if search is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(search)

        self.app.push_screen(ConfirmScreen(f"Delete the saved search {printable(repr(search.name))} "
                                           f"({shown_query(search.query)})?"), answered)

    def forget(self, name: str) -> None:
        """Take ``name`` off the list: it was deleted."""
        index = self.query_one(OptionList).highlighted or 0
        self.listed = [item for item in self.listed if item.search.name != name]
        listing = self.query_one(OptionList)
        listing.clear_options()
        listing.add_options(self._options())  # type: ignore[arg-type]
        self.query_one("#saved-hint", Static).update(self._hint())
        self._show_cursor(index)

    @on(OptionList.OptionSelected, "#saved")
    def selected(self, event: OptionList.OptionSelected) -> None:  # (a click)
        self.query_one(OptionList).highlighted = event.option_index
        self.open_highlighted()
