"""The posting buffer of a segment writer and its sorted run files.

Postings are grouped by term in memory as documents arrive (one flat list per term);
when the buffer passes its budget the buffered terms are encoded into finished posting
blocks (:mod:`.codec`) and written to a sorted run file per field, so memory stays
bounded on any corpus. The commit then only concatenates each term's blocks from the
runs: a term split across runs has a short block at each seam, and Whoosh's reader takes
each block's size from the block's own header.
"""

from __future__ import annotations

import heapq
import marshal
import os
import tempfile
from collections.abc import Iterable, Iterator
from itertools import groupby
from operator import itemgetter
from typing import Any

from .codec import INT, BlockCoder, TermRecord, join_records

__all__ = ["PostingBuffer"]

# Rough memory per buffered posting and per term (list slots, value bytes, dict entry):
# only used to decide when to spill. A posting copied from a merged segment costs
# more than a new one (its weight and value are objects of their own: 143 bytes
# measured against about 60).
_POSTING_BYTES = 64
_COPIED_POSTING_BYTES = 144
_TERM_BYTES = 160
#: Records per chunk of a run file, and the encoded bytes after which a chunk ends sooner:
#: a merge holds one decoded chunk of every run of a field, so a chunk's size bounds its
#: memory (2,048 records of common terms made chunks of megabytes: 1 GB per process over
#: the hundreds of runs of a million articles). At 32 KB a run holds about 120 KB while
#: merged: about 35 MB for the ~285 runs of a field per process at a million articles.
_RUN_CHUNK = 2048
_RUN_CHUNK_BYTES = 32 * 1024
#: A record's own cost beside its posting bytes (tuple, numbers, term), in that count.
_RECORD_BYTES = 120
_READ_BUFFER = 16 * 1024


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
                chunk: list[TermRecord] = []
                size = 0
                for record in self._encoded(fieldname):
                    chunk.append(record)
                    size += len(record[1]) + len(record[2]) + _RECORD_BYTES
                    if size >= _RUN_CHUNK_BYTES or len(chunk) >= _RUN_CHUNK:
                        _write_chunk(f, chunk)
                        chunk = []
                        size = 0
                _write_chunk(f, chunk)
        self.fields = {}
        self.size = 0

    def settle(self) -> None:
        """Before the runs are merged: a buffer that already spilled spills what it still
        holds too, so that the merge holds no buffered postings beside the runs it reads
        (the same records, read back instead of encoded on the way)."""
        if self.runs and self.fields:
            self.spill()

    @staticmethod
    def _read_run(path: str) -> Iterator[TermRecord]:
        # A small read buffer: the merge reads every run of a field at once (hundreds at a
        # million articles), and each one holds its buffer and one decoded chunk.
        with open(path, "rb", buffering=_READ_BUFFER) as f:
            while True:
                head = f.read(4)
                if not head:
                    return
                yield from marshal.loads(f.read(INT.unpack(head)[0]))

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
    f.write(INT.pack(len(data)))
    f.write(data)
