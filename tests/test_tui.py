"""The terminal UI, driven headless by Textual's Pilot: type, look, open, read, go back, quit."""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.selection import Selection
from textual.widgets import Footer, Input, Select, Static

from searchkit import Engine
from searchkit.cli import main as cli_main
from searchkit.query import understand
from searchkit.query.parse import UKRAINIAN_FIELDS
from searchkit.tui import (
    ArticleBody,
    FiltersScreen,
    HelpScreen,
    SearchApp,
    SearchScreen,
)
from searchkit.tui import search as tui_search
from searchkit.tui.app import ResultList, Timeline

from .conftest import imported, write_jsonl
from .tuipilot import burst, in_reader, open_hit, screen, searched, until

pytestmark = pytest.mark.asyncio

# Every form of «табір» in the body of t1; the last paragraph of t1 is far down, so the
# reader must scroll to reach its match.
LONG_TAIL = "\n\n".join(f"Абзац {i}: діти співали, грали й відпочивали біля річки." for i in range(60))
ARTICLES = [
    {"id": "t1", "title": "Літній табір біля річки", "date": "2016-06-01", "source": "Громада",
     "text": f"У таборі відпочивають діти. Табори працюють усе літо.\n\n{LONG_TAIL}\n\n"
             "Наприкінці зміни діти попрощалися з табором."},
    {"id": "t2", "title": "Мовні табори для школярів", "date": "2017-07-15", "source": "Вісті",
     "text": "Мовні табори відкрили в трьох селах. У таборах вивчають англійську."},
    {"id": "t3", "title": "Зимовий табір", "date": "2016-01-10", "source": "Вісті",
     "text": "Вперше взимку працював табір для підлітків."},
    {"id": "t4", "title": "Новий міст", "date": "2018-03-03", "source": "Громада",
     "text": "Будівельники завершили ремонт мосту раніше строку."},
]


@pytest.fixture
def eng(tmp_path: Path) -> Iterator[Engine]:
    e = imported(tmp_path, ARTICLES)
    yield e
    e.close()


def make_app(engine: Engine, query: str = "") -> SearchApp:
    return SearchApp(engine, query=query, debounce=0.02)


def status(app: SearchApp) -> str:
    return str(screen(app).query_one("#status", Static).content)


def message(app: SearchApp) -> str:
    return str(screen(app).query_one("#message", Static).content)


async def type_query(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*text)


def plain_with_styles(renderable: object, width: int = 100) -> list[tuple[str, str]]:
    """(text, style) of every styled piece of a Rich renderable."""
    console = Console(file=io.StringIO(), width=width, force_terminal=True, color_system="truecolor")
    return [(seg.text, str(seg.style)) for seg in console.render(renderable) if seg.text.strip()]


async def test_typing_a_query_lists_hits_with_their_count_and_time(eng: Engine) -> None:
    app = make_app(eng)
    async with app.run_test() as pilot:
        await until(pilot, lambda: screen(app).count is not None, "the index")
        assert "4 articles" in message(app)  # the welcome says what can be searched
        await type_query(pilot, "табір")
        s = await searched(pilot, app, "табір")
        assert [h.id for h in s.hits] == ["t1", "t2", "t3"] or {h.id for h in s.hits} == {"t1", "t2", "t3"}
        assert s.query_one(ResultList).option_count == 3
        assert "3 matches" in status(app) and " ms" in status(app)
        assert "sorted by relevance" in status(app)


async def test_snippets_mark_every_inflected_form_that_matched(eng: Engine) -> None:
    app = make_app(eng, "табір")
    async with app.run_test() as pilot:
        s = await searched(pilot, app, "табір")
        t2 = next(i for i, h in enumerate(s.hits) if h.id == "t2")
        pieces = plain_with_styles(s.query_one(ResultList).get_option_at_index(t2).prompt)
        marked = {text for text, style in pieces if "on yellow" in style}
        assert {"табори", "таборах"} <= marked
        assert not any("Мовні" in text for text, style in pieces if "on yellow" in style)


async def test_down_and_tab_move_into_the_results_and_j_k_move_through_them(eng: Engine) -> None:
    app = make_app(eng, "табір")
    async with app.run_test() as pilot:
        s = await searched(pilot, app, "табір")
        listing = s.query_one(ResultList)
        await pilot.press("down")
        assert app.focused is listing and listing.highlighted == 0
        await pilot.press("j")
        assert listing.highlighted == 1
        await pilot.press("down")
        assert listing.highlighted == 2
        await pilot.press("k", "up")
        assert listing.highlighted == 0
        await pilot.press("up")  # above the first hit is the query box
        assert app.focused is s.query_one("#query")
        await pilot.press("tab")
        assert app.focused is listing
        await pilot.press("slash")
        assert app.focused is s.query_one("#query")


def footer(app: SearchApp) -> dict[str, str]:
    """What the footer offers: ``{description: key}``, one key per action (the first, as it shows them)."""
    shown: dict[str, Binding] = {}
    for active in app.screen.active_bindings.values():
        if active.binding.show:
            shown.setdefault(active.binding.action, active.binding)
    return {b.description: b.key for b in shown.values()}


