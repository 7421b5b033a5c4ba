"""A job split between this process and a second one indexes what one process would."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading

import pytest

from searchkit import Engine
from searchkit.errors import IndexError_
from searchkit.ingest import pipeline as _pipeline
from searchkit.ingest.pipeline import prepare_all, split
from searchkit.models import Article
from searchkit.store.corpus import Corpus

from .conftest import written_by_second_process

TEXTS = [
    "Рада ухвалила закон про мову. Депутати довго сперечалися.",
    "У Львові відкрили виставку старих мап і гравюр.",
    "Політв’язнів звільнили після переговорів у Мінську.",
    "Школярі з Полтави перемогли на олімпіаді з математики.",
]
QUERIES = ["політв'язні", "закон про мову", "виставка", "Полтава олімпіада", "депутат"]


@pytest.fixture
def engine(tmp_path):
    eng = Engine.init(tmp_path / "home")
    for i, text in enumerate(TEXTS * 6):
        eng.corpus.put(Article(id=f"d{i:02}", title=f"Замітка {i}", text=text * (1 + i % 3), date=None))
    yield eng
    eng.close()


@pytest.fixture
def two_processes(monkeypatch):
    monkeypatch.setattr(_pipeline, "MIN_PARALLEL", 1)
    monkeypatch.setattr("os.cpu_count", lambda: 2)


def answers(eng: Engine) -> list[list[tuple[str, str]]]:
    return [[(h.id, h.snippet.text) for h in eng.search(q, limit=50)] for q in QUERIES]


def segments(eng: Engine) -> int:
    """Segments of the live index (a small one is a single compound file)."""
    names = {p.name.split(".")[0] for p in (eng.home / "index").glob("gen-*/MAIN_*")}
    return len(names - {"MAIN_WRITELOCK"})


def test_split_cuts_at_half_the_bytes_keeping_the_order(monkeypatch):
    monkeypatch.setattr(_pipeline, "MIN_PARALLEL", 1)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    names = ["a", "b", "c", "d", "e"]
    assert split(names, [100, 10, 10, 10, 70]) == (["a"], ["b", "c", "d", "e"])
    assert split(names, [10, 10, 10, 10, 160]) == (["a", "b", "c", "d", "e"], [])
    assert split(names) == (["a", "b"], ["c", "d", "e"])


def test_small_jobs_and_one_core_keep_everything_in_this_process(monkeypatch):
    monkeypatch.setattr(_pipeline, "MIN_PARALLEL", 10)
    assert split(list("abcde")) == (list("abcde"), [])
    monkeypatch.setattr(_pipeline, "MIN_PARALLEL", 1)
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    assert split(list("abcde")) == (list("abcde"), [])


def test_rebuild_in_two_processes_finds_what_one_process_finds_in_one_segment(engine, monkeypatch):
    monkeypatch.setattr(_pipeline, "MIN_PARALLEL", 10**9)
    engine.index(rebuild=True)
    assert segments(engine) == 1
    one = answers(engine)
    monkeypatch.setattr(_pipeline, "MIN_PARALLEL", 1)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    handed = written_by_second_process(monkeypatch)
    report = engine.index(rebuild=True)
    assert report.indexed == len(TEXTS) * 6
    assert handed and handed[0] > 0  # the second process wrote part of the job...
    assert segments(engine) == 1  # ...which joined the writer's segment
    assert answers(engine) == one  # same matches, same order, same snippets
    assert engine.stats().articles == len(TEXTS) * 6


def test_update_in_two_processes_replaces_old_versions(engine, two_processes):
    engine.index(rebuild=True)
    for i in range(0, 24, 2):  # every other article changes, in both halves of the job
        engine.corpus.put(Article(id=f"d{i:02}", title=f"Замітка {i}", text="Бобри повернулися на болото.",
                                  date=None))
    for i in range(24, 30):
        engine.corpus.put(Article(id=f"d{i:02}", title=f"Нова {i}", text="Бобри будують греблю.", date=None))
    report = engine.index()
    assert (report.indexed, report.failed) == (18, 0)
    assert engine.stats().articles == 30  # nothing twice
    assert sorted(h.id for h in engine.search("бобер", limit=50)) == [f"d{i:02}" for i in [*range(0, 24, 2),
                                                                                           *range(24, 30)]]
    assert not {h.id for h in engine.search("виставка", limit=50)} & {f"d{i:02}" for i in range(0, 24, 2)}


def test_files_the_second_process_cannot_read_are_reported_by_name(engine, two_processes):
    paths = [f.relpath for f in engine.corpus.scan()]
    broken = engine.corpus.root / paths[-2]  # in the second process's part
    broken.write_text("{not json", encoding="utf-8")
    report = engine.index(rebuild=True)
    assert report.failed == 1 and str(broken) in report.errors[0]
    assert report.indexed == len(paths) - 1


def test_a_failure_in_the_second_process_reaches_the_caller_and_the_index_stays(engine, two_processes,
                                                                                monkeypatch):
    engine.index(rebuild=True)
    before = answers(engine)

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    # the index's way of writing a part, handed to the forked process
    monkeypatch.setattr(type(engine.backend_index), "part_writer", lambda self: full_disk)
    with pytest.raises(IndexError_, match=r"cannot write the index \(No space left"):
        engine.index(rebuild=True)
    assert len(list((engine.home / "index").glob("gen-*"))) == 1  # the half-built generation went
    assert answers(engine) == before


def test_interrupting_the_job_stops_the_second_process_and_keeps_the_last_good_index(engine, two_processes,
                                                                                     monkeypatch):
    engine.index(rebuild=True)
    before = answers(engine)
    started = []
    real_start = _pipeline.SideJob.start

    def start(self, folder, limitmb):
        real_start(self, folder, limitmb)
        started.append(self.process)

    def interrupted(*args, **kwargs):
        yield from ()
        raise KeyboardInterrupt

    monkeypatch.setattr(_pipeline.SideJob, "start", start)
    monkeypatch.setattr(_pipeline, "prepare_all", interrupted)  # this process's half of the job
    with pytest.raises(KeyboardInterrupt):
        engine.index(rebuild=True)
    assert started and not started[0].is_alive()
    assert len(list((engine.home / "index").glob("gen-*"))) == 1
    assert answers(engine) == before


def test_progress_counts_the_work_of_both_processes(engine, two_processes):
    seen = []
    engine.index(rebuild=True, progress=lambda n, total: seen.append((n, total)))
    assert seen[-1] == (24, 24)


def test_second_process_is_spawned_when_other_threads_run(engine, two_processes):
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        assert _pipeline._context().get_start_method() == "spawn"
        report = engine.index(rebuild=True)
        assert report.indexed == len(TEXTS) * 6 and segments(engine) == 1
    finally:
        stop.set()
        t.join()


# A writer killed (SIGKILL: no clean-up runs) while it takes the second process's part
# into its segment: the part's runs and columns are written, the new table of contents not.
KILLED_WHILE_TAKING = """
import os, signal, sys
from searchkit import Engine
from searchkit.backends.whoosh import bulk
from searchkit.ingest import pipeline
pipeline.MIN_PARALLEL = 1
os.cpu_count = lambda: 2
real = bulk.BulkWriter._take

