"""The merge policy of updates: a logarithmic one, over the steps of the index's history.

Every query visits every segment, so updates, which add segments, must merge some; but a
merge copies every posting of the segments it merges through Python, and a policy that
merges by segment count alone (past 8 segments, the smaller half) rewrites the newest
data again and again: a long run of updates costs its size squared.

Here the unit is a *step*: the segments one commit wrote (one since a big job's second
process hands its part to the job's writer; indexes written before hold two for such a
job, which count as one step; a merge's output is one step with the job's new
documents). A step's *level* is 0 below :data:`FLOOR` live documents, else one more than
the logarithm, base :data:`FACTOR`, of its live documents over :data:`FLOOR`.
When :data:`FACTOR` steps share a level they are merged into one step of the next level, so a document is copied about
``log_FACTOR(n / FLOOR)`` times over the life of an index of ``n`` documents, and the
segments number ``O(FACTOR × log n)``. Steps below :data:`FLOOR` documents all share
level 0: many small updates merge among themselves and never rewrite the big steps.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from whoosh.reading import SegmentReader

__all__ = ["FACTOR", "FLOOR", "level", "log_merge", "plan", "steps"]

#: Steps of one level that make a merge.
FACTOR = 4
#: Live documents below which every step is on the lowest level.
FLOOR = 500
#: Where the writers of two-segment jobs recorded a segment's step: an attribute pickled
#: with the segment in Whoosh's table of contents (a segment without it is a step of its own).
_ATTR = "searchkit_step"


def steps(segments: Sequence[Any]) -> list[list[Any]]:
    """``segments`` grouped by step, in order of first appearance."""
    out: dict[str, list[Any]] = {}
    for seg in segments:
        out.setdefault(getattr(seg, _ATTR, None) or seg.segment_id(), []).append(seg)
    return list(out.values())


def level(docs: int) -> int:
    """The level of a step of ``docs`` live documents: 0 below :data:`FLOOR`, then one
    more for each :data:`FACTOR` times as many. (A step from :data:`FLOOR` up to
    ``FLOOR × FACTOR`` documents was on level 0 with the small updates: an index of 1,400
    articles was rewritten whole by every fourth one-article import, 45 s each.)"""
    if docs < FLOOR:
        return 0
    return 1 + int(math.log(docs / FLOOR, FACTOR) + 1e-9)


def plan(segments: Sequence[Any]) -> list[Any]:
    """The segments an update should merge: the steps of the lowest level that holds
    :data:`FACTOR` of them, plus every segment without a live document; ``[]`` for none."""
    by_level: dict[int, list[list[Any]]] = defaultdict(list)
    empty = []
    for step in steps(segments):
        live = sum(seg.doc_count() for seg in step)
        if live == 0:
            empty.extend(step)
        else:
            by_level[level(live)].append(step)
    for lv in sorted(by_level):
        if len(by_level[lv]) >= FACTOR:
            return [seg for step in by_level[lv] for seg in step] + empty
    return empty


def log_merge(writer: Any, segments: list[Any]) -> list[Any]:
    """Whoosh merge policy (``writer.commit(mergetype=log_merge)``): copies the segments
    :func:`plan` picks into the writer's new segment and returns the others."""
    chosen = plan(segments)
    if not chosen:
        return segments
    ids = {seg.segment_id() for seg in chosen}
    for seg in chosen:
        if seg.doc_count():
            reader = SegmentReader(writer.storage, writer.schema, seg)
            writer.add_reader(reader)
            reader.close()
    return [seg for seg in segments if seg.segment_id() not in ids]

