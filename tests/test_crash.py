"""Crash safety: ``import`` and ``index`` killed with SIGKILL at random moments, again and
again. After every kill corpus/ holds every article reported as imported and no
half-written file, the last committed index still answers, and the next run finishes the
job. Delays come from a seeded generator as fractions of how long the same command takes
uninterrupted on this machine, so the kills land while it works on a fast or a slow one."""

from __future__ import annotations

import random
import signal
import time
from pathlib import Path

import pytest

from searchkit import Engine
from searchkit.cli import EXIT_INTERRUPTED
from searchkit.store.corpus import Corpus
from searchkit.store.formats import article_from_record
from searchkit.text.topics import SAMPLE

from .clirun import cli, start, stats, stored_articles, wait_for
from .synth import COMMON_WORD, articles, write_jsonl

pytestmark = pytest.mark.slow

BASE = 300  # articles imported completely before the kills start
ROUND = 800  # articles per killed import (the same ids each round, new text each time)
IMPORT_KILLS = 12
REBUILD_KILLS = 8
UPDATE_KILLS = 6


def build_home(tmp_path: Path) -> tuple[Path, dict[str, dict]]:
    home = tmp_path / "home"
    Engine.init(home)
    base = list(articles(BASE, prefix="b", seed=11))
    write_jsonl(tmp_path / "base.jsonl", iter(base))
    r = cli(home, "import", str(tmp_path / "base.jsonl"))
    assert r.returncode == 0 and f"Imported: {BASE} added" in r.stdout, r.stderr
    return home, {str(a["id"]): a for a in base}


def timed_run(home: Path, *args: str) -> float:
    """Run a command to the end; its wall time in seconds."""
    t0 = time.monotonic()
    r = cli(home, *args)
    assert r.returncode == 0, r.stderr
    return time.monotonic() - t0


def assert_base_intact(stored: dict, base: dict[str, dict]) -> None:
    for art_id, rec in base.items():
        assert stored[art_id] == article_from_record(rec), art_id


def assert_index_answers(home: Path, at_least: int) -> int:
    eng = Engine(home)
    try:
        total = eng.search(COMMON_WORD, limit=1, collapse=False).total
    finally:
        eng.close()
    assert total >= at_least
    return total


def finish_and_check(home: Path, expected: int) -> None:
    r = cli(home, "index")
    assert r.returncode == 0, r.stderr
    s = stats(home)
    assert s["index_up_to_date"] is True
    assert s["articles"] == s["corpus_articles"] == expected
    stored, temps = stored_articles(home)
    assert len(stored) == expected and not temps  # `index` cleared what killed writers left
    gens = sorted(p.name for p in (home / "index").iterdir())
    assert len(gens) == 2 and gens[0] == "CURRENT" and gens[1].startswith("gen-"), gens
    assert not list((home / "index" / gens[1]).glob("*.tmp"))
    assert assert_index_answers(home, expected) == expected


def test_import_killed_at_random_moments_loses_nothing_reported(tmp_path):
    home, base = build_home(tmp_path)
    write_jsonl(tmp_path / "round.jsonl", articles(ROUND, prefix="r", seed=5, version=0))
    took = timed_run(home, "import", str(tmp_path / "round.jsonl"))  # how long a whole round takes
    rnd = random.Random(20240101)
    killed = reported_total = while_indexing = 0
    temps_seen: set[str] = set()
    for k in range(IMPORT_KILLS):
        feed = list(articles(ROUND, prefix="r", seed=5, version=k + 1))
        write_jsonl(tmp_path / "round.jsonl", iter(feed))
        run = start(home, "import", "--progress", str(tmp_path / "round.jsonl"), logs=tmp_path / "logs")
        time.sleep(took * rnd.uniform(0.05, 0.95))
        hit = run.kill()
        killed += hit
        if not hit:  # it had finished: the machine is faster than when the round was timed
            took *= 0.7
        done = run.reported_done()
        reported_total += done

        stored, temps = stored_articles(home)  # every file whole, temporary files not counted
        temps_seen |= temps
        # every article of the round stored: the kill came while indexing them
        while_indexing += all(stored.get(str(r["id"])) == article_from_record(r) for r in feed)
        assert_base_intact(stored, base)
        for rec in feed[:done]:  # reported as done: in corpus/, this round's version
            assert stored[str(rec["id"])] == article_from_record(rec)
        assert_index_answers(home, BASE)  # the last committed index still answers
    assert killed >= IMPORT_KILLS - 2, "the processes must be killed while working"
    assert reported_total > 0, "some kills must come after progress was reported"

    r = cli(home, "import", str(tmp_path / "round.jsonl"))
    assert r.returncode == 0, r.stderr
    s = stats(home)  # the next import finished the killed ones' job: nothing left unindexed
    assert s["index_up_to_date"] is True and s["articles"] == BASE + ROUND
    finish_and_check(home, BASE + ROUND)
    print(f"\nimport: {killed} kills ({while_indexing} while indexing), {reported_total} reported articles "
          f"checked, {len(temps_seen)} temporary files left by kills")


