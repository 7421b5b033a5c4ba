"""A segment's terms table written in bounded memory.

Each field's posting lists are written first, term by term, and each term's entry (its
key and term info) is kept for the terms table, which Whoosh lists in field order and
hashes at its end. At a million articles a segment has millions of terms: as Python
lists, the entries and the hash buckets took hundreds of megabytes per process. Here
the entries wait in a file past :data:`ENTRIES_IN_MEMORY` (:class:`Entries`), and the
hash buckets are arrays of numbers (:class:`TermTable`): about 20 bytes a term instead of
about 300.
"""

from __future__ import annotations

import marshal
import os
from array import array
from collections.abc import Iterator
from hashlib import md5
from typing import Any, BinaryIO

from whoosh.filedb.filetables import _lengths as _HASH_LENGTHS

from .codec import INT

__all__ = ["Entries", "TermTable"]

#: Entries a field keeps in memory before they go to its file (a small segment's
#: entries never touch the disk).
ENTRIES_IN_MEMORY = 65_536


class Entries:
    """One field's ``(term, term info)`` entries in term order: in memory, or in a file
    at ``path`` once they pass :data:`ENTRIES_IN_MEMORY`. Iterated once, after :meth:`close`."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._mem: list[tuple[bytes, bytes]] = []
        self._file: BinaryIO | None = None
        self._on_disk = False

    @classmethod
    def from_file(cls, path: str) -> Entries:
        """The entries another process wrote to ``path`` (see :meth:`close`)."""
        got = cls(path)
        got._on_disk = True
        return got

    def add(self, term: bytes, info: bytes) -> None:
        self._mem.append((term, info))
        if len(self._mem) >= ENTRIES_IN_MEMORY:
            self._spill()

    def _spill(self) -> None:
        if self._file is None:
            self._file = open(self.path, "wb", buffering=1 << 16)  # noqa: SIM115 (closed by close())
            self._on_disk = True
        data = marshal.dumps(self._mem)
        self._file.write(INT.pack(len(data)))
        self._file.write(data)
        self._mem = []

    def close(self, *, to_file: bool = False) -> None:
        """Finish writing; with ``to_file`` every entry goes to the file (for another
        process to read with :meth:`from_file`)."""
        if to_file or self._file is not None:
            self._spill()
        if self._file is not None:
            self._file.close()
            self._file = None

    def __iter__(self) -> Iterator[tuple[bytes, bytes]]:
        if self._on_disk:
            with open(self.path, "rb", buffering=1 << 16) as f:
                while head := f.read(4):
                    yield from marshal.loads(f.read(INT.unpack(head)[0]))
        yield from self._mem

    def terms(self) -> Iterator[bytes]:
        return (term for term, _ in self)

    def remove(self) -> None:
        self._mem = []
        if self._on_disk:
            try:
                os.remove(self.path)
            except FileNotFoundError:
                pass


class TermTable:
    """Adds keys to Whoosh's ``OrderedHashWriter`` for the terms file, minus its per-key
    method calls and assertions (keys come sorted), with the hash buckets kept as arrays
    and handed to the hash writer one bucket at a time when it closes (the same file)."""

    def __init__(self, hashwriter: Any) -> None:
        self.hashwriter = hashwriter
        self.dbfile = hashwriter.dbfile
        self.index = hashwriter.index
        self.pos = self.dbfile.tell()
        self._out: list[bytes] = []
        # bucket -> the keys' 32-bit hashes and their records' places, in order of addition
        self._hashes = [array("L") for _ in range(256)]
        self._places = [array("q") for _ in range(256)]

    def add(self, key: bytes, value: bytes) -> None:
        pos = self.pos
        self.index.append(pos)
        record = _HASH_LENGTHS.pack(len(key), len(value)) + key + value
        self._out.append(record)
        self.pos = pos + len(record)
        h = int(md5(key, usedforsecurity=False).hexdigest(), 16) & 0xFFFFFFFF
        self._hashes[h & 255].append(h)
        self._places[h & 255].append(pos)
        if len(self._out) >= 4096:
            self._flush()

    def _flush(self) -> None:
        if self._out:
            self.dbfile.write(b"".join(self._out))
            self._out = []

    def finish(self) -> None:
        """Write what is pending; the hash writer's ``close`` then reads the buckets."""
        self._flush()
        if any(self.hashwriter.buckets):
            raise ValueError("keys were added to the terms table past this writer")
        # Whoosh's _write_hashes iterates the buckets once, each a list of (hash, place).
        self.hashwriter.buckets = (list(zip(h, p, strict=True)) for h, p in zip(self._hashes, self._places,
                                                                                   strict=True))