def take(self, part):
    real(self, part)
    os.kill(os.getpid(), signal.SIGKILL)

bulk.BulkWriter._take = take
Engine(sys.argv[1]).index()
"""


def test_a_writer_killed_while_taking_the_second_part_keeps_the_last_good_index(engine):
    engine.index(rebuild=True)
    before = answers(engine)
    for i in range(24, 40):
        engine.corpus.put(Article(id=f"d{i:02}", title=f"Нова {i}", text="Бобри будують греблю.", date=None))
    engine.close()
    killed = subprocess.run([sys.executable, "-c", KILLED_WHILE_TAKING, str(engine.home)], capture_output=True)
    assert killed.returncode == -signal.SIGKILL
    live = engine.home / "index" / (engine.home / "index" / "CURRENT").read_text().strip()
    assert list(live.glob(".runs-*"))  # what the part handed over, left behind
    again = Engine(engine.home)
    assert answers(again) == before  # the last good index answers
    report = again.index()  # the next writer clears what was left and does the job
    assert report.indexed == 16
    assert not list(live.glob(".runs-*"))
    s = again.backend_index.searcher()
    segments = {leaf.reader().segment().segment_id() for leaf, _ in s.leaf_searchers()}
    assert {p.name.split(".")[0] for p in live.glob("MAIN_*")} - {"MAIN_WRITELOCK"} == segments
    assert again.search("бобер", limit=50, collapse=False).total == 16
    again.close()


def test_damaged_and_vanished_files_are_reported_not_fatal(tmp_path):
    c = Corpus(tmp_path / "corpus")
    for i in range(6):
        c.put(Article(id=f"n{i}", title=f"Новина {i}", text=TEXTS[i % len(TEXTS)], date=None))
    paths = [f.relpath for f in c.scan()]
    (c.root / paths[2]).write_text("{not json", encoding="utf-8")
    (c.root / paths[5]).unlink()
    from searchkit.text.analysis import Analyzer

    out = list(prepare_all(c, paths, Analyzer()))
    assert out[2].doc is None and paths[2] in out[2].error
    assert out[5].doc is None and out[5].error is None
    assert sum(p.doc is not None for p in out) == len(paths) - 2
