"""Opening an input file: a gzip file is read decompressed, whatever its name
(``feed.jsonl.gz``, or a ``feed.jsonl`` that is gzip), streaming as a plain file is; a
zip, xz, bzip2, zstd or 7-Zip file is refused once, by name, with what to do (read as
text, each of its "lines" would be an error of its own).

A ``.gz`` file's format is named by the extension before it: ``feed.jsonl.gz`` is JSON
Lines, ``2024-05-01.txt.gz`` one article with the id ``2024-05-01``.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path
from typing import IO, cast

from ..errors import InputError

__all__ = ["COMPRESSED", "DAMAGED", "GZIP_MAGIC", "input_stem", "input_suffix", "open_input", "refused_kind"]

#: What names a gzipped file of a supported format: ``feed.jsonl.gz``.
COMPRESSED = ".gz"
#: What reading a damaged or cut-short gzip file raises, as it goes.
DAMAGED = (EOFError, zlib.error, gzip.BadGzipFile)

#: The first bytes of gzip data: read decompressed, whatever the name.
GZIP_MAGIC = b"\x1f\x8b"
#: The first bytes of the compressed files and archives that are not read, and what to do.
_REFUSED = (
    (b"PK\x03\x04", "a zip archive; unzip it and import the files it holds"),
    (b"PK\x05\x06", "an empty zip archive; there is nothing in it to import"),
    (b"\xfd7zXZ\x00", "an xz file; decompress it first (unxz)"),
    (b"BZh", "a bzip2 file; decompress it first (bunzip2)"),
    (b"\x28\xb5\x2f\xfd", "a zstd file; decompress it first (unzstd)"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive; extract it first"),
)
#: bzip2's first block follows its 4-byte header: "BZh" alone may begin a line of text.
_BZIP2_BLOCK = b"1AY&SY"


def _strip(path: Path) -> str:
    name = path.name
    return name[: -len(COMPRESSED)] if name.lower().endswith(COMPRESSED) else name


def _extension_alone(name: str) -> bool:
    """Whether the file name ``name`` is an extension and nothing before it (``.txt``,
    ``.jsonl``), which ``Path.suffix`` takes for a hidden file's name with none."""
    return name.startswith(".") and name.count(".") == 1 and len(name) > 1


def input_suffix(path: Path) -> str:
    """The extension that names ``path``'s format, lower case: ``.jsonl`` for
    ``feed.jsonl`` and ``feed.JSONL.gz`` alike (``""`` for ``feed.gz``), and ``.txt``
    for a file named ``.txt`` (it was "unsupported file type; use one of .txt, …")."""
    name = _strip(path)
    return name.lower() if _extension_alone(name) else Path(name).suffix.lower()


def input_stem(path: Path) -> str:
    """``path``'s name without its format's extension (nor ``.gz``): an article's id
    (``""`` for a file named ``.txt``: no id)."""
    name = _strip(path)
    return "" if _extension_alone(name) else Path(name).stem


def refused_kind(head: bytes) -> str | None:
    """What a file beginning with ``head`` (its first 10 bytes) is and what to do, when
    another compressor or archiver wrote it; ``None`` otherwise."""
    for magic, what in _REFUSED:
        if head.startswith(magic) and (magic != b"BZh" or head[4:10] == _BZIP2_BLOCK):
            return what
    return None


def open_input(path: Path) -> IO[bytes]:
    """``path`` opened for reading bytes, a gzip file's decompressed as they are read.
    A file another compressor or archiver wrote is an :class:`InputError` naming it;
    reading a damaged gzip file raises one of :data:`DAMAGED` where the damage is."""
    f = open(path, "rb")  # noqa: SIM115 - returned open, or closed below
    try:
        head = f.read(10)
        f.seek(0)
    except BaseException:
        f.close()
        raise
    if head.startswith(GZIP_MAGIC):
        f.close()
        return cast("IO[bytes]", gzip.GzipFile(path, "rb"))  # (a binary file, as typeshed does not say)
    what = refused_kind(head)
    if what is not None:
        f.close()
        raise InputError(str(path), what)
    return f
