"""The posting buffer of a segment writer and its sorted run files.

Postings are grouped by term in memory as documents arrive (one flat list per term);
when the buffer passes its budget the buffered terms are encoded into finished posting
blocks (:mod:`.codec`) and written to a sorted run file per field, so memory stays
bounded on any corpus. The commit then concatenates each term's blocks from the runs.
Whoosh's reader takes each block's size from the block's own header, but a short block
costs a read as a full one does, so no run ends a term in one: a common term's postings
past its last full block stay in the buffer for the next run, and a term of fewer
postings than a block goes into the run as its flat list, joined with its lists from the
other runs and encoded at the commit (see :meth:`PostingBuffer.spill`).

A buffer whose postings go to another process's writer (a job's second part) spills
*raw* runs instead: each term's flat posting list as it stands, numbered from the
part's first document. The adopting writer knows where the part's documents start only
once its own are counted, and encodes them then (:meth:`PostingBuffer.adopt`); a block
holds its first document's number, so encoding early would mean encoding twice.
"""

from __future__ import annotations

import heapq
import marshal
import os
import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator
from itertools import groupby
from operator import itemgetter
from typing import Any, TypeGuard, cast

from .codec import BLOCK_LIMIT, INT, BlockCoder, TermRecord, join_records

__all__ = ["PostingBuffer", "RawPiece"]

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
#: What a posting of a flat list costs once read back (three objects), in that count.
_RAW_POSTING_BYTES = 100
#: A raw run's chunk ends after this many postings: a decoded raw posting is three
#: objects (about 100 bytes), so a chunk holds about as much as an encoded one while merged.
_RAW_CHUNK_POSTINGS = 1024
_READ_BUFFER = 16 * 1024
#: The most a spill keeps back, as a share of the buffer's budget: postings past a common
#: term's last full block (they would make a short block at each seam of its runs).
#: It is held beside the next run's budget: a buffer holds at most 1.25 times its budget.
_CARRY_SHARE = 0.25
#: Raw lists of one term are joined into lists of about this many items (8 blocks of
#: postings) before they are encoded: what a join holds in memory at once.
_JOIN_MAX = 3 * 8 * 128

#: One term's postings from a raw run, with the coder that encodes them (see ``records``).
RawPiece = tuple[bytes, list[Any], BlockCoder]


