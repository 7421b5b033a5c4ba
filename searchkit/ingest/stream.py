"""A stream of articles (what was piped in) imported as a file: a stream of lines (JSON
Lines, CSV) in batches as it arrives, each spooled in turn to one temporary file; any other
(one document) spooled whole to a temporary file named by its content. Every message of
the import is said of the stream."""

from __future__ import annotations

import hashlib
import io
import os
import re
import select
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import IO

from ..errors import InputError
from ..interrupts import ctrl_c_remembered
from ..models import ImportReport
from ..store.formats import LINE_READERS, STREAM_FORMATS, said_of_stream
from ..store.opening import GZIP_MAGIC, refused_kind
from ..store.room import no_room
from ..text.textdecode import SAMPLE, UTF32_BOMS

__all__ = ["BATCH_AGE", "BATCH_BYTES", "BATCH_LINES", "LINE_FORMATS", "PAUSE", "PREFIX", "StreamLines", "as_stream",
           "batched", "head_of", "in_batches", "spooled", "stream_format_option", "sweep"]

#: How many bytes are copied at a time (at most this much of a line still arriving is held in memory).
CHUNK = 1 << 20

#: Stream formats read a line at a time (JSON Lines, CSV): imported in batches as they arrive.
LINE_FORMATS = tuple(LINE_READERS)

# A batch of a stream of lines ends at whichever comes first (each batch is one commit of
# the index, so what it holds becomes searchable; a commit writes a segment that merges
# later copy, so batches must not be tiny when lines pour in):
#: this many lines: a fast stream (a file piped) commits as often as an import of a file
#: into a small index does (:data:`searchkit.library.IMPORT_BATCH` to ``IMPORT_BATCH_MAX``);
BATCH_LINES = 10_000
#: this many bytes (the most a batch spools in the temporary folder, give or take a chunk);
BATCH_BYTES = 64 << 20
#: the stream pausing this many seconds with whole lines spooled (a scraper between pages:
#: at most one commit a second while lines trickle in);
PAUSE = 1.0
#: or its first line having waited this many seconds (lines that never pause long).
BATCH_AGE = 10.0

#: A spool's folder in the temporary folder: this, the id of the process spooling, a dash.
PREFIX = "searchkit-stdin-"
_SPOOL = re.compile(re.escape(PREFIX) + r"(\d+)-")


def stream_format_option(fmt: str) -> str:
    """How a library caller gives a stream's format: ``format='csv'``."""
    return f"give format={fmt!r}"


@contextmanager
def spooled(stream: IO[bytes], fmt: str, name: str = "<stdin>", head: bytes = b"") -> Iterator[str]:
    """The path of a temporary file holding all of ``stream`` (after ``head``, its first
    bytes read from it already: see :func:`head_of`), removed after, named by
    its content: a ``.txt`` or ``.html`` article takes its id from the file's name, so two
    articles piped apart stay two, and one piped twice is one. A temporary folder too full
    for it raises :class:`~searchkit.errors.InputError` naming the stream ``name``."""
    if fmt not in STREAM_FORMATS:
        raise ValueError(f"format must be one of {', '.join(STREAM_FORMATS)}, not {fmt!r}")
    sweep(tempfile.gettempdir())
    with tempfile.TemporaryDirectory(prefix=f"{PREFIX}{os.getpid()}-") as folder:
        raw = os.path.join(folder, "stdin")
        digest = hashlib.sha1()
        copied = 0
        try:
            with open(raw, "wb") as out:
                chunks = _chunks(stream, head)
                while chunk := _next_read(chunks, name, copied, fmt):
                    digest.update(chunk)
                    out.write(chunk)
                    copied += len(chunk)
        except OSError as e:  # (the stream is read whole before its import: the copy filled a disk)
            if (full := _no_room_for(e, name, os.path.dirname(folder), copied, None)) is None:
                raise
            raise full from None
        path = os.path.join(folder, f"stdin-{digest.hexdigest()[:12]}.{fmt}")
        os.replace(raw, path)
        yield path


def _next_read(chunks: Iterator[bytes], name: str, copied: int, fmt: str) -> bytes:
    """The next chunk of a stream read whole before its import (``b""`` at its end); a
    read that fails (a socket reset, a disk's read error) is an :class:`InputError`
    naming the stream ``name``, not the bare ``OSError``, which named neither it nor what
    became of it."""
    try:
        return next(chunks, b"")
    except (BlockingIOError, InterruptedError):
        raise
    except OSError as e:
        raise InputError(name, f"cannot read further: {e.strerror or e} after {copied / 2**20:,.1f} MB (a stream "
                         f"of {fmt} is read to its end before it is imported; nothing of it was stored)") from None


