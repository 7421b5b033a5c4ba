"""Shards that lost their last copy: what a node that left the cluster took with it.

A shard whose primary was on a node that left is taken over by a replica at once; one with
no replica (an index being rebuilt has none until it is full, and ``replicas = 0`` keeps
none) stays without a primary until that very node is back, and every write routed to it
waits. Those writes are not overload and no pause helps them: a writer asks
:func:`lost` when the cluster turns writes away, and stops at once with
:class:`ShardsLost` instead of retrying for minutes.
"""

from __future__ import annotations

from typing import Any

from ...advice import INDEX
from ...errors import IndexError_, SearchkitError
from .client import Connection

__all__ = ["ShardsLost", "lost", "refuse_writes", "shards_text"]


class ShardsLost(IndexError_):
    """Shards of an index have no copy on a running node (their node left the cluster):
    writes to them cannot go on until it is back."""

    def __init__(self, message: str, shards: list[int], *, hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.shards = shards


def lost(conn: Connection, index: str) -> list[int]:
    """The shards of ``index`` whose primary is unassigned because its node left the
    cluster (no copy was left to take over), in order; ``[]`` also when the cluster cannot
    say (the writer then goes on retrying as before)."""
    try:
        rows: Any = conn.call("reading the index's shards", lambda: conn.meta.cat.shards(
            index=index, params={"format": "json", "h": "shard,prirep,state,unassigned.reason"}))
    except (SearchkitError, conn.os.NotFoundError):
        return []
    if not isinstance(rows, list):
        return []
    return sorted({int(r["shard"]) for r in rows if isinstance(r, dict) and r.get("prirep") == "p"
                   and r.get("state") == "UNASSIGNED" and r.get("unassigned.reason") == "NODE_LEFT"})


def shards_text(shards: list[int]) -> str:
    """``shard 1``, ``shards 0 and 2``: numbered as the cluster numbers them."""
    if len(shards) == 1:
        return f"shard {shards[0]}"
    return "shards " + ", ".join(map(str, shards[:-1])) + f" and {shards[-1]}"


def refuse_writes(index: str, shards: list[int]) -> ShardsLost:
    """The error of writes to ``index`` that :func:`lost` ``shards`` turn away."""
    return ShardsLost(f"a node left the cluster with the only copy of {shards_text(shards)} of the index "
                      f"{index!r}: writes to it cannot go on until that node is back", shards,
                      hint=f"start the node again, then {INDEX} resumes the import")
