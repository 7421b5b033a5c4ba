"""A function word typed beside subject words (``на`` in ``ціни на газ``) only ranks: it is
marked only between their matches, in show, snippets, explain and ``matched`` alike."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from searchkit import Engine
from searchkit.cli import main

from .conftest import imported

TEXT = ("Уряд знову підняв ціни на газ. Тепер норма газу на людину менша. "
        "На ринку кажуть, що на зиму газ і вугілля подорожчають.")
ARTICLES = [
    {"id": "gas", "title": "Ціни на газ", "date": "2024-02-01", "text": TEXT},
    {"id": "other", "title": "Погода", "date": "2024-02-02", "text": "На вихідних у горах випаде сніг."},
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    eng = imported(tmp_path_factory.mktemp("marks"), ARTICLES)
    yield eng
    eng.close()


def marked(snippet) -> list[str]:
    return [snippet.text[s.start : s.end] for s in snippet.spans]


def test_show_marks_a_function_word_only_between_the_subject_words(engine: Engine):
    title, body = engine.highlight(engine.get("gas"), "ціни на газ")
    assert marked(title) == ["Ціни", "на", "газ"]
    # ``на`` beside one subject word only (``газу на людину``, ``на зиму газ``) is not marked;
    # ``і`` between two matches is not a query word, so it is never marked
    assert marked(body) == ["ціни", "на", "газ", "газу", "газ"]


def test_a_query_of_function_words_alone_marks_them_everywhere(engine: Engine):
    _, body = engine.highlight(engine.get("gas"), "на")
    assert [w.lower() for w in marked(body)] == ["на", "на", "на", "на"]


def test_a_function_word_of_a_phrase_is_marked_only_inside_it(engine: Engine):
    _, body = engine.highlight(engine.get("gas"), '"ціни на газ"')
    assert marked(body) == ["ціни", "на", "газ", "газу", "газ"]


def test_snippets_and_matched_words_leave_out_function_words_standing_alone(engine: Engine):
    hit = engine.search("газ на", limit=5).hits[0]
    assert hit.id == "gas"
    assert "на" not in marked(hit.snippet) and "газ" in marked(hit.snippet)
    assert [w for w, _ in hit.matched] == ["газ", "газу"]


def test_explain_lists_a_function_word_only_where_it_stands_between_matches(engine: Engine):
    words = [w for w, _ in engine.explain("ціни на газ", "gas").matched]
    assert words.count("на") == 1 and "На" not in words


def test_the_cli_marks_a_function_word_only_inside_the_run(engine: Engine):
    out = CliRunner().invoke(main, ["--home", str(engine.home), "--color", "show", "gas", "--query", "ціни на газ"])
    assert out.exit_code == 0, out.output
    assert re.findall(r"\x1b\[1;30;43m(\w+)\x1b\[0m", out.output) == ["Ціни", "на", "газ", "ціни", "на", "газ",
                                                                   "газу", "газ"]


@pytest.mark.parametrize("typed", ["то\u0301", "ТО", "то\u200b"])
def test_a_function_word_with_a_stress_mark_or_capitals_only_ranks_as_typed_plainly(engine: Engine, typed: str):
    res = engine.search(f"{typed} газ")
    assert [h.id for h in res.hits] == ["gas"] and res.matched_all == 1 and not res.missing
