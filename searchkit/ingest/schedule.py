"""When an import (or a catching up on what one left unindexed) commits the index: pure
arithmetic, no I/O.

A commit costs more than the articles it adds: each writes a step of segments that
later merges copy again (see :mod:`searchkit.backends.whoosh.merging`), and the two processes of
a job only pay off on big jobs. So an import commits

- never before its end when there is no usable index (none yet, an outdated or a
  damaged one): everything stored is then indexed by one rebuild, both processes, no
  merges, exactly as ``index --rebuild`` would (a kill meanwhile leaves the pending
  mark, and the next writer indexes what was stored);
- otherwise when the changed articles waiting reach ``growth`` times the articles in
  the index, but at least ``batch`` and at most ``most``: into a small index in steps
  that grow with it (1,400 articles, then 20,000 more: commits after 2,000, 3,400,
  6,800, then the rest), so the import costs about what building it would; into a big
  one every ``most`` (the work a kill loses, and the wait before readers see new
  articles, stay bounded).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Batches", "CommitSchedule"]


@dataclass(frozen=True, slots=True)
class Batches:
    """How many changed articles an import, or the catching up on a backlog, indexes at a
    time (see :meth:`.sync.IndexSync.commit_schedule`)."""

    batch: int
    growth: float
    most: int


class CommitSchedule:
    """``indexed``: articles in the index when the import starts, ``None`` when there is
    no usable index (one build at the end)."""

    def __init__(self, indexed: int | None, *, batch: int, growth: float = 1.0, most: int | None = None) -> None:
        self.indexed = indexed
        self.batch = batch
        self.growth = growth
        self.most = batch if most is None else max(batch, most)

    @property
    def at_end(self) -> bool:
        """Whether the whole import is indexed in one build at its end."""
        return self.indexed is None

    def limit(self) -> int | None:
        """Changed articles that make the next commit; ``None``: only the end does."""
        if self.indexed is None:
            return None
        return max(self.batch, min(self.most, int(self.growth * self.indexed)))

    def due(self, pending: int) -> bool:
        """Whether ``pending`` changed articles, stored and not yet indexed, make a commit."""
        limit = self.limit()
        return limit is not None and pending >= limit

    def committed(self, n: int) -> None:
        """``n`` changed articles were committed (new ones grow the index; a replaced
        one counts too: an estimate is enough here)."""
        if self.indexed is not None:
            self.indexed += n
