"""Driving the terminal UI with Textual's Pilot: wait for what a worker thread puts on screen,
send keys as one terminal read sends them, and open an article in the reader."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from textual import events
from textual.pilot import Pilot

from searchkit.tui import ArticleBody, ReaderScreen, SearchApp, SearchScreen
from searchkit.tui.app import KeyParser


async def until(pilot: Pilot[None], cond: Callable[[], object], what: str = "", timeout: float = 10.0) -> None:
    """Let the app run until ``cond()`` holds (searches finish in worker threads)."""
    for _ in range(int(timeout / 0.02)):
        if cond():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {what or cond}")


def screen(app: SearchApp) -> SearchScreen:
    for s in app.screen_stack:
        if isinstance(s, SearchScreen):
            return s
    raise AssertionError("no search screen")


async def searched(pilot: Pilot[None], app: SearchApp, query: str) -> SearchScreen:
    """Wait until the results for ``query`` are on screen."""
    s = screen(app)
    await until(pilot, lambda: s.results is not None and s.results.query == query, f"results for {query!r}")
    return s


def terminal_keys(data: str) -> list[events.Key]:
    """The key events a terminal read of ``data`` gives (Textual's parser, as the app reads
    keys: ``"\\x1bq"`` read at once is Alt+q)."""
    parser = KeyParser()
    out = [e for e in parser.feed(data) if isinstance(e, events.Key)]
    with contextlib.suppress(Exception):
        out += [e for e in parser.feed("") if isinstance(e, events.Key)]
    return out


async def burst(pilot: Pilot[None], data: str) -> None:
    """Send the keys of ``data`` as one terminal read does: all at once, no pause between."""
    app = pilot.app
    for event in terminal_keys(data):  # (queued together: none acts before the last is in)
        event.set_sender(app)
        app.post_message(event)
    await pilot.pause()


async def in_reader(pilot: Pilot[None], app: SearchApp, what: str = "the reader") -> ReaderScreen:
    """Wait until the reader is on screen with its text composed (a reader pushed is not yet
    one composed), and give it."""
    await until(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen.query(ArticleBody), what)
    reader = app.screen
    assert isinstance(reader, ReaderScreen)
    return reader


async def open_hit(pilot: Pilot[None], app: SearchApp, query: str, article_id: str) -> ReaderScreen:
    """Once the results for ``query`` are in, open the hit ``article_id`` with the keys a
    user types (Down, j to it, Enter: one burst) and give its reader."""
    s = await searched(pilot, app, query)
    index = [h.id for h in s.hits].index(article_id)
    await burst(pilot, "\x1b[B" + "j" * index + "\r")
    reader = await in_reader(pilot, app)
    assert reader.article.id == article_id
    return reader
