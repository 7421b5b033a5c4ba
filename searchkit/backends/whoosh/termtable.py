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
import struct
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
        # Whoosh's md5_hash (the digest's low 32 bits), without formatting and parsing hex
        h = int.from_bytes(md5(key, usedforsecurity=False).digest()[12:], "big")
        self._hashes[h & 255].append(h)
        self._places[h & 255].append(pos)
        if len(self._out) >= 4096:
            self._flush()

    def _flush(self) -> None:
        if self._out:
            self.dbfile.write(b"".join(self._out))
            self._out = []

    def finish(self) -> None:
        """Write what is pending and have the hash writer's ``close`` write the hash tables
        from the arrays (the bytes of Whoosh's ``_write_hashes``: one write per bucket
        instead of one per slot)."""
        self._flush()
        hw = self.hashwriter
        if any(hw.buckets):
            raise ValueError("keys were added to the terms table past this writer")
        hashes, places = self._hashes, self._places

        def write_hashes() -> None:
            dbfile = hw.dbfile
            for h, p in zip(hashes, places, strict=True):
                pos = dbfile.tell()
                numslots = 2 * len(h)
                hw.directory.append((pos, numslots))
                if not numslots:
                    continue
                slots_h = [0] * numslots
                slots_p = [0] * numslots  # (0, 0) is an empty slot: no key starts at 0
                for hashval, place in zip(h, p, strict=True):
                    slot = (hashval >> 8) % numslots
                    while slots_h[slot] or slots_p[slot]:
                        slot = (slot + 1) % numslots
                    slots_h[slot] = hashval
                    slots_p[slot] = place
                flat = [v for pair in zip(slots_h, slots_p, strict=True) for v in pair]
                dbfile.write(struct.pack("!" + "Iq" * numslots, *flat))

        hw._write_hashes = write_hashes
