"""Recovery from a writer that died midway (simulated in-process; the real kill -9 loops
are in test_crash.py): the next writer finishes its job and clears what it left behind."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from searchkit import Engine
from searchkit.backends.whoosh import SearchIndex
from searchkit.ingest import sync
from searchkit.library import PENDING_FILE

from .conftest import ARTICLES, write_jsonl
from .synth import COMMON_WORD, articles
from .synth import write_jsonl as write_synth


class Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs, no except clause catches it."""


def killed_import(engine: Engine, feed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An import of ``feed`` killed once its articles are stored, before they are indexed."""
    with monkeypatch.context() as m:
        m.setattr(SearchIndex, "apply", lambda *a, **k: (_ for _ in ()).throw(Killed))
        with pytest.raises(Killed):
            engine.import_paths([feed])


def test_articles_stored_but_not_indexed_are_indexed_by_the_next_import(engine, tmp_path, monkeypatch):
    write_synth(tmp_path / "more.jsonl", articles(30, prefix="m"))
    killed_import(engine, tmp_path / "more.jsonl", monkeypatch)
    assert engine.corpus.count() == len(ARTICLES) + 30  # stored...
    assert engine.search(COMMON_WORD, collapse=False).total == 0  # ...but not indexed
    assert (engine.home / PENDING_FILE).exists()

    report = Engine(engine.home).import_paths([tmp_path / "more.jsonl"])  # the same file again
    assert report.unchanged == 30 and report.added == 0
    assert engine.search(COMMON_WORD, collapse=False).total == 30
    assert engine.stats().index_up_to_date and not (engine.home / PENDING_FILE).exists()


def test_any_next_import_finishes_the_job_too(engine, tmp_path, monkeypatch):
    write_synth(tmp_path / "more.jsonl", articles(10, prefix="m"))
    killed_import(engine, tmp_path / "more.jsonl", monkeypatch)
    other = write_jsonl(tmp_path / "other.jsonl", [{"id": "z", "text": "Зовсім інша новина."}])
    Engine(engine.home).import_paths([other])
    assert engine.search(COMMON_WORD, collapse=False).total == 11
    assert engine.stats().index_up_to_date


def test_the_next_import_shows_its_catching_up_on_its_indexing_bar(engine, tmp_path, monkeypatch):
    write_synth(tmp_path / "more.jsonl", articles(30, prefix="m"))
    killed_import(engine, tmp_path / "more.jsonl", monkeypatch)
    heard: list[tuple[int, int | None]] = []
    other = write_jsonl(tmp_path / "other.jsonl", [{"id": "z", "text": "Зовсім інша новина."}])
    Engine(engine.home).import_paths([other], index_progress=lambda done, total: heard.append((done, total)))
    # the 30 articles a killed import left are indexed first, and the bar says so
    assert heard and max(total or 0 for _, total in heard) >= 30


def test_an_import_without_index_leaves_the_index_for_later(engine, tmp_path):
    write_synth(tmp_path / "more.jsonl", articles(5, prefix="m"))
    engine.import_paths([tmp_path / "more.jsonl"], index=False)
    assert (engine.home / PENDING_FILE).exists()  # so search says what it cannot find yet
    assert not engine.stats().index_up_to_date
    engine.index()
    assert engine.stats().index_up_to_date and not (engine.home / PENDING_FILE).exists()


def test_a_delete_killed_before_the_index_commit_is_finished_by_the_next_writer(engine, monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(SearchIndex, "apply", lambda *a, **k: (_ for _ in ()).throw(Killed))
        with pytest.raises(Killed):
            engine.delete(["a2"])
    res = engine.search("табори")  # the index still has it: said, not listed without its file
    assert engine.corpus.get("a2") is None and any("deleted from corpus/" in w for w in res.warnings)
    Engine(engine.home).import_paths([])
    assert engine.search("табори").total == 0 and engine.stats().index_up_to_date


def test_the_next_writer_removes_what_a_killed_writer_left(engine):
    index_dir = engine.home / "index"
    live = (index_dir / "CURRENT").read_text().strip()
    (index_dir / "gen-999999").mkdir()  # a rebuild killed halfway
    (index_dir / "gen-999999" / "MAIN_x.seg").write_bytes(b"half")
    (index_dir / ".CURRENT.123.tmp").write_text("gen-999999")
    (index_dir / live / "MAIN.tmp").mkdir()  # Whoosh's pool of a killed writer
    (index_dir / live / "MAIN.tmp" / "run1").write_bytes(b"x" * 100)
    (index_dir / live / "_MAIN_99.toc.1700000000.5").write_bytes(b"toc")
    (index_dir / live / ".runs-k7x2").mkdir()  # sorted runs of a killed writer
    (index_dir / live / ".runs-k7x2" / "a.run").write_bytes(b"x" * 100)
    (index_dir / live / "MAIN_k7x2aaaaaaaaaaaa.pst").write_bytes(b"p" * 100)  # a killed second process's segment
    shard = next(p for p in (engine.home / "corpus").iterdir() if p.is_dir())
    (shard / ".a1.json.4242.tmp").write_text('{"id": "a1", "te')  # a put killed mid-write
    before = engine.search("табори").total

    engine.index()
    assert sorted(os.listdir(index_dir)) == ["CURRENT", live]
    assert not (index_dir / live / "MAIN.tmp").exists()
    assert not list((index_dir / live).glob("_MAIN_*.toc.*"))
    assert not (index_dir / live / ".runs-k7x2").exists()
    assert not (index_dir / live / "MAIN_k7x2aaaaaaaaaaaa.pst").exists()
    assert not list(shard.glob(".*.tmp"))
    assert engine.search("табори").total == before and engine.stats().index_up_to_date


def test_a_first_build_killed_halfway_starts_over(home, tmp_path):
    (home / "index" / "gen-000001").mkdir(parents=True)  # no CURRENT: nothing was ever live
    (home / "index" / "gen-000001" / "junk").write_bytes(b"x")
    eng = Engine(home)
    eng.import_paths([write_jsonl(tmp_path / "a.jsonl", ARTICLES)])
    gens = [p.name for p in (home / "index").iterdir() if p.name.startswith("gen-")]
    assert gens == [(home / "index" / "CURRENT").read_text().strip()]
    assert eng.search("табори").total == 1


def test_an_import_killed_while_it_learnt_topics_is_finished_with_them_by_the_next_import(tmp_path, monkeypatch):
    from searchkit.ingest import sync

    from .test_topics import archive

    eng = Engine.init(tmp_path / "home")
    eng.import_paths([write_jsonl(tmp_path / "few.jsonl", archive()[:5])])  # too few to learn from
    feed = write_jsonl(tmp_path / "all.jsonl", archive()[5:])
    with monkeypatch.context() as m:  # the import grows the archive past it: a rebuild, killed as it learns
        m.setattr(sync.topics, "learn", lambda *a, **k: (_ for _ in ()).throw(Killed))
        with pytest.raises(Killed):
            eng.import_paths([feed])
    again = Engine(eng.home)
    report = again.import_paths([feed])  # the same file: every article stored, unchanged
    assert report.unchanged == len(archive()) - 5 and report.added == 0
    stats = again.stats()
    # (it used to update the index it found, too small to call for a model, and learn none)
    assert stats.topics_learnt_from == len(archive()) and stats.index_up_to_date and not stats.topics_due
    eng.close()
    again.close()


def test_stats_say_an_index_that_missed_its_topic_model_is_not_up_to_date_and_index_learns_it(tmp_path,
                                                                                               monkeypatch):
    from click.testing import CliRunner

    from searchkit.cli import main
    from searchkit.ingest import sync

    from .test_topics import archive

    home = tmp_path / "home"
    eng = Engine.init(home)
    eng.import_paths([write_jsonl(tmp_path / "few.jsonl", archive()[:5])])
    with monkeypatch.context() as m:  # an index of every article and no model, as a stopped build left one
        m.setattr(sync.topics, "outgrown", lambda *a, **k: False)
        eng.import_paths([write_jsonl(tmp_path / "all.jsonl", archive()[5:])])
    stats = eng.stats()
    assert stats.topics_due and not stats.index_up_to_date and stats.topics_learnt_from == 0
    assert "topic model is not learnt" in (stats.index_outdated_reason or "")
    assert stats.to_json()["topics_due"] is True
    shown = CliRunner().invoke(main, ["--home", str(home), "stats"]).output
    assert "share too few words" not in shown  # (it blamed the articles)
    assert "not learnt from its articles (`searchkit --home" in shown and "run `searchkit" in shown
    assert eng.index().rebuilt
    stats = eng.stats()
    assert stats.index_up_to_date and not stats.topics_due and stats.topics_learnt_from == len(archive())
    eng.close()


def test_a_search_after_a_killed_delete_neither_lists_nor_counts_the_deleted_articles_and_says_so(home, tmp_path,
                                                                                                   monkeypatch):
    import json

    from click.testing import CliRunner

    from searchkit.cli import main

    eng = Engine(home)
    write_synth(tmp_path / "feed.jsonl", articles(30, prefix="d"))
    eng.import_paths([tmp_path / "feed.jsonl"])
    doomed = [f"d{i:06d}" for i in range(0, 30, 3)]
    with monkeypatch.context() as m:  # killed once the files are gone, before the index's commit
        m.setattr(SearchIndex, "apply", lambda *a, **k: (_ for _ in ()).throw(Killed))
        with pytest.raises(Killed):
            eng.delete(doomed)
    assert (home / PENDING_FILE).exists() and eng.corpus.count() == 20
    note = "10 articles deleted from corpus/ are still in the index: left out of what a search lists and counts"
    for page in (1, 2, 3):  # (every page counts the same, and none is short)
        res = eng.search(COMMON_WORD, collapse=False, limit=7, page=page)
        assert (res.total, res.matched) == (20, 20) and len(res.hits) == (7, 7, 6)[page - 1]
        assert not {h.id for h in res.hits} & set(doomed) and any(note in w for w in res.warnings)
    # (it said (0, 20) and counted 30: only `stats` noticed)
    assert eng.unindexed() == (10, 20) and eng.backlog().deleted == 10 and eng.count() == 20
    r = CliRunner().invoke(main, ["--home", str(home), "search", COMMON_WORD, "--no-collapse", "--json"])
    out = json.loads(r.stdout)
    assert out["total"] == 20 and out["deleted"] == 10 and any(note in w for w in out["warnings"])
    r = CliRunner().invoke(main, ["--home", str(home), "search", COMMON_WORD, "--no-collapse"])
    assert f"Note: {note} until `searchkit --home" in r.stdout and "20 matches" in r.stdout
    Engine(home).index()
    res = eng.search(COMMON_WORD, collapse=False, limit=50)
    assert res.total == 20 and res.warnings == () and eng.unindexed() == (0, 20)
    eng.close()


#: Articles of three months about one river, to count by month.
FLOODS = [
    {"id": "f1", "title": "Повінь у березні", "date": "2024-03-02", "text": "Річка вийшла з берегів після злив."},
    {"id": "f2", "title": "Вода спадає", "date": "2024-03-20", "text": "Вода в річці спадає, дорогу знову відкрили."},
    {"id": "f3", "title": "Знову повінь", "date": "2024-04-11", "text": "Після снігу річка знову піднялася."},
    {"id": "f4", "title": "Береги укріпили", "date": "2024-05-06", "text": "Береги річки укріпили камінням."},
]


def test_the_timeline_after_a_killed_delete_counts_no_deleted_article(home, tmp_path, monkeypatch):
    import json

    from click.testing import CliRunner

    from searchkit.cli import main

    eng = Engine(home)
    eng.import_paths([write_jsonl(tmp_path / "floods.jsonl", FLOODS)])
    assert eng.timeline("річка") == [("2024-03", 2), ("2024-04", 1), ("2024-05", 1)]
    with monkeypatch.context() as m:  # killed once the files are gone, before the index's commit
        m.setattr(SearchIndex, "apply", lambda *a, **k: (_ for _ in ()).throw(Killed))
        with pytest.raises(Killed):
            eng.delete(["f2", "f4"])
    left = [("2024-03", 1), ("2024-04", 1)]
    assert eng.timeline("річка") == left
    res = eng.search("річка", months=True)
    assert list(res.months or ()) == left and res.matched_all == 2
    r = CliRunner().invoke(main, ["--home", str(home), "search", "річка", "--timeline", "--json"])
    assert json.loads(r.stdout)["timeline"] == [list(m) for m in left]
    Engine(home).index()
    assert eng.timeline("річка") == left and eng.search("річка", months=True).warnings == ()
    eng.close()


def test_files_deleted_from_corpus_by_hand_are_left_out_of_searches_and_said(engine, monkeypatch):
    assert engine.search("табори").total == 1
    (engine.corpus.path_for("a2")).unlink()  # no writer, no mark: fewer files than indexed articles
    res = engine.search("табори")  # (the files were counted a moment ago: the hit is found gone)
    assert res.total == 0 and res.hits == () and any("deleted from corpus/" in w for w in res.warnings)
    monkeypatch.setattr(sync, "RECOUNT_SECONDS", 0.0)  # (as after a second: the files counted again)
    res = engine.search("табори")
    assert res.total == 0 and any("1 article deleted from corpus/ is still in the index" in w for w in res.warnings)
    assert engine.unindexed() == (1, len(ARTICLES) - 1) and engine.count() == len(ARTICLES) - 1
    engine.index()
    assert engine.search("табори").warnings == () and engine.unindexed() == (0, len(ARTICLES) - 1)


def test_a_count_of_the_files_that_found_some_deleted_by_hand_is_not_trusted_for_long(engine, monkeypatch):
    assert engine.count() == len(ARTICLES)  # (counted: none gone, trusted for a while)
    (engine.corpus.path_for("a2")).unlink()
    monkeypatch.setattr(sync, "RECOUNT_SECONDS", 0.0)
    assert engine.count() == len(ARTICLES) - 1
    monkeypatch.setattr(sync, "RECOUNT_SECONDS", 3600.0)  # found gone: counted again each time
    assert engine.count() == len(ARTICLES) - 1
    assert engine.search("табори").total == 0