async def test_the_footer_offers_a_way_to_quit_from_the_query_box_and_no_key_that_does_nothing_there(
        eng: Engine) -> None:
    # (it showed "↓ Results  f1 Keys  / Query": no way out, and / types a slash there)
    app = make_app(eng, "табір")
    async with app.run_test() as pilot:
        s = await searched(pilot, app, "табір")
        assert app.focused is s.query_one("#query")
        keys = footer(app)
        assert keys.get("Quit") == "ctrl+q" and "Query" not in keys and "Results" in keys
        quit_key = next(b.binding for b in app.screen.active_bindings.values() if b.binding.key == "ctrl+q")
        assert app.get_key_display(quit_key) == "^c"  # the key every terminal program quits with
        await pilot.press("down")
        keys = footer(app)
        assert keys.get("Quit") == "q" and keys.get("Query") == "slash"
        await pilot.press("slash")
        assert footer(app).get("Quit") == "ctrl+q"
        await pilot.press("ctrl+q")
        await until(pilot, lambda: not app.is_running, "quit")


async def test_a_title_word_is_marked_in_the_titles_alone_in_the_list_and_the_reader(eng: Engine) -> None:
    app = make_app(eng, "title:табір")
    async with app.run_test(size=(80, 24)) as pilot:
        s = await searched(pilot, app, "title:табір")
        hit = next(h for h in s.hits if h.id == "t1")
        assert [hit.title[sp.start:sp.end] for sp in hit.title_spans] == ["табір"] and hit.snippet.spans == ()
        reader = await open_hit(pilot, app, "title:табір", "t1")
        assert reader.query_one(ArticleBody).spans == ()  # (its «таборі», «Табори», «табором» are the body's)
        assert reader.title_snippet.spans
        # (as the find box says a word only the title has: "no matches in the text" read as a miss)
        assert str(reader.query_one("#reader-where", Static).content) == "in the title, not in the text"


async def test_enter_opens_the_reader_with_every_match_marked_and_n_N_step_through_them(eng: Engine) -> None:
    app = make_app(eng, "табір")
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await open_hit(pilot, app, "табір", "t1")
        body = reader.query_one(ArticleBody)
        marked = [body.text[sp.start : sp.end] for sp in body.spans]
        assert marked == ["таборі", "Табори", "табором"]
        assert reader.title_snippet.spans  # «табір» in the title too
        await until(pilot, lambda: body.current == 0, "the first match")
        # (the line under the title says so once the reader has the body's message)
        await until(pilot, lambda: "match 1 of 3" in str(reader.query_one("#reader-where", Static).content),
                    "the line saying it is the first")
        assert body.scroll_y == 0
        await pilot.press("n")
        assert body.current == 1
        await pilot.press("n")  # the last match is far down: the reader scrolls to it
        assert body.current == 2
        await pilot.pause()
        line = body.line_of(body.spans[2].start)
        assert body.scroll_y <= line < body.scroll_y + body.size.height
        assert body.scroll_y > 0
        assert "match 3 of 3" in str(reader.query_one("#reader-where", Static).content)
        await pilot.press("n")  # and around to the first again
        assert body.current == 0
        await pilot.press("N")
        assert body.current == 2
        await pilot.press("N")
        assert body.current == 1



async def test_the_reader_of_a_very_long_article_says_its_matches_are_counted_in_the_first_words(
        tmp_path: Path) -> None:
    long = {"id": "long", "title": "Літо", "text": "Табори відкрилися. " + "Діти грали біля річки. " * 5000}
    e = imported(tmp_path, [*ARTICLES, long])
    app = make_app(e, "табір")
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await open_hit(pilot, app, "табір", "long")
        where = reader.query_one("#reader-where", Static)
        await until(pilot, lambda: "match 1 of 1" in str(where.content), "the first match")
        assert "match 1 of 1 in the first 20,000 words (the article is longer)" in str(where.content)
    e.close()

async def test_the_reader_draws_matches_and_the_current_one_in_their_own_styles(eng: Engine) -> None:
    app = make_app(eng, "табір")
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await open_hit(pilot, app, "табір", "t1")
        body = reader.query_one(ArticleBody)
        await until(pilot, lambda: body.current == 0, "the first match")
        strip = body.render_line(0)
        styles = {seg.text: seg.style for seg in strip if seg.text.strip()}
        current = body.get_component_rich_style("article-body--current")
        match = body.get_component_rich_style("article-body--match")
        assert styles["таборі"].bgcolor == current.bgcolor
        assert styles["Табори"].bgcolor == match.bgcolor
        assert current.bgcolor != match.bgcolor


async def test_escape_goes_back_to_the_results_where_they_were(eng: Engine) -> None:
    app = make_app(eng, "табір")
    async with app.run_test() as pilot:
        s = await searched(pilot, app, "табір")
        await pilot.press("down", "j", "enter")
        await in_reader(pilot, app)
        await pilot.press("escape")
        assert app.screen is s
        assert s.query_one(ResultList).highlighted == 1
        assert app.focused is s.query_one(ResultList)


