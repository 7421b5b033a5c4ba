"""Every way in reads a query as the search does: an import's count of a saved search's
new matches, the matches ``show -q`` marks, and the query text ``explain``, ``timeline``
and a saved search keep."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchkit import Engine
from searchkit.cli import main
from searchkit.errors import QueryError
from searchkit.models import Span
from searchkit.query.parse import MAX_QUERY_CHARS

from .conftest import ARTICLES, imported, write_jsonl

CAMPS = ARTICLES[1]  # «Мовні табори для дітей»
MISSPELT = "мовні тобори"  # found as «мовні табори»


@pytest.fixture
def without_camps(tmp_path: Path) -> Iterator[Engine]:
    eng = imported(tmp_path, [a for a in ARTICLES if a is not CAMPS])
    yield eng
    eng.close()


def marked(text: str, spans: tuple[Span, ...]) -> list[str]:
    return [text[s.start:s.end] for s in spans]


def test_an_import_counts_a_misspelt_saved_search_as_its_run_of_new_matches_lists(
        without_camps: Engine, tmp_path: Path) -> None:
    without_camps.save_search("typo", MISSPELT)
    report = without_camps.import_paths([write_jsonl(tmp_path / "camps.jsonl", [CAMPS])])
    new = without_camps.run_saved_search("typo", new=True)
    assert [h.id for h in new.hits] == [CAMPS["id"]]
    assert report.watched == {"typo": 1}


def test_the_import_says_how_many_new_articles_a_misspelt_saved_search_finds(tmp_path: Path) -> None:
    home = tmp_path / "home"
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(main, ["--home", str(home), *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    run("init", str(home))
    run("import", str(write_jsonl(tmp_path / "first.jsonl", [a for a in ARTICLES if a is not CAMPS])))
    run("saved", "add", "typo", MISSPELT)
    said = run("import", str(write_jsonl(tmp_path / "camps.jsonl", [CAMPS])))
    assert "Saved search 'typo': 1 new match" in said
    assert CAMPS["id"] in run("saved", "run", "typo", "--new")


def test_show_marks_the_words_a_misspelt_query_was_searched_as(engine: Engine) -> None:
    hit = engine.search(MISSPELT).hits[0]
    article = engine.get(hit.id)
    title, body = engine.highlight(article, MISSPELT)
    assert marked(article.title, title.spans) == marked(hit.title, hit.title_spans) == ["Мовні", "табори"]
    assert "табори" in marked(article.text, body.spans)


def test_highlight_with_a_search_filters_marks_what_that_search_corrected_to(tmp_path: Path) -> None:
    # «кабун» is one slip from «кавун» and from «кабан»: within each source the search
    # corrects it to the word that source holds, and the marks follow it
    eng = imported(tmp_path, [
        {"id": "k1", "title": "Кавун на базарі", "source": "Базар", "text": "Продавці привезли стиглий кавун."},
        {"id": "k2", "title": "Кабан у лісі", "source": "Ліс", "text": "Лісники бачили великого кабана."},
    ])
    for source, word in (("Базар", "Кавун"), ("Ліс", "Кабан")):
        hit = eng.search("кабун", source=source).hits[0]
        title, _ = eng.highlight(eng.get(hit.id), "кабун", source=source)
        assert marked(hit.title, title.spans) == marked(hit.title, hit.title_spans) == [word]
    eng.close()


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
