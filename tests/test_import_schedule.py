"""When an import commits the index: once at its end into no index, in growing steps
into a small one, in bounded batches into a big one."""

from __future__ import annotations

import pytest

from searchkit import Engine, library
from searchkit.backends.whoosh import SearchIndex
from searchkit.ingest.schedule import CommitSchedule
from searchkit.store.corpus import Corpus
from searchkit.text import topics

from .synth import articles, write_jsonl


def feed(path, records):
    write_jsonl(path, records)
    return path

QUERIES = ["мовні табори", "Києві OR Львові", "лікарні -школи", "новий міст", "рада*", '"нові школи"']


def test_the_schedule_commits_at_the_end_in_growing_steps_or_in_bounded_batches():
    assert CommitSchedule(None, batch=10).limit() is None  # no index: only the end
    s = CommitSchedule(14, batch=20, growth=1.0, most=100)
    limits = []
    for _ in range(6):
        limits.append(s.limit())
        s.committed(s.limit() or 0)
    assert limits == [20, 34, 68, 100, 100, 100]
    assert not s.due(99) and s.due(100)


def spy_writes(monkeypatch):
    calls: list[tuple[str, int | None]] = []
    real_apply, real_rebuild = SearchIndex.apply, SearchIndex.rebuild

    def apply(self, *args, **kwargs):
        calls.append(("apply", kwargs.get("total")))
        return real_apply(self, *args, **kwargs)

    def rebuild(self, *args, **kwargs):
        calls.append(("rebuild", kwargs.get("total")))
        return real_rebuild(self, *args, **kwargs)

    monkeypatch.setattr(SearchIndex, "apply", apply)
    monkeypatch.setattr(SearchIndex, "rebuild", rebuild)
    return calls


def results(eng: Engine) -> list[dict[str, float]]:
    """Every hit's score (the order of equal scores follows the documents' order in the index)."""
    return [{h.id: round(h.score or 0, 6) for h in eng.search(q, limit=500, collapse=False).hits} for q in QUERIES]


def test_an_import_into_an_empty_home_is_one_build_with_a_rebuilds_results(home, tmp_path, monkeypatch):
    monkeypatch.setattr(library, "IMPORT_BATCH", 40)
    calls = spy_writes(monkeypatch)
    data = feed(tmp_path / "feed.jsonl", articles(400, prefix="e"))
    eng = Engine(home)
    report = eng.import_paths([data])
    assert report.added == 400 and report.failed == 0
    assert [kind for kind, _ in calls] == ["rebuild"]  # not ten commits of 40
    assert eng.backend_index.segment_count() == 1  # both processes built it, as one segment
    imported = results(eng)
    assert any(imported)
    eng.index(rebuild=True)
    assert results(eng) == imported
    assert eng.stats().index_up_to_date
    eng.close()


def test_an_import_into_a_small_index_commits_in_steps_that_grow_with_it(home, tmp_path, monkeypatch):
    monkeypatch.setattr(library, "IMPORT_BATCH", 10)
    monkeypatch.setattr(topics, "MIN_ARTICLES", 1000)  # no topic model to learn on the way
    eng = Engine(home)
    eng.import_paths([feed(tmp_path / "base.jsonl", articles(20, prefix="b"))])
    calls = spy_writes(monkeypatch)
    eng.import_paths([feed(tmp_path / "more.jsonl", articles(100, prefix="m", seed=2))])
    # 20 indexed: commits after 20 changed (then 40 indexed), 40 (80), and the last 40
    assert calls == [("apply", 20), ("apply", 40), ("apply", 40)]
    assert eng.stats().articles == 120
    eng.close()


def test_an_import_into_a_big_index_commits_at_most_every_batch_max(home, tmp_path, monkeypatch):
    monkeypatch.setattr(library, "IMPORT_BATCH", 10)
    monkeypatch.setattr(library, "IMPORT_BATCH_MAX", 15)
    eng = Engine(home)
    eng.import_paths([feed(tmp_path / "base.jsonl", articles(60, prefix="b"))])
    calls = spy_writes(monkeypatch)
    eng.import_paths([feed(tmp_path / "more.jsonl", articles(40, prefix="m", seed=2))])
    assert calls == [("apply", 15), ("apply", 15), ("apply", 10)]
    eng.close()


def test_an_import_interrupted_before_its_build_leaves_the_old_index_and_the_articles(home, tmp_path, monkeypatch):
    eng = Engine(home)
    eng.import_paths([feed(tmp_path / "base.jsonl", articles(5, prefix="b"))])
    (home / "index" / "CURRENT").unlink()  # an index to build again: the import builds at its end
    eng.close()
    eng = Engine(home)
    real = Corpus.put
    stored = []

    def put(self, article):
        if len(stored) == 30:
            raise KeyboardInterrupt
        stored.append(article.id)
        return real(self, article)

    monkeypatch.setattr(Corpus, "put", put)
    with pytest.raises(KeyboardInterrupt):
        eng.import_paths([feed(tmp_path / "more.jsonl", articles(50, prefix="m", seed=2))])
    monkeypatch.setattr(Corpus, "put", real)
    assert (home / ".searchkit.pending").exists()
    assert all(eng.corpus.path_for(i).exists() for i in stored)
    eng.close()
    eng = Engine(home)
    assert eng.unindexed()[0] > 0 or eng.index_status() is not None
    report = eng.import_paths([feed(tmp_path / "more.jsonl", articles(50, prefix="m", seed=2))])
    assert report.added == 20 and report.unchanged == 30
    assert eng.stats().articles == 55 and eng.stats().index_up_to_date
    assert not (home / ".searchkit.pending").exists()
    eng.close()


def test_an_article_twice_in_an_import_built_at_its_end_is_indexed_once_as_last_given(home, tmp_path):
    recs = list(articles(350, prefix="d"))
    twice = dict(recs[10], title="Друга версія", text="Зовсім інший текст про мовні табори.")
    eng = Engine(home)
    report = eng.import_paths([feed(tmp_path / "feed.jsonl", [*recs, twice])])
    assert report.added == 350 and report.warnings
    assert eng.stats().articles == 350 and eng.stats().index_up_to_date
    hits = eng.search("title:Друга версія", collapse=False).hits
    assert [h.id for h in hits] == [recs[10]["id"]]
    assert eng.search(f'"{recs[10]["title"]}"', collapse=False).total == 0 or recs[10]["title"] == twice["title"]
    eng.close()


def test_a_home_with_articles_and_no_index_gets_them_all_indexed_by_an_import(home, tmp_path):
    eng = Engine(home)
    eng.import_paths([feed(tmp_path / "old.jsonl", articles(30, prefix="o"))], index=False)
    report = eng.import_paths([feed(tmp_path / "new.jsonl", articles(20, prefix="n", seed=3))])
    assert report.added == 20
    assert eng.stats().articles == 50 and eng.stats().index_up_to_date
    eng.close()
