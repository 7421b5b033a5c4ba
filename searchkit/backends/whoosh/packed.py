"""Posting blocks whose ids and weights read without their positions.

Whoosh pickles a block as ``(ids, weights, values)``: a tuple of ids, a tuple of
weights, a tuple of one ``bytes`` per posting (its positions), all compressed at once.
Reading a block's ids (to count or intersect matches, or to score them) then means
decompressing and unpickling every posting's positions too: 20-35 µs a block, and the
two-word searches of a million articles read thousands of blocks.

A packed block is still a pickle that gives Whoosh's reader what it expects
(``data[0]`` iterates the id deltas, ``data[1]`` the weights, ``data[2][i]`` is a
posting's value), so Whoosh's own matchers and merges read it unchanged; but its ids and
weights are arrays of the smallest item that holds them, stored raw, and its values are
one string, compressed on their own and opened only when a position is asked for:
reading a block's ids and weights takes about 5 µs (``benchmarks/block_decode.py``).
Blocks of either layout read the same, so an index written before stays readable.

The two classes are pickled by extension code (``copyreg``, from the range kept for
private use), two bytes in each block instead of their module and name.
"""

from __future__ import annotations

import copyreg
import sys
import zlib
from array import array
from collections.abc import Iterator, Sequence
from itertools import chain
from pickle import HIGHEST_PROTOCOL, dumps, loads
from typing import Any

__all__ = ["Ids", "Values", "pack_block", "unpack_block"]

#: ``copyreg`` extension codes: 240-255 are for private use, never assigned to others.
_BLOCK_CODE = 240
_VALUES_CODE = 241
_BIG_ENDIAN = sys.byteorder == "big"


def _smallest(numbers: Sequence[int]) -> str:
    """The array type code of the smallest unsigned item that holds every number."""
    most = max(numbers, default=0)
    return "B" if most < 0x100 else "H" if most < 0x10000 else "I" if most < 0x100000000 else "Q"


class Ids:
    """A block's id deltas as Whoosh's reader takes them (iterated once, through its
    ``delta_decode``): the first id, then the differences."""

    __slots__ = ("first", "rest")

    def __init__(self, first: int, rest: array[int]) -> None:
        self.first = first
        self.rest = rest

    def __iter__(self) -> Iterator[int]:
        return chain((self.first,), self.rest)

    def __len__(self) -> int:
        return 1 + len(self.rest)


class Values:
    """A block's variable-size values (one ``bytes`` per posting), pickled on their own and
    compressed apart: opened when the first is asked for."""

    __slots__ = ("count", "packed", "compressed", "_items")

    def __init__(self, count: int, packed: bytes, compressed: int) -> None:
        self.count = count
        self.packed = packed
        self.compressed = compressed
        self._items: tuple[bytes, ...] | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        return (Values, (self.count, self.packed, self.compressed))

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, i: int) -> bytes:
        items = self._items
        if items is None:
            items = self._items = self._open()
        return items[i]

    def __iter__(self) -> Iterator[bytes]:
        if self._items is None:
            self._items = self._open()
        return iter(self._items)

    def _open(self) -> tuple[bytes, ...]:
        items: tuple[bytes, ...] = loads(zlib.decompress(self.packed) if self.compressed else self.packed)
        return items


def unpack_block(first: int, idcode: str, idraw: bytes, wcode: str, weights: Any, values: Any) -> tuple[Any, Any, Any]:
    """A packed block as Whoosh's ``(ids, weights, values)``: what unpickling calls."""
    rest = array(idcode, idraw)  # (bytes given to array() are read in C, as frombytes reads them)
    if wcode:
        weights = array(wcode, weights)
    if _BIG_ENDIAN:  # stored little-endian: an index moves between machines as files
        rest.byteswap()
        if wcode:
            weights.byteswap()
    return Ids(first, rest), weights, values


def _raw(code: str, numbers: Any) -> bytes:
    """``numbers`` as a little-endian array of ``code`` items."""
    out = array(code, numbers)
    if _BIG_ENDIAN:
        out.byteswap()
    return out.tobytes()


copyreg.add_extension(__name__, "unpack_block", _BLOCK_CODE)
copyreg.add_extension(__name__, "Values", _VALUES_CODE)


class _Block:
    """What pickles as a call of :func:`unpack_block`."""

    __slots__ = ("args",)

    def __init__(self, args: tuple[Any, ...]) -> None:
        self.args = args

    def __reduce__(self) -> tuple[Any, ...]:
        return (unpack_block, self.args)


#: Small whole weights (term frequencies) are kept as bytes, as Whoosh's float32 holds them.
_BYTE_WEIGHTS = frozenset(float(i) for i in range(256))


def pack_block(first: int, deltas: Sequence[int], weights: Any, values: Sequence[bytes] | None, *,
               compression: int, compress_min: int, protocol: int = HIGHEST_PROTOCOL) -> tuple[bytes, int]:
    """A block's data and its compression level for the block header (0: the data is not
    compressed as a whole; the values may be, on their own).

    ``deltas`` are the ids after the first, as differences; ``weights`` is Whoosh's
    minified form (``None`` for all 1.0, one float for all alike, else a sequence of
    float32 values); ``values`` the variable-size values, or ``None`` for a field without
    any (or of fixed size 0)."""
    idcode = _smallest(deltas)
    idraw = _raw(idcode, deltas)
    wdata: Any
    if weights is None or isinstance(weights, float):
        wcode, wdata = "", weights
    elif _BYTE_WEIGHTS.issuperset(weights):
        wcode, wdata = "B", bytes(map(int, weights))
    else:
        wcode, wdata = "f", _raw("f", weights)
    packed_values: Any = None
    if values is not None:
        raw = dumps(tuple(values), protocol)
        comp = compression if compression and len(raw) >= compress_min else 0
        packed_values = Values(len(values), zlib.compress(raw, comp) if comp else raw, comp)
    return dumps(_Block((first, idcode, idraw, wcode, wdata, packed_values)), protocol), 0
