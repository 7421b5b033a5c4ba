"""Importing a stream from Python (``Engine.import_stream``): what was piped in, imported
as a file of the format given, every message said of the stream."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchkit import Engine
from searchkit.cli import main
from searchkit.errors import InputError


def jsonl(*records: dict[str, str]) -> io.BytesIO:
    return io.BytesIO("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode())


def test_a_stream_of_json_lines_is_imported_and_its_bad_line_is_named_by_the_stream(tmp_path: Path) -> None:
    eng = Engine.init(tmp_path / "home")
    stream = io.BytesIO(json.dumps({"id": "a1", "title": "Мости", "text": "Нові мости через Дніпро."},
                                   ensure_ascii=False).encode() + b"\n{not json\n")
    report = eng.import_stream(stream, name="feed-socket")
    assert (report.added, report.failed) == (1, 1)
    assert report.errors[0].startswith("feed-socket:2: bad JSON")
    assert [h.id for h in eng.search("мости").hits] == ["a1"]


def test_csv_sent_as_json_lines_is_told_how_to_give_its_format(tmp_path: Path) -> None:
    eng = Engine.init(tmp_path / "home")
    report = eng.import_stream(io.BytesIO("id,title,text\nb1,Театр,Прем'єра в театрі.\n".encode()))
    assert report.failed == 1 and "<stdin>:1: looks like CSV" in report.errors[0]
    assert report.errors[0].endswith("give format='csv'") and "name the file" not in report.errors[0]
    report = eng.import_stream(io.BytesIO("id,title,text\nb1,Театр,Прем'єра в театрі.\n".encode()), format="csv")
    assert (report.added, report.failed) == (1, 0)


def test_a_text_piped_twice_is_one_article_that_keeps_no_file(tmp_path: Path) -> None:
    eng = Engine.init(tmp_path / "home")
    text = "Виставка у музеї\n\nУ музеї відкрили виставку старих мап.\n".encode()
    assert eng.import_stream(io.BytesIO(text), format="txt").added == 1
    again = eng.import_stream(io.BytesIO(text), format="txt")
    assert (again.added, again.unchanged) == (0, 1)
    (hit,) = eng.search("виставка").hits
    assert hit.id.startswith("stdin-") and "imported_from" not in eng.get(hit.id).extra


def test_a_json_array_stream_is_read_as_json_with_the_files_of_the_same_import(tmp_path: Path) -> None:
    eng = Engine.init(tmp_path / "home")
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "f1", "title": "Футбол", "text": "Матч на стадіоні."}, ensure_ascii=False)
                    + "\n", encoding="utf-8")
    array = json.dumps([{"id": "j1", "title": "Кіно", "text": "Фільм про козаків."}], ensure_ascii=False)
    report = eng.import_stream(io.BytesIO(array.encode()), format="json", paths=[feed])
    assert (report.added, report.failed) == (2, 0)
    as_lines = eng.import_stream(io.BytesIO(array.encode()))
    assert as_lines.failed == 1 and "a JSON array" in as_lines.errors[0]
    assert as_lines.errors[0].endswith("give format='json'")


def test_a_text_stream_or_an_unknown_format_is_refused_before_anything_is_stored(tmp_path: Path) -> None:
    eng = Engine.init(tmp_path / "home")
    with pytest.raises(TypeError, match="binary"):
        eng.import_stream(io.StringIO('{"id": "x", "title": "Т", "text": "Текст."}\n'))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="format must be one of"):
        eng.import_stream(io.BytesIO(b""), format="xml")  # type: ignore[arg-type]
    assert eng.stats().articles == 0


def test_the_command_line_reads_a_json_array_from_stdin_with_its_format_option(tmp_path: Path) -> None:
    home = tmp_path / "home"
    Engine.init(home)
    array = json.dumps([{"id": "j1", "title": "Кіно", "text": "Фільм про козаків."}], ensure_ascii=False)
    r = CliRunner().invoke(main, ["--home", str(home), "import", "-"], input=array.encode())
    assert r.exit_code == 2 and "add --stdin-format json" in r.stderr and "<stdin>:1" in r.stderr
    r = CliRunner().invoke(main, ["--home", str(home), "import", "--stdin-format", "json", "-"], input=array.encode())
    assert r.exit_code == 0 and "1 added" in r.stdout


def test_a_spool_left_by_an_import_killed_while_reading_stdin_is_removed_by_the_next(tmp_path: Path,
                                                                                     monkeypatch) -> None:
    # (``yes | timeout 15 searchkit import -`` left 4 GB in the temporary folder)
    import os
    import signal
    import subprocess
    import sys
    import tempfile
    import time

    from searchkit.ingest.stream import PREFIX

    home, spools = tmp_path / "home", tmp_path / "tmp"
    spools.mkdir()
    Engine.init(home).close()
    env = {**os.environ, "TMPDIR": str(spools)}
    proc = subprocess.Popen([sys.executable, "-m", "searchkit", "--home", str(home), "import", "-"],
                            stdin=subprocess.PIPE, env=env)
    assert proc.stdin is not None
    proc.stdin.write(b'{"text": "\xd1\x80\xd1\x8f\xd0\xb4\xd0\xbe\xd0\xba"}\n' * 1000)
    proc.stdin.flush()
    deadline = time.monotonic() + 60
    while not any(spools.glob(f"{PREFIX}*/stdin*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stdin.close()
    (left,) = spools.glob(f"{PREFIX}*")
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        running = spools / f"{PREFIX}{alive.pid}-abc"  # (a spool another import is reading)
        running.mkdir()
        monkeypatch.setattr(tempfile, "tempdir", str(spools))
        eng = Engine(home)
        assert eng.import_stream(jsonl({"id": "n1", "text": "Наступний імпорт."})).added == 1
        eng.close()
        assert not left.exists() and running.exists()
    finally:
        alive.kill()
        alive.wait()


def test_a_temporary_folder_too_small_for_what_is_piped_is_one_line_naming_the_stream_and_nothing_is_stored(
        tmp_path: Path) -> None:
    # a limit on a file's size (`ulimit -f`) stands in for a full temporary folder: both
    # are told apart from other errors by the one rule (searchkit.store.room)
    import os
    import resource
    import subprocess
    import sys

    home, spools = tmp_path / "home", tmp_path / "tmp"
    spools.mkdir()
    Engine.init(home).close()
    limit = 1 << 20

    def small_files() -> None:  # (Python ignores SIGXFSZ: a write past the limit fails with EFBIG)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    # (lines long enough that the first batch of the stream is larger than the folder's room)
    line = json.dumps({"title": "Новина", "text": "Короткий текст новини. " * 8}, ensure_ascii=False).encode() + b"\n"
    proc = subprocess.run([sys.executable, "-m", "searchkit", "--home", str(home), "import", "-"],
                          input=line * (3 * limit // len(line)), capture_output=True, preexec_fn=small_files,
                          env={**os.environ, "TMPDIR": str(spools)}, timeout=120)
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"Error: <stdin>: cannot copy what is piped to the temporary folder {spools}: ")
    assert "nothing of it was stored" in err and "set TMPDIR to a folder with room" in err
    assert not list(spools.iterdir())  # the copy is removed
    eng = Engine(home)
    assert eng.stats().articles == 0
    eng.close()


def _line(art_id: str, text: str) -> bytes:
    return json.dumps({"id": art_id, "title": text.split()[0], "text": text}, ensure_ascii=False).encode() + b"\n"


def _piped_import(home: Path, logs: Path, *args: str):  # type: ignore[no-untyped-def]
    import subprocess

    from tests.clirun import start

    return start(home, "import", *args, "-", logs=logs, stdin=subprocess.PIPE)


def _searchable(home: Path, word: str) -> list[str]:
    eng = Engine(home)
    try:
        return sorted(h.id for h in eng.search(word).hits)
    finally:
        eng.close()


def test_the_first_lines_of_a_stream_are_searchable_while_it_goes_on(tmp_path: Path) -> None:
    # (a scraper piping what it finds: what came before it pauses is imported meanwhile)
    from tests.clirun import wait_for

    home = tmp_path / "home"
    Engine.init(home).close()
    run = _piped_import(home, tmp_path / "logs")
    assert run.proc.stdin is not None
    try:
        run.proc.stdin.write(_line("s1", "Бджолярі зібрали мед у Карпатах.") + _line("s2", "Мед продали на ярмарку."))
        run.proc.stdin.flush()
        wait_for(lambda: _searchable(home, "мед") == ["s1", "s2"], timeout=120, every=0.2)
        assert run.proc.poll() is None  # still reading the stream
        run.proc.stdin.write(_line("s3", "Ярмарок меду відкрили знову."))
        run.proc.stdin.close()
        assert run.wait() == 0, run.stderr
    finally:
        run.kill()
    assert "Imported: 3 added, 0 updated, 0 unchanged, 0 failed." in run.stdout
    assert _searchable(home, "мед") == ["s1", "s2", "s3"]


def test_a_stream_waited_for_leaves_the_home_to_other_writers_and_goes_on_after_them(tmp_path: Path) -> None:
    # `tail -f feed.jsonl | searchkit import -` held the home for as long as it ran: a
    # `delete`, an `index` run or another import waited and failed with `index is busy`.
    from tests.clirun import cli, stats, wait_for

    home = tmp_path / "home"
    Engine.init(home).close()
    (tmp_path / "other.jsonl").write_bytes(_line("o1", "Мед із липи продали на ярмарку."))
    run = _piped_import(home, tmp_path / "logs")
    assert run.proc.stdin is not None
    try:
        run.proc.stdin.write(_line("s1", "Бджолярі зібрали мед у Карпатах.") + _line("s2", "Мед продали на ярмарку."))
        run.proc.stdin.flush()
        wait_for(lambda: _searchable(home, "мед") == ["s1", "s2"], timeout=120, every=0.2)
        busy = {"SEARCHKIT_LOCK_TIMEOUT": "5"}
        deleted = cli(home, "delete", "s1", env=busy)
        assert deleted.returncode == 0 and "Deleted 1 of 1 article." in deleted.stdout, deleted.stderr
        imported = cli(home, "import", str(tmp_path / "other.jsonl"), env=busy)
        assert imported.returncode == 0, imported.stderr
        assert run.proc.poll() is None  # still reading the stream
        run.proc.stdin.write(_line("s3", "Ярмарок меду відкрили знову."))
        run.proc.stdin.close()
        assert run.wait() == 0, run.stderr
    finally:
        run.kill()
    assert "Imported: 3 added, 0 updated, 0 unchanged, 0 failed." in run.stdout
    assert _searchable(home, "мед") == ["o1", "s2", "s3"]
    s = stats(home)
    assert s["index_up_to_date"] is True and s["articles"] == s["corpus_articles"] == 3


def test_an_article_another_writer_stored_while_a_stream_waited_is_no_repeat_of_the_stream(tmp_path: Path) -> None:
    # An article the stream's import stored earlier and meets again is a repeat (`replaced`,
    # with a warning), told by its file's time: one another import stored while the stream
    # waited was taken for one too (`1 record had the id of an earlier record of this
    # import`), not counted as unchanged.
    from tests.clirun import cli, wait_for

    home = tmp_path / "home"
    Engine.init(home).close()
    other = _line("o1", "Мед із липи продали на ярмарку.")
    (tmp_path / "other.jsonl").write_bytes(other)
    run = _piped_import(home, tmp_path / "logs")
    assert run.proc.stdin is not None
    try:
        run.proc.stdin.write(_line("s1", "Бджолярі зібрали мед у Карпатах."))
        run.proc.stdin.flush()
        wait_for(lambda: _searchable(home, "мед") == ["s1"], timeout=120, every=0.2)
        imported = cli(home, "import", str(tmp_path / "other.jsonl"), env={"SEARCHKIT_LOCK_TIMEOUT": "5"})
        assert imported.returncode == 0, imported.stderr
        run.proc.stdin.write(other + _line("s1", "Бджолярі зібрали мед у Карпатах восени."))
        run.proc.stdin.close()
        assert run.wait() == 0, run.stderr
    finally:
        run.kill()
    assert "Imported: 1 added, 0 updated, 1 unchanged, 0 failed." in run.stdout
    assert "replaced it" in run.stderr and "first: 's1'" in run.stderr  # (s1 twice: a repeat, as in one file)
    assert _searchable(home, "мед") == ["o1", "s1"]


def test_a_stream_in_many_batches_is_one_import_as_the_same_lines_in_one_file(tmp_path: Path, monkeypatch) -> None:
    from searchkit.ingest import stream as streaming

    lines = [_line("d1", "Дощ пройшов над містом."), _line("d2", "Сонце вийшло після дощу."), b"{not json\n",
             _line("d3", "Вітер стих до вечора."), b'{"id": "d4"}\n', _line("d1", "Дощ пройшов над селом."),
             _line("d5", "Туман ліг на поле.")]
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(b"".join(lines))
    file_home = Engine.init(tmp_path / "file-home")
    as_file = file_home.import_paths(feed)
    monkeypatch.setattr(streaming, "BATCH_LINES", 2)  # four batches: ids d1 and d1 in the first and the third
    eng = Engine.init(tmp_path / "home")
    report = eng.import_stream(io.BytesIO(b"".join(lines)))
    assert (report.added, report.updated, report.unchanged, report.failed, report.replaced) == (
        as_file.added, as_file.updated, as_file.unchanged, as_file.failed, as_file.replaced) == (4, 0, 0, 2, 1)
    assert report.errors == [e.replace(str(feed), "<stdin>") for e in as_file.errors]
    assert report.errors[0].startswith("<stdin>:3: bad JSON") and report.errors[1].startswith("<stdin>:5: ")
    assert report.warnings == [w.replace(str(feed), "<stdin>") for w in as_file.warnings]
    assert "replaced it" in report.warnings[0]
    assert eng.get("d1").text == "Дощ пройшов над селом."  # the later record wins, as in one file
    assert sorted(h.id for h in eng.search("дощ").hits) == ["d1", "d2"]
    again, file_again = eng.import_stream(io.BytesIO(b"".join(lines))), file_home.import_paths(feed)
    assert (again.added, again.updated, again.unchanged, again.failed, again.replaced) == (
        file_again.added, file_again.updated, file_again.unchanged, file_again.failed, file_again.replaced)


@pytest.mark.parametrize("how", ["ctrl-c", "kill -9"])
def test_an_import_of_a_stream_interrupted_keeps_the_batches_it_stored_and_searchable(tmp_path: Path,
                                                                                     how: str) -> None:
    import signal
    import tempfile

    from searchkit.cli.shell import EXIT_INTERRUPTED
    from searchkit.ingest.stream import PREFIX
    from tests.clirun import stored_articles, wait_for

    home = tmp_path / "home"
    Engine.init(home).close()
    run = _piped_import(home, tmp_path / "logs")
    assert run.proc.stdin is not None
    try:
        run.proc.stdin.write(_line("k1", "Кава подорожчала взимку.") + _line("k2", "Кава з молоком смачніша."))
        run.proc.stdin.flush()
        wait_for(lambda: _searchable(home, "кава") == ["k1", "k2"], timeout=120, every=0.2)
        # (while the stream goes on: Ctrl-C, or a kill that leaves its spool to the next import)
        run.proc.send_signal(signal.SIGINT if how == "ctrl-c" else signal.SIGKILL)
        assert run.wait() == (EXIT_INTERRUPTED if how == "ctrl-c" else -signal.SIGKILL)
    finally:
        run.proc.stdin.close()
        run.kill()
    if how == "ctrl-c":
        assert "Interrupted: 2 articles stored, searchable" in run.stderr and "Traceback" not in run.stderr
    assert set(stored_articles(home)[0]) == {"k1", "k2"}
    assert _searchable(home, "кава") == ["k1", "k2"]
    if how == "kill -9":
        assert Engine(home).import_stream(jsonl({"id": "k3", "text": "Кава без цукру."})).added == 1
    assert not [p for p in Path(tempfile.gettempdir()).glob(f"{PREFIX}{run.proc.pid}-*")]  # its spool removed


def test_a_temporary_folder_too_small_for_a_later_batch_keeps_the_batches_before_it(tmp_path: Path) -> None:
    import os
    import resource
    import subprocess

    from tests.clirun import wait_for

    home, spools = tmp_path / "home", tmp_path / "tmp"
    spools.mkdir()
    Engine.init(home).close()
    limit = 1 << 20

    def small_files() -> None:  # (a limit on a file's size stands in for a full temporary folder)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    proc = subprocess.Popen([sys.executable, "-m", "searchkit", "--home", str(home), "import", "-"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=small_files, env={**os.environ, "TMPDIR": str(spools)})
    assert proc.stdin is not None
    try:
        proc.stdin.write(_line("t1", "Трамвай вийшов на маршрут."))
        proc.stdin.flush()
        wait_for(lambda: _searchable(home, "трамвай") == ["t1"], timeout=120, every=0.2)
        proc.stdin.write(_line("t2", "Трамвай " * (2 * limit // 8)))  # a batch larger than the room
        proc.stdin.close()
    except BrokenPipeError:
        pass
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 2, err
    assert err.decode().startswith(f"Error: <stdin>: cannot copy what is piped to the temporary folder {spools}: ")
    assert "its first line was imported and is kept" in err.decode() and err.decode().count("\n") == 1
    assert _searchable(home, "трамвай") == ["t1"]
    assert not list(spools.iterdir())


class _FailingAfter(io.RawIOBase):
    """A stream (a socket, a disk) that gives ``data`` and then fails to read."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[no-untyped-def, override]
        if not self.data:
            raise ConnectionResetError(104, "Connection reset by peer")
        n = len(self.data)
        b[:n], self.data = self.data, b""
        return n


