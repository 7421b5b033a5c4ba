#!/usr/bin/env python3
"""What an index's bytes are: per segment and per field, terms and postings.

usage: python benchmarks/index_size.py HOME [HOME ...]

For each home's live generation: its files by kind (postings, terms table, columns,
stored fields, word lists for corrections, the rest); then for each field the distinct
terms and their postings bytes, summed over the segments, and how many of a field's
terms appear in more than one segment (a split job lists the words both of its parts
use once per segment, and starts a posting list for each in both). Compare a home
rebuilt by two processes with the same articles built by one, for what the second
segment costs::

    python -c "import sys, searchkit.ingest.pipeline as p; p.MIN_PARALLEL = 10**9;
               from searchkit import Engine; Engine(sys.argv[1]).index(rebuild=True)" HOME
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

from whoosh import index
from whoosh.codec.whoosh3 import W3TermInfo
from whoosh.reading import SegmentReader

KINDS = {".pst": "postings", ".trm": "terms table", ".col": "columns", ".vocab": "word lists",
         ".seg": "compound segments", ".toc": "table of contents"}


def mb(n: float) -> str:
    return f"{n / 2**20:.1f}"


def report(home: Path) -> None:
    gen = (home / "index" / "CURRENT").read_text(encoding="utf-8").strip()
    folder = home / "index" / gen
    by_kind: Counter[str] = Counter()
    for p in folder.iterdir():
        if p.is_file():
            kind = "stored fields" if p.name.endswith("._stored.col") else KINDS.get(p.suffix, "other")
            by_kind[kind] += p.stat().st_size
    ix = index.open_dir(str(folder))
    segments = ix._segments()
    print(f"\n{home.name}: {len(segments)} segments, {sum(s.doc_count() for s in segments):,} documents, "
          f"{mb(sum(by_kind.values()))} MB\n")
    print("| files | MB |\n|---|---|")
    for kind, size in by_kind.most_common():
        print(f"| {kind} | {mb(size)} |")
    terms: dict[str, Counter[bytes]] = defaultdict(Counter)
    post: Counter[str] = Counter()
    postings: Counter[str] = Counter()
    table: Counter[str] = Counter()
    for seg in segments:
        r = SegmentReader(ix.storage, ix.schema, seg)
        tr = r._terms
        for keybytes, valbytes in tr._tindex.items():
            fieldname, tbytes = tr._keydecoder(keybytes)
            info = W3TermInfo.from_bytes(valbytes)
            terms[fieldname][tbytes] += 1
            # a record: two lengths, the key, the value; then its place in the index and a hash bucket
            table[fieldname] += 8 + len(keybytes) + len(valbytes) + 8 + 8
            length = info._length
            post[fieldname] += (length[0] if isinstance(length, tuple) else length) or 0
            postings[fieldname] += info._df
        r.close()
    print("\n| field | distinct terms | term entries | in 2+ segments | postings | postings MB | terms table MB |")
    print("|---|---|---|---|---|---|---|")
    for fieldname in sorted(terms, key=lambda f: -post[f]):
        t = terms[fieldname]
        print(f"| {fieldname} | {len(t):,} | {sum(t.values()):,} | {sum(1 for c in t.values() if c > 1):,} | "
              f"{postings[fieldname]:,} | {mb(post[fieldname])} | {mb(table[fieldname])} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("homes", type=Path, nargs="+")
    a = ap.parse_args()
    for home in a.homes:
        try:
            report(home)
        except OSError as e:
            sys.exit(f"{home}: {e}")


if __name__ == "__main__":
    main()
