"""Progress on stderr: a Rich bar on a terminal, a plain line every half second with
``--progress`` otherwise, and one bar for an import's two interleaved stages."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import click

from .shell import Ctx

#: Seconds between two plain progress lines (``--progress`` without a terminal).
PROGRESS_EVERY = 0.5


def _progress_lines(label: str) -> Callable[[int, int | None], None]:
    last = [0.0, -1.0]  # when the last line was printed, and its count

    def update(done: int, total: int | None) -> None:
        now = time.monotonic()
        if done != last[1] and (now - last[0] >= PROGRESS_EVERY or done == total):  # a stage's end shows
            last[0], last[1] = now, done
            of = f" of {total}" if total else ""
            click.echo(f"{label}: {done}{of} done", err=True)

    return update


Update = Callable[[int, int | None], None]


def _rich_progress(c: Ctx) -> Any:
    """A Rich progress display on stderr: label, bar, counts, per cent, rate, elapsed, ETA."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task: Any) -> Text:
            return Text(f"{task.speed:,.0f}/s" if task.speed else "", style="cyan")

    class Count(MofNCompleteColumn):
        """``done/total``; a bar with no total (pulsing: no time left to tell) that was
        given one as its ``of`` field still shows it."""

        def render(self, task: Any) -> Text:
            of = task.fields.get("of")
            if task.total is not None or of is None:
                return super().render(task)
            return Text(f"{int(task.completed)}{self.separator}{of}", style="progress.download")

    return Progress(TextColumn("{task.description}"), BarColumn(), Count(), TaskProgressColumn(),
                    Rate(), TimeElapsedColumn(), TimeRemainingColumn(),
                    console=c.console(stderr=True), transient=True, auto_refresh=False)


@contextlib.contextmanager
def progress_bar(c: Ctx, *labels: str, show: bool | None = None) -> Iterator[list[Update | None]]:
    """One callback per label, each driving a Rich progress bar on stderr (counts, rate,
    ETA) when stderr is a terminal. Otherwise the callbacks are ``None`` (the library then
    skips the work of counting, and the command prints only its final summary), unless
    ``show=True`` asks for a plain line per stage every ``PROGRESS_EVERY`` seconds (for
    logs and scripts); ``show=False`` never shows progress."""
    if show is False or (not sys.stderr.isatty() and not show):
        yield [None for _ in labels]
        return
    if not sys.stderr.isatty():
        yield [_progress_lines(label) for label in labels]
        return
    # No auto-refresh thread: indexing forks helper processes, which is only safe while
    # this process runs a single thread. The bar redraws from the updates instead.
    with _rich_progress(c) as bar:
        shown = [0.0]

        def updater(label: str) -> Update:
            task: Any = None

            def update(done: int, total: int | None) -> None:
                nonlocal task
                if task is None:  # a stage's bar appears when the stage starts
                    task = bar.add_task(label, total=total)
                bar.update(task, completed=done, total=total)
                now = time.monotonic()
                if now - shown[0] >= 0.1:
                    shown[0] = now
                    bar.refresh()

            return update

        yield [updater(label) for label in labels]


class ImportProgress:
    """An import's progress as one count of records done, a record being done once it is
    stored and, when it changed, indexed: the two stages interleave (a batch of changed
    records is indexed at each commit, see :mod:`searchkit.ingest.schedule`), so neither alone
    gives a true ETA.

    While a batch is indexed, the records read up to it advance with the indexing; while
    records are read, at most ``batch`` of them wait to be indexed (the unchanged ones need
    nothing more; ``None``: all of them, for an import indexed in one build at its end).
    The total is the records counted before the import starts.
    """

    def __init__(self, *, index: bool = True, batch: int | None = 2000) -> None:
        self.index = index
        self.batch = batch
        self.total: int | None = None
        self.read = 0
        self.done = 0.0
        self._marks = (0, 0)  # records read when the previous and the current batch began indexing
        self._batch: tuple[int, int] | None = None  # (first count, total) the indexing gives the current batch

    def on_read(self, done: int, total: int | None) -> None:
        self.read = done
        if total is not None:
            self.total = max(self.total or 0, total)
        self._advance(done if not self.index else 0 if self.batch is None else max(0, done - self.batch))

    def on_index(self, done: int, total: int | None) -> None:
        if total is None:
            return
        if self._batch is None or self._batch[1] != total:  # a new batch is being indexed
            self._marks = (self._marks[1], self.read)
            self._batch = (min(done, self._batch[1] if self._batch else 0), total)
        first, last = self._batch
        share = (done - first) / (last - first) if last > first else 1.0
        before, upto = self._marks
        self._advance(before + (upto - before) * min(max(share, 0.0), 1.0))

    def finish(self) -> None:
        self._advance(self.total or self.read)

    def _advance(self, done: float) -> None:
        self.done = min(max(self.done, done), self.total if self.total is not None else done)


@contextlib.contextmanager
def import_progress(c: Ctx, *, show: bool | None, index: bool,
                    batch: int | None) -> Iterator[tuple[Update | None, Update | None]]:
    """``(reading, indexing)`` callbacks for an import: on a terminal one bar (records done
    of all, with an ETA from both stages, see :class:`ImportProgress`; ``batch`` as there), which says
    ``finishing`` without an ETA once every record is in while the index still commits and
    groups near-duplicates; else as :func:`progress_bar` gives them (a line per stage with
    ``--progress``)."""
    if show is False or not sys.stderr.isatty():
        with progress_bar(c, "Importing", "Indexing", show=show) as (reading, indexing):
            yield reading, indexing
        return
    label = "Importing and indexing" if index else "Importing"
    state = ImportProgress(index=index, batch=batch)
    with _rich_progress(c) as bar:
        task = bar.add_task(label, total=None, start=False)
        shown = [0.0]

        def draw(force: bool = False) -> None:
            if state.total is None:
                return
            if not bar.tasks[0].started:
                bar.start_task(task)
            if index and state.done >= state.total:  # the records are in; the index is finishing
                bar.update(task, description=f"{label}: finishing the index", completed=state.total, of=state.total)
                # no total: a pulsing bar and no time left (update() reads total=None as "keep it")
                bar.tasks[0].total = None
            else:
                bar.update(task, description=label, completed=round(state.done), total=state.total)
            now = time.monotonic()
            if force or now - shown[0] >= 0.1:
                shown[0] = now
                bar.refresh()

        def reading(done: int, total: int | None) -> None:
            state.on_read(done, total)
            draw()

        def indexing(done: int, total: int | None) -> None:
            state.on_index(done, total)
            draw()

        yield reading, indexing
        state.finish()
        bar.update(task, description=label, completed=state.total or state.read, total=state.total or state.read)
        bar.refresh()
