"""Standard output written whole, or an error.

When a disk fills up in the middle of a write, the kernel writes the part that fits and
says how much; Python's buffered writer then reports that part as written and drops the
rest, and its text layer never looks. ``search --format jsonl > hits.jsonl`` on a disk
with 64 KB left wrote the first 64 KB of 145 KB and exited 0, without a word. Here each
write goes on until all of it is written, so the write after the part that fitted meets
the full disk and raises, and the command says so in one line (exit 2), as for any other
file it cannot write.
"""

from __future__ import annotations

import errno
import io
import os
import sys
from typing import Any

__all__ = ["write_whole"]

#: What the error names: the output has no file name of its own (it may be a pipe).
NAME = "standard output"


#: The descriptor of a standard output closed before the program started: none, so that its
#: first write fails, said as any error of the output is (a write to no stream at all was a
#: bug's ``AttributeError``); the descriptor 1 itself may by then be another file's
_CLOSED = -1


class _WholeWrites(io.RawIOBase):
    """File descriptor ``fd``, every write written to the last byte or an ``OSError``."""

    def __init__(self, fd: int) -> None:
        super().__init__()
        self._fd = fd
        self._failed = False

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:
        return os.isatty(self._fd)

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        if self._failed:
            return len(view)  # (said once; what is left in the buffer at exit is dropped, not said again)
        if self._fd == _CLOSED:
            self._failed = True
            raise OSError(errno.EBADF, "closed before the command started, so nothing it prints can be written",
                          NAME)
        done = 0
        try:
            while done < len(view):
                done += os.write(self._fd, view[done:])
        except BrokenPipeError:
            self._failed = True
            raise  # (a reader that stopped reading, `| head`: the shell ends quietly)
        except OSError as e:
            self._failed = True
            raise OSError(e.errno, e.strerror, NAME) from None
        return done


def write_whole() -> None:
    """Put ``sys.stdout`` on a file descriptor written whole (once: a subgroup's call finds
    it done). Only for a file or a pipe: a terminal has no disk to fill, and a stand-in
    (click's test runner, an embedding program) is left as it is."""
    out = sys.stdout
    if out is None:  # closed (`searchkit search … >&-`): Python gives no stream at all
        sys.stdout = io.TextIOWrapper(io.BufferedWriter(_WholeWrites(_CLOSED)), encoding="utf-8")
        return
    buffer = getattr(out, "buffer", None)
    if isinstance(buffer, io.BufferedWriter) and isinstance(buffer.raw, _WholeWrites):
        return
    try:
        fd = out.fileno()
        if os.isatty(fd) or not isinstance(out, io.TextIOWrapper):
            return
    except (AttributeError, ValueError, OSError):
        return
    out.flush()
    sys.stdout = io.TextIOWrapper(io.BufferedWriter(_WholeWrites(fd)), encoding=out.encoding, errors=out.errors,
                                  line_buffering=out.line_buffering, write_through=out.write_through)