@pytest.mark.parametrize("fmt, data, kept", [
    ("jsonl", '{"id": "r1", "text": "Трамвай вийшов."}\n{"id": "r2", "text": "Тролейбус поїхав."}\n{"id": "r3", "te',
     "its first 2 lines were imported, and the line it cut short (16 bytes) was dropped"),
    ("csv", "id,text\nr1,Трамвай вийшов.\nr2,Тролейбус поїхав.\n", "its first 3 lines were imported"),
])
def test_a_stream_whose_read_fails_keeps_the_lines_that_came_whole_and_says_so(tmp_path: Path, fmt, data,
                                                                                 kept) -> None:
    # (the bare ConnectionResetError named neither the stream nor what became of it, and the
    # lines that came whole before it, not yet imported, were lost)
    eng = Engine.init(tmp_path / "home")
    with pytest.raises(InputError) as err:
        eng.import_stream(io.BufferedReader(_FailingAfter(data.encode())), format=fmt, name="feed-socket")
    assert str(err.value) == f"feed-socket: cannot read further: Connection reset by peer ({kept})"
    assert [a.id for a in eng.stored(["r1", "r2", "r3"])] == ["r1", "r2"]
    assert [h.id for h in eng.search("трамвай")] == ["r1"]


def test_a_stream_read_whole_whose_read_fails_is_named_and_nothing_is_stored(tmp_path: Path) -> None:
    eng = Engine.init(tmp_path / "home")
    with pytest.raises(InputError) as err:
        eng.import_stream(io.BufferedReader(_FailingAfter("Трамвай\nвийшов на маршрут.".encode())), format="txt")
    assert str(err.value).startswith("<stdin>: cannot read further: Connection reset by peer after 0.0 MB (a stream "
                                     "of txt is read to its end before it is imported; nothing of it was stored)")
    assert eng.stats().corpus_articles == 0


