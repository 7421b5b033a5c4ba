"""The terminal UI in fast hands: keys typed in one burst act in order, a newer query
overtakes an older one, and the screen says what it is doing."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input

from searchkit import Engine
from searchkit.tui import FiltersScreen, ReaderScreen, SearchApp
from searchkit.tui.app import KeyParser, ResultList

from .test_tui import eng, make_app, message, plain_with_styles, status  # noqa: F401
from .tuipilot import burst, in_reader, screen, searched, terminal_keys, until

pytestmark = pytest.mark.asyncio


async def test_sorted_by_date_the_hits_show_no_score(eng: Engine) -> None:  # noqa: F811
    app = make_app(eng, "табір")
    async with app.run_test() as pilot:
        s = await searched(pilot, app, "табір")
        listing = s.query_one(ResultList)
        assert "score" in "".join(t for t, _ in plain_with_styles(listing.get_option_at_index(0).prompt))
        await pilot.press("down", "s")
        await until(pilot, lambda: s.request.sort == "date" and "sorted by date" in status(app), "date order")
        await until(pilot, lambda: [h.id for h in s.hits] == ["t2", "t1", "t3"], "newest first")
        text = "".join(t for t, _ in plain_with_styles(listing.get_option_at_index(0).prompt))
        assert "score" not in text and "2147483648" not in text


async def test_a_terminal_reads_escape_q_at_once_as_alt_q() -> None:
    assert [e.key for e in terminal_keys("\x1bq")] == ["alt+q"]
    assert [e.key for e in terminal_keys("мова\x1b[B\r")] == ["м", "о", "в", "а", "down", "enter"]


async def test_escape_then_keys_then_an_arrow_in_one_read_are_esc_the_keys_and_the_arrow() -> None:
    # (Textual alone gives ^ for the Esc when the arrow's Esc cuts the would-be sequence short)
    assert [e.key for e in terminal_keys("\x1babc\x1b[B")] == ["escape", "a", "b", "c", "down"]
    assert [e.key for e in terminal_keys("a^b")] == ["a", "circumflex_accent", "b"]  # a typed ^ is a ^


async def test_the_app_reads_the_terminal_with_the_parser_that_keeps_esc(
        eng: Engine, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    module = sys.modules[SearchApp(eng).driver_class.__module__]
    if not hasattr(module, "XTermParser"):  # (Windows: the driver's input thread reads keys elsewhere)
        pytest.skip("the driver makes no parser of its own")
    monkeypatch.setattr(module, "XTermParser", KeyParser.__base__)  # Textual's, as before any app ran
    SearchApp(eng)
    assert module.XTermParser is KeyParser


async def test_escape_a_word_and_down_in_one_burst_search_the_word_alone(eng: Engine) -> None:  # noqa: F811
    app = make_app(eng, "xyz")
    async with app.run_test() as pilot:
        s = await searched(pilot, app, "xyz")
        await burst(pilot, "\x1bтабір\x1b[B")  # Esc clears xyz, табір is typed, Down moves into its results
        await until(pilot, lambda: app.focused is s.query_one(ResultList), "the results")
        assert s.query_one("#query", Input).value == "табір" and s.results is not None and s.results.total == 3


async def test_a_query_then_down_enter_in_one_burst_opens_the_first_hit(eng: Engine) -> None:  # noqa: F811
    app = make_app(eng)
    async with app.run_test() as pilot:
        await until(pilot, lambda: screen(app).count is not None, "the index")
        await burst(pilot, "міст\x1b[B\r")
        await in_reader(pilot, app)
        assert app.screen.article.id == "t4"


async def test_enter_typed_before_the_app_has_the_terminal_opens_the_hit(eng: Engine) -> None:  # noqa: F811
    # typed with the command, before the terminal is in raw mode, Enter reaches the app as
    # \n (Ctrl+J): the burst opened nothing
    app = make_app(eng)
    async with app.run_test() as pilot:
        await until(pilot, lambda: screen(app).count is not None, "the index")
        await burst(pilot, "міст\x1b[B\n")
        await in_reader(pilot, app)
        assert app.screen.article.id == "t4"


async def test_keys_typed_before_the_results_act_in_order(eng: Engine) -> None:  # noqa: F811
    app = make_app(eng)
    async with app.run_test() as pilot:
        await until(pilot, lambda: screen(app).count is not None, "the index")
        await burst(pilot, "табір\x1b[Bjj\r")  # Down, then two hits further, then open
        await in_reader(pilot, app)
        s = screen(app)
        assert s.query_one("#query", Input).value == "табір"  # no j typed into the query
        assert app.screen.article.id == s.hits[2].id


async def test_down_enter_in_one_burst_opens_the_hit_shown(eng: Engine) -> None:  # noqa: F811
    app = make_app(eng, "табір")
    async with app.run_test() as pilot:
        s = await searched(pilot, app, "табір")
        await burst(pilot, "\x1b[B\r")
        await in_reader(pilot, app)
        assert app.screen.article.id == s.hits[0].id


async def test_escape_q_in_one_burst_quits_from_the_reader(eng: Engine) -> None:  # noqa: F811
    app = make_app(eng, "табір")
    async with app.run_test() as pilot:
        await searched(pilot, app, "табір")
        await pilot.press("down", "enter")
        await in_reader(pilot, app)
        await burst(pilot, "\x1bq")
        await until(pilot, lambda: app.return_code is not None or not app.is_running, "quit")


async def test_escape_q_in_one_burst_from_the_results_acts_as_typed_slowly(eng: Engine) -> None:  # noqa: F811
    app = make_app(eng, "табір")
    async with app.run_test() as pilot:
        s = await searched(pilot, app, "табір")
        await pilot.press("down", "j")
        assert app.focused is s.query_one(ResultList)
        await burst(pilot, "\x1bq")  # Esc: back to the query box (its text selected), where q is a letter
        box = s.query_one("#query", Input)
        await until(pilot, lambda: app.focused is box and box.value == "q", "q typed in the query box")


@pytest.mark.parametrize(("data", "keys"), [
    ("\x1b2016", ["escape", "2", "0", "1", "6"]),  # (Textual alone: ™016)
    ("\x1b-т", ["escape", "minus", "т"]),  # (an en dash)
    ("\x1bfb", ["escape", "f", "b"]),  # (Ctrl+Right)
    ('\x1b"т', ["escape", "quotation_mark", "т"]),  # (the Esc lost)
    ("\x1b\x1b\x15", ["escape", "escape", "ctrl+u"]),
])
async def test_escape_then_a_key_that_is_no_letter_in_one_read_is_esc_then_that_key(
        data: str, keys: list[str]) -> None:
    assert [e.key for e in terminal_keys(data)] == keys


@pytest.mark.parametrize("typed", ["-мовні табори", '"мовні табори"', "2017 табори", "f табір"])
async def test_escape_and_a_new_query_in_one_burst_replace_the_query(eng: Engine, typed: str) -> None:  # noqa: F811
    app = make_app(eng)
    async with app.run_test() as pilot:
        await until(pilot, lambda: screen(app).count is not None, "the index")
        await pilot.press(*"міст")  # (typed: a query given with the command starts selected)
        s = await searched(pilot, app, "міст")
        await burst(pilot, "\x1b" + typed)
        await searched(pilot, app, typed)
        assert s.query_one("#query", Input).value == typed


async def test_escape_f_in_one_burst_from_the_reader_opens_the_filters(eng: Engine) -> None:  # noqa: F811
    app = make_app(eng, "табір")
    async with app.run_test() as pilot:
        await searched(pilot, app, "табір")
        await pilot.press("down", "enter")
        await in_reader(pilot, app)
        await burst(pilot, "\x1bf")
        await until(pilot, lambda: isinstance(app.screen, FiltersScreen), "the filters")


# -- 4. a newer query overtakes a slow older one; the screen says it is searching ---------------

SLOW = 4.0  # long enough that a loaded machine cannot blur "waited for it" and "did not"


@pytest.fixture
def slow_eng(eng: Engine, monkeypatch: pytest.MonkeyPatch) -> Engine:  # noqa: F811
    """``та*`` takes SLOW seconds on this engine (a prefix over a big index did take 6 s)."""
    search = eng.search

    def slow_search(query: str, **kwargs: object) -> object:
        if query.startswith("та*"):
            time.sleep(SLOW)
        return search(query, **kwargs)

    monkeypatch.setattr(eng, "search", slow_search)
    return eng


async def test_a_newer_query_overtakes_a_slow_older_one(slow_eng: Engine) -> None:
    app = make_app(slow_eng)
    async with app.run_test() as pilot:
        s = screen(app)
        await until(pilot, lambda: s.count is not None, "the index")
        await pilot.press(*"та*")
        await until(pilot, lambda: "Searching" in status(app) and "та*" in status(app), "the busy sign")
        t0 = time.monotonic()
        await pilot.press("backspace", "backspace", "backspace", *"міст")
        await searched(pilot, app, "міст")
        waited = time.monotonic() - t0
        assert waited < SLOW / 2, f"the newer query waited {waited:.1f} s for the older one"
        assert [h.id for h in s.hits] == ["t4"] and "1 match" in status(app)
        await pilot.pause(SLOW)  # the slow search ends: its results never replace the newer ones
        assert s.results is not None and s.results.query == "міст" and [h.id for h in s.hits] == ["t4"]
        assert "Searching" not in status(app)


async def test_the_status_time_is_the_time_the_user_waited(slow_eng: Engine) -> None:
    app = make_app(slow_eng)
    async with app.run_test() as pilot:
        s = screen(app)
        await until(pilot, lambda: s.count is not None, "the index")
        await pilot.press(*"та*")
        await until(pilot, lambda: s.results is not None and s.results.query == "та*", "the slow results",
                    timeout=SLOW * 5)
        assert s.results.elapsed_ms >= SLOW * 1000
        assert f"in {s.results.elapsed_ms:.0f} ms" in status(app)


# -- 6. the index is behind corpus/: the TUI says so -------------------------------------------


async def test_the_tui_says_when_stored_articles_are_not_searchable_yet(eng: Engine, tmp_path) -> None:  # noqa: F811
    from .conftest import write_jsonl

    eng.import_paths([write_jsonl(tmp_path / "more.jsonl", [
        {"id": "n1", "title": "Табір", "text": "Ще один табір."},
        {"id": "n2", "title": "Міст", "text": "Ще один міст."}])], index=False)
    app = make_app(eng)
    async with app.run_test(size=(120, 40)) as pilot:
        s = screen(app)
        await until(pilot, lambda: s.count is not None, "the index")
        await until(pilot, lambda: "2 of 6 stored articles are not searchable yet" in status(app), "the note")
        await pilot.press(*"табір")
        await searched(pilot, app, "табір")
        assert "not searchable yet" in status(app) and "searchkit index" in status(app)


async def test_the_tui_says_to_fix_a_damaged_file_that_indexing_leaves_behind(eng: Engine) -> None:  # noqa: F811
    path = eng.corpus.path_for("by-hand")
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(b'{"id": "by-hand", "te')  # put in corpus/ by hand, damaged
    assert eng.index().failed == 1
    said = ("1 of 5 stored articles is not searchable: its file in corpus/ cannot be read; fix or delete it "
            "(searchkit index names it).")
    app = make_app(eng)
    async with app.run_test(size=(120, 40)) as pilot:
        s = screen(app)
        await until(pilot, lambda: s.count is not None, "the index")
        await until(pilot, lambda: said in status(app), "the note")
        await pilot.press(*"табір")
        await searched(pilot, app, "табір")
        assert said in status(app) and "to index them" not in status(app)


# -- 12. the filters read dates as --since/--until do --------------------------------------------


async def test_the_filters_accept_a_year_and_a_phrase(eng: Engine) -> None:  # noqa: F811
    from textual.widgets import Static

    from searchkit.tui import FiltersScreen

    app = make_app(eng, "табір")
    async with app.run_test(size=(100, 40)) as pilot:
        s = await searched(pilot, app, "табір")
        await pilot.press("down", "f")
        await until(pilot, lambda: isinstance(app.screen, FiltersScreen), "the filters")
        app.screen.query_one("#since", Input).value = "2016"
        app.screen.query_one("#until", Input).value = "2016"
        await pilot.press("enter")
        await until(pilot, lambda: {h.id for h in s.hits} == {"t1", "t3"}, "2016 only")
        assert "2016-01-01 – 2016-12-31" in status(app)
        assert status(app).count("2016-01-01") == 1 and "Dates:" not in status(app)  # (said once, by the filter)
        await pilot.press("f")
        await until(pilot, lambda: isinstance(app.screen, FiltersScreen), "the filters")
        app.screen.query_one("#since", Input).value = "колись"
        await pilot.press("enter")
        error = str(app.screen.query_one("#filters-error", Static).content)
        assert "cannot read 'колись'" in error and "2016" in error and "вчора" in error
        app.screen.query_one("#since", Input).value = "з 2016 по 2017"  # (its end was dropped, unsaid)
        await pilot.press("enter")
        assert "'з 2016 по 2017' is a range" in str(app.screen.query_one("#filters-error", Static).content)
        app.screen.query_one("#since", Input).value = "2017"
        app.screen.query_one("#until", Input).value = "2016"
        await pilot.press("enter")  # (refused by the rule of --since/--until)
        error = str(app.screen.query_one("#filters-error", Static).content)
        assert error == ("Since and until: no day is in the range: it starts on 2017-01-01, after it ends on "
                         "2016-12-31\ngive a since on or before the until")
        app.screen.query_one("#since", Input).value = "вчора"
        app.screen.query_one("#until", Input).value = ""
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, FiltersScreen), "applied")
        assert s.request.filters.since is not None and s.request.filters.until is None


# -- the TUI shows what the CLI knows: facet counts beside the timeline ----------------------------


async def test_the_tui_counts_matches_per_source_and_year(eng: Engine) -> None:  # noqa: F811
    from textual.widgets import Static

    app = make_app(eng, "табір")
    async with app.run_test(size=(100, 30)) as pilot:
        s = await searched(pilot, app, "табір")
        box = s.query_one("#facets", Static)
        await until(pilot, lambda: "source:" in str(plain_with_styles(box.content)), "the facet counts")
        text = " ".join(t for t, _ in plain_with_styles(box.content))
        assert "Вісті 2" in text and "Громада 1" in text and "2016 2" in text and "2017 1" in text
        assert box.display


async def test_the_counts_say_they_cover_the_articles_with_every_word_as_the_cli_help_does(
        eng: Engine) -> None:  # noqa: F811
    from click.testing import CliRunner
    from textual.widgets import Static

    from searchkit.cli import main
    from searchkit.models import FACETS_COVER

    app = make_app(eng, "мовні табори")  # 3 hits: 1 with both words, counted; 2 with some, not
    async with app.run_test(size=(120, 30)) as pilot:
        s = await searched(pilot, app, "мовні табори")
        box = s.query_one("#facets", Static)
        await until(pilot, lambda: "source:" in str(plain_with_styles(box.content, width=120)), "the counts")
        text = " ".join(t for t, _ in plain_with_styles(box.content, width=120))
        assert "3 matches" in status(app) and "source: Вісті 1" in text and "year: 2017 1" in text
        assert f"Counts of {FACETS_COVER}:" in text
    for command in (["search", "--help"], ["saved", "run", "--help"]):
        said = " ".join(CliRunner().invoke(main, command, terminal_width=200).output.split())
        assert FACETS_COVER in said, command


def dups_home(tmp_path: Path, retitled: dict[str, str] | None = None) -> Engine:
    """A home of the story, its republished copy and two other articles (test_duplicates),
    with the titles in ``retitled`` changed."""
    from .conftest import write_jsonl
    from .test_duplicates import ARTICLES as DUPS

    records = [dict(a, title=(retitled or {}).get(a["id"], a["title"])) for a in DUPS]
    e = Engine.init(tmp_path / "dups")
    e.import_paths(write_jsonl(tmp_path / "d.jsonl", records))
    return e


async def test_d_lists_the_near_duplicates_of_a_hit_and_opens_one(tmp_path) -> None:
    from searchkit.tui.group import GroupScreen

    e = dups_home(tmp_path)
    app = make_app(e, "мости Харківщині")
    async with app.run_test(size=(110, 40)) as pilot:
        s = await searched(pilot, app, "мости Харківщині")
        first = s.hits[0]
        assert first.duplicates  # "+N similar" on screen
        await pilot.press("down", "d")
        await until(pilot, lambda: isinstance(app.screen, GroupScreen), "the group")
        group = app.screen
        assert {a.id for a in group.articles} == {first.id, *first.duplicates}
        await pilot.press("enter")  # the oldest first: the copy published a day earlier
        await in_reader(pilot, app)
        assert app.screen.article.id == group.articles[0].id == "copy"
    e.close()


async def test_d_enter_in_one_burst_opens_the_first_copy_of_the_group(tmp_path) -> None:
    e = dups_home(tmp_path)
    app = make_app(e, "мости Харківщині")
    async with app.run_test(size=(110, 40)) as pilot:
        await searched(pilot, app, "мости Харківщині")
        await burst(pilot, "\x1b[Bd\r")  # Down, d, Enter: the Enter is the group's
        await in_reader(pilot, app)
        assert app.screen.article.id == "copy"  # the group's first (the hit itself is "orig")
    e.close()


async def test_d_lists_a_group_whose_copy_file_is_gone_and_shows_no_control_sequences(tmp_path) -> None:
    from textual.widgets import OptionList

    from searchkit.tui.group import GroupScreen

    from .test_duplicates import ARTICLES as DUPS

    orig = next(a["title"] for a in DUPS if a["id"] == "orig")
    e = dups_home(tmp_path, {"orig": orig + "\x1b]0;pwned\x07"})
    app = make_app(e, "мости Харківщині")
    async with app.run_test(size=(110, 40)) as pilot:
        s = await searched(pilot, app, "мости Харківщині")
        first = s.hits[0]
        gone = next(h for h in e.search("мости Харківщині", collapse=False).hits if h.id == "copy")
        (e.home / gone.path).unlink()  # deleted by hand, the index not yet told
        await pilot.press("down", "d")
        await until(pilot, lambda: isinstance(app.screen, GroupScreen), "the group")
        assert {a.id for a in app.screen.articles} == {first.id, *first.duplicates} - {"copy"}
        listing = app.screen.query_one(OptionList)
        shown = " ".join(str(listing.get_option_at_index(i).prompt.renderables[0])  # type: ignore[attr-defined]
                         for i in range(listing.option_count))
        assert "Уряд відновить мости" in shown and "\x1b" not in shown and "\x07" not in shown
    e.close()


async def test_the_note_goes_once_the_articles_are_indexed(eng: Engine, tmp_path) -> None:  # noqa: F811
    from .conftest import write_jsonl

    eng.import_paths([write_jsonl(tmp_path / "more.jsonl", [{"id": "n1", "title": "Табір", "text": "Табір."}])],
                     index=False)
    app = make_app(eng, "табір")
    async with app.run_test(size=(120, 40)) as pilot:
        await searched(pilot, app, "табір")
        assert "1 of 5 stored articles is not searchable yet" in status(app)
        other = Engine(eng.home)
        other.index()  # `searchkit index` in another terminal
        other.close()
        await pilot.press(*["backspace"] * 5, *"табори")
        await searched(pilot, app, "табори")
        await until(pilot, lambda: "not searchable" not in status(app) and "4 matches" in status(app), "no note")


async def test_articles_imported_while_the_app_is_open_are_counted_and_their_source_offered(
        eng: Engine, tmp_path) -> None:  # noqa: F811
    from .conftest import write_jsonl

    app = make_app(eng)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: screen(app).count is not None, "the index")
        await pilot.press(*"табір")
        await searched(pilot, app, "табір")
        other = Engine(eng.home)  # `searchkit import` in another terminal
        other.import_paths([write_jsonl(tmp_path / "more.jsonl", [
            {"id": "n1", "title": "Табір у горах", "source": "Нова газета", "text": "Табір відкрили в горах."}])])
        other.close()
        await pilot.press("backspace")
        await searched(pilot, app, "табі")
        await pilot.press("ctrl+f")
        await until(pilot, lambda: isinstance(app.screen, FiltersScreen), "the filters")
        assert "Нова газета" in app.screen.sources
        await pilot.press("escape", "escape")  # (the filters, then the query)
        await until(pilot, lambda: "Type to search 5 articles" in message(app), "the welcome, 5 articles")


async def test_keys_typed_right_after_f_go_to_the_filters(eng: Engine) -> None:  # noqa: F811
    app = make_app(eng, "табір")
    async with app.run_test(size=(100, 40)) as pilot:
        s = await searched(pilot, app, "табір")
        await pilot.press("down")
        await burst(pilot, "f2016\t2016\r")  # the dialog, both dates and Enter, in one read
        await until(pilot, lambda: {h.id for h in s.hits} == {"t1", "t3"}, "2016 only")
        assert "2016-01-01 – 2016-12-31" in status(app)


async def test_a_filter_that_leaves_no_matches_can_be_changed_from_the_query_box(eng: Engine) -> None:  # noqa: F811
    from searchkit.tui import FiltersScreen

    app = make_app(eng, "табір")
    async with app.run_test(size=(100, 40)) as pilot:
        s = await searched(pilot, app, "табір")
        await pilot.press("down")
        await burst(pilot, "fторік\r")  # the articles are of 2016-2018: nothing is left
        await until(pilot, lambda: s.request.filters and s.results is not None and s.results.total == 0, "no matches")
        box = s.query_one("#query", Input)
        assert app.focused is box  # (the results went away with the focus they had)
        assert "press Ctrl+F to change them" in message(app)
        await burst(pilot, "\x06")  # Ctrl+F: in the query box, where f is a letter
        await until(pilot, lambda: isinstance(app.screen, FiltersScreen), "the filters")
        await pilot.click("#clear")
        await until(pilot, lambda: len(s.hits) == 3, "no filters")
        assert box.value == "табір"


async def test_ctrl_f_and_dates_in_one_burst_from_the_query_box_set_the_filters(eng: Engine) -> None:  # noqa: F811
    app = make_app(eng, "табір")
    async with app.run_test(size=(100, 40)) as pilot:
        s = await searched(pilot, app, "табір")
        await burst(pilot, "\x062016\t2016\r")
        await until(pilot, lambda: {h.id for h in s.hits} == {"t1", "t3"}, "2016 only")
        assert s.query_one("#query", Input).value == "табір"


async def test_the_command_palette_opens_the_filters(eng: Engine) -> None:  # noqa: F811
    from textual.command import CommandList, CommandPalette

    from searchkit.tui import FiltersScreen

    app = make_app(eng, "табір")
    async with app.run_test(size=(100, 40)) as pilot:
        await searched(pilot, app, "табір")
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        await pilot.press(*"filters")
        commands = app.screen.query_one(CommandList)
        await until(pilot, lambda: commands.option_count == 1, "one command found")  # (found in the background)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, FiltersScreen), "the filters")


async def test_s_then_enter_in_one_burst_opens_the_first_hit_of_the_new_order(eng: Engine) -> None:  # noqa: F811
    app = make_app(eng, "табір")
    async with app.run_test() as pilot:
        s = await searched(pilot, app, "табір")
        await pilot.press("down")
        await burst(pilot, "s\r")  # sort by date, open the first hit: the newest
        await in_reader(pilot, app)
        assert app.screen.article.id == "t2" and s.request.sort == "date"


async def test_esc_after_d_on_a_hit_without_copies_closes_the_note_and_leaves_the_query_alone(tmp_path) -> None:
    # (Esc went to the query box, its text selected: the next letter typed replaced the query)
    e = dups_home(tmp_path)
    app = make_app(e, "мости")
    async with app.run_test(size=(110, 40), notifications=True) as pilot:
        s = await searched(pilot, app, "мости")
        single = next(i for i, h in enumerate(s.hits) if not h.duplicates)
        listing = s.query_one(ResultList)
        await pilot.press("down", *["j"] * single, "d")
        assert listing.highlighted == single
        await until(pilot, lambda: any("no near-duplicates" in str(t.render()) for t in app.screen.query("Toast")),
                    "the note")
        await pilot.press("escape")
        assert app.focused is listing and listing.highlighted == single
        await until(pilot, lambda: not app.screen.query("Toast"), "the note gone")
        await pilot.press("k")  # a letter is still a key of the results
        assert s.query_one("#query", Input).value == "мости" and app.focused is listing
        await pilot.press("escape")  # with no note shown, Esc goes back to the query, as before
        assert app.focused is s.query_one("#query", Input)
    e.close()


async def test_an_empty_home_being_imported_into_says_its_stored_articles_are_not_searchable_yet(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from .conftest import write_jsonl

    empty = Engine.init(tmp_path / "home")
    app = make_app(empty)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: screen(app).count is not None, "the index")
        assert "holds no articles yet" in status(app)
        other = Engine(empty.home)  # `searchkit import` in another terminal: stored, still indexing
        other.import_paths([write_jsonl(tmp_path / "feed.jsonl", [
            {"id": "n1", "title": "Табір", "text": "Табір у горах."}])], index=False)
        other.close()
        monkeypatch.setattr(Engine, "writer_at_work", lambda self: True)
        await pilot.press(*"табір")
        await searched(pilot, app, "табір")
        await until(pilot, lambda: "1 of 1 stored article is not searchable yet" in status(app), "the note")
        assert "is at work on this home" in status(app)
        assert "holds no articles" not in status(app) and "no articles to search" not in message(app)
        assert "No article has any of the words" not in message(app)
        assert "Some stored articles are not searchable yet" in message(app)
    empty.close()


async def test_a_home_with_articles_being_imported_into_says_its_new_articles_are_not_searchable_yet(
        eng: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    # (it was said of a backlog at startup and of an empty home, never of a home with
    # everything indexed when the app opened: a search found only the old articles, unsaid)
    from .conftest import write_jsonl

    app = make_app(eng)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: screen(app).count == 4, "the index")
        assert "not searchable" not in status(app)
        other = Engine(eng.home)  # `searchkit import` in another terminal: stored, still indexing
        other.import_paths([write_jsonl(tmp_path / "more.jsonl", [
            {"id": "t5", "title": "Табір на морі", "text": "Діти поїхали в табір на морі."}])], index=False)
        other.close()
        monkeypatch.setattr(Engine, "writer_at_work", lambda self: True)
        await burst(pilot, "табір")
        s = await searched(pilot, app, "табір")
        assert {h.id for h in s.hits} == {"t1", "t2", "t3"}
        await until(pilot, lambda: "1 of 5 stored articles is not searchable yet" in status(app), "the note")
        assert "is at work on this home" in status(app)
        monkeypatch.setattr(Engine, "writer_at_work", lambda self: False)  # done: indexed
        Engine(eng.home).index()
        await burst(pilot, " морі")
        await searched(pilot, app, "табір морі")
        assert s.hits[0].id == "t5"
        await until(pilot, lambda: "not searchable" not in status(app), "the note gone")


async def test_an_empty_home_an_import_is_at_work_on_does_not_ask_for_an_import(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = Engine.init(tmp_path / "home")
    monkeypatch.setattr(Engine, "writer_at_work", lambda self: True)  # (still reading its files)
    app = make_app(empty, "табір")
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: "is at work on this home" in status(app), "the note")
        assert "searchkit import" not in status(app) + message(app)
    empty.close()


async def test_enter_in_the_query_box_moves_into_the_results_of_what_was_typed(eng: Engine) -> None:  # noqa: F811
    app = make_app(eng)
    async with app.run_test() as pilot:
        await until(pilot, lambda: screen(app).count is not None, "the index")
        await burst(pilot, "міст\r")  # typed fast, then Enter: nothing happened
        s = screen(app)
        await until(pilot, lambda: app.focused is s.query_one(ResultList), "the results")
        assert s.request.query == "міст" and [h.id for h in s.hits] == ["t4"]
        await burst(pilot, "\r")  # and Enter again opens the hit
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen.article.id == "t4", "t4")


async def test_query_enter_enter_in_one_burst_opens_the_first_hit(eng: Engine) -> None:  # noqa: F811
    app = make_app(eng)
    async with app.run_test() as pilot:
        await until(pilot, lambda: screen(app).count is not None, "the index")
        await burst(pilot, "міст\r\r")
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen.article.id == "t4", "t4")


@pytest.fixture(scope="module")
def topical_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive on three subjects with its topic model (as tests/test_topics.py builds it)."""
    from searchkit.text import topics

    from .conftest import write_jsonl
    from .test_topics import SUBJECTS, archive

    root = tmp_path_factory.mktemp("topical")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(topics, "DIMENSIONS", SUBJECTS)
        Engine.init(root / "home").import_paths([write_jsonl(root / "feed.jsonl", archive())])
    return root / "home"