async def test_s_toggles_the_sort_between_relevance_and_date(eng: Engine) -> None:
    app = make_app(eng, "табір")
    async with app.run_test() as pilot:
        s = await searched(pilot, app, "табір")
        await pilot.press("down", "s")
        await until(pilot, lambda: s.request.sort == "date" and "sorted by date" in status(app), "date order")
        await until(pilot, lambda: [h.id for h in s.hits] == ["t2", "t1", "t3"], "newest first")
        await pilot.press("s")
        await until(pilot, lambda: "sorted by relevance" in status(app), "relevance again")


async def test_f_sets_a_date_range_and_a_source(eng: Engine) -> None:
    app = make_app(eng, "табір")
    async with app.run_test(size=(100, 40)) as pilot:
        s = await searched(pilot, app, "табір")
        await pilot.press("down", "f")
        await until(pilot, lambda: isinstance(app.screen, FiltersScreen), "the filters")
        await type_query(pilot, "2016-01-01")
        await pilot.press("tab")
        app.screen.query_one("#until", Input).value = "2016-12-31"  # typed like the one above
        await pilot.press("enter")
        await until(pilot, lambda: {h.id for h in s.hits} == {"t1", "t3"}, "2016 only")
        assert "2016-01-01 – 2016-12-31" in status(app)
        assert s.query_one(Timeline).months == [("2016-01", 1), ("2016-06", 1)]

        await pilot.press("f")
        await until(pilot, lambda: isinstance(app.screen, FiltersScreen), "the filters")
        dialog = app.screen
        assert dialog.query_one("#since").value == "2016-01-01"
        dialog.query_one("#source", Select).value = "Вісті"
        await pilot.click("#apply")
        await until(pilot, lambda: [h.id for h in s.hits] == ["t3"], "one source")
        assert "Вісті" in status(app)

        await pilot.press("f")
        await until(pilot, lambda: isinstance(app.screen, FiltersScreen), "the filters")
        await pilot.click("#clear")
        await until(pilot, lambda: len(s.hits) == 3, "no filters")
        assert "filters" not in status(app)


async def test_the_filters_fit_a_small_terminal_and_show_what_is_wrong(eng: Engine) -> None:
    app = make_app(eng, "табір")
    async with app.run_test(size=(40, 12)) as pilot:
        await searched(pilot, app, "табір")
        await pilot.press("down", "f")
        await until(pilot, lambda: isinstance(app.screen, FiltersScreen), "the filters")
        form = app.screen.children[0]
        await pilot.pause()
        assert app.screen.region.contains_region(form.region)  # (64 columns and 28 rows, cut)
        app.screen.query_one("#since", Input).value = "2017"
        app.screen.query_one("#until", Input).value = "2016"
        await pilot.press("enter")
        error = app.screen.query_one("#filters-error", Static)
        await until(pilot, lambda: str(error.content) and form.region.contains_region(error.region),
                    "the error in sight")
        await pilot.press("tab", "tab", "tab")  # (until, source, Apply)
        apply = app.screen.query_one("#apply")
        await until(pilot, lambda: app.focused is apply and form.region.contains_region(apply.region), "Apply")


async def test_a_bad_date_in_the_filters_is_explained_and_nothing_changes(eng: Engine) -> None:
    app = make_app(eng, "табір")
    async with app.run_test(size=(100, 40)) as pilot:
        s = await searched(pilot, app, "табір")
        await pilot.press("down", "f")
        await until(pilot, lambda: isinstance(app.screen, FiltersScreen), "the filters")
        await type_query(pilot, "колись")
        await pilot.press("enter")
        assert isinstance(app.screen, FiltersScreen)
        assert "YYYY-MM-DD" in str(app.screen.query_one("#filters-error", Static).content)
        await pilot.press("escape")
        assert app.screen is s and not s.request.filters


async def test_question_mark_shows_every_key_and_escape_closes_it(eng: Engine) -> None:
    app = make_app(eng, "табір")
    async with app.run_test(size=(100, 40)) as pilot:
        await searched(pilot, app, "табір")
        await pilot.press("down", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        keys = plain_with_styles(app.screen.query_one("#help-keys", Static).content)
        text = " ".join(t for t, _ in keys)
        for needle in ("n, N", "next, previous match", "sort by relevance or by date", "filters", "quit"):
            assert needle in text
        await pilot.press("escape")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press("f1")  # F1 works from the query box too, where ? is typed
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "ctrl+f")
        await until(pilot, lambda: isinstance(app.screen, FiltersScreen), "the filters")
        await pilot.press("f1")  # ...and over the filters, back to them with Esc
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help over the filters")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, FiltersScreen), "the filters again")


