"""The app: the search screen first, the reader and dialogs over it, keys in the order typed.

Keys act in the order they were typed, however fast they come (see :meth:`SearchApp.on_event`):
keys typed after Down/Tab/Enter in the query box (or s) wait for the results of what was typed,
Down, j or PgDn at the last hit listed (and the keys after it) for the next page of hits,
keys after Enter on a hit (of the results, of d's copies or of m's similar articles) wait
for the reader, keys after Enter (or n) on a saved search (Ctrl+O) for its results, keys
after f (or Ctrl+F), ? or d for the dialog, keys after m or after Enter
in the reader's find box for the similar articles or the matches found, keys after Tab or
Enter in a text box for the box to take what was typed before them, Enter typed before the
app has the terminal (which the terminal passes on as Ctrl+J) is Enter, and Esc followed by
a key in one terminal read (which the terminal reports as Alt+key) is Esc, then the key, as
is Esc followed by keys and an arrow in one read (see
:class:`KeyParser`).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable
from typing import Any

from textual import events, work
from textual._ansi_sequences import ANSI_SEQUENCES_KEYS
from textual._xterm_parser import XTermParser
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.driver import Driver
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, OptionList

from ..library import Engine
from ..models import Hit
from .dialogs import NO_FILTERS, Filters, HelpScreen
from .engines import Engines
from .group import GroupScreen
from .messages import (
    ArticleLoaded,
    BuildProgress,
    MonthsDone,
    Ready,
    ReleaseKeys,
    Request,
    SearchDone,
    Settle,
    caught,
    said,
)
from .reader import ReaderScreen
from .saved import SavedListScreen
from .search import BUSY_AFTER, DEBOUNCE, FACETS, FACETS_WITHIN_MS, PAGE, SearchScreen
from .similar import SimilarScreen
from .widgets import QueryInput, ResultList, Timeline

# the search screen's settings and widgets, importable from here as before
__all__ = ["BUSY_AFTER", "DEBOUNCE", "FACETS", "FACETS_WITHIN_MS", "PAGE", "ArticleLoaded", "BuildProgress", "Engines",
           "KeyParser", "MonthsDone", "QueryInput", "Ready", "ReleaseKeys", "Request", "ResultList", "SearchApp",
           "SearchDone", "SearchScreen", "Settle", "Timeline"]


class KeyParser(XTermParser):
    """Textual's reader of terminal input, but an Esc cut short by the next Esc stays Esc.

    Esc and the keys read with it may be the start of an escape sequence, so the parser
    waits. When the read ends first it gives Esc and the keys (Esc and a key as Alt+key),
    but when another Esc comes first (an arrow's: Esc "abc" Down typed at once) it gives
    ``^`` for the Esc, which the query box took as typed: ``xyz^abc`` instead of ``abc``.
    """

    def _sequence_to_key_events(self, sequence: str, alt: bool = False) -> Iterable[events.Key]:
        # A lone Esc is asked for only when such a sequence is read out again key by key, and
        # Textual turns the Esc it is given then into ^: add the Esc to the keys read so far
        # instead, in its place before the keys that follow it.
        if sequence == "\x1b":
            self._tokens.append(events.Key("escape", "\x1b"))
            return
        if _esc_then_key(sequence, alt):
            # Textual drops the Alt of Esc and a key that is no letter or digit (Esc " gave ",
            # Esc Ctrl+U gave Ctrl+U), and reads Esc 2, Esc - or Esc f as Option keys of a
            # Mac (™, an en dash, Ctrl+Right): the Esc was lost and the query kept
            yield events.Key("escape", "\x1b")
            yield from super()._sequence_to_key_events(sequence[-1])
            return
        yield from super()._sequence_to_key_events(sequence, alt)


def _esc_then_key(sequence: str, alt: bool) -> bool:
    """Whether ``sequence`` (``alt``: read after an Esc) is Esc and then one key that
    Textual would not give as Alt+key (:func:`_as_typed` splits those)."""
    if alt:
        return len(sequence) == 1 and not sequence.isalnum()
    # (Esc Backspace and Esc Tab stay Alt+Backspace and Shift+Tab: keys of their own)
    return (len(sequence) == 2 and sequence[0] == "\x1b" and sequence[1].isprintable()
            and sequence in ANSI_SEQUENCES_KEYS)


def read_keys_with_key_parser() -> None:
    """Let Textual's terminal drivers (those loaded) read keys with :class:`KeyParser`.

    They make their parser in their input thread, with no way to pass one in."""
    for name in ("linux_driver", "linux_inline_driver", "win32", "web_driver"):
        module = sys.modules.get(f"textual.drivers.{name}")
        if module is not None and getattr(module, "XTermParser", None) is XTermParser:
            setattr(module, "XTermParser", KeyParser)  # noqa: B010  (a module type names no attributes)


def _as_typed(event: events.Key) -> list[events.Key]:
    """The keys the user typed for ``event``: Esc and a key read at once come as Alt+key
    (give back Esc, then the key), and Enter typed while the app starts comes as Ctrl+J
    (the terminal, not in raw mode yet, turns its \r into \n: ``газ`` Down Enter typed
    at once with the command then opened nothing)."""
    if event.key == "ctrl+j":
        return [events.Key("enter", "\r")]
    if not event.key.startswith("alt+") or not event.character:
        return [event]
    parser = XTermParser()
    keys = [k for k in parser.feed(event.character) if isinstance(k, events.Key)]
    return [events.Key("escape", "\x1b"), *keys] if keys else [event]


class SearchApp(App[None]):
    """``searchkit tui``: search one home interactively.

    >>> SearchApp(Engine("archive"), query="мовні табори").run()  # doctest: +SKIP
    """

    TITLE = "searchkit"
    BINDINGS = [
        Binding("f1", "help", "Keys", show=False),
        # Textual's own Ctrl+Q, shown: in a text box, where q is a letter, the footer offered
        # no way out. (Its action named as q's is: where both work, the footer shows one.) It
        # is shown as ^c, the key every terminal program quits with, which quits as well.
        Binding("ctrl+q", "app.quit", "Quit", key_display="^c",
                tooltip="Quit the app and return to the command prompt (Ctrl+C or Ctrl+Q).", priority=True),
        # Ctrl+C quits too, as in any terminal program (Textual's own said to press q, or in
        # a text box copied the query, which the box selects whenever it takes the focus, and
        # did nothing to be seen); text selected with the mouse it copies, as Textual does.
        Binding("ctrl+c", "app.quit_unless_selected", "Quit", show=False, priority=True),
    ]

    def get_driver_class(self) -> type[Driver]:
        driver = super().get_driver_class()  # (imports the driver's module)
        read_keys_with_key_parser()
        return driver

    def __init__(self, engine: Engine, *, query: str = "", debounce: float = DEBOUNCE,
                 import_command: str = "searchkit import FILE…", index_command: str = "searchkit index") -> None:
        super().__init__()
        self.engine = engine
        #: how the empty home says to fill it, and to index what is stored (the CLI names the
        #: home it was given)
        self.import_command = import_command
        self.index_command = index_command
        self.engine_lock = threading.Lock()
        self.engines = Engines(engine, self.engine_lock)
        self.initial_query = query
        self.debounce = debounce
        #: Keys that wait, in the order typed (``None``: keys act as they come).
        self._held: list[events.Key] | None = None
        #: The text box that has taken every key sent to it so far (until more are typed).
        self._settled: Widget | None = None

    # -- keys, in the order typed ---------------------------------------------------------
    async def on_event(self, event: events.Event) -> None:
        """Keys from the terminal act one after the other, as if typed slowly.

        Textual forwards a key to the focused widget and runs its binding only once the
        key has bubbled back up, so of keys read at once the later ones can reach a widget
        that the earlier ones were about to leave. Here, on the search and reader screens,
        a key bound to an action (outside the query box) runs it at once, focus moves at
        once, and the keys after Down/Tab/Enter in the query box or Enter on a hit wait for
        the results or the article.
        """
        if isinstance(event, events.Key) and not event.is_forwarded:
            for key in _as_typed(event):
                await self._key(key)
            return
        await super().on_event(event)

    async def _key(self, event: events.Key) -> None:
        if self._held is not None:
            self._held.append(event)
            return
        screen = self.screen
        focused = self.focused
        if isinstance(focused, Input):
            if event.is_printable:  # typed: to the box, in order behind the keys before it
                self._settled = None
                await super().on_event(event)
                return
            results_of = screen if isinstance(screen, SearchScreen) and isinstance(focused, QueryInput) \
                and event.key in ("down", "tab", "enter") else None
            if self._settled is not focused:  # the box must take what was typed first
                self._held = [event]
                if results_of is not None:  # ...and the results of it must be shown
                    results_of.typeahead_wait()
                else:
                    focused.call_later(self.release_keys)
                return
            self._settled = None  # once: more may be typed
            if results_of is not None:
                results_of.action_focus_results()
                return
            await self._bound(event, screen)
            return
        if not isinstance(screen, (SearchScreen, ReaderScreen, GroupScreen, SimilarScreen, SavedListScreen)):
            await super().on_event(event)
            return
        if isinstance(focused, OptionList) and event.key == "enter" \
                and isinstance(screen, (SearchScreen, GroupScreen, SimilarScreen, SavedListScreen)):
            if screen.open_highlighted():
                self._held = []  # the next keys are for the reader
            return
        await self._bound(event, screen)

    async def _bound(self, event: events.Key, screen: Screen[Any]) -> None:
        """Run the key's binding now (its effect, a new focus included, is there for the next
        key), or forward the key when nothing binds it."""
        if await self._check_bindings(event.key, priority=True):
            return
        searching = screen._searching if isinstance(screen, SearchScreen) else None
        for namespace, bindings in screen._modal_binding_chain:
            for binding in bindings.key_to_bindings.get(event.key, ()):
                if not binding.priority and await self.run_action(binding.action, namespace):
                    if self._held is not None:
                        return
                    if self.screen is not screen:
                        # a dialog opened (f, ?, d): the next keys are for it, once it has focus
                        self._held = []
                        self.call_after_refresh(self.release_keys)
                    elif isinstance(screen, SearchScreen) and screen._searching not in (None, searching):
                        # a new search (s): the next keys are for its results
                        self._held = []
                        screen.typeahead_wait()
                    return
        await super().on_event(event)

    def hold_keys(self) -> None:
        """Keep the next keys until :meth:`release_keys`: what they are for (a screen a
        worker is reading for) is not on screen yet."""
        if self._held is None:
            self._held = []

    def release_keys(self) -> None:
        """Let the waiting keys act (after what they waited for is on screen)."""
        if self._held is not None:
            self.post_message(ReleaseKeys())

    async def on_release_keys(self, event: ReleaseKeys) -> None:
        held, self._held = self._held or [], None
        self._settled = self.focused  # what it was waiting for is in
        for key in held:
            await self._key(key)
        self._settled = None

    def on_mount(self) -> None:
        self.push_screen(SearchScreen(self.initial_query, debounce=self.debounce))

    def on_unmount(self) -> None:
        self.engines.close()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        if isinstance(screen, SearchScreen):  # found by name, for one who does not know f or Ctrl+F
            yield SystemCommand("Filters", "Narrow the results to a date range or a source", screen.action_filters)
            yield SystemCommand("Save the search", "Keep the query and the filters under a name (Ctrl+S)",
                                screen.action_save_search)
            yield SystemCommand("Saved searches", "Run a saved search, or only what is new for it (Ctrl+O)",
                                screen.action_saved_searches)
        yield from super().get_system_commands(screen)

    def notes(self) -> list[str]:
        """The notifications on screen, oldest first (Textual says them to none but its own)."""
        return [note.message for note in self._notifications]

    def notes_shown(self) -> bool:
        """Whether a notification is on screen."""
        return bool(self.notes())

    def action_quit_unless_selected(self) -> None:
        """Ctrl+C: copy the text selected with the mouse on screen, if any, or else quit."""
        selected = self.screen.get_selected_text()
        if selected:
            self.copy_to_clipboard(selected)
            self.screen.clear_selection()
            self.notify("Ctrl+C again quits.", title="Copied the selected text", markup=False)
            return
        self.exit()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    @work(thread=True, exclusive=True, group="open")
    def open_article(self, hit: Hit, query: str, filters: Filters = NO_FILTERS) -> None:
        """Load the article and its matches off the UI thread (those the search of ``query``
        with ``filters`` marks); the reader opens when done."""
        try:
            with self.engine_lock:
                article = self.engine.get(hit.id)
                title, body = self.engine.highlight(article, query, since=filters.since, until=filters.until,
                                                    source=filters.source)
        except Exception as e:
            self.post_message(ArticleLoaded(error=caught(e)))
        else:
            self.post_message(ArticleLoaded((article, title, body), query=query, filters=filters))

    def on_article_loaded(self, event: ArticleLoaded) -> None:
        if event.loaded is not None:
            self.push_screen(ReaderScreen(*event.loaded, query=event.query, filters=event.filters))
            self.call_after_refresh(self.release_keys)  # keys typed meanwhile are for the reader
            return
        if event.error is not None:
            self.notify(said(event.error), title="Cannot open the article", severity="error", markup=False)
        self.release_keys()
