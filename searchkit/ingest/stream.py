"""A stream of articles (what was piped in) imported as a file: spooled to a temporary
file named by its content, and every message of the import said of the stream."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO

from ..errors import InputError
from ..models import ImportReport
from ..store.formats import STREAM_FORMATS, said_of_stream
from ..store.room import no_room

__all__ = ["PREFIX", "as_stream", "spooled", "stream_format_option", "sweep"]

#: How many bytes are copied at a time.
CHUNK = 1 << 20

#: A spool's folder in the temporary folder: this, the id of the process spooling, a dash.
PREFIX = "searchkit-stdin-"
_SPOOL = re.compile(re.escape(PREFIX) + r"(\d+)-")


def stream_format_option(fmt: str) -> str:
    """How a library caller gives a stream's format: ``format='csv'``."""
    return f"give format={fmt!r}"


@contextmanager
def spooled(stream: IO[bytes], fmt: str, name: str = "<stdin>") -> Iterator[str]:
    """The path of a temporary file holding all of ``stream`` (removed after), named by
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
        with open(raw, "wb") as out:
            while chunk := stream.read(CHUNK):
                if not isinstance(chunk, bytes):
                    raise TypeError("the stream must be binary (open it with 'rb', or give sys.stdin.buffer)")
                digest.update(chunk)
                try:
                    out.write(chunk)
                except OSError as e:  # (the stream is read whole before its import: the copy filled a disk)
                    todo = no_room(e)
                    if todo is None:
                        raise
                    raise InputError(name, f"cannot copy what is piped to the temporary folder "
                                     f"{os.path.dirname(folder)}: {e.strerror or e} after {copied / 2**20:,.1f} MB "
                                     "(a stream is read to its end before it is imported; nothing of it was "
                                     f"stored) — {todo}, or set TMPDIR to a folder with room") from None
                copied += len(chunk)
        path = os.path.join(folder, f"stdin-{digest.hexdigest()[:12]}.{fmt}")
        os.replace(raw, path)
        yield path


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
