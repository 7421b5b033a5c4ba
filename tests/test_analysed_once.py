"""A build analyses each article once: the articles its topic model learns from are
analysed for the model by the process that then writes them, and written from that
analysis (searchkit.ingest.held); the index is the one a build that analyses them twice
makes."""

from __future__ import annotations

import multiprocessing
import os
import random
import threading
import time
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from searchkit import Engine
from searchkit.backends.base import analysing_in
from searchkit.ingest import held as _held
from searchkit.ingest import pipeline as _pipeline
from searchkit.query import budget
from searchkit.text import topics
from searchkit.text.analysis import Analyzer

from .conftest import written_by_second_process
from .synth import articles, write_jsonl

N = 80  # past the articles a model is learnt from at least
QUERIES = ["міст через річку", "мовні табори", "лікарня", "фермери Полтава", "новина"]


@pytest.fixture(autouse=True)
def untimed(monkeypatch):
    """The answers compared here are whole: a machine busy enough to stop a search or its
    snippets at their deadline (a second, 0.15 s) would make two same indexes look apart."""
    monkeypatch.setattr(budget, "QUERY_SECONDS", 60.0)
    monkeypatch.setattr(budget, "SNIPPET_SECONDS", 60.0)


@pytest.fixture
def two_processes(monkeypatch):
    monkeypatch.setattr(_pipeline, "MIN_PARALLEL", 1)
    monkeypatch.setattr("os.cpu_count", lambda: 2)


@pytest.fixture
def analysed(monkeypatch):
    """How many texts the analyzer has analysed, counted in every process of a build
    (the second one is forked with the count)."""
    count = multiprocessing.get_context("fork").Value("q", 0)
    real = Analyzer.words

    def words(self, text):  # type: ignore[no-untyped-def]
        with count.get_lock():
            count.value += 1
        return real(self, text)

    monkeypatch.setattr(Analyzer, "words", words)
    return count


def feed(tmp_path: Path) -> Path:
    path = tmp_path / "feed.jsonl"
    write_jsonl(path, articles(N, seed=4))
    return path


def index_by_id(home: Path) -> dict[str, object]:
    """What the live index holds, by article id (not by the order the documents were
    written in): every posting, stored field and field length, and the topic model."""
    live = home / "index" / (home / "index" / "CURRENT").read_text().strip()
    out: dict[str, object] = {"topics": (live / "topics.npz").read_bytes()}
    with whoosh_index.open_dir(str(live)).reader() as r:
        ids = {n: f["id"] for n, f in r.iter_docs()}
        for fieldname, text in r.all_terms():
            m = r.postings(fieldname, text)
            got = []
            while m.is_active():
                got.append((ids[m.id()], float(m.weight()), m.value()))
                m.next()
            out[f"{fieldname}:{text!r}"] = sorted(got)
        for n, art_id in ids.items():
            out[art_id] = (sorted(r.stored_fields(n).items()),
                           [r.doc_field_length(n, field) for field in ("title", "body", "forms")])
    return out


def answers(eng: Engine) -> list[list[tuple[str, str]]]:
    return [[(h.id, h.snippet.text) for h in eng.search(q, limit=50)] for q in QUERIES]


def test_a_rebuild_in_two_processes_analyses_each_article_once_and_builds_the_same_index(
        tmp_path, two_processes, analysed, monkeypatch):
    eng = Engine.init(tmp_path / "home")
    eng.import_paths([feed(tmp_path)], index=False)
    budget = _held.HELD_WORDS
    monkeypatch.setattr(_held, "HELD_WORDS", 0)  # nothing kept: every article analysed again to be written
    eng.index(rebuild=True)
    assert analysed.value == 2 * 2 * N  # (title and body, twice)
    twice, found = index_by_id(eng.home), answers(eng)

    monkeypatch.setattr(_held, "HELD_WORDS", budget)
    handed = written_by_second_process(monkeypatch)
    analysed.value = 0
    report = eng.index(rebuild=True)
    assert report.indexed == N and handed and handed[0] > 0  # the second process wrote its part
    assert analysed.value == 2 * N  # each article once, in one process or the other
    assert index_by_id(eng.home) == twice and answers(eng) == found
    eng.close()


def test_a_first_import_in_two_processes_analyses_each_article_once(tmp_path, two_processes, analysed,
                                                                     monkeypatch):
    eng = Engine.init(tmp_path / "home")
    handed = written_by_second_process(monkeypatch)
    assert eng.import_paths([feed(tmp_path)]).added == N
    assert analysed.value == 2 * N and handed and handed[0] > 0
    first, found = index_by_id(eng.home), answers(eng)
    monkeypatch.setattr(_held, "HELD_WORDS", 0)
    eng.index(rebuild=True)  # every article analysed twice, as before
    assert index_by_id(eng.home) == first and answers(eng) == found
    eng.close()


def test_a_second_process_spawned_learns_its_share_and_builds_the_same_index(tmp_path, two_processes):
    eng = Engine.init(tmp_path / "home")
    eng.import_paths([feed(tmp_path)], index=False)
    eng.index(rebuild=True)
    forked = index_by_id(eng.home)
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)  # (another thread: the process is spawned, not forked)
    t.start()
    try:
        assert _pipeline._context().get_start_method() == "spawn"
        assert eng.index(rebuild=True).indexed == N
    finally:
        stop.set()
        t.join()
    assert index_by_id(eng.home) == forked
    eng.close()


