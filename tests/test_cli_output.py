"""How the CLI looks: colours on a terminal only, NO_COLOR and --no-color, widths, the
timeline, one-line errors and progress bars that only a terminal sees."""

from __future__ import annotations

import functools
import io
import json
import re
import shlex
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from searchkit import Engine
from searchkit.cli import Ctx, main, progress_bar

from .conftest import ARTICLES, FakeTerminal, on_a_terminal, write_jsonl

ESC = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
COLOUR = re.compile(r"\x1b\[[0-9;]*(?:3[0-7]|4[0-7]|38;|48;)[0-9;]*m")


@pytest.fixture
def run(engine: Engine):
    def _run(*args: str, env: dict[str, str] | None = None) -> Result:
        base = {"NO_COLOR": None, "FORCE_COLOR": None, "COLUMNS": "80", "TERM": "xterm-256color"}
        return CliRunner().invoke(main, ["--home", str(engine.home), *args], env={**base, **(env or {})},
                                  catch_exceptions=False)

    return _run


def test_piped_output_has_no_escape_codes(run) -> None:
    r = run("search", "табори")
    assert r.exit_code == 0 and "Мовні табори для дітей" in r.output
    assert not ESC.search(r.output)


def test_color_forces_colours_and_marks_the_matched_forms(run) -> None:
    r = run("--color", "search", "табір")
    assert COLOUR.search(r.output)
    marked = re.findall(r"\x1b\[1;30;43m([^\x1b]+)\x1b\[0m", r.output)  # bold black on yellow
    assert {"табори", "таборі"} <= set(marked)
    assert "\x1b[1m" in r.output  # the bold title


def test_explicit_color_wins_over_no_color(run) -> None:
    assert COLOUR.search(run("--color", "search", "табори", env={"NO_COLOR": "1"}).output)


@pytest.mark.parametrize("how", [{"env": {"NO_COLOR": "1"}}, {"flag": "--no-color"}])
def test_no_color_and_the_flag_keep_styles_but_drop_colours(run, how) -> None:
    env = {"FORCE_COLOR": "1", **how.get("env", {})}  # FORCE_COLOR: as if on a terminal
    args = [how["flag"]] if "flag" in how else []
    r = run(*args, "search", "табори", env=env)
    assert "\x1b[1m" in r.output  # still bold on a terminal
    assert not COLOUR.search(r.output)