def test_progress_of_a_stream_counts_what_was_read_without_a_total(tmp_path: Path) -> None:
    from tests.clirun import PROGRESS, cli

    home = tmp_path / "home"
    Engine.init(home).close()
    lines = "".join(_line(f"p{i}", f"Новина номер {i} дня.").decode() for i in range(3))
    r = cli(home, "import", "--progress", "-", stdin=lines)
    assert r.returncode == 0, r.stderr
    counted = [line for line in r.stderr.splitlines() if PROGRESS.match(line)]
    assert counted and all(" of " not in line for line in counted[:-1]), r.stderr
    assert counted[-1].startswith("Importing: 3")


def test_a_gzipped_stream_and_a_json_array_over_many_lines_are_still_read_whole(tmp_path: Path) -> None:
    import gzip

    eng = Engine.init(tmp_path / "home")
    packed = gzip.compress(_line("g1", "Архів новин стиснуто.") + _line("g2", "Другий запис архіву."))
    assert (eng.import_stream(io.BytesIO(packed)).added, eng.search("архів").total) == (2, 2)
    array = json.dumps([{"id": "j1", "text": "Перший запис масиву."}, {"id": "j2", "text": "Другий."}],
                       ensure_ascii=False, indent=2).encode()
    report = eng.import_stream(io.BytesIO(array))
    assert report.failed == 1 and report.errors[0].startswith("<stdin>:1: a JSON array, not JSON Lines")


