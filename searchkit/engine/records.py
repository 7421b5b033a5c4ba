"""What the index layer hands back. The records now live in :mod:`searchkit.backends.base`,
shared by both backends; this module keeps their old import path for the Whoosh package."""

from __future__ import annotations

from ..backends.base import Compiled, IndexMeta, Part, Ranking, RawHit, RawResults, Relaxed

__all__ = ["Compiled", "IndexMeta", "Part", "Ranking", "RawHit", "RawResults", "Relaxed"]
