"""Progress on stderr: a Rich bar on a terminal, a plain line every half second with
``--progress`` otherwise, and one bar for an import's two interleaved stages."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import click

from ..models import Staged
from .shell import Ctx

#: Seconds between two plain progress lines (``--progress`` without a terminal).
PROGRESS_EVERY = 0.5

Update = Callable[[int, int | None], None]


def bar_shown() -> bool:
    """Whether progress shows as a bar: stderr is a terminal (off one, a command prints its
    summary, or a plain line with ``--progress``)."""
    return sys.stderr.isatty()


def _progress_lines(label: str) -> Staged:
    last: list[Any] = [0.0, -1, ""]  # when the last line was printed, its count and its stage

    def line(text: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        # a stage's start and end show, whatever the time since the last line
        if text != last[2] or (done != last[1] and (now - last[0] >= PROGRESS_EVERY or done == total)):
            last[:] = [now, done, text]
            of = f" of {total}" if total else ""
            # (a stage that counts nothing, such as learning topics, is named as it starts)
            click.echo(f"{text}: {done}{of} done" if done or total else f"{text}...", err=True)

    return Staged(lambda done, total: line(label, done, total),
                  lambda what, done, total: line(f"{label}: {what}", done, total))


def _rich_progress(c: Ctx) -> Any:
    """A Rich progress display on stderr: label, bar, counts, per cent, rate, elapsed, ETA."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TaskProgressColumn,
        TextColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task: Any) -> Text:
            return Text(f"{task.speed:,.0f}/s" if task.speed else "", style="cyan")

    class Count(MofNCompleteColumn):
        """``done/total``; a bar with no total (pulsing: no time left to tell) that was
        given one as its ``of`` field still shows it, and one whose total is not known
        yet shows its count alone."""

        def render(self, task: Any) -> Text:
            of = task.fields.get("of")
            if task.total is None and task.fields.get("aside") and not task.completed:
                return Text("")  # a stage that counts nothing: its name says what goes on
            if task.total is not None:
                return super().render(task)
            return Text(f"{int(task.completed)}" + (f"{self.separator}{of}" if of is not None else ""),
                        style="progress.download")

    class Elapsed(ProgressColumn):
        """The time since the display began, whichever row shows (a stage's row is a
        task of its own, begun later)."""

        def __init__(self) -> None:
            super().__init__()
            self.began = time.monotonic()

        def render(self, task: Any) -> Text:
            seconds = int(time.monotonic() - self.began)
            return Text(f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}", style="progress.elapsed")

    class Remaining(TimeRemainingColumn):
        """The time left, but none for a stage's row: its count is not the work's."""

        def render(self, task: Any) -> Text:
            return Text("") if task.fields.get("aside") else super().render(task)

    return Progress(TextColumn("{task.description}"), BarColumn(), Count(), TaskProgressColumn(),
                    Rate(), Elapsed(), Remaining(),
                    console=c.console(stderr=True), transient=True, auto_refresh=False)