class PostingBuffer:
    """Postings grouped by ``(field, term)``; each term holds a flat list
    ``[docnum, weight, value, docnum, weight, value, ...]`` in docnum order.

    :meth:`spill` encodes the buffer into a sorted run file of :data:`TermRecord` (with
    ``raw``, of the flat lists); :meth:`records` merges the runs with what is still
    buffered and the raw runs :meth:`adopt` took. Later runs hold later docnums, so a
    term's records are concatenated in run order.
    """

    def __init__(self, tempdir: str, limit: int, coder: BlockCoder, *, raw: bool = False) -> None:
        self.tempdir = tempdir
        self.limit = limit
        self.coder = coder
        self.raw = raw
        self.fields: dict[str, dict[bytes, list[Any]]] = {}
        self.size = 0
        self.runs: dict[str, list[str]] = {}
        # raw runs of other buffers, by field, each with the coder that places its documents
        self.adopted: list[tuple[dict[str, list[str]], BlockCoder]] = []

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
            self.spill(carry=True)

    @property
    def full(self) -> bool:
        return self.size > self.limit

    # -- runs -----------------------------------------------------------------------------
    def fieldnames(self) -> list[str]:
        """Every field with postings, buffered, spilled or adopted, in name order."""
        return sorted(set(self.fields) | set(self.runs) | {f for runs, _ in self.adopted for f in runs})

    def adopt(self, runs: dict[str, list[str]], coder: BlockCoder) -> None:
        """Take another buffer's raw runs (by field, in their order), whose documents come
        after every document of this buffer: ``coder`` encodes them in their place. This
        buffer's coder learns their lengths too, to encode a term's short lists from both
        buffers as one (see :meth:`finished`). The run files stay their writer's to remove."""
        own = self.coder.lengths
        for fieldname, lengths in coder.lengths.items():
            mine = own.get(fieldname)
            if mine is None:
                mine = own[fieldname] = array("B")
            mine.extend(bytes(coder.base - len(mine)))  # documents without the field
            mine.extend(lengths)
        self.adopted.append((runs, coder))

    def run_count(self, fieldname: str) -> int:
        """Spilled and adopted runs of ``fieldname``."""
        return len(self.runs.get(fieldname, ())) + sum(len(runs.get(fieldname, ())) for runs, _ in self.adopted)

    def _encoded(self, fieldname: str) -> Iterator[TermRecord | tuple[bytes, list[Any]]]:
        """The run records of a field's buffered terms, in term order: a term of a block of
        postings or more encoded, a rarer one as its flat list (see :meth:`spill`)."""
        terms = self.fields.get(fieldname, {})
        encode = self.coder.encode
        block = 3 * BLOCK_LIMIT
        for tbytes in sorted(terms):
            plist = terms[tbytes]
            yield encode(fieldname, tbytes, plist) if len(plist) >= block else (tbytes, plist)

    def spill(self, *, carry: bool = False) -> None:
        """Encode the buffer as sorted runs (one file per field) and empty it (with
        ``raw``: write its flat lists as they are).

        With ``carry`` (a spill because the buffer is full, more documents to come), a
        term of more postings than a block keeps those past its last full block for the
        next run: a common term split across runs then has no short block at each seam.
        At a million articles, seams made a tenth of a common word's blocks, some of a
        few postings, each read as a full one is.

        A term of fewer postings than a block is written as its flat list, encoded when
        the runs merge: a rare word's lists from many runs are joined there into one
        (see :meth:`_joined`), where each run's block of it made a block of a few postings
        (20,000 articles: 60,461 of the 68,299 words of ``body`` had several blocks that
        one would hold)."""
        kept = self._carried() if carry else {}
        for fieldname in sorted(self.fields):
            fd, path = tempfile.mkstemp(suffix=".run", dir=self.tempdir)
            self.runs.setdefault(fieldname, []).append(path)
            with os.fdopen(fd, "wb", buffering=1 << 20) as f:
                if self.raw:
                    _write_raw(f, self.fields[fieldname])
                    continue
                chunk: list[TermRecord | tuple[bytes, list[Any]]] = []
                size = 0
                for record in self._encoded(fieldname):
                    chunk.append(record)
                    if len(record) == 2:  # a flat list: about 100 bytes a posting once read back
                        size += len(record[1]) // 3 * _RAW_POSTING_BYTES + _RECORD_BYTES
                    else:
                        size += len(record[1]) + len(record[2]) + _RECORD_BYTES
                    if size >= _RUN_CHUNK_BYTES or len(chunk) >= _RUN_CHUNK:
                        _write_chunk(f, chunk)
                        chunk = []
                        size = 0
                _write_chunk(f, chunk)
        # What is kept back is not counted against the next run's budget: counted, it
        # made the runs a quarter shorter and the rarer words' seams more (20,000
        # articles, before rare words went into runs as lists: index 171.0 MB counted,
        # 164.3 MB not, 167.4 MB keeping nothing back).
        self.fields = kept
        self.size = 0

    def _carried(self) -> dict[str, dict[bytes, list[Any]]]:
        """What a spill keeps back (see :meth:`spill`), taken out of the buffer's lists:
        the shortest tails first (each saves a short block, and the shortest waste the
        most), up to :data:`_CARRY_SHARE` of the budget."""
        block = 3 * BLOCK_LIMIT  # items of a flat list in a full block
        tails = sorted((len(plist) % block, fieldname, tbytes) for fieldname, terms in self.fields.items()
                       for tbytes, plist in terms.items() if len(plist) > block and len(plist) % block)
        room = _CARRY_SHARE * self.limit / _POSTING_BYTES * 3  # items of flat lists
        kept: dict[str, dict[bytes, list[Any]]] = {}
        for n, fieldname, tbytes in tails:
            room -= n
            if room < 0:
                break
            plist = self.fields[fieldname][tbytes]
            kept.setdefault(fieldname, {})[tbytes] = plist[-n:]
            del plist[-n:]
        return kept

    def settle(self) -> None:
        """Before the runs are merged: a buffer that already spilled spills what it still
        holds too, so that the merge holds no buffered postings beside the runs it reads
        (the same records, read back instead of encoded on the way)."""
        if self.runs and self.fields:
            self.spill()

    def records(self, fieldname: str) -> Iterator[list[TermRecord | RawPiece]]:
        """Each term's pieces in ``fieldname``, in term order and, within a term, in
        document order: the encoded records of this buffer's runs, then what it still
        holds and the adopted raw runs' lists, as :data:`RawPiece` (not yet encoded)."""
        sources: list[Iterator[Any]] = [_read_run(p, self.coder) for p in self.runs.get(fieldname, ())]
        terms = self.fields.get(fieldname, {})
        coder = self.coder
        sources.append((t, terms[t], coder) for t in sorted(terms))
        for runs, placed in self.adopted:
            sources += [_read_raw(p, placed) for p in runs.get(fieldname, ())]
        key = itemgetter(0)
        # heapq.merge is stable: on equal keys the earlier source comes first.
        for _, group in groupby(heapq.merge(*sources, key=key), key=key):
            yield list(group)

    def finished(self, fieldname: str) -> Iterator[tuple[bytes, bytes, bytes]]:
        """``(term, posting bytes, term info without its place)`` of each term in
        ``fieldname``, in term order."""
        if not self.runs.get(fieldname) and not any(fieldname in runs for runs, _ in self.adopted):
            yield from self.coder.finished(fieldname, self.fields.get(fieldname, {}))
            return
        finishers: dict[int, Callable[[bytes, list[Any]], tuple[bytes, bytes]]] = {}
        for parts in self.records(fieldname):
            if len(parts) > 1:
                parts = self._joined(parts)
            first = parts[0]
            if len(parts) == 1 and _is_raw(first):  # one whole list: the coder's shortcuts apply
                tbytes, plist, coder = first
                finish = finishers.get(id(coder))
                if finish is None:
                    finish = finishers[id(coder)] = coder.finisher(fieldname)
                postings, info = finish(tbytes, plist)
            else:
                postings, info = join_records([_record(fieldname, p) for p in parts])
            yield first[0], postings, info

    def _joined(self, parts: list[TermRecord | RawPiece]) -> list[TermRecord | RawPiece]:
        """A term's pieces with each run of raw ones (flat lists) joined into lists of at
        most about :data:`_JOIN_MAX` items, numbered as this buffer's coder numbers
        documents. A list that reaches that size is cut after its last full block and the
        rest starts the next one: a short block only before an encoded piece and at the
        end, where each run's piece of a rare word made one."""
        out: list[TermRecord | RawPiece] = []
        pending: list[RawPiece] = []
        size = 0
        block = 3 * BLOCK_LIMIT

        def flush(*, cut: bool = False) -> None:
            nonlocal size
            size = 0
            if len(pending) == 1 and not cut:
                out.append(pending[0])
            elif pending:
                plist: list[Any] = []
                for _, piece, coder in pending:
                    if coder.base:
                        piece = piece.copy()
                        piece[0::3] = [d + coder.base for d in piece[0::3]]
                    plist += piece
                term = pending[0][0]
                pending.clear()
                full = len(plist) - len(plist) % block
                if cut and 0 < full < len(plist):  # the rest joins what follows
                    out.append((term, plist[:full], self.coder))
                    pending.append((term, plist[full:], self.coder))
                    size = len(plist) - full
                    return
                out.append((term, plist, self.coder))
            pending.clear()

        for p in parts:
            if not _is_raw(p):
                flush()
                out.append(p)
                continue
            if size + len(p[1]) > _JOIN_MAX:
                flush(cut=True)
            pending.append(p)
            size += len(p[1])
        flush()
        return out

    def cleanup(self) -> None:
        for path in (p for paths in self.runs.values() for p in paths):
            try:
                os.remove(path)
            except FileNotFoundError:
                pass
        self.runs = {}
        self.fields = {}