async def test_the_help_scrolls_to_its_last_key_where_the_terminal_is_too_short_for_all(eng: Engine) -> None:
    app = make_app(eng, "табір")
    async with app.run_test(size=(80, 24)) as pilot:
        await searched(pilot, app, "табір")
        await pilot.press("down", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        box = app.screen.query_one(VerticalScroll)
        assert "Esc, q or ? closes this" in str(box.border_subtitle)  # (in the border: always seen)
        await until(pilot, lambda: box.max_scroll_y > 0, "laid out")
        await pilot.press("end")
        await until(pilot, lambda: box.scroll_y == box.max_scroll_y, "scrolled to the last key")
        await pilot.press("k")
        await until(pilot, lambda: box.scroll_y < box.max_scroll_y, "k scrolls up")
    async with make_app(eng).run_test(size=(40, 12)) as pilot:
        await pilot.press("f1")
        keys = plain_with_styles(pilot.app.screen.query_one("#help-keys", Static).content, width=32)
        assert "…" not in "".join(t for t, _ in keys)  # (the descriptions wrap, uncut)


async def test_no_hits_says_so_and_suggests_what_to_try(eng: Engine) -> None:
    app = make_app(eng, "зебра")
    async with app.run_test() as pilot:
        await searched(pilot, app, "зебра")
        assert "No matches for 'зебра'" in message(app)
        assert "no matches" in status(app)
        assert not screen(app).query_one(ResultList).display


async def test_the_tui_says_no_matches_in_the_words_the_command_line_says_them(eng: Engine) -> None:
    r = CliRunner().invoke(cli_main, ["--home", str(eng.home), "search", "зебра жирафа"])
    assert r.exit_code == 1
    app = make_app(eng)
    async with app.run_test() as pilot:
        await burst(pilot, "зебра жирафа")  # (typed as one terminal read sends it)
        await searched(pilot, app, "зебра жирафа")
        await until(pilot, lambda: "No matches" in message(app), "the message")
        assert message(app).splitlines()[0] == r.stdout.splitlines()[0] == "No matches for 'зебра жирафа'."


async def test_no_hits_of_plain_words_says_no_article_has_any_of_them(eng: Engine) -> None:
    app = make_app(eng, "зебра жирафа")
    async with app.run_test() as pilot:
        await searched(pilot, app, "зебра жирафа")
        assert "No article has any of the words" in message(app)


@pytest.mark.parametrize("query", ['"табори село"', "title:англійську", "міст -ремонт", "+міст +зебра"])
async def test_no_hits_of_a_phrase_a_field_or_a_minus_does_not_say_the_words_are_in_no_article(
        eng: Engine, query: str) -> None:
    # (every word is in some article: only the phrase, the field, the minus or the + leave none)
    app = make_app(eng, query)
    async with app.run_test() as pilot:
        await searched(pilot, app, query)
        await until(pilot, lambda: "No matches for" in message(app), "the message")
        assert "No article has any of the words" not in message(app)
        assert "as written" in message(app)


async def test_no_hits_in_a_date_range_blames_the_dates_not_the_words(eng: Engine) -> None:
    query = "табір у 2016 році у 2017 році"  # (narrowing each other down to no day)
    app = make_app(eng, query)
    async with app.run_test() as pilot:
        await searched(pilot, app, query)
        await until(pilot, lambda: "No matches for" in message(app), "the message")
        text = message(app)
        assert "No article has any of the words" not in text and "no day is in the date range" in text
        assert "No article of those dates has the words" in text


async def test_no_hits_within_the_filters_dates_says_the_dates_once_in_the_message(eng: Engine) -> None:
    app = make_app(eng, "міст")  # (of 2018: none since 2019)
    async with app.run_test(size=(100, 30)) as pilot:
        s = await searched(pilot, app, "міст")
        await pilot.press("down", "f")
        await until(pilot, lambda: isinstance(app.screen, FiltersScreen), "the filters")
        await pilot.press(*"2019", "enter")
        await until(pilot, lambda: s.request.filters.since is not None and "No matches for" in message(app),
                    "no matches")
        text = message(app)
        assert "Only articles matching the filters (2019-01-01 – …) were searched" in text
        assert text.count("2019-01-01") == 1 and "Dates:" not in text


async def test_no_hits_for_a_long_query_leave_why_and_what_to_try_on_a_small_terminal(eng: Engine) -> None:
    query = " ".join(["ксилофонозавр-бульбашковий квазіпротомегаструктура"] * 25)  # (50 words, 1,274 characters)
    app = make_app(eng, query)
    async with app.run_test(size=(60, 20)) as pilot:
        await searched(pilot, app, query)
        await until(pilot, lambda: "No matches for" in message(app), "the message")
        await pilot.pause()
        assert "No article has any of the words" in " ".join(drawn(app).split())
        first = message(app).splitlines()[0]  # (the query's start: the box above holds all of it)
        assert first.startswith("No matches for 'ксилофонозавр-бульбашковий")
        assert first.endswith("'… (1,274 characters).") and len(first) < 130


async def test_a_query_that_cannot_run_shows_the_reason_instead_of_crashing(eng: Engine) -> None:
    app = make_app(eng, "л*")
    async with app.run_test() as pilot:
        s = screen(app)
        await until(pilot, lambda: "Cannot search" in status(app), "the error")
        assert message(app).startswith("Prefix 'л' is too short")  # (a sentence, as the filters say errors)
        await pilot.press("backspace", "backspace", *"табір")  # and searching goes on
        await searched(pilot, app, "табір")
        assert len(s.hits) == 3 and app.is_running


async def test_a_query_of_marks_alone_says_what_to_type(eng: Engine) -> None:
    app = make_app(eng, "!!!")
    async with app.run_test() as pilot:
        await until(pilot, lambda: "Cannot search" in status(app), "the error")
        assert "Nothing searchable in the query" in message(app)
        assert "\n\nType a word, a number or a quoted phrase" in message(app)  # (a sentence of its own)


async def test_an_empty_index_says_how_to_import(tmp_path: Path) -> None:
    e = Engine.init(tmp_path / "empty")
    # (the CLI names the home it was given: ``searchkit --home empty import FILE…``)
    app = SearchApp(e, query="табір", debounce=0.02, import_command="searchkit --home empty import FILE…")
    async with app.run_test() as pilot:
        await until(pilot, lambda: "This home holds no articles yet: searchkit --home empty import FILE… adds some."
                    in status(app), "the empty home")
        assert "searchkit --home empty import FILE…" in message(app) and ".json, .jsonl" in message(app)
        await type_query(pilot, "и")
        await pilot.pause(0.1)
        assert app.is_running
    e.close()


async def test_the_timeline_counts_matches_per_month_over_all_hits(eng: Engine) -> None:
    app = make_app(eng, "табір")
    async with app.run_test(size=(100, 30)) as pilot:
        s = await searched(pilot, app, "табір")
        timeline = s.query_one(Timeline)
        await until(pilot, lambda: timeline.months, "the timeline")  # a busy machine may lag
        assert timeline.display
        assert timeline.months == [("2016-01", 1), ("2016-06", 1), ("2017-07", 1)] == eng.timeline("табір")
        # drawn once laid out: on a loaded machine the first render may come before its width
        await until(pilot, lambda: "2016-01" in str(timeline.render()), "the timeline drawn")
        drawn = str(timeline.render())
        assert "2016-01" in drawn and "2017-07" in drawn
        assert "most" not in drawn  # (one match a month: no month is the busiest)


async def test_a_short_terminal_keeps_rows_for_the_hits_and_the_timeline_and_counts_give_way(
        eng: Engine) -> None:
    app = make_app(eng, "табір")
    async with app.run_test(size=(40, 12)) as pilot:
        s = await searched(pilot, app, "табір")
        await until(pilot, lambda: s.query_one(Timeline).months, "the timeline counted")
        await pilot.pause(0.1)
        listing = s.query_one(ResultList)
        assert listing.display and listing.size.height >= 3  # (all 12 rows went to the rest)
        assert not s.query_one(Timeline).display and not s.query_one("#facets").display
        await pilot.resize_terminal(100, 30)
        await until(pilot, lambda: s.query_one(Timeline).display, "the timeline on a taller screen")
        facets = s.query_one("#facets")
        await until(pilot, lambda: facets.display and facets.size.height == 3,
                    "one row each: what they count, source, year")
        assert listing.size.height >= tui_search.RESULT_ROWS
        # a screen with rows for one of the two: the timeline gives way first
        taken = sum(s.query_one(part).outer_size.height for part in ("#query", "#status", Footer))
        await pilot.resize_terminal(100, taken + tui_search.RESULT_ROWS + 3)
        await until(pilot, lambda: facets.display and not s.query_one(Timeline).display,
                    "the counts kept, the timeline gone")
        assert listing.outer_size.height >= tui_search.RESULT_ROWS


async def test_clearing_the_query_brings_back_the_welcome(eng: Engine) -> None:
    app = make_app(eng, "табір")
    async with app.run_test() as pilot:
        s = await searched(pilot, app, "табір")
        await pilot.press("escape")  # Esc in the query box clears it
        await until(pilot, lambda: s.results is None and "Type to search" in message(app), "the welcome")
        assert not s.query_one(Timeline).display


async def test_the_welcome_names_the_fields_in_ukrainian_too_each_read_as_its_english_field(eng: Engine) -> None:
    app = make_app(eng)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "Type to search" in message(app), "the welcome")
        shown = message(app)
        examples = re.findall(r"(\w+):слово", shown)
        assert set(UKRAINIAN_FIELDS) | {"title"} <= set(examples)
        for name in examples:  # each as the query language reads it: the field it names
            english = UKRAINIAN_FIELDS.get(name, name)
            assert [h.id for h in eng.search(f"{name}:табір")] == [h.id for h in eng.search(f"{english}:табір")]
        fields_line = next(line for line in shown.splitlines() if "заголовок:" in line)
        width = screen(app).query_one("#message", Static).content_region.width
        assert len(fields_line) <= width  # one line on an 80-column terminal


