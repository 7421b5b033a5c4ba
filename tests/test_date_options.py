"""One rule for the dates a search is narrowed to: ``Engine.search(since=...)``, the CLI's
``--since``/``--until`` (search, explain, saved add) and the TUI's filters refuse the same
values with the same reason and hint, each naming the date as its user knows it."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from textual.widgets import Input, Static

from searchkit import Engine, QueryError
from searchkit.cli import main
from searchkit.tui import FiltersScreen

from .test_tui import eng, make_app, searched, until  # noqa: F401
from .test_tui_hands import burst

NO_SUCH_DAY = "31.02.2022 is not a date: no such day"
CALENDAR = "give a day and month the calendar has (2016-12, 28.02.2022)"


def home_of(engine: Engine) -> str:
    return str(engine.home)


def test_the_library_refuses_a_day_no_calendar_has_naming_the_field_and_what_to_give(eng: Engine) -> None:  # noqa: F811
    with pytest.raises(QueryError) as e:
        eng.search("табір", until="31.02.2022")
    assert (str(e.value), e.value.field, e.value.hint) == (f"until: {NO_SUCH_DAY}", "until", CALENDAR)


@pytest.mark.parametrize("command", [["search", "табір"], ["explain", "табір", "t1"],
                                     ["saved", "add", "t", "табір"]])
def test_every_command_refuses_a_day_no_calendar_has_as_the_library_does(eng: Engine, command) -> None:  # noqa: F811
    res = CliRunner().invoke(main, ["--home", home_of(eng), *command, "--until", "31.02.2022"])
    assert res.exit_code == 2 and res.stdout == ""
    assert res.stderr == f"Error: --until: {NO_SUCH_DAY} — {CALENDAR}\n"


def test_a_date_option_refuses_a_day_in_words_no_calendar_has_as_a_query_does(eng: Engine) -> None:  # noqa: F811
    # (--since '31 лютого 2022' said only that it could not read a date; the query says why)
    res = CliRunner().invoke(main, ["--home", home_of(eng), "search", "табір", "--since", "31 лютого 2022"])
    assert res.exit_code == 2 and res.stdout == ""
    assert res.stderr == f"Error: --since: 31 лютого 2022 is not a date: no such day — {CALENDAR}\n"
    with pytest.raises(QueryError, match="31 квітня 2022 is not a date: no such day"):
        eng.search("табір 31 квітня 2022")


@pytest.mark.parametrize("value", ["0000", "0000-01"])
def test_a_date_option_of_year_0_says_there_is_no_year_0_as_its_month_does(eng: Engine, value) -> None:  # noqa: F811
    # (--since 0000 said "cannot read '0000' as a date", where --since 0000-01 names the reason)
    res = CliRunner().invoke(main, ["--home", home_of(eng), "search", "табір", "--since", value])
    assert res.exit_code == 2
    assert res.stderr == (f"Error: --since: {value} is not a date: no year 0: the calendar starts on 0001-01-01"
                          f" — {CALENDAR}\n")


@pytest.mark.asyncio
async def test_the_filters_refuse_a_day_no_calendar_has_typed_in_one_burst(eng: Engine) -> None:  # noqa: F811
    app = make_app(eng, "табір")
    async with app.run_test(size=(100, 40)) as pilot:
        s = await searched(pilot, app, "табір")
        await pilot.press("down", "f")
        await until(pilot, lambda: isinstance(app.screen, FiltersScreen), "the filters")
        await burst(pilot, "31.02.2022\r")  # typed, and Enter, in one read of the terminal
        error = app.screen.query_one("#filters-error", Static)
        await until(pilot, lambda: str(error.content), "the refusal")
        assert str(error.content) == f"Since: {NO_SUCH_DAY}\n{CALENDAR}"
        assert app.screen.query_one("#since", Input).value == "31.02.2022"
        assert isinstance(app.screen, FiltersScreen) and not s.request.filters


@pytest.mark.asyncio
async def test_the_filters_put_the_cursor_in_the_box_they_refuse(eng: Engine) -> None:  # noqa: F811
    app = make_app(eng, "табір")
    async with app.run_test(size=(100, 40)) as pilot:
        await searched(pilot, app, "табір")
        await pilot.press("down", "f")
        await until(pilot, lambda: isinstance(app.screen, FiltersScreen), "the filters")
        app.screen.query_one("#since", Input).value = "2016"
        app.screen.query_one("#until", Input).value = "колись"
        await pilot.press("enter")
        error = str(app.screen.query_one("#filters-error", Static).content)
        assert error.startswith("Until: cannot read 'колись' as a date")
        assert app.focused is app.screen.query_one("#until", Input)
