"""Issue 19: no input, query or thread can hang, poison or corrupt a home.

Each test pins one finding of a red-team run; each failed before its fix."""

from __future__ import annotations

import errno
import json
import os
import re
import subprocess
import sys
import threading
import time

import pytest

from searchkit import Engine, library
from searchkit.backends.whoosh import SearchIndex, vocabulary
from searchkit.errors import IndexBusy
from searchkit.ingest.pipeline import MIN_PARALLEL
from searchkit.library import PENDING_FILE
from searchkit.models import Span
from searchkit.render import highlighted, printable
from searchkit.text.analysis import Analyzer, analyze

from .clirun import cli
from .conftest import ARTICLES, write_jsonl
from .synth import COMMON_WORD
from .synth import articles as synth_articles
from .synth import write_jsonl as write_synth

# A Tangut letter (no Unicode name in Python 3.11's unicodedata) starting a Cyrillic word.
TANGUT_WORD = "\U00017709київ"


# -- High 2: one article must not poison the home ---------------------------------------------

@pytest.mark.parametrize("char", ["\U00017000", "\U00017709", "\U000187f7", "\U00018d00", "\U00018d08"])
def test_a_letter_without_a_unicode_name_is_analyzed_not_raised(char):
    for word in (f"{char}київ", f"{char}ёлка", f"київ{char}", f"{char}{char}"):
        tokens = Analyzer().analyze(f"Слово {word}.")
        assert [t.form for t in tokens][0] == "слово"
        assert tokens[-1].lemmas  # some lemma, no ValueError from pymorphy3


def test_an_article_with_a_tangut_word_is_indexed_and_later_imports_work(home, tmp_path):
    eng = Engine(home)
    try:
        report = eng.import_paths([write_jsonl(tmp_path / "t.jsonl", [{"id": "t1", "text": f"Слово {TANGUT_WORD}."}])])
        assert report.failed == 0 and report.added == 1
        report = eng.import_paths([write_jsonl(tmp_path / "feed.jsonl", ARTICLES)])
        assert report.failed == 0 and report.added == len(ARTICLES)
        assert eng.index(rebuild=True).failed == 0
        res = eng.search(TANGUT_WORD)
        assert [h.id for h in res.hits][: res.matched_all] == ["t1"]
        assert {h.id for h in eng.search("слово").hits} == {"t1"}
        assert eng.search("Лукашенко").total == 1
    finally:
        eng.close()


def test_an_article_that_breaks_the_analyzer_is_named_and_the_rest_indexed(home, tmp_path, monkeypatch):
    eng = Engine(home)
    try:
        real = Analyzer.words

        def words(self, text):  # type: ignore[no-untyped-def]
            if "отрута" in text:
                raise ValueError("no such name")
            return real(self, text)

        monkeypatch.setattr(Analyzer, "words", words)
        bad = {"id": "bad", "text": "Тут отрута для аналізатора."}
        report = eng.import_paths([write_jsonl(tmp_path / "feed.jsonl", [bad, *ARTICLES])])
        assert report.added == len(ARTICLES) + 1
        assert report.failed == 1
        assert "bad" in report.errors[0] and "ValueError" in report.errors[0]
        assert eng.search("Лукашенко").total == 1
    finally:
        eng.close()


def test_analyze_helper_handles_the_red_team_article():
    assert [t.form for t in analyze("Слово 𗜉київ.")] == ["слово", "𗜉київ"]


# -- Medium 3: one Engine shared by threads ---------------------------------------------------

def _hammer(eng: Engine, queries: list[str], stop: threading.Event, errors: list[BaseException],
            counts: list[int]) -> None:
    i = 0
    while not stop.is_set():
        try:
            res = eng.search(queries[i % len(queries)], limit=5)
            for hit in res.hits[:1]:
                eng.get(hit.id)
            if i % 25 == 0:
                eng.stats()
            counts.append(res.total)
        except BaseException as e:  # noqa: BLE001 - every failure is the test's finding
            errors.append(e)
        i += 1


def test_threads_sharing_one_engine_search_while_one_imports_with_no_errors(home, tmp_path, monkeypatch):
    monkeypatch.setattr(library, "IMPORT_BATCH", 400)  # several commits under the readers
    write_synth(tmp_path / "base.jsonl", synth_articles(300, prefix="b"))
    write_synth(tmp_path / "more.jsonl", synth_articles(1300, prefix="m", seed=2))
    eng = Engine(home)
    try:
        assert eng.import_paths([tmp_path / "base.jsonl"]).failed == 0
        stop, errors, counts = threading.Event(), [], []
        queries = [COMMON_WORD, "мовні табори", "Києві OR Львові", "лікарні -школи", "новий міст", "рада*"]
        threads = [threading.Thread(target=_hammer, args=(eng, queries, stop, errors, counts)) for _ in range(4)]
        for t in threads:
            t.start()
        try:
            report = eng.import_paths([tmp_path / "more.jsonl"])
            assert report.failed == 0 and report.added == 1300
            assert eng.index(rebuild=True).failed == 0
            stats = eng.stats()
            assert stats.articles == 1600 and stats.index_up_to_date
        finally:
            stop.set()
            for t in threads:
                t.join(60)
        assert not errors, f"{len(errors)} errors, first: {errors[0]!r}"
        assert len(counts) > 20
        assert eng.search(COMMON_WORD, limit=1).total == 1600
    finally:
        eng.close()


def test_two_threads_of_one_engine_take_turns_at_the_write_lock(home, monkeypatch):
    monkeypatch.setenv("SEARCHKIT_LOCK_TIMEOUT", "0.2")
    eng = Engine(home)
    try:
        held, done = threading.Event(), threading.Event()

        def hold() -> None:
            with eng.lock:
                held.set()
                done.wait(10)

        t = threading.Thread(target=hold)
        t.start()
        assert held.wait(10)
        try:
            with pytest.raises(IndexBusy):
                eng.lock.acquire(timeout=0.2)
            with pytest.raises(IndexBusy):
                eng.index()
        finally:
            done.set()
            t.join(10)
        eng.lock.acquire(timeout=1)  # free again
        eng.lock.release()
    finally:
        eng.close()


# -- Medium 7: the write lock does not depend on a file a user can remove ----------------------

HOLD_ENGINE_LOCK = """
import sys, time
from searchkit import Engine
eng = Engine(sys.argv[1])
eng.lock.acquire(timeout=0)
print("locked", flush=True)
time.sleep(30)
"""


def test_removing_the_lock_file_does_not_let_a_second_writer_in(home, tmp_path):
    write_jsonl(tmp_path / "feed.jsonl", ARTICLES)
    with subprocess.Popen([sys.executable, "-c", HOLD_ENGINE_LOCK, str(home)], stdout=subprocess.PIPE,
                          text=True) as proc:
        try:
            assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
            (home / ".searchkit.lock").unlink()
            for args in (["import", str(tmp_path / "feed.jsonl")], ["index", "--rebuild"]):
                done = cli(home, *args, env={"SEARCHKIT_LOCK_TIMEOUT": "0.3"})
                assert done.returncode == 2, done.stderr
                assert "index is busy" in done.stderr
            assert not any((home / "corpus").iterdir())
        finally:
            proc.kill()
    assert cli(home, "import", str(tmp_path / "feed.jsonl"), env={"SEARCHKIT_LOCK_TIMEOUT": "5"}).returncode == 0


