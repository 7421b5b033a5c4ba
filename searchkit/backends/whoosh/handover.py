"""A job's second part handed to the job's writer as sorted runs, not as a segment.

A big job is written by two processes (:class:`searchkit.backends.base.SideWriter`). Each
used to finish a segment of its own, and the index kept both: every word the two parts
share was listed in both terms tables and began a posting list in both (a fifth of a
rebuilt index). Now the second process stops short of a segment. Its postings stay in
raw sorted runs (:mod:`.runs`: its own document numbers, not yet encoded) and its
per-document values in column files; the job's writer takes both into its own segment
at commit, the part's documents numbered after its own. The runs join the merge of the
writer's own runs; the columns are appended as they are (the values' bytes, then their
lengths and offsets as arrays), not document by document.
"""

from __future__ import annotations

import contextlib
import shutil
from array import array
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, STORED_COLUMN
from whoosh.columns import (
    FixedBytesColumn,
    VarBytesColumn,
    WrappedColumnReader,
    WrappedColumnWriter,
)

__all__ = ["Handover", "append_columns", "discard"]

#: Bytes copied at a time from a part's column file.
_COPY = 1 << 20


@dataclass(frozen=True, slots=True)
class Handover:
    """What a second process wrote for a job: its raw runs and column files, in the index
    folder (picklable: it crosses between the processes)."""

    #: the part's folder of sorted runs (removed with :func:`discard`)
    rundir: str
    #: raw runs by field, in the order they were written
    runs: dict[str, list[str]]
    #: documents in the part, numbered from 0
    doccount: int
    #: each document's field length as Whoosh's length byte, by field
    lengths: dict[str, bytes]
    #: the summed field lengths, by field (BM25's average lengths)
    fieldlengths: dict[str, int]
    #: column name -> its file in the index folder
    columns: dict[str, str]


def append_columns(perdocwriter: Any, storage: Any, schema: Any, part: Handover, base: int) -> None:
    """Append ``part``'s columns to a Whoosh 3 per-document writer that holds ``base``
    documents, as if its documents had been added after them."""
    for name, filename in part.columns.items():
        column = _column(schema, name)
        if not perdocwriter._has_column(name):
            perdocwriter._create_column(name, column)
        writer = perdocwriter._get_column(name)
        f = storage.open_file(filename)
        try:
            _append(writer, column.reader(f, 0, storage.file_length(filename), part.doccount), base, part.doccount)
        finally:
            f.close()
    perdocwriter._doccount = base + part.doccount
    for field, length in part.fieldlengths.items():
        perdocwriter._fieldlengths[field] += length


def discard(storage: Any, part: Handover) -> None:
    """Remove a part's files (after its writer committed or gave up)."""
    for filename in part.columns.values():
        with contextlib.suppress(OSError):
            storage.delete_file(filename)
    shutil.rmtree(part.rundir, ignore_errors=True)


def _column(schema: Any, name: str) -> Any:
    """The column type Whoosh 3 writes under ``name``: stored fields, a field's lengths, or
    a field's own column."""
    if name == "_stored":
        return STORED_COLUMN
    if name.startswith("_") and name.endswith("_len"):  # whoosh3's _lenfield
        return LENGTHS_COLUMN
    return schema[name].column_type


def _append(top_writer: Any, top_reader: Any, base: int, count: int) -> None:
    writer, reader = top_writer, top_reader
    while isinstance(writer, WrappedColumnWriter) and isinstance(reader, WrappedColumnReader):
        writer, reader = writer._child, reader._child  # (pickled values: their bytes carry over)
    if isinstance(writer, VarBytesColumn.Writer) and isinstance(reader, VarBytesColumn.Reader):
        _append_varbytes(writer, reader, base)
    elif isinstance(writer, FixedBytesColumn.Writer) and isinstance(reader, FixedBytesColumn.Reader):
        if reader._count:  # (the values past a column's last are its default)
            writer.fill(base)
            _copy(reader._dbfile, reader._basepos, reader._count * reader._fixedlen, writer._dbfile)
            writer._count = base + reader._count
    else:  # a column kind of another layout: value by value
        for i in range(count):
            top_writer.add(base + i, top_reader[i])


def _append_varbytes(writer: Any, reader: Any, base: int) -> None:
    """The values of a variable-length column, then their lengths and offsets."""
    writer.fill(base)
    lengths = reader._lengths
    total = sum(lengths)
    _copy(reader._dbfile, reader._basepos, total, writer._dbfile)
    offsets = list(accumulate(lengths, initial=writer._offset_base))[:-1]
    _extend(writer._lengths, lengths)
    _extend(writer._offsets, offsets)
    writer._offset_base += total
    writer._count = base + len(lengths)


def _extend(growable: Any, values: Any) -> None:
    """Whoosh's ``GrowableArray.extend`` in one step instead of one append per value."""
    if not len(values):
        return
    try:
        growable.array.extend(array(growable.array.typecode, values))
    except OverflowError:
        growable._retype(max(values))
        growable.array.extend(array(growable.array.typecode, values))


def _copy(src: Any, pos: int, size: int, out: Any) -> None:
    end = pos + size
    while pos < end:
        n = min(_COPY, end - pos)
        out.write(src.get(pos, n))
        pos += n
