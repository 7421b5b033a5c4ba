"""What a search says of the stored articles it cannot find (not indexed yet, an import at
work, a home with none) is the library's note: the CLI and the TUI say the same words."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from searchkit import Engine
from searchkit.cli import main
from searchkit.tui import SearchApp

from .conftest import write_jsonl
from .test_tui import eng, screen, searched, status, until  # noqa: F401

MORE = [{"id": "n1", "title": "Табір", "text": "Ще один табір."}, {"id": "n2", "title": "Міст", "text": "Ще міст."}]


def cli_note(home: Path) -> str:
    res = CliRunner().invoke(main, ["--home", str(home), "search", "табір"])
    assert res.exit_code == 0, res.stderr
    (line,) = [line for line in res.stderr.splitlines() if line.startswith("Note: ")]
    return line.removeprefix("Note: ")


async def tui_status(engine: Engine) -> str:
    app = SearchApp(engine, query="табір", debounce=0.02, index_command=f"searchkit --home {engine.home} index")
    async with app.run_test(size=(200, 40)) as pilot:
        await searched(pilot, app, "табір")
        await until(pilot, lambda: "not searchable" in status(app), "the note")
        return status(app)


@pytest.mark.asyncio
@pytest.mark.parametrize("at_work", [False, True])
async def test_the_cli_and_the_tui_say_the_same_of_articles_not_indexed_yet(
        eng: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, at_work: bool) -> None:  # noqa: F811
    eng.import_paths([write_jsonl(tmp_path / "more.jsonl", MORE)], index=False)
    monkeypatch.setattr(Engine, "writer_at_work", lambda self: at_work)  # (an import in another process)
    said = cli_note(eng.home)
    assert said.startswith("2 of 6 stored articles are not searchable yet")
    assert ("is at work on this home and makes them searchable when it is done" in said) is at_work
    assert ("run `searchkit --home" in said) is not at_work
    shown = (await tui_status(eng)).splitlines()[-1]
    assert shown == said.replace("`", "")  # (the TUI shows the command in bold, not quoted)


@pytest.mark.parametrize("at_work", [False, True])
def test_the_note_of_one_article_not_indexed_speaks_of_it_in_the_singular(
        eng: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, at_work: bool) -> None:  # noqa: F811
    eng.import_paths([write_jsonl(tmp_path / "one.jsonl", MORE[:1])], index=False)
    monkeypatch.setattr(Engine, "writer_at_work", lambda self: at_work)
    said = cli_note(eng.home)
    assert said.startswith("1 of 5 stored articles is not searchable yet")
    if at_work:
        assert "is at work on this home and makes it searchable when it is done" in said
    else:
        assert "or changed since it was indexed (a search finds it as it was;" in said
    assert "them" not in said and "they" not in said and "were" not in said


def test_the_note_of_several_articles_not_indexed_speaks_of_them_in_the_plural(
        eng: Engine, tmp_path: Path) -> None:  # noqa: F811
    eng.import_paths([write_jsonl(tmp_path / "more.jsonl", MORE)], index=False)
    said = cli_note(eng.home)
    assert said.startswith("2 of 6 stored articles are not searchable yet")
    assert "or changed since they were indexed (a search finds them as they were;" in said
