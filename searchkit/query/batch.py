"""A batch of queries read from a byte stream (``searchkit search -``), one a line, as a
search reads them: in the encoding its byte-order mark names, as an import reads a file."""

from __future__ import annotations

import codecs
import io
from typing import IO, Any

from ..text.textdecode import BOM, UTF32_BOMS
from .parse import MAX_QUERY_CHARS

__all__ = ["read_queries"]


def read_queries(stream: IO[bytes]) -> list[str]:
    """The queries of ``stream``, one a line, stripped; undecodable bytes are U+FFFD (they
    must not stop a script's batch of queries). A line is read up to one character past
    the longest query and the rest of it skipped, not held: refused as too long, it cost
    nothing (a 10 MB line was held whole, 600 MB, and took 50 s to refuse)."""
    if not callable(getattr(stream, "read", None)):  # (a path or the text itself: an AttributeError said as a bug)
        raise TypeError(f"stream must be a binary stream (sys.stdin.buffer, open(path, 'rb')), "
                        f"not {type(stream).__name__}")
    head = stream.read(4)
    if not isinstance(head, bytes):
        raise TypeError("stream must be a binary stream (sys.stdin.buffer, open(path, 'rb')), not a text one")
    # (UTF-16 or UTF-32 with its byte-order mark, as Notepad's "Unicode" and PowerShell's `>`
    # save text, as an import reads it: each line was refused as "not UTF-8", its letters
    # shown with the NUL between them)
    encoding = ("utf-32" if head.startswith(UTF32_BOMS) else
                "utf-16" if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else "utf-8")
    whole = io.BufferedReader(_Prefixed(head, stream))
    text = io.TextIOWrapper(whole, encoding=encoding, errors="replace", newline="\n")
    out = []
    try:
        while line := text.readline(MAX_QUERY_CHARS + 1):
            blank = True  # (a CR or spaces past the limit make no line too long)
            if len(line) > MAX_QUERY_CHARS and not line.endswith("\n"):
                while rest := text.readline(1 << 16):
                    blank = blank and not rest.strip()
                    if rest.endswith("\n"):
                        break
            line = line.lstrip(BOM)  # (a byte-order mark at a line's start: files joined together)
            out.append(line.strip() if blank else line)  # (unstripped: refused, as the whole line)
    finally:
        text.detach()  # (stdin stays open)
    return out


class _Prefixed(io.RawIOBase):
    """The bytes ``head``, read from ``stream`` already, then the rest of ``stream``
    (a pipe cannot go back over them); closing it leaves ``stream`` open."""

    def __init__(self, head: bytes, stream: IO[bytes]) -> None:
        self.head, self.stream = head, stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self.head:
            n = min(len(view), len(self.head))
            view[:n], self.head = self.head[:n], self.head[n:]
            return n
        got = self.stream.read(len(view))
        view[:len(got)] = got
        return len(got)