def batched(head: bytes, fmt: str = "jsonl") -> bool:
    """Whether a stream of ``fmt`` (one of :data:`LINE_FORMATS`) that begins with ``head``
    (see :func:`head_of`) is imported in batches: not one whose bytes are no lines of
    text a line at a time (gzip, another compressor's, UTF-16 or UTF-32 with its mark),
    nor JSON Lines that open as a JSON array (told as such when read whole). Those are
    read to their end first, as a file."""
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    return fmt in LINE_FORMATS and not (
        head.startswith(GZIP_MAGIC) or refused_kind(head) or head.startswith((b"\xff\xfe", b"\xfe\xff"))
        or head.startswith(UTF32_BOMS) or fmt == "jsonl" and text.startswith(b"["))


def head_of(stream: IO[bytes]) -> bytes:
    """The first bytes of ``stream`` (read from it: give them to :func:`spooled` or
    :func:`in_batches` with it), enough to tell whether it is :func:`batched`: its first
    10, and some that are not blank, or all of it (or a chunk of blank lines)."""
    head = b""
    while len(head) < 10 or (not head.strip() and len(head) < CHUNK):
        chunk = _read(stream)
        if not chunk:
            break
        head += chunk
    return head


class StreamLines(io.BufferedIOBase):
    """A stream of lines read as one file (by its format's reader, ``formats.LINE_READERS``):
    each batch of it is spooled to :attr:`path` in turn as the one before is read to its
    end, ``on_batch_end`` called first (to commit what that batch changed). While the
    stream is waited for with nothing of the next batch come yet, the spooling is inside
    ``idle()`` (where the importer leaves the home to other writers)."""

    def __init__(self, path: str, batches: Iterator[int], fmt: str = "jsonl") -> None:
        super().__init__()
        self.path = path
        #: what its lines hold, one of :data:`LINE_FORMATS` (its reader: ``formats.LINE_READERS``)
        self.format = fmt
        self.on_batch_end: Callable[[], None] | None = None
        self.idle: Callable[[], AbstractContextManager[object]] = nullcontext
        self._batches = batches
        self._file: IO[bytes] | None = None
        self._ended = False

    def readable(self) -> bool:
        return True

    def _current(self) -> IO[bytes] | None:
        if self._file is None and not self._ended:
            if next(self._batches, None) is None:
                self._ended = True
                return None
            self._file = open(self.path, "rb")  # noqa: SIM115 - closed when read to its end, or by close()
        return self._file

    def read(self, size: int | None = -1) -> bytes:
        """What is left of the batch being read (the first: where a reader samples the start)."""
        f = self._current()
        return f.read(-1 if size is None else size) if f is not None else b""

    def seek(self, offset: int, whence: int = 0) -> int:
        """Within the batch being read (a reader goes back to the start after sampling it)."""
        f = self._current()
        return f.seek(offset, whence) if f is not None else 0

    def readline(self, size: int | None = -1) -> bytes:
        """The next line (up to ``size`` bytes), from the next batch when this one is read;
        ``b""`` at the stream's end. (A batch ends at a line's end.)"""
        while (f := self._current()) is not None:
            line = f.readline(-1 if size is None else size)
            if line:
                return line
            f.close()
            self._file = None
            if self.on_batch_end is not None:
                self.on_batch_end()  # (before the stream is waited for again)
        return b""

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        super().close()


@contextmanager
def in_batches(stream: IO[bytes], fmt: str, name: str = "<stdin>", head: bytes = b"") -> Iterator[StreamLines]:
    """``stream``, a stream of lines whose first bytes ``head`` were read from it already,
    as :class:`StreamLines`: each batch spooled, in turn, to one temporary file as it is
    read (ending at a line's end, at the first bound of :data:`BATCH_LINES`,
    :data:`BATCH_BYTES`, :data:`PAUSE` and :data:`BATCH_AGE`); the folder removed after.
    A temporary folder too full for a batch raises :class:`~searchkit.errors.InputError`
    naming the stream ``name``."""
    if fmt not in LINE_FORMATS:
        raise ValueError(f"format must be one of {', '.join(LINE_FORMATS)}, not {fmt!r}")
    sweep(tempfile.gettempdir())
    # (CSV's reader chooses its encoding from the first SAMPLE bytes, as of a file, and
    # takes bytes of ASCII alone for UTF-8: the first batch goes on, a pause or BATCH_LINES
    # notwithstanding, to a byte past ASCII that tells the encoding, or SAMPLE bytes, or
    # the stream's end, so that a header row piped before the rows in cp1251 is not read
    # as UTF-8 and the rows refused)
    least = SAMPLE if fmt == "csv" else 0
    with tempfile.TemporaryDirectory(prefix=f"{PREFIX}{os.getpid()}-") as folder, ctrl_c_remembered() as came:
        path = os.path.join(folder, f"stdin.{fmt}")
        def idle() -> AbstractContextManager[object]:
            return lines.idle()

        lines = StreamLines(path, _batches(stream, head, path, name, came, least, idle), fmt)
        try:
            yield lines
        finally:
            lines.close()


