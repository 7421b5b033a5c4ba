"""Saved searches in the terminal UI: Ctrl+S saves the search (query and filters) under a
name, Ctrl+O lists them with how many articles are new for each; Enter runs one, n only
what is new for it (as ``saved run --new``), d deletes one. Keys are sent as a terminal
read gives them (:func:`~tests.tuipilot.burst`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static

from searchkit import Engine
from searchkit.cli import main as cli_main
from searchkit.tui import Filters, HelpScreen, SearchApp
from searchkit.tui import search as tui_search
from searchkit.tui.app import ResultList
from searchkit.tui.saved import ConfirmScreen, NameScreen, SavedListScreen

from .conftest import write_jsonl
from .test_tui import eng, make_app, message, status  # noqa: F401
from .test_tui_reader_find import shown
from .tuipilot import burst, screen, searched, until

pytestmark = pytest.mark.asyncio

CTRL_S, CTRL_O, CTRL_F, DOWN, DELETE = "\x13", "\x0f", "\x06", "\x1b[B", "\x1b[3~"

#: Articles about camps that arrive after the search was saved (their texts differ: no
#: near-duplicates folded).
LATER = [
    {"id": f"n{i}", "title": title, "date": "2016-08-0" + str(i + 1), "source": "Вісті", "text": text}
    for i, (title, text) in enumerate([
        ("Табір у горах", "Школярі піднялися в гори й ночували в наметах табору."),
        ("Табір на морі", "Біля моря відкрили табір для дітей з прифронтових громад."),
        ("Спортивний табір", "Юні футболісти тренуються в таборі двічі на день."),
        ("Табір для волонтерів", "Волонтери плели сітки в польовому таборі під Києвом."),
        ("Мистецький табір", "Художники малювали старі хати в таборі на Поліссі."),
        ("Табір скаутів", "Скаути вчилися розпалювати вогнище без сірників у таборі."),
        ("Науковий табір", "Учні збирали метеостанцію в літньому таборі при університеті."),
        ("Табір біля озера", "На березі озера табір приймає сім'ї переселенців."),
    ])
]


def import_later(eng: Engine, tmp_path: Path) -> None:  # noqa: F811
    report = eng.import_paths([write_jsonl(tmp_path / "later.jsonl", LATER)])
    assert report.added == len(LATER)


def listed(app: SearchApp) -> list[str]:
    """What each row of the saved searches' list shows."""
    listing = app.screen.query_one("#saved", OptionList)
    return [shown(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


async def open_list(pilot: Pilot[None], app: SearchApp) -> SavedListScreen:
    await burst(pilot, CTRL_O)
    await until(pilot, lambda: isinstance(app.screen, SavedListScreen), "the saved searches")
    assert isinstance(app.screen, SavedListScreen)
    return app.screen


async def test_ctrl_s_saves_the_query_and_the_filters_under_the_name_typed(eng: Engine) -> None:  # noqa: F811
    app = make_app(eng, "табір")
    async with app.run_test(size=(100, 30)) as pilot:
        s = await searched(pilot, app, "табір")
        await burst(pilot, CTRL_F + "2016\r")  # the filters: since 2016
        await until(pilot, lambda: s.request.filters.since == dt.date(2016, 1, 1) and s.results is not None
                    and not s.busy, "the filtered results")
        await burst(pilot, CTRL_S + "літо\r")  # in one read: the name goes to the dialog
        await until(pilot, lambda: any("Saved 'літо'" in n for n in app.notes()), "saved")
        assert app.screen is s
        [saved] = eng.saved_searches()
        assert (saved.name, saved.query, saved.since, saved.until, saved.source) == \
            ("літо", "табір", "2016-01-01", None, None)
        assert "табір (since 2016-01-01)" in app.notes()[-1]  # as `saved add` says it


async def test_a_name_in_use_asks_to_replace_it_and_only_y_replaces_it(eng: Engine) -> None:  # noqa: F811
    eng.save_search("літо", "міст")
    app = make_app(eng, "табір")
    async with app.run_test(size=(100, 30)) as pilot:
        await searched(pilot, app, "табір")
        await burst(pilot, CTRL_S + "літо\r")
        # (a dialog pushed is not yet one composed: under load its question was not in it yet)
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen) and app.screen.query("#confirm-question"),
                    "the question")
        assert "'літо' exists. Replace it?" in str(app.screen.query_one("#confirm-question", Static).content)
        await burst(pilot, "n")
        await until(pilot, lambda: app.screen is screen(app), "back to the search")
        assert [s.query for s in eng.saved_searches()] == ["міст"]
        await burst(pilot, CTRL_S + "літо\ry")
        await until(pilot, lambda: any("Saved 'літо': табір" in n for n in app.notes()), "replaced")
        assert [s.query for s in eng.saved_searches()] == ["табір"]


