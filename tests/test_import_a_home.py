"""Importing a folder that is (or holds) a searchkit home reads its articles, not its
index or settings, and says so."""

from __future__ import annotations

import shutil

from click.testing import CliRunner

from searchkit import Engine
from searchkit.cli import main

from .conftest import ARTICLES, write_jsonl


def test_importing_a_whole_home_reads_its_corpus_and_skips_its_index(engine, tmp_path):
    other = tmp_path / "other"
    Engine.init(other).close()
    r = CliRunner().invoke(main, ["--home", str(other), "import", str(engine.home)], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert f"{engine.home} is a searchkit home: its articles (corpus/) were read, its index and settings " \
           "skipped" in r.output
    assert "Imported: 4 added, 0 updated, 0 unchanged, 0 failed." in r.output
    with Engine(other) as eng:
        assert sorted(a.id for a in eng.stored([a["id"] for a in ARTICLES])) == ["a1", "a2", "a3", "a4"]


def test_a_home_inside_an_imported_folder_gives_its_articles_only(engine, tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    write_jsonl(folder / "more.jsonl", [{"id": "m1", "text": "Нові станції метро відкрили взимку."}])
    (engine.home / "searchkit.toml").write_text("[index]\nbackend = \"whoosh\"\n", encoding="utf-8")
    engine.close()
    shutil.copytree(engine.home, folder / "home")
    with Engine.init(tmp_path / "other") as eng:
        report = eng.import_paths(folder)
        assert (report.added, report.failed) == (5, 0)
        assert any("is a searchkit home" in w and str(folder / "home") in w for w in report.warnings)


def _article(path, title, text):
    path.write_text(f"date 2024-03-0{len(title) % 9 + 1}\n{title}\n{text}\n", encoding="utf-8")


def test_a_folder_of_articles_made_a_home_imports_the_files_beside_its_corpus(tmp_path):
    news = tmp_path / "news"
    news.mkdir()
    _article(news / "mist.txt", "Новий міст у Сумах", "У Сумах відкрили новий міст через річку.")
    _article(news / "shkola.txt", "Школа в Ірпені", "В Ірпені відбудували школу після обстрілу.")
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(news)]).exit_code == 0
    (news / "lexicon.tsv").write_text("ЗСУ = Збройні сили України\n", encoding="utf-8")
    first = runner.invoke(main, ["--home", str(news), "import", str(news)], catch_exceptions=False)
    assert first.exit_code == 0, first.output
    assert "Imported: 2 added, 0 updated, 0 unchanged, 0 failed." in first.output
    assert "Warning" not in first.output  # no "no files in it", no settings file "skipped"
    again = runner.invoke(main, ["--home", str(news), "import", str(news)], catch_exceptions=False)
    assert "Imported: 0 added, 0 updated, 2 unchanged, 0 failed." in again.output


def test_a_folder_holding_the_home_imported_into_leaves_that_home_out(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    _article(folder / "mist.txt", "Новий міст у Сумах", "У Сумах відкрили новий міст через річку.")
    with Engine.init(folder / "home") as eng:
        first = eng.import_paths(folder)
        again = eng.import_paths(folder)
    assert (first.added, first.failed, first.warnings) == (1, 0, [])
    assert (again.added, again.unchanged, again.failed, again.warnings) == (0, 1, 0, [])
