"""Every way in reads a query as the search does: an import's count of a saved search's
new matches, the matches ``show -q`` marks, and the query text ``explain``, ``timeline``
and a saved search keep."""

from __future__ import annotations

from pathlib import Path

import pytest

from searchkit import Engine
from searchkit.errors import QueryError
from searchkit.query.parse import MAX_QUERY_CHARS

from .conftest import ARTICLES, imported

CAMPS = ARTICLES[1]  # «Мовні табори для дітей»
MISSPELT = "мовні тобори"  # found as «мовні табори»


@pytest.fixture
def without_camps(tmp_path: Path) -> Engine:
    eng = imported(tmp_path, [a for a in ARTICLES if a is not CAMPS])
    yield eng
    eng.close()


def marked(text: str, spans: tuple) -> list[str]:
    return [text[s.start:s.end] for s in spans]


def test_explain_echoes_the_query_as_the_search_does(engine: Engine) -> None:
    typed = "мовні\x00табори"
    assert engine.explain(typed, CAMPS["id"]).query == engine.search(typed).query == "мовні табори"


def test_a_saved_search_keeps_the_query_as_the_search_reads_it(engine: Engine) -> None:
    assert engine.save_search("camps", "мовні\x00табори").query == "мовні табори"


@pytest.mark.parametrize("call", ["search", "explain", "timeline", "save_search", "highlight"])
def test_every_way_in_refuses_a_query_that_is_too_long_alike(engine: Engine, call: str) -> None:
    long = "табори " * (MAX_QUERY_CHARS // 7 + 1)
    calls = {
        "search": lambda: engine.search(long),
        "explain": lambda: engine.explain(long, CAMPS["id"]),
        "timeline": lambda: engine.timeline(long),
        "save_search": lambda: engine.save_search("long", long),
        "highlight": lambda: engine.highlight(engine.get(CAMPS["id"]), long),
    }
    with pytest.raises(QueryError, match="longer than"):
        calls[call]()


@pytest.mark.parametrize("call", ["search", "explain", "timeline", "save_search", "highlight"])
def test_every_way_in_refuses_a_query_that_is_not_text_alike(engine: Engine, call: str) -> None:
    calls = {
        "search": lambda: engine.search(5),  # type: ignore[arg-type]
        "explain": lambda: engine.explain(5, CAMPS["id"]),  # type: ignore[arg-type]
        "timeline": lambda: engine.timeline(5),  # type: ignore[arg-type]
        "save_search": lambda: engine.save_search("five", 5),  # type: ignore[arg-type]
        "highlight": lambda: engine.highlight(engine.get(CAMPS["id"]), 5),  # type: ignore[arg-type]
    }
    with pytest.raises(TypeError, match="query must be a str"):
        calls[call]()