async def test_the_status_line_says_when_the_hits_listed_are_not_in_the_order_of_their_scores(
        topical_home: Path) -> None:
    said = "Scores not in order: the first 30 results are ordered by topic as well"
    e = Engine(topical_home)
    app = make_app(e)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: screen(app).count is not None, "the index")
        await burst(pilot, "салати урожаю")
        s = await searched(pilot, app, "салати урожаю")
        # (the shorter text on a trial scores higher by the words; the one on gardens is about them)
        assert [h.id for h in s.hits[:2]] == ["garden", "trial"] and s.hits[0].score < s.hits[1].score  # type: ignore[operator]
        assert said in status(app)
        await burst(pilot, "\x7f" * len("салати урожаю") + "суд")
        s = await searched(pilot, app, "суд")
        scores = [h.score for h in s.hits]
        assert len(scores) > 1 and scores == sorted(scores, reverse=True)  # type: ignore[type-var]
        assert said not in status(app)
    e.close()


async def test_the_same_query_typed_again_after_an_import_lists_the_new_articles(
        eng: Engine, tmp_path) -> None:  # noqa: F811
    # Esc and the query again in one read (a paste, a fast typist) searched nothing: the
    # query was the one shown, so the results from before the import stayed
    from .conftest import write_jsonl

    app = make_app(eng, "табір")
    async with app.run_test(size=(120, 40)) as pilot:
        s = await searched(pilot, app, "табір")
        assert s.results is not None and s.results.total == 3
        other = Engine(eng.home)  # `searchkit import` in another terminal
        other.import_paths([write_jsonl(tmp_path / "more.jsonl", [
            {"id": "n1", "title": "Табір у горах", "text": "Табір відкрили в горах."}])])
        other.close()
        await burst(pilot, "\x1bтабір")
        await until(pilot, lambda: s.results is not None and s.results.total == 4, "the new article listed")
        assert "n1" in [h.id for h in s.hits] and "4 matches" in status(app)


