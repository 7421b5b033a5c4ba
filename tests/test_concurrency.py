"""Concurrency between processes: one writer at a time (flock), a second writer waits up to
SEARCHKIT_LOCK_TIMEOUT then says "index is busy", a killed holder never leaves a stale lock,
and searches keep answering from the last committed index while another process writes."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from searchkit import Engine
from searchkit.errors import IndexBusy
from searchkit.library import IMPORT_BATCH
from searchkit.store.locking import HomeLock

from .clirun import cli, start, stats, wait_for
from .synth import COMMON_WORD, articles, write_jsonl

HOLD = """
import sys, time
from collections.abc import Iterator
from pathlib import Path
from searchkit.store.locking import HomeLock
lock = HomeLock(Path(sys.argv[1]) / ".searchkit.lock")
lock.acquire(timeout=0)
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
"""


@contextlib.contextmanager
def hold_lock(home: Path, seconds: float) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the home's write lock for ``seconds`` (SIGKILLed at the end
    of the block if still running)."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(home), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    with proc:
        assert proc.stdout.readline().strip() == "locked"
        try:
            yield proc
        finally:
            if proc.poll() is None:
                proc.kill()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    h = tmp_path / "home"
    Engine.init(h)
    write_jsonl(tmp_path / "base.jsonl", articles(100, prefix="b"))
    assert cli(h, "import", str(tmp_path / "base.jsonl")).returncode == 0
    return h


def test_a_second_writer_gets_index_is_busy_after_the_timeout(home, tmp_path):
    with hold_lock(home, 60):
        write_jsonl(tmp_path / "more.jsonl", articles(5, prefix="x"))
        t0 = time.monotonic()
        r = cli(home, "import", str(tmp_path / "more.jsonl"), env={"SEARCHKIT_LOCK_TIMEOUT": "0.5"})
        waited = time.monotonic() - t0
    assert r.returncode == 2
    assert r.stderr.splitlines() == [  # one line, no traceback
        "Error: index is busy: another searchkit process is writing (waited 0.5 s) — wait for it to finish, "
        "or set SEARCHKIT_LOCK_TIMEOUT to wait longer"]
    assert waited >= 0.5
    assert Engine(home).corpus.get("x000000") is None  # it wrote nothing


def test_a_search_with_no_index_yet_while_another_process_builds_it_says_so(tmp_path):
    h = tmp_path / "fresh"
    Engine.init(h)
    write_jsonl(tmp_path / "first.jsonl", articles(20, prefix="f"))
    assert cli(h, "import", "--no-index", str(tmp_path / "first.jsonl")).returncode == 0
    with hold_lock(h, 60):  # as a first import's build holds it
        r = cli(h, "search", "новина", env={"SEARCHKIT_LOCK_TIMEOUT": "0.5"})
    assert r.returncode == 2
    assert r.stderr.splitlines() == [  # one reason, and what to do
        "Error: no index to search yet: another searchkit process (an import or index run) is building it, and was "
        "not done in the 0.5 s waited — search again when it has finished; SEARCHKIT_LOCK_TIMEOUT sets how long a "
        "search waits"]


@pytest.mark.parametrize("value", ["abc", "-5", "nan", "1e309"])
def test_a_lock_timeout_that_is_no_number_of_seconds_is_refused(home, tmp_path, value):
    write_jsonl(tmp_path / "more.jsonl", articles(2, prefix="y"))
    r = cli(home, "import", str(tmp_path / "more.jsonl"), env={"SEARCHKIT_LOCK_TIMEOUT": value})
    assert r.returncode == 2
    assert r.stderr.splitlines() == [f"Error: SEARCHKIT_LOCK_TIMEOUT={value!r}: give seconds from 0 to 86,400"]
    assert Engine(home).corpus.get("y000000") is None


@pytest.mark.parametrize("command", [["index"], ["index", "--rebuild"], ["delete", "b000001"]])
def test_every_writing_command_respects_the_lock(home, command):
    with hold_lock(home, 60):
        r = cli(home, *command, env={"SEARCHKIT_LOCK_TIMEOUT": "0"})
    assert r.returncode == 2 and r.stderr.startswith("Error: index is busy")


def test_a_second_writer_waits_for_the_lock_and_then_proceeds(home, tmp_path):
    write_jsonl(tmp_path / "more.jsonl", articles(5, prefix="x"))
    with hold_lock(home, 1.0) as holder:
        t0 = time.monotonic()
        r = cli(home, "import", str(tmp_path / "more.jsonl"), env={"SEARCHKIT_LOCK_TIMEOUT": "30"})
        assert holder.wait() == 0  # it let go on its own
    assert r.returncode == 0 and "5 added" in r.stdout, r.stderr
    assert time.monotonic() - t0 >= 0.5  # it did wait for the holder


def test_a_writer_that_cannot_write_its_pid_lets_go_of_the_lock(tmp_path, monkeypatch):
    # A full disk refuses the pid written into the lock file: the writer must fail, and
    # not keep the home locked (for its own other threads, and other processes) until it exits.
    eng = Engine.init(tmp_path / "home")
    write_jsonl(tmp_path / "more.jsonl", articles(3, prefix="x"))
    real_write = os.write

    def disk_full(fd: int, data: bytes) -> int:
        if data == f"{os.getpid()}\n".encode():  # the lock file's pid, once
            monkeypatch.setattr(os, "write", real_write)
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", disk_full)
    monkeypatch.setenv("SEARCHKIT_LOCK_TIMEOUT", "0")
    with pytest.raises(OSError) as failed:
        eng.import_paths([tmp_path / "more.jsonl"])
    assert failed.value.errno == errno.ENOSPC and failed.value.filename == str(eng.home / ".searchkit.lock")
    assert os.write is real_write

    r = cli(eng.home, "import", str(tmp_path / "more.jsonl"))  # another process
    assert r.returncode == 0 and "3 added" in r.stdout, r.stderr
    with ThreadPoolExecutor(1) as other:  # another thread sharing the Engine
        assert other.submit(eng.import_paths, [tmp_path / "more.jsonl"]).result().unchanged == 3


def test_a_killed_lock_holder_leaves_no_stale_lock(home, tmp_path):
    lock = HomeLock(home / ".searchkit.lock")
    with hold_lock(home, 600) as holder:
        with pytest.raises(IndexBusy):
            lock.acquire(timeout=0.2)
        holder.kill()  # SIGKILL: no chance to clean up
        holder.wait()
    t0 = time.monotonic()
    lock.acquire(timeout=5)  # the kernel released the flock with the process
    assert time.monotonic() - t0 < 1
    lock.release()
    write_jsonl(tmp_path / "more.jsonl", articles(5, prefix="x"))
    r = cli(home, "import", str(tmp_path / "more.jsonl"), env={"SEARCHKIT_LOCK_TIMEOUT": "0"})
    assert r.returncode == 0, r.stderr


@pytest.mark.slow
def test_two_imports_at_once_both_complete(home, tmp_path):
    write_jsonl(tmp_path / "one.jsonl", articles(200, prefix="p", seed=1))
    write_jsonl(tmp_path / "two.jsonl", articles(200, prefix="q", seed=2))
    env = {"SEARCHKIT_LOCK_TIMEOUT": "120"}
    a = start(home, "import", str(tmp_path / "one.jsonl"), logs=tmp_path / "logs", env=env)
    b = start(home, "import", str(tmp_path / "two.jsonl"), logs=tmp_path / "logs", env=env)
    assert a.wait() == 0 and b.wait() == 0, (a.stderr, b.stderr)
    assert "200 added" in a.stdout and "200 added" in b.stdout
    s = stats(home)
    assert s["index_up_to_date"] is True and s["articles"] == s["corpus_articles"] == 500


@pytest.mark.slow
def test_a_reader_open_during_an_import_answers_from_the_last_commit(home, tmp_path):
    """Like the TUI left open: one Engine searching in a loop while another process imports
    more than one commit's worth of articles."""
    reader = Engine(home)
    assert reader.search(COMMON_WORD, collapse=False).total == 100
    n = IMPORT_BATCH + 500
    write_jsonl(tmp_path / "more.jsonl", articles(n, prefix="m"))
    writer = start(home, "import", str(tmp_path / "more.jsonl"), logs=tmp_path / "logs")
    seen = []
    while writer.proc.poll() is None:
        seen.append(reader.search(COMMON_WORD, limit=1, collapse=False).total)  # never an error, never a torn state
        time.sleep(0.05)
    assert writer.wait() == 0, writer.stderr
    seen.append(reader.search(COMMON_WORD, limit=1, collapse=False).total)
    # only committed states: before, after the first batch, after the last
    assert set(seen) <= {100, 100 + IMPORT_BATCH, 100 + n} and seen == sorted(seen)
    assert 100 + IMPORT_BATCH in seen  # the first commit was visible while the import went on
    assert seen[-1] == 100 + n  # and the open reader sees the final state without reopening
    reader.close()


