"""Postings as the embedded index's writer takes them (``(term, freq, weight, value)``),
and their inverses, read without Whoosh (the value of a position posting, a big-endian
count and the pickled position deltas, is read here as Whoosh reads it). The analysed
documents (:mod:`searchkit.backends.documents`) hold plain term lists, which pass
through :func:`positions_of` and :func:`counts_of` as they are."""

from __future__ import annotations

from pickle import loads
from struct import Struct

__all__ = ["Posting", "counts_of", "pack_uint", "positions_of"]

#: One term of one document as Whoosh's writer takes it: ``(term, freq, weight, value)``.
Posting = tuple[bytes, int, float, bytes]
#: ``whoosh.system.pack_uint`` and its size: the count before a position posting's
#: pickled deltas
pack_uint = Struct("!I").pack
_INT_SIZE = Struct("!I").size


def positions_of(value: dict[str, list[int]] | list[Posting]) -> dict[str, list[int]]:
    """The inverse of :func:`position_postings` (and a dict passes through): other
    backends index the same prepared documents."""
    if isinstance(value, dict):
        return value
    out = {}
    for tbytes, _n, _, vbytes in value:
        raw = vbytes[_INT_SIZE:]
        deltas = loads(raw if raw.endswith(b".") else raw + b".")  # as Whoosh's Positions reads it
        poses, base = [], 0
        for d in deltas:
            base += d
            poses.append(base)
        out[tbytes.decode("utf-8")] = poses
    return out


def counts_of(value: dict[str, int] | list[Posting]) -> dict[str, int]:
    """The inverse of :func:`frequency_postings` (a dict passes through)."""
    if isinstance(value, dict):
        return value
    return {tbytes.decode("utf-8"): n for tbytes, n, _, _ in value}