async def test_searches_run_off_the_ui_thread_and_only_the_latest_is_shown(eng: Engine) -> None:
    threads: list[threading.Thread] = []
    real_search = eng.search

    def spy(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        return real_search(*args, **kwargs)  # type: ignore[arg-type]

    eng.search = spy  # type: ignore[method-assign]
    app = make_app(eng)
    async with app.run_test() as pilot:
        await until(pilot, lambda: screen(app).count is not None, "the index")
        await type_query(pilot, "міст")
        await pilot.press("backspace", "backspace", "backspace", "backspace", *"табір")
        s = await searched(pilot, app, "табір")
        await pilot.pause(0.2)
        assert s.results is not None and s.results.query == "табір" and len(s.hits) == 3
        assert threads and threading.main_thread() not in threads


async def test_more_hits_load_as_the_cursor_nears_the_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tui_search, "PAGE", 4)  # the search screen asks for PAGE hits at a time
    e = Engine.init(tmp_path / "many")
    e.import_paths([write_jsonl(tmp_path / "many.jsonl", [
        {"id": f"m{i:02d}", "title": f"Табір номер {i}", "text": f"У таборі {i} відпочивають діти."}
        for i in range(11)
    ])])
    app = make_app(e, "табір")
    async with app.run_test() as pilot:
        s = await searched(pilot, app, "табір")
        assert s.results is not None and s.results.total == 11
        await pilot.press("down")
        for _ in range(10):
            await pilot.press("j")
            await pilot.pause(0.05)
        await until(pilot, lambda: len(s.hits) == 11, "every hit")
        assert len({h.id for h in s.hits}) == 11
        assert "11 matches" in status(app) and "shown" not in status(app)
    e.close()