def _batches(stream: IO[bytes], head: bytes, path: str, name: str, came: Callable[[], bool],
             least: int = 0, idle: Callable[[], AbstractContextManager[object]] = nullcontext) -> Iterator[int]:
    """Spool the batches of ``stream`` (after ``head``) to ``path`` in turn, yielding the
    lines of the stream before each (see :func:`in_batches`): one batch, empty, for a
    stream with nothing in it. ``came``: whether a Ctrl-C came (one swallowed by a
    finalizer is raised when the stream is waited for). ``least``: the bytes the first
    batch holds before any bound ends it, unless it holds a byte past ASCII before (or the
    stream ends). ``idle``: what a wait for the stream with nothing of a batch spooled yet
    is made inside of (the batches before it are committed by then)."""
    fd = _pausable(stream)
    tail = head  # a line still arriving (or lines of the chunk past the batch's end)
    before = 0  # lines of the stream in the batches before
    ended = yielded = False
    plain = True  # the batches so far hold ASCII alone
    failed: OSError | None = None  # a read of the stream that failed: its end
    cut_off = 0  # the bytes of a line the failed read cut short
    while not yielded or tail or not ended:
        lines = size = 0
        opened = 0.0  # when the batch's first line came
        partial = full = False  # the file ends inside a line (one longer than CHUNK); the batch is full
        try:
            with open(path, "wb") as out:
                while not full:
                    short = not yielded and plain and size < least  # (no bound ends the first batch yet)
                    if b"\n" in tail:
                        data, tail = tail, b""
                    elif ended:
                        data, tail, full = tail, b"", True  # the last line, without its line end
                    else:
                        if lines and not partial and not short and fd is not None:
                            wait = min(PAUSE, opened + BATCH_AGE - time.monotonic())
                            if wait <= 0 or not select.select([fd], [], [], wait)[0]:
                                break  # the stream pauses, or the batch's first line has waited long enough
                        if fd is not None and not size and not select.select([fd], [], [], 0)[0]:
                            with idle():  # (nothing of this batch yet, and none ready: a wait of any length)
                                _arrived(fd, came)
                        elif fd is not None:
                            _arrived(fd, came)
                        try:
                            chunk = _read(stream)
                        except (BlockingIOError, InterruptedError):
                            raise
                        except OSError as e:  # (a socket reset, a disk's read error: what came whole is kept)
                            failed, chunk = e, b""
                            cut_off = len(tail) - (tail.rfind(b"\n") + 1)
                            tail = tail[:len(tail) - cut_off]  # (a line the error cut short is no record)
                        if not chunk:
                            ended = True
                            continue
                        data, tail = tail + chunk, b""
                    if not full:
                        need = BATCH_LINES - lines if size < BATCH_BYTES else 1  # (full: only the line under way)
                        # (short: up to the line that takes the batch past ASCII or to ``least``
                        # bytes, after which the bounds count)
                        cut = _telling(data, least - size) if short else _after_lines(data, need)
                        if cut >= 0:
                            data, tail, full = data[:cut], data[cut:], not short
                        else:
                            cut = data.rfind(b"\n") + 1
                            data, tail = data[:cut], data[cut:]
                            if len(tail) > CHUNK:  # (a line this long is not held in memory: spooled as it comes)
                                data, tail = data + tail, b""
                    if not data:
                        continue
                    out.write(data)
                    size += len(data)
                    plain = plain and data.isascii()
                    n = data.count(b"\n") + (ended and not tail and not data.endswith(b"\n"))
                    if n and not lines:
                        opened = time.monotonic()
                    lines += n
                    partial = not data.endswith(b"\n")
                    full = full or (size >= BATCH_BYTES and not partial)
        except OSError as e:  # (a write, or the close that writes what the file still buffers)
            if (no_room_left := _no_room_for(e, name, os.path.dirname(os.path.dirname(path)), size, before)) is None:
                raise
            raise no_room_left from None
        if lines or not yielded:
            yielded = True
            yield before
        before += lines
    if failed is not None:
        # (raised from the read, the error lost the lines read whole and not yet imported,
        # the batch under way, and said nothing of those imported before it)
        kept = ("nothing of it was imported" if not before else "its first line was imported" if before == 1
                else f"its first {before:,} lines were imported")
        dropped = f", and the line it cut short ({cut_off:,} bytes) was dropped" if cut_off else ""
        raise InputError(name, f"cannot read further: {failed.strerror or failed} ({kept}{dropped})")


