"""A feed whose records carry their dates in another field than ``date`` (``year``) is
imported undated, and the import says so once per file, naming the field."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from searchkit import Engine
from searchkit.cli import main

from .conftest import write_jsonl

YEARS = [
    {"id": "y1", "title": "Мовні табори", "year": 2016, "text": "Діти вчили англійську в таборі."},
    {"id": "y2", "title": "Ціни на газ", "year": "2016", "text": "Уряд підняв ціни на газ."},
    {"id": "y3", "title": "Новий міст", "year": 2017, "date": "2017-05-02", "text": "У місті відкрили новий міст."},
]


def test_records_dated_only_by_year_are_said_once_per_file(tmp_path: Path) -> None:
    eng = Engine.init(tmp_path / "home")
    feed = write_jsonl(tmp_path / "feed.jsonl", YEARS)
    report = eng.import_paths([feed])
    assert report.added == 3
    said = [w for w in report.warnings if '"year"' in w]
    assert said == [f'{feed}: 2 records have "year" but no "date": they are undated (give "date": "YYYY-MM-DD")']
    assert eng.get("y1").date is None and eng.get("y1").extra["year"] == 2016  # kept, not used


def test_a_date_field_named_otherwise_is_said_by_its_name(tmp_path: Path) -> None:
    eng = Engine.init(tmp_path / "home")
    feed = write_jsonl(tmp_path / "feed.jsonl", [
        {"id": "p1", "published": "2024-02-01", "text": "Сніг засипав дороги."}])
    assert [w for w in eng.import_paths([feed]).warnings if "undated" in w] == [
        f'{feed}: 1 record has "published" but no "date": it is undated (give "date": "YYYY-MM-DD")']


def test_a_feed_with_dates_gets_no_warning(tmp_path: Path) -> None:
    eng = Engine.init(tmp_path / "home")
    feed = write_jsonl(tmp_path / "feed.jsonl", [YEARS[2], {"id": "n", "text": "Без дати і без року."}])
    assert not eng.import_paths([feed]).warnings


def test_the_cli_warns_about_undated_records_once(tmp_path: Path) -> None:
    home = tmp_path / "home"
    Engine.init(home)
    feed = write_jsonl(tmp_path / "feed.jsonl", YEARS)
    out = CliRunner().invoke(main, ["--home", str(home), "import", str(feed)])
    assert out.exit_code == 0, out.output
    assert out.output.count('have "year" but no "date"') == 1
