"""Ids within one import: a .txt or .html file's article takes its id from the file's
name, so two files of one name in one import are two stories (the second is refused, never
stored over the first); and what another import stored is never one of this import's."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from searchkit import Engine

from .conftest import write_jsonl


def page(path: Path, title: str, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<html><head><title>{title}</title></head><body><p>{text}</p></body></html>", encoding="utf-8")
    return path


def test_two_pages_of_one_name_in_two_folders_are_not_one_article_updated(tmp_path: Path) -> None:
    page(tmp_path / "site/2022/03/index.html", "Березень", "Новини березня про школу.")
    page(tmp_path / "site/2022/04/index.html", "Квітень", "Новини квітня про лікарню.")
    eng = Engine.init(tmp_path / "home")
    report = eng.import_paths([tmp_path / "site"])
    assert (report.added, report.updated, report.failed) == (1, 0, 1)
    assert "site/2022/04/index.html" in report.errors[0] and "site/2022/03/index.html" in report.errors[0]
    assert "rename" in report.errors[0]
    assert [h.title for h in eng.search("школа").hits] == ["Березень"]  # the first page is kept


def test_a_file_and_a_feed_record_of_one_id_in_one_import_keep_the_first(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    write_jsonl(tmp_path / "in/a.jsonl", [{"id": "cp", "title": "Запис", "text": "Текст запису про музей."}])
    page(tmp_path / "in/cp.html", "Сторінка", "Сторінка про театр.")
    eng = Engine.init(tmp_path / "home")
    report = eng.import_paths([tmp_path / "in"])  # a folder is read in name order: a.jsonl first
    assert (report.added, report.failed) == (1, 1) and "cp.html" in report.errors[0]
    assert eng.search("музей").total == 1 and eng.search("театр").total == 0


def test_a_file_imported_again_updates_its_own_article(tmp_path: Path) -> None:
    path = page(tmp_path / "news/story.html", "Новина", "Перша версія про школу.")
    eng = Engine.init(tmp_path / "home")
    assert eng.import_paths([path]).added == 1
    page(path, "Новина", "Друга версія про школу.")
    report = eng.import_paths([path])
    assert (report.updated, report.failed) == (1, 0)


def test_an_import_that_waited_for_anothers_lock_takes_none_of_its_articles_for_its_own(tmp_path: Path) -> None:
    first, waiting = Engine.init(tmp_path / "home"), Engine(tmp_path / "home")
    page(tmp_path / "later/story.html", "Новина", "Друга версія про школу.")
    feed = write_jsonl(tmp_path / "feed.jsonl", [{"id": "story", "title": "Новина", "text": "Перша версія."},
                                                 {"id": "other", "title": "Інша", "text": "Інша новина."}])
    got = {}
    with first.lock:
        later = threading.Thread(target=lambda: got.update(r=waiting.import_paths([tmp_path / "later"])))
        later.start()
        time.sleep(0.3)  # it is waiting for the lock now
        assert first.import_paths([feed]).added == 2
    later.join()
    report = got["r"]
    assert (report.updated, report.failed, report.warnings) == (1, 0, [])


def test_one_file_named_twice_in_an_import_is_one_article_not_a_clash(tmp_path: Path) -> None:
    path = page(tmp_path / "news/story.html", "Новина", "Текст про школу.")
    report = Engine.init(tmp_path / "home").import_paths([path, path])
    assert (report.added, report.failed, report.replaced) == (1, 0, 1)