def _arrived(fd: int, came: Callable[[], bool]) -> None:
    """Wait until something can be read from ``fd`` (or its end), raising
    KeyboardInterrupt for a Ctrl-C that came and was swallowed meanwhile."""
    while not select.select([fd], [], [], 0.5)[0]:
        if came():
            raise KeyboardInterrupt


def _chunks(stream: IO[bytes], head: bytes) -> Iterator[bytes]:
    """``head``, then all of ``stream``, a chunk at a time."""
    if head:
        yield head
    while chunk := _read(stream):
        yield chunk


def _telling(data: bytes, room: int) -> int:
    """Where the line of ``data`` that holds its first byte past ASCII, or its ``room``-th
    byte, ends (after its line end), or -1."""
    past = _PAST_ASCII.search(data, 0, room)
    at = data.find(b"\n", past.start() if past is not None else max(room - 1, 0))
    return -1 if at < 0 or past is None and len(data) < room else at + 1


_PAST_ASCII = re.compile(rb"[\x80-\xff]")


def _after_lines(data: bytes, n: int) -> int:
    """Where the ``n``-th line of ``data`` ends (after its line end), or -1."""
    at = -1
    for _ in range(n):
        at = data.find(b"\n", at + 1)
        if at < 0:
            return -1
    return at + 1


def _read(stream: IO[bytes]) -> bytes:
    """What has arrived of ``stream`` (at most :data:`CHUNK`, blocking until something
    does); ``b""`` at its end."""
    read1 = getattr(stream, "read1", None)
    read = read1 if read1 is not None else getattr(stream, "read", None)
    if read is None:  # (a str or a path given for the stream: import_paths reads a file)
        raise TypeError(f"stream must be a binary file object (open(..., 'rb'), sys.stdin.buffer), not "
                        f"{type(stream).__name__}")
    chunk = read(CHUNK)
    if not isinstance(chunk, bytes):
        raise TypeError("the stream must be binary (open it with 'rb', or give sys.stdin.buffer)")
    return chunk


def _pausable(stream: IO[bytes]) -> int | None:
    """The descriptor of ``stream`` to wait on for a pause, where one can be waited for:
    POSIX, and a stream read by ``read1``, which leaves nothing in its buffer that the
    descriptor would not show (``read1`` returns what is buffered first)."""
    if os.name != "posix" or not hasattr(stream, "read1"):
        return None
    try:
        return stream.fileno()
    except (OSError, ValueError):  # (io.UnsupportedOperation is both: a BytesIO)
        return None


def _no_room_for(e: OSError, name: str, folder: str, copied: int, before: int | None) -> InputError | None:
    """A failed write of ``copied`` bytes of the stream ``name`` to the temporary ``folder``
    said as one line, when it was for want of room (else ``None``): a whole stream
    (``before`` is ``None``: nothing stored), or a batch after ``before`` lines imported."""
    todo = no_room(e)
    if todo is None:
        return None
    if before is None:
        how, kept = "", "a stream is read to its end before it is imported; nothing of it was stored"
    else:
        how = " of a batch"
        kept = f"a stream is imported in batches of up to {BATCH_BYTES // 2**20} MB; " + (
            "nothing of it was stored" if not before else "its first line was imported and is kept" if before == 1
            else f"its first {before:,} lines were imported and are kept")
    return InputError(name, f"cannot copy what is piped to the temporary folder {folder}: {e.strerror or e} after "
                      f"{copied / 2**20:,.1f} MB{how} ({kept}) — {todo}, or set TMPDIR to a folder with room")


def sweep(folder: str) -> None:
    """Remove from ``folder`` the spools of processes no longer running: one killed while it
    spooled or imported (``kill``, ``timeout``, ``kill -9``, a closed terminal) left its
    spool behind, as large as all it was piped (``yes | searchkit import -`` wrote 4 GB in
    15 s). Only where a process can be asked whether another runs (POSIX)."""
    if os.name != "posix":
        return
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if (m := _SPOOL.match(name)) is not None and not _running(int(m.group(1))):
            shutil.rmtree(os.path.join(folder, name), ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # (signal 0: only whether it could be sent)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):
        return True  # (another user's process, or a number no process has: left alone)
    return True


def as_stream(report: ImportReport, path: str, name: str, read_as: Callable[[str], str]) -> ImportReport:
    """``report`` of the import of ``path`` (a spooled stream), its messages said of the
    stream (see :func:`~searchkit.store.formats.said_of_stream`)."""
    report.errors = [said_of_stream(e, path, name, read_as) for e in report.errors]
    report.warnings = [said_of_stream(w, path, name, read_as) for w in report.warnings]
    return report
