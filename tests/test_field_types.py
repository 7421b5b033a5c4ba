"""Every field of an imported record that holds text (title, text, date, source, url) must
be text: a number in any of them is refused by one rule, with the line and how to write
it, never stored under another spelling. Only an id may be an integer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchkit import Engine
from searchkit.cli import main

TEXT = "Мешканці села відкрили нову бібліотеку."


def import_record(home: Path, tmp_path: Path, record: dict[str, object]) -> tuple[int, str]:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["--home", str(home), "import", str(feed)], catch_exceptions=False)
    return r.exit_code, r.stderr


@pytest.mark.parametrize("field", ["title", "source", "url", "text"])
def test_a_number_in_a_text_field_is_refused_with_its_line_and_how_to_write_it(
        home: Path, tmp_path: Path, field: str) -> None:
    code, said = import_record(home, tmp_path, {"id": "a1", "text": TEXT, field: 123})
    assert code != 0
    assert f'feed.jsonl:1: "{field}" must be text, not a number (put it in quotes: "123")' in said
    assert len([line for line in said.splitlines() if line.startswith("Error:")]) == 1
    with Engine(home) as eng:
        assert eng.stats().articles == 0


def test_a_number_as_a_date_is_refused_as_a_number_as_a_title_is(home: Path, tmp_path: Path) -> None:
    code, said = import_record(home, tmp_path, {"id": "a1", "text": TEXT, "date": 20220101})
    assert code != 0
    assert 'feed.jsonl:1: "date" must be text, not a number: YYYY-MM-DD' in said


def test_true_or_a_list_as_a_title_is_refused_by_what_it_is(home: Path, tmp_path: Path) -> None:
    _, said = import_record(home, tmp_path, {"id": "a1", "text": TEXT, "title": True})
    assert '"title" must be text, not true or false' in said
    _, said = import_record(home, tmp_path, {"id": "a1", "text": TEXT, "title": ["Новина"]})
    assert '"title" must be text, not a list' in said


def test_an_integer_id_is_still_taken_as_text(home: Path, tmp_path: Path) -> None:
    code, _ = import_record(home, tmp_path, {"id": 7, "title": "Нова бібліотека", "text": TEXT})
    assert code == 0
    with Engine(home) as eng:
        assert eng.get("7").title == "Нова бібліотека"
