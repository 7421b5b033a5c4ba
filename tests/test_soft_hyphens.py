"""Soft hyphens (U+00AD, Word's optional hyphens) stay in the stored article but not in
what a hit shows: its title, snippet and matched words, in every output and export."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from searchkit import Engine
from searchkit.cli import main

SHY = "\u00ad"
TITLE = f"Укрит{SHY}тя в Бу{SHY}чі"
TEXT = f"Нове укрит{SHY}тя відкрили в Бу{SHY}чі.\nУ ньому є вода й світло для трьох сотень укри{SHY}\nття людей."


@pytest.fixture
def eng(tmp_path):
    e = Engine.init(tmp_path / "home")
    e.import_articles([{"id": "bucha", "title": TITLE, "text": TEXT, "date": "2024-03-05"}])
    yield e
    e.close()


def test_a_hits_title_snippet_and_matched_words_show_no_soft_hyphen(eng):
    (hit,) = eng.search("укриття")
    assert hit.title == "Укриття в Бучі"
    assert [hit.title[s.start:s.end] for s in hit.title_spans] == ["Укриття"]
    assert SHY not in hit.snippet.text
    assert {hit.snippet.text[s.start:s.end] for s in hit.snippet.spans} == {"укриття"}
    assert {word for word, _ in hit.matched} == {"Укриття", "укриття"}


def test_the_stored_article_keeps_its_soft_hyphens(eng):
    a = eng.get("bucha")
    assert (a.title, a.text) == (TITLE, TEXT)


def test_an_articles_marked_title_shows_no_soft_hyphen(eng):
    title, body = eng.highlight(eng.get("bucha"), "Буча")
    assert title.text == "Укриття в Бучі" and [title.text[s.start:s.end] for s in title.spans] == ["Бучі"]
    assert body.text == TEXT


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "md"])
def test_an_export_of_hits_carries_no_soft_hyphen(eng, fmt):
    r = CliRunner().invoke(main, ["--home", str(eng.home), "search", "укриття", "--format", fmt])
    assert r.exit_code == 0, r.output
    assert "Укриття в Бучі" in r.output and SHY not in r.output


def test_search_json_carries_no_soft_hyphen(eng):
    r = CliRunner().invoke(main, ["--home", str(eng.home), "search", "укриття", "--json"])
    assert r.exit_code == 0, r.output
    (hit,) = json.loads(r.output)["hits"]
    assert hit["title"] == "Укриття в Бучі" and SHY not in r.output


def test_an_articles_marked_title_says_where_its_matches_are_in_the_title_as_stored(eng):
    article = eng.get("bucha")
    title, _ = eng.highlight(article, "укриття Буча")
    assert [title.text[s.start:s.end] for s in title.spans] == ["Укриття", "Бучі"]
    assert [article.title[s.start:s.end] for s in title.stored] == [f"Укрит{SHY}тя", f"Бу{SHY}чі"]


def test_show_json_places_title_matches_after_a_soft_hyphen_in_the_title_as_stored(eng):
    r = CliRunner().invoke(main, ["--home", str(eng.home), "show", "bucha", "--json", "-q", "укриття Буча"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert [data["title"][a:b] for a, b in data["title_highlights"]] == [f"Укрит{SHY}тя", f"Бу{SHY}чі"]
