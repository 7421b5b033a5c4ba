"""The engine calls of the search screen are one plain function, ``page_and_months``: the
screen's worker and benchmarks/tui_latency.py both call it, so the benchmark times what the
screen does."""

from __future__ import annotations

import pytest

from searchkit import Engine, Results
from searchkit.tui.app import Timeline
from searchkit.tui.dialogs import Filters
from searchkit.tui.messages import Request
from searchkit.tui.search import PAGE, page_and_months

from .test_tui import eng, make_app, message  # noqa: F401
from .tuipilot import screen, until


def test_the_hits_come_first_then_the_months_and_counts_of_the_same_request(eng: Engine) -> None:  # noqa: F811
    seen: list[Results] = []
    counted = page_and_months(eng, Request("табір", sort="date", filters=Filters(source="Вісті")), months=True,
                              hits_in=lambda r: seen.append(r) is None)
    (page,) = seen
    assert [h.id for h in page.hits] == ["t2", "t3"]  # newest first, from Вісті only
    assert counted is not None
    months, facets = counted
    assert months == [("2016-01", 1), ("2017-07", 1)]
    assert {f.value: f.count for f in facets["source"]} == {"Вісті": 2}
    assert {f.value for f in facets["year"]} == {"2016", "2017"}


def test_a_page_past_the_first_or_a_request_no_longer_wanted_counts_no_months(eng: Engine) -> None:  # noqa: F811
    asked: list[dict[str, object]] = []
    search = eng.search

    def counting(*args: object, **kwargs: object) -> Results:
        asked.append(kwargs)
        return search(*args, **kwargs)  # type: ignore[arg-type]

    eng.search = counting  # type: ignore[method-assign]
    assert page_and_months(eng, Request("табір", page=2), months=False, hits_in=lambda r: True) is None
    assert page_and_months(eng, Request("табір"), months=True, hits_in=lambda r: False) is None  # superseded
    assert [(a["limit"], a["page"]) for a in asked] == [(PAGE, 2), (PAGE, 1)]


@pytest.mark.asyncio
async def test_the_screen_shows_the_months_the_function_counts(eng: Engine) -> None:  # noqa: F811
    counted = page_and_months(eng, Request("табір"), months=True, hits_in=lambda r: True)
    assert counted is not None
    app = make_app(eng, "табір")
    async with app.run_test() as pilot:
        timeline = screen(app).query_one(Timeline)
        await until(pilot, lambda: timeline.months, "the timeline")
        assert timeline.months == counted[0]


def months_failing(error: Exception):  # noqa: F811
    """``Engine.search`` failing with ``error`` when asked for months: set on the class, so
    that the app's second engine (taken when the first is busy for a moment, as on a loaded
    machine) fails too."""
    search = Engine.search

    def failing(self: Engine, *args: object, **kwargs: object) -> Results:
        if kwargs.get("months"):
            raise error
        return search(self, *args, **kwargs)  # type: ignore[arg-type]

    return failing


@pytest.mark.asyncio
async def test_a_months_search_the_engine_refuses_leaves_the_hits_without_a_timeline(
        eng: Engine, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    from searchkit import IndexBusy

    monkeypatch.setattr(Engine, "search", months_failing(IndexBusy("busy")))
    app = make_app(eng, "табір")
    async with app.run_test() as pilot:
        await until(pilot, lambda: screen(app).hits, "the hits")
        await pilot.pause(0.2)
        assert len(screen(app).hits) == 3 and not screen(app).query_one(Timeline).display


@pytest.mark.asyncio
async def test_a_bug_in_the_months_search_is_shown_as_one(eng: Engine, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    monkeypatch.setattr(Engine, "search", months_failing(AttributeError("'NoneType' has no attribute 'months'")))
    app = make_app(eng, "табір")
    async with app.run_test() as pilot:
        await until(pilot, lambda: "this is a bug in searchkit" in message(app), "the bug said", timeout=30)
        assert "AttributeError: 'NoneType' has no attribute 'months'" in message(app)
