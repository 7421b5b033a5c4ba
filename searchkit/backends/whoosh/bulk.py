"""A faster segment writer for Whoosh: the same files, far less Python per posting.

Whoosh's own ``SegmentWriter`` pickles every posting into a sorting pool, sorts them all
at commit, reads each posting's field length back from a column file and writes each
term through several layers of objects: about three quarters of a plain Whoosh build is
that commit. :class:`BulkWriter` writes the same index format (``tests/test_bulk.py``
checks that a one-run segment is byte for byte Whoosh's) but:

- groups postings by term in memory as documents arrive (one flat list per term);
- when the buffer passes ``limitmb``, encodes the buffered terms into finished
  posting blocks and writes them to sorted run files (one per field), so memory stays
  bounded on any corpus; the commit then only concatenates each term's blocks from
  the runs. A term split across runs has a short block at each seam: Whoosh's reader
  takes each block's size from the block's own header;
- at commit, writes the biggest field in a forked child process while the parent
  writes the others (two cores, one segment);
- packs only small segments into a compound file: Whoosh reads a compound file's
  parts into memory copies, which for a big segment costs its whole size in RAM;
- knows each document's field lengths instead of reading them back;
- pickles block data with the highest protocol (Whoosh reads any; its protocol 2
  spells every ``bytes`` value as a ``codecs.encode`` call, ten times slower to write and
  to read back) and leaves small blocks uncompressed, where zlib's set-up costs more
  than it saves (the compression level is in each block's header);

Deletions, merges of existing segments (``add_reader``) and the commit protocol are
Whoosh's own.
"""

from __future__ import annotations

import heapq
import marshal
import os
import shutil
import signal
import tempfile
import threading
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from hashlib import md5
from itertools import groupby
from operator import itemgetter, sub
from pathlib import Path
from pickle import HIGHEST_PROTOCOL, dumps
from struct import Struct
from typing import Any

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec
from whoosh.filedb.filetables import _lengths as _HASH_LENGTHS
from whoosh.system import pack_int, pack_long, pack_ushort, unpack_long
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

from ...store.locking import die_with_parent
from . import vocabulary
from .merging import mark_step

__all__ = ["BlockCoder", "BulkWriter", "PostingBuffer", "TermRecord"]

#: Postings per block, as Whoosh's default codec.
BLOCK_LIMIT = 128
#: zlib level for blocks worth compressing. Whoosh's default is 3; level 1 makes the
#: postings file 1 % bigger and the commit 5 % faster (the level is in each block's header).
COMPRESSION = 1
#: Pickled blocks shorter than this are stored raw.
COMPRESS_MIN = 200
#: Segments up to this size are packed into one compound file (every reader of a
#: compound file holds a copy of it in memory).
COMPOUND_MAX = 4 * 1024 * 1024
# Rough memory per buffered posting and per term (list slots, value bytes, dict entry):
# only used to decide when to spill. A posting copied from a merged segment costs
# more than a new one (its weight and value are objects of their own: 143 bytes
# measured against about 60).
_POSTING_BYTES = 64
_COPIED_POSTING_BYTES = 144
_TERM_BYTES = 160

_TERMINFO = Struct("!BfIBBfII")
_INT = Struct("!i")
_HEADER = WHOOSH3_HEADER_MAGIC

#: One term's postings from one run, encoded:
#: ``(term, head, last, df, weight, maxweight, minlen, maxlen, minid, maxid)``.
#: ``head`` holds the complete Whoosh 3 blocks but the last, each prefixed with its
#: length; ``last`` is the last block without its prefix, whose sign says whether it
#: ends the posting list.
TermRecord = tuple[bytes, bytes, bytes, int, float, float, int, int, int, int]
#: Records per chunk of a run file.
_RUN_CHUNK = 2048


