"""Keeping the index in line with ``corpus/``: updates and rebuilds, building on first
use, what a search cannot find yet, and the pending mark that lets a writer killed after
storing articles be finished by the next one."""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..advice import INDEX, REBUILD
from ..backends.base import Capability, Index, Progress, as_stage, from_newer, relayed
from ..errors import HomeError, IndexBusy, IndexDamaged, IndexError_, NoIndex, SearchkitError
from ..models import Backlog, ImportReport, IndexReport, IndexStatus
from ..query.userlexicon import UserLexicon
from ..store.corpus import Corpus, article_filename
from ..store.gcmode import bulk_collection
from ..store.locking import HomeLock
from ..store.room import no_room
from . import topics, unreadable
from .schedule import Batches, CommitSchedule

if TYPE_CHECKING:
    from ..text.topics import TopicModel
    from .held import Held
    from .pipeline import SideJob

__all__ = ["AT_WORK", "BUILDING_ELSEWHERE", "PENDING_FILE", "REBUILDING", "IndexSync", "index_full",
           "room_for_the_index"]

#: Present while corpus/ may be ahead of the index (an import or delete at work, or killed,
#: or an import with ``index=False`` that changed articles).
PENDING_FILE = ".searchkit.pending"


#: What a search's note and ``stats`` say while a writer is at work on an index that
#: answers (see :meth:`IndexSync.writer_at_work`): what it lacks is indexed when it is done.
AT_WORK = "an import or index run is at work on this home and makes {} searchable when it is done"

#: What a search and ``stats`` say while no index answers and another writer holds the
#: home (see :meth:`IndexSync.building_elsewhere`), filled with who (:meth:`HomeLock.holder`).
BUILDING_ELSEWHERE = "{} (an import or index run) is building it"

#: What an import's progress calls a rebuild in its midst (see :meth:`IndexSync.changed`)
#: (short, as the other stages: beside the counts it fits an 80-column terminal).
REBUILDING = "rebuilding"

#: How long a count of corpus/'s files that found no article deleted by hand is trusted
#: (see :meth:`IndexSync.gone`): as long as a search index's refresh takes to show a change.
RECOUNT_SECONDS = 1.0


def index_full(e: OSError, what: str, *, had_index: bool = True, rebuild: bool = False) -> IndexError_ | None:
    """A write of the index that a lack of room stopped (:func:`~searchkit.store.room.no_room`:
    a full disk, a limit on a file's size...), in words: the file, what happened to the
    articles, and what to do (the last good index, if any, still answers); ``None`` for
    any other error. After a ``rebuild`` asked for, that is what to run again: a plain
    ``index`` finds the old index up to date and builds nothing."""
    todo = no_room(e)
    if todo is None:
        return None
    still = "; the index as it was still answers" if had_index else ""
    where = f" ({Path(e.filename).name})" if isinstance(e.filename, str) and e.filename else ""
    return IndexError_(f"index/{where}: cannot write the index ({e.strerror or e}); {what}",
                       hint=f"{todo}, then run {REBUILD if rebuild else INDEX}{still}")


@contextlib.contextmanager
def room_for_the_index(what: str | Callable[[], str], *, had_index: bool | Callable[[], bool],
                       rebuild: bool = False) -> Iterator[None]:
    """Raise a lack of room met while writing the index (``rebuild``: a fresh one) as
    :func:`index_full` says it, with ``what`` happened to the articles (a callable: told
    when it happens, as is ``had_index``); any other OS error as it is. The one way every
    writer of the index (an import, ``index``, ``delete``, a search's first build) says it."""
    try:
        yield
    except OSError as e:
        full = index_full(e, what() if callable(what) else what,
                          had_index=had_index() if callable(had_index) else had_index, rebuild=rebuild)
        if full is None:
            raise
        raise full from None