def test_articles_past_the_budget_are_analysed_again_and_indexed_alike(tmp_path, two_processes, analysed,
                                                                       monkeypatch):
    eng = Engine.init(tmp_path / "home")
    eng.import_paths([feed(tmp_path)], index=False)
    eng.index(rebuild=True)
    whole = index_by_id(eng.home)
    monkeypatch.setattr(_held, "HELD_WORDS", 1500)  # about ten articles' words in each process
    analysed.value = 0
    eng.index(rebuild=True)
    assert 2 * N < analysed.value < 2 * 2 * N  # some kept, some analysed again
    assert index_by_id(eng.home) == whole
    eng.close()


def test_kept_documents_go_out_once_each_among_those_analysis_processes_send(tmp_path, monkeypatch):
    # (a cluster's job: its articles analysed by a pool of processes, those kept by this one)
    monkeypatch.setattr(_pipeline, "MIN_PARALLEL", 10)
    monkeypatch.setattr(_pipeline, "CHUNK", 4)
    eng = Engine.init(tmp_path / "home")
    eng.import_paths([feed(tmp_path)], index=False)
    relpaths = [f.relpath for f in eng.corpus.scan()]
    alone = {p.doc["id"]: p.doc for p in _pipeline.prepare_all(eng.corpus, relpaths, eng.analyzer) if p.doc}
    kept = _held.Held()
    for r in relpaths[::3]:
        _pipeline.learn_file(eng.corpus, r, eng.analyzer, kept)
    with analysing_in(2):
        out = list(_pipeline.prepare_all(eng.corpus, relpaths, eng.analyzer, held=kept))
    assert sorted(p.relpath for p in out) == sorted(relpaths) and not kept
    assert {p.doc["id"]: p.doc for p in out if p.doc} == alone
    eng.close()


def test_a_model_learnt_from_counts_gathered_in_any_order_is_the_one_learnt_in_order():
    rnd = random.Random(5)
    words = [f"слово{i}" for i in range(40)]
    docs = [{w: rnd.randint(1, 4) for w in rnd.sample(words, 12)} for _ in range(30)]
    gathered = topics.Gathered()
    for place in rnd.sample(range(len(docs)), len(docs)):
        gathered.add(place, docs[place])
    model, in_order = gathered.train(dimensions=5), topics.train(docs, dimensions=5)
    assert model is not None and in_order is not None and model.digest == in_order.digest


def test_a_failure_of_the_second_process_while_it_learns_reaches_the_caller_and_the_index_stays(
        tmp_path, two_processes, monkeypatch):
    eng = Engine.init(tmp_path / "home")
    eng.import_paths([feed(tmp_path)])
    before = answers(eng)
    parent, real = os.getpid(), _pipeline.learn_file
    launched = _launched(monkeypatch)

    def learn_file(*args, **kwargs):  # type: ignore[no-untyped-def]
        if os.getpid() != parent:
            raise ValueError("the analyzer broke")
        return real(*args, **kwargs)

    monkeypatch.setattr(_pipeline, "learn_file", learn_file)
    with pytest.raises(ValueError, match="the analyzer broke"):
        eng.index(rebuild=True)
    assert launched and not launched[0].process.is_alive()
    assert len(list((eng.home / "index").glob("gen-*"))) == 1
    assert answers(eng) == before
    eng.close()


def test_interrupting_the_learning_stops_the_second_process_and_keeps_the_last_good_index(
        tmp_path, two_processes, monkeypatch):
    eng = Engine.init(tmp_path / "home")
    eng.import_paths([feed(tmp_path)])
    before = answers(eng)
    launched = _launched(monkeypatch)

    def interrupted(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr(_pipeline, "learn_file", interrupted)  # this process's share of the sample
    with pytest.raises(KeyboardInterrupt):
        eng.index(rebuild=True)
    assert launched and not launched[0].process.is_alive()
    assert len(list((eng.home / "index").glob("gen-*"))) == 1
    assert answers(eng) == before
    eng.close()


def test_a_first_import_forks_its_second_process_while_the_articles_are_synced(tmp_path, two_processes,
                                                                               monkeypatch):
    # The sync of the stored articles goes on beside the build (it waits for every dirty
    # page of the machine): a thread doing it would have the second process spawned, at
    # a cost of seconds, where a fork costs milliseconds.
    monkeypatch.setattr(os, "sync", lambda: time.sleep(1.0))
    methods = []
    real = _pipeline._context

    def context():  # type: ignore[no-untyped-def]
        ctx = real()
        methods.append(ctx.get_start_method())
        return ctx

    monkeypatch.setattr(_pipeline, "_context", context)
    eng = Engine.init(tmp_path / "home")
    assert eng.import_paths([feed(tmp_path)]).added == N
    assert methods and set(methods) == {"fork"}
    eng.close()


def _launched(monkeypatch) -> list[_pipeline.SideJob]:  # type: ignore[no-untyped-def]
    """The jobs whose second process has started."""
    launched: list[_pipeline.SideJob] = []
    real = _pipeline.SideJob._launch

    def launch(self, *args):  # type: ignore[no-untyped-def]
        real(self, *args)
        launched.append(self)

    monkeypatch.setattr(_pipeline.SideJob, "_launch", launch)
    return launched
