"""The search screen: query box, status line, timeline, facets and results.

Every engine call runs in a worker thread, one at a time per engine (a Whoosh searcher is
not safe to share between threads), and reports back with a message; the UI thread only
draws. Typing restarts a short timer, so a burst of keys costs one search; a newer search
cancels an older one that has not started yet, runs on a second engine while a slow older
one is still running (see :class:`~searchkit.tui.engines.Engines`), and results of a
superseded request are dropped.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace

from rich.console import Group, RenderableType
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.timer import Timer
from textual.widgets import Footer, Input, OptionList, Static
from textual.worker import get_current_worker

from .. import date_bounds
from ..errors import ECHO_CHARS, IndexInterrupted, QueryError, SavedSearchBadName, SavedSearchExists
from ..library import Engine
from ..models import Backlog, FacetCount, Hit, Results, SavedSearch, Staged, group_order
from ..render import (
    EMPTY_HOME,
    backlog_note,
    facets_cover,
    facets_view,
    hit_view,
    no_matches,
    nothing_new,
    partial_rule,
    printable,
    results_notes,
    saved_filters,
    sentence,
    suggestion_line,
    tiers,
    topic_order_line,
    why_no_match,
)
from ..render.failures import is_bug, message_and_hint
from .dialogs import Filters, FiltersScreen
from .group import GroupScreen
from .messages import (
    BuildProgress,
    HomeChanged,
    MonthsDone,
    Ready,
    Request,
    SavedRun,
    SearchDone,
    Settle,
    caught,
    said,
)
from .saved import ConfirmScreen, Listed, NameScreen, SavedListScreen, shown_query
from .typed import search_app
from .widgets import FooterScreen, QueryInput, ResultList, Timeline

__all__ = ["SearchScreen", "page_and_months"]

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
#: Rows the results keep (two hits): on a shorter screen the timeline, then the counts per
#: source and year, give way to them, then the status line's rows after its first
#: :data:`STATUS_ROWS`.
RESULT_ROWS = 10
STATUS_ROWS = 2


#: The timeline's months and the counts per source and year of one query.
Counted = tuple[list[tuple[str, int]], dict[str, tuple[FacetCount, ...]]]


def page_and_months(engine: Engine, request: Request, *, months: bool,
                    hits_in: Callable[[Results], bool]) -> Counted | None:
    """The engine calls the search screen makes for ``request``: its page of hits, handed
    to ``hits_in`` as soon as they are in (it says whether the rest is still wanted); then,
    for a new query (``months``), the timeline's months and, when that search took less
    than :data:`FACETS_WITHIN_MS`, the counts per source and year, in one more search of
    the same query (as ``search --timeline --facets`` counts them). ``None``: no months.
    A request of a saved search (:class:`~searchkit.tui.messages.SavedRun`) runs it, as
    ``searchkit saved run NAME [--new]`` does: it is marked as run, and what it lists counts
    as seen once a page holding its last hit is fetched.
    benchmarks/tui_latency.py times this very function."""
    f = request.filters
    if request.saved is not None:  # (its query and filters are those the screen shows)
        results = engine.run_saved_search(request.saved.name, new=request.saved.new, limit=PAGE, page=request.page,
                                          sort=request.sort)
        months = months and not request.saved.new  # (the months of all its matches: not those listed)
    else:
        results = engine.search(request.query, limit=PAGE, page=request.page, since=f.since, until=f.until,
                                source=f.source, sort=request.sort)
    if not hits_in(results) or not months:
        return None
    quick = results.elapsed_ms < FACETS_WITHIN_MS
    counted = engine.search(request.query, limit=1, since=f.since, until=f.until, source=f.source,
                            sort=request.sort, facets=FACETS if quick else (), months=True, snippets=False)
    return list(counted.months or ()), dict(counted.facets)


class SearchScreen(FooterScreen):
    """Query box, status line, timeline and results."""

    BINDINGS = [
        Binding("slash", "focus_query", "Query", key_display="/"),
        Binding("s", "toggle_sort", "Sort"),
        Binding("f", "filters", "Filters"),
        # from the query box too, where f is a letter: a filter that leaves no matches
        # leaves no results to press f in
        Binding("ctrl+f", "filters", "Filters", show=False),
        Binding("d", "duplicates", "Similar", show=False),
        # (Ctrl: from the query box too, where letters are typed)
        Binding("ctrl+s", "save_search", "Save"),
        Binding("ctrl+o", "saved_searches", "Saved"),
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
        self.unordered = False  # a page listed has its scores not in order (by topic)
        self.count: int | None = None  # articles in the index, once known
        self.sources: list[str] = []
        self.unindexed = Backlog(0, 0)  # stored articles the index does not have yet, of all stored
        self._timer: Timer | None = None
        self._months_for: tuple[str, Filters] | None = None
        #: the query box said something else than the query shown since it was searched
        #: (it was cleared or changed, then typed again): the same query searches anew
        self._retyped = False
        self._loading_more = False
        #: what a key typed at the last hit listed does once the next page is in
        self._after_more: Callable[[], None] | None = None
        self._searching: Request | None = None  # the page-1 search on its way
        self._typeahead = False  # keys wait for the results of what the query box says
        self._broken = False  # the index could not be opened
        self._busy_timer: Timer | None = None
        self._facets: dict[str, tuple[FacetCount, ...]] = {}  # the counts of the results shown
        self._status_rows = 0  # the status line's rows at most (see _fit_extras)

    @property
    def engine(self) -> Engine:
        return search_app(self).engine

    @property
    def engine_lock(self) -> threading.Lock:
        return search_app(self).engine_lock

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
        """Build the index if there is none yet, then count articles and list sources. The
        app quitting meanwhile stops the build, as Ctrl-C stops ``searchkit index`` (a build
        is swapped in only once whole): quitting waited, the screen blank, for the build to
        end (31 s of a 40 s build of 1,396 articles)."""
        worker = get_current_worker()

        def go_on() -> None:
            if worker.is_cancelled:  # (the app quit)
                raise KeyboardInterrupt

        try:
            def articles(done: int, total: int | None) -> None:
                go_on()
                self.post_message(BuildProgress(done, total))

            def stage(what: str, done: int, total: int | None) -> None:
                go_on()
                self.post_message(BuildProgress(done, total, what))

            with self.engine_lock:  # (told of the stages too: reading for topics took half the build)
                self.engine.ensure_index(progress=Staged(articles, stage))
                count = self.engine.count()
                sources = list(self.engine.sources())
                unindexed = self.engine.backlog()
        except IndexInterrupted:
            if worker.is_cancelled:
                return  # (nobody is left to tell: the next start builds it)
            raise
        except Exception as e:
            self.post_message(Ready(0, [], caught(e)))
        else:
            self.post_message(Ready(count, sources, unindexed=unindexed))
            self._warm_up()

    def _warm_up(self) -> None:
        """While the user starts typing: the first misspelt word then costs no more."""
        try:
            with self.engine_lock:
                self.engine.warm_up()
        except Exception as e:
            # only a head start: the searches go on, and say what is wrong if they meet it too
            self.notify(said(caught(e)), title="Cannot prepare the spelling corrections", severity="warning",
                        markup=False)

    def on_build_progress(self, event: BuildProgress) -> None:
        of = f" of {event.total:,}" if event.total else ""
        if not event.what:
            done = f"{event.done:,}{of} articles"
        else:  # (a stage that counts nothing says only its name)
            done = event.what + (f" {event.done:,}{of}" if event.done or event.total else "")
        self._status(Text(f"Building the index (first use): {done}…", style="yellow"))

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
    def query_changed(self, event: Input.Changed) -> None:
        if event.value.strip() != self.request.query:  # (what it said then: more may be typed since)
            self._retyped = True
        if self._timer is not None:
            self._timer.stop()
        if self.debounce > 0:
            self._timer = self.set_timer(self.debounce, self._search_now)
        else:
            self._search_now()

    def _search_now(self, *, again: bool = False, **changes: object) -> None:
        """Search for what the query box says now, with the current sort and filters
        (``again``: even when it is the search shown)."""
        if self.count is None:  # not ready: on_ready searches
            return
        query = self.query_one("#query", Input).value.strip()
        request = replace(self.request, query=query, page=1, **changes)  # type: ignore[arg-type]
        if "saved" not in changes and (query, request.filters) != (self.request.query, self.request.filters):
            request = replace(request, saved=None)  # another query or filters: no longer the saved search
        if not again and (request == self._searching or request == replace(self.request, page=1)
                          and self.results is not None and not self._retyped):
            # same search (a space typed): keep the results and the cursor where they are. A
            # query typed again (Esc and the query in one read) is searched again: an import
            # since may have added to what it finds.
            return
        self._retyped = False
        self.request = request
        self._loading_more = False
        if not query:
            self.workers.cancel_group(self, "search")
            self._searching = None
            self._show_welcome()
            return
        new_only = request.saved is not None and request.saved.new
        if new_only:  # (the timeline and counts would cover more than the new ones listed)
            self.query_one(Timeline).show([])
            self._show_facets({})
            self._months_for = None
        want_months = not new_only and self._months_for != (query, self.request.filters)
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
        engines = search_app(self).engines
        engine = engines.acquire(lambda: worker.is_cancelled)
        if engine is None:  # a newer request came while this one waited
            return
        shown = False

        def hits_in(results: Results) -> bool:
            nonlocal shown
            shown = True
            if worker.is_cancelled:
                return False
            # the time the user waited, a wait for the engine included
            results = replace(results, elapsed_ms=(time.perf_counter() - t0) * 1000)
            # while stored articles wait for `searchkit index` (run elsewhere), while the home
            # held none (an import into it may have stored some since), or while a writer is
            # at work on it (an import into a home all indexed when the app opened stores
            # articles a search cannot find yet), count them again
            again = self.unindexed.behind or not self.unindexed.stored or engine.writer_at_work()
            behind = engine.backlog() if again and request.page == 1 else None
            self.post_message(SearchDone(request, results, unindexed=behind))  # the hits first: the months follow
            return True

        try:
            counted = page_and_months(engine, request, months=want_months, hits_in=hits_in)
            if request.page == 1 and not worker.is_cancelled:
                self._recount(engine)
        except Exception as e:
            # after the hits the search worked, only the timeline is missing; but a bug, in
            # the hits or in the months, is shown, not swallowed
            if not shown or is_bug(e):
                self.post_message(SearchDone(request, error=caught(e)))
            return
        finally:
            engines.release(engine)
        if counted is not None and not worker.is_cancelled:
            self.post_message(MonthsDone(request, *counted))

    def _recount(self, engine: Engine) -> None:
        """Count the articles again (it costs a few milliseconds), and list the sources
        again (a hundred) only when the count changed: left open all day, the app said the
        count it started with, and the filters offered no source imported since."""
        count = engine.count()
        if count != self.count:
            self.post_message(HomeChanged(count, list(engine.sources())))

    def on_home_changed(self, event: HomeChanged) -> None:
        self.count, self.sources = event.count, event.sources

    def on_months_done(self, event: MonthsDone) -> None:
        req = event.request
        if (req.query, req.filters) != (self.request.query, self.request.filters) \
                or self.request.saved is not None and self.request.saved.new:
            return  # superseded (a run of the new matches shows no months)
        self._months_for = (req.query, req.filters)
        self.query_one(Timeline).show(event.months)
        self._show_facets(event.facets)

    def _show_facets(self, facets: dict[str, tuple[FacetCount, ...]]) -> None:
        # (none when they count nothing: "source: —" over "No matches" said nothing new)
        self._facets = facets if any(facets.values()) else {}
        facets = self._facets
        # (what they count said over them: they cover fewer articles than the hits listed)
        shown = Group(facets_cover(cut=True), facets_view(facets, cut=True)) if facets else ""
        self.query_one("#facets", Static).update(shown)
        self._fit_extras()

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit_extras)  # (once the status line is wrapped anew)

    def on_screen_resume(self) -> None:
        self.call_after_refresh(self._fit_extras)  # (with the footer back: see FooterScreen)

    def _fit_extras(self) -> None:
        """Show the timeline and the counts (one row a facet, and one saying what they
        count) where the results keep
        :data:`RESULT_ROWS` rows below them: at 40x12 they took every row, and no hit was
        on screen. The status line keeps its first :data:`STATUS_ROWS` rows, and more only
        where the results keep theirs."""
        timeline, facets = self.query_one(Timeline), self.query_one("#facets", Static)
        # (the status line's notes too: at 40x12 a corrected query's took five rows, the hits one)
        fixed = sum(self.query_one(part).outer_size.height for part in ("#query", Footer))
        status = self.query_one("#status", Static)
        rows = max(STATUS_ROWS, self.size.height - fixed - RESULT_ROWS)
        if rows != self._status_rows:  # (counted again once the status line has its rows)
            self._status_rows = status.styles.max_height = rows
            self.call_after_refresh(self._fit_extras)
            return
        taken = fixed + status.outer_size.height
        spare = self.size.height - taken - RESULT_ROWS
        # (the counts say more in fewer rows than the timeline: it gives way first)
        counts = len(self._facets) + 1  # (and the line over them)
        facets.display = bool(self._facets) and spare >= counts
        if facets.display:
            spare -= counts
        timeline.display = bool(timeline.months) and spare >= Timeline.ROWS

    def on_search_done(self, event: SearchDone) -> None:
        req = event.request
        if (req.query, req.sort, req.filters, req.saved) != (self.request.query, self.request.sort,
                                                              self.request.filters, self.request.saved):
            if req.page > 1:  # (a key may wait for it: it acts on the hits shown)
                self._next_page_in()
            return  # superseded
        if req.page == 1:
            self._searching = None
        if event.unindexed is not None:
            self.unindexed = event.unindexed
        try:
            self._search_done(req, event)
        finally:
            self.typeahead_check()
            if req.page > 1:
                self._next_page_in()

    def after_the_next_page(self, action: Callable[[], None]) -> bool:
        """Run ``action`` (a key typed at the last hit listed) once the next page of hits
        is in, the keys typed after it waiting for it too; ``False``: no more hits to come."""
        listing = self.query_one(ResultList)
        if self.results is None or len(self.hits) >= self.results.total or self._after_more is not None:
            return False
        self._after_more = action
        search_app(self).hold_keys()
        self._load_more_if_near_the_end(listing.highlighted)  # (on its way already, most likely)
        return True

    def _next_page_in(self) -> None:
        """A page past the first is in (or failed, or is no longer wanted): the key that
        waited for it acts, and the keys after it."""
        action, self._after_more = self._after_more, None
        if action is None:
            return
        if self.hits and self.query_one(ResultList).display:
            action()
        search_app(self).release_keys()

    def _search_done(self, req: Request, event: SearchDone) -> None:
        if event.error is not None:
            self._show_error(event.error)
            return
        results = event.results
        assert results is not None
        listing = self.query_one(ResultList)
        if req.page == 1:
            self.hits = []
            self.unordered = False
            listing.clear_options()
        self.request = req
        self.results = results
        # (the list shows every page fetched: said while any of them is in it)
        self.unordered = self.unordered or results.topic_order
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
        if self._home_is_empty(found=results.total > 0):
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
        # (the time beside the count, as the command line's header has it: after the split it
        # read "4 with some in 45 ms")
        if r.total:
            out.append(f"{r.total:,} match{'es' if r.total != 1 else ''}", style="bold green")
            if r.total > len(self.hits):
                out.append(f" ({len(self.hits):,} shown)", style="dim")
            out.append(f" in {r.elapsed_ms:.0f} ms", style="dim")
            if r.partial:
                out.append(f": {tiers(r, short=True)}", style="green")
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
        saved = self.request.saved
        if saved is not None:
            out.append(" · saved search ", style="dim")
            out.append(printable(saved.name), style="bold")
            if saved.new:
                out.append(f": only what is new since it {'last ran' if saved.ran_before else 'was saved'}",
                           style="dim")
            # (the library's note names the command for the next page: here it is further down)
            r = replace(r, warnings=tuple(w for w in r.warnings if w != r.stays_new_note))
        # (dates the filter set are said once, by the filter; a date phrase of the query is
        # said as the CLI says it)
        for note in results_notes(r, dates=not (self.request.filters.since or self.request.filters.until)):
            out.append("\n")
            out.append_text(note)
        if self.unordered:
            out.append("\n")
            out.append_text(topic_order_line())
        if saved is not None and saved.new and r.total > len(self.hits):
            out.append("\nThey all stay new until the last of them is listed: move down to it.", style="yellow")
        if r.total and (suggested := suggestion_line(r)) is not None:  # (no hits: said in their place)
            out.append("\n")
            out.append_text(suggested)
        self._add_unindexed(out, found=r.total > 0)
        return out

    def _backlog_note(self, found: bool) -> str | None:
        # (writer_at_work is asked without waiting: no engine lock needed)
        return backlog_note(self.unindexed, at_work=self.engine.writer_at_work, found=found)

    def _home_is_empty(self, found: bool) -> bool:
        """Whether what the library says of this search is that the home holds no articles."""
        return self._backlog_note(found) == EMPTY_HOME

    def _add_unindexed(self, out: Text, found: bool = True) -> None:
        """Add what the library says of the stored articles a search cannot find (as the
        CLI says it; ``found``: whether the search found any), its commands named as the
        app names them."""
        note = self._backlog_note(found)
        if note is not None:
            out.append("\n")
            out.append_text(self._with_commands(note, "yellow"))

    def _with_commands(self, note: str, style: str) -> Text:
        """``note`` with each command in backticks as the app names it (the CLI gives the
        home it was given), in bold."""
        app = search_app(self)
        names = {"searchkit index": app.index_command, "searchkit import FILE": app.import_command}
        out = Text()
        for i, part in enumerate(sentence(note).split("`")):  # (a sentence of its own here)
            out.append(names.get(part, part), style=f"bold {style}") if i % 2 else out.append(part, style=style)
        return out

    def _no_hits(self, results: Results) -> Text:
        saved = self.request.saved
        if saved is not None and saved.new:  # (as `saved run --new` says it)
            return nothing_new(saved.name, ran_before=saved.ran_before)
        # (its start: the box above holds all of it, and a query of 50 long words echoed whole
        # took every row at 60x20, why nothing matched and what to try cut off below)
        out = no_matches(results.query, limit=ECHO_CHARS)
        if (suggested := suggestion_line(results)) is not None:
            out.append("\n")
            out.append_text(suggested)
        # the dates searched, and why nothing was (dates the filters set are said once, by them
        # just below: "Dates: 2016-01-01 – …" said them twice over, three times with the status)
        dates = not (self.request.filters.since or self.request.filters.until)
        for note in results_notes(results, dates=dates):
            out.append("\n")
            out.append_text(note)
        if self.request.filters:
            out.append("\nOnly articles matching the filters (")
            out.append(self.request.filters.describe(), style="magenta")
            out.append(") were searched: press Ctrl+F to change them.")
        elif results.date_range is not None:
            out.append("\n\nNo article of those dates has the words: try other dates, or quote the date "
                       "words to search them as words.", style="dim")
        elif self.unindexed.behind:  # (the status line says how many, and what makes them searchable)
            out.append("\n\nSome stored articles are not searchable yet (see above): they may have the words.",
                       style="dim")
        else:  # (a phrase's words may all be there: not side by side, in the field, or beside the -word)
            out.append(f"\n\n{why_no_match(results.query)}", style="dim")
        return out

    def _clear(self) -> None:
        """No results, timeline or counts: a message takes their place."""
        self.results = None
        self.hits = []
        self.unordered = False
        self.query_one(ResultList).clear_options()
        self.query_one(Timeline).show([])
        self._show_facets({})
        self._months_for = None

    def _show_welcome(self) -> None:
        self._clear()
        if self._home_is_empty(found=False):
            self._show_empty_index()
            return
        status = Text(f"{self.count:,} articles" if self.count else "", style="dim")
        self._add_unindexed(status, found=False)
        self._status(status)
        self._message(Text.assemble(
            ("Type to search", "bold"), f" {self.count:,} articles. Every form of a word matches: ",
            ("табір", "bold"), " finds ", ("табори", "bold"), " and ", ("таборів", "bold"), "; ", ("лукаш*", "bold"),
            " finds every word starting лукаш (a prefix).\n\n",
            ("\"мовні табори\"", "bold"), " a phrase · ", ("Київ OR Харків", "bold"), " either · ",
            ("-слово", "bold"), " without\n",
            ("title:слово", "bold"), ", ", ("заголовок:слово", "bold"), " or ", ("назва:слово", "bold"),
            " in titles · ", ("текст:слово", "bold"), " in texts\n\n",
            ("Down, Tab or Enter moves into the results; F1 (or ? outside the query box) lists every key.", "dim")))
        self.typeahead_check()

    def _show_empty_index(self) -> None:
        self._status(self._with_commands(EMPTY_HOME, "yellow"))
        self._message(Text.assemble(
            "There are no articles to search yet.\n\nImport some with ",
            (search_app(self).import_command, "bold"),
            " (.txt, .json, .jsonl, .csv or .html files, or folders of them), then come back."))
        self.typeahead_check()

    def _show_error(self, error: Exception) -> None:
        self._clear()
        # (only a query that cannot run is the query's fault: a bad lexicon.tsv line or a
        # full disk under "Cannot search for that." sent people to rewrite their query)
        said = "Cannot search for that." if isinstance(error, QueryError) else "Cannot search."
        self._status(Text(said, style="bold red"))
        message, hint = message_and_hint(error)
        if isinstance(error, QueryError):  # (a sentence under the heading, as the filters say them;
            message = sentence(message)  # another error may begin with a path)
            hint = sentence(hint)  # (and what to do, a paragraph of its own)
        text = Text.assemble((message, "red"))
        if hint:
            text.append(f"\n\n{hint}", style="dim")
        self._message(text)
        self.typeahead_check()

    def _status(self, text: Text) -> None:
        self.query_one("#status", Static).update(text)
        self.call_after_refresh(self._fit_extras)  # (a longer status leaves less room)

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
            search_app(self).release_keys()

    @property
    def busy(self) -> bool:
        """A search for what the query box says is still to come (or on its way)."""
        if self.count is None:  # the index is not open yet (unless it cannot be)
            return not self._broken
        query = self.query_one("#query", Input).value.strip()
        return query != self.request.query or self._searching is not None

    # -- actions ------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``/`` is no key of the query box (it types a slash there): not offered there."""
        if action == "focus_query" and isinstance(self.focused, QueryInput):
            return False
        return True

    def action_focus_query(self) -> None:
        self.set_focus(self.query_one("#query", Input))  # at once: the next key goes there

    def action_escape_results(self) -> None:
        """Esc in the results: closes the notes shown ("This hit has no near-duplicates."),
        as a user presses Esc to be rid of one, and the focus stays (it went to the query
        box, its text selected: the next letter replaced the query); with none, back to
        the query box."""
        if search_app(self).notes_shown():
            self.app.clear_notifications()
            return
        self.action_focus_query()

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
        search_app(self).open_article(self.hits[index], self.request.query, self.request.filters)
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
        search_app(self).hold_keys()  # (the next keys are for the group)
        self._open_group(hit, self.request)

    @work(thread=True, group="group")
    def _open_group(self, hit: Hit, request: Request) -> None:
        """Read the group's articles off the UI thread (a search may hold the engine, as
        when an article is opened); the list opens when done, and the keys typed meanwhile
        go to it."""
        try:
            with self.engine_lock:
                articles = group_order(self.engine.stored((hit.id, *hit.duplicates)))
        except Exception as e:
            self.app.call_from_thread(self._group_shown, None, said(caught(e)))
        else:
            self.app.call_from_thread(self._group_shown, GroupScreen(hit, articles, request.query, request.filters),
                                      "")

    def _group_shown(self, group: GroupScreen | None, error: str) -> None:
        if group is not None:
            self.app.push_screen(group)
        else:
            self.notify(error, title="Cannot list the copies", severity="error", markup=False)
        self.app.call_after_refresh(search_app(self).release_keys)

    @on(OptionList.OptionSelected, "#results")
    def open_hit(self, event: OptionList.OptionSelected) -> None:
        if 0 <= event.option_index < len(self.hits):
            # (marked as the search read it: the same query and filters, its correction included)
            search_app(self).open_article(self.hits[event.option_index], self.request.query, self.request.filters)

    # -- saved searches (the library's: :mod:`searchkit.tui.saved` holds their dialogs) ----
    def action_save_search(self) -> None:
        """Save the query box's query and the filters under a name (a dialog asks for it)."""
        query = self.query_one("#query", Input).value.strip()
        saved = self.request.saved
        search_app(self).hold_keys()  # (the next keys are the name, for the dialog)
        self._check_to_save(query, self.request.filters, saved.name if saved is not None else "")

    @work(thread=True, group="saved")
    def _check_to_save(self, query: str, filters: Filters, name: str) -> None:
        """A query saving would refuse (empty, ``л*``, ``31.02.2022``) said now, as saving
        says it, not after a name was typed for nothing; else the dialog asks the name."""
        try:
            with self.engine_lock:
                self.engine.check_saved_search(query, since=filters.since, until=filters.until,
                                               source=filters.source)
        except Exception as e:
            self.app.call_from_thread(self._note, said(caught(e)), "Cannot save the search")
        else:
            self.app.call_from_thread(self._ask_name, query, filters, name)
        self.app.call_from_thread(self.app.call_after_refresh, search_app(self).release_keys)

    def _ask_name(self, query: str, filters: Filters, name: str, error: str = "") -> None:
        """The dialog that asks for the name (again, with ``error``: why ``name`` could not be)."""
        def named(name: str | None) -> None:
            if name is not None:
                self._save(name, query, filters, False)

        self.app.push_screen(NameScreen(query, filters, name, error), named)

    @work(thread=True, group="saved")
    def _save(self, name: str, query: str, filters: Filters, replacing: bool) -> None:
        try:
            with self.engine_lock:
                search = self.engine.save_search(name, query, since=filters.since, until=filters.until,
                                                 source=filters.source, replace=replacing)
        except SavedSearchExists:
            self.app.call_from_thread(self._ask_to_replace, name, query, filters)
        except SavedSearchBadName as e:  # (asked again, the name as typed and what a name may be)
            self.app.call_from_thread(self._ask_name, query, filters, name, said(caught(e)))
        except Exception as e:
            self.app.call_from_thread(self._note, said(caught(e)), "Cannot save the search")
        else:
            self.app.call_from_thread(self._saved, search)
        # (the keys typed after the name: for what is on screen now, the question included)
        self.app.call_from_thread(self.app.call_after_refresh, search_app(self).release_keys)

    def _ask_to_replace(self, name: str, query: str, filters: Filters) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self._save(name, query, filters, True)

        self.app.push_screen(ConfirmScreen(f"A saved search named {printable(repr(name))} exists. Replace it?"),
                             answered)

    def _saved(self, search: SavedSearch) -> None:
        filters = saved_filters(search)  # (said as `saved add` says it)
        said_filters = f" ({printable(filters)})" if filters else ""
        self.notify(f"Saved {search.name!r}: {shown_query(search.query)}{said_filters}"
                    + "".join(f"\nNote: {printable(n)}" for n in search.notes),
                    timeout=4, markup=False)

    def _note(self, message: str, title: str) -> None:
        self.notify(message, title=title, severity="error", markup=False)

    def action_saved_searches(self) -> None:
        """List the saved searches, with how many articles are new for each."""
        search_app(self).hold_keys()  # (the next keys are for the list)
        self._list_saved()

    @work(thread=True, group="saved")
    def _list_saved(self) -> None:
        listed: list[Listed] = []
        try:
            with self.engine_lock:
                for s in self.engine.saved_searches():
                    try:
                        listed.append(Listed(s, self.engine.count_new_matches(s.name)))
                    except Exception as e:  # (one that cannot run now is listed, to be deleted)
                        listed.append(Listed(s, None, said(caught(e))))
        except Exception as e:
            self.app.call_from_thread(self._list_shown, None, said(caught(e)))
        else:
            self.app.call_from_thread(self._list_shown, listed, "")

    def _list_shown(self, listed: list[Listed] | None, error: str) -> None:
        if listed is not None:
            self.app.push_screen(SavedListScreen(listed, self.run_saved, self._remove))
        else:
            self._note(error, "Cannot list the saved searches")
        self.app.call_after_refresh(search_app(self).release_keys)

    @work(thread=True, group="saved")
    def _remove(self, search: SavedSearch) -> None:
        try:
            with self.engine_lock:
                self.engine.remove_saved_search(search.name)
        except Exception as e:
            self.app.call_from_thread(self._note, said(caught(e)), "Cannot delete the saved search")
        else:
            self.app.call_from_thread(self._removed, search)

    def _removed(self, search: SavedSearch) -> None:
        for screen in self.app.screen_stack:
            if isinstance(screen, SavedListScreen):
                screen.forget(search.name)
        self.notify(f"Deleted {search.name!r}.", timeout=3, markup=False)
        shown = self.request.saved
        if shown is not None and shown.name == search.name:
            # the results were a run of it: its pages would be runs of what is gone, and the
            # status line would still name it. They become the search of its query and
            # filters (what a run of it all lists; a run of its new ones lists more now).
            self._search_now(again=True, saved=None)

    def run_saved(self, search: SavedSearch, new: bool = False) -> None:
        """Run ``search`` here: its query and filters in the query box and the filters, its
        pages runs of it (``new``: only what arrived since it last ran), as
        ``searchkit saved run NAME [--new]`` runs it. The keys typed next wait for its results."""
        app = search_app(self)
        app.hold_keys()
        try:
            since, until = date_bounds(search.since, search.until)  # (a phrase as it reads today)
        except QueryError as e:
            self._note(said(e), f"Cannot run {search.name!r}")
            app.release_keys()
            return
        if self.count is None:
            self._note("The index is not open yet: try again in a moment.", f"Cannot run {search.name!r}")
            app.release_keys()
            return
        box = self.query_one("#query", QueryInput)
        box.value = search.query
        self.set_focus(box)
        self._search_now(again=True, filters=Filters(since, until, search.source),
                         saved=SavedRun(search.name, new, search.last_run is not None))
        self.typeahead_wait()
