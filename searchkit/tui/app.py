"""The search screen and the app: query box, status line, timeline, results.

Every engine call runs in a worker thread, one at a time per engine (a Whoosh searcher is
not safe to share between threads), and reports back with a message; the UI thread only
draws. Typing restarts a short timer, so a burst of keys costs one search; a newer search
cancels an older one that has not started yet, runs on a second engine while a slow older
one is still running (see :class:`Engines`), and results of a superseded request are dropped.

Keys act in the order they were typed, however fast they come (see :meth:`SearchApp.on_event`):
keys typed after Down/Tab in the query box (or s) wait for the results of what was typed,
keys after Enter on a hit wait for the reader, keys after f, ? or d for the dialog, keys
after Tab or Enter in a text box for the box to take what was typed before them, and Esc
followed by a key in one terminal read (which the terminal reports as Alt+key) is Esc,
then the key.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text
from textual import events, on, work
from textual._xterm_parser import XTermParser
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer, Input, OptionList, Static
from textual.worker import get_current_worker

from ..errors import SearchkitError
from ..library import Engine
from ..models import Article, FacetCount, Hit, Results, Snippet
from ..query import typed_query_text
from ..render import facets_view, hit_view, partial_rule, results_notes, tiers, timeline_bars
from .dialogs import Filters, FiltersScreen, HelpScreen
from .group import GroupScreen
from .reader import ReaderScreen

__all__ = ["SearchApp", "SearchScreen"]

#: Counted for every new query, under the timeline (as ``search --facets`` counts them).
FACETS = ("source", "year")
#: A search slower than this gets no counts: they would cost it again.
FACETS_WITHIN_MS = 1000
PAGE = 15  # hits per request (a screenful and more); more are fetched when the cursor nears the end
#: Seconds of typing pause before a search: keys typed faster make one search. Short,
#: since a search takes tens of milliseconds even over 100,000 articles (see
#: benchmarks/tui_latency.py); the results of a keystroke show about this much later.
DEBOUNCE = 0.05
#: Seconds a search may take before the status line says it is searching.
BUSY_AFTER = 0.15


@dataclass(frozen=True, slots=True)
class Request:
    """One search as the user last asked for it."""

    query: str
    sort: str = "relevance"
    filters: Filters = Filters()
    page: int = 1


class Settle(Message, bubble=False):
    """Sent to the query box behind the keys typed into it: when it arrives, they are in."""


class QueryInput(Input):
    BINDINGS = [
        Binding("down,tab", "screen.focus_results", "Results", key_display="↓"),
        Binding("escape", "clear", "Clear", show=False),
        Binding("f1", "app.help", "Keys"),
    ]

    def action_clear(self) -> None:
        self.value = ""

    def validate_value(self, value: str) -> str:
        """Typed, pasted or set: the box shows and searches no control characters (a pasted
        escape sequence is dropped, a tab or NUL is a space)."""
        return typed_query_text(value)

    def on_settle(self, event: Settle) -> None:
        self.screen.typeahead_check()  # type: ignore[attr-defined]


class ResultList(OptionList):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("escape", "screen.focus_query", "Query", show=False),
    ]

    def action_cursor_up(self) -> None:
        if not self.highlighted:  # above the first hit is the query box
            self.screen.action_focus_query()  # type: ignore[attr-defined]
        else:
            super().action_cursor_up()


class Timeline(Widget):
    """Matches per month as a small bar chart, drawn to the width it gets."""

    DEFAULT_CSS = "Timeline { height: 3; padding: 0 2; }"
    HEIGHT = 2

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.months: list[tuple[str, int]] = []

    def show(self, months: list[tuple[str, int]]) -> None:
        self.months = months
        self.display = bool(months)
        self.refresh()

    def render(self) -> Text:
        return timeline_bars(self.months, self.content_region.width or self.size.width, height=self.HEIGHT)


class SearchDone(Message):
    """A worker finished a request: results, or an error to show (the months of a new
    query follow in a :class:`MonthsDone`, so the hits need not wait for them)."""

    def __init__(self, request: Request, results: Results | None = None,
                 error: SearchkitError | None = None, unindexed: tuple[int, int] | None = None) -> None:
        super().__init__()
        self.request = request
        self.results = results
        self.error = error
        self.unindexed = unindexed  # counted again while the index is behind corpus/


class MonthsDone(Message):
    """The timeline (and the counts per source and year) of a request whose results were
    sent before."""

    def __init__(self, request: Request, months: list[tuple[str, int]],
                 facets: dict[str, tuple[FacetCount, ...]] | None = None) -> None:
        super().__init__()
        self.request = request
        self.months = months
        self.facets = facets or {}


class Ready(Message):
    """The index is there: how many articles it holds, and their sources."""

    def __init__(self, count: int, sources: list[str], error: SearchkitError | None = None,
                 unindexed: tuple[int, int] = (0, 0)) -> None:
        super().__init__()
        self.count = count
        self.sources = sources
        self.error = error
        self.unindexed = unindexed


class BuildProgress(Message):
    def __init__(self, done: int, total: int | None) -> None:
        super().__init__()
        self.done = done
        self.total = total


class ArticleLoaded(Message):
    """An article and its marked title and text, ready for the reader (or why not)."""

    def __init__(self, loaded: tuple[Article, Snippet, Snippet] | None = None,
                 error: SearchkitError | None = None) -> None:
        super().__init__()
        self.loaded = loaded
        self.error = error


class Engines:
    """The app's engine, and a second one for a search that would otherwise wait behind a
    slow older one (a Whoosh searcher serves one thread at a time, and a running search
    cannot be stopped): a newer query overtakes instead of queueing. Its results are
    those of the same home; the older search finishes unseen."""

    #: Seconds a search waits for the busy main engine before it takes the second one.
    PATIENCE = 0.1

    def __init__(self, engine: Engine, lock: threading.Lock, *, spares: int = 1) -> None:
        self.main = engine
        self.main_lock = lock
        self.spares = spares
        self._spare: list[Engine] = []
        self._busy: set[int] = set()  # indexes into _spare
        self._cond = threading.Condition()
        self._making = False

    def acquire(self, cancelled: Callable[[], bool]) -> Engine | None:
        """An engine for this thread alone (``None``: the request was superseded meanwhile);
        give it back with :meth:`release`."""
        if self.main_lock.acquire(timeout=self.PATIENCE):
            return self.main
        while not cancelled():
            if self.main_lock.acquire(blocking=False):
                return self.main
            make = False
            with self._cond:
                for i, spare in enumerate(self._spare):
                    if i not in self._busy:
                        self._busy.add(i)
                        return spare
                if len(self._spare) < self.spares and not self._making:
                    self._making = make = True
                else:
                    self._cond.wait(0.02)
            if make:
                try:
                    spare = Engine(self.main.home, backend=self.main.config.backend, url=self.main.config.url)
                except Exception:  # no second reader: wait for the main engine, as before
                    with self._cond:
                        self._making, self.spares = False, 0
                    continue
                with self._cond:
                    self._making = False
                    self._spare.append(spare)
                    self._busy.add(len(self._spare) - 1)
                    return spare
        return None

    def release(self, engine: Engine) -> None:
        if engine is self.main:
            self.main_lock.release()
            return
        with self._cond:
            self._busy.discard(self._spare.index(engine))
            self._cond.notify_all()

    def close(self) -> None:
        for spare in self._spare:
            spare.close()


class ReleaseKeys(Message):
    """The keys that waited may act now."""


def _split_alt(event: events.Key) -> list[events.Key]:
    """Esc and a key read at once come as Alt+key: give back Esc, then the key."""
    if not event.key.startswith("alt+") or not event.character:
        return [event]
    parser = XTermParser()
    keys = [k for k in parser.feed(event.character) if isinstance(k, events.Key)]
    return [events.Key("escape", "\x1b"), *keys] if keys else [event]


def _unexpected(e: Exception) -> SearchkitError:
    # A bug must not take the UI down with it: show it like any other error.
    return SearchkitError(f"{type(e).__name__}: {e}", hint="this is a bug in searchkit; please report it")


class SearchScreen(Screen[None]):
    """Query box, status line, timeline and results."""

    BINDINGS = [
        Binding("slash", "focus_query", "Query", key_display="/"),
        Binding("s", "toggle_sort", "Sort"),
        Binding("f", "filters", "Filters"),
        Binding("d", "duplicates", "Similar", show=False),
        Binding("question_mark", "app.help", "Keys", key_display="?"),
        Binding("q", "app.quit", "Quit"),
    ]
    DEFAULT_CSS = """
    SearchScreen { layout: vertical; }
    SearchScreen #query { margin: 0 1; }
    SearchScreen #status { height: auto; padding: 0 2; }
    SearchScreen #facets { height: auto; padding: 0 2; color: $text-muted; }
    SearchScreen #results { height: 1fr; max-height: 100%; margin: 0 1; }
    SearchScreen #message { height: 1fr; padding: 1 2; }
    """

    def __init__(self, query: str = "", *, debounce: float = DEBOUNCE) -> None:
        super().__init__()
        self.initial_query = query
        self.debounce = debounce
        self.request = Request("")
        self.results: Results | None = None
        self.hits: list[Hit] = []
        self.count: int | None = None  # articles in the index, once known
        self.sources: list[str] = []
        self.unindexed = (0, 0)  # stored articles the index does not have yet, of all stored
        self._timer: Timer | None = None
        self._months_for: tuple[str, Filters] | None = None
        self._loading_more = False
        self._searching: Request | None = None  # the page-1 search on its way
        self._typeahead = False  # keys wait for the results of what the query box says
        self._broken = False  # the index could not be opened
        self._busy_timer: Timer | None = None

    @property
    def engine(self) -> Engine:
        return self.app.engine  # type: ignore[attr-defined,no-any-return]

    @property
    def engine_lock(self) -> threading.Lock:
        return self.app.engine_lock  # type: ignore[attr-defined,no-any-return]

    def compose(self) -> ComposeResult:
        yield QueryInput(self.initial_query, placeholder="Search: any form of a word, \"a phrase\", A OR B, -word",
                         id="query")
        yield Static(Text("Opening the index…", style="dim"), id="status")
        yield Timeline(id="timeline")
        yield Static("", id="facets")
        yield ResultList(id="results")
        yield Static("", id="message")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Timeline).display = False
        self.query_one("#facets").display = False
        self.query_one(ResultList).display = False
        self.query_one("#query", Input).focus()
        self.prepare()

    # -- startup ------------------------------------------------------------------------
    @work(thread=True, group="prepare")
    def prepare(self) -> None:
        """Build the index if there is none yet, then count articles and list sources."""
        try:
            def progress(done: int, total: int | None) -> None:
                self.post_message(BuildProgress(done, total))

            with self.engine_lock:
                self.engine.ensure_index(progress=progress)
                count = self.engine.count()
                sources = list(self.engine.sources())
                unindexed = self.engine.unindexed()
        except SearchkitError as e:
            self.post_message(Ready(0, [], e))
        except Exception as e:
            self.post_message(Ready(0, [], _unexpected(e)))
        else:
            self.post_message(Ready(count, sources, unindexed=unindexed))
            try:  # while the user starts typing: the first misspelt word then costs no more
                with self.engine_lock:
                    self.engine.warm_up()
            except SearchkitError:
                pass  # only a head start: a search reports what is wrong

    def on_build_progress(self, event: BuildProgress) -> None:
        of = f" of {event.total:,}" if event.total else ""
        self._status(Text(f"Building the index (first use): {event.done:,}{of} articles…", style="yellow"))

    def on_ready(self, event: Ready) -> None:
        if event.error:
            self._broken = True
            self._show_error(event.error)
            return
        self.count, self.sources = event.count, event.sources
        self.unindexed = event.unindexed
        self._search_now()

    # -- searching ----------------------------------------------------------------------
    @on(Input.Changed, "#query")
    def query_changed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        if self.debounce > 0:
            self._timer = self.set_timer(self.debounce, self._search_now)
        else:
            self._search_now()

    def _search_now(self, **changes: object) -> None:
        """Search for what the query box says now, with the current sort and filters."""
        if self.count is None:  # not ready: on_ready searches
            return
        query = self.query_one("#query", Input).value.strip()
        request = replace(self.request, query=query, page=1, **changes)  # type: ignore[arg-type]
        if request == replace(self.request, page=1) and self.results is not None:
            return  # same search (a space typed): keep the results and the cursor where they are
        self.request = request
        self._loading_more = False
        if not query:
            self.workers.cancel_group(self, "search")
            self._searching = None
            self._show_welcome()
            return
        want_months = self._months_for != (query, self.request.filters)
        self._searching = self.request
        self.search(self.request, want_months)
        if self._busy_timer is not None:
            self._busy_timer.stop()
        self._busy_timer = self.set_timer(BUSY_AFTER, self._show_busy)

    def _show_busy(self) -> None:
        """Say that a search is on its way (when it takes long enough to notice)."""
        req = self._searching
        if req is None:
            return
        out = Text.assemble(("Searching ", "bold yellow"), (req.query, "bold"), ("…", "bold yellow"))
        if self.results is not None and self.hits:
            out.append(f"  (below: the results for {self.results.query})", style="dim")
        self._status(out)

    @work(thread=True, exclusive=True, group="search")
    def search(self, request: Request, want_months: bool) -> None:
        worker = get_current_worker()
        t0 = time.perf_counter()
        engines: Engines = self.app.engines  # type: ignore[attr-defined]
        engine = engines.acquire(lambda: worker.is_cancelled)
        if engine is None:  # a newer request came while this one waited
            return
        try:
            f = request.filters
            try:
                results = engine.search(request.query, limit=PAGE, page=request.page, since=f.since,
                                        until=f.until, source=f.source, sort=request.sort)
            except SearchkitError as e:
                self.post_message(SearchDone(request, error=e))
                return
            except Exception as e:
                self.post_message(SearchDone(request, error=_unexpected(e)))
                return
            if worker.is_cancelled:
                return
            # the time the user waited, a wait for the engine included
            results = replace(results, elapsed_ms=(time.perf_counter() - t0) * 1000)
            # while stored articles wait for `searchkit index` (run elsewhere), count them again
            behind = engine.unindexed() if self.unindexed[0] and request.page == 1 else None
            self.post_message(SearchDone(request, results, unindexed=behind))  # the hits first: the months follow
            if not want_months:
                return
            # the months, and (when the search was quick) the counts per source and year, in
            # one more search of the same query (as `search --timeline --facets` counts them)
            quick = results.elapsed_ms < FACETS_WITHIN_MS
            try:
                counted = engine.search(request.query, limit=1, since=f.since, until=f.until, source=f.source,
                                        facets=FACETS if quick else (), months=True, snippets=False)
            except Exception:  # the search worked: only the histogram is missing
                return
            months = list(counted.months or ())
            facets: dict[str, tuple[FacetCount, ...]] = dict(counted.facets)
        finally:
            engines.release(engine)
        if not worker.is_cancelled:
            self.post_message(MonthsDone(request, months, facets))

    def on_months_done(self, event: MonthsDone) -> None:
        req = event.request
        if (req.query, req.filters) != (self.request.query, self.request.filters):
            return  # superseded
        self._months_for = (req.query, req.filters)
        self.query_one(Timeline).show(event.months)
        self._show_facets(event.facets)

    def _show_facets(self, facets: dict[str, tuple[FacetCount, ...]]) -> None:
        box = self.query_one("#facets", Static)
        box.update(facets_view(facets) if facets else "")
        box.display = bool(facets)

    def on_search_done(self, event: SearchDone) -> None:
        req = event.request
        if (req.query, req.sort, req.filters) != (self.request.query, self.request.sort, self.request.filters):
            return  # superseded
        if req.page == 1:
            self._searching = None
        if event.unindexed is not None:
            self.unindexed = event.unindexed
        try:
            self._search_done(req, event)
        finally:
            self.typeahead_check()

    def _search_done(self, req: Request, event: SearchDone) -> None:
        if event.error is not None:
            self._show_error(event.error)
            return
        results = event.results
        assert results is not None
        listing = self.query_one(ResultList)
        if req.page == 1:
            self.hits = []
            listing.clear_options()
        self.request = req
        self.results = results
        self._loading_more = False
        options: list[object] = []
        for hit in results.hits:
            view: RenderableType = hit_view(hit, show_id=False)
            if results.partial and results.matched_all and hit.rank == results.matched_all + 1:
                view = Group(partial_rule(results), view)  # where the hits with some of the words start
            options += [view, None]
        self.hits += results.hits
        listing.add_options(options)  # type: ignore[arg-type]
        if req.page == 1 and self.hits:
            listing.highlighted = 0
            listing.scroll_home(animate=False)
        elif req.page > 1:  # the cursor may have reached the end while this page was on its way
            self._load_more_if_near_the_end(listing.highlighted)
        if results.total == 0 and self.count == 0:
            self._show_empty_index()
            return
        self._status(self._summary())
        if self.hits:
            self.query_one("#message").display = False
            listing.display = True
        else:
            self._message(self._no_hits(results))

    def _summary(self) -> Text:
        r = self.results
        assert r is not None
        out = Text()
        if r.total:
            out.append(f"{r.total:,} match{'es' if r.total != 1 else ''}", style="bold green")
            if r.partial:
                out.append(f": {tiers(r, short=True)}", style="green")
            if r.total > len(self.hits):
                out.append(f" ({len(self.hits):,} shown)", style="dim")
        else:
            out.append("no matches", style="bold yellow")
        out.append(f" in {r.elapsed_ms:.0f} ms", style="dim")
        if r.cut:
            out.append(" · cut short: narrow the query", style="bold yellow")
        out.append(" · sorted by ", style="dim")
        out.append(self.request.sort)
        if self.request.filters:
            out.append(" · filters: ", style="dim")
            out.append(self.request.filters.describe(), style="magenta")
        for note in results_notes(r):
            out.append("\n")
            out.append_text(note)
        if r.suggestion and r.total and not r.corrected_query:
            out.append_text(Text.assemble("\nDid you mean ", (r.suggestion, "bold"), "?", style="yellow"))
        self._add_unindexed(out)
        return out

    def _add_unindexed(self, out: Text) -> None:
        behind, stored = self.unindexed
        if behind:
            out.append(f"\n{behind:,} of {stored:,} stored articles are not searchable yet: run ", style="yellow")
            out.append("searchkit index", style="bold yellow")
            out.append(" to index them.", style="yellow")

    def _no_hits(self, results: Results) -> Text:
        out = Text.assemble("No matches for ", (results.query, "bold"), ".")
        if results.suggestion:
            out.append_text(Text.assemble("  Did you mean ", (results.suggestion, "bold"), "?"))
        if self.request.filters:
            out.append("\nOnly articles matching the filters (")
            out.append(self.request.filters.describe(), style="magenta")
            out.append(") were searched: press f to change them.")
        out.append("\n\nNo article has any of the words, in any form or spelling. Try other words, "
                   "`word*` for a prefix or `word~` for a misspelling.", style="dim")
        return out

    def _show_welcome(self) -> None:
        self.results = None
        self.hits = []
        self.query_one(ResultList).clear_options()
        self.query_one(Timeline).show([])
        self._show_facets({})
        self._months_for = None
        if self.count == 0:
            self._show_empty_index()
            return
        status = Text(f"{self.count:,} articles" if self.count else "", style="dim")
        self._add_unindexed(status)
        self._status(status)
        self._message(Text.assemble(
            ("Type to search", "bold"), f" {self.count:,} articles. Every form of a word matches: ",
            ("табір", "bold"), " finds ", ("табори", "bold"), " and ", ("таборів", "bold"), ".\n\n",
            ("\"мовні табори\"", "bold"), " a phrase · ", ("Київ OR Харків", "bold"), " either · ",
            ("-слово", "bold"), " without · ", ("title:слово", "bold"), " in titles · ",
            ("лукаш*", "bold"), " prefix\n\n",
            ("Down or Tab moves into the results; F1 (or ? outside the query box) lists every key.", "dim")))
        self.typeahead_check()

    def _show_empty_index(self) -> None:
        self._status(Text("The index is empty.", style="yellow"))
        self._message(Text.assemble(
            "There are no articles to search yet.\n\nImport some with ",
            ("searchkit import FILE…", "bold"), " (.jsonl, .csv or .txt files, or folders of them), "
            "then come back."))
        self.typeahead_check()

    def _show_error(self, error: SearchkitError) -> None:
        self.results = None
        self.hits = []
        self.query_one(ResultList).clear_options()
        self.query_one(Timeline).show([])
        self._show_facets({})
        self._months_for = None
        self._status(Text("Cannot search for that.", style="bold red"))
        text = Text.assemble((str(error), "red"))
        if error.hint:
            text.append(f"\n\n{error.hint}", style="dim")
        self._message(text)
        self.typeahead_check()

    def _status(self, text: Text) -> None:
        self.query_one("#status", Static).update(text)

    def _message(self, text: Text) -> None:
        """Show ``text`` where the results go (when there are none)."""
        self.query_one("#message", Static).update(text)
        self.query_one("#message").display = True
        self.query_one(ResultList).display = False

    @on(OptionList.OptionHighlighted, "#results")
    def near_the_end(self, event: OptionList.OptionHighlighted) -> None:
        self._load_more_if_near_the_end(event.option_index)

    def _load_more_if_near_the_end(self, index: int | None) -> None:
        """Fetch the next page when the cursor is within a few hits of the last one."""
        if (index is not None and index >= len(self.hits) - 5 and self.results is not None
                and not self._loading_more and len(self.hits) < self.results.total):
            self._loading_more = True
            self.search(replace(self.request, page=self.request.page + 1), False)

    # -- keys typed ahead ---------------------------------------------------------------
    def typeahead_wait(self) -> None:
        """Keys wait (in the app) until the results of what the query box will say are shown."""
        self._typeahead = True
        self.query_one("#query", QueryInput).post_message(Settle())

    def typeahead_check(self) -> None:
        """Let the waiting keys go once the results shown are those of the query box."""
        if self._typeahead and not self.busy:
            self._typeahead = False
            self.app.release_keys()  # type: ignore[attr-defined]

    @property
    def busy(self) -> bool:
        """A search for what the query box says is still to come (or on its way)."""
        if self.count is None:  # the index is not open yet (unless it cannot be)
            return not self._broken
        query = self.query_one("#query", Input).value.strip()
        return query != self.request.query or self._searching is not None

    # -- actions ------------------------------------------------------------------------
    def action_focus_query(self) -> None:
        self.set_focus(self.query_one("#query", Input))  # at once: the next key goes there

    def action_focus_results(self) -> None:
        listing = self.query_one(ResultList)
        if self.hits:
            if listing.highlighted is None:
                listing.highlighted = 0
            self.set_focus(listing)  # at once: the next key goes there

    def open_highlighted(self) -> bool:
        """Open the hit under the cursor (Enter); ``False`` when there is none."""
        listing = self.query_one(ResultList)
        index = listing.highlighted
        if index is None or not 0 <= index < len(self.hits):
            return False
        query = (self.results.corrected_query if self.results else None) or self.request.query
        self.app.open_article(self.hits[index], query)  # type: ignore[attr-defined]
        return True

    def action_toggle_sort(self) -> None:
        self._search_now(sort="date" if self.request.sort == "relevance" else "relevance")

    def action_filters(self) -> None:
        def done(filters: Filters | None) -> None:
            if filters is not None and filters != self.request.filters:
                self._search_now(filters=filters)

        self.app.push_screen(FiltersScreen(self.request.filters, self.sources), done)

    def action_duplicates(self) -> None:
        """List the near-duplicates folded into the hit under the cursor ("+N similar")."""
        index = self.query_one(ResultList).highlighted
        if index is None or not 0 <= index < len(self.hits):
            return
        hit = self.hits[index]
        if not hit.duplicates:
            self.notify("This hit has no near-duplicates.", timeout=3)
            return
        articles = []
        for art_id in (hit.id, *hit.duplicates):
            try:
                articles.append(self.engine.get(art_id))
            except SearchkitError:
                continue  # deleted since indexed
        articles.sort(key=lambda a: (a.date is None, a.date, a.id))
        query = (self.results.corrected_query if self.results else None) or self.request.query
        self.app.push_screen(GroupScreen(hit, articles, query))

    @on(OptionList.OptionSelected, "#results")
    def open_hit(self, event: OptionList.OptionSelected) -> None:
        if 0 <= event.option_index < len(self.hits):
            # Mark what was searched for: the corrected query when the typed one found nothing.
            query = (self.results.corrected_query if self.results else None) or self.request.query
            self.app.open_article(self.hits[event.option_index], query)  # type: ignore[attr-defined]


class SearchApp(App[None]):
    """``searchkit tui``: search one home interactively.

    >>> SearchApp(Engine("archive"), query="мовні табори").run()  # doctest: +SKIP
    """

    TITLE = "searchkit"
    BINDINGS = [
        Binding("f1", "help", "Keys", show=False),
    ]

    def __init__(self, engine: Engine, *, query: str = "", debounce: float = DEBOUNCE) -> None:
        super().__init__()
        self.engine = engine
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
        once, and the keys after Down/Tab in the query box or Enter on a hit wait for
        the results or the article.
        """
        if isinstance(event, events.Key) and not event.is_forwarded:
            for key in _split_alt(event):
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
                and event.key in ("down", "tab") else None
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
        if not isinstance(screen, (SearchScreen, ReaderScreen, GroupScreen)):
            await super().on_event(event)
            return
        if isinstance(focused, ResultList) and isinstance(screen, SearchScreen) and event.key == "enter":
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

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    @work(thread=True, exclusive=True, group="open")
    def open_article(self, hit: Hit, query: str) -> None:
        """Load the article and its matches off the UI thread; the reader opens when done."""
        try:
            with self.engine_lock:
                article = self.engine.get(hit.id)
                title, body = self.engine.highlight(article, query)
        except SearchkitError as e:
            self.post_message(ArticleLoaded(error=e))
        except Exception as e:
            self.post_message(ArticleLoaded(error=_unexpected(e)))
        else:
            self.post_message(ArticleLoaded((article, title, body)))

    def on_article_loaded(self, event: ArticleLoaded) -> None:
        if event.loaded is not None:
            self.push_screen(ReaderScreen(*event.loaded))
            self.call_after_refresh(self.release_keys)  # keys typed meanwhile are for the reader
            return
        if event.error is not None:
            self.notify(str(event.error), title="Cannot open the article", severity="error")
        self.release_keys()
