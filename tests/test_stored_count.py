"""The count of stored articles behind the "not searchable yet" note: folders of corpus/
that did not change since they were counted are not listed again, and every change is
still counted."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from searchkit import Engine
from searchkit.ingest import sync
from searchkit.models import Article
from searchkit.store import corpus, dircount

from .conftest import write_jsonl

ARTICLES = [
    {"id": f"a{i}", "title": f"Новина {i}", "text": f"Мовні табори відкрили в місті номер {i}."}
    for i in range(12)
]


@pytest.fixture
def listed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The folders of corpus/ listed to count their files."""
    seen: list[str] = []
    real = corpus._articles_in

    def spy(folder: str) -> int:
        seen.append(folder)
        return real(folder)

    monkeypatch.setattr(corpus, "_articles_in", spy)
    return seen


def test_unchanged_folders_are_counted_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      listed: list[str]):
    monkeypatch.setattr(dircount, "SETTLED_NS", 0)  # these folders changed a moment ago
    eng = Engine.init(tmp_path / "home")
    eng.import_paths([write_jsonl(tmp_path / "a.jsonl", ARTICLES)])
    time.sleep(0.05)  # past the file system's clock tick
    assert eng.unindexed() == (0, 12)
    assert listed
    listed.clear()
    assert eng.unindexed() == (0, 12)
    assert listed == []
    eng.close()


def test_an_article_stored_since_the_last_count_is_counted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           listed: list[str]):
    monkeypatch.setattr(dircount, "SETTLED_NS", 0)
    eng = Engine.init(tmp_path / "home")
    eng.import_paths([write_jsonl(tmp_path / "a.jsonl", ARTICLES)])
    time.sleep(0.05)
    assert eng.unindexed() == (0, 12)
    # (put in corpus/ by hand: an import with index=False sets the pending mark, and the
    # note then compares every file's stamp instead of counting)
    eng.corpus.put(Article(id="b1", title="Ще одна", text="Табори закрили на зиму."))
    listed.clear()
    assert eng.unindexed() == (1, 13)
    assert len(listed) == 1  # only the folder the new article went to
    eng.close()


def test_a_folder_changed_just_before_its_count_is_listed_every_time(tmp_path: Path, listed: list[str]):
    eng = Engine.init(tmp_path / "home")
    eng.import_paths([write_jsonl(tmp_path / "a.jsonl", ARTICLES)])
    assert eng.unindexed() == (0, 12)
    first = len(listed)
    assert eng.unindexed() == (0, 12)
    assert len(listed) == 2 * first  # a change in the same clock tick would not move the ctime
    eng.close()


def test_a_damaged_cache_only_costs_a_listing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(dircount, "SETTLED_NS", 0)
    eng = Engine.init(tmp_path / "home")
    eng.import_paths([write_jsonl(tmp_path / "a.jsonl", ARTICLES)])
    time.sleep(0.05)
    assert eng.unindexed() == (0, 12)
    for cached in dircount.cache_dir().glob("counts-*.json"):
        cached.write_text('{"00": [1, 2, "три"], "ab": "не список"', encoding="utf-8")
    assert eng.unindexed() == (0, 12)
    eng.close()


def test_the_note_on_what_a_search_cannot_find_counts_the_files_of_corpus_once(tmp_path: Path,
                                                                               monkeypatch: pytest.MonkeyPatch):
    eng = Engine.init(tmp_path / "home")
    eng.import_paths([write_jsonl(tmp_path / "a.jsonl", ARTICLES)])
    root = (eng.home / "corpus").resolve()
    counts: list[str] = []  # corpus/ listed: each count of its files lists it once
    real = os.scandir

    def scandir(path: str = ".") -> object:
        if isinstance(path, (str, os.PathLike)) and Path(path).resolve() == root:
            counts.append(os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    # (the articles not indexed yet and those deleted since: both from the one count)
    backlog = eng.backlog()
    assert (backlog.behind, backlog.stored, backlog.deleted, len(counts)) == (0, 12, 0, 1)
    counts.clear()
    # (the count a moment ago found none deleted: trusted for a second, see sync.RECOUNT_SECONDS)
    assert eng.search("табори").total == 12 and len(counts) == 0
    monkeypatch.setattr(sync, "RECOUNT_SECONDS", 0.0)
    assert eng.search("табори").total == 12 and len(counts) == 1  # (the search's own look for deleted files)
    eng.close()