@pytest.mark.slow
def test_searches_during_a_rebuild_use_the_old_index_until_the_swap(home, tmp_path):
    write_jsonl(tmp_path / "more.jsonl", articles(600, prefix="m"))
    assert cli(home, "import", str(tmp_path / "more.jsonl")).returncode == 0
    reader = Engine(home)
    before = (home / "index" / "CURRENT").read_text()
    rebuild = start(home, "index", "--rebuild", logs=tmp_path / "logs")
    answers = 0
    while rebuild.proc.poll() is None:
        assert reader.search(COMMON_WORD, limit=1, collapse=False).total == 700
        r = cli(home, "search", COMMON_WORD, "--json", "--limit", "1", "--no-collapse")
        assert r.returncode == 0 and '"total": 700' in r.stdout, r.stderr
        answers += 1
    assert rebuild.wait() == 0, rebuild.stderr
    assert (home / "index" / "CURRENT").read_text() != before  # swapped to the new generation
    assert reader.search(COMMON_WORD, limit=1, collapse=False).total == 700  # the old one is gone; the reader moved on
    assert answers >= 1
    reader.close()


def _processes_using(home: Path) -> list[int]:
    """Pids of live (not zombie) processes whose command line names ``home``."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if str(home) in cmdline and state != "Z":
            out.append(int(entry.name))
    return out


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc to find orphaned workers")
def test_a_killed_import_leaves_no_worker_holding_the_lock(home, tmp_path):
    """The analysis worker and the writer's helper are forked children: they must neither
    keep the inherited lock nor outlive the import that was killed."""
    write_jsonl(tmp_path / "more.jsonl", articles(1500, prefix="m", seed=7))
    run = start(home, "import", "--progress", str(tmp_path / "more.jsonl"), logs=tmp_path / "logs")
    wait_for(lambda: "Indexing:" in run.stderr or run.proc.poll() is not None, timeout=120)
    assert run.kill(), "the import must still be indexing when it is killed"
    wait_for(lambda: not _processes_using(home), timeout=10)  # no orphan left behind
    r = cli(home, "import", str(tmp_path / "more.jsonl"), env={"SEARCHKIT_LOCK_TIMEOUT": "0"})
    assert r.returncode == 0, r.stderr  # the lock was free at once


def test_the_lock_is_reentrant_in_its_thread_and_keeps_other_threads_out(tmp_path):
    lock = HomeLock(tmp_path / ".searchkit.lock", directory=tmp_path)
    other = ThreadPoolExecutor(1)
    lock.acquire(timeout=0)
    lock.acquire(timeout=0)  # the same thread again: counted, not waited for
    assert not lock.held_elsewhere()
    assert other.submit(lock.held_elsewhere).result()
    with pytest.raises(IndexBusy):
        other.submit(lock.acquire, 0.1).result()
    other.submit(lock.release).result()  # a thread that does not hold it changes nothing
    lock.release()
    with pytest.raises(IndexBusy):  # still held once
        other.submit(lock.acquire, 0.1).result()
    lock.release()
    assert not lock.held_elsewhere()
    other.submit(lock.acquire, 0).result()  # free: another thread takes it at once
    assert lock.held_elsewhere()
    other.submit(lock.release).result()
    other.shutdown()
    assert not lock.held_elsewhere()


def test_a_lock_timeout_set_but_empty_is_the_default(monkeypatch):
    from searchkit.store.locking import lock_timeout

    monkeypatch.setenv("SEARCHKIT_LOCK_TIMEOUT", "")
    assert lock_timeout() == 10.0


def test_an_engines_lock_timeout_is_the_wait_of_its_writers_and_searches_and_wins_over_the_environment(
        tmp_path, monkeypatch):
    eng = Engine.init(tmp_path / "home")
    write_jsonl(tmp_path / "feed.jsonl", articles(3))
    assert eng.import_paths(tmp_path / "feed.jsonl", index=False).added == 3  # stored, no index yet
    impatient = Engine(eng.home, lock_timeout=0)
    with eng.lock:  # another writer holds the home
        # (a value the environment cannot give: were it read, the error would say so)
        monkeypatch.setenv("SEARCHKIT_LOCK_TIMEOUT", "not seconds")
        with pytest.raises(IndexBusy) as busy:
            impatient.import_paths(tmp_path / "feed.jsonl")
        # (another Engine of the home in this program holds it: no other process does)
        assert str(busy.value) == "index is busy: another thread or Engine of this program is writing (waited 0 s)"
        assert busy.value.hint == "wait for it to finish, or set lock_timeout to wait longer"
        with pytest.raises(IndexBusy) as no_index:  # the first search waits for the build as long
            impatient.search(COMMON_WORD)
        assert no_index.value.hint.endswith("lock_timeout sets how long a search waits")
    assert impatient.import_paths(tmp_path / "feed.jsonl").unchanged == 3  # let go: in at once
    impatient.close()
    eng.close()


def test_without_a_lock_timeout_the_environment_still_sets_the_wait(tmp_path, monkeypatch):
    eng = Engine.init(tmp_path / "home")
    monkeypatch.setenv("SEARCHKIT_LOCK_TIMEOUT", "0")
    other = Engine(eng.home)
    with eng.lock, pytest.raises(IndexBusy) as busy:
        other.delete("нема")
    assert busy.value.hint == "wait for it to finish, or set SEARCHKIT_LOCK_TIMEOUT to wait longer"
    other.close()
    eng.close()


@pytest.mark.parametrize(("value", "error", "message"), [
    (-1, ValueError, "lock_timeout=-1: give seconds from 0 to 86,400"),
    (float("nan"), ValueError, "lock_timeout=nan: give seconds from 0 to 86,400"),
    (100_000, ValueError, "lock_timeout=100000: give seconds from 0 to 86,400"),
    ("10", TypeError, "lock_timeout must be a number of seconds or None, not str"),
    (True, TypeError, "lock_timeout must be a number of seconds or None, not bool"),
])
def test_a_lock_timeout_that_is_no_number_of_seconds_is_refused_before_anything_is_made(tmp_path, value, error,
                                                                                        message):
    with pytest.raises(error) as refused:
        Engine.init(tmp_path / "home", lock_timeout=value)
    assert str(refused.value) == message and not (tmp_path / "home").exists()


def test_stats_with_no_index_yet_while_another_process_builds_it_says_so_as_a_search_does(tmp_path):
    h = tmp_path / "fresh"
    Engine.init(h)
    write_jsonl(tmp_path / "first.jsonl", articles(20, prefix="f"))
    assert cli(h, "import", "--no-index", str(tmp_path / "first.jsonl")).returncode == 0
    with hold_lock(h, 60):  # as a first import's build holds it
        text = cli(h, "stats", env={"COLUMNS": "300"})
        data = json.loads(cli(h, "stats", "--json").stdout)
    assert text.returncode == 0
    up = next(line for line in text.stdout.splitlines() if line.strip().startswith("up to date"))
    # the words a search says when it gives up waiting, and nothing to run meanwhile
    assert up.split(None, 3)[-1] == ("no: there is no index yet; another searchkit process (an import or index "
                                     "run) is building it")
    assert data["index_building"] is True and data["index_outdated_reason"].endswith("is building it")
    after = json.loads(cli(h, "stats", "--json").stdout)  # nobody builds it now: `index` is the advice again
    assert after["index_building"] is False and after["index_outdated_reason"] == "there is no index yet"
    assert f"no: there is no index yet; run `searchkit --home {h} index`" in cli(h, "stats",
                                                                             env={"COLUMNS": "300"}).stdout


def test_stats_while_another_process_updates_the_index_says_it_is_at_work_as_a_search_does(home, tmp_path):
    write_jsonl(tmp_path / "more.jsonl", articles(20, prefix="m"))
    assert cli(home, "import", "--no-index", str(tmp_path / "more.jsonl")).returncode == 0  # (as an import stores)
    with hold_lock(home, 60):  # as that import, indexing what it stored, holds it
        text = cli(home, "stats", env={"COLUMNS": "300"})
        data = json.loads(cli(home, "stats", "--json").stdout)
        found = cli(home, "search", "--json", "стаття", env={"SEARCHKIT_LOCK_TIMEOUT": "0.3"})
    assert text.returncode == 0
    at_work = "an import or index run is at work on this home and makes"
    assert at_work in found.stderr and "searchkit index" not in found.stderr
    up = next(line for line in text.stdout.splitlines() if line.strip().startswith("up to date"))
    # the search's words, and nothing to run meanwhile (`index` would only wait for that import)
    assert up.split(None, 3)[-1] == ("no: corpus/ has changed since it was indexed; an import or index run is at "
                                     "work on this home and makes the changes searchable when it is done")
    assert data["index_building"] is True and at_work in data["index_outdated_reason"]
    after = json.loads(cli(home, "stats", "--json").stdout)  # nobody at work now: `index` is the advice again
    assert after["index_building"] is False
    assert after["index_outdated_reason"] == "corpus/ has changed since it was indexed"
    assert f"run `searchkit --home {home} index`" in cli(home, "stats", env={"COLUMNS": "300"}).stdout


def test_a_search_kept_waiting_by_a_thread_of_its_own_program_says_so_not_another_process(tmp_path):
    # (a web service's first import, in a thread, into a home with no index: the search in
    # another thread was told "another searchkit process" was building it)
    eng = Engine.init(tmp_path / "home", lock_timeout=0)
    write_jsonl(tmp_path / "feed.jsonl", articles(3))
    assert eng.import_paths(tmp_path / "feed.jsonl", index=False).added == 3  # stored, no index yet
    held, done = threading.Event(), threading.Event()

    def writer() -> None:
        with eng.lock:
            held.set()
            done.wait(60)

    with ThreadPoolExecutor(1) as pool:
        running = pool.submit(writer)
        assert held.wait(60)
        try:
            with pytest.raises(IndexBusy) as no_index:
                eng.search(COMMON_WORD)
            with pytest.raises(IndexBusy) as busy:
                eng.delete("нема")
            building = eng.stats().index_outdated_reason
        finally:
            done.set()
        running.result()
    assert str(no_index.value).startswith("no index to search yet: another thread or Engine of this program (an "
                                          "import or index run) is building it")
    assert str(busy.value) == "index is busy: another thread or Engine of this program is writing (waited 0 s)"
    assert building == "there is no index yet; another thread or Engine of this program (an import or index run) " \
                       "is building it"
    assert eng.search(COMMON_WORD).total == 3  # let go: built at once
    eng.close()