class IndexSync:
    """The index of one home, brought in line with its ``corpus/``. Callers hold the home's
    lock where a method says so and have read the lexicon first; ``refresh`` reads it again
    (the engine's, which hands a changed analyzer to the index) for a recovery."""

    def __init__(self, home: Path, corpus: Corpus, lock: HomeLock, index: Index, lexicon: UserLexicon,
                 refresh: Callable[[], None]) -> None:
        self.home, self.corpus, self.lock, self.index, self.lexicon = home, corpus, lock, index, lexicon
        self._refresh = refresh
        self._gone: tuple[tuple[int, int, int], frozenset[str]] | None = None  # (what it was judged by, ids)
        self._none_gone_at = -math.inf  # (monotonic) when corpus/'s files were last counted and none was gone

    # -- the pending mark -----------------------------------------------------------------
    def mark_pending(self) -> None:
        """Note that corpus/ is about to change ahead of the index. If the process dies
        before :meth:`clear_pending`, the next writer sees the mark and reconciles the
        index with corpus/ first: articles stored but never indexed are not left out."""
        self._none_gone_at = -math.inf
        (self.home / PENDING_FILE).touch()

    def clear_pending(self) -> None:
        (self.home / PENDING_FILE).unlink(missing_ok=True)

    def pending(self) -> bool:
        """Whether the mark is there: corpus/ may be ahead of the index."""
        return (self.home / PENDING_FILE).exists()

    def recover(self, progress: Progress | None = None, batches: Batches | None = None) -> None:
        """Finish the job of a writer that was killed after storing articles but before
        indexing them (it left the pending mark), ``progress`` hearing of it, committing
        by ``batches`` as :meth:`index_all` does. Under the lock."""
        if self.pending():
            self._refresh()
            with bulk_collection():
                self.index_all(progress=progress, batches=batches)

    def commit_schedule(self, batches: Batches) -> CommitSchedule:
        """When to commit the changed articles a writer indexes, ``batches`` apart (see
        :mod:`.schedule`): on a cluster each batch as it comes; into no usable index once,
        at the end; else in steps that grow with the index."""
        if Capability.PARALLEL_WRITE not in self.index.capabilities:
            return CommitSchedule(0, batch=batches.batch, growth=0)
        if self.missing():
            return CommitSchedule(None, batch=batches.batch)
        try:
            held: int | None = self.index.doc_count()
        except IndexDamaged:
            held = None  # rebuilt when the writer commits
        return CommitSchedule(held, batch=batches.batch, growth=batches.growth, most=batches.most)

    # -- state ----------------------------------------------------------------------------
    def status(self) -> IndexStatus:
        """The index's :meth:`~searchkit.backends.base.Index.status`; one a newer searchkit
        made is refused (:class:`~searchkit.errors.IndexFromNewer`): nothing but a rebuild
        asked for (``index_all(rebuild=True)``) writes into it or replaces it, so that going
        back to an older release never loses the newer index unsaid."""
        status = self.index.status()
        if status is IndexStatus.NEWER:
            raise from_newer(self.index.meta() or self.index.expected_meta(), self.index.expected_meta())
        return status

    def refuse_newer(self) -> None:
        """Raise :class:`~searchkit.errors.IndexFromNewer` if a newer searchkit made the
        index (see :meth:`status`), before a writer changes anything."""
        with contextlib.suppress(IndexDamaged):  # (damaged: the writer rebuilds it, as always)
            self.status()

    def missing(self) -> bool:
        """Whether the index must be built from scratch (none, outdated or damaged); one a
        newer searchkit made is refused (:meth:`status`)."""
        try:
            return self.status() is not IndexStatus.CURRENT
        except IndexDamaged:
            return True

    def answers(self) -> bool:
        """Whether there is an index a search answers from as it is, current or not: one
        built with another lexicon or analyzer still answers, one of another format (or
        none, or one that cannot be read) does not."""
        try:
            meta = self.index.meta() if self.index.exists() else None
        except IndexDamaged:
            return False
        return meta is not None and meta.format == self.index.expected_meta().format

    def writer_at_work(self) -> bool:
        """Whether another process or thread holds the home (an import, ``index`` or
        ``delete`` at work): what the index lacks may be its articles, in it once it is
        done, so running ``index`` meanwhile only waits for it. Asked without waiting."""
        return self.lock.held_elsewhere()

    def building_elsewhere(self) -> bool:
        """Whether no index answers while :meth:`writer_at_work`: that writer is building
        it, and a search waits for it rather than build one too (:meth:`ensure`)."""
        return not self.answers() and self.writer_at_work()

    def building_said(self) -> str:
        """What :meth:`building_elsewhere` means, in words: who is building the index."""
        return BUILDING_ELSEWHERE.format(self.lock.holder())

    def unindexed(self) -> tuple[int, int]:
        """``(behind, stored)``: see :meth:`searchkit.Engine.unindexed`."""
        behind, stored, _, deleted = self._unindexed()
        return behind + deleted, stored

    def gone(self, *, stored: int | None = None, held: int | None = None) -> frozenset[str]:
        """The ids of the articles the index holds whose files ``corpus/`` no longer has: a
        delete stopped before its commit (it left the pending mark), or files removed by
        hand (fewer files than indexed articles). A search leaves them out, and says so.
        Without the mark and with no fewer files it costs a count; the answer is kept
        while the mark, the files' count and the index's stay as they were. ``stored`` and
        ``held``: the count of ``corpus/``'s article files and the index's, when the caller
        has just made them (one search counts the files once).

        Without the mark, a count that found none gone is trusted for
        :data:`RECOUNT_SECONDS`: a long-lived process (the TUI searching as a word is
        typed, a library user) counted the files before every search, a stat of each of
        corpus/'s folders, 5-10 % of a warm search at 100,000 articles. searchkit's own
        writers set the mark first; within that time a file deleted by hand is still
        caught when it is a hit (see :func:`searchkit.answers.hits.results`), only the
        total may count it."""
        try:
            try:
                mark = (self.home / PENDING_FILE).stat().st_mtime_ns
            except FileNotFoundError:
                mark = 0
            if stored is None:
                if not mark and time.monotonic() - self._none_gone_at < RECOUNT_SECONDS:
                    return frozenset()
                stored = self.corpus.count_names()
            if not mark and self._gone is not None and self._gone == ((0, stored, -1), frozenset()):
                self._none_gone_at = time.monotonic()
                return frozenset()  # (as many files as when none was gone: none was deleted since)
            if held is None:  # (a request, on a cluster: asked only when the files' count changed)
                held = self.index.doc_count()
            if not mark and stored >= held:
                self._gone = ((0, stored, -1), frozenset())
                self._none_gone_at = time.monotonic()
                return frozenset()
            key = (mark, stored, held)
            if self._gone is not None and self._gone[0] == key:
                return self._gone[1]
            names = {f.relpath for f in self.corpus.scan()}
            gone = frozenset(art_id for art_id, (path, _) in self.index.indexed().items() if path not in names)
        except (SearchkitError, OSError):  # (no index, or one that cannot be read: the search says so)
            return frozenset()
        self._gone = (key, gone)
        self._none_gone_at = -math.inf if gone or mark else time.monotonic()
        return gone

    def gone_note(self, gone: int) -> str:
        """What a search says of the ``gone`` articles (see :meth:`gone`) it left out."""
        until = ("the writer at work on this home (an import, index or delete) is done" if self.writer_at_work()
                 else f"{INDEX} updates the index")
        return (f"{gone:,} article{'s' if gone != 1 else ''} deleted from corpus/ {'is' if gone == 1 else 'are'} "
                f"still in the index: left out of what a search lists and counts until {until}")

    def backlog(self) -> Backlog:
        """See :meth:`searchkit.Engine.backlog`."""
        behind, stored, which, deleted = self._unindexed()
        if not behind:
            return Backlog(behind, stored, deleted=deleted)
        try:
            if which is None:  # counted, not listed: the files the last build could not read
                # may be all there is (a normal search, with nothing behind, reads nothing)
                which = unreadable.recorded(self.home, self.index.current_generation())
            damaged = unreadable.count_unreadable(self.corpus, which) if len(which) >= behind else 0
        except (SearchkitError, OSError):  # only a note: the search says what is wrong
            damaged = 0
        return Backlog(behind, stored, damaged if damaged == behind else 0, deleted)

    def _unindexed(self) -> tuple[int, int, list[str] | None, int]:
        """``(behind, stored, which, deleted)``: ``which`` lists the files behind where
        finding them was the cheap way to count them (else ``None``); ``deleted`` counts
        :meth:`gone`."""
        try:
            if self.pending():  # an article may have changed in place: compare the stamps
                by_path = dict(self.index.indexed().values())
                stored = 0
                which: list[str] = []
                for f in self.corpus.scan():
                    stored += 1
                    if not self.corpus.as_indexed(f.relpath, by_path.get(f.relpath), f.stamp):
                        which.append(f.relpath)
                return len(which), stored, which, len(self.gone(stored=stored))
            stored, held = self.corpus.count_names(), self.index.doc_count()
            deleted = len(self.gone(stored=stored, held=held))
            return max(stored - (held - deleted), 0), stored, None, deleted
        except NoIndex:  # (an import stopped before its first build, or one with `index=False`)
            stored = self.corpus.count_names()
            return stored, stored, [], 0  # (no index yet: `index` builds one)
        except (SearchkitError, OSError):  # only a note: the search says what is wrong
            return 0, 0, None, 0

    def note_unreadable(self, relpaths: list[str]) -> None:
        """Record that the live index lacks ``relpaths`` because they could not be read
        (all of them: a build or update that read every file it lacks)."""
        try:
            generation = self.index.current_generation()
        except SearchkitError:
            return
        unreadable.record(self.home, generation, relpaths)

    def ensure(self, progress: Progress | None = None) -> bool:
        """Build the index if there is none (or it is from an earlier analyzer version; one
        a newer searchkit made is refused: :meth:`status`);
        ``True`` when it had to build."""
        with bulk_collection():
            return self._ensure(progress)

    def _ensure(self, progress: Progress | None) -> bool:
        if self.status() is IndexStatus.CURRENT:
            return False
        answers = self.answers()
        if answers:
            # While another writer is at work (or the home is read-only) search the index
            # as it is rather than wait: the writer, or the next `index` run, rebuilds it.
            try:
                self.lock.acquire(timeout=0)
            except (IndexBusy, HomeError, OSError):  # (HomeError: a read-only home)
                return False
        else:
            waited = self.lock.wait()
            try:  # (a build by another search is over in seconds: worth the wait)
                self.lock.acquire(waited)
            except IndexBusy:  # (one reason, this one: "the index is busy" would be a second)
                raise IndexBusy(f"no index to search yet: {self.building_said()}, and was not done in the {waited:g} s "
                                "waited",
                                hint=f"search again when it has finished; {self.lock.setting()} sets how long a "
                                "search waits") from None
        try:
            if self.status() is not IndexStatus.CURRENT:  # another process may have built it meanwhile
                with room_for_the_index("the articles stay stored in corpus/", had_index=answers):
                    self.rebuild(IndexReport(), progress)
                return True
        finally:
            self.lock.release()
        return False

    # -- writing (under the lock) -------------------------------------------------------
    def index_all(self, *, rebuild: bool = False, progress: Progress | None = None,
                  batches: Batches | None = None) -> IndexReport:
        """Add new and changed articles, drop deleted ones; rebuild when asked or when the
        index is missing or damaged. An update commits every ``batches`` as an import does,
        so that an interrupted one keeps what it did; without ``batches``, once. Under the lock."""
        report = IndexReport()
        if not rebuild:
            self.refuse_newer()
        self.index.remove_leftovers()
        self.corpus.remove_temporary()
        try:
            # (the articles it will hold, corpus/'s: a build killed while it learnt left
            # the index it was to replace, too small to call for a model)
            rebuild = rebuild or self.missing() or self._outgrown(self.corpus.count_names())
            if not rebuild:
                self._update(report, progress, self.commit_schedule(batches) if batches else None)
        except IndexDamaged:
            report, rebuild = IndexReport(), True
        if rebuild:
            self.rebuild(report, progress)
        self.clear_pending()
        return report

    def changed(self, ids: list[str], report: ImportReport, progress: Progress | None = None,
                *, regroup: bool = True) -> None:
        """Index the articles ``ids`` (just stored), ``progress`` counting them; a missing,
        outdated or damaged index, or one whose topic model the archive has outgrown, is
        rebuilt from ``corpus/`` instead (its count a :data:`REBUILDING` stage of
        ``progress``). Either way the index then covers everything stored so far, so the
        pending mark goes."""
        sub = IndexReport()
        unique = [article_filename(i) for i in dict.fromkeys(ids)]
        try:
            rebuild = self.missing() or self._outgrown(self.index.doc_count() + len(unique))
            if not rebuild:
                docs, side = self._job(unique, sub, topics=self.index.topic_model())
                self.index.apply(docs, progress=progress, total=len(unique), regroup=regroup, side=side)
                self._side_done(side, sub)
        except IndexDamaged:
            sub, rebuild = IndexReport(), True
        if rebuild:
            # ``progress`` counts the articles ``ids``; a rebuild counts every article of
            # corpus/ (the batches indexed before too): its count is a stage of its own,
            # and then the articles ``ids`` are done
            self.rebuild(sub, as_stage(progress, REBUILDING))
            if progress is not None:
                progress(len(unique), len(unique))
        for err in sub.errors:
            report.fail(err)
        self.clear_pending()

    def rebuild(self, report: IndexReport, progress: Progress | None) -> None:
        """A new index of every article, with a topic model learnt from them first (the
        sampled articles analysed by the processes that then index them, once). Its documents
        and the fingerprint it is stamped with are of one state of the lexicon, however it is
        edited meanwhile."""
        with self.lexicon.held():
            self.corpus.remove_temporary()
            scanned = list(self.corpus.scan())
            relpaths = [f.relpath for f in scanned]
            mine, side = self._split(relpaths, [f.size for f in scanned], topics=None)
            failed: list[str] = []
            try:  # (the second process may have started to learn: it goes with a failure)
                learnt = topics.learn(self.corpus, relpaths, self.lexicon.analyzer, progress, side=side)
                docs = self._docs(mine, report, learnt.model, learnt.held, failed=failed)
                report.indexed = self.index.rebuild(docs, total=len(scanned), progress=progress, side=side,
                                                    topics=learnt.model)
            except BaseException:
                if side is not None:
                    side.cancel()
                raise
            self._side_done(side, report, failed)
            report.rebuilt = True
            self.note_unreadable(failed)

    def _update(self, report: IndexReport, progress: Progress | None, schedule: CommitSchedule | None) -> None:
        """Index the files ``corpus/`` holds that the index lacks or holds as they were,
        and drop the articles whose files are gone: in commits as ``schedule`` says (each
        one leaves an index that answers, with what it has committed), else in one."""
        # One dict of what the index holds, emptied as corpus/ is walked: what is left
        # was deleted. Memory: one entry per indexed article.
        by_path = {path: (art_id, stamp) for art_id, (path, stamp) in self.index.indexed().items()}
        changed: list[str] = []
        sizes: list[int] = []
        stale: dict[str, tuple[str, str]] = {}
        for f in self.corpus.scan():
            old = by_path.pop(f.relpath, None)
            # (a file whose times alone changed gets them back: see Corpus.as_indexed)
            if old is None or not self.corpus.as_indexed(f.relpath, old[1], f.stamp, settle=True):
                changed.append(f.relpath)
                sizes.append(f.size)
                if old is not None:
                    stale[f.relpath] = old
        deletes = [art_id for art_id, _ in by_path.values()]
        del by_path
        failed: list[str] = []
        if changed or deletes:
            for commits, (start, end) in enumerate(_cuts(len(changed), schedule), 1):
                # groups of near-duplicates after commits 1, 2, 4, 8, ... and the last, as an import
                regroup = end == len(changed) or commits & (commits - 1) == 0
                step = self._counted_from(start, len(changed), progress)
                n_up, n_del = self._commit(changed[start:end], sizes[start:end], deletes if start == 0 else [],
                                           stale, report, failed, step, regroup=regroup)
                report.indexed += n_up
                report.deleted += n_del
        # Every file the index lacks was in ``changed``, read just now: those that failed,
        # less those it holds as they were (which the count of files behind leaves out),
        # are all it lacks.
        self.note_unreadable([path for path in failed if path not in stale])

    def _commit(self, relpaths: list[str], sizes: list[int], deletes: list[str], stale: dict[str, tuple[str, str]],
                report: IndexReport, failed: list[str], progress: Progress | None, *, regroup: bool) -> tuple[int, int]:
        """One commit of an update: the files ``relpaths`` (of ``sizes``) indexed, the
        articles ``deletes`` dropped, and so is the article a file of ``stale`` held
        before when it now holds another id; ``(indexed, deleted)``."""
        deletes_extra: list[str] = []

        def moved(art_id: str, path: str) -> None:
            old = stale.get(path)
            if old is not None and old[0] != art_id:
                deletes_extra.append(old[0])  # the file now holds another id

        mine, side = self._job(relpaths, report, sizes, topics=self.index.topic_model(), failed=failed)

        def docs() -> Iterator[dict[str, Any]]:
            for doc in mine:
                moved(doc["id"], doc["path"])
                yield doc

        n_up, n_del = self.index.apply(docs(), deletes, progress=progress, total=len(relpaths), side=side,
                                       regroup=regroup)
        self._side_done(side, report, failed)
        for art_id, path in side.written if side else ():
            moved(art_id, path)
        if deletes_extra:
            self.index.apply((), deletes_extra, regroup=regroup)
        return n_up, n_del + len(deletes_extra)

    @staticmethod
    def _counted_from(done: int, total: int, progress: Progress | None) -> Progress | None:
        """``progress`` for one commit of an update of ``total`` files, ``done`` of them
        indexed before it: its counts are the update's."""
        if progress is None:
            return None

        def step(n: int, _: int | None) -> None:
            progress(done + n, total)

        return relayed(step, progress)

    def _docs(self, relpaths: list[str], report: IndexReport | None = None, topics: TopicModel | None = None,
              held: Held | None = None, *, failed: list[str] | None = None) -> Iterator[dict[str, Any]]:
        """Documents for the index writer, their topic vectors made by ``topics`` (those
        kept analysed in ``held`` taken from it); unreadable files are counted in ``report``
        (and listed in ``failed``)."""
        from .pipeline import prepare_all

        for p in prepare_all(self.corpus, relpaths, self.lexicon.analyzer, topics, held):
            if p.error is not None:
                if report is not None:
                    report.failed += 1
                    report.errors.append(p.error)
                if failed is not None:
                    failed.append(p.relpath)
            if p.doc is not None:
                yield p.doc

    def _job(self, relpaths: list[str], report: IndexReport, sizes: list[int] | None = None, *,
             topics: TopicModel | None, failed: list[str] | None = None
             ) -> tuple[Iterator[dict[str, Any]], SideJob | None]:
        """The documents this process writes and, for a big job on the embedded index,
        a second process that writes the rest (see :mod:`searchkit.ingest.pipeline`)."""
        mine, side = self._split(relpaths, sizes, topics=topics)
        return self._docs(mine, report, topics, failed=failed), side

    def _split(self, relpaths: list[str], sizes: list[int] | None, *,
               topics: TopicModel | None) -> tuple[list[str], SideJob | None]:
        """The files of a job this process indexes, and the second process that indexes
        the others (for a big job on the embedded index)."""
        from .pipeline import SideJob, split

        writer = self.index.part_writer() if Capability.PARALLEL_WRITE in self.index.capabilities else None
        mine, theirs = split(relpaths, sizes) if writer is not None else (relpaths, [])
        side = (SideJob(self.corpus, theirs, self.lexicon.analyzer, writer, topics)
                if writer is not None and theirs else None)
        return mine, side

    def _outgrown(self, articles: int) -> bool:
        """Whether the index, to hold ``articles``, should be rebuilt to learn its topic
        model again (see :mod:`searchkit.ingest.topics`)."""
        return topics.outgrown(self.index.topic_model(), articles)

    @staticmethod
    def _side_done(side: SideJob | None, report: IndexReport, failed: list[str] | None = None) -> None:
        if side is not None:
            report.failed += len(side.errors)
            report.errors.extend(side.errors)
            if failed is not None:
                failed.extend(side.failed)


def _cuts(n: int, schedule: CommitSchedule | None) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each commit of an update of ``n`` changed files, as ``schedule``
    says (told of each once it is done), or of one commit without it; at least one, which
    takes the deletes."""
    start = 0
    while True:
        limit = schedule.limit() if schedule is not None else None
        end = n if limit is None else min(n, start + max(1, limit))
        yield start, end
        if schedule is not None:
            schedule.committed(end - start)
        if end == n:
            return
        start = end
