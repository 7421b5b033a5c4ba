"""Importing a stream from Python (``Engine.import_stream``): what was piped in, imported
as a file of the format given, every message said of the stream."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchkit import Engine
from searchkit.cli import main


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
    while not any(spools.glob(f"{PREFIX}*/stdin")) and time.monotonic() < deadline:
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

    line = json.dumps({"title": "Новина", "text": "Короткий текст новини."}, ensure_ascii=False).encode() + b"\n"
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