class _Rows:
    """What a Rich progress display shows: a task's row, or in its place, while the work
    counts something else (an import storing what it indexes only later, a build
    learning its topic model), that count's row, with the stage in its description.

    No auto-refresh thread: indexing forks helper processes, which is only safe while
    this process runs a single thread. The display redraws from the updates instead (at
    most every 0.1 s), so every long stage must report some count, or its clock stops."""

    def __init__(self, bar: Any) -> None:
        self.bar = bar
        self._drawn = 0.0
        self._aside: tuple[Any, Any, str] | None = None  # (the task hidden, the stage's row, its description)

    def task(self, task_id: Any) -> Any:
        return next(t for t in self.bar.tasks if t.id == task_id)

    def count(self, task: Any, **fields: Any) -> None:
        """Update ``task`` (its row back in place if a stage's stood in for it)."""
        self.back()
        self.bar.update(task, **fields)
        self.refresh()

    def aside(self, task: Any, description: str, done: int, total: int | None) -> None:
        """Show a stage's count in ``task``'s place (``None``: before any task)."""
        if self._aside is not None and self._aside[2] != description:
            self.back()
        if self._aside is None:
            if task is not None:
                self.bar.update(task, visible=False)
            self._aside = (task, self.bar.add_task(description, total=total, aside=True), description)
        self.bar.update(self._aside[1], completed=done, total=total)
        self.refresh()

    def back(self) -> None:
        """The hidden task's row in place of the stage's."""
        if self._aside is not None:
            task, row, _ = self._aside
            self.bar.remove_task(row)
            if task is not None:
                self.bar.update(task, visible=True)
            self._aside = None

    def refresh(self, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._drawn >= 0.1:
            self._drawn = now
            self.bar.refresh()


@contextlib.contextmanager
def progress_bar(c: Ctx, *labels: str, show: bool | None = None) -> Iterator[list[Update | None]]:
    """One callback per label, each driving a Rich progress bar on stderr (counts, rate,
    ETA) when stderr is a terminal. Otherwise the callbacks are ``None`` (the library then
    skips the work of counting, and the command prints only its final summary), unless
    ``show=True`` asks for a plain line per stage every ``PROGRESS_EVERY`` seconds (for
    logs and scripts); ``show=False`` never shows progress. Each callback is
    :class:`Staged`: a stage that counts something else shows as ``label: stage``."""
    if show is False or (not bar_shown() and not show):
        yield [None for _ in labels]
        return
    if not bar_shown():
        yield [_progress_lines(label) for label in labels]
        return
    with _rich_progress(c) as bar:
        rows = _Rows(bar)

        def updater(label: str) -> Staged:
            task: Any = None

            def update(done: int, total: int | None) -> None:
                nonlocal task
                if task is None:  # a stage's bar appears when the stage starts
                    rows.back()
                    task = bar.add_task(label, total=total)
                rows.count(task, completed=done, total=total)

            def stage(what: str, done: int, total: int | None) -> None:
                rows.aside(task, f"{label}: {what}", done, total)

            return Staged(update, stage)

        yield [updater(label) for label in labels]


class ImportProgress:
    """An import's progress as one count of records done, a record being done once it is
    stored and, when it changed, indexed: the two stages interleave (a batch of changed
    records is indexed at each commit, see :mod:`searchkit.ingest.schedule`), so neither alone
    gives a true ETA.

    While a batch is indexed, the records read up to it advance with the indexing; while
    records are read, at most ``batch`` of them wait to be indexed (the unchanged ones need
    nothing more; ``None``: all of them, for an import indexed in one build at its end).
    The total is the records counted before the import starts, ``None`` while it is not
    known (a ``.json`` file's records are known once it is read): never a total that grows
    as the import goes, which would show it done before it is.
    """

    def __init__(self, *, index: bool = True, batch: int | None = 2000) -> None:
        self.index = index
        self.batch = batch
        self.total: int | None = None
        self.read = 0
        self.indexed = False  # the indexing has counted an article
        self.done = 0.0
        self._marks = (0, 0)  # records read when the previous and the current batch began indexing
        self._batch: tuple[int, int] | None = None  # (first count, total) the indexing gives the current batch

    def on_read(self, done: int, total: int | None) -> None:
        self.read = done
        self.total = total
        self._advance(done if not self.index else 0 if self.batch is None else max(0, done - self.batch))

    def on_index(self, done: int, total: int | None) -> None:
        if total is None:
            return
        self.indexed = True
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


def _indexed_of_all(reading: Update | None, indexing: Update | None) -> tuple[Update | None, Update | None]:
    """An import's two counts as lines, the articles indexed said of no total while records
    are still read: each batch's count is of the articles stored so far (``300 of 300``),
    which would show the indexing done while the import goes on. (A catch-up before the
    first record, and the last batch, after the last, count of all they index.)"""
    if reading is None or indexing is None:
        return reading, indexing
    read: list[bool] = [False, False]  # reading has begun, has ended

    def counted(done: int, total: int | None) -> None:
        read[0] = True
        read[1] = total is not None and done >= total
        reading(done, total)

    def indexed(done: int, total: int | None) -> None:
        indexing(done, total if read[1] or not read[0] else None)

    return counted, Staged(indexed, getattr(indexing, "stage", lambda what, done, total: None))


@contextlib.contextmanager
def import_progress(c: Ctx, *, show: bool | None, index: bool,
                    batch: int | None) -> Iterator[tuple[Update | None, Update | None]]:
    """``(reading, indexing)`` callbacks for an import: on a terminal one bar (records done
    of all, with an ETA from both stages, see :class:`ImportProgress`; ``batch`` as there), which says
    ``finishing`` without an ETA once every record is in while the index still commits and
    groups near-duplicates; else as :func:`progress_bar` gives them (a line per stage with
    ``--progress``). An import indexed in one build at its end (``batch=None``) shows the
    records ``storing`` until the build counts any, and the build's own stages as it
    reports them (``learning topics``)."""
    if show is False or not bar_shown():
        with progress_bar(c, "Importing", "Indexing", show=show) as (reading, indexing):
            yield _indexed_of_all(reading, indexing)
        return
    label = "Importing and indexing" if index else "Importing"
    state = ImportProgress(index=index, batch=batch)
    with _rich_progress(c) as bar:
        rows = _Rows(bar)
        task = bar.add_task(label, total=None, start=False)

        def draw() -> None:
            main = rows.task(task)
            if not main.started:
                bar.start_task(task)
            if index and batch is None and not state.indexed:  # stored first, all indexed after
                rows.aside(task, f"{label}: storing", state.read, state.total)
            elif state.total is None:  # a count alone (a pulsing bar, no time left) until the total is known
                rows.back()
                main.total = None  # (update() reads total=None as "keep it")
                rows.count(task, description=label, completed=round(state.done))
            elif index and state.done >= state.total:  # the records are in; the index is finishing
                rows.back()
                bar.update(task, description=f"{label}: finishing the index", completed=state.total, of=state.total)
                # no total: a pulsing bar and no time left (update() reads total=None as "keep it")
                main.total = None
                rows.refresh()
            else:
                rows.count(task, description=label, completed=round(state.done), total=state.total)

        def reading(done: int, total: int | None) -> None:
            state.on_read(done, total)
            draw()

        def indexing(done: int, total: int | None) -> None:
            state.on_index(done, total)
            draw()

        def stage(what: str, done: int, total: int | None) -> None:
            rows.aside(task, f"{label}: {what}", done, total)

        yield reading, Staged(indexing, stage)
        state.finish()
        rows.count(task, description=label, completed=state.total or state.read, total=state.total or state.read)
        rows.refresh(force=True)
