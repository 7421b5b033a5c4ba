"""Writing the index: whole generations (rebuild), one commit of updates, and the
second process's part of a job."""

from __future__ import annotations

import contextlib
import json
import shutil
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from whoosh import index

from ...errors import IndexBusy
from ..base import GROUPING, Part, Progress, SideWriter, begin_stage, stage_progress
from . import merging, vocabulary
from .bulk import BulkWriter
from .documents import make_schema
from .grouping import Grouping
from .handover import Handover, discard
from .store import TOPICS_FILE, damaged, is_damage
from .words import Words

if TYPE_CHECKING:
    from ...text.topics import TopicModel

#: Postings buffered in memory before a sorted run goes to disk (bounds memory per build).
REBUILD_MB = 192
UPDATE_MB = 96
#: What a progress callback's stage is called while a commit writes the postings.
WRITING = "writing the index"


# -- writing in two processes ----------------------------------------------------------------


def write_part(folder: str, docs: Iterable[dict[str, Any]], *, limitmb: int) -> Part:
    """Write ``docs`` as a part of a job for the job's writer in another process, which
    takes them into its own segment (see :class:`SideWriter` and :mod:`.handover`); runs
    in the side process."""
    ix = index.open_dir(folder)
    writer = BulkWriter(ix, _lk=False, limitmb=limitmb, hands_over=True)
    written = []
    try:
        for doc in docs:
            writer.add_document(**doc)
            # (no signature: the grouping reads them from the index; at a million articles
            # they were two thirds of this list, about 150 MB in each process that held it)
            written.append((doc["id"], doc["path"]))
        handover = writer.hand_over()
    except BaseException:
        writer.cancel_part()
        raise
    return Part(handover, tuple(written))


def _tick(writer: BulkWriter, progress: Progress | None) -> None:
    """Tell ``progress`` of the commit's :data:`WRITING` stage now and then as the commit
    goes: it writes for seconds, with nothing a caller knows to count (``0`` of ``None``)."""
    writing = stage_progress(progress, WRITING)
    if writing is not None:
        writer.tick = lambda: writing(0, None)
        writer.tick()


def _cancel(writer: Any) -> None:
    # Cancelling after a failure must not hide the failure.
    with contextlib.suppress(Exception):
        writer.cancel()



