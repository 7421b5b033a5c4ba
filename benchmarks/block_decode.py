#!/usr/bin/env python3
"""What reading a posting block's ids and weights costs, in Whoosh's block layout and in
searchkit's packed one (``searchkit/backends/whoosh/packed.py``), on the postings of real
words in an indexed home.

usage: python benchmarks/block_decode.py HOME [WORD ...] [--field body] [--rounds 5]

Each word's postings (read through Whoosh, from the home's index as it is) are encoded
again in both layouts by the index's own block coder, 128 postings a block; then every
block of both is read back as a search reads it to count and score (the data unpickled,
the ids summed up from their deltas, the weights taken), the layouts interleaved round
by round, and, apart, the positions of every posting too. Prints microseconds per block
(the best round) and the bytes of both.
"""

from __future__ import annotations

import argparse
import pickle
import time
import zlib
from itertools import accumulate
from pathlib import Path
from typing import Any

from whoosh import index

from searchkit.backends.whoosh import make_schema
from searchkit.backends.whoosh.codec import BLOCK_LIMIT, COMPRESS_MIN, COMPRESSION, BlockCoder

WORDS = ["питання", "цікавий", "школа", "україна", "декомунізація"]


def generation(home: Path) -> Path:
    root = home / "index"
    return root / (root / "CURRENT").read_text(encoding="utf-8").strip()


def blocks_of(reader: Any, field: str, word: str) -> list[Block]:
    btext = reader.schema[field].to_bytes(word)
    if (field, btext) not in reader:
        return []
    m = reader.postings(field, btext)
    ids, weights, values = [], [], []
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        values.append(m.value())
        m.next()
    return [(ids[i:i + BLOCK_LIMIT], weights[i:i + BLOCK_LIMIT], values[i:i + BLOCK_LIMIT])
            for i in range(0, len(ids), BLOCK_LIMIT)]


Block = tuple[list[int], list[float], list[bytes]]


def encode(coder: BlockCoder, fixed: int | None, block: Block) -> tuple[bytes, int]:
    ids, weights, values = block
    w = tuple(weights)
    wmini: Any = None if all(x == 1.0 for x in w) else w[0] if all(x == w[0] for x in w) else w
    return coder._data(fixed, ids[0], [b - a for a, b in zip(ids, ids[1:], strict=False)], wmini, values)


def read_ids(encoded: list[tuple[bytes, int]]) -> float:
    t = time.perf_counter()
    for data, comp in encoded:
        ids, weights, _ = pickle.loads(zlib.decompress(data) if comp else data)
        tuple(accumulate(ids))
    return time.perf_counter() - t


def read_positions(encoded: list[tuple[bytes, int]]) -> float:
    t = time.perf_counter()
    for data, comp in encoded:
        _, _, values = pickle.loads(zlib.decompress(data) if comp else data)
        for i in range(len(values)):
            values[i]
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("home", type=Path)
    ap.add_argument("words", nargs="*", default=WORDS)
    ap.add_argument("--field", default="body")
    ap.add_argument("--rounds", type=int, default=5)
    a = ap.parse_args()
    ix = index.open_dir(str(generation(a.home)), schema=make_schema())
    fixed = ix.schema[a.field].format.fixed_value_size()
    layouts = {"Whoosh's": BlockCoder({}, {}, compression=COMPRESSION, compress_min=COMPRESS_MIN, packed=False),
               "packed": BlockCoder({}, {}, compression=COMPRESSION, compress_min=COMPRESS_MIN, packed=True)}
    print(f"{a.home.name}, field {a.field}, best of {a.rounds} rounds\n")
    print("| word | blocks | layout | bytes | ids + weights µs/block | positions too µs/block |")
    print("|---|---:|---|---:|---:|---:|")
    with ix.reader() as r:
        for word in a.words:
            blocks = [b for seg in r.leaf_readers() for b in blocks_of(seg[0], a.field, word)]
            if not blocks:
                print(f"| {word} | 0 | | | | |")
                continue
            encoded = {name: [encode(c, fixed, b) for b in blocks] for name, c in layouts.items()}
            best = {name: [float("inf"), float("inf")] for name in layouts}
            for _ in range(a.rounds):
                for name, enc in encoded.items():  # interleaved: the machine's pace is shared
                    best[name][0] = min(best[name][0], read_ids(enc))
                    best[name][1] = min(best[name][1], read_positions(enc))
            for name, enc in encoded.items():
                size = sum(len(d) for d, _ in enc)
                us = [round(x / len(blocks) * 1e6, 1) for x in best[name]]
                print(f"| {word} | {len(blocks)} | {name} | {size:,} | {us[0]} | {us[1]} |")


if __name__ == "__main__":
    main()