async def test_a_space_typed_after_the_query_keeps_the_results_and_the_cursor(eng: Engine) -> None:  # noqa: F811
    app = make_app(eng, "табір")
    async with app.run_test(size=(120, 40)) as pilot:
        s = await searched(pilot, app, "табір")
        results = s.results
        await pilot.press("down", "j", "slash", "end", "space")
        await pilot.pause(0.2)
        assert s.query_one("#query", Input).value == "табір "
        assert s.results is results and s.query_one(ResultList).highlighted == 1


@pytest.fixture
def many(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """40 hits of табір, fetched 4 at a time, each page slow to come."""
    from searchkit.tui import search as tui_search

    from .conftest import write_jsonl

    monkeypatch.setattr(tui_search, "PAGE", 4)
    e = Engine.init(tmp_path / "many")
    e.import_paths([write_jsonl(tmp_path / "many.jsonl", [
        {"id": f"m{i:02d}", "title": f"Табір номер {i}", "text": f"У таборі {i} відпочивають діти."}
        for i in range(40)])])
    search = e.search

    def slow_pages(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if kwargs.get("page", 1) > 1:
            time.sleep(0.2)
        return search(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(e, "search", slow_pages)
    yield e
    e.close()


async def test_down_held_past_the_hits_listed_waits_for_the_next_ones_and_never_wraps_to_the_first(
        many: Engine) -> None:
    # j or Down at the last hit listed, while the next page was on its way, went to the
    # first hit: a key held down to page through the results came back to the top
    app = make_app(many, "табір")
    async with app.run_test() as pilot:
        s = await searched(pilot, app, "табір")
        await burst(pilot, "\x1b[B" + "j" * 20)
        await until(pilot, lambda: s.query_one(ResultList).highlighted == 20, "the 21st hit")
        await pilot.pause(0.5)
        assert s.query_one(ResultList).highlighted == 20 and app._held is None


async def test_down_at_the_last_of_all_the_hits_stays_there(eng: Engine) -> None:  # noqa: F811
    app = make_app(eng, "табір")
    async with app.run_test() as pilot:
        s = await searched(pilot, app, "табір")
        await burst(pilot, "\x1b[Bjjjj")
        await pilot.pause(0.3)
        assert len(s.hits) == 3 and s.query_one(ResultList).highlighted == 2


async def test_page_down_held_past_the_hits_listed_goes_on_through_the_next_ones(many: Engine) -> None:
    app = make_app(many, "табір")
    async with app.run_test(size=(80, 24)) as pilot:
        s = await searched(pilot, app, "табір")
        await burst(pilot, "\x1b[B" + "\x1b[6~" * 12)
        await until(pilot, lambda: app._held is None and not s._loading_more, "the keys done")
        await pilot.pause(0.5)
        assert (s.query_one(ResultList).highlighted or 0) >= 20