class BlockCoder:
    """Encodes a term's postings into Whoosh 3 posting blocks.

    ``lengths[field][docnum]`` is a document's field length already coded as Whoosh's
    length byte (0 if none; the coding is monotonic, so block minima and maxima carry
    over); ``fixed[field]`` the field format's fixed value size.
    """

    def __init__(self, lengths: dict[str, array[int]], fixed: dict[str, int | None], *,
                 protocol: int = HIGHEST_PROTOCOL, blocklimit: int = BLOCK_LIMIT,
                 compression: int = COMPRESSION, compress_min: int = COMPRESS_MIN) -> None:
        self.lengths = lengths
        self.fixed = fixed
        self.protocol = protocol
        self.blocklimit = blocklimit
        self.compression = compression
        self.compress_min = compress_min

    def encode(self, fieldname: str, tbytes: bytes, plist: list[Any]) -> TermRecord:
        """``plist`` is the flat ``[docnum, weight, value, ...]`` list in docnum order."""
        if len(plist) == 3:
            return self._encode_one(fieldname, tbytes, plist)
        ids = plist[0::3]
        weights = plist[1::3]
        values = plist[2::3]
        lengths = self.lengths.get(fieldname, _NO_LENGTHS)
        fixedsize = self.fixed[fieldname]
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
            vmini = _values(fixedsize, bv)
            blens = [lengths[d] if d < len(lengths) else 0 for d in bids]
            maxlen = max(blens)
            minlen = min(blens)
            if not minlen and maxlen:  # Whoosh skips documents without a length
                minlen = min(x for x in blens if x)
            maxweight = max(0, *bwl)
            deltas = (bids[0], *map(sub, bids[1:], bids[:-1])) if len(bids) > 1 else (bids[0],)
            data = dumps((deltas, wmini, vmini), self.protocol)
            comp = self.compression if self.compression and len(data) >= self.compress_min else 0
            if comp:
                data = zlib.compress(data, comp)
            info = dumps((end - start, bids[-1], maxweight, comp, minlen, maxlen), 2)
            out += (_INT.pack(len(info) + len(data)), info, data)
            total_weight += sum(bw)
            if maxweight > maxweight_all:
                maxweight_all = maxweight
            if minlen and (not minlen_all or minlen < minlen_all):
                minlen_all = minlen
            if maxlen > maxlen_all:
                maxlen_all = maxlen
        head = b"".join(out[:-3]) if len(out) > 3 else b""
        return (tbytes, head, out[-2] + out[-1], n, total_weight, maxweight_all, minlen_all, maxlen_all,
                ids[0], ids[-1])

    def _encode_one(self, fieldname: str, tbytes: bytes, plist: list[Any]) -> TermRecord:
        # Most terms of a buffer occur in one document: the same bytes, fewer steps.
        docnum, weight, value = plist
        lengths = self.lengths.get(fieldname, _NO_LENGTHS)
        lb = lengths[docnum] if docnum < len(lengths) else 0
        w32 = _FLOAT32.get(weight)
        if w32 is None:
            w32 = array("f", (weight,))[0]
        fixedsize = self.fixed[fieldname]
        if fixedsize is None or fixedsize < 0:
            vmini: Any = (value,)
        elif fixedsize == 0:
            vmini = None
        else:
            vmini = value
        data = dumps(((docnum,), None if w32 == 1.0 else w32, vmini), self.protocol)
        comp = self.compression if self.compression and len(data) >= self.compress_min else 0
        if comp:
            data = zlib.compress(data, comp)
        maxweight = weight if weight > 0 else 0
        info = dumps((1, docnum, maxweight, comp, lb, lb), 2)
        return (tbytes, b"", info + data, 1, 0.0 + w32, maxweight, lb, lb, docnum, docnum)


    def finished(self, fieldname: str, terms: dict[bytes, list[Any]]) -> Iterator[tuple[bytes, bytes, bytes]]:
        """``(term, posting bytes, term info without its place)`` of every term of a field
        that never spilled a run, in term order: :meth:`encode` and :func:`join_records`
        in one step. A term in one document with a fixed-size value (the forms' counts)
        is encoded once per ``(document, weight, value)``: in a document, most such
        terms share all three."""
        fixedsize = self.fixed[fieldname]
        shared: dict[tuple[int, float, bytes], tuple[bytes, bytes]] | None = (
            {} if fixedsize is not None and fixedsize >= 0 else None)
        one = self._encode_one
        encode = self.encode
        block = self._one_block
        limit = 3 * self.blocklimit
        for tbytes in sorted(terms):
            plist = terms[tbytes]
            n = len(plist)
            if n == 3:
                if shared is not None:
                    key = (plist[0], plist[1], plist[2])
                    hit = shared.get(key)
                    if hit is None:
                        hit = shared[key] = join_records((one(fieldname, tbytes, plist),))
                    yield tbytes, hit[0], hit[1]
                    continue
                postings, info = join_records((one(fieldname, tbytes, plist),))
            elif n <= limit:
                postings, info = block(fieldname, plist)
            else:
                postings, info = join_records((encode(fieldname, tbytes, plist),))
            yield tbytes, postings, info

    def _one_block(self, fieldname: str, plist: list[Any]) -> tuple[bytes, bytes]:
        """What ``join_records((encode(...),))`` gives a term of 2 to ``blocklimit`` postings
        (one block: most terms), in fewer steps."""
        ids = plist[0::3]
        bwl = plist[1::3]
        bv = plist[2::3]
        n = len(ids)
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
        vmini = _values(self.fixed[fieldname], bv)
        lengths = self.lengths.get(fieldname, _NO_LENGTHS)
        if ids[-1] < len(lengths):
            blens: Any = itemgetter(*ids)(lengths)
        else:
            blens = [lengths[d] if d < len(lengths) else 0 for d in ids]
        maxlen = max(blens)
        minlen = min(blens)
        if not minlen and maxlen:  # Whoosh skips documents without a length
            minlen = min(x for x in blens if x)
        data = dumps(((ids[0], *map(sub, ids[1:], ids[:-1])), wmini, vmini), self.protocol)
        comp = self.compression if self.compression and len(data) >= self.compress_min else 0
        if comp:
            data = zlib.compress(data, comp)
        body = dumps((n, ids[-1], maxweight, comp, minlen, maxlen), 2) + data
        return (b"".join((_HEADER, _INT.pack(-len(body)), body)),
                _TERMINFO.pack(False, total_weight, n, minlen, maxlen, maxweight if maxweight > 0 else 0,
                               ids[0], ids[-1]))


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
        postings = b"".join((_HEADER, last[1], _INT.pack(-len(last[2])), last[2]))
        df, weight, maxweight, minlen, maxlen = last[3:8]
    else:
        out = [_HEADER]
        for p in parts[:-1]:
            out += (p[1], _INT.pack(len(p[2])), p[2])
        out += (last[1], _INT.pack(-len(last[2])), last[2])
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


