"""A big job's articles analysed by several processes reach the index as one process
would hand them over; the analysed document is plain data that both backends take."""

from __future__ import annotations

import multiprocessing
import os
import pickle

import pytest

from searchkit import Engine
from searchkit.backends.base import analysing_in
from searchkit.backends.documents import KEYS, analysed_document
from searchkit.ingest import pipeline
from searchkit.ingest.pipeline import prepare_all
from searchkit.models import Article
from searchkit.query.userlexicon import LexiconState
from searchkit.text.analysis import default_analyzer
from searchkit.text.lexicon import Lexicon

TEXTS = [
    "Рада ухвалила закон про мову. Депутати довго сперечалися.",
    "У Львові відкрили виставку старих мап і гравюр.",
    "Школярі з Полтави перемогли на олімпіаді з математики.",
]


@pytest.fixture
def engine(tmp_path):
    eng = Engine.init(tmp_path / "home")
    for i in range(90):
        eng.corpus.put(Article(id=f"a{i:03}", title=f"Новина {i}", text=TEXTS[i % 3] * (1 + i % 4), date=None))
    yield eng
    eng.close()


def by_id(prepared) -> dict[str, dict]:
    return {p.doc["id"]: p.doc for p in prepared if p.doc is not None}


def test_the_analysed_document_holds_lemma_positions_and_written_forms_as_plain_data() -> None:
    art = Article(id="x1", title="Новий закон", text="Рада ухвалила закони про мову.", source="Тест")
    doc = analysed_document(art, default_analyzer(), "x/x1.json", "1-2")
    assert set(KEYS) <= set(doc)
    assert doc["body"]["закон"] == [2]  # «закони»: its lemma at the third word
    assert doc["title"]["закон"] == [1]
    assert doc["forms"]["закони"] == 1 and doc["forms"]["закон"] == 1
    assert doc["source_key"] == "тест"
    assert pickle.loads(pickle.dumps(doc)) == doc  # it crosses between processes as it is


def test_several_analysis_processes_hand_over_the_documents_one_process_makes(engine, monkeypatch) -> None:
    monkeypatch.setattr(pipeline, "MIN_PARALLEL", 10)
    monkeypatch.setattr(pipeline, "CHUNK", 4)
    relpaths = [f.relpath for f in engine.corpus.scan()]
    alone = by_id(prepare_all(engine.corpus, relpaths, engine.analyzer))
    with analysing_in(3):
        fanned = by_id(prepare_all(engine.corpus, relpaths, engine.analyzer))
    assert len(alone) == 90
    assert fanned == alone


def test_a_file_an_analysis_process_cannot_read_is_reported_by_name(engine, monkeypatch) -> None:
    monkeypatch.setattr(pipeline, "MIN_PARALLEL", 10)
    relpaths = [f.relpath for f in engine.corpus.scan()]
    (engine.corpus.root / relpaths[5]).write_text("{ not json", encoding="utf-8")
    with analysing_in(2):
        out = list(prepare_all(engine.corpus, relpaths, engine.analyzer))
    errors = [p.error for p in out if p.error]
    assert len(out) == 90 and len(errors) == 1 and relpaths[5] in errors[0]


def test_the_embedded_index_analyses_in_its_own_processes_whatever_a_cluster_asks(engine, monkeypatch) -> None:
    # the embedded index never asks for analysis processes: its job split stays its own
    started = []
    monkeypatch.setattr(pipeline, "_fanned_out", lambda *a: started.append(a) or iter(()))
    monkeypatch.setattr(pipeline, "MIN_PARALLEL", 10)
    engine.index(rebuild=True)
    assert not started
    assert engine.search("олімпіада").total == 30


def test_the_next_job_reuses_the_analysis_processes_and_one_stopped_midway_leaves_none(engine, monkeypatch) -> None:
    monkeypatch.setattr(pipeline, "MIN_PARALLEL", 10)
    relpaths = [f.relpath for f in engine.corpus.scan()]
    with analysing_in(2):
        assert len(by_id(prepare_all(engine.corpus, relpaths[:45], engine.analyzer))) == 45
        first = {p.pid for p in multiprocessing.active_children() if p.name.startswith("searchkit-analysis")}
        assert len(by_id(prepare_all(engine.corpus, relpaths[45:], engine.analyzer))) == 45
        again = {p.pid for p in multiprocessing.active_children() if p.name.startswith("searchkit-analysis")}
        assert len(first) == 2 and again == first  # an import's next batch: warm processes
        job = prepare_all(engine.corpus, relpaths, engine.analyzer)
        next(job)
        job.close()  # the caller stopped (an error while sending): the half-done processes go
        assert not [p for p in multiprocessing.active_children() if p.name.startswith("searchkit-analysis")]
        assert len(by_id(prepare_all(engine.corpus, relpaths, engine.analyzer))) == 90


def test_a_cluster_on_this_machine_is_fed_by_one_analysis_process_unless_the_home_says_more(tmp_path) -> None:
    pytest.importorskip("opensearchpy")
    from searchkit.backends import IndexConfig
    from searchkit.backends.opensearch.index import OpenSearchIndex

    def processes(url: str, analysis: int | None = None) -> int:
        index = OpenSearchIndex(IndexConfig("opensearch", url, analysis=analysis),
                                LexiconState(Lexicon(), default_analyzer()))
        return index.analysis_processes()

    assert processes("http://127.0.0.1:9200,http://localhost:9201") == 1  # the nodes share these cores
    assert processes("http://127.0.0.1:9200", analysis=3) == 3
    assert processes("http://10.0.0.5:9200,http://10.0.0.6:9200") == (os.cpu_count() or 1)
