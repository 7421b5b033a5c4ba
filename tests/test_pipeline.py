"""Preparing documents in a worker process gives what the serial path gives."""

from __future__ import annotations

import threading

import pytest

from searchkit import Engine
from searchkit import pipeline as _pipeline
from searchkit.analysis import Analyzer
from searchkit.corpus import Corpus
from searchkit.models import Article
from searchkit.pipeline import prepare_all

TEXTS = [
    "Рада ухвалила закон про мову. Депутати довго сперечалися.",
    "У Львові відкрили виставку старих мап і гравюр.",
    "Політв’язнів звільнили після переговорів у Мінську.",
    "Школярі з Полтави перемогли на олімпіаді з математики.",
]


@pytest.fixture
def corpus(tmp_path) -> Corpus:
    c = Corpus(tmp_path / "corpus")
    for i in range(23):
        c.put(Article(id=f"n{i}", title=f"Новина {i}", text=TEXTS[i % len(TEXTS)] * (1 + i % 3), date=None))
    return c


def relpaths(c: Corpus) -> list[str]:
    return [f.relpath for f in c.scan()]


def test_worker_process_prepares_the_same_documents_in_order(corpus, monkeypatch):
    monkeypatch.setattr("searchkit.pipeline.CHUNK", 4)  # several chunks in flight
    paths = relpaths(corpus)
    serial = list(prepare_all(corpus, paths, Analyzer(), parallel=False))
    parallel = list(prepare_all(corpus, paths, Analyzer(), parallel=True))
    assert [p.relpath for p in parallel] == paths
    assert parallel == serial


# The real function, taken before any test patches the module: a spawned worker (a test
# run with other threads alive) imports this file afresh and finds it here too.
_REAL_CHUNK = _pipeline._prepare_chunk


def _slow_chunk(relpaths, learned):
    import time

    time.sleep(0.3)
    return _REAL_CHUNK(relpaths, learned)


def test_writer_prepares_articles_itself_while_the_worker_is_behind_keeping_the_order(corpus, monkeypatch):
    from searchkit import pipeline

    monkeypatch.setattr(pipeline, "CHUNK", 4)
    monkeypatch.setattr(pipeline, "STEAL", 2)
    monkeypatch.setattr(pipeline, "AHEAD", 2)  # chunks left to take over
    # Every chunk the worker prepares takes 0.3 s longer.
    monkeypatch.setattr(pipeline, "_prepare_chunk", _slow_chunk)
    here: list[str] = []
    real = pipeline.prepare_file

    def counted(c, relpath, analyzer):
        here.append(relpath)
        return real(c, relpath, analyzer)

    monkeypatch.setattr(pipeline, "prepare_file", counted)
    paths = relpaths(corpus)
    out = list(prepare_all(corpus, paths, Analyzer(), parallel=True))
    stolen = list(here)
    here.clear()
    serial = list(prepare_all(corpus, paths, Analyzer(), parallel=False))
    assert out == serial
    assert 0 < len(stolen) < len(paths)  # both processes did part of the work
    assert len(set(stolen)) == len(stolen)  # nothing prepared twice


def test_damaged_and_vanished_files_are_reported_not_fatal(corpus):
    paths = relpaths(corpus)
    (corpus.root / paths[2]).write_text("{not json", encoding="utf-8")
    (corpus.root / paths[5]).unlink()
    out = list(prepare_all(corpus, paths, Analyzer(), parallel=True))
    assert out[2].doc is None and paths[2] in out[2].error
    assert out[5].doc is None and out[5].error is None
    assert sum(p.doc is not None for p in out) == len(paths) - 2


def test_spawned_worker_is_used_when_other_threads_run(corpus):
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        from searchkit.pipeline import _context

        assert _context().get_start_method() == "spawn"
        out = list(prepare_all(corpus, relpaths(corpus)[:3], Analyzer(), parallel=True))
        assert all(p.doc is not None for p in out)
    finally:
        stop.set()
        t.join()


def test_rebuild_through_the_worker_finds_what_the_serial_rebuild_finds(tmp_path, monkeypatch):
    home = tmp_path / "home"
    eng = Engine.init(home)
    for i, text in enumerate(TEXTS * 5):
        eng.corpus.put(Article(id=f"d{i}", title=f"Замітка {i}", text=text, date=None))
    monkeypatch.setattr("searchkit.pipeline.MIN_PARALLEL", 10**9)
    eng.index(rebuild=True)
    serial = [(h.id, h.snippet.text) for h in eng.search("політв'язні", limit=50)]
    monkeypatch.setattr("searchkit.pipeline.MIN_PARALLEL", 1)
    report = eng.index(rebuild=True)
    assert report.indexed == len(TEXTS) * 5
    assert [(h.id, h.snippet.text) for h in eng.search("політв'язні", limit=50)] == serial
    eng.close()


def test_the_two_processes_share_the_words_they_looked_up(corpus, monkeypatch):
    from searchkit import pipeline

    monkeypatch.setattr(pipeline, "CHUNK", 4)
    monkeypatch.setattr(pipeline, "AHEAD", 1)
    monkeypatch.setattr(pipeline, "MAX_PENDING", 0)  # the writer never prepares an article itself
    analyzer = Analyzer()
    out = list(prepare_all(corpus, relpaths(corpus), analyzer, parallel=True))
    assert all(p.doc is not None for p in out)
    # The worker's look-ups came back: the writer knows the words of articles it never read.
    assert {"Рада", "Львові", "Політв’язнів", "Полтави"} <= set(analyzer._raw)
    assert analyzer._journal is None  # recording stops with the job


def test_a_learned_word_is_not_looked_up_again():
    a, b = Analyzer(), Analyzer()
    a.journal()
    a.words("Депутати ухвалили закон")
    b.learn(a.journal())
    b.lemmas = None  # any look-up would now fail
    assert [w[0] for w in b.words("Депутати ухвалили закон")] == ["депутати", "ухвалили", "закон"]
