"""A term's postings over the segments of a searcher, read a posting block at a time.

Whoosh's leaf matcher steps through a posting list one document at a time; these classes
read its blocks directly: the block headers first (each holds the block's highest id),
then the data of only the blocks that may hold a wanted document. The block evaluator
(:mod:`.bulkeval`) asks them for ids, weights, scores and positions.
"""

from __future__ import annotations

import bisect
import functools
import io
import math
import mmap
import weakref
import zlib
from collections.abc import Iterator
from itertools import accumulate
from pickle import load, loads
from struct import Struct
from typing import Any, Protocol

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.reading import ReaderClosed, TermNotFound
from whoosh.system import _INT_SIZE
from whoosh.util.numeric import byte_to_length

from .packed import Ids  # (importing it registers what packed blocks' pickles name)

__all__ = ["BYTE_LENGTHS", "SegmentPostings", "TermPostings", "decode_positions", "length_of"]


class Evaluator(Protocol):
    """What a :class:`TermPostings` reads from the evaluator that made it."""

    searcher: Any
    leaves: list[tuple[Any, int]]
    deleted: set[int]

    def field_length(self, leaf: int, fieldname: str, scorer: Any) -> Any: ...

    def _in_time(self) -> None: ...


#: A segment's postings file mapped into memory, per open file (``False``: it cannot be,
#: e.g. a part of a compound file). A block read is then a slice, not a seek and a read
#: through two Python wrappers and the file's buffer, a few µs a block less, and a
#: search over a million articles reads thousands of blocks. The files are never written
#: again once committed (a merge writes new ones), so a mapping always sees whole blocks;
#: a file found short when mapped is reported as a damaged index, as Whoosh's reads report
#: it (only a file cut under a live mapping, which no writer does, would end the process).
_MAPS: weakref.WeakKeyDictionary[Any, mmap.mmap | bool] = weakref.WeakKeyDictionary()
_BLOCK_LENGTH = Struct("!i")
#: Bytes enough for a block's length and its pickled header (six numbers).
_HEADER_MOST = 128


def mapped(postfile: Any) -> mmap.mmap | None:
    """``postfile`` (Whoosh's ``StructFile`` of a segment's postings) mapped read-only, or
    ``None`` when it is not a whole file of its own."""
    hit = _MAPS.get(postfile)
    if hit is None:
        hit = False
        raw = getattr(postfile, "file", None)
        if isinstance(raw, io.BufferedReader):
            try:
                hit = mmap.mmap(raw.fileno(), 0, access=mmap.ACCESS_READ)
            except (OSError, ValueError):  # an empty or closed file: read it as Whoosh does
                hit = False
        _MAPS[postfile] = hit
    return hit if isinstance(hit, mmap.mmap) else None


