"""One import: input files read record by record, each article stored in ``corpus/``, and
the index updated as the import goes (commits scheduled by :mod:`.schedule`), or built at
its end when there is no usable index (while storing: :mod:`.storebuild`)."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import itertools
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sized
from pathlib import Path
from typing import IO, cast

from ..backends.base import Capability, Progress, relayed
from ..errors import ImportInterrupted, IndexBusy, InputError, SearchkitError
from ..models import Article, ImportReport, IndexReport
from ..store.corpus import article_filename
from ..store.fields import check_id, dated_by, id_spellings
from ..store.formats import (
    IMPORTED_FROM,
    LINE_READERS,
    NAMED_BY_FILE,
    SUPPORTED,
    article_from_object,
    count_records,
    iter_input_files,
    read_file,
)
from ..store.gcmode import collect_batch_garbage
from ..store.opening import input_stem, input_suffix
from ..store.room import no_room
from ..store.saved import SavedSearches
from .schedule import Batches, CommitSchedule
from .stream import StreamLines
from .sync import IndexSync, room_for_the_index
from .watch import Count, add_counts, watch

__all__ = ["Batches", "Import"]

#: Each record of an import: the file (or the label of the Python object) it came from, and its
#: article, or ``None`` for one that is refused (said in the report)
_Records = Iterator[tuple[Path | str, Article | None]]
#: An import's records, and (when asked: for a progress bar) how many there are, if known
_Reading = Callable[[bool], tuple[_Records, int | None]]

#: The seconds a stream's import waits for the home at a time, taking it again after a wait
#: for the stream (see :meth:`Import._home_left`): it waits on, as long as another writer works.
_RETAKE = 60.0

#: A file whose first this many records are all unreadable (no JSON, no text) is read no further (said once).
BAD_START = 20


class _StoreFull(Exception):
    """The store cannot take another article (no room: see :mod:`searchkit.store.room`)."""


def _named_after(path: str, art_id: str) -> bool:
    """Whether ``path``, the file an article stored under ``art_id`` says it came from,
    is one whose name gives that id (a ``.txt``, ``.html`` or ``.htm`` file of its name):
    only such a file is another of the same name. A record of a feed may hold the field
    too, as any field of its own (``"imported_from": "/etc/passwd"``): it names no file
    the article came from, and refused the file of its name as 'that of /etc/passwd'."""
    named = Path(path)
    if input_suffix(named) not in NAMED_BY_FILE:
        return False
    try:
        return check_id(input_stem(named)) in id_spellings(art_id)
    except ValueError:
        return False


class Import:
    """One run of :meth:`searchkit.Engine.import_paths`, under the home's lock."""

    def __init__(self, sync: IndexSync, saved: SavedSearches, batches: Batches, piped: str | None = None, *,
                 count: Count) -> None:
        self.sync, self.saved, self.batches = sync, saved, batches
        self._count = count  # how many of the changed articles a saved search matches
        #: the file that holds what was piped in: its name is no one's, so its articles record no file
        self._piped = os.path.realpath(piped) if piped else None
        self.index, self.corpus = sync.index, sync.corpus
        self.report = ImportReport()
        self._started = 0  # what "stored by this import" means: set by run(), under the lock
        #: the times, since ``_started``, another writer may have stored articles (a stream's
        #: waits with the home left to other writers, each from when it was left to when it
        #: was taken again): an article stored then is not one stored by this import
        self._away: list[tuple[int, int]] = []
        self._first_repeat = ""  # the first record that repeated an id of an earlier one
        self._repeat_spelt = False  # whose id has a letter of two spellings (é, or e and U+0301)
        self._repeat_number = False  # whose id is a number (1 in one record, "1" in another)
        #: id -> the file it was named after, for the articles of this import named so
        self._named: dict[str, Path] = {}
        self._skipped: list[Path] = []  # files in the folders imported of a type not read
        self._homes: list[Path] = []  # searchkit homes in the folders imported: their corpus/ only
        self._files = 0  # files read
        self._folders: list[str] = []  # the folders named
        self._committed = 0  # articles stored by this import that a commit of the index covers
        self._stopped = ""  # where the import stopped for want of room to store an article
        self._recovering = False  # indexing what an earlier writer stored and left unindexed
        self._marked = False  # the pending mark is set: corpus/ may be ahead of the index
        self._batches = 0  # commits of the index made by this import
        self._streaming = False  # a stream is read: indexed batch by batch, never in one build at the end
        self._flush: Callable[[], None] | None = None  # commits what waits (where a stream's batch ends)
        self._indexing = False  # this import indexes what it stores (``index=True``)
        self._index_progress: Progress | None = None

    def run(self, paths: list[str | os.PathLike[str]], *, index: bool, progress: Progress | None,
            index_progress: Progress | None) -> ImportReport:
        """Import the files and folders of ``paths``. When none of them exists there is
        nothing to import: each is refused at once, before the index catches up with what
        an earlier writer left unindexed (which may take minutes)."""
        if paths and not any(os.path.lexists(p) for p in paths):
            index = False
        return self._guarded(functools.partial(self._from_files, paths), index=index, progress=progress,
                             index_progress=index_progress)

    def run_stream(self, paths: list[str | os.PathLike[str]], lines: StreamLines, *, index: bool,
                   progress: Progress | None, index_progress: Progress | None) -> ImportReport:
        """Import the files and folders of ``paths``, then a stream of JSON Lines or CSV that
        arrives in batches (:class:`~.stream.StreamLines`): read as one file (its lines
        numbered from its start, a repeated id as in a file), what each batch changed
        committed to the index before the next is waited for, so that it is searchable
        while the stream goes on. ``progress`` has no total."""
        self._piped = os.path.realpath(lines.path)
        self._streaming = True
        lines.on_batch_end = lambda: self._flush() if self._flush is not None else None
        lines.idle = self._home_left
        return self._guarded(functools.partial(self._from_stream, paths, lines), index=index,
                             progress=progress, index_progress=index_progress)

    @contextlib.contextmanager
    def _home_left(self) -> Iterator[None]:
        """While a stream is waited for, what it brought so far committed: the home left
        to other writers (a ``delete``, an ``index`` run, another import), taken again
        before the next batch is stored, however long they keep it. It was held for the
        stream's whole length: ``tail -f feed.jsonl | searchkit import -`` kept every other
        writer out for as long as it ran (``index is busy`` after 10 s). A Ctrl-C meanwhile
        ends the import with nothing more written."""
        self.index.regroup_deferred()  # (no groups of this import's commits wait across the gap)
        left = time.time_ns()
        self.sync.lock.release()
        try:
            yield
        except KeyboardInterrupt:
            raise
        except BaseException:
            self._home_taken(left)
            raise
        self._home_taken(left)

    def _home_taken(self, left: int) -> None:
        """The home taken again after :meth:`_home_left`, waiting for the writers at work
        on it; what one of them left unindexed (killed, or run with ``--no-index``) is
        indexed first, as at an import's start, and the pending mark is set again before
        the next article is stored (another writer may have cleared it)."""
        while True:
            try:
                self.sync.lock.acquire(timeout=_RETAKE)
                break
            except IndexBusy:
                continue  # (the stream's lines wait in its pipe meanwhile)
        if self.sync.lock.taken_between():
            self._away.append((left, time.time_ns()))
        self._marked = False
        if self._indexing:
            self._recovering = True
            self.sync.recover(self._index_progress, self.batches)
            self._recovering = False

    def run_objects(self, articles: Iterable[object], *, index: bool, progress: Progress | None,
                    index_progress: Progress | None) -> ImportReport:
        """Import Python objects, each checked as a JSON Lines record (see
        :func:`~searchkit.store.formats.article_from_object`): the n-th is ``article n`` in
        errors, counting from 1 as lines do. ``progress`` has a total when ``articles`` has
        a length."""
        return self._guarded(functools.partial(self._from_objects, articles), index=index, progress=progress,
                             index_progress=index_progress)

    def _guarded(self, read: _Reading, *, index: bool, progress: Progress | None,
                 index_progress: Progress | None) -> ImportReport:
        """:meth:`_run`, with Ctrl-C and a full disk said as what they left."""
        # what "stored by this import" means, from when it holds the home: an import that
        # waited for another's lock must not take that one's articles for its own repeats
        self._started = time.time_ns()
        try:
            with room_for_the_index(self._unsearchable, had_index=self.sync.answers):
                return self._run(read, index=index, progress=progress, index_progress=index_progress)
        except KeyboardInterrupt:
            # what was stored stays (the pending mark makes the next writer index it): say how much
            stored = self.report.added + self.report.updated
            # stopped while indexing what an earlier import left: those are still not searchable
            behind = self.sync.unindexed()[0] if self._recovering else 0
            raise ImportInterrupted(stored, max(stored - self._committed, 0), behind) from None

    def _unsearchable(self) -> str:
        """What a write of the index that failed left of this import."""
        stored = self.report.added + self.report.updated
        return (f"{stored} article{'s' if stored != 1 else ''} stored in corpus/ by this import may not be "
                f"searchable yet{self._stopped}")

    def _run(self, read: _Reading, *, index: bool, progress: Progress | None,
             index_progress: Progress | None) -> ImportReport:
        was_pending = self.sync.pending()
        self._indexing, self._index_progress = index, index_progress
        schedule = self._schedule(index, index_progress)
        records, total = read(progress is not None)
        if index and schedule.at_end and not self._streaming and Capability.PARALLEL_WRITE in self.index.capabilities:
            self._store_building(records, total, progress, index_progress)
        elif index:
            self._store_indexing(self._stored(records, total, progress, None), schedule, index_progress)
        else:
            self._store_only(self._stored(records, total, progress, None), was_pending)
        return self._warned()

    def _schedule(self, index: bool, index_progress: Progress | None) -> CommitSchedule:
        """When this import commits the index; first the index catches up with what a killed
        writer left pending, unless it is built at the import's end (that build covers it)."""
        if not index:  # (the next writer does: storing alone needs no index, nor a cluster that is up)
            return CommitSchedule(None, batch=self.batches.batch)
        self.sync.refuse_newer()  # (before anything is stored: the import is refused whole)
        self.index.remove_leftovers()
        schedule = self.sync.commit_schedule(self.batches)
        if not schedule.at_end:
            # (its bar shows that catching up, which may be long, as it shows its own indexing)
            self._recovering = True
            self.sync.recover(index_progress, self.batches)
            self._recovering = False
            schedule = self.sync.commit_schedule(self.batches)
        return schedule

    def _stored(self, records: _Records, total: int | None, progress: Progress | None,
                synced: list[Callable[[], None]] | None) -> Iterator[str]:
        """Store every record; yields the ids of the articles that changed. ``synced`` takes
        the wait for ``corpus/`` to reach the disk, when a build goes on meanwhile."""
        for item, rec in records:
            try:
                changed = self._store_record(item, rec) if rec is not None else None
            except _StoreFull:
                break  # reported once; what was stored is indexed
            if progress:  # before the batch is indexed: the records it covers are counted
                done = self._read()
                if total is not None and done > total:
                    total = None  # the count fell short (a damaged gzip's records): unknown, not grown
                progress(done, total)
            if changed is not None:
                yield changed
        if progress:  # the total was an estimate for CSV, or unknown: finish the bar at what was read
            done = self._read()
            progress(done, done)
        self._sync_corpus(synced)

    def _store_record(self, item: Path | str, rec: Article) -> str | None:
        """Store one record of ``item``: the id its article is stored under when that changed
        something."""
        if not self._marked:  # without indexing too: search then says what it cannot find yet
            self.sync.mark_pending()
            self._marked = True
        rec, other = self._sourced(item, self._as_stored(rec))
        return rec.id if not self._taken(item, rec, other) and self._store(item, rec) else None

    def _sync_corpus(self, synced: list[Callable[[], None]] | None) -> None:
        """Put what this import stored on the disk: at once, or into ``synced`` to wait for."""
        if not (self.report.added or self.report.updated):
            return
        if synced is None:
            self.corpus.sync()
        else:  # the build goes on meanwhile: a sync waits for every dirty page of the machine
            synced.append(self.corpus.sync_aside())

    def _store_building(self, records: _Records, total: int | None, progress: Progress | None,
                        index_progress: Progress | None) -> None:
        """Store the records into no usable index, building it as they are stored."""
        synced: list[Callable[[], None]] = []
        try:
            self._build_while_storing(self._stored(records, total, progress, synced), index_progress)
        finally:
            for wait in synced:
                wait()
        self.sync.clear_pending()

    def _store_indexing(self, stored: Iterator[str], schedule: CommitSchedule,
                        index_progress: Progress | None) -> None:
        """Store the records, committing the changed ones to the index as ``schedule`` says,
        and the rest at the end."""
        batch: dict[str, None] = {}  # ids changed since the last commit, in order

        def commit() -> None:
            schedule.committed(len(batch))
            self._index_batch(batch, index_progress)
            self._marked = False

        # (a stream's batch ends: what it changed is made searchable before it is read on)
        self._flush = lambda: commit() if batch else None
        for art_id in stored:
            batch[art_id] = None
            if schedule.due(len(batch)):
                commit()
        if batch or self.sync.missing():
            self._index_batch(batch, index_progress, last=True)
        self.index.regroup_deferred()
        self.sync.clear_pending()

    def _store_only(self, stored: Iterator[str], was_pending: bool) -> None:
        """Store the records and leave the index to the next writer."""
        for _ in stored:
            pass
        if not (was_pending or self.report.added or self.report.updated):
            self.sync.clear_pending()  # nothing changed: the index is as current as it was

    def _index_batch(self, batch: dict[str, None], index_progress: Progress | None, last: bool = False) -> None:
        """Commit the articles of ``batch`` to the index (and empty it), and note which saved
        searches they are new for."""
        base, size = self._committed, len(batch)
        self._batches += 1
        # Near-duplicate grouping reads every signature in the index: after batches 1,
        # 2, 4, 8, ... and the last, not after each one (a long import stays linear).
        n = self._batches
        regroup = last or n & (n - 1) == 0

        def step(n: int, total: int | None) -> None:  # counts across batches
            assert index_progress is not None
            index_progress(base + n, base + max(size, total or 0))

        self.sync.changed(list(batch), self.report, relayed(step, index_progress) if index_progress else None,
                          regroup=regroup)
        self._committed += size
        if batch:
            add_counts(self.report, self._watch(set(batch)))
        batch.clear()
        collect_batch_garbage()

    def _watch(self, ids: set[str]) -> dict[str, int]:
        return watch(self.saved, self._count, ids, self.report)

    def _read(self) -> int:
        """The records read so far: stored, unchanged, replaced by a later one, or refused."""
        r = self.report
        return r.added + r.updated + r.unchanged + r.failed + r.replaced

    def _warned(self) -> ImportReport:
        report = self.report
        if report.replaced:
            report.warnings.append(
                f"{report.replaced} record{'s' if report.replaced != 1 else ''} had the id of an earlier record of "
                f"this import (first: {self._first_repeat}) and replaced it, counted as that one was"
                # (why two ids that look apart are one: said only where it may be the reason)
                + ("; ids are compared as they look (Unicode NFC), so a letter written as one character or as a "
                   "letter and a combining mark (é, or e and U+0301) is the same id" if self._repeat_spelt else
                   "; ids are text, so 1 and \"1\" are the same id" if self._repeat_number else ""))
        if not self._files and not self._skipped and not report.failed:
            report.warnings += [f"{folder}: no files in it" for folder in self._folders]
        for home in self._homes:
            report.warnings.append(f"{home} is a searchkit home: its articles (corpus/) were read, its index and "
                                   "settings skipped")
        if self._skipped:
            n = len(self._skipped)
            report.warnings.append(
                f"{n} file{'s' if n != 1 else ''} of another type skipped (first: {self._skipped[0]}); import reads "
                f"{', '.join(SUPPORTED)}")
        return report

    def _build_while_storing(self, stored: Iterator[str], progress: Progress | None) -> None:
        """Index an import into no usable index as it is stored (see :mod:`.storebuild`)."""
        from .storebuild import build_while_storing

        self.corpus.remove_temporary()
        sub = IndexReport()
        failed: list[str] = []
        changed = build_while_storing(self.index, self.corpus, self.sync.lexicon.analyzer, stored, sub, progress,
                                      failed)
        self.sync.note_unreadable(failed)
        self._committed = len(set(changed))
        for err in sub.errors:
            self.report.fail(err)
        if changed:
            add_counts(self.report, self._watch(set(changed)))

    def _from_files(self, paths: list[str | os.PathLike[str]], counted: bool) -> tuple[_Records, int | None]:
        """The records of the files and folders of ``paths``, and (``counted``) how many
        there are, for a progress bar's total."""
        self._folders = [os.fspath(p) for p in paths if os.fspath(p) and os.path.isdir(p)]
        items: Iterable[Path | InputError] = iter_input_files(
            list(paths), self._skipped, self._homes, into=self.corpus.root.parent)
        if not counted:
            return self._records(items), None
        # One cheap pass first (line counts), so the bar has a total and an ETA; none when a
        # file's count is not known before it is read (a total that grew as the import went
        # would show the import done before it is).
        items = list(items)
        counts = [count_records(i) if isinstance(i, Path) else 1 for i in items]
        return self._records(items), None if None in counts else sum(c for c in counts if c is not None)

    def _from_stream(self, paths: list[str | os.PathLike[str]], lines: StreamLines,
                     counted: bool) -> tuple[_Records, int | None]:
        """The records of ``paths``, then those of the stream (no total: its end is not known)."""
        files, _ = self._from_files(paths, False)
        stream = LINE_READERS[lines.format](cast("IO[bytes]", lines), lines.path)
        return itertools.chain(files, self._file_records(Path(lines.path), stream)), None

    def _from_objects(self, articles: Iterable[object], counted: bool) -> tuple[_Records, int | None]:
        """The records of the Python objects ``articles``, and their number when known."""
        return self._objects(articles), len(articles) if counted and isinstance(articles, Sized) else None

    def _objects(self, articles: Iterable[object]) -> _Records:
        """The article of each object, and ``None`` for each bad one (counted in the report)."""
        undated: dict[str, int] = {}
        where = ""
        for n, obj in enumerate(articles, 1):  # (read under the lock: a slow iterable holds the home)
            where = f"article {n}"
            rec = article_from_object(where, obj)
            if isinstance(rec, InputError):
                self.report.fail(str(rec))
                yield where, None
                continue
            if (field := dated_by(rec)) is not None:
                undated[field] = undated.get(field, 0) + 1
            yield where, rec
        self._say_undated("the articles given", undated)
        if not where:
            self.report.warnings.append("no articles given")

    def _say_undated(self, where: str | Path, undated: dict[str, int]) -> None:
        """Warn once per field that looks like a date (``year``) of the undated records it dates."""
        for field, n in undated.items():
            self.report.warnings.append(
                f'{where}: {n:,} record{"s have" if n != 1 else " has"} "{field}" but no "date": '
                f'{"they are" if n != 1 else "it is"} undated (give "date": "YYYY-MM-DD")')

    def _records(self, items: Iterable[Path | InputError]) -> _Records:
        """The articles of every input file, and ``None`` for each bad file or record
        (counted in the report)."""
        for item in items:
            if isinstance(item, InputError):
                self.report.fail(str(item))
                yield Path(item.path), None
                continue
            yield from self._file_records(item, read_file(item))

    def _file_records(self, item: Path, read: Iterable[Article | InputError]) -> _Records:
        """The articles of the file ``item`` as ``read`` gives them, and ``None`` for each
        bad record (counted in the report)."""
        empty = True
        good = bad = 0
        undated: dict[str, int] = {}  # extra field that looks like a date -> records dated only by it
        self._files += 1
        for rec in read:
            empty = False
            if isinstance(rec, InputError):
                self.report.fail(str(rec))
                yield item, None
                # (only records that are no JSON at all: a well-formed feed whose first
                # records lack a field goes on to its good ones)
                bad += not rec.record
                if not good and bad == BAD_START:
                    # a file of another format, or random bytes: one error per "line"
                    # of it would bury the other files' errors
                    self.report.fail(f"{item}: its first {BAD_START} records are unreadable, so the rest of it "
                                     "is skipped: is it the format its name says, and not damaged?")
                    break
            else:
                good += 1
                if (field := dated_by(rec)) is not None:
                    undated[field] = undated.get(field, 0) + 1
                yield item, rec
        self._say_undated(item, undated)  # once per file, not once per record
        if empty:  # (a .txt without text is an error; an empty feed is not, but is said)
            self.report.warnings.append(f"{item}: no articles in it")

    def _as_stored(self, article: Article) -> Article:
        """``article`` under the spelling of its id that ``corpus/`` holds: a home imported
        before ids were normalised may hold it decomposed (NFD), and importing the same
        file again then updates that article rather than storing a second copy beside it
        (no file is renamed or deleted; the id is found however it is typed)."""
        # (one look per article whose id has a letter of two spellings: the id's own
        # spelling is looked for only when another is stored, as a home seldom holds one)
        root = os.fspath(self.corpus.root)  # (as strings: a Path for each costs more than the look)
        for spelling in id_spellings(article.id)[1:]:  # (article.id is NFC: the others)
            if os.path.lexists(os.path.join(root, article_filename(spelling))):
                if os.path.lexists(os.path.join(root, article_filename(article.id))):
                    return article  # both (two articles, from before): the id's own is the one
                return dataclasses.replace(article, id=spelling)
        return article

    def _sourced(self, item: Path | str, article: Article) -> tuple[Article, str | None]:
        """``article`` with the file it was named after (:data:`IMPORTED_FROM`), when its
        id is that file's name: what tells a later import of the same file from another;
        and the other file an article stored earlier under its id came from, if any and
        if that file is still there."""
        if not isinstance(item, Path) or input_suffix(item) not in NAMED_BY_FILE:  # (an object names no file)
            return article, None
        source = os.path.realpath(item)
        if source == self._piped:
            return article, None
        try:
            stored = self.corpus.get(article.id)
        except (OSError, SearchkitError):
            stored = None  # (a damaged article file: storing over it is what repairs it)
        theirs = stored.extra.get(IMPORTED_FROM) if stored is not None else None
        if stored is not None and theirs is None and stored == article:
            # stored before files were kept, and unchanged: not rewritten (nor indexed
            # again) for the field alone; it gets it when its text changes
            return article, None
        # (a file no longer where it was imported from was moved, with its archive: its
        # new place takes over; one still there is another file of the same name)
        other = (theirs if isinstance(theirs, str) and theirs != source and _named_after(theirs, article.id)
                 and os.path.lexists(theirs) else None)
        return dataclasses.replace(article, extra={**article.extra, IMPORTED_FROM: source}), other

    def _taken(self, item: Path | str, article: Article, other: str | None) -> bool:
        """Whether ``article`` would replace another file's article of this import, or be
        replaced by one, through an id that a file's name gave: ``2022/03/index.html`` and
        ``2022/04/index.html`` are two stories, not one updated (reported, not stored);
        or replace one an earlier import stored from ``other``, another file of its name.
        Records of one feed that repeat an id replace each other, as they always did."""
        if not isinstance(item, Path):
            return False  # an object's id is its own, as a JSON Lines record's is
        earlier = self._named.get(article.id)
        if earlier == item:
            return False  # the same file named twice: it replaces itself, as a record would
        if earlier is not None:
            self.report.fail(f"{item}: its article's id {article.id!r} is that of {earlier}, named after the "
                             "file, earlier in this import; rename one of the files (a .txt or .html file's "
                             "id is its name)")
            return True
        if input_suffix(item) not in NAMED_BY_FILE:
            return False
        try:
            if self._ours(os.stat(self.corpus.path_for(article.id)).st_mtime_ns):
                self.report.fail(f"{item}: its id {article.id!r} (the file's name) is that of an article stored "
                                 "earlier in this import; rename the file")
                return True
        except (OSError, ValueError):
            pass
        if other is not None:
            # (an archive of a folder a day, each with its index.html: the next month's
            # pages must not silently replace this month's)
            self.report.fail(f"{item}: its article's id {article.id!r} (the file's name) is that of {other}, "
                             "imported earlier; rename the file, or delete the stored article first")
            return True
        self._named[article.id] = item
        return False

    def _ours(self, stored: int) -> bool:
        """Whether a file of ``corpus/`` stored at ``stored`` (its time) was stored by this
        import: since it started, and not while it left the home to other writers."""
        return stored >= self._started and not any(left <= stored <= back for left, back in self._away)

    def _store(self, item: Path | str, article: Article) -> bool:
        """Put one article in ``corpus/``; ``True`` when that changed something. An
        article stored earlier by the same import (the same id twice) replaces it and is
        counted as that one was (two records of one new id are one article added): the
        import warns about it once."""
        report = self.report
        repeat = False
        try:
            st = os.stat(self.corpus.path_for(article.id))
            if self._ours(st.st_mtime_ns):
                repeat = True
                if not self._first_repeat:
                    self._first_repeat = f"{article.id!r} in {item}"
                    self._repeat_spelt = len(id_spellings(article.id)) > 1
                    self._repeat_number = article.id.isdigit()
        except (OSError, ValueError):
            pass
        try:
            outcome = self.corpus.put(article)
        except OSError as e:
            if (todo := no_room(e)) is not None:  # (the next article would fail too)
                stored = report.added + report.updated
                # (named by its file too: when the index cannot be written either, this is
                # the one line said, and the article's file is what was too large for the room)
                self._stopped = (f" (it stopped at article {article.id!r} of {item}, which it could not store: "
                                 f"corpus/{article_filename(article.id)}, {e.strerror})")
                report.fail(f"{self.corpus.path_for(article.id)}: cannot store article {article.id!r} of {item} "
                            f"({e.strerror}): the import stopped there, after {stored} article"
                            f"{'s' if stored != 1 else ''} stored, which are kept; {todo}, then import again")
                raise _StoreFull from None
            report.fail(f"{item}: cannot store article {article.id!r}: {e.strerror or e}")
            return False
        except ValueError as e:
            report.fail(f"{item}: cannot store article {article.id!r}: {e}")
            return False
        if repeat:
            report.replaced += 1  # (said by the warning; the first record's count stands)
            return outcome != "unchanged"
        if outcome == "unchanged":
            report.unchanged += 1
            return False
        setattr(report, outcome, getattr(report, outcome) + 1)
        return True