def test_index_killed_at_random_moments_keeps_the_last_good_index(tmp_path):
    home, base = build_home(tmp_path)
    write_jsonl(tmp_path / "more.jsonl", articles(ROUND, prefix="m", seed=6))
    assert cli(home, "import", "--no-index", str(tmp_path / "more.jsonl")).returncode == 0
    assert cli(home, "index").returncode == 0
    total = BASE + ROUND
    corpus = Corpus(home / "corpus")

    def change_articles(version: int) -> None:  # so that `index` has work to do
        for rec in articles(ROUND, prefix="m", seed=6, version=version):
            corpus.put(article_from_record(rec))

    # The shorter of two runs: a kill timed by a slow run (the machine busy) would often
    # come after a faster one had finished, and test nothing.
    took_rebuild = min(timed_run(home, "index", "--rebuild") for _ in range(2))
    updates = []
    for version in (100, 101):
        change_articles(version)
        updates.append(timed_run(home, "index"))
    took_update = min(updates)
    rnd = random.Random(20240202)
    killed = 0
    for k in range(REBUILD_KILLS + UPDATE_KILLS):
        rebuild = k < REBUILD_KILLS
        if not rebuild:
            change_articles(k)
        run = start(home, "index", "--rebuild" if rebuild else "--progress", logs=tmp_path / "logs")
        time.sleep((took_rebuild if rebuild else took_update) * rnd.uniform(0.05, 0.95))
        hit = run.kill()
        killed += hit
        if not hit:  # it had finished: the machine is faster than when the run was timed
            if rebuild:
                took_rebuild *= 0.7
            else:
                took_update *= 0.7

        current = (home / "index" / "CURRENT").read_text().strip()
        assert (home / "index" / current).is_dir()
        assert assert_index_answers(home, total) == total  # still the last committed index
        stored, _ = stored_articles(home)
        assert len(stored) == total
        assert_base_intact(stored, base)
    assert killed >= REBUILD_KILLS + UPDATE_KILLS - 2, "the processes must be killed while working"
    finish_and_check(home, total)
    print(f"\nindex: {killed} kills")


FIRST_IMPORT = 6000  # articles: more than the topic sample, so the second process starts mid-import


def test_ctrl_c_during_a_first_import_ends_it_and_keeps_what_was_stored(tmp_path):
    # Into a home without an index the build starts while articles are stored; Ctrl-C
    # once the second process has its queue full of files used to print "Interrupted."
    # and then wait for ever at exit, on the thread that fed the dead process's queue.
    home = tmp_path / "home"
    Engine.init(home)
    write_jsonl(tmp_path / "feed.jsonl", articles(FIRST_IMPORT, prefix="f", seed=9))
    run = start(home, "import", "--progress", str(tmp_path / "feed.jsonl"), logs=tmp_path / "logs")
    try:
        # past the sample the topic model learns from: the build (and its queue) runs
        wait_for(lambda: run.reported_done() >= SAMPLE + 400 or run.proc.poll() is not None, timeout=120)
        assert run.proc.poll() is None, "the import finished before it could be interrupted"
        run.proc.send_signal(signal.SIGINT)
        code = run.wait(timeout=30)  # (it hung: TimeoutExpired)
    finally:
        run.kill()
    said = run.stderr.splitlines()[-1]
    assert code == EXIT_INTERRUPTED and said.startswith("Interrupted: ") and "not yet searchable" in said, run.stderr

    r = cli(home, "index", env={"SEARCHKIT_LOCK_TIMEOUT": "0"})  # the lock was let go
    assert r.returncode == 0, r.stderr
    stored, _ = stored_articles(home)
    assert len(stored) > SAMPLE
    assert assert_index_answers(home, len(stored)) == len(stored)


def test_an_import_killed_while_it_reads_for_topics_is_finished_with_its_topic_model(tmp_path):
    # 20 articles, too few for a model; an import of 1,500 more rebuilds the index to learn
    # one, and is killed while it reads the sample. The same import again stores nothing
    # and used to update the 20-article index it found: no model, `stats` up to date and
    # blaming the articles ("share too few words").
    from searchkit.ingest.topics import READING

    home = tmp_path / "home"
    Engine.init(home)
    write_jsonl(tmp_path / "few.jsonl", articles(20, prefix="a", seed=3))
    assert cli(home, "import", str(tmp_path / "few.jsonl")).returncode == 0
    write_jsonl(tmp_path / "more.jsonl", articles(1500, prefix="m", seed=4))
    run = start(home, "import", "--progress", str(tmp_path / "more.jsonl"), logs=tmp_path / "logs")
    try:
        wait_for(lambda: READING in run.stderr or run.proc.poll() is not None, timeout=120)
        assert run.proc.poll() is None, "the import finished before it could be killed"
        run.proc.send_signal(signal.SIGKILL)
        run.wait(timeout=30)
    finally:
        run.kill()
    r = cli(home, "import", str(tmp_path / "more.jsonl"))
    assert r.returncode == 0 and "0 added, 0 updated, 1,500 unchanged" in r.stdout, r.stdout + r.stderr
    s = stats(home)
    assert s["index_up_to_date"] and not s["topics_due"] and s["topics_learnt_from"] == 1520, s
