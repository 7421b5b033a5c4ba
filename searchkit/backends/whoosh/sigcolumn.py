"""Every near-duplicate group of an index, read from its signature column band by band.

Grouping after a big build used to load every signature into a dictionary keyed by
article id (about 450 bytes an article: 1.5 GB in one process at a million articles)
and then band it. Here each of the 32 bands is read from the index's ``sig`` column in
pieces, as one number per article (one C-level slice of the piece read as 64-bit
words), keyed by document number; a pair that shares a band reads its two signatures
from the column; only the grouped articles' ids are looked up at the end. Memory holds
one band's buckets. The groups follow the rule of :func:`searchkit.text.dedup.group_all`.
"""

from __future__ import annotations

import bisect
import sys
from array import array
from collections.abc import Iterator
from typing import Any

from whoosh import columns

from ...text import dedup

__all__ = ["group_all", "signatures"]

#: A signature's size in the column (articles too short for one have none).
SIG_BYTES = dedup.BINS * 4
#: Articles read from the column at once (1 MB of signatures).
PIECE = 4096
_WORDS = SIG_BYTES // 8  # 64-bit words per signature: band j is word j


def signatures(searcher: Any) -> dict[str, bytes]:
    """Every live article's signature by id (the articles without one left out)."""
    r = searcher.reader()
    if not r.doc_count():
        return {}
    ids, sigs = r.column_reader("id"), r.column_reader("sig")
    out = {}
    for dn in r.all_doc_ids():
        sig = sigs[dn]
        if sig:
            out[ids[dn]] = sig
    return out


class _Part:
    """One segment's signature column: its document offset, raw reader and deletions."""

    def __init__(self, offset: int, reader: Any, deleted: set[int]) -> None:
        self.offset = offset
        self.cr = reader
        self.deleted = deleted
        self.count = len(reader._lengths)

    def band(self, j: int) -> Iterator[tuple[int, int]]:
        """``(document number, band j as a number)`` of each live article with a signature."""
        cr, offset, deleted = self.cr, self.offset, self.deleted
        lengths, offsets = cr._lengths, cr._offsets
        for start in range(0, self.count, PIECE):
            end = min(self.count, start + PIECE)
            lo = offsets[start]
            hi = offsets[end - 1] + lengths[end - 1]
            blob = cr._dbfile.get(cr._basepos + lo, hi - lo) if hi > lo else b""
            if len(blob) == SIG_BYTES * (end - start):  # every article has one: a strided slice
                keys: Any = array("Q", blob)[j::_WORDS]
                docs: Any = range(offset + start, offset + end)
                if deleted:
                    yield from ((d, k) for d, k in zip(docs, keys, strict=True) if d - offset not in deleted)
                else:
                    yield from zip(docs, keys, strict=True)
                continue
            for d in range(start, end):
                if lengths[d] == SIG_BYTES and d not in deleted:
                    at = offsets[d] - lo + 8 * j
                    yield offset + d, int.from_bytes(blob[at : at + 8], sys.byteorder)

    def signature(self, docnum: int) -> bytes:
        return bytes(self.cr[docnum - self.offset])


def group_all(searcher: Any) -> dedup.Clusters:
    """The near-duplicate groups of every live article of the searcher's index."""
    parts: list[_Part] = []
    for leaf, offset in searcher.leaf_searchers():
        r = leaf.reader()
        if not r.doc_count_all():
            continue
        cr = r.column_reader("sig", translate=False)
        if type(cr) is not columns.VarBytesColumn.Reader:  # another codec: the dictionary way
            return dedup.group_all(signatures(searcher))
        parts.append(_Part(offset, cr, set(r.deleted_docs_set) if r.has_deletions() else set()))
    if not parts:
        return dedup.Clusters()
    starts = [p.offset for p in parts]

    def band(j: int) -> Iterator[tuple[int, int]]:
        for p in parts:
            yield from p.band(j)

    def signature(docnum: int) -> bytes:
        return parts[bisect.bisect_right(starts, docnum) - 1].signature(docnum)

    ids = searcher.reader().column_reader("id")
    # A group's centre is its smallest id (the key it is named by): the ids of the
    # articles met in pairs are looked up once each.
    names: dict[int, str] = {}

    def rank(docnum: int) -> str:
        name = names.get(docnum)
        if name is None:
            name = names[docnum] = ids[docnum]
        return name

    groups = dedup.grouped(band, signature, dedup.EMPTY_BAND_INT, rank)
    return dedup.Clusters([rank(d) for d in g] for g in groups)
