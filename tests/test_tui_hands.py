"""The terminal UI in fast hands: keys typed in one burst act in order, a newer query
overtakes an older one, and the screen says what it is doing."""

from __future__ import annotations

import pytest

from searchkit import Engine
from searchkit.tui.app import ResultList

from .test_tui import eng, make_app, plain_with_styles, screen, searched, status, until  # noqa: F401

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