async def test_a_name_the_library_refuses_is_asked_again_with_why_and_the_name_typed_kept(
        eng: Engine) -> None:  # noqa: F811
    app = make_app(eng, "табір")
    async with app.run_test(size=(100, 30)) as pilot:
        await searched(pilot, app, "табір")
        await burst(pilot, CTRL_S + "a/b\r")
        # (a dialog pushed is not yet one composed: wait for its line saying why, as for the question)
        await until(pilot, lambda: isinstance(app.screen, NameScreen) and app.screen.query("#save-error"),
                    "the name asked again")
        dialog = app.screen
        assert isinstance(dialog, NameScreen) and dialog.error
        assert dialog.query_one("#save-name", Input).value == "a/b"  # (to be corrected, not typed again)
        why = str(dialog.query_one("#save-error", Static).content)
        assert why.startswith("bad name 'a/b': 1-80 characters") and "\n" not in why
        assert eng.saved_searches() == []
        await burst(pilot, "ab\r")  # (the name shown is selected: what is typed replaces it)
        await until(pilot, lambda: [s.name for s in eng.saved_searches()] == ["ab"], "saved as ab")
        await until(pilot, lambda: app.screen is screen(app), "the dialog closed")


async def test_ctrl_o_lists_each_saved_search_with_how_many_are_new_for_it(
        eng: Engine, tmp_path: Path) -> None:  # noqa: F811
    eng.save_search("табори", "табір", since="2016", until="2016", source="Вісті")
    eng.save_search("мости", "міст")
    import_later(eng, tmp_path)  # 8 camps in 2016 from Вісті: new for табори, none for мости
    app = make_app(eng)
    async with app.run_test(size=(120, 30)) as pilot:
        await until(pilot, lambda: screen(app).count is not None, "the index")
        await open_list(pilot, app)
        assert listed(app) == [
            "мости nothing new since it was saved міст · never run",
            "табори 8 new since it was saved табір · since 2016, until 2016, source Вісті · never run",
        ]
        assert [s.last_run for s in eng.saved_searches()] == [None, None]  # counting is no run


async def test_enter_on_a_saved_search_runs_it_with_its_query_and_filters(
        eng: Engine, tmp_path: Path) -> None:  # noqa: F811
    eng.save_search("табори", "табір", since="2016", until="2016")
    app = make_app(eng, "міст")
    async with app.run_test(size=(120, 30)) as pilot:
        s = await searched(pilot, app, "міст")
        await open_list(pilot, app)
        await burst(pilot, "\r" + DOWN + "\r")  # Enter runs it; the keys after wait for its results
        await until(pilot, lambda: app.screen is not s, "the first hit opened")
        assert s.query_one("#query", Input).value == "табір"
        assert s.request.filters == Filters(dt.date(2016, 1, 1), dt.date(2016, 12, 31))
        assert {h.id for h in s.hits} == {"t1", "t3"}  # t2 is of 2017
        assert app.screen.article.id == s.hits[0].id  # type: ignore[attr-defined]
        assert "saved search табори" in status(app)
        [saved] = eng.saved_searches()
        assert saved.last_run is not None  # run, as `saved run` runs it


