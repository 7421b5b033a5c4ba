"""A faster segment writer for Whoosh: the same files, far less Python per posting.

Whoosh's own ``SegmentWriter`` pickles every posting into a sorting pool, sorts them all
at commit, reads each posting's field length back from a column file and writes each
term through several layers of objects: about three quarters of a plain Whoosh build is
that commit. :class:`BulkWriter` writes the same index format (``tests/test_bulk.py``
checks that a one-run segment is byte for byte Whoosh's) but:

- groups postings by term in memory as documents arrive (one flat list per term;
  the buffer and its run files are :mod:`.runs`, the block encoding :mod:`.codec`);
- when the buffer passes ``limitmb``, encodes the buffered terms into finished
  posting blocks and writes them to sorted run files (one per field), so memory stays
  bounded on any corpus; the commit then only concatenates each term's blocks from
  the runs. A term split across runs has a short block at each seam: Whoosh's reader
  takes each block's size from the block's own header;
- at commit, writes the biggest field in a forked child process while the parent
  writes the others (two cores, one segment);
- takes the second part of a job, written by another process, into its own segment:
  that writer hands over its runs and columns instead of a segment (:mod:`.handover`),
  so a job split in two still ends as one segment;
- packs only small segments into a compound file: Whoosh reads a compound file's
  parts into memory copies, which for a big segment costs its whole size in RAM;
- knows each document's field lengths instead of reading them back;
- writes posting blocks whose ids and weights read without their positions
  (:mod:`.packed`), pickled with the highest protocol (Whoosh reads any; its protocol 2
  spells every ``bytes`` value as a ``codecs.encode`` call, ten times slower to write and
  to read back), and leaves small values uncompressed, where zlib's set-up costs more
  than it saves;

Deletions, merges of existing segments (``add_reader``) and the commit protocol are
Whoosh's own.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading
import time
from array import array
from collections.abc import Callable, Sequence
from pathlib import Path
from pickle import HIGHEST_PROTOCOL
from typing import Any

from whoosh.codec.whoosh3 import W3Codec
from whoosh.system import pack_int, pack_long, pack_ushort, unpack_long
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

from ...interrupts import leave_ctrl_c_to_parent
from ...store.locking import die_with_parent
from . import vocabulary
from .codec import COMPRESS_MIN, COMPRESSION, BlockCoder, TermRecord, join_records
from .handover import Handover, append_columns, discard
from .runs import PostingBuffer
from .termtable import Entries, TermTable

# BlockCoder, join_records and PostingBuffer live in .codec and .runs; named here too
# because this is the writer's public face.
__all__ = ["BlockCoder", "BulkWriter", "PostingBuffer", "TermRecord", "join_records"]

#: Segments up to this size are packed into one compound file (every reader of a
#: compound file holds a copy of it in memory).
COMPOUND_MAX = 4 * 1024 * 1024


class BulkWriter(SegmentWriter):
    """A Whoosh ``SegmentWriter`` whose postings go through a :class:`PostingBuffer`.

    With ``parallel`` the commit writes the largest field's postings in a forked child
    process while this one writes the other fields (see :func:`_fork_ok`). With
    ``hands_over`` the writer writes no segment: it ends with :meth:`hand_over`, for
    another process's writer to take its documents.
    """

    #: Whoosh's own pool until ``__init__`` cleans it up and puts a buffer in its place
    pool: PostingBuffer
    #: the number the next document gets (Whoosh's)
    docnum: int

    def __init__(self, ix: Any, *, limitmb: int = 128, parallel: bool = False, compress_min: int = COMPRESS_MIN,
                 compression: int = COMPRESSION, protocol: int = HIGHEST_PROTOCOL, word_fields: Sequence[str] = (),
                 hands_over: bool = False, packed: bool = True, **kwargs: Any) -> None:
        super().__init__(ix, limitmb=limitmb, codec=W3Codec(), **kwargs)
        self.pool.cleanup()
        self._rundir = tempfile.mkdtemp(prefix=".runs-", dir=self.storage.folder)
        # Field length bytes per docnum, recorded as the per-document writer gets them
        # (documents added here and documents copied from merged segments alike).
        self._lengths: dict[str, array[int]] = {}
        self._length_bytes: dict[int, int] = {}
        fixed = {name: field.format.fixed_value_size() for name, field in self.schema.items() if field.format}
        coder = BlockCoder(self._lengths, fixed, protocol=protocol, compression=compression,
                           compress_min=compress_min, packed=packed)
        self.pool = PostingBuffer(self._rundir, limitmb * 1024 * 1024, coder, raw=hands_over)
        self._handover: Handover | None = None  # the part taken at commit (see commit)
        self.parallel = parallel
        # The fields whose words the segment's word list for corrections holds (see
        # .vocabulary): saved from the terms as they are written, not read back.
        self.word_fields = tuple(word_fields)
        self._words = b""  # the segment's word list, encoded (see vocabulary.from_terms)
        #: Called now and then while the commit writes the postings (seconds of it, counting
        #: nothing a caller knows): a progress display's clock goes on.
        self.tick: Callable[[], None] | None = None
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
            pool.spill(carry=True)

    # -- commit ---------------------------------------------------------------------------
    def commit(self, mergetype: Any = None, optimize: bool | None = None, merge: bool | None = None, *,
               adopt: Callable[[], Handover | None] | None = None) -> None:
        """Whoosh's commit, plus the documents of the part ``adopt`` returns (written by
        another process's writer, see :meth:`hand_over`): they join this writer's segment,
        numbered after its own documents and those of the segments it merges.

        ``adopt`` is called first, so that it may delete old versions of the part's
        documents from the existing segments before a merge copies them."""
        if adopt is not None:
            self._check_state()
            self._handover = adopt()
            if self._handover is not None:
                self._added = True
        super().commit(mergetype, optimize, merge)

    def hand_over(self) -> Handover | None:
        """Close this writer (of ``hands_over``, opened with ``_lk=False``) without writing
        a segment, and return what the writer of another process takes into its own at
        commit: the raw runs, the column files and the documents' lengths (``None`` if no
        document was added). Those files are the adopting writer's to remove."""
        self._check_state()
        if not self.pool.raw:  # encoded runs number their documents where they were written
            raise ValueError("only a writer made with hands_over=True hands over its runs")
        if not self._added:
            self.cancel_part()
            return None
        self.pool.spill()
        pdw = self.perdocwriter
        pdw.close()
        columns = {name: pdw._column_filename(name) for name in pdw._colwriters}
        self.fieldwriter.close()
        for name in self.newsegment.list_files(self.storage):  # its empty terms and postings files
            if name not in columns.values():
                self.storage.delete_file(name)
        part = Handover(self._rundir, dict(self.pool.runs), self.docnum,
                        {name: arr.tobytes() for name, arr in self._lengths.items()}, dict(pdw._fieldlengths),
                        columns)
        self.pool.runs = {}
        self._release()
        self.is_closed = True
        return part

    def cancel_part(self) -> None:
        """Give up a writer of :meth:`hand_over`: its files go, the shared temporary
        folder stays."""
        if self.is_closed:
            return
        try:
            super()._close_segment()
            for name in self.newsegment.list_files(self.storage):
                with contextlib.suppress(OSError):
                    self.storage.delete_file(name)
        finally:
            self.pool.cleanup()
            shutil.rmtree(self._rundir, ignore_errors=True)
            self._release()
            self.is_closed = True

    def _take(self, part: Handover) -> None:
        """Add the documents of a handed-over part after this writer's own."""
        base = self.docnum
        append_columns(self.perdocwriter, self.storage, self.schema, part, base)
        lengths = {name: array("B", data) for name, data in part.lengths.items()}
        self.pool.adopt(part.runs, self.pool.coder.placed(lengths, base))
        self.docnum = base + part.doccount

    def _flush_segment(self) -> None:
        if self._handover is not None:
            self._take(self._handover)
        self.perdocwriter.close()
        fw = self.fieldwriter
        fieldnames = self.pool.fieldnames()
        for name in fieldnames:  # field ids in name order, as Whoosh's pool gives them
            fw._fieldmap.setdefault(name, len(fw._fieldmap))
        postfile = fw._postfile
        helper = self._helper_field(fieldnames) if self.parallel and _fork_ok() else None
        self.pool.settle()  # no buffered postings held beside the runs while they merge
        if helper is None:
            entries = {name: self._write_field(name, postfile) for name in fieldnames}
            shift = 0
        else:
            entries, shift = self._write_parallel(fieldnames, helper, postfile)
        self._words = vocabulary.from_terms(entries[n].terms() for n in self.word_fields if n in entries)
        table = TermTable(fw._tindex)
        for name in fieldnames:
            prefix = pack_ushort(fw._fieldmap[name])
            got = entries.pop(name)
            if name == helper and shift:
                # A term info ends with the posting list's offset (8 bytes) and length (4 bytes).
                for tbytes, info in got:
                    table.add(prefix + tbytes, info[:-12] + pack_long(unpack_long(info[-12:-4])[0] + shift)
                              + info[-4:])
            else:
                for tbytes, info in got:
                    table.add(prefix + tbytes, info)
            got.remove()
        table.finish()
        fw.close()

    def _helper_field(self, fieldnames: list[str]) -> str | None:
        """The field worth a second process: the one with the most postings, when big."""
        sizes = {name: len(self.pool.fields.get(name, ())) + 8192 * self.pool.run_count(name)
                 for name in fieldnames}
        if not sizes or sum(sizes.values()) < _PARALLEL_MIN_TERMS:
            return None
        return max(sizes, key=lambda name: sizes[name])

    def _write_field(self, fieldname: str, postfile: Any, *, to_file: bool = False) -> Entries:
        """Write one field's posting lists; returns its ``(term, term info)`` entries."""
        offset = postfile.tell()
        out = Entries(os.path.join(self._rundir, f"{fieldname}.entries"))
        chunk: list[bytes] = []
        pending = 0
        for n, (tbytes, postings, info) in enumerate(self.pool.finished(fieldname)):
            if self.tick is not None and n % 4096 == 0:
                self.tick()
            size = len(postings)
            chunk.append(postings)
            out.add(tbytes, info + pack_long(offset) + pack_int(size))
            offset += size
            pending += size
            if pending > 1 << 20:
                postfile.write(b"".join(chunk))
                chunk = []
                pending = 0
        postfile.write(b"".join(chunk))
        out.close(to_file=to_file)
        return out

    def _write_parallel(self, fieldnames: list[str], helper: str, postfile: Any) -> tuple[dict[str, Entries], int]:
        """Write ``helper``'s postings in a forked child while this process writes the
        rest, then append the child's postings; returns the entries and how far the
        helper's term infos are to be shifted (where its postings start)."""
        post_path = os.path.join(self._rundir, "helper.pst")
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the child: write, report through files, never return
            status = _HELPER_FAILED
            self.tick = None  # the parent's to call
            try:
                leave_ctrl_c_to_parent()  # (it stops us on Ctrl-C, as it does when it fails)
                die_with_parent(parent)  # a killed writer's half-written segment is garbage
                with open(post_path, "wb", buffering=1 << 20) as f:
                    self._write_field(helper, _Tell(f), to_file=True)
                status = 0
            except OSError as e:  # (a full disk: its errno is the exit status, for the parent to say)
                if e.errno is not None and 0 < e.errno < _HELPER_FAILED:
                    status = e.errno
            finally:
                os._exit(status)
        try:
            entries = {name: self._write_field(name, postfile) for name in fieldnames if name != helper}
            ended = (0, 0)  # (pid, status) once the helper, which has the biggest field, is reaped
            while self.tick is not None and not (ended := os.waitpid(pid, os.WNOHANG))[0]:
                self.tick()
                time.sleep(0.1)
        except BaseException:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise
        _, status = ended if ended[0] else os.waitpid(pid, 0)
        if status != 0:
            code = os.waitstatus_to_exitcode(status)
            if 0 < code < _HELPER_FAILED:  # the helper's OSError, said as this process's own
                raise OSError(code, os.strerror(code))
            raise OSError(f"the index writer's helper process failed (status {status})")
        base = postfile.tell()
        with open(post_path, "rb") as f:
            shutil.copyfileobj(f, postfile, 1 << 20)
        os.remove(post_path)
        entries[helper] = Entries.from_file(os.path.join(self._rundir, f"{helper}.entries"))
        return entries, base

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
            vocabulary.save_encoded(Path(self.storage.folder), segment.segment_id(), self._words)
            self._words = b""

    def _finish(self) -> None:
        try:
            super()._finish()
        finally:
            if self._handover is not None:  # taken into the segment, or given up with it
                discard(self.storage, self._handover)
                self._handover = None

    def cancel(self) -> None:
        try:
            super().cancel()
        finally:
            self.pool.cleanup()
            shutil.rmtree(self._rundir, ignore_errors=True)
            self._release()
            if self._handover is not None:  # when cancel itself failed before _finish
                discard(self.storage, self._handover)
                self._handover = None
            if not self.is_closed:
                self._let_go()

    def _let_go(self) -> None:
        """What Whoosh's ``_finish`` does, for a cancel that failed before it (closing the
        segment's files of a commit a full disk stopped writes their last buffers, and
        meets the full disk again): the index's write lock was left held, and every later
        writer of this process was refused as if another program were writing. The files
        the segment had open are closed too (each holds its room until it is)."""
        fw, pdw = self.fieldwriter, self.perdocwriter
        opened: tuple[Any, ...] = (getattr(getattr(fw, "_tindex", None), "dbfile", None),
                                   getattr(fw, "_postfile", None), getattr(pdw, "_vpostfile", None),
                                   getattr(getattr(pdw, "_cols", None), "_temp", None))
        for f in opened:
            with contextlib.suppress(Exception):  # (a file that failed to flush is closed all the same)
                getattr(f, "file", f).close()
        with contextlib.suppress(Exception):
            self._tempstorage.destroy()
        if self.writelock is not None:
            with contextlib.suppress(Exception):  # (Whoosh raises for a lock not held)
                self.writelock.release()
        self.is_closed = True


#: Below this many buffered terms a commit stays in one process.
_PARALLEL_MIN_TERMS = 50_000
#: The exit status of a helper process that failed other than by an ``OSError`` (one
#: exits with its errno: a full disk met by the helper is said as one met by the parent).
_HELPER_FAILED = 255


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
