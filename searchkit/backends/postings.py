"""The term lists of a prepared document (:func:`searchkit.engine.prepare_document`) in
the encoding Whoosh's writer takes, so the embedded index writes them as they are, and
their inverses, so another backend indexes the same documents. Plain Python: no Whoosh
import (the two formats Whoosh reads, a big-endian count and pickled position deltas,
are written out here)."""

from __future__ import annotations

import operator
from pickle import dumps, loads
from struct import Struct

__all__ = ["Posting", "counts_of", "encode_positions", "frequency_postings", "position_postings", "positions_of"]

#: ``whoosh.system.pack_uint`` and ``_INT_SIZE``: a count as Whoosh's ``Positions`` format stores it.
pack_uint = Struct("!I").pack
_INT_SIZE = Struct("!I").size

#: One term of one document as Whoosh's writer takes it: ``(term, freq, weight, value)``.
Posting = tuple[bytes, int, float, bytes]
_WEIGHTS = tuple(float(i) for i in range(64))
_FREQS = tuple(pack_uint(i) for i in range(64))


def encode_positions(poses: list[int]) -> bytes:
    """Whoosh's ``Positions`` value: the count, then the pickled position deltas."""
    if len(poses) == 1:
        pos = poses[0]
        if pos < _ONE_POSITION_MAX:
            value = _one_position.get(pos)
            if value is None:
                value = _one_position[pos] = pack_uint(1) + dumps(poses, 2)
            return value
        return pack_uint(1) + dumps(poses, 2)
    return pack_uint(len(poses)) + dumps([poses[0], *map(operator.sub, poses[1:], poses[:-1])], 2)


# Most terms occur once in a document: their values repeat across documents.
_ONE_POSITION_MAX = 1 << 14
_one_position: dict[int, bytes] = {}


def position_postings(terms: dict[str, list[int]]) -> list[Posting]:
    """``{term: [positions]}`` -> postings for a :class:`LemmaField`."""
    out = []
    for term, poses in terms.items():
        n = len(poses)
        out.append((term.encode("utf-8"), n, _WEIGHTS[n] if n < 64 else float(n), encode_positions(poses)))
    return out


def frequency_postings(counts: dict[str, int]) -> list[Posting]:
    """``{term: count}`` -> postings for a :class:`FormField`."""
    return [
        (term.encode("utf-8"), n, _WEIGHTS[n] if n < 64 else float(n), _FREQS[n] if n < 64 else pack_uint(n))
        for term, n in counts.items()
    ]


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