class PostingBuffer:
    """Postings grouped by ``(field, term)``; each term holds a flat list
    ``[docnum, weight, value, docnum, weight, value, ...]`` in docnum order.

    :meth:`spill` encodes the buffer into a sorted run file of :data:`TermRecord`;
    :meth:`records` merges the runs with what is still buffered. Later runs hold later
    docnums, so a term's records are concatenated in run order.
    """

    def __init__(self, tempdir: str, limit: int, coder: BlockCoder) -> None:
        self.tempdir = tempdir
        self.limit = limit
        self.coder = coder
        self.fields: dict[str, dict[bytes, list[Any]]] = {}
        self.size = 0
        self.runs: dict[str, list[str]] = {}

    # -- adding ---------------------------------------------------------------------------
    def add_terms(self, fieldname: str, docnum: int, items: Iterable[tuple[bytes, int, float, bytes]]) -> int:
        """Add one document's postings for one field; returns the sum of frequencies."""
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = {}
        length = added = new = 0
        for tbytes, freq, weight, vbytes in items:
            plist = terms.get(tbytes)
            if plist is None:
                terms[tbytes] = [docnum, weight, vbytes]
                new += 1
            else:
                plist += (docnum, weight, vbytes)
            added += 1
            length += freq
        self.size += added * _POSTING_BYTES + new * _TERM_BYTES
        return length

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        """One posting ``(field, term, docnum, weight, value)``: Whoosh's pool interface,
        used when existing segments are merged in (their lengths are already known)."""
        fieldname, tbytes, docnum, weight, vbytes = item
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = {}
        plist = terms.get(tbytes)
        if plist is None:
            terms[tbytes] = [docnum, weight, vbytes or b""]
            self.size += _TERM_BYTES
        else:
            plist += (docnum, weight, vbytes or b"")
        self.size += _COPIED_POSTING_BYTES
        if self.size > self.limit:
            self.spill()

    @property
    def full(self) -> bool:
        return self.size > self.limit

    # -- runs -----------------------------------------------------------------------------
    def fieldnames(self) -> list[str]:
        """Every field with postings, buffered or spilled, in name order."""
        return sorted(set(self.fields) | set(self.runs))

    def _encoded(self, fieldname: str) -> Iterator[TermRecord]:
        terms = self.fields.get(fieldname, {})
        encode = self.coder.encode
        for tbytes in sorted(terms):
            yield encode(fieldname, tbytes, terms[tbytes])

    def spill(self) -> None:
        """Encode the buffer as sorted runs (one file per field) and empty it."""
        for fieldname in sorted(self.fields):
            fd, path = tempfile.mkstemp(suffix=".run", dir=self.tempdir)
            self.runs.setdefault(fieldname, []).append(path)
            with os.fdopen(fd, "wb", buffering=1 << 20) as f:
                chunk = []
                for record in self._encoded(fieldname):
                    chunk.append(record)
                    if len(chunk) >= _RUN_CHUNK:
                        _write_chunk(f, chunk)
                        chunk = []
                _write_chunk(f, chunk)
        self.fields = {}
        self.size = 0

    @staticmethod
    def _read_run(path: str) -> Iterator[TermRecord]:
        with open(path, "rb", buffering=1 << 20) as f:
            while True:
                head = f.read(4)
                if not head:
                    return
                yield from marshal.loads(f.read(_INT.unpack(head)[0]))

    def records(self, fieldname: str) -> Iterator[list[TermRecord]]:
        """Each term's records in ``fieldname``, in term order."""
        runs = self.runs.get(fieldname)
        if not runs:
            for rec in self._encoded(fieldname):
                yield [rec]
            return
        sources = [self._read_run(p) for p in runs]
        sources.append(self._encoded(fieldname))
        key = itemgetter(0)
        # heapq.merge is stable: on equal keys the earlier run comes first.
        for _, group in groupby(heapq.merge(*sources, key=key), key=key):
            yield list(group)

    def finished(self, fieldname: str) -> Iterator[tuple[bytes, bytes, bytes]]:
        """``(term, posting bytes, term info without its place)`` of each term in
        ``fieldname``, in term order."""
        if not self.runs.get(fieldname):
            yield from self.coder.finished(fieldname, self.fields.get(fieldname, {}))
            return
        for parts in self.records(fieldname):
            postings, info = join_records(parts)
            yield parts[0][0], postings, info

    def cleanup(self) -> None:
        for path in (p for paths in self.runs.values() for p in paths):
            try:
                os.remove(path)
            except FileNotFoundError:
                pass
        self.runs = {}
        self.fields = {}


