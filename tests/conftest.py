"""Shared fixtures: tiny homes built from short sentences written for the tests."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import settings

from searchkit import Engine

# Property tests draw the same examples on every run, so a test run (and CI) gives the
# same verdict twice; `python -m pytest --hypothesis-profile=fuzz` draws new ones on each
# run to hunt for new failures, which then join the tests as @example.
settings.register_profile("default", derandomize=True)
settings.register_profile("fuzz", derandomize=False)
settings.load_profile("default")

ARTICLES = [
    {"id": "a1", "title": "Звільнення політв’язнів у Білорусі", "date": "2025-09-21", "source": "Тест-новини",
     "text": "Лукашенко звільнив 52 політв'язні. Серед політичних в’язнів були громадяни інших країн."},
    {"id": "a2", "title": "Мовні табори для дітей", "date": "2016-06-01", "source": "Час Київщини",
     "text": "Влітку в області працюють мовні табори. Діти вивчають англійську мову в таборі."},
    {"id": "a3", "title": "Новий рік у Києві", "date": "2024-01-01", "source": "Тест-новини",
     "text": "Минулого року в Києві відкрили нові станції метро. Цього року мерія обіцяє ще дві."},
    {"id": "a4", "title": "Рок-фестиваль", "date": "2023-07-15", "source": "Музика",
     "text": "На фестивалі грали рок і джаз. Рок-музиканти з Харкова виступили першими."},
]


class FakeTerminal(io.StringIO):
    """stderr as a terminal: the progress bars draw."""

    def isatty(self) -> bool:
        return True


def on_a_terminal(home: Path, monkeypatch: pytest.MonkeyPatch, *args: str, columns: int) -> str:
    """What a ``searchkit`` command writes to a terminal ``columns`` wide, in the standard
    colours (``--color`` forces colours, not a terminal's layout)."""
    import sys

    from searchkit.cli import main

    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    monkeypatch.setenv("COLUMNS", str(columns))
    monkeypatch.setenv("TERM", "xterm")
    for name in ("NO_COLOR", "FORCE_COLOR", "COLORTERM", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    try:
        main(["--home", str(home), *args], standalone_mode=False)
    except SystemExit as e:  # (a command that says its exit status)
        assert e.code == 0
    return terminal.getvalue()


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def imported(root: Path, records: list[dict]) -> Engine:
    """A new home ``root/home`` with ``records`` imported (from ``root/feed.jsonl``)."""
    eng = Engine.init(root / "home")
    assert eng.import_paths([write_jsonl(root / "feed.jsonl", records)]).added == len(records)
    return eng


@pytest.fixture(autouse=True)
def _config_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Saved searches, cached counts and other per-user files go to temporary folders, never the user's."""
    monkeypatch.setenv("SEARCHKIT_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
    monkeypatch.setenv("SEARCHKIT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """An empty searchkit home."""
    h = tmp_path / "home"
    Engine.init(h)
    return h


@pytest.fixture
def engine(home: Path, tmp_path: Path) -> Engine:
    """A home with the four test articles imported and indexed."""
    eng = Engine(home)
    report = eng.import_paths([write_jsonl(tmp_path / "feed.jsonl", ARTICLES)])
    assert report.added == len(ARTICLES) and report.failed == 0
    yield eng
    eng.close()


def written_by_second_process(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many articles a build's second process wrote, one count per job done."""
    from searchkit.ingest import pipeline

    handed: list[int] = []
    real = pipeline.SideJob.finish

    def finish(self):  # type: ignore[no-untyped-def]
        part = real(self)
        handed.append(len(part.written))
        return part

    monkeypatch.setattr(pipeline.SideJob, "finish", finish)
    return handed