def test_articles_a_running_import_stored_are_said_to_come_not_to_need_an_index_run(engine, tmp_path):
    eng, home = engine, engine.home
    eng.import_paths([write_jsonl(tmp_path / "more.jsonl", list(synth_articles(3, prefix="m")))], index=False)
    assert eng.unindexed()[0] == 3 and not eng.writer_at_work()
    with subprocess.Popen([sys.executable, "-c", HOLD_ENGINE_LOCK, str(home)], stdout=subprocess.PIPE,
                          text=True) as proc:
        try:
            assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
            assert eng.writer_at_work()
            done = cli(home, "search", "табори", env={"SEARCHKIT_LOCK_TIMEOUT": "0.3"})
            assert "an import or index run is at work on this home" in done.stderr, done.stderr
            assert "searchkit index" not in done.stderr  # (it would wait for the lock, then fail)
        finally:
            proc.kill()
    assert not eng.writer_at_work()


UNGUARDED_SCRIPT = """
import sys, threading
from searchkit import Engine
print("script ran", flush=True)
stop = threading.Event()
threading.Thread(target=stop.wait, daemon=True).start()  # a thread: no fork, a spawned helper
eng = Engine(sys.argv[1])
report = eng.import_paths([sys.argv[2]])
print("imported", report.added, report.failed, flush=True)
stop.set()
"""


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the second indexing process needs two cores")
def test_the_second_indexing_process_does_not_run_an_unguarded_script_again(home, tmp_path):
    write_synth(tmp_path / "feed.jsonl", synth_articles(MIN_PARALLEL + 50, prefix="g"))
    script = tmp_path / "user_script.py"
    script.write_text(UNGUARDED_SCRIPT, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script), str(home), str(tmp_path / "feed.jsonl")],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("script ran") == 1, done.stdout + done.stderr
    assert f"imported {MIN_PARALLEL + 50} 0" in done.stdout


# -- Medium 5: delete after a killed import ----------------------------------------------------

class Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs, no except clause catches it."""


def test_a_delete_after_a_killed_import_indexes_what_the_import_stored(engine, tmp_path, monkeypatch):
    write_synth(tmp_path / "more.jsonl", synth_articles(30, prefix="m"))
    with monkeypatch.context() as m:
        m.setattr(SearchIndex, "apply", lambda *a, **k: (_ for _ in ()).throw(Killed))
        with pytest.raises(Killed):
            engine.import_paths([tmp_path / "more.jsonl"])
    assert engine.search(COMMON_WORD, collapse=False).total == 0  # stored, not indexed
    assert (engine.home / PENDING_FILE).exists()

    assert Engine(engine.home).delete(["a2"]) == 1
    assert engine.search(COMMON_WORD, collapse=False).total == 30
    assert "a2" not in {h.id for h in engine.search("табори", limit=100, collapse=False).hits}
    assert not (engine.home / PENDING_FILE).exists()
    assert engine.stats().index_up_to_date


# -- Medium 6: untrusted text never reaches the terminal raw -----------------------------------

HOSTILE = {
    "id": "evil",
    "title": "Заголовок \x1b]0;pwned\x07 \x1b[2J\x1b[H новина",
    "source": "Джерело\x00\x1b[31m\x9b2J",
    "date": "2024-01-02",
    "text": "Текст новина \x1b]8;;http://x\x1b\\посилання\x1b]8;;\x1b\\ і \x00 нуль, \r повернення.\nДругий рядок.",
}
_SGR = re.compile(r"\x1b\[[0-9;]*m")  # the colours Rich itself writes


def _raw_controls(out: str) -> list[str]:
    return [c for c in _SGR.sub("", out) if (ord(c) < 0x20 and c not in "\n\t") or 0x7F <= ord(c) < 0xA0]


@pytest.mark.parametrize("color", ["--color", "--no-color"])
def test_escape_sequences_in_an_article_never_reach_the_terminal(home, tmp_path, color):
    write_jsonl(tmp_path / "evil.jsonl", [HOSTILE, *ARTICLES])
    assert cli(home, "import", str(tmp_path / "evil.jsonl")).returncode == 0
    for args in (["search", "новина"], ["search", "новина", "--facets", "source"], ["show", "evil"],
                 ["show", "evil", "--query", "посилання"], ["stats"], ["duplicates"], ["similar", "evil"],
                 ["explain", "новина", "evil"]):
        done = cli(home, color, *args)
        assert done.returncode in (0, 1), (args, done.stderr)
        assert _raw_controls(done.stdout) == [], (args, done.stdout)
        assert _raw_controls(done.stderr) == [], (args, done.stderr)
    shown = cli(home, "--no-color", "show", "evil").stdout
    assert "␛]0;pwned␇" in shown and "␀" in shown and "Другий рядок" in shown


@pytest.mark.parametrize("color", ["--color", "--no-color"])
def test_escape_sequences_in_a_file_name_a_source_or_a_home_typed_never_reach_the_terminal(home, tmp_path, color):
    # (the error line of a file so named in an imported folder, a --source's "Source:" line
    # and a --home's error sent them as they were: a downloaded archive names its files)
    evil = "\x1b]0;pwned\x07\x1b[2J"
    folder = tmp_path / "feed"
    folder.mkdir()
    (folder / f"a{evil}.jsonl").write_text("not json\n", encoding="utf-8")
    for args in (["--home", str(home), "import", str(folder)],
                 ["--home", str(home), "search", "--source", evil, "мова"],
                 ["--home", str(tmp_path / f"no{evil}"), "stats"], ["init", str(tmp_path / f"new{evil}")],
                 ["--home", str(home), "delete", evil],
                 ["--home", str(home), "saved", "add", "s", "мова", "--source", evil]):
        done = subprocess.run([sys.executable, "-m", "searchkit", color, *args], capture_output=True, text=True,
                              timeout=120)
        assert _raw_controls(done.stdout) == [] and _raw_controls(done.stderr) == [], (args, done)
        assert "␛]0;pwned␇␛[2J" in done.stdout + done.stderr, (args, done)


def test_printable_shows_bidirectional_overrides_instead_of_obeying_them():
    title = "Рахунок \u202eанюлав\u202c і \u2066ізоляція\u2069"  # U+202E shows what follows backwards
    shown = printable(title)
    assert len(shown) == len(title) and "\u202e" not in shown and "\u2066" not in shown
    assert shown.count("\ufffd") == 4 and "Рахунок" in shown


def test_printable_keeps_offsets_and_newlines_where_asked():
    text = "a\x1b[2Jb\x00c\r\nd\x9be\x7f"
    assert len(printable(text)) == len(text)
    assert printable(text) == "a␛[2Jb␀c␍␊d\ufffde␡"
    assert printable(text, lines=True) == "a␛[2Jb␀c␍\nd\ufffde␡"
    assert printable("звичайний текст\tз табом") == "звичайний текст\tз табом"
    hl = highlighted("x\x1b[2Jмова", [Span(5, 9)])
    assert hl.plain[5:9] == "мова"


def test_printable_shows_the_few_controls_of_a_long_text_and_every_one_of_a_text_of_controls():
    words = "мовні табори\n" * 20_000
    text = f"{words}\x1b[2J\r\n{words}\u202e\x00"
    assert printable(text, lines=True) == f"{words}␛[2J␍\n{words}\ufffd␀"
    assert printable(text) == printable(text, lines=True).replace("\n", "␊")
    assert printable(words, lines=True) is words  # (nothing to replace: the text itself)
    assert printable("\x1b\x00\n" * 1000, lines=True) == "␛␀\n" * 1000


# -- Medium 4: the stored record is limited, not only the input line ----------------------------

def test_a_deeply_nested_extra_field_is_refused_and_the_rest_imported(home, tmp_path):
    deep: object = [0] * 1000
    for _ in range(200):
        deep = [deep]
    wide = {"a": [[[[[[[[[[[0] * 600_000]]]]]]]]]]}  # 10 deep, 1.2 MB compact, ~20 MB pretty-printed
    recs = [{"id": "deep", "text": "Глибока новина.", "payload": deep},
            {"id": "wide", "text": "Широка новина.", "payload": wide},
            *ARTICLES]
    eng = Engine(home)
    try:
        report = eng.import_paths([write_jsonl(tmp_path / "feed.jsonl", recs)])
        assert report.added == len(ARTICLES) and report.failed == 2, report.errors
        assert "feed.jsonl:1: an extra field is nested more than" in report.errors[0]
        assert "wide" in report.errors[1] and "too large to store" in report.errors[1]
        biggest = max(p.stat().st_size for p in (home / "corpus").rglob("*.json"))
        assert biggest < 10_000
    finally:
        eng.close()


def test_a_csv_row_is_limited_as_a_whole_not_per_cell(home, tmp_path):
    cell = "я" * (3 * 2**20)  # 3 M characters: under the per-cell limit
    header = "id,text," + ",".join(f"c{i}" for i in range(4)) + "\n"
    big = "big,Текст новини," + ",".join([cell] * 4) + "\n"
    ok = "ok,Маленька новина про табори,,,,\n"
    (tmp_path / "feed.csv").write_text(header + ok + big + ok.replace("ok,", "ok2,"), encoding="utf-8")
    eng = Engine(home)
    try:
        report = eng.import_paths([tmp_path / "feed.csv"])
        assert report.added == 2 and report.failed == 1, report.errors
        assert "feed.csv:3:" in report.errors[0] and "limit for one article" in report.errors[0]
        assert {eng.corpus.read(f.relpath).id for f in eng.corpus.scan()} == {"ok", "ok2"}
    finally:
        eng.close()


def test_a_bad_byte_in_a_csv_is_reported_at_its_line_and_every_other_row_imported(home, tmp_path):
    rows = [f"r{i},Новина номер {i} про табори\n".encode() for i in range(6000)]
    rows[5000] = b"bad,\xff\xfe broken\n"
    (tmp_path / "feed.csv").write_bytes(b"id,text\n" + b"".join(rows))
    eng = Engine(home)
    try:
        report = eng.import_paths([tmp_path / "feed.csv"], index=False)
        # (a CSV is read row by row, as JSON Lines is: the rows after the bad one are kept too)
        assert report.added == 5999 and report.failed == 1, report.errors[:3]
        assert "feed.csv:5002:" in report.errors[0] and "row skipped" in report.errors[0]
        assert eng.get("r4999") is not None and eng.get("r5001") is not None
    finally:
        eng.close()


# -- Medium 8: read-only homes, lexicon edits during an import, a broken saved-searches file -----

def test_a_read_only_home_without_word_lists_still_corrects_spelling(engine, monkeypatch):
    for vocab in (engine.home / "index").rglob("*.vocab"):
        vocab.unlink()

    def read_only(*args, **kwargs):  # what writing into a read-only file system does
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(vocabulary, "save", read_only)
    fresh = Engine(engine.home)
    try:
        res = fresh.search("Лукашенкo~")
        assert res.total == 1
        assert fresh.search("Лукашнко").total == 1  # corrected from the word list, built in memory
    finally:
        fresh.close()


def test_a_read_only_home_says_import_writes_to_it_and_still_searches(engine, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from searchkit.cli import main

    real_open = os.open
    lock = str(engine.home / ".searchkit.lock")

    def read_only(path, flags, *args):  # the lock file is the first thing a writer writes
        if os.fspath(path) == lock and flags & (os.O_RDWR | os.O_WRONLY):
            raise OSError(errno.EROFS, "Read-only file system", path)
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", read_only)
    (tmp_path / "note.txt").write_text("Лукашенко знову виступив.", encoding="utf-8")
    r = CliRunner().invoke(main, ["--home", str(engine.home), "import", str(tmp_path / "note.txt")])
    assert r.exit_code == 2 and r.stderr == (
        f"Error: {engine.home}: cannot write to the home (Read-only file system): import, index and delete write "
        "to it (so does the build of the index a first search needs) — make it writable, or work on a copy of it\n")
    r = CliRunner().invoke(main, ["--home", str(engine.home), "search", "Лукашенко"])
    assert r.exit_code == 0 and "1 match" in r.output


def test_an_outdated_index_answers_at_once_while_another_writer_works(engine, tmp_path, monkeypatch):
    monkeypatch.setenv("SEARCHKIT_LOCK_TIMEOUT", "5")
    (engine.home / "lexicon.tsv").write_text("табори -> табір\n", encoding="utf-8")  # lemmas change
    with subprocess.Popen([sys.executable, "-c", HOLD_ENGINE_LOCK, str(engine.home)], stdout=subprocess.PIPE,
                          text=True) as proc:
        try:
            assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
            reader = Engine(engine.home)
            try:
                started = time.monotonic()
                assert reader.search("Лукашенко").total == 1
                assert time.monotonic() - started < 2
            finally:
                reader.close()
        finally:
            proc.kill()


def test_a_broken_saved_searches_file_does_not_stop_an_import(engine, tmp_path, monkeypatch):
    monkeypatch.setattr(library, "IMPORT_BATCH", 10)
    engine.saved.path.parent.mkdir(parents=True, exist_ok=True)
    engine.saved.path.write_text("{not json", encoding="utf-8")
    write_synth(tmp_path / "more.jsonl", synth_articles(35, prefix="m"))
    report = engine.import_paths([tmp_path / "more.jsonl"])
    assert report.added == 35 and report.failed == 0
    assert len(report.warnings) == 1 and "not valid JSON" in report.warnings[0]
    assert engine.search(COMMON_WORD, collapse=False).total == 35
    done = cli(engine.home, "import", str(tmp_path / "more.jsonl"))
    assert done.returncode == 0 and "Warning:" not in done.stderr  # nothing imported: nothing to count


def test_the_error_count_says_how_many_errors_were_not_shown(home, tmp_path):
    good = json.dumps({"id": "ok", "text": "Добрий рядок."}, ensure_ascii=False)
    (tmp_path / "bad.jsonl").write_text(good + "\n" + "{bad\n" * 1200, encoding="utf-8")
    done = cli(home, "import", str(tmp_path / "bad.jsonl"))
    assert done.returncode == 2
    assert "… and 1,150 more errors" in done.stderr


def test_a_file_whose_first_records_are_all_bad_is_read_no_further_and_the_next_file_is(home, tmp_path):
    from searchkit.ingest.importer import BAD_START

    feed = tmp_path / "feed"
    feed.mkdir()
    (feed / "a-noise.jsonl").write_bytes(b"\xff\x00garbage}\n" * 5000)
    (feed / "b-good.jsonl").write_text(json.dumps({"id": "good", "text": "Добрий рядок."}, ensure_ascii=False)
                                       + "\n{bad\n", encoding="utf-8")
    done = cli(home, "import", str(feed))
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert sum("a-noise.jsonl" in line for line in lines) <= BAD_START + 1
    assert any(f"its first {BAD_START} records are unreadable" in line for line in lines)
    assert any("b-good.jsonl:2" in line for line in lines)  # the next file's own error is shown
    assert "1 added" in done.stdout


def test_a_feed_whose_first_records_lack_a_field_goes_on_to_its_good_ones(home, tmp_path):
    rows = [{"id": f"e{i}", "text": ""} for i in range(25)] + [{"id": f"g{i}", "text": "Добрий рядок."}
                                                              for i in range(5)]
    done = cli(home, "import", str(write_jsonl(tmp_path / "feed.jsonl", rows)))
    assert done.returncode == 2 and "5 added" in done.stdout and "25 failed" in done.stdout
    assert "skipped" not in done.stderr


# -- Low: Ctrl-C while the command line starts ----------------------------------------------------

CTRL_C_WHILE_IMPORTING = """
import importlib.abc, os, runpy, signal, sys