def _is_raw(piece: TermRecord | RawPiece) -> TypeGuard[RawPiece]:
    return len(piece) == 3


def _record(fieldname: str, piece: TermRecord | RawPiece) -> TermRecord:
    """A piece as an encoded record."""
    if _is_raw(piece):
        return piece[2].encode(fieldname, piece[0], piece[1])
    return cast(TermRecord, piece)


def _read_run(path: str, coder: BlockCoder) -> Iterator[TermRecord | RawPiece]:
    """An encoded run's records; a rare term's flat list comes with the ``coder`` that
    encodes it (the buffer's own)."""
    # A small read buffer: the merge reads every run of a field at once (hundreds at a
    # million articles), and each one holds its buffer and one decoded chunk.
    with open(path, "rb", buffering=_READ_BUFFER) as f:
        while True:
            head = f.read(4)
            if not head:
                return
            for record in marshal.loads(f.read(INT.unpack(head)[0])):
                yield (record[0], record[1], coder) if len(record) == 2 else record


def _read_raw(path: str, coder: BlockCoder) -> Iterator[RawPiece]:
    """A raw run's ``(term, flat list)`` records, each with the ``coder`` that places them."""
    with open(path, "rb", buffering=_READ_BUFFER) as f:
        while True:
            head = f.read(4)
            if not head:
                return
            for tbytes, plist in marshal.loads(f.read(INT.unpack(head)[0])):
                yield tbytes, plist, coder


def _write_raw(f: Any, terms: dict[bytes, list[Any]]) -> None:
    """A field's buffered terms as a raw run: ``(term, flat list)`` records in term order."""
    chunk: list[tuple[bytes, list[Any]]] = []
    postings = 0
    for tbytes in sorted(terms):
        plist = terms[tbytes]
        chunk.append((tbytes, plist))
        postings += len(plist) // 3 + 1
        if postings >= _RAW_CHUNK_POSTINGS or len(chunk) >= _RUN_CHUNK:
            _write_chunk(f, chunk)
            chunk = []
            postings = 0
    _write_chunk(f, chunk)


def _write_chunk(f: Any, records: list[Any]) -> None:
    # Length-prefixed, read back with marshal.loads: marshal.load on a file makes a
    # Python-level read call per object.
    data = marshal.dumps(records)
    f.write(INT.pack(len(data)))
    f.write(data)