class SegmentPostings:
    """One term's postings in one segment. Block headers are read when first needed,
    block data only for blocks that may hold a wanted document (every block, read in
    the same pass as the headers, when all are wanted)."""

    def __init__(self, matcher: Any, offset: int) -> None:
        self.offset = offset
        self.m = matcher
        self.maxids: list[int] = []
        # where each block's data is: (offset, length, compressed, postings), from its
        # header, so that reading the data does not read the header again
        self.where: list[tuple[int, int, Any, int]] = []
        self.maxweights: list[float] = []  # each block's highest weight (in its header)
        self.cache: dict[int, tuple[tuple[int, ...], Any]] = {}
        self.data: dict[int, Any] = {}  # block -> Whoosh's decoded (ids, weights, values)
        self.inline: tuple[tuple[int, ...], list[float], list[Any]] | None = None
        self.walked = False
        self.mm = mapped(matcher._postfile) if isinstance(matcher, W3LeafMatcher) else None
        if not isinstance(matcher, W3LeafMatcher):  # a rare term's postings inlined in the terms file
            ids, weights, values = [], [], []
            while matcher.is_active():
                ids.append(matcher.id() + offset)
                weights.append(matcher.weight())
                values.append(matcher.value())
                matcher.next()
            self.inline = (tuple(ids), weights, values)
            self.maxids = [ids[-1]] if ids else []
            self.maxweights = [max(weights)] if ids else []
            self.walked = True

    def _walk(self, decode: bool) -> None:
        """Read every block header (and, with ``decode``, its data on the way)."""
        m = self.m
        mm = self.mm
        pos = m._baseoffset
        i = 0
        while True:
            if mm is not None:  # what the matcher's _goto reads, from the mapping
                length = _BLOCK_LENGTH.unpack_from(mm, pos)[0]
                last = length < 0
                end = pos + 4 + abs(length)
                head = io.BytesIO(mm[pos + 4:min(pos + 4 + _HEADER_MOST, end)])
                count, maxid, maxweight, compressed, _, _ = load(head)
                start = pos + 4 + head.tell()
                self.where.append((start, end - start, compressed, count))
            else:
                m._goto(pos)
                last, end, maxid, maxweight = m._lastblock, m._nextoffset, m._maxid, m._maxweight
                self.where.append((m._dataoffset, end - m._dataoffset, m._compression, m._blocklength))
            self.maxids.append(maxid + self.offset)
            self.maxweights.append(maxweight)
            if decode:
                self.cache[i] = self._decode(i)
            if last:
                break
            pos = end
            i += 1
        self.walked = True

    def _read(self, i: int) -> Any:
        """Block ``i``'s data as Whoosh stores it, ``(ids, weights, values)`` (what the
        matcher's ``_read_data`` reads, from the offsets its header gave)."""
        data = self.data.get(i)
        if data is None:
            offset, length, compressed, _ = self.where[i]
            mm = self.mm
            raw = mm[offset:offset + length] if mm is not None else self.m._postfile.get(offset, length)
            data = self.data[i] = loads(zlib.decompress(raw) if compressed else raw)
        return data

    def _decode(self, i: int) -> tuple[tuple[int, ...], Any]:
        """The ids (global) and weights of block ``i`` (its data is kept for
        :meth:`_values`: an evaluator lives for about one query)."""
        ids, weights, _ = self._read(i)
        if weights is None or isinstance(weights, float):  # one weight for all (Whoosh's _read_weights)
            weights = [1.0 if weights is None else weights] * self.where[i][3]
        if type(ids) is Ids:  # a packed block: its deltas summed up from the global first id
            return tuple(accumulate(ids.rest, initial=ids.first + self.offset)), weights
        if not self.m._byteids:  # Whoosh's delta_decode, in C
            ids = accumulate(ids)
        # the segment's offset added in C (map over int.__add__), not a generator step per id
        return (tuple(map(self.offset.__add__, ids)) if self.offset else tuple(ids)), weights

    def _block(self, i: int) -> tuple[tuple[int, ...], Any]:
        hit = self.cache.get(i)
        if hit is None:
            hit = (self.inline[0], self.inline[1]) if self.inline is not None else self._decode(i)
            self.cache[i] = hit
        return hit

    def _values(self, i: int) -> Any:
        if self.inline is not None:
            return self.inline[2]
        m = self.m
        m._data = self._read(i)  # what the matcher's _read_values reads
        m._blocklength = self.where[i][3]
        m._read_values()
        return m._values

    def wanted_blocks(self, wanted: list[int] | None) -> Iterator[int]:
        """Indexes of the blocks that may hold one of ``wanted`` (sorted global ids;
        every block when ``None``)."""
        if wanted is None:
            if not self.walked:
                self._walk(decode=True)
            yield from range(len(self.maxids))
            return
        for i, _, _ in self.spans(wanted):
            yield i

    def spans(self, wanted: list[int]) -> Iterator[tuple[int, int, int]]:
        """``(block, lo, hi)`` for each block that may hold one of ``wanted`` (sorted
        global ids): ``wanted[lo:hi]`` are those in its range of ids."""
        if not self.walked:
            self._walk(decode=False)
        if not wanted:
            return
        maxids = self.maxids
        # Block by block from the one that can hold the first wanted id, jumping over the
        # blocks that hold none: a chunk of a big match set (see BulkEvaluator.scores)
        # visits its own blocks only.
        lo, n, end = 0, len(wanted), len(maxids)
        i = bisect.bisect_left(maxids, wanted[0])
        while i < end:
            hi = bisect.bisect_right(wanted, maxids[i], lo)
            yield i, lo, hi
            if hi >= n:
                return
            lo = hi
            i = bisect.bisect_left(maxids, wanted[lo], i + 1)

    def most_weights(self, docs: list[int]) -> tuple[list[int], list[float]]:
        """Those of ``docs`` (sorted global ids) that may hold the term, and for each the
        highest weight of the block it would be in (its own weight when the postings are
        inline): from the headers only, no block's data read."""
        if not self.walked:
            self._walk(decode=False)
        if self.inline is not None:
            ids, weights, _ = self.inline
            found = [(dn, w) for dn, w in zip(ids, weights, strict=True)
                     if (k := bisect.bisect_left(docs, dn)) < len(docs) and docs[k] == dn]
            return [dn for dn, _ in found], [w for _, w in found]
        maxids = self.maxids
        if not maxids:
            return [], []
        # this segment's documents: from its offset to its last posting
        mine = docs[bisect.bisect_left(docs, self.offset):bisect.bisect_right(docs, maxids[-1])]
        blocks = map(functools.partial(bisect.bisect_left, maxids), mine)  # in C, per document
        return mine, list(map(self.maxweights.__getitem__, blocks))

    def ids(self, wanted: list[int] | None, wanted_set: set[int] | None) -> set[int]:
        out: set[int] = set()
        for i in self.wanted_blocks(wanted):
            ids = self._block(i)[0]
            out.update(ids if wanted_set is None else wanted_set.intersection(ids))
        return out

    def weights(self, wanted: list[int], wanted_set: set[int]) -> Iterator[tuple[Any, Any]]:
        """``(ids, weights)`` of the wanted documents, a block at a time."""
        for i, lo, hi in self.spans(wanted):
            ids, weights = self._block(i)
            if hi - lo == len(ids) and wanted_set.issuperset(ids):
                yield ids, weights
            else:
                keep = _places(ids, wanted, lo, hi, wanted_set)
                if keep:
                    yield [ids[k] for k in keep], [weights[k] for k in keep]

    def positions(self, wanted: list[int], wanted_set: set[int]) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for i, lo, hi in self.spans(wanted):
            ids = self._block(i)[0]
            keep = _places(ids, wanted, lo, hi, wanted_set)
            if keep:
                values = self._values(i)
                for k in keep:
                    out[ids[k]] = decode_positions(values[k])
        return out


