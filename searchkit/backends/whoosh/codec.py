"""Whoosh 3 posting blocks and term infos, encoded with far less Python per posting.

:class:`BlockCoder` turns a term's flat posting list into the blocks Whoosh's reader
reads (``tests/test_bulk.py`` checks them byte for byte against Whoosh's writer), with
block data pickled with the highest protocol (Whoosh reads any; its protocol 2 spells
every ``bytes`` value as a ``codecs.encode`` call, ten times slower to write and to read
back) and small blocks left uncompressed, where zlib's set-up costs more than it saves
(the compression level is in each block's header). :func:`join_records` joins a term's
encoded pieces from several runs into one posting list and its term info.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Callable, Iterator, Sequence
from operator import itemgetter, sub
from pickle import HIGHEST_PROTOCOL, dumps
from struct import Struct
from typing import Any

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC

from .packed import pack_block

__all__ = ["BLOCK_LIMIT", "COMPRESSION", "COMPRESS_MIN", "INT", "PACK_FROM", "BlockCoder", "TermRecord", "join_records"]

#: Postings per block, as Whoosh's default codec.
BLOCK_LIMIT = 128
#: zlib level for blocks worth compressing. Whoosh's default is 3; level 1 makes the
#: postings file 1 % bigger and the commit 5 % faster (the level is in each block's header).
COMPRESSION = 1
#: Pickled blocks shorter than this are stored raw.
COMPRESS_MIN = 200
#: Blocks of fewer postings keep Whoosh's layout (see :mod:`.packed`): unpickled whole
#: they read as fast, and the packed layout's own bytes would make bruk's postings 29 %
#: bigger, where from 16 postings on they cost 1 % (and the forms field's 3 % less).
PACK_FROM = 16
#: One-posting blocks a finisher keeps for reuse (see ``BlockCoder.finisher``), about
#: 500 bytes each. Unbounded, the unique ids of a million articles alone kept a million
#: (the largest process of a million-article rebuild: 1.11 GB).
SHARED_MAX = 1 << 16

_TERMINFO = Struct("!BfIBBfII")
INT = Struct("!i")
_HEADER = WHOOSH3_HEADER_MAGIC

#: One term's postings from one run, encoded:
#: ``(term, head, last, df, weight, maxweight, minlen, maxlen, minid, maxid)``.
#: ``head`` holds the complete Whoosh 3 blocks but the last, each prefixed with its
#: length; ``last`` is the last block without its prefix, whose sign says whether it
#: ends the posting list.
TermRecord = tuple[bytes, bytes, bytes, int, float, float, int, int, int, int]


class BlockCoder:
    """Encodes a term's postings into Whoosh 3 posting blocks.

    ``lengths[field][docnum]`` is a document's field length already coded as Whoosh's
    length byte (0 if none; the coding is monotonic, so block minima and maxima carry
    over); ``fixed[field]`` the field format's fixed value size. The posting lists given
    number their documents as ``lengths`` does; the blocks number them from ``base`` on:
    the postings another process wrote, placed after this writer's documents.
    """

    def __init__(self, lengths: dict[str, array[int]], fixed: dict[str, int | None], *,
                 protocol: int = HIGHEST_PROTOCOL, blocklimit: int = BLOCK_LIMIT,
                 compression: int = COMPRESSION, compress_min: int = COMPRESS_MIN, base: int = 0,
                 packed: bool = True) -> None:
        self.lengths = lengths
        self.fixed = fixed
        self.protocol = protocol
        self.blocklimit = blocklimit
        self.compression = compression
        self.compress_min = compress_min
        self.base = base
        #: blocks in the layout of :mod:`.packed` (ids read without the positions), else
        #: Whoosh's own (``tests/test_bulk.py`` compares those with Whoosh's writer)
        self.packed = packed

    def placed(self, lengths: dict[str, array[int]], base: int) -> BlockCoder:
        """A coder of the same kind for posting lists numbered as ``lengths``, whose
        documents start at ``base``."""
        return BlockCoder(lengths, self.fixed, protocol=self.protocol, blocklimit=self.blocklimit,
                          compression=self.compression, compress_min=self.compress_min, base=base,
                          packed=self.packed)

    def encode(self, fieldname: str, tbytes: bytes, plist: list[Any]) -> TermRecord:
        """``plist`` is the flat ``[docnum, weight, value, ...]`` list in docnum order."""
        if len(plist) == 3:
            return self._encode_one(fieldname, tbytes, plist)
        ids = plist[0::3]
        weights = plist[1::3]
        values = plist[2::3]
        lengths = self.lengths.get(fieldname, _NO_LENGTHS)
        fixedsize = self.fixed[fieldname]
        base = self.base
        n = len(ids)
        out: list[bytes] = []
        total_weight = 0.0
        maxweight_all: Any = 0
        minlen_all = 0
        maxlen_all = 0
        blocklimit = self.blocklimit
        for start in range(0, n, blocklimit):
            end = min(n, start + blocklimit)
            if start == 0 and end == n:
                bids, bwl, bv = ids, weights, values
            else:
                bids, bwl, bv = ids[start:end], weights[start:end], values[start:end]
            # Whoosh keeps a block's weights in a float32 array: round the same way.
            bw = array("f", bwl)
            w0 = bw[0]
            if bw.count(w0) == len(bw):
                wmini: Any = None if w0 == 1.0 else w0
            else:
                wmini = tuple(bw)
            blens = [lengths[d] if d < len(lengths) else 0 for d in bids]
            maxlen = max(blens)
            minlen = min(blens)
            if not minlen and maxlen:  # Whoosh skips documents without a length
                minlen = min(x for x in blens if x)
            maxweight = max(0, *bwl)
            data, comp = self._data(fixedsize, bids[0] + base, list(map(sub, bids[1:], bids[:-1])), wmini, bv)
            info = dumps((end - start, bids[-1] + base, maxweight, comp, minlen, maxlen), 2)
            out += (INT.pack(len(info) + len(data)), info, data)
            total_weight += sum(bw)
            if maxweight > maxweight_all:
                maxweight_all = maxweight
            if minlen and (not minlen_all or minlen < minlen_all):
                minlen_all = minlen
            if maxlen > maxlen_all:
                maxlen_all = maxlen
        head = b"".join(out[:-3]) if len(out) > 3 else b""
        return (tbytes, head, out[-2] + out[-1], n, total_weight, maxweight_all, minlen_all, maxlen_all,
                ids[0] + base, ids[-1] + base)

    def _encode_one(self, fieldname: str, tbytes: bytes, plist: list[Any]) -> TermRecord:
        # Most terms of a buffer occur in one document: the same bytes, fewer steps.
        docnum, weight, value = plist
        lengths = self.lengths.get(fieldname, _NO_LENGTHS)
        lb = lengths[docnum] if docnum < len(lengths) else 0
        w32 = _FLOAT32.get(weight)
        if w32 is None:
            w32 = array("f", (weight,))[0]
        docnum += self.base
        data, comp = self._data(self.fixed[fieldname], docnum, (), None if w32 == 1.0 else w32, (value,))
        maxweight = weight if weight > 0 else 0
        info = dumps((1, docnum, maxweight, comp, lb, lb), 2)
        return (tbytes, b"", info + data, 1, 0.0 + w32, maxweight, lb, lb, docnum, docnum)

    def _data(self, fixedsize: int | None, first: int, deltas: Sequence[int], wmini: Any,
              values: Sequence[bytes]) -> tuple[bytes, int]:
        """A block's data and the compression level its header gives: ``first`` is its
        first id, ``deltas`` the differences after it, ``wmini`` Whoosh's minified weights."""
        if self.packed and len(values) >= PACK_FROM:
            variable = fixedsize is None or fixedsize < 0
            if variable or fixedsize == 0:
                return pack_block(first, deltas, wmini, values if variable else None, protocol=self.protocol,
                                  compression=self.compression, compress_min=self.compress_min)
        data = dumps(((first, *deltas), wmini, _values(fixedsize, values)), self.protocol)
        comp = self.compression if self.compression and len(data) >= self.compress_min else 0
        return (zlib.compress(data, comp) if comp else data), comp

    def finished(self, fieldname: str, terms: dict[bytes, list[Any]]) -> Iterator[tuple[bytes, bytes, bytes]]:
        """``(term, posting bytes, term info without its place)`` of every term of a field
        that never spilled a run, in term order: :meth:`finisher` of each."""
        finish = self.finisher(fieldname)
        for tbytes in sorted(terms):
            postings, info = finish(tbytes, terms[tbytes])
            yield tbytes, postings, info

    def finisher(self, fieldname: str) -> Callable[[bytes, list[Any]], tuple[bytes, bytes]]:
        """A function giving a whole posting list's ``(posting bytes, term info without its
        place)``: :meth:`encode` and :func:`join_records` in one step. A term in one
        document with a fixed-size value (the forms' counts) is encoded once per
        ``(document, weight, value)``: in a document, most such terms share all three."""
        fixedsize = self.fixed[fieldname]
        shared: dict[tuple[int, float, bytes], tuple[bytes, bytes]] | None = (
            {} if fixedsize is not None and fixedsize >= 0 else None)
        one = self._encode_one
        encode = self.encode
        block = self._one_block
        limit = 3 * self.blocklimit

        def finish(tbytes: bytes, plist: list[Any]) -> tuple[bytes, bytes]:
            n = len(plist)
            if n == 3:
                if shared is not None:
                    key = (plist[0], plist[1], plist[2])
                    hit = shared.get(key)
                    if hit is None:
                        if len(shared) >= SHARED_MAX:  # (about 30 MB): start again
                            shared.clear()
                        hit = shared[key] = join_records((one(fieldname, tbytes, plist),))
                    return hit
                return join_records((one(fieldname, tbytes, plist),))
            if n <= limit:
                return block(fieldname, plist)
            return join_records((encode(fieldname, tbytes, plist),))

        return finish

    def _one_block(self, fieldname: str, plist: list[Any]) -> tuple[bytes, bytes]:
        """What ``join_records((encode(...),))`` gives a term of 2 to ``blocklimit`` postings
        (one block: most terms), in fewer steps."""
        ids = plist[0::3]
        bwl = plist[1::3]
        bv = plist[2::3]
        n = len(ids)
        base = self.base
        if bwl.count(1.0) == n:
            wmini: Any = None
            total_weight = float(n)
            maxweight: Any = 1.0
        else:
            bw = array("f", bwl)  # Whoosh keeps a block's weights in a float32 array
            w0 = bw[0]
            wmini = (None if w0 == 1.0 else w0) if bw.count(w0) == n else tuple(bw)
            total_weight = 0.0 + sum(bw)
            maxweight = max(0, *bwl)
        lengths = self.lengths.get(fieldname, _NO_LENGTHS)
        if ids[-1] < len(lengths):
            blens: Any = itemgetter(*ids)(lengths)
        else:
            blens = [lengths[d] if d < len(lengths) else 0 for d in ids]
        maxlen = max(blens)
        minlen = min(blens)
        if not minlen and maxlen:  # Whoosh skips documents without a length
            minlen = min(x for x in blens if x)
        first, last = ids[0] + base, ids[-1] + base
        data, comp = self._data(self.fixed[fieldname], first, list(map(sub, ids[1:], ids[:-1])), wmini, bv)
        body = dumps((n, last, maxweight, comp, minlen, maxlen), 2) + data
        return (b"".join((_HEADER, INT.pack(-len(body)), body)),
                _TERMINFO.pack(False, total_weight, n, minlen, maxlen, maxweight if maxweight > 0 else 0,
                               first, last))


