"""A word the query asks for in one field (``title:санкції``, ``text:санкції``) is marked
in that field alone: in hits' titles and snippets, in ``show`` and the reader, in
``explain`` and in the JSON of a search."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchkit import Engine
from searchkit.cli import main

from .conftest import imported

SANCTIONS = {"id": "s1", "title": "Санкції проти агресора", "date": "2024-05-01",
             "text": "Нові санкції ухвалили сьогодні. Санкції стосуються банків."}
WEATHER = {"id": "w1", "title": "Погода у Києві", "date": "2024-05-02",
           "text": "Про санкції тут ні слова, лише про дощ."}


@pytest.fixture
def eng(tmp_path: Path) -> Engine:
    engine = imported(tmp_path, [SANCTIONS, WEATHER])
    yield engine
    engine.close()


def marked(text: str, spans: tuple) -> list[str]:
    return [text[s.start:s.end] for s in spans]


def test_a_title_word_is_marked_in_the_title_and_not_in_the_snippet(eng: Engine):
    hit = eng.search("title:санкції").hits[0]
    assert marked(hit.title, hit.title_spans) == ["Санкції"]
    assert "санкції" in hit.snippet.text and hit.snippet.spans == ()
    assert hit.matched == (("Санкції", "санкція"),)


def test_a_word_asked_for_in_the_title_and_anywhere_is_marked_everywhere(eng: Engine):
    hit = next(h for h in eng.search("title:санкції санкції").hits if h.id == "s1")
    assert marked(hit.title, hit.title_spans) == ["Санкції"]
    assert marked(hit.snippet.text, hit.snippet.spans) == ["санкції", "Санкції"]


def test_a_body_word_is_marked_in_the_body_and_not_in_the_title(eng: Engine):
    hit = next(h for h in eng.search("text:санкції").hits if h.id == "s1")
    assert hit.title_spans == ()
    assert marked(hit.snippet.text, hit.snippet.spans) == ["санкції", "Санкції"]


def test_an_unfielded_word_beside_a_title_word_is_marked_in_the_body(eng: Engine):
    hit = next(h for h in eng.search("title:санкції банків").hits if h.id == "s1")
    assert marked(hit.snippet.text, hit.snippet.spans) == ["банків"]


def test_a_title_prefix_is_marked_in_the_title_alone(eng: Engine):
    hit = eng.search("title:санкц*").hits[0]
    assert marked(hit.title, hit.title_spans) == ["Санкції"]
    assert hit.snippet.spans == ()


def test_a_title_fuzzy_word_is_marked_in_the_title_alone(eng: Engine):
    hit = eng.search("title:санкціі~").hits[0]
    assert marked(hit.title, hit.title_spans) == ["Санкції"]
    assert hit.snippet.spans == ()


def test_the_reader_and_show_mark_a_title_word_in_the_title_alone(eng: Engine):
    title, body = eng.highlight(eng.get("s1"), "title:санкції")
    assert marked(title.text, title.spans) == ["Санкції"]
    assert body.spans == ()


def test_explain_lists_a_title_word_as_matched_in_the_title_alone(eng: Engine):
    assert eng.explain("title:санкції", "s1").matched == (("Санкції", "санкція"),)


def test_search_json_marks_no_body_word_asked_for_in_the_title(eng: Engine):
    out = CliRunner().invoke(main, ["--home", str(eng.home), "search", "title:санкції", "--json"])
    assert out.exit_code == 0, out.output
    hit = json.loads(out.output)["hits"][0]
    assert hit["highlights"] == [] and hit["matched"] == [["Санкції", "санкція"]]


def test_search_and_show_in_colour_mark_the_title_word_and_no_body_word(eng: Engine):
    for command in (["search", "title:санкції"], ["show", "s1", "--query", "title:санкції"]):
        out = CliRunner().invoke(main, ["--home", str(eng.home), "--color", *command])
        assert out.exit_code == 0, out.output
        assert re.findall(r"\x1b\[1;30;43m([^\x1b]+)\x1b\[0m", out.output) == ["Санкції"]  # (bold black on yellow)
