#!/usr/bin/env python3
"""Search time against the length of one article: a home per size holding one article
of a sentence repeated until it is that long (every sentence a match) and one short one,
then the same queries through the library, each the median of ``--rounds``. A search
should grow with the matches it reads, not with their square (the snippet of an article
of 1 MB once took seconds to place).

usage: python benchmarks/long_article.py [--sizes 10000 100000 1000000] [--rounds 3]
           [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from searchkit import Engine

SENTENCE = "Санкції проти Росії посилили після нападу на Україну. "
QUERIES = ["проти Росії", "санкції -Крим", "\"нападу на Україну\""]


def home_with(work: Path, size: int) -> Engine:
    root = work / f"h{size}"
    eng = Engine.init(root)
    feed = work / f"feed{size}.jsonl"
    articles = [{"id": "long", "title": "Довга стаття", "text": SENTENCE * max(1, size // len(SENTENCE))},
                {"id": "short", "title": "Коротка", "text": "Санкції проти Росії діють."}]
    feed.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")
    eng.import_paths([feed])
    return eng


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--work", type=Path, help="keep the homes here (default: a temporary folder)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        engines = {size: home_with(work, size) for size in args.sizes}
        print(f"{'characters':>12} " + " ".join(f"{q:>22}" for q in QUERIES) + "   (ms, median)")
        for size, eng in engines.items():
            cells = []
            for query in QUERIES:
                times = []
                for _ in range(args.rounds):
                    t0 = time.perf_counter()
                    res = eng.search(query, limit=10)
                    times.append((time.perf_counter() - t0) * 1000)
                    assert any(h.id == "long" for h in res.hits), query
                cells.append(f"{statistics.median(times):>22.0f}")
            print(f"{size:>12,} " + " ".join(cells))


if __name__ == "__main__":
    main()