def _places(ids: tuple[int, ...], wanted: list[int], lo: int, hi: int, wanted_set: set[int]) -> list[int]:
    """Where in a block's ``ids`` (sorted) the documents ``wanted[lo:hi]`` stand, those
    it holds. A block holds about 128 documents and a big match set's chunk wants one or
    two of them: each is looked up (a bisection); many are checked in one pass instead."""
    if (hi - lo) * 8 >= len(ids):
        return [k for k, dn in enumerate(ids) if dn in wanted_set]
    out = []
    for dn in wanted[lo:hi]:
        k = bisect.bisect_left(ids, dn)
        if k < len(ids) and ids[k] == dn:
            out.append(k)
    return out


#: How far above a computed score its bound is put: rounding differs by a last bit at most.
_ROOM = 1 + 1e-9

#: Whoosh stores a field's length in one byte per document; this decodes every byte.
BYTE_LENGTHS = tuple(byte_to_length(b) for b in range(256))


def length_of(raw: bytes, count: int, docnum: int) -> int | None:
    """Whoosh's ``doc_field_length`` for one document of a segment (``None`` for 0, as
    the codec returns it)."""
    b = raw[docnum] if docnum < count else 0
    return BYTE_LENGTHS[b] if b else None


def decode_positions(value: bytes) -> list[int]:
    """Whoosh's ``Positions.decode_positions``: pickled deltas after the count."""
    raw = value[_INT_SIZE:]
    deltas = loads(raw if raw.endswith(b".") else raw + b".")
    # (a loop: a posting holds a word's few places, and for 1-3 of them itertools.accumulate
    # was slower, 0.59 against 0.42 us for one)
    out, pos = [], 0
    for d in deltas:
        pos += d
        out.append(pos)
    return out