async def test_q_quits_from_the_results_and_the_reader(eng: Engine) -> None:
    app = make_app(eng, "табір")
    async with app.run_test() as pilot:
        await searched(pilot, app, "табір")
        await pilot.press("down", "enter")
        await in_reader(pilot, app)
        await pilot.press("q")
        await until(pilot, lambda: not app.is_running, "the app to quit")


@pytest.mark.parametrize("keys", [(), ("down",), ("down", "enter"), ("down", "f"), ("slash",)])
async def test_ctrl_c_quits_from_the_query_box_the_results_the_reader_and_a_dialog(
        eng: Engine, keys: tuple[str, ...]) -> None:
    # (it showed Textual's "Press q to quit the app"; in the query box, which selects its
    # text when it takes the focus, it copied the query and nothing was seen to happen)
    app = make_app(eng, "табір")
    async with app.run_test() as pilot:
        await searched(pilot, app, "табір")
        await pilot.press(*keys)
        await until(pilot, lambda: (app.screen is not screen(app)) == ("enter" in keys or "f" in keys), "the screen")
        await pilot.press("ctrl+c")
        await until(pilot, lambda: not app.is_running, "the app to quit")
        assert app.return_code == 0 and not app.notes()


async def test_ctrl_c_copies_text_selected_with_the_mouse_and_quits_when_pressed_again(eng: Engine) -> None:
    app = make_app(eng, "табір")
    async with app.run_test() as pilot:
        await searched(pilot, app, "табір")
        await pilot.press("down", "enter")
        reader = await in_reader(pilot, app)
        title = reader.query_one("#reader-title", Static)
        app.screen.selections = {title: Selection(None, None)}  # (as a drag over the title selects it)
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert app.is_running and app.clipboard == app.screen.article.title
        assert "Ctrl+C again quits." in app.notes()
        await pilot.press("ctrl+c")
        await until(pilot, lambda: not app.is_running, "the app to quit")


async def test_q_in_the_query_box_is_a_letter(eng: Engine) -> None:
    app = make_app(eng)
    async with app.run_test() as pilot:
        await until(pilot, lambda: screen(app).count is not None, "the index")
        await pilot.press("q")
        assert app.is_running and screen(app).query_one("#query").value == "q"



async def test_a_corrected_query_is_said_and_its_matches_are_marked_in_the_reader(eng: Engine) -> None:
    app = make_app(eng, "таборр")  # a typo no article has
    async with app.run_test() as pilot:
        s = await searched(pilot, app, "таборр")
        assert s.results is not None and s.results.corrected_query and s.hits
        assert "Showing results for" in status(app)
        await pilot.press("down", "enter")
        reader = await in_reader(pilot, app)
        assert reader.query_one(ArticleBody).spans


async def test_the_reader_marks_the_word_the_filtered_search_corrected_to(tmp_path: Path) -> None:
    # «кабун» is one slip from «кавун» (at the market) and from «кабан» (in the woods):
    # narrowed to the market, the search reads it as «кавун», and so do the reader's marks
    e = imported(tmp_path, [
        {"id": "k1", "title": "Кавун на базарі", "source": "Базар", "text": "Продавці привезли стиглий кавун."},
        {"id": "k2", "title": "Кабан у лісі", "source": "Ліс", "text": "Лісники бачили великого кабана."},
    ])
    app = make_app(e, "кабун")
    async with app.run_test(size=(100, 40)) as pilot:
        s = await searched(pilot, app, "кабун")
        await pilot.press("down", "f")
        await until(pilot, lambda: isinstance(app.screen, FiltersScreen), "the filters")
        app.screen.query_one("#source", Select).value = "Базар"
        await pilot.click("#apply")
        await until(pilot, lambda: [h.id for h in s.hits] == ["k1"], "the market only")
        assert s.results is not None and s.results.corrected_query == "кавун"
        await pilot.press("enter")
        reader = await in_reader(pilot, app)
        body = reader.query_one(ArticleBody)
        text = e.get("k1").text
        assert [text[m.start:m.end] for m in body.spans] == ["кавун"]
    e.close()


