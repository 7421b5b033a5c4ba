"""What goes wrong in the TUI's workers is said as the CLI says it, and never stops the app:
a full disk is a full disk with what to do, not "a bug"; a file it may not read is said where
it was met; only an error that is a bug says so."""

from __future__ import annotations

import errno
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from textual.worker import WorkerFailed

from searchkit import Engine
from searchkit.errors import IndexInterrupted
from searchkit.tui import SearchApp

from . import synth
from .conftest import write_jsonl
from .test_tui import ARTICLES, eng, make_app, message, status  # noqa: F401
from .test_tui_hands import dups_home
from .tuipilot import in_reader, open_hit, screen, searched, until

pytestmark = pytest.mark.asyncio


def no_room(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device", "h/index/x")


def not_allowed(*args: object, **kwargs: object) -> None:
    raise PermissionError(errno.EACCES, "Permission denied", "h/corpus/ab/orig.json")


def notes(app: SearchApp) -> str:
    """The notifications shown so far, one a line."""
    return "\n".join(app.notes())


async def test_a_full_disk_while_building_the_index_is_said_with_what_to_do_not_as_a_bug(
        eng: Engine, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    monkeypatch.setattr(eng, "ensure_index", no_room)
    app = make_app(eng, "табір")
    async with app.run_test() as pilot:
        await until(pilot, lambda: "No space left on device" in message(app), "the error")
        assert "h/index/x: No space left on device" in message(app)  # as the CLI's line says it
        assert "free some space" in message(app) and "bug" not in message(app)


async def test_a_bug_while_opening_the_index_is_still_said_to_be_one(
        eng: Engine, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    def broken(*args: object, **kwargs: object) -> None:
        raise AttributeError("'NoneType' object has no attribute 'meta'")

    monkeypatch.setattr(eng, "ensure_index", broken)
    app = make_app(eng, "табір")
    async with app.run_test() as pilot:
        await until(pilot, lambda: "this is a bug in searchkit" in message(app), "the bug said")
        assert "AttributeError: 'NoneType' object has no attribute 'meta'" in message(app)


async def test_a_file_that_cannot_be_read_for_d_is_said_and_the_app_goes_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    e = dups_home(tmp_path)
    app = make_app(e, "мости Харківщині")
    async with app.run_test(size=(110, 40)) as pilot:
        s = await searched(pilot, app, "мости Харківщині")
        assert s.hits[0].duplicates
        monkeypatch.setattr(e, "stored", not_allowed)
        await pilot.press("down", "d")
        await until(pilot, lambda: "Permission denied" in notes(app), "the error")
        assert "h/corpus/ab/orig.json: Permission denied" in notes(app) and "bug" not in notes(app)
        assert app.is_running and app.return_code is None
        await pilot.press("enter")  # the keys still act: the hit opens
        await in_reader(pilot, app)
    e.close()


async def test_a_warm_up_that_fails_leaves_the_searches_working(
        eng: Engine, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    monkeypatch.setattr(eng, "warm_up", not_allowed)
    app = make_app(eng, "табір")
    async with app.run_test() as pilot:
        await searched(pilot, app, "табір")
        await until(pilot, lambda: "Permission denied" in notes(app), "the warm-up's error")
        await pilot.press("end", *" мовні")
        await searched(pilot, app, "табір мовні")
        assert app.is_running and screen(app).hits


async def test_an_article_that_cannot_be_read_is_said_as_the_cli_says_it(
        eng: Engine, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    app = make_app(eng, "табір")
    async with app.run_test() as pilot:
        await searched(pilot, app, "табір")
        monkeypatch.setattr(eng, "get", not_allowed)
        await pilot.press("down", "enter")
        await until(pilot, lambda: "Permission denied" in notes(app), "the error")
        assert "h/corpus/ab/orig.json: Permission denied" in notes(app) and "bug" not in notes(app)
        assert "[Errno" not in notes(app)


async def test_a_search_that_meets_a_full_disk_says_what_to_do(
        eng: Engine, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    app = make_app(eng)
    async with app.run_test() as pilot:
        await until(pilot, lambda: screen(app).count is not None, "the index open")
        monkeypatch.setattr(eng, "search", no_room)
        await pilot.press(*"табір")
        await until(pilot, lambda: "No space left on device" in message(app), "the error")
        assert "free some space" in message(app) and "bug" not in message(app)
        assert "Cannot search" in status(app)


async def test_with_searchkit_debug_a_bug_in_a_worker_stops_the_app_with_its_traceback(
        eng: Engine, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    def broken(*args: object, **kwargs: object) -> None:
        raise AttributeError("'NoneType' object has no attribute 'meta'")

    monkeypatch.setenv("SEARCHKIT_DEBUG", "1")
    monkeypatch.setattr(eng, "ensure_index", broken)
    app = make_app(eng, "табір")
    with pytest.raises(WorkerFailed) as failed:  # what the bug's hint promises
        async with app.run_test() as pilot:
            await until(pilot, lambda: not app.is_running, "the app stopped")
    assert isinstance(failed.value.error, AttributeError)


async def test_an_error_that_is_not_the_querys_does_not_blame_the_query(eng: Engine) -> None:  # noqa: F811
    # (a bad lexicon.tsv line showed "Cannot search for that." above it, as if the query were wrong)
    app = make_app(eng)
    async with app.run_test() as pilot:
        await until(pilot, lambda: screen(app).count is not None, "the index open")
        await pilot.press(*"п*")
        await until(pilot, lambda: "too short" in message(app), "the query's error")
        assert "Cannot search for that." in status(app)
        (eng.home / "lexicon.tsv").write_text("Збройні сили -> ЗСУ\n", encoding="utf-8")
        await pilot.press("backspace", "backspace", *"табір")
        await until(pilot, lambda: "lexicon.tsv:1" in message(app), "the lexicon's error")
        assert "Cannot search" in status(app) and "for that" not in status(app)


async def test_a_full_disk_met_by_m_or_by_a_find_is_said_and_the_article_stays_open(
        eng: Engine, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    from .test_tui_reader_find import where

    app = make_app(eng, "табір")
    async with app.run_test() as pilot:
        reader = await open_hit(pilot, app, "табір", "t1")
        monkeypatch.setattr(eng, "similar", no_room)
        monkeypatch.setattr(eng, "highlight", no_room)
        await pilot.press("m")
        await until(pilot, lambda: "No space left on device" in notes(app), "m's error")
        assert "free some space" in notes(app) and "bug" not in notes(app)
        app.clear_notifications()
        await pilot.press("slash", *"річка", "enter")
        await until(pilot, lambda: "No space left on device" in notes(app), "the find's error")
        assert app.screen is reader and where(reader).startswith("match 1 of 3")  # the search's, still
        await pilot.press("n")  # the keys still act
        await until(pilot, lambda: where(reader).startswith("match 2 of 3"), "n")


#: Run in a new interpreter: multiprocessing starts its resource tracker once per process,
#: and an earlier test may have started it already.
BUILD_IN_THE_APP = """
import asyncio, sys
from searchkit import Engine
from searchkit.tui import SearchApp
from searchkit.tui.search import SearchScreen

async def main() -> None:
    app = SearchApp(Engine(sys.argv[1]), query="фестиваль", debounce=0.02)
    async with app.run_test() as pilot:
        for _ in range(3000):
            await pilot.pause(0.02)
            s = app.screen
            if isinstance(s, SearchScreen) and (s.results is not None or s._broken):
                break
        print(s.query_one("#status").content)

asyncio.run(main())
"""


async def test_the_app_builds_a_missing_index_with_a_second_process(tmp_path: Path) -> None:
    home = Engine.init(tmp_path / "home")
    synth.write_jsonl(tmp_path / "feed.jsonl", synth.articles(320))  # (the build shares what reaches 300)
    home.import_paths([tmp_path / "feed.jsonl"])
    home.close()
    shutil.rmtree(tmp_path / "home" / "index")  # (a copied home, or one indexed by another version)
    # Textual's stand-in for stderr has no file descriptor (-1), which multiprocessing passed
    # on when starting its resource tracker for the second process: "can only join a started
    # process", said as a bug in searchkit
    run = subprocess.run([sys.executable, "-c", BUILD_IN_THE_APP, str(tmp_path / "home")],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    assert "matches" in run.stdout and "bug" not in run.stdout


async def test_the_status_line_says_each_stage_of_building_the_index(
        eng: Engine, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    # (of 1,396 BRUK articles, 8 s of reading and learning topics went by as "Opening the
    # index…", then 7 s of writing as "1,396 of 1,396 articles…")
    seen = threading.Event()
    build = eng.ensure_index

    def staged_build(progress: object = None) -> bool:
        stage = getattr(progress, "stage", None)
        if stage is not None:  # (the app's first build; a search checks the index too)
            stage("learning topics", 0, None)
            seen.wait(10)
        return build(progress=progress)  # type: ignore[arg-type]

    monkeypatch.setattr(eng, "ensure_index", staged_build)
    app = make_app(eng, "табір")
    async with app.run_test() as pilot:
        await until(pilot, lambda: "Building the index (first use): learning topics…" in status(app), "the stage")
        seen.set()
        await searched(pilot, app, "табір")


async def test_quitting_while_the_index_is_built_stops_the_build_at_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # (quitting waited, the screen blank, for the build to end: 31 s of a 40 s first build)
    e = Engine.init(tmp_path / "fresh")
    e.import_paths([write_jsonl(tmp_path / "feed.jsonl", ARTICLES)], index=False)
    quit_, ended = threading.Event(), threading.Event()
    outcome: list[BaseException | bool] = []
    build = e.ensure_index

    def build_after_quit(progress: object = None) -> bool:
        stage = getattr(progress, "stage", None)
        if stage is None:  # (a search checks the index too)
            return build(progress=progress)  # type: ignore[arg-type]
        stage("reading for topics", 0, None)
        quit_.wait(10)
        try:
            outcome.append(build(progress=progress))  # type: ignore[arg-type]
        except BaseException as error:
            outcome.append(error)
            raise
        finally:
            ended.set()
        return True

    monkeypatch.setattr(e, "ensure_index", build_after_quit)
    app = make_app(e, "табір")
    async with app.run_test() as pilot:
        await until(pilot, lambda: "Building the index (first use)" in status(app), "the build")
        await pilot.press("ctrl+c")
        await until(pilot, lambda: not app.is_running, "the app to quit")
    quit_.set()
    assert ended.wait(10)
    assert len(outcome) == 1 and isinstance(outcome[0], IndexInterrupted)
    assert app.return_code == 0
    monkeypatch.undo()
    assert e.ensure_index() is True  # (none was swapped in: the next start builds it)
    e.close()


async def test_a_hit_deleted_since_it_was_listed_is_said_to_be_deleted_not_sent_to_the_cli(
        eng: Engine) -> None:  # noqa: F811
    # Enter on it said "no article with id 't3' — `searchkit search WORDS` lists ids"
    app = make_app(eng, "табір")
    async with app.run_test() as pilot:
        s = await searched(pilot, app, "табір")
        other = Engine(eng.home)  # `searchkit delete` in another terminal
        other.delete(s.hits[0].id)
        other.close()
        await pilot.press("down", "enter")
        await until(pilot, lambda: "deleted" in notes(app), "the note")
        assert f"no article with id '{s.hits[0].id}': it was deleted since it was listed" in notes(app)
        assert "searchkit search" not in notes(app)