def test_terminal_output_wraps_to_the_width_with_two_snippet_lines_at_most(tmp_path: Path, engine: Engine,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    long_text = " ".join(["Довге речення про мовні табори для дітей у літній час."] * 12)
    engine.import_paths([write_jsonl(tmp_path / "long.jsonl", [{"id": "long", "title": "Довгий текст",
                                                                 "text": long_text}])])
    lines = ESC.sub("", on_a_terminal(engine.home, monkeypatch, "search", "табори", columns=50)).splitlines()
    assert max(len(line) for line in lines) <= 50
    start = next(i for i, line in enumerate(lines) if "Довгий текст" in line)
    body = []
    for line in lines[start + 2 :]:
        if not line.strip():
            break
        body.append(line)
    assert len(body) == 2 and body[-1].endswith("…")


def test_piped_output_keeps_each_snippet_on_one_line(run) -> None:
    lines = run("search", "табори", env={"COLUMNS": "30"}).output.splitlines()
    assert "    Влітку в області працюють мовні табори. Діти вивчають англійську мову в таборі." in lines


def test_color_into_a_pipe_changes_the_colours_and_not_the_layout(run) -> None:
    # (--color wrapped the piped header and snippets at 80 columns, and padded table rows)
    timeless = functools.partial(re.sub, r"in \d+ ms", "in N ms")
    for command in (["search", "табори"], ["stats"]):
        plain = run(*command, env={"COLUMNS": "30"}).output
        coloured = run("--color", *command, env={"COLUMNS": "30"}).output
        assert COLOUR.search(coloured)
        assert timeless(ESC.sub("", coloured)) == timeless(plain)
    lines = ESC.sub("", run("--color", "search", "табори").output).splitlines()
    assert "    Влітку в області працюють мовні табори. Діти вивчають англійську мову в таборі." in lines
    assert not [line for line in ESC.sub("", run("--color", "stats").output).splitlines() if line.endswith(" ")]


def test_timeline_adds_a_histogram_of_matches_per_month(run) -> None:
    r = run("search", "рік OR табори OR політв'язні", "--timeline")
    out = r.output
    assert "Timeline:" in out
    rows = [line for line in out.splitlines() if re.match(r"\d{4}-\d{2} ", line)]
    assert rows[0].startswith("2016-06 █") and rows[-1].startswith("2025-09 █")
    assert "months without matches" in out


def test_timeline_in_json(run) -> None:
    data = json.loads(run("search", "табори", "--timeline", "--json").output)
    assert data["timeline"] == [["2016-06", 1]]


def test_no_timeline_without_hits(run) -> None:
    r = run("search", "космодром", "--timeline")
    assert r.exit_code == 1 and "Timeline" not in r.output


def test_an_error_is_one_line_with_its_hint(run, engine: Engine) -> None:
    r = run("show", "no-such-id")
    assert r.exit_code == 2
    home = shlex.quote(str(engine.home))  # the command advised acts on the home given
    assert r.stderr == f"Error: no article with id 'no-such-id' — `searchkit --home {home} search WORDS` lists ids\n"


def test_an_error_is_red_only_with_colours(run) -> None:
    assert run("--color", "show", "nope").stderr.startswith("\x1b[31mError: ")
    assert not ESC.search(run("--no-color", "show", "nope").stderr)


def test_import_summary_groups_thousands_as_other_counts_do(home: Path, tmp_path: Path) -> None:
    good = json.dumps({"id": "ok", "text": "Добрий рядок про мед."}, ensure_ascii=False)
    (tmp_path / "bad.jsonl").write_text(good + "\n" + "{bad\n" * 1200, encoding="utf-8")
    r = CliRunner().invoke(main, ["--home", str(home), "import", str(tmp_path / "bad.jsonl")])
    assert r.exit_code == 2
    assert r.stdout == "Imported: 1 added, 0 updated, 0 unchanged, 1,200 failed.\n"
    assert r.stderr.splitlines()[-1] == "… and 1,150 more errors"


def test_import_prints_only_a_summary_when_not_on_a_terminal(home: Path, tmp_path: Path) -> None:
    feed = write_jsonl(tmp_path / "feed.jsonl", ARTICLES)
    r = CliRunner().invoke(main, ["--home", str(home), "import", str(feed)])
    assert r.exit_code == 0
    assert r.stdout == "Imported: 4 added, 0 updated, 0 unchanged, 0 failed.\n" and r.stderr == ""


def test_progress_bars_on_a_terminal_show_counts_for_each_stage(home: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.delenv("NO_COLOR", raising=False)
    eng = Engine(home)
    with progress_bar(Ctx(str(home), None), "Importing", "Indexing") as (reading, indexing):
        assert reading is not None and indexing is not None
        eng.import_paths([write_jsonl(tmp_path / "feed.jsonl", ARTICLES)], progress=reading,
                         index_progress=indexing)
    shown = ESC.sub("", terminal.getvalue())
    assert "Importing" in shown and "4/4" in shown and "Indexing" in shown
    eng.close()


def test_no_progress_callbacks_off_a_terminal(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    with progress_bar(Ctx(str(home), True), "Importing", "Indexing") as callbacks:
        assert callbacks == [None, None]  # --color forces colours, never bars into a file


def test_tui_in_a_folder_that_is_no_home_says_so_first(tmp_path: Path) -> None:
    nohome = tmp_path / "nohome"
    r = CliRunner().invoke(main, ["--home", str(nohome), "tui"], catch_exceptions=False)
    assert r.exit_code == 2
    (line,) = r.stderr.splitlines()
    assert line.startswith(f"Error: {nohome}: not a searchkit home") and "search QUERY" not in line


def test_tui_off_a_terminal_is_a_one_line_error(run, engine: Engine) -> None:
    r = run("tui", "табори")
    assert r.exit_code == 2
    home = shlex.quote(str(engine.home))
    assert r.stderr == (f"Error: the terminal UI needs a terminal — use `searchkit --home {home} search QUERY` "
                        "in scripts and pipes\n")


def test_stats_in_a_pipe_keeps_a_long_source_name_on_one_line(run, engine: Engine, tmp_path: Path) -> None:
    source = "Вісник громадської ради сільських бібліотек Полтавської області та її читальних зал"
    assert len(source) > 80
    feed = write_jsonl(tmp_path / "long.jsonl", [
        {"id": "b1", "title": "Читальна зала", "text": "У бібліотеці відкрили читальну залу.", "source": source}])
    assert run("import", str(feed)).exit_code == 0
    r = run("stats")  # (COLUMNS=80)
    assert r.exit_code == 0
    (line,) = [ln for ln in r.output.splitlines() if "Вісник громадської ради" in ln]
    assert line.endswith(source) and line.split() == ["1", *source.split()]


@pytest.mark.parametrize("args", [("search", "табори", "--timeline"), ("search", "табори"), ("stats",),
                                  ("search", "табори", "--json"), ("--help",), ("search", "--help")])
def test_output_piped_into_a_program_that_stops_reading_ends_quietly_with_the_status_unix_tools_get(
        engine: Engine, tmp_path: Path, args: tuple[str, ...]) -> None:
    # (`searchkit search табори --timeline | head -1` exited 1, which says nothing matched; then
    # 0, which says every line was written; `searchkit --help | head -1` exited 1, as click does)
    import subprocess

    from searchkit.cli.shell import EXIT_BROKEN_PIPE

    with (tmp_path / "stderr").open("wb") as err:
        proc = subprocess.Popen([sys.executable, "-m", "searchkit", "--home", str(engine.home), *args],
                                stdout=subprocess.PIPE, stderr=err)
        assert proc.stdout is not None
        proc.stdout.close()  # the reader is gone before a line is written
        code = proc.wait(timeout=60)
    assert (code, (tmp_path / "stderr").read_text()) == (EXIT_BROKEN_PIPE, "") == (141, "")


def test_plain_progress_names_a_stage_that_counts_nothing_instead_of_saying_0_done(tmp_path: Path) -> None:
    from .synth import articles

    home = tmp_path / "home"
    Engine.init(home).import_paths([write_jsonl(tmp_path / "feed.jsonl", list(articles(60, seed=5)))])
    r = CliRunner().invoke(main, ["--home", str(home), "index", "--rebuild", "--progress"], catch_exceptions=False)
    assert r.exit_code == 0
    lines = r.stderr.splitlines()
    assert "Indexing: learning topics..." in lines  # (the topic model: seconds, no count)
    assert not [line for line in lines if line.endswith(": 0 done")]