class TermPostings:
    """One term over every segment, with its scorers (one per segment, as Whoosh makes
    them). Scores and positions are kept once read: the boosters ask again for the same
    terms' scores and positions on fewer documents."""

    df: int  # documents holding the term, over every segment

    def __init__(self, ev: Evaluator, fieldname: str, text: str) -> None:
        self.fieldname = fieldname
        self.segments: list[tuple[SegmentPostings, Any, int, Any]] = []  # (postings, leaf, offset, term bytes)
        field = ev.searcher.schema[fieldname]
        btext = field.to_bytes(text)
        self.df = 0
        for i, (leaf, offset) in enumerate(ev.leaves):
            r = leaf.reader()
            # the term's entry read once per segment, for its postings and its count (asked
            # as Whoosh's reader asks them, the terms table was looked up three times)
            terms = getattr(r, "_terms", None)
            if terms is None:  # (an empty index's reader holds no terms)
                continue
            if r.is_closed:  # (as Whoosh's reader says it)
                raise ReaderClosed
            try:
                info = terms.term_info(fieldname, btext)
            except TermNotFound:
                continue
            self.df += info.doc_frequency()
            m = terms._codec.postings_reader(terms._postfile, info, field.format, term=(fieldname, btext))
            self.segments.append((SegmentPostings(m, offset), i, offset, btext))
        self._ev = ev
        self._scorers: list[tuple[Any, Any]] | None = None  # (scorer, field length) per segment
        self._docs: set[int] | None = None
        self._scored: set[int] = set()  # the documents whose scores are in _scores
        self._scores: dict[int, float] = {}
        self._placed: set[int] = set()  # likewise for positions
        self._positions: dict[int, list[int]] = {}

    def docs(self, wanted: list[int] | None, wanted_set: set[int] | None, ev: Evaluator) -> set[int]:
        if wanted is None and self._docs is not None:
            return self._docs
        out: set[int] = set()
        for seg, _, _, _ in self.segments:
            out |= seg.ids(wanted, wanted_set)
        if ev.deleted:
            out -= ev.deleted
        if wanted is None:
            self._docs = out
        return out

    def scores(self, docs: list[int], docs_set: set[int]) -> dict[int, float]:
        if self.df * 2 <= len(docs):
            # A term held by fewer documents than asked about is scored for its own: each
            # pass over the asked ones (sets, a sort, a lookup per document) cost a rare
            # term about 1 ms per 1,000, and a partial-match query asks a dozen terms about
            # thousands of documents, most of which hold few of them.
            mine = self.docs(None, None, self._ev) & docs_set
            return self._scored_for(sorted(mine), mine) if mine else {}
        return self._scored_for(docs, docs_set)

    def _scored_for(self, docs: list[int], docs_set: set[int]) -> dict[int, float]:
        cached = self._scores
        if not docs_set <= self._scored:
            new = sorted(docs_set - self._scored)
            new_set = set(new)
            for (seg, _, offset, _), (scorer, dfl) in zip(self.segments, self.scorers(), strict=True):
                # A term's score depends only on (weight, field length), and few pairs
                # recur over thousands of documents: each is computed once.
                score = scorer._score
                same: dict[tuple[float, Any], float] = {}
                lengths = dfl.args[0] if isinstance(dfl, functools.partial) and dfl.func is length_of else None
                for ids, weights in seg.weights(new, new_set):
                    self._ev._in_time()  # an optional part (a common word that only ranks) stops here
                    local = ids if not offset else list(map((-offset).__add__, ids))
                    if lengths is not None and local[-1] < len(lengths):
                        # one length byte per document: the pairs are made in C
                        keys = list(zip(weights, map(lengths.__getitem__, local), strict=True))
                        for key in set(keys).difference(same):
                            same[key] = score(key[0], BYTE_LENGTHS[key[1]] if key[1] else None)
                    else:
                        keys = list(zip(weights, map(dfl, local), strict=True))
                        for key in set(keys).difference(same):
                            same[key] = score(*key)
                    for dn, key in zip(ids, keys, strict=True):  # (a loop: faster than map with a bound method)
                        cached[dn] = same[key]
            self._scored |= new_set
        if docs_set == self._scored:  # every document scored so far was asked for (read only)
            return cached
        if len(cached) < len(docs):  # (the fewer looked up: a common term's chunks ask about thousands)
            return {dn: sc for dn, sc in cached.items() if dn in docs_set}
        return {dn: cached[dn] for dn in docs if dn in cached}

    def scorers(self) -> list[tuple[Any, Any]]:
        """``(scorer, field length)`` per segment, made when first needed (a prefix's
        terms are not scored)."""
        if self._scorers is None:
            ev = self._ev
            self._scorers = []
            for _, i, _, btext in self.segments:
                scorer = ev.searcher.weighting.scorer(ev.leaves[i][0], self.fieldname, btext)
                self._scorers.append((scorer, ev.field_length(i, self.fieldname, scorer)))
        return self._scorers

    def most(self) -> float:
        """The most this term can score in any document: its highest weight (from the
        block headers) at the shortest field length there is (a score grows with the
        weight and falls with the length); ``inf`` when a segment's lengths are not one
        byte per document."""
        out = 0.0
        for (seg, _, _, _), (scorer, dfl) in zip(self.segments, self.scorers(), strict=True):
            if not seg.walked:
                seg._walk(decode=False)
            if not seg.maxweights:
                continue
            if not (isinstance(dfl, functools.partial) and dfl.func is length_of):
                return math.inf
            out = max(out, scorer._score(max(seg.maxweights), BYTE_LENGTHS[1]) * _ROOM)
        return out

    def bounds(self, docs: list[int]) -> dict[int, float]:
        """The most each of ``docs`` (sorted) can score for this term, from the block
        headers: the score of its block's highest weight at the document's own length (a
        score grows with the weight). Those that cannot hold the term are left out. No
        block's data is read: what ranking a common optional word costs for thousands of
        matches, when only the best few need it exactly."""
        out: dict[int, float] = {}
        for (seg, _, offset, _), (scorer, dfl) in zip(self.segments, self.scorers(), strict=True):
            mine, weights = seg.most_weights(docs)
            if not mine:
                continue
            local = mine if not offset else list(map((-offset).__add__, mine))
            # each (weight, length) pair scored once; a bound, not a score: a last-bit
            # rounding must not put it under the score it bounds. A document between the
            # term's holders need not hold it, nor any word in the field (a title of emoji
            # alone): its length 0 (the codec's None) bounds it at the most a length can give.
            lengths = dfl.args[0] if isinstance(dfl, functools.partial) and dfl.func is length_of else None
            if lengths is not None and local[-1] < len(lengths):  # one length byte per document, read in C
                keys = list(zip(weights, map(lengths.__getitem__, local), strict=True))
                same = {key: scorer._score(key[0], BYTE_LENGTHS[key[1]]) * _ROOM for key in set(keys)}
            else:
                keys = list(zip(weights, map(dfl, local), strict=True))
                same = {key: scorer._score(key[0], key[1] or 0) * _ROOM for key in set(keys)}
            for dn, key in zip(mine, keys, strict=True):
                out[dn] = same[key]
        return out

    def positions(self, docs: list[int], docs_set: set[int]) -> dict[int, list[int]]:
        cached = self._positions
        if not docs_set <= self._placed:
            new = sorted(docs_set - self._placed)
            new_set = set(new)
            for seg, _, _, _ in self.segments:
                cached.update(seg.positions(new, new_set))
            self._placed |= new_set
        return {dn: cached[dn] for dn in docs if dn in cached}