def _write_chunk(f: Any, records: list[TermRecord]) -> None:
    # Length-prefixed, read back with marshal.loads: marshal.load on a file makes a
    # Python-level read call per object.
    data = marshal.dumps(records)
    f.write(_INT.pack(len(data)))
    f.write(data)


class _TermTable:
    """Adds keys to Whoosh's ``OrderedHashWriter`` for the terms file, minus its
    per-key method calls and assertions (keys come sorted)."""

    def __init__(self, hashwriter: Any) -> None:
        self.dbfile = hashwriter.dbfile
        self.buckets = hashwriter.buckets
        self.index = hashwriter.index
        self.pos = self.dbfile.tell()
        self._out: list[bytes] = []

    def add(self, key: bytes, value: bytes) -> None:
        pos = self.pos
        self.index.append(pos)
        record = _HASH_LENGTHS.pack(len(key), len(value)) + key + value
        self._out.append(record)
        self.pos = pos + len(record)
        h = int(md5(key, usedforsecurity=False).hexdigest(), 16) & 0xFFFFFFFF
        self.buckets[h & 255].append((h, pos))
        if len(self._out) >= 4096:
            self.flush()

    def flush(self) -> None:
        if self._out:
            self.dbfile.write(b"".join(self._out))
            self._out = []