CSV_ROWS = ["id,title,text\n", "c1,Бджоли,Бджолярі зібрали мед у Карпатах.\n", "c2,Ярмарок,Мед продали на ярмарку.\n",
            'c3,Рецепт,"Мед і горіхи.\nЗмішати, подати."\n', "bad,\"Без тексту\",\n",
            "c1,Бджоли,Бджолярі зібрали мед знову.\n", "c4,Погода,Туман ліг на поле.\n"]


def test_a_csv_stream_in_many_batches_is_one_import_as_the_same_rows_in_one_file(tmp_path: Path,
                                                                                monkeypatch) -> None:
    from searchkit.ingest import stream as streaming

    data = "".join(CSV_ROWS).encode()
    feed = tmp_path / "feed.csv"
    feed.write_bytes(data)
    file_home = Engine.init(tmp_path / "file-home")
    as_file = file_home.import_paths(feed)
    monkeypatch.setattr(streaming, "BATCH_LINES", 2)
    batches: list[int] = []
    spool = streaming._batches

    def counted(*args):  # type: ignore[no-untyped-def]
        for before in spool(*args):
            batches.append(before)
            yield before

    monkeypatch.setattr(streaming, "_batches", counted)
    eng = Engine.init(tmp_path / "home")
    report = eng.import_stream(io.BytesIO(data), format="csv")
    # (the first batch ends after the row past ASCII, the header's next; the others at 2
    # lines: the second inside c3's quoted cell, which the third goes on with)
    assert batches == [0, 2, 4, 6]
    assert (report.added, report.updated, report.unchanged, report.failed, report.replaced) == (
        as_file.added, as_file.updated, as_file.unchanged, as_file.failed, as_file.replaced) == (4, 0, 0, 1, 1)
    assert report.errors == [e.replace(str(feed), "<stdin>") for e in as_file.errors]
    assert report.errors[0].startswith("<stdin>:6: ")
    assert eng.get("c3").text == "Мед і горіхи.\nЗмішати, подати."
    assert eng.get("c1").text == "Бджолярі зібрали мед знову."  # the later row wins, as in one file
    assert sorted(h.id for h in eng.search("мед").hits) == ["c1", "c2", "c3"]