def _values(fixedsize: int | None, values: Sequence[bytes]) -> Any:
    """A block's values as Whoosh pickles them: a tuple of variable-size values, one
    string of fixed-size ones, nothing for fields without values."""
    if fixedsize is None or fixedsize < 0:
        return tuple(values)
    if fixedsize == 0:
        return None
    return b"".join(values)


_NO_LENGTHS: array[int] = array("B")
# Small whole weights are exact in float32.
_FLOAT32 = {float(i): float(i) for i in range(1 << 12)}


def join_records(parts: Sequence[TermRecord]) -> tuple[bytes, bytes]:
    """A term's posting list from its runs' records (in docnum order): ``(posting bytes,
    term info)``, the term info without the list's place in the postings file, which
    the writer appends."""
    last = parts[-1]
    if len(parts) == 1:
        postings = b"".join((_HEADER, last[1], INT.pack(-len(last[2])), last[2]))
        df, weight, maxweight, minlen, maxlen = last[3:8]
    else:
        out = [_HEADER]
        for p in parts[:-1]:
            out += (p[1], INT.pack(len(p[2])), p[2])
        out += (last[1], INT.pack(-len(last[2])), last[2])
        postings = b"".join(out)
        df = sum(p[3] for p in parts)
        weight = 0.0
        for p in parts:
            weight += p[4]
        maxweight = max(0, *(p[5] for p in parts))
        minlens = [p[6] for p in parts if p[6]]
        minlen = min(minlens) if minlens else 0
        maxlen = max(p[7] for p in parts)
    return postings, _TERMINFO.pack(False, weight, df, minlen, maxlen, maxweight, parts[0][8], last[9])