module = sys.argv[1]
# as in a terminal: a job started in the background (``cmd &``, CI runners) inherits
# SIGINT ignored, and Python then never turns it into KeyboardInterrupt
signal.signal(signal.SIGINT, signal.default_int_handler)

class CtrlC(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == module:
            os.kill(os.getpid(), signal.SIGINT)
        return None

sys.meta_path.insert(0, CtrlC())
sys.argv = ["-m", "--home", sys.argv[2], "search", "київ"]  # as `python -m searchkit` sets it
sys.orig_argv = [sys.executable, "-m", "searchkit", *sys.argv[1:]]
runpy.run_module("searchkit", run_name="__main__", alter_sys=True)
"""


# (threading: the first module imported that Python's start-up had not loaded; searchkit
# imported it before it took Ctrl-C)
@pytest.mark.parametrize("module", ["threading", "searchkit.errors", "searchkit.query.explain", "searchkit.cli"])
def test_ctrl_c_while_the_command_starts_says_interrupted_without_a_traceback(home, module):
    done = subprocess.run([sys.executable, "-c", CTRL_C_WHILE_IMPORTING, module, str(home)], capture_output=True,
                          text=True, timeout=60)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.stderr.strip() == "Interrupted." and done.returncode == 130


def test_the_command_line_takes_ctrl_c_before_it_imports_a_module_python_had_not_loaded(home):
    # python -X importtime lists each module as its import ends (a package after what it
    # imports): between runpy and searchkit.interrupts, which takes Ctrl-C first thing,
    # nothing but that module is imported (typing and threading were, 5-20 ms)
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "searchkit", "--version"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    imported = [line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if line.count("|") == 2]
    first = imported.index("searchkit.interrupts")
    assert imported[imported.index("runpy") + 1:first + 1] == ["searchkit.interrupts"]


CTRL_C_WHILE_CLOSING = """
import os, runpy, signal, sys

signal.signal(signal.SIGINT, signal.default_int_handler)  # (as in a terminal: see above)
from searchkit import library

close = library.Engine.close

def ctrl_c_then_close(self):
    os.kill(os.getpid(), signal.SIGINT)  # as the command's engine closes, its work done
    close(self)

library.Engine.close = ctrl_c_then_close
sys.argv = ["-m", "--home", sys.argv[1], "stats"]
sys.orig_argv = [sys.executable, "-m", "searchkit", *sys.argv[1:]]
runpy.run_module("searchkit", run_name="__main__", alter_sys=True)
"""


def test_ctrl_c_while_the_command_closes_its_engine_says_interrupted_and_exits_130(home):
    # (it was click's "Aborted!", exit status 1: the engine was closed after the command's
    # own Ctrl-C handling had ended)
    done = subprocess.run([sys.executable, "-c", CTRL_C_WHILE_CLOSING, str(home)], capture_output=True, text=True,
                          timeout=60)
    assert "Traceback" not in done.stderr and "Aborted" not in done.stderr, done.stderr
    assert done.stderr.strip().endswith("Interrupted.") and done.returncode == 130


# -- Low: links, FIFOs and damaged derived files --------------------------------------------------

def test_a_file_link_out_of_an_imported_folder_is_reported_not_followed(home, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write_jsonl(folder / "good.jsonl", ARTICLES[:1])
    secret = tmp_path / "secret.txt"
    secret.write_text("Таємний текст поза текою.", encoding="utf-8")
    (folder / "leak.txt").symlink_to(secret)
    (folder / "own.txt").write_text("Текст у самій теці.", encoding="utf-8")
    (folder / "inside.txt").symlink_to(folder / "own.txt")  # inside the folder: followed
    eng = Engine(home)
    try:
        report = eng.import_paths([folder])
        assert report.failed == 1 and "leak.txt: a symbolic link out of the imported folder" in report.errors[0]
        assert eng.search("таємний").total == 0
        assert eng.import_paths([folder / "leak.txt"]).added == 1  # named on its own: the user's choice
    finally:
        eng.close()


def test_a_folder_link_out_of_an_imported_folder_is_reported_as_a_file_link_is(home, tmp_path):
    outside = tmp_path / "outside/month"
    outside.mkdir(parents=True)
    (outside / "ext.txt").write_text("Текст ззовні про мости.", encoding="utf-8")
    folder = tmp_path / "in"
    (folder / "own").mkdir(parents=True)
    (folder / "own/own.txt").write_text("Свій текст про мости.", encoding="utf-8")
    (folder / "dirlink").symlink_to(outside, target_is_directory=True)
    (folder / "own/up").symlink_to(folder, target_is_directory=True)  # a loop back: read once, unsaid
    eng = Engine(home)
    try:
        report = eng.import_paths([folder])
        assert (report.added, report.failed, report.warnings) == (1, 1, [])
        assert report.errors == [f"{folder / 'dirlink'}: a symbolic link out of the imported folder; not followed"]
        assert eng.search("ззовні").total == 0
    finally:
        eng.close()


def test_a_symlinked_shard_folder_is_never_written_through(home, tmp_path):
    from searchkit.store.corpus import article_filename

    outside = tmp_path / "outside"
    outside.mkdir()
    shard = article_filename(ARTICLES[0]["id"]).split("/")[0]
    (home / "corpus" / shard).symlink_to(outside, target_is_directory=True)
    eng = Engine(home)
    try:
        report = eng.import_paths([write_jsonl(tmp_path / "feed.jsonl", ARTICLES)])
        assert report.failed == 1 and "symbolic link" in report.errors[0]
        assert report.added == len(ARTICLES) - 1
        assert list(outside.iterdir()) == []
    finally:
        eng.close()


def test_a_named_pipe_given_to_import_without_a_known_suffix_is_refused_not_waited_on(engine, tmp_path):
    pipe = tmp_path / "feed"  # (no writer: opening it would wait for one)
    os.mkfifo(pipe)
    done = cli(engine.home, "import", str(pipe), timeout=60)
    assert done.returncode == 2
    assert done.stderr.splitlines()[0] == f"Error: {pipe}: not a regular file (a device, pipe or socket); skipped"


def test_a_fifo_in_the_corpus_does_not_hang_index_or_show(engine):
    from searchkit.store.corpus import article_filename

    fifo = engine.home / "corpus" / "zz" / "stuck.json"
    fifo.parent.mkdir(exist_ok=True)
    os.mkfifo(fifo)
    for args in (["index"], ["index", "--rebuild"], ["stats"], ["search", "табори"]):
        done = cli(engine.home, *args, timeout=60)
        assert done.returncode in (0, 1), (args, done.stderr)
    path = engine.home / "corpus" / article_filename("a1")
    path.unlink()
    os.mkfifo(path)  # where an article's file should be
    done = cli(engine.home, "show", "a1", timeout=60)
    assert done.returncode == 2 and "not a regular file" in done.stderr
    done = cli(engine.home, "import", str(write_jsonl(engine.home.parent / "a1.jsonl", ARTICLES[:1])), timeout=60)
    assert done.returncode == 2 and "not a regular file" in done.stderr


@pytest.mark.parametrize("groups", [5, "abc", [5], [[1, 2]], {"a": 1}, [["a1", None]], None])
def test_a_malformed_duplicates_file_is_recomputed_not_fatal(engine, tmp_path, groups):
    [dup] = list((engine.home / "index").glob("gen-*/duplicates.json"))
    data = json.loads(dup.read_text(encoding="utf-8"))
    data["groups"] = groups
    dup.write_text(json.dumps(data), encoding="utf-8")
    fresh = Engine(engine.home)
    try:
        assert fresh.search("табори").total == 1
        report = fresh.import_paths([write_jsonl(tmp_path / "more.jsonl", [{"id": "n1", "text": "Нові табори."}])])
        assert report.failed == 0 and report.added == 1
        assert fresh.index().failed == 0
        assert fresh.search("табори").total == 2
    finally:
        fresh.close()


def test_a_file_in_place_of_the_index_folder_is_healed_by_the_hinted_rebuild(engine, tmp_path):
    import shutil

    shutil.rmtree(engine.home / "index")
    (engine.home / "index").write_text("junk", encoding="utf-8")
    done = cli(engine.home, "search", "табори")
    assert done.returncode == 2 and "index --rebuild" in done.stderr
    assert cli(engine.home, "index", "--rebuild").returncode == 0
    assert cli(engine.home, "search", "табори").returncode == 0
    (engine.home / "index").rename(tmp_path / "moved")
    (engine.home / "index").write_text("junk", encoding="utf-8")
    assert cli(engine.home, "import", str(write_jsonl(tmp_path / "n.jsonl", [{"id": "n", "text": "Табори."}]))
               ).returncode == 0
    assert cli(engine.home, "search", "табори").returncode == 0


def test_an_undecodable_id_on_the_command_line_is_not_found_not_damage(engine):
    for args in ([b"show", b"\xff"], [b"similar", b"\xffa"], [b"duplicates", b"\xff"], [b"explain", "табори".encode(),
                                                                                        b"\xff"]):
        done = subprocess.run([sys.executable.encode(), b"-m", b"searchkit", b"--home", bytes(engine.home), *args],
                              capture_output=True, timeout=60)
        err = done.stderr.decode("utf-8", "replace")
        assert done.returncode == 2, err
        assert "no article with id" in err and "damaged" not in err and "Error: unexpected" not in err, err
    assert engine.search("табори").total == 1


def test_a_full_disk_stops_the_import_with_one_error_and_indexes_what_was_stored(home, tmp_path, monkeypatch):
    from searchkit.store.corpus import Corpus

    real, calls = Corpus.put, [0]

    def put(self, article):  # type: ignore[no-untyped-def]
        calls[0] += 1
        if calls[0] > 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, article)

    monkeypatch.setattr(Corpus, "put", put)
    write_synth(tmp_path / "feed.jsonl", synth_articles(30, prefix="d"))
    eng = Engine(home)
    try:
        report = eng.import_paths([tmp_path / "feed.jsonl"])
        assert report.added == 3 and report.failed == 1, report.errors
        assert "No space left on device" in report.errors[0] and "the import stopped" in report.errors[0]
        assert calls[0] == 4  # no attempt after the first failure
        assert eng.search(COMMON_WORD, collapse=False).total == 3
    finally:
        eng.close()


def test_ids_1_and_quoted_1_in_one_import_are_one_article_and_a_warning(home, tmp_path):
    recs = [{"id": 1, "text": "Перша стаття про табори."}, {"id": "1", "text": "Друга стаття про метро."},
            {"id": "x", "text": "Третя."}]
    eng = Engine(home)
    try:
        report = eng.import_paths([write_jsonl(tmp_path / "feed.jsonl", recs)])
        assert (report.added, report.updated, report.failed) == (2, 0, 0)  # the article of id 1 is new
        assert len(report.warnings) == 1 and "1 record had the id of an earlier record" in report.warnings[0]
        assert "'1' in " in report.warnings[0]
        again = eng.import_paths([write_jsonl(tmp_path / "other.jsonl", [{"id": "x", "text": "Третя, нова."}])])
        assert again.updated == 1 and again.warnings == []  # replacing an earlier import's article is normal
    finally:
        eng.close()


def test_a_csv_row_too_long_to_hold_is_skipped_as_it_is_read_and_the_next_rows_imported(home, tmp_path):
    cell = "x" * (9 * 2**20)
    with open(tmp_path / "feed.csv", "w", encoding="utf-8") as f:
        f.write("id,text,a,b,c,d\n")
        f.write("ok1,Перша новина,,,,\n")
        f.write('big,"з ""лапками""\nі рядком",' + ",".join([cell] * 3) + ',"кінець\nклітинки"\n')  # 27 MB, 3 lines
        f.write("ok2,Друга новина,,,,\n")
        f.write('big2,текст,' + ",".join([cell] * 4) + "\n")  # 36 MB: over the cap, one line
        f.write("ok3,Третя новина,,,,\n")
    eng = Engine(home)
    try:
        report = eng.import_paths([tmp_path / "feed.csv"], index=False)
        assert report.added == 3 and report.failed == 2, report.errors
        assert "feed.csv:3:" in report.errors[0] and "feed.csv:7:" in report.errors[1]
        assert {eng.corpus.read(f.relpath).id for f in eng.corpus.scan()} == {"ok1", "ok2", "ok3"}
    finally:
        eng.close()


def test_the_tui_filters_show_an_article_source_without_its_escapes():
    from searchkit.tui.dialogs import Filters

    assert Filters(source="Джерело\x1b]0;x\x07").describe() == "Джерело␛]0;x␇"


def test_a_full_disk_while_indexing_says_what_was_stored_and_the_old_index_answers(home, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from searchkit.backends.whoosh import bulk
    from searchkit.cli import main
    from searchkit.errors import IndexError_

    write_synth(tmp_path / "base.jsonl", synth_articles(20, prefix="b"))
    write_synth(tmp_path / "more.jsonl", synth_articles(30, prefix="m"))
    eng = Engine(home)
    try:
        eng.import_paths([tmp_path / "base.jsonl"])

        def full_disk(*args, **kwargs):  # type: ignore[no-untyped-def]
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(bulk.BulkWriter, "commit", full_disk)
        with pytest.raises(IndexError_, match=r"index/: cannot write the index \(No space left on device\); "
                                              r"30 articles stored in corpus/ by this import") as e:
            eng.import_paths([tmp_path / "more.jsonl"])
        assert "run `Engine.index()`" in e.value.hint
        r = CliRunner().invoke(main, ["--home", str(home), "index"])
        assert r.exit_code == 2 and r.stderr.count("\n") == 1 and "corpus/ is untouched" in r.stderr
        assert "free some space" in r.stderr
        monkeypatch.undo()
        assert Engine(home).search(COMMON_WORD, collapse=False).total == 20  # the index as it was
        assert eng.index().failed == 0
        assert Engine(home).search(COMMON_WORD, collapse=False).total == 50
    finally:
        eng.close()


def test_a_full_disk_met_by_the_index_writers_helper_process_is_said_as_a_full_disk(home, tmp_path, monkeypatch):
    # The commit writes its biggest field in a forked helper process; a full disk there was
    # `Error: the index writer's helper process failed (status 256)`: no word of the disk,
    # of the articles the import had stored, or of what to do.
    from searchkit.backends.whoosh import bulk
    from searchkit.errors import IndexError_

    write_synth(tmp_path / "base.jsonl", synth_articles(20, prefix="b"))
    write_synth(tmp_path / "more.jsonl", synth_articles(30, prefix="m"))
    eng = Engine(home)
    try:
        eng.import_paths([tmp_path / "base.jsonl"])
        monkeypatch.setattr(bulk, "_PARALLEL_MIN_TERMS", 0)  # (every commit has a helper)
        parent, real = os.getpid(), bulk.BulkWriter._write_field

        def write_field(self, name, postfile, *, to_file=False):  # type: ignore[no-untyped-def]
            if os.getpid() != parent:
                raise OSError(errno.ENOSPC, "No space left on device", "helper.pst")
            return real(self, name, postfile, to_file=to_file)

        monkeypatch.setattr(bulk.BulkWriter, "_write_field", write_field)
        with pytest.raises(IndexError_, match=r"index/: cannot write the index \(No space left on device\); "
                                              r"30 articles stored in corpus/ by this import") as e:
            eng.import_paths([tmp_path / "more.jsonl"])
        assert "free some space" in e.value.hint
        monkeypatch.undo()
        assert eng.index().failed == 0
        assert eng.search(COMMON_WORD, collapse=False).total == 50
    finally:
        eng.close()


def test_an_engine_whose_commit_met_a_full_disk_writes_again_once_there_is_room(home, tmp_path):
    # A commit stopped for want of room left the index's write lock held (cancelling it
    # closed the segment's files, whose last buffers met the limit again), so every later
    # write of the same Engine (the TUI's, a service's) was `index is busy ()` until the
    # program ended. A real limit on a file's size, as a full disk cuts a write.
    import resource

    from searchkit.errors import IndexError_

    write_synth(tmp_path / "base.jsonl", synth_articles(200, prefix="b"))
    write_synth(tmp_path / "more.jsonl", synth_articles(60, prefix="m"))
    eng = Engine(home)
    try:
        eng.import_paths([tmp_path / "base.jsonl"])
        eng.import_paths([tmp_path / "more.jsonl"], index=False)
        soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        resource.setrlimit(resource.RLIMIT_FSIZE, (16 * 1024, hard))
        try:
            with pytest.raises(IndexError_, match=r"cannot write the index \(File too large\); corpus/ is untouched"):
                eng.index()
        finally:
            resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        assert eng.index().indexed == 60
        assert eng.delete("b000001") == 1
        assert eng.search(COMMON_WORD, collapse=False).total == 259
    finally:
        eng.close()


def test_a_full_disk_while_a_delete_writes_the_index_says_what_was_deleted_and_what_to_do(home, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from searchkit.backends.whoosh import bulk
    from searchkit.cli import main
    from searchkit.errors import IndexError_

    recs = [{"id": f"d{i}", "text": f"Новина {i} про ремонт мосту."} for i in range(4)]
    eng = Engine(home)
    try:
        eng.import_paths([write_jsonl(tmp_path / "feed.jsonl", recs)])

        def full_disk(*args, **kwargs):  # type: ignore[no-untyped-def]
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(bulk.BulkWriter, "commit", full_disk)
        # was a bare OSError after the files were gone: `Error: No space left on device — free some space`
        r = CliRunner().invoke(main, ["--home", str(home), "delete", "d1", "d2"])
        assert r.exit_code == 2 and r.stderr.count("\n") == 1, r.stderr
        assert ("index/: cannot write the index (No space left on device); 2 articles deleted from corpus/, which "
                "searches leave out already — free some space, then run `searchkit") in r.stderr
        assert eng.search("ремонт", collapse=False).total == 2  # the deleted left out
        # the next writer first finishes the index, meets the full disk, and deletes all the
        # same (deleting is how room is made)
        with pytest.raises(IndexError_, match=r"cannot write the index \(No space left on device\); 1 article "
                                              r"deleted from corpus/, which searches leave out already") as e:
            eng.delete("d0")
        assert "run `Engine.index()`" in e.value.hint and "still answers" in e.value.hint
        assert eng.search("ремонт", collapse=False).total == 1
        monkeypatch.undo()
        assert eng.index().deleted == 3 and eng.count() == 1
    finally:
        eng.close()


def test_delete_on_a_full_disk_of_the_only_articles_not_yet_indexed_succeeds_and_leaves_no_pending_mark(
        home, tmp_path, monkeypatch):
    # The catch-up before the delete met the full disk, and the delete took the only
    # article it had to index: nothing was behind, yet the pending mark stayed, and every
    # search compared the stamp of every stored file until the next writer.
    from searchkit.backends.whoosh import bulk

    eng = Engine(home)
    try:
        eng.import_paths([write_jsonl(tmp_path / "feed.jsonl", [{"id": "d0", "text": "Новина про ремонт мосту."}])])
        eng.import_paths([write_jsonl(tmp_path / "late.jsonl", [{"id": "n0", "text": "Новина про ремонт дороги."}])],
                         index=False)
        assert (home / PENDING_FILE).exists()
        commit, met = bulk.BulkWriter.commit, []

        def full_once(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            if not met:
                met.append(True)
                self.cancel()
                raise OSError(errno.ENOSPC, "No space left on device")
            return commit(self, *args, **kwargs)

        monkeypatch.setattr(bulk.BulkWriter, "commit", full_once)
        assert eng.delete("n0") == 1 and met
        assert not (home / PENDING_FILE).exists()
        assert eng.backlog().behind == 0 and eng.stored("n0") == []
        assert [h.id for h in eng.search("ремонт").hits] == ["d0"]
    finally:
        eng.close()


def test_delete_on_a_full_disk_with_articles_not_yet_indexed_deletes_and_says_they_are_not_searchable_yet(
        home, tmp_path):
    # A delete first indexes what an earlier import stored and left unindexed; with no room
    # for that it refused (`no article was deleted — free some space`), though deleting is
    # how an archivist makes room. A real limit on a file's size: the 60 articles' segment
    # does not fit, the commit that drops two articles does.
    import resource

    from click.testing import CliRunner

    from searchkit.cli import main

    write_synth(tmp_path / "base.jsonl", synth_articles(200, prefix="b"))
    write_synth(tmp_path / "more.jsonl", synth_articles(60, prefix="m"))
    eng = Engine(home)
    try:
        eng.import_paths([tmp_path / "base.jsonl"])
        eng.import_paths([tmp_path / "more.jsonl"], index=False)
        soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        resource.setrlimit(resource.RLIMIT_FSIZE, (16 * 1024, hard))
        try:
            r = CliRunner().invoke(main, ["--home", str(home), "delete", "b000001", "b000002"])
        finally:
            resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        assert r.exit_code == 2 and r.stderr.count("\n") == 1, r.stderr
        assert ("index/: cannot write the index (File too large); 2 articles deleted from corpus/ and the index, "
                "but 60 articles stored before it are not searchable yet — raise the limit") in r.stderr
        assert eng.stored(["b000001", "b000002", "b000003"]) == eng.stored("b000003")
        assert eng.search(COMMON_WORD, collapse=False).total == 198  # the 60 not yet, the 2 gone
        assert eng.backlog().behind == 60
        assert eng.index().indexed == 60
        assert eng.search(COMMON_WORD, collapse=False).total == eng.count() == 258
    finally:
        eng.close()


def test_a_search_whose_first_build_meets_a_full_disk_says_so_with_what_to_do(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from searchkit.backends.whoosh import bulk
    from searchkit.cli import main
    from searchkit.errors import IndexError_

    write_synth(tmp_path / "feed.jsonl", synth_articles(20, prefix="f"))
    eng = Engine.init(tmp_path / "fresh")
    eng.import_paths([tmp_path / "feed.jsonl"], index=False)

    def full_disk(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(bulk.BulkWriter, "commit", full_disk)
    try:
        # was a bare OSError, and the CLI said only `Error: No space left on device`
        with pytest.raises(IndexError_, match=r"index/: cannot write the index \(No space left on device\); "
                                              r"the articles stay stored in corpus/") as e:
            eng.search(COMMON_WORD)
        assert "run `Engine.index()`" in e.value.hint and "still answers" not in e.value.hint
        r = CliRunner().invoke(main, ["--home", str(tmp_path / "fresh"), "search", COMMON_WORD])
        assert r.exit_code == 2 and "cannot write the index" in r.stderr and "free some space" in r.stderr
        monkeypatch.undo()
        assert eng.search(COMMON_WORD, collapse=False).total == 20
    finally:
        eng.close()


def test_two_records_of_one_new_id_in_one_import_are_one_article_added(home, tmp_path):
    recs = [{"id": "p1", "text": "Ціни на пшеницю впали."}, {"id": "p1", "text": "Ціни на пшеницю зросли."}]
    eng = Engine(home)
    try:
        report = eng.import_paths([write_jsonl(tmp_path / "feed.jsonl", recs)])
        assert (report.added, report.updated, report.unchanged, report.replaced, report.failed) == (1, 0, 0, 1, 0)
        assert report.warnings == ["1 record had the id of an earlier record of this import (first: 'p1' in "
                                   f"{tmp_path / 'feed.jsonl'}) and replaced it, counted as that one was"]
        assert eng.get("p1").text == "Ціни на пшеницю зросли." and eng.search("зросли").total == 1
        assert eng.search("впали").total == 0
    finally:
        eng.close()


def test_a_number_id_repeated_as_text_is_said_to_be_one_id(home, tmp_path):
    # the clause on 1 and "1" is said where it may be why two records are one, not for every repeat
    recs = [{"id": 7, "text": "Ціни на пшеницю впали."}, {"id": "7", "text": "Ціни на пшеницю зросли."}]
    eng = Engine(home)
    try:
        report = eng.import_paths([write_jsonl(tmp_path / "feed.jsonl", recs)])
        assert report.replaced == 1 and report.warnings[0].endswith("ids are text, so 1 and \"1\" are the same id")
    finally:
        eng.close()


def _file_size_limited(limit: int) -> None:
    """``ulimit -f``: a process that writes past ``limit`` bytes in a file gets EFBIG."""
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_a_limit_on_file_size_is_said_as_a_full_disk_is_with_what_was_stored_and_what_to_do(tmp_path):
    # a real EFBIG (`ulimit -f`): the article files fit, the index's do not
    write_synth(tmp_path / "feed.jsonl", synth_articles(300, prefix="f"))
    home = tmp_path / "home"
    Engine.init(home).close()
    for args, kept in ((["import", str(tmp_path / "feed.jsonl")], "300 articles stored in corpus/ by this import "
                        "may not be searchable yet"), (["index"], "corpus/ is untouched"),
                       (["search", COMMON_WORD], "the articles stay stored in corpus/")):
        done = subprocess.run([sys.executable, "-m", "searchkit", "--home", str(home), *args], capture_output=True,
                              text=True, timeout=120, preexec_fn=lambda: _file_size_limited(16_384))
        error = done.stderr
        if args[0] == "search":  # (off a terminal the first search says first that it indexes)
            assert error.startswith("Indexing 300 articles before searching…\n"), error
            error = error.split("\n", 1)[1]
        assert done.returncode == 2 and error.count("\n") == 1, done.stderr  # one line, no traceback
        assert error.startswith("Error: index/: cannot write the index (File too large); "), done.stderr
        assert kept in done.stderr and "raise the limit on the size of a file (`ulimit -f`)" in done.stderr
        assert "then run `searchkit --home" in done.stderr and "still answers" not in done.stderr  # (none yet)
    eng = Engine(home)
    try:
        assert eng.corpus.count() == 300 and eng.search(COMMON_WORD, collapse=False).total == 300  # all kept
    finally:
        eng.close()


def test_an_export_cut_short_by_a_full_disk_says_so_and_fails_not_a_truncated_file_and_success(tmp_path):
    # A write the disk has room for only a part of is written in part, and Python's buffered
    # writer said nothing of the rest: the export stopped at 64 KB of 145 KB and exited 0.
    # A real limit on the file's size cuts the write the same way (EFBIG for a full disk's ENOSPC).
    write_synth(tmp_path / "feed.jsonl", synth_articles(60, prefix="x"))
    home = tmp_path / "home"
    Engine.init(home).close()
    assert cli(home, "import", str(tmp_path / "feed.jsonl")).returncode == 0
    whole = cli(home, "search", COMMON_WORD, "--format", "jsonl", "-n", "100")
    assert whole.returncode == 0 and len(whole.stdout.encode()) > 8_192
    for args in (["--format", "jsonl"], ["--format", "csv"], ["--json"]):
        with open(tmp_path / "out", "wb") as out:
            done = subprocess.run([sys.executable, "-m", "searchkit", "--home", str(home), "search", COMMON_WORD,
                                   *args, "-n", "100"], stdout=out, stderr=subprocess.PIPE, text=True, timeout=120,
                                  preexec_fn=lambda: _file_size_limited(4_096))
        assert done.returncode == 2, (args, done.stderr)
        assert done.stderr.count("\n") == 1 and done.stderr.startswith(
            "Error: standard output: File too large — raise the limit on the size of a file"), done.stderr
    with open(tmp_path / "out", "wb") as out:  # (what fits is written, and said as before)
        fits = subprocess.run([sys.executable, "-m", "searchkit", "--home", str(home), "search", COMMON_WORD,
                               "--format", "jsonl", "-n", "100"], stdout=out, stderr=subprocess.PIPE, timeout=120)
    assert fits.returncode == 0 and (tmp_path / "out").read_text(encoding="utf-8") == whole.stdout


@pytest.mark.parametrize("args", [("search", "мова"), ("stats",), ("search", "мова", "--json")])
def test_a_closed_standard_output_is_said_in_one_line_not_a_bug(engine, args):
    # (`searchkit search мова >&-`: 'unexpected AttributeError: 'NoneType' object has no
    # attribute 'flush' — this is a bug in searchkit')
    done = subprocess.run([sys.executable, "-m", "searchkit", "--home", str(engine.home), *args],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=120,
                          preexec_fn=lambda: os.close(1))
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith("Error: standard output: closed before the command started"), done.stderr


@pytest.mark.parametrize("args, status", [(("search", "п*"), 2), (("search", "--bogus", "мова"), 2),
                                          (("show", "no-such-id"), 2), (("search", "мова"), 0),
                                          (("search", "ґзщшх"), 1)])
def test_a_closed_standard_error_leaves_the_exit_status_the_commands(engine, args, status):
    # (`searchkit search 'п*' 2>&-` exited 1, which says "no matches": its error line met no
    # stream and raised)
    done = subprocess.run([sys.executable, "-m", "searchkit", "--home", str(engine.home), *args],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120,
                          preexec_fn=lambda: os.close(2))
    assert done.returncode == status


def test_a_rebuild_stopped_for_want_of_room_advises_the_rebuild_again_not_a_plain_index(home, monkeypatch):
    from click.testing import CliRunner

    from searchkit.backends.whoosh import bulk
    from searchkit.cli import main

    def too_large(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(errno.EFBIG, "File too large")

    monkeypatch.setattr(bulk.BulkWriter, "commit", too_large)
    for args, again in ((["index", "--rebuild"], "index --rebuild`"), (["index"], "index`")):
        r = CliRunner().invoke(main, ["--home", str(home), *args], catch_exceptions=False)
        assert r.exit_code == 2 and f"then run `searchkit --home {home} {again}" in r.stderr, r.stderr


def test_an_article_too_large_for_the_limit_on_file_size_stops_the_import_naming_it(home, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from searchkit.cli import main
    from searchkit.errors import IndexError_
    from searchkit.store.corpus import Corpus

    real, calls = Corpus.put, [0]

    def put(self, article):  # type: ignore[no-untyped-def]
        calls[0] += 1
        if calls[0] > 3:
            raise OSError(errno.EFBIG, "File too large")
        return real(self, article)

    monkeypatch.setattr(Corpus, "put", put)
    write_synth(tmp_path / "feed.jsonl", synth_articles(30, prefix="d"))
    eng = Engine(home)
    try:
        report = eng.import_paths([tmp_path / "feed.jsonl"])
        assert report.added == 3 and report.failed == 1 and calls[0] == 4, report.errors
        assert re.match(r".*corpus/.*d000003\.json: cannot store article 'd000003' of .*feed\.jsonl "
                        r"\(File too large\): the import stopped there, after 3 articles stored, which are kept; "
                        r"raise the limit on the size of a file", report.errors[0]), report.errors[0]
        assert eng.search(COMMON_WORD, collapse=False).total == 3
        from searchkit.backends.whoosh import bulk

        def too_large(*args, **kwargs):  # type: ignore[no-untyped-def]
            raise OSError(errno.EFBIG, "File too large")

        monkeypatch.setattr(bulk.BulkWriter, "commit", too_large)
        calls[0] = 0
        write_synth(tmp_path / "more.jsonl", synth_articles(30, prefix="e"))
        with pytest.raises(IndexError_, match=r"index/: cannot write the index \(File too large\); 3 articles stored "
                                              r"in corpus/ by this import may not be searchable yet \(it stopped at "
                                              r"article 'e000003' of .*more.jsonl, which it could not store: "
                                              r"corpus/../e000003\.json, File too large\)") as e:
            eng.import_paths([tmp_path / "more.jsonl"])
        assert "ulimit -f" in e.value.hint and "the index as it was still answers" in e.value.hint
        r = CliRunner().invoke(main, ["--home", str(home), "index"])
        assert r.exit_code == 2 and r.stderr.count("\n") == 1 and "corpus/ is untouched" in r.stderr
        assert "ulimit -f" in r.stderr
    finally:
        eng.close()


def test_a_folder_of_corpus_searchkit_may_not_read_is_named_with_what_to_do(engine, monkeypatch):
    # (an archive copied by another user: `Error: HOME/corpus/08: Permission denied` and no
    # word of what to do; the index stays as it was, none of the folder's articles dropped)
    from click.testing import CliRunner

    from searchkit.cli import main
    from searchkit.store.corpus import Corpus

    folder = engine.corpus.root / "08"

    def refused(self):  # type: ignore[no-untyped-def]
        raise PermissionError(errno.EACCES, "Permission denied", str(folder))
        yield

    before = engine.search("мова", collapse=False).total
    monkeypatch.setattr(Corpus, "scan", refused)
    for args in (["index"], ["index", "--rebuild"], ["stats"]):
        r = CliRunner().invoke(main, ["--home", str(engine.home), *args])
        assert r.exit_code == 2 and r.stderr.count("\n") == 1, r.stderr
        assert r.stderr == (f"Error: {folder}: Permission denied — give the user running searchkit permission to "
                            "read it (and, for import, index and delete, to write it), then run the command again\n")
    monkeypatch.undo()
    assert engine.search("мова", collapse=False).total == before


def test_an_error_of_no_room_anywhere_else_gets_the_advice_too(home, monkeypatch):
    from click.testing import CliRunner

    from searchkit.cli import main

    def too_large(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(errno.EFBIG, "File too large", "corpus/x.json")

    monkeypatch.setattr(library, "remove", too_large)
    r = CliRunner().invoke(main, ["--home", str(home), "delete", "x"])
    assert r.exit_code == 2 and r.stderr.count("\n") == 1, r.stderr
    assert r.stderr.startswith("Error: corpus/x.json: File too large — raise the limit on the size of a file"), r.stderr