class Writing(Grouping, Words):
    """Builds and updates the index under the home's write lock."""

    def rebuild(self, docs: Iterable[dict[str, Any]], *, total: int | None = None,
                progress: Progress | None = None, side: SideWriter | None = None,
                topics: TopicModel | None = None) -> int:
        """Build a new generation from ``docs`` (and the documents ``side`` writes in a
        second process), with the topic model their vectors were made by, and swap it in
        when complete."""
        gen = self._new_generation()
        path = self.root / gen
        path.mkdir(parents=True)
        try:
            ix = index.create_in(str(path), make_schema())
            n = 0
            parts: list[Part] = []

            def adopt() -> Handover | None:
                assert side is not None
                parts.append(side.finish())
                handover: Handover | None = parts[-1].handover
                return handover

            budget = REBUILD_MB // 2 if side else REBUILD_MB  # the two writers share it
            # The side writer is done before the commit: a commit helper takes its core.
            writer = BulkWriter(ix, limitmb=budget, parallel=True, word_fields=vocabulary.FIELDS)
            try:
                if side:
                    side.start(str(path), budget)
                for doc in docs:
                    writer.add_document(**doc)
                    n += 1
                    if progress and n % 200 == 0:
                        progress(n + (side.done() if side else 0), total)
                _tick(writer, progress)
                writer.commit(adopt=adopt if side else None)
            except BaseException:
                if side:
                    side.cancel()
                _cancel(writer)
                raise
            n += sum(len(p.written) for p in parts)
            if topics is not None:
                (path / TOPICS_FILE).write_bytes(topics.to_bytes())
            (path / "searchkit.json").write_text(json.dumps(self.expected_meta().to_json()), encoding="utf-8")
            if progress:
                progress(n, total)
            # Grouped before the swap (grouping a big archive takes a while): a rebuild
            # stopped meanwhile leaves the last good generation live with its groups, not
            # a new one without, which every search would group for itself.
            begin_stage(progress, GROUPING)
            with ix.searcher() as s:
                commit, groups = self._group_built(path, s)
        except BaseException:
            shutil.rmtree(path, ignore_errors=True)
            raise
        with self._mutex:
            self._swap(gen)
            self._deferred = None
            self._use_clusters(gen, commit, groups)
            self._save_vocabularies()
        return n

    def apply(self, updates: Iterable[dict[str, Any]], deletes: Iterable[str] = (),
              *, progress: Progress | None = None, total: int | None = None,
              regroup: bool = True, side: SideWriter | None = None) -> tuple[int, int]:
        """Add or replace ``updates`` (and the documents ``side`` writes in a second
        process) and remove ``deletes`` (ids) in one commit.

        Near-duplicate groups are brought up to date after the commit; that pass reads every
        signature in the index. A long import of many batches passes ``regroup=False`` for
        most of them and calls :meth:`regroup_deferred` now and then: one pass for many
        batches (meanwhile readers compute the groups themselves).
        """
        ix = self._open()
        budget = UPDATE_MB // 2 if side else UPDATE_MB
        try:
            writer = BulkWriter(ix, limitmb=budget, parallel=True, word_fields=vocabulary.FIELDS)
        except index.LockError as e:  # our HomeLock should prevent it: another program
            raise IndexBusy(f"index is busy ({e})") from None
        except Exception as e:
            if not is_damage(e):
                raise
            raise damaged(e) from None
        n_up = n_del = 0
        # groups saved under an earlier rule are formed again from every signature
        before = (self._deferred[0] if self._deferred is not None
                  else None if self.groups_to_redo() else self.clusters())
        changed: dict[str, None] = {}
        deletes = list(deletes)

        def adopt() -> Handover | None:
            # The side's documents replace their old versions, as update_document does.
            nonlocal n_up
            assert side is not None
            part = side.finish()
            handover: Handover | None = part.handover
            try:
                for art_id, _ in part.written:
                    writer.delete_by_term("id", art_id)
                    changed[art_id] = None
            except BaseException:
                if handover is not None:
                    discard(writer.storage, handover)
                raise
            n_up += len(part.written)
            return handover

        try:
            if side:
                side.start(ix.storage.folder, budget)
            for art_id in deletes:
                n_del += writer.delete_by_term("id", art_id)
            for doc in updates:
                writer.update_document(**doc)
                changed[doc["id"]] = None
                n_up += 1
                if progress and n_up % 200 == 0:
                    progress(n_up + (side.done() if side else 0), total)
            if not side and not n_up and not n_del:
                # Nothing to write (`delete` of ids the index does not hold): no empty
                # commit, which would leave the index without groups saved for it.
                writer.cancel()
                if progress:
                    progress(0, total)
                return 0, 0
            _tick(writer, progress)
            writer.commit(mergetype=merging.log_merge, adopt=adopt if side else None)
        except BaseException as e:
            if side:
                side.cancel()
            _cancel(writer)
            if isinstance(e, Exception) and not isinstance(e, (OSError, MemoryError)) and is_damage(e):
                # Whoosh reading damaged segments while merging (a full disk is no damage)
                raise damaged(e) from None
            raise
        if changed or n_del:
            if self._deferred is None:
                self._deferred = (before, {}, [])
            self._deferred[1].update(changed)
            self._deferred[2].extend(deletes)
        with self._mutex:  # reads of the new state: none of another thread's in between
            if regroup:
                if self._deferred is not None:
                    begin_stage(progress, GROUPING)
                self.regroup_deferred()
            self._save_vocabularies()
        if progress:
            progress(n_up, total)
        return n_up, n_del

    def regroup_deferred(self) -> None:
        """Bring the near-duplicate groups up to date with the updates applied with
        ``regroup=False`` since the last regrouping."""
        if self._deferred is not None:
            before, changed, deleted = self._deferred
            self._deferred = None
            with self._mutex:
                self._regroup(changed, deleted, before)