async def test_n_lists_only_the_new_and_they_stay_new_until_the_last_is_listed(
        eng: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    monkeypatch.setattr(tui_search, "PAGE", 6)  # 6 of the 8 new ones on the first page
    eng.save_search("табори", "табір")
    import_later(eng, tmp_path)
    app = make_app(eng, "міст")
    async with app.run_test(size=(120, 40)) as pilot:
        s = await searched(pilot, app, "міст")
        await open_list(pilot, app)
        await burst(pilot, "n")
        await until(pilot, lambda: s.results is not None and s.results.query == "табір" and not s.busy, "the new")
        assert s.results is not None and s.results.total == 8 and len(s.hits) == 6
        assert {h.id for h in s.hits} <= {a["id"] for a in LATER}  # t1-t3 were there when it was saved
        assert "saved search табори: only what is new since it was saved" in status(app)
        assert "They all stay new until the last of them is listed" in status(app)
        assert "searchkit saved run" not in status(app)  # (the command line's way to the next page)
        assert eng.count_new_matches("табори") == 8  # a page short of the last: nothing seen yet
        await burst(pilot, DOWN + "jj")  # near the end: the next page, the last, is fetched
        await until(pilot, lambda: len(s.hits) == 8, "the last page")
        await until(pilot, lambda: eng.count_new_matches("табори") == 0, "all seen")
        assert s.query_one(ResultList).option_count == 8
        await burst(pilot, "\x1b" + CTRL_O)  # to the query box, and the list again
        await until(pilot, lambda: isinstance(app.screen, SavedListScreen), "the list")
        assert listed(app)[0].startswith("табори nothing new since it last ran")
        await burst(pilot, "n")
        await until(pilot, lambda: "Nothing new for 'табори' since it last ran." in message(app), "nothing new")
    # (in the words of the command line)
    r = CliRunner().invoke(cli_main, ["--home", str(eng.home), "saved", "run", "табори", "--new"])
    assert r.exit_code == 1 and r.stdout == "Nothing new for 'табори' since it last ran.\n"


async def test_d_deletes_a_saved_search_after_asking(eng: Engine) -> None:  # noqa: F811
    eng.save_search("мости", "міст")
    eng.save_search("табори", "табір")
    app = make_app(eng)
    async with app.run_test(size=(120, 30)) as pilot:
        await until(pilot, lambda: screen(app).count is not None, "the index")
        listing = await open_list(pilot, app)
        await burst(pilot, "d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question")
        await burst(pilot, "n")  # no: kept
        await until(pilot, lambda: app.screen is listing, "back to the list")
        assert len(eng.saved_searches()) == 2
        await burst(pilot, "j" + DELETE + "y")
        await until(pilot, lambda: [s.name for s in eng.saved_searches()] == ["мости"], "deleted")
        await until(pilot, lambda: len(listed(app)) == 1, "gone from the list")
        assert app.screen is listing and listed(app)[0].startswith("мости")


async def test_deleting_the_saved_search_shown_stops_the_status_line_naming_it(eng: Engine) -> None:  # noqa: F811
    eng.save_search("табори", "табір", since="2016", until="2016")
    eng.save_search("мости", "міст")
    app = make_app(eng, "міст")
    async with app.run_test(size=(120, 30)) as pilot:
        s = await searched(pilot, app, "міст")
        await open_list(pilot, app)
        await burst(pilot, DOWN + "\r")  # табори runs, its results shown
        await until(pilot, lambda: "saved search табори" in status(app) and app.screen is s, "табори run")
        hits = [h.id for h in s.hits]
        await burst(pilot, CTRL_O + DOWN + "dy\x1b")  # in one read: the list, табори deleted, back to the search
        await until(pilot, lambda: [x.name for x in eng.saved_searches()] == ["мости"], "deleted")
        await until(pilot, lambda: app.screen is s and "saved search" not in status(app), "the status line")
        # the same search (its query and filters), no longer a run of what is gone
        assert s.query_one("#query", Input).value == "табір" and [h.id for h in s.hits] == hits
        assert s.request.filters == Filters(dt.date(2016, 1, 1), dt.date(2016, 12, 31)) and s.request.saved is None
        assert "sorted by relevance" in status(app)
        # only what was new for it: the search of its query and filters now, said as one
        await open_list(pilot, app)
        await burst(pilot, "n")  # мости, only what is new
        await until(pilot, lambda: "saved search мости: only what is new" in status(app), "мости's new")
        await burst(pilot, CTRL_O + "dy\x1b")
        await until(pilot, lambda: eng.saved_searches() == [] and app.screen is s, "deleted")
        await until(pilot, lambda: "saved search" not in status(app) and s.results is not None
                    and s.results.total > 0 and not s.busy, "the search of its query")
        assert s.request.saved is None and s.query_one("#query", Input).value == "міст"


async def test_a_saved_search_that_cannot_run_is_listed_with_why_and_running_it_says_why(
        eng: Engine) -> None:  # noqa: F811
    eng.save_search("табори", "табір", since="вчора")
    # (hand-edited since: the file keeps a date the library cannot read)
    from searchkit.store.saved import FILENAME, config_dir
    path = config_dir() / FILENAME
    path.write_text(path.read_text(encoding="utf-8").replace('"вчора"', '"колись"'), encoding="utf-8")
    app = make_app(eng)
    async with app.run_test(size=(120, 30)) as pilot:
        await until(pilot, lambda: screen(app).count is not None, "the index")
        await open_list(pilot, app)
        assert "cannot count the new:" in listed(app)[0]
        await burst(pilot, "\r")
        await until(pilot, app.notes_shown, "a note")
        assert any("колись" in n for n in app.notes()) and all("Traceback" not in n for n in app.notes())
        assert app.screen is screen(app)


async def test_the_help_and_the_footer_show_the_saved_search_keys(eng: Engine) -> None:  # noqa: F811
    app = make_app(eng)
    async with app.run_test(size=(160, 30)) as pilot:
        await until(pilot, lambda: screen(app).count is not None, "the index")
        keys = {key: b.binding.description for key, b in screen(app).active_bindings.items() if b.binding.show}
        assert keys.get("ctrl+s") == "Save" and keys.get("ctrl+o") == "Saved"
        await burst(pilot, "\x1bOP")  # F1
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help")
        text = shown(app.screen.query_one("#help-keys", Static).content)
        assert "Saved searches Ctrl+S save the search (query and filters) under a name" in text
        assert "Ctrl+O the saved searches" in text


def within_the_dialog(dialog: Screen[None], widget: Widget) -> bool:
    """Whether ``widget`` is drawn inside its dialog's frame (not past its bottom, cut off)."""
    frame = dialog.query_one("Vertical")
    return frame.region.contains_region(widget.region)


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
async def test_a_long_list_of_saved_searches_keeps_the_cursor_and_the_keys_on_screen(
        eng: Engine, size: tuple[int, int]) -> None:  # noqa: F811
    for i in range(12):
        eng.save_search(f"пошук {i}", f"табір {i}")
    app = make_app(eng)
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: screen(app).count is not None, "the index")
        dialog = await open_list(pilot, app)
        listing = dialog.query_one("#saved", OptionList)
        await burst(pilot, "j" * 10)
        await until(pilot, lambda: listing.highlighted == 10, "the cursor on the eleventh")
        await pilot.pause()
        assert within_the_dialog(dialog, listing) and listing.scrollable_content_region.height >= 1
        assert within_the_dialog(dialog, dialog.query_one("#saved-hint", Static))
        assert listing.scroll_offset.y > 0  # (it scrolled to the cursor)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_a_long_query_leaves_the_name_box_and_the_keys_of_the_save_dialog_on_screen(
        eng: Engine, size: tuple[int, int]) -> None:  # noqa: F811
    # (a query of 60 long words filled the dialog at 60x20: no name box, no "Enter saves")
    query = " ".join(["адміністративно-територіальна децентралізація"] * 30)
    app = make_app(eng, query)
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: screen(app).count is not None and not screen(app).busy, "the search")
        await burst(pilot, CTRL_S)
        await until(pilot, lambda: isinstance(app.screen, NameScreen), "the dialog")
        dialog = app.screen
        await pilot.pause()
        for part in ("#save-what", "#save-name", "#save-hint"):
            assert within_the_dialog(dialog, dialog.query_one(part))
        assert shown(dialog.query_one("#save-what", Static).content).endswith("…")
        await burst(pilot, "довгий\r")
        await until(pilot, lambda: eng.saved_searches(), "saved")
        assert eng.saved_searches()[0].query == query  # (all of it: only the dialog shows it cut)
        await until(pilot, lambda: app.notes(), "the note")
        assert len(app.notes()[-1]) < 200
        listing = await open_list(pilot, app)
        await until(pilot, lambda: listing.query_one("#saved", OptionList).option_count == 1, "the list")
        assert listed(app)[0].endswith("… · never run")
        assert within_the_dialog(listing, listing.query_one("#saved-hint", Static))


@pytest.mark.parametrize(("query", "why"), [
    ("", "type a word to search for"),
    ("-табір", "not negated"),
    ("т*", "prefix 'т' is too short"),  # (parsed, but refused once its words are read)
    ("табір 31.02.2022", "31.02.2022 is not a date: no such day"),
])
async def test_ctrl_s_on_a_query_that_cannot_run_says_why_before_asking_a_name(
        eng: Engine, query: str, why: str) -> None:  # noqa: F811
    app = make_app(eng, query)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: screen(app).count is not None and not screen(app).busy, "the search")
        await burst(pilot, CTRL_S)
        await until(pilot, lambda: app.notes() or isinstance(app.screen, NameScreen), "the note, or the dialog")
        assert not isinstance(app.screen, NameScreen)  # (a name typed for it was asked for nothing)
        assert why in app.notes()[-1]
        assert eng.saved_searches() == []