async def test_the_tui_and_the_cli_say_did_you_mean_in_the_same_words(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # (the TUI said "Did you mean політв'язні?", the CLI "Did you mean: політв'язні?")
    monkeypatch.setattr(understand, "SUGGEST_RATIO", 2)  # two articles with the right word will do
    e = imported(tmp_path, [
        {"id": "p1", "title": "Обмін", "text": "Додому повернулися політв'язні з Криму."},
        {"id": "p2", "title": "Суд", "text": "Адвокати кажуть, що політв'язні чекають на вирок."},
        {"id": "p3", "title": "Лист", "text": "У листі політвязні просять про допомогу."},
    ])
    e.close()
    printed = CliRunner().invoke(cli_main, ["--home", str(tmp_path / "home"), "search", "політвязні"]).output
    said = "Did you mean: політв'язні?"
    assert said in printed
    app = make_app(Engine(tmp_path / "home"), "політвязні")
    async with app.run_test() as pilot:
        s = await searched(pilot, app, "політвязні")
        assert s.results is not None and s.results.total and s.results.suggestion == "політв'язні"
        assert said in status(app)
    app.engine.close()


async def test_the_first_use_builds_the_index_and_then_searches(tmp_path: Path) -> None:
    e = Engine.init(tmp_path / "fresh")
    e.import_paths([write_jsonl(tmp_path / "feed.jsonl", ARTICLES)], index=False)
    app = make_app(e, "табір")
    async with app.run_test() as pilot:
        s = await searched(pilot, app, "табір")
        assert len(s.hits) == 3 and s.count == 4
    e.close()


async def test_hits_show_before_the_timeline_is_counted(eng: Engine, monkeypatch: pytest.MonkeyPatch):
    gate = threading.Event()
    search = eng.search

    def slow_months(*args: object, **kwargs: object) -> object:
        if kwargs.get("months"):  # the search that counts the months is slow
            gate.wait(10)
        return search(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(eng, "search", slow_months)
    app = make_app(eng, "табір")
    async with app.run_test() as pilot:
        await until(pilot, lambda: screen(app).hits, "the hits")
        assert not screen(app).query_one(Timeline).display  # its months are still being counted
        gate.set()
        await until(pilot, lambda: screen(app).query_one(Timeline).display, "the timeline")


async def test_the_hits_with_all_the_words_come_first_and_the_boundary_is_shown(eng: Engine) -> None:
    app = make_app(eng)
    async with app.run_test() as pilot:
        await until(pilot, lambda: screen(app).count is not None, "the index")
        await type_query(pilot, "мовні табори взимку")
        s = await searched(pilot, app, "мовні табори взимку")
        assert s.results is not None and s.results.matched_all == 0 and s.results.partial == 3
        assert s.hits[0].id == "t2"  # two of the three words
        await pilot.press(*["backspace"] * len("взимку"), *"англійська")
        s = await searched(pilot, app, "мовні табори англійська")
        assert s.results is not None and s.results.matched_all == 1 and s.hits[0].id == "t2"
        assert "1 with all the words, 2 with some" in status(app)
        view = s.query_one(ResultList).get_option_at_index(1).prompt
        assert any("with some of the words" in text for text, _ in plain_with_styles(view))


async def test_the_status_line_gives_the_time_beside_the_count_not_after_the_split(eng: Engine) -> None:
    app = make_app(eng, "мовні табори англійська")
    async with app.run_test() as pilot:
        s = await searched(pilot, app, "мовні табори англійська")
        assert s.results is not None
        said = f"3 matches in {s.results.elapsed_ms:.0f} ms: 1 with all the words, 2 with some · sorted by relevance"
        assert status(app).startswith(said)  # (it read "…, 2 with some in 12 ms")


async def test_a_pasted_escape_sequence_or_control_character_never_reaches_the_query_box(eng: Engine) -> None:
    from textual import events

    app = make_app(eng)
    async with app.run_test() as pilot:
        await until(pilot, lambda: screen(app).count is not None, "the index")
        box = screen(app).query_one("#query", Input)
        box.post_message(events.Paste("табір\x1b]0;pwned\x07\x1b[2J\tбіля\x00річки"))
        s = await searched(pilot, app, "табір біля річки")
        assert box.value == "табір біля річки"
        assert s.hits and s.hits[0].id == "t1"
        box.value = "міст\x1b[31m\x9b1m"  # set from code too
        assert box.value == "міст"
        assert not any(ord(c) < 32 or 0x7f <= ord(c) <= 0x9f for c in box.value)


async def test_the_status_says_when_the_results_were_cut_short(eng: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    from searchkit.query import limits

    monkeypatch.setattr(limits, "MAX_QUERY_POSTINGS", 1)  # a prefix searches its first word only
    app = make_app(eng)
    async with app.run_test() as pilot:
        await until(pilot, lambda: screen(app).count is not None, "the index")
        await type_query(pilot, "таб*")
        await searched(pilot, app, "таб*")
        assert "cut short: narrow the query" in status(app)
        assert "Cut short: таб* stands for" in status(app)


async def test_a_query_without_matches_shows_no_counts_of_nothing(eng: Engine) -> None:
    # ("source: —" and "year: —" under the line saying what the counts cover, over "No matches")
    app = make_app(eng, "табір")
    async with app.run_test(size=(120, 40)) as pilot:
        s = await searched(pilot, app, "табір")
        await until(pilot, lambda: s.query_one("#facets").display, "the counts of табір")
        await pilot.press("escape", *"ґудзикарня")
        await searched(pilot, app, "ґудзикарня")
        await until(pilot, lambda: s._months_for is not None and s._months_for[0] == "ґудзикарня", "its counts")
        assert "No matches" in message(app) and not s.query_one("#facets").display


async def test_on_a_wide_terminal_the_reader_keeps_its_lines_to_a_readable_width(tmp_path: Path) -> None:
    # at 250 columns a line of the article ran 240 characters, from one edge to the other
    from searchkit.tui.reader import MEASURE

    e = imported(tmp_path, [{"id": "w", "title": "Табір", "text": "Табір біля річки. " * 40}])
    app = make_app(e, "табір")
    async with app.run_test(size=(250, 40)) as pilot:
        reader = await open_hit(pilot, app, "табір", "w")
        body = reader.query_one(ArticleBody)
        await until(pilot, lambda: body.size.width > 200, "the body laid out")
        lines = [body.render_line(y).text.rstrip() for y in range(body.size.height)]
        assert MEASURE - 20 < max(len(line) for line in lines) <= MEASURE
        assert " ".join(lines).split() == ("Табір біля річки. " * 40).split()  # (all of it, in order)
    e.close()


def bottom_row(app: SearchApp) -> str:
    """The last row of the terminal, as drawn."""
    return drawn(app).splitlines()[-1]


@pytest.mark.parametrize("keys", [("down", "f"), ("ctrl+s",), ("down", "question_mark"), ("down", "enter", "m")])
async def test_under_a_dialog_the_footer_offers_no_key_of_the_screen_behind_it(
        eng: Engine, keys: tuple[str, ...]) -> None:
    # the footer of the results (or the reader) stayed under a dialog: "q Quit" over the
    # filters, where q is a letter of the date, or over the list, where q closes it
    app = make_app(eng, "табір")
    async with app.run_test(size=(100, 30)) as pilot:
        await searched(pilot, app, "табір")
        await until(pilot, lambda: "Quit" in bottom_row(app), "the footer")  # (drawn once its keys are in)
        await pilot.press(*keys)
        await until(pilot, lambda: app.screen.is_modal, "the dialog")
        await until(pilot, lambda: not any(key in bottom_row(app) for key in ("Quit", "Sort", "Previous")),
                    "no key of the screen behind")
        await pilot.press("escape")
        await until(pilot, lambda: not app.screen.is_modal, "the dialog closed")
        await until(pilot, lambda: "Quit" in bottom_row(app), "the footer back")


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_on_a_small_terminal_every_footer_still_shows_quit_and_keys(eng: Engine, size: tuple[int, int]) -> None:
    # at 80 columns the reader's footer ended "m Similar article", at 60 the results' lost
    # "? Keys" and "q Quit" too: the command palette's key and the room between keys took them
    app = make_app(eng, "табір")
    async with app.run_test(size=size) as pilot:
        await searched(pilot, app, "табір")
        await until(pilot, lambda: "^c Quit" in bottom_row(app) and "f1 Keys" in bottom_row(app), "the query's footer")
        await pilot.press("down")
        await until(pilot, lambda: "q Quit" in bottom_row(app) and "? Keys" in bottom_row(app), "the results' footer")
        assert "f Filters" in bottom_row(app)
        await pilot.press("enter")
        await in_reader(pilot, app)
        await until(pilot, lambda: "q Quit" in bottom_row(app) and "? Keys" in bottom_row(app), "the reader's footer")
        assert "m Similar" in bottom_row(app) and "esc Back" in bottom_row(app)


async def test_n_past_the_last_match_says_it_went_back_to_the_first(eng: Engine) -> None:
    # n at the last match jumped to the top of the article with nothing said but "match 1 of 3"
    app = make_app(eng, "табір")
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await open_hit(pilot, app, "табір", "t1")
        where = reader.query_one("#reader-where", Static)
        await until(pilot, lambda: "match 1 of 3" in str(where.content), "the first match")
        await pilot.press("n", "n")
        assert str(where.content).startswith("match 3 of 3 ·")
        await pilot.press("n")
        assert "match 1 of 3 (past the last: back to the first)" in str(where.content)
        await pilot.press("n")
        assert str(where.content).startswith("match 2 of 3 ·")
        await pilot.press("N", "N")
        assert "match 3 of 3 (before the first: back to the last)" in str(where.content)


async def test_on_a_short_terminal_a_long_status_line_leaves_rows_for_a_hit(eng: Engine) -> None:
    # at 40x12 the status of a corrected query (the count, the time, the sort, then what it
    # was searched as) took five rows, and the hits one: the first line of a title
    app = make_app(eng, "табирь -ремонт")
    async with app.run_test(size=(40, 12)) as pilot:
        s = await searched(pilot, app, "табирь -ремонт")
        await pilot.pause(0.2)
        status_box, listing = s.query_one("#status", Static), s.query_one(ResultList)
        assert s.results is not None and s.results.corrected_query and s.results.total
        assert listing.display and listing.size.height >= 4  # (a hit: its title, date and snippet)
        assert status_box.size.height >= 2 and "matches" in status(app)
        assert "Showing results for" not in drawn(app)  # (cut: the status' first rows)
        await pilot.resize_terminal(100, 30)  # with rows to spare it says all of it again
        await until(pilot, lambda: "Showing results for табір" in drawn(app), "the whole status")


def drawn(app: SearchApp) -> str:
    """The terminal's rows, as drawn."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())