def test_a_csv_header_piped_alone_before_rows_in_a_code_page_is_read_with_them(tmp_path: Path,
                                                                                  monkeypatch) -> None:
    # The encoding is chosen from the stream's first bytes: a first batch of the header
    # alone (ASCII) would have read the rows after it as UTF-8, and refused them all.
    import os
    import threading
    import time

    from searchkit.ingest import stream as streaming

    monkeypatch.setattr(streaming, "PAUSE", 0.05)
    r, w = os.pipe()

    def pipe() -> None:
        with os.fdopen(w, "wb") as out:
            out.write(b"id,title,text\n")
            out.flush()
            time.sleep(0.5)  # (the stream pauses: a batch would end here)
            out.write("w1,Вітер,Вітер стих до вечора.\nw2,Дощ,Дощ пройшов над містом.\n".encode("cp1251"))

    writer = threading.Thread(target=pipe)
    writer.start()
    eng = Engine.init(tmp_path / "home")
    with os.fdopen(r, "rb") as stream:
        report = eng.import_stream(stream, format="csv")
    writer.join()
    assert (report.added, report.failed) == (2, 0), report.errors
    assert eng.get("w1").text == "Вітер стих до вечора."


def test_the_first_rows_of_a_csv_stream_are_searchable_while_it_goes_on(tmp_path: Path) -> None:
    from tests.clirun import wait_for

    home = tmp_path / "home"
    Engine.init(home).close()
    run = _piped_import(home, tmp_path / "logs", "--stdin-format", "csv")
    assert run.proc.stdin is not None
    try:
        run.proc.stdin.write("".join(CSV_ROWS[:3]).encode())
        run.proc.stdin.flush()
        wait_for(lambda: _searchable(home, "мед") == ["c1", "c2"], timeout=120, every=0.2)
        assert run.proc.poll() is None  # still reading the stream
        run.proc.stdin.write(CSV_ROWS[3].encode())
        run.proc.stdin.close()
        assert run.wait() == 0, run.stderr
    finally:
        run.kill()
    assert "Imported: 3 added, 0 updated, 0 unchanged, 0 failed." in run.stdout
    assert _searchable(home, "мед") == ["c1", "c2", "c3"]


def test_a_csv_stream_in_utf_16_is_still_read_whole(tmp_path: Path) -> None:
    eng = Engine.init(tmp_path / "home")
    report = eng.import_stream(io.BytesIO("".join(CSV_ROWS[:3]).encode("utf-16")), format="csv")
    assert (report.added, report.failed) == (2, 0) and eng.search("мед").total == 2