class BulkWriter(SegmentWriter):
    """A Whoosh ``SegmentWriter`` whose postings go through a :class:`PostingBuffer`.

    With ``parallel`` the commit writes the largest field's postings in a forked child
    process while this one writes the other fields (see :func:`_fork_ok`).
    """

    #: Whoosh's own pool until ``__init__`` cleans it up and puts a buffer in its place
    pool: PostingBuffer

    def __init__(self, ix: Any, *, limitmb: int = 128, parallel: bool = False, compress_min: int = COMPRESS_MIN,
                 compression: int = COMPRESSION, protocol: int = HIGHEST_PROTOCOL, word_fields: Sequence[str] = (),
                 **kwargs: Any) -> None:
        super().__init__(ix, limitmb=limitmb, codec=W3Codec(), **kwargs)
        self.pool.cleanup()
        self._rundir = tempfile.mkdtemp(prefix=".runs-", dir=self.storage.folder)
        # Field length bytes per docnum, recorded as the per-document writer gets them
        # (documents added here and documents copied from merged segments alike).
        self._lengths: dict[str, array[int]] = {}
        self._length_bytes: dict[int, int] = {}
        fixed = {name: field.format.fixed_value_size() for name, field in self.schema.items() if field.format}
        coder = BlockCoder(self._lengths, fixed, protocol=protocol, compression=compression,
                           compress_min=compress_min)
        self.pool = PostingBuffer(self._rundir, limitmb * 1024 * 1024, coder)
        self.parallel = parallel
        # The fields whose words the segment's word list for corrections holds (see
        # .vocabulary): saved from the terms as they are written, not read back.
        self.word_fields = tuple(word_fields)
        self._words: list[str] = []
        pdw_add_field = self.perdocwriter.add_field

        def add_field(fieldname: str, fieldobj: Any, value: Any, length: int) -> None:
            if length:
                self._record_length(fieldname, self.docnum, length)
            pdw_add_field(fieldname, fieldobj, value, length)

        self.perdocwriter.add_field = add_field

    def _record_length(self, fieldname: str, docnum: int, length: int) -> None:
        b = self._length_bytes.get(length)
        if b is None:
            b = self._length_bytes[length] = length_to_byte(length)
        arr = self._lengths.get(fieldname)
        if arr is None:
            arr = self._lengths[fieldname] = array("B")
        if len(arr) <= docnum:
            arr.extend(bytes(docnum + 1 - len(arr)))
        arr[docnum] = b

    def add_document(self, **fields: Any) -> None:
        self._check_state()
        pdw = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        pool = self.pool
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        pdw.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields[fieldname]
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    length = pool.add_terms(fieldname, docnum, field.index(value))
                    if not field.scorable:
                        length = 0
                stored = fields.get("_stored_" + fieldname, value)
                pdw.add_field(fieldname, field, stored if field.stored else None, length)
                column = field.column_type
                if column and stored is not None:
                    pdw.add_column_value(fieldname, column, field.to_column_value(stored))
        except Exception:
            pdw.cancel_doc()
            raise
        pdw.finish_doc()
        self._added = True
        self.docnum += 1
        if pool.full:  # between documents: their lengths are all recorded
            pool.spill()

    # -- commit ---------------------------------------------------------------------------
    def commit(self, mergetype: Any = None, optimize: bool | None = None, merge: bool | None = None, *,
               adopt: Callable[[], Sequence[Any]] | None = None, merges: bool | None = None) -> None:
        """Whoosh's commit, plus the segments ``adopt`` returns: finished segments of
        the same index written by other processes (see :meth:`finish_part`), listed after
        this writer's own. The segments this commit writes are marked as one step (see
        :mod:`.merging`).

        ``adopt`` is called as late as it can be: after this writer's segment is written
        when there is nothing to merge (the other process writes meanwhile), before the
        merge otherwise, so that it may delete documents from the existing segments
        before they are copied. ``merges`` says whether the merge policy will merge
        anything (``None``: assume it will when there are segments).
        """
        if adopt is None:
            super().commit(mergetype, optimize, merge)
            return
        self._check_state()
        early = bool(self.segments) if merges is None else merges
        # (a merge policy may hand back this very list)
        adopted: Sequence[Any] = adopt() if early else ()
        final = list(self._merge_segments(mergetype, optimize, merge))
        own = None
        if self._added:
            own = self._finalize_segment()
            final.append(own)
        else:
            self._close_segment()
        if not early:
            adopted = adopt()
        new = [own, *adopted]
        mark_step(new)
        self._commit_toc([*final, *(seg for seg in adopted if seg is not None)])
        self._finish()

    def finish_part(self) -> Any:
        """Write this writer's segment and return it, without a table of contents: the
        writer of another process adopts it (``commit(adopt=...)``). For writers opened
        with ``_lk=False``; the shared temporary folder is the adopting writer's to remove."""
        self._check_state()
        segment = self._finalize_segment() if self._added else None
        if segment is None:
            self._close_segment()
        self.is_closed = True
        return segment

    def cancel_part(self) -> None:
        """Give up a writer of :meth:`finish_part`: its files go, the shared temporary
        folder stays."""
        if self.is_closed:
            return
        try:
            self._close_segment()
        finally:
            self.pool.cleanup()
            shutil.rmtree(self._rundir, ignore_errors=True)
            self._release()
            self.is_closed = True

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        fw = self.fieldwriter
        fieldnames = self.pool.fieldnames()
        for name in fieldnames:  # field ids in name order, as Whoosh's pool gives them
            fw._fieldmap.setdefault(name, len(fw._fieldmap))
        postfile = fw._postfile
        entries: dict[str, list[tuple[bytes, bytes]]] = {}
        helper = self._helper_field(fieldnames) if self.parallel and _fork_ok() else None
        if helper is None:
            for name in fieldnames:
                entries[name] = self._write_field(name, postfile)
        else:
            entries = self._write_parallel(fieldnames, helper, postfile)
        self._words = vocabulary.from_terms([t for t, _ in entries[n]] for n in self.word_fields if n in entries)
        table = _TermTable(fw._tindex)
        for name in fieldnames:
            prefix = pack_ushort(fw._fieldmap[name])
            for tbytes, info in entries.pop(name):
                table.add(prefix + tbytes, info)
        table.flush()
        fw.close()

    def _helper_field(self, fieldnames: list[str]) -> str | None:
        """The field worth a second process: the one with the most postings, when big."""
        sizes = {name: len(self.pool.fields.get(name, ())) + 8192 * len(self.pool.runs.get(name, ()))
                 for name in fieldnames}
        if not sizes or sum(sizes.values()) < _PARALLEL_MIN_TERMS:
            return None
        return max(sizes, key=lambda name: sizes[name])

    def _write_field(self, fieldname: str, postfile: Any) -> list[tuple[bytes, bytes]]:
        """Write one field's posting lists; returns its ``(term, term info)`` entries."""
        offset = postfile.tell()
        out: list[tuple[bytes, bytes]] = []
        chunk: list[bytes] = []
        pending = 0
        for tbytes, postings, info in self.pool.finished(fieldname):
            size = len(postings)
            chunk.append(postings)
            out.append((tbytes, info + pack_long(offset) + pack_int(size)))
            offset += size
            pending += size
            if pending > 1 << 20:
                postfile.write(b"".join(chunk))
                chunk = []
                pending = 0
        postfile.write(b"".join(chunk))
        return out

    def _write_parallel(self, fieldnames: list[str], helper: str,
                        postfile: Any) -> dict[str, list[tuple[bytes, bytes]]]:
        """Write ``helper``'s postings in a forked child while this process writes the
        rest, then append the child's postings and shift its term infos."""
        post_path = os.path.join(self._rundir, "helper.pst")
        entries_path = os.path.join(self._rundir, "helper.terms")
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the child: write, report through files, never return
            status = 1
            try:
                die_with_parent(parent)  # a killed writer's half-written segment is garbage
                with open(post_path, "wb", buffering=1 << 20) as f:
                    got = self._write_field(helper, _Tell(f))
                with open(entries_path, "wb") as f:
                    f.write(marshal.dumps(got))
                status = 0
            finally:
                os._exit(status)
        try:
            entries = {name: self._write_field(name, postfile) for name in fieldnames if name != helper}
        except BaseException:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise
        _, status = os.waitpid(pid, 0)
        if status != 0:
            raise OSError(f"the index writer's helper process failed (status {status})")
        base = postfile.tell()
        with open(post_path, "rb") as f:
            shutil.copyfileobj(f, postfile, 1 << 20)
        with open(entries_path, "rb") as f:
            got = marshal.loads(f.read())
        # A term info ends with the posting list's offset (8 bytes) and length (4 bytes).
        entries[helper] = [(t, info[:-12] + pack_long(unpack_long(info[-12:-4])[0] + base) + info[-4:])
                           for t, info in got]
        return entries

    def _close_segment(self) -> None:
        super()._close_segment()
        shutil.rmtree(self._rundir, ignore_errors=True)
        self._release()

    def _release(self) -> None:
        """Drop the posting buffer and the per-document writer's hook back to this writer.
        The hook is a reference cycle, and bulk work runs the collector's full collections
        rarely (:mod:`searchkit.store.gcmode`): without this a committed writer and its buffer
        of up to ``limitmb`` stayed in memory, one per import batch."""
        self.pool.fields = {}
        self.perdocwriter.__dict__.pop("add_field", None)

    def _assemble_segment(self) -> None:
        # Whoosh reads a compound segment's parts through BytesIO copies of the whole
        # file: fine for small segments (fewer open files), ruinous for big ones, which
        # keep their files apart (opened and read in place).
        segment = self.get_segment()
        size = sum(self.storage.file_length(name) for name in segment.list_files(self.storage))
        if self.compound and size <= COMPOUND_MAX:
            super()._assemble_segment()
        if self.word_fields:  # after packing: a compound file takes in every file of its segment
            vocabulary.save(Path(self.storage.folder), segment.segment_id(), self._words)
            self._words = []

    def cancel(self) -> None:
        try:
            super().cancel()
        finally:
            self.pool.cleanup()
            shutil.rmtree(self._rundir, ignore_errors=True)
            self._release()


#: Below this many buffered terms a commit stays in one process.
_PARALLEL_MIN_TERMS = 50_000


def _fork_ok() -> bool:
    """Forking copies only the calling thread: safe while this process runs no others."""
    return hasattr(os, "fork") and threading.active_count() == 1 and (os.cpu_count() or 1) > 1


class _Tell:
    """A plain binary file with the ``tell``/``write`` a :meth:`BulkWriter._write_field` uses."""

    def __init__(self, f: Any) -> None:
        self.f = f
        self.pos = 0

    def tell(self) -> int:
        return self.pos

    def write(self, data: bytes) -> None:
        self.f.write(data)
        self.pos += len(data)
