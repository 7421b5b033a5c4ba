#!/usr/bin/env python3
"""Search, explain and show time against the length of one article: a home per size
holding one article of a sentence repeated until it is that long (every sentence a match)
and one short one, then the same queries through the library, each the median of
``--rounds``: ``search`` listing the article, then ``explain`` of it. Both should grow with
the matches they read, not with their square (the snippet of an article of 1 MB once took
seconds to place, and ``explain`` of a phrase ran Whoosh's span matchers over every pair
of its words' positions). Then the ``show`` command run in this process, its output
piped (to the null device) and on a terminal of 100 columns (``--color``), without a
query and with the first: its text laid out once, in time with its length (Rich's own
layout of the text took 2 s piped and 18 s on a terminal for 6 MB).

usage: python benchmarks/long_article.py [--sizes 10000 100000 1000000] [--rounds 3]
           [--work DIR] [--tables search explain show] [--no-explain]

The library is the one imported: ``PYTHONPATH=CHECKOUT python benchmarks/long_article.py``
times another checkout's code.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
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


def median_ms(rounds: int, run: Callable[[], bool], what: str) -> float:
    """The median time of ``run`` over ``rounds`` runs (ms); each must say the long article matched."""
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        found = run()
        times.append((time.perf_counter() - t0) * 1000)
        assert found, what
    return statistics.median(times)


def table(title: str, engines: dict[int, Engine], rounds: int, run: Callable[[Engine, str], bool]) -> None:
    print(f"{title} (ms, median of {rounds})")
    print(f"{'characters':>12} " + " ".join(f"{q:>22}" for q in QUERIES))
    for size, eng in engines.items():
        cells = [f"{median_ms(rounds, functools.partial(run, eng, query), query):>22.0f}" for query in QUERIES]
        print(f"{size:>12,} " + " ".join(cells), flush=True)


def shown(eng: Engine, args: list[str]) -> bool:
    """``searchkit --home HOME [ARGS…]`` run here, its output to the null device (a pipe
    to it, or with ``--color`` a terminal of ``COLUMNS`` columns)."""
    from searchkit.cli import main

    out = sys.stdout
    with open(os.devnull, "w", encoding="utf-8") as sink:
        sys.stdout = sink
        try:
            main.main(["--home", str(eng.home), *args], prog_name="searchkit", standalone_mode=False)
        finally:
            sys.stdout = out
    return True


def show_table(engines: dict[int, Engine], rounds: int) -> None:
    os.environ["COLUMNS"] = "100"  # (read as the terminal's width)
    ways = {"piped": [], f"piped -q {QUERIES[0]}": ["--query", QUERIES[0]], "terminal": [],
            f"terminal -q {QUERIES[0]}": ["--query", QUERIES[0]]}
    print(f"show (ms, median of {rounds}; the command in this process)")
    print(f"{'characters':>12} " + " ".join(f"{w:>26}" for w in ways))
    for size, eng in engines.items():
        shown(eng, ["show", "short"])  # (the modules the command loads, loaded once)
        cells = [median_ms(rounds, functools.partial(shown, eng, [*(["--color"] if w.startswith("terminal") else []),
                                                                  "show", "long", *args]), w)
                 for w, args in ways.items()]
        print(f"{size:>12,} " + " ".join(f"{c:>26.0f}" for c in cells), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--work", type=Path, help="keep the homes here (default: a temporary folder)")
    ap.add_argument("--tables", nargs="+", choices=["search", "explain", "show"], default=["search", "explain", "show"])
    ap.add_argument("--no-explain", action="store_true", help="leave out the explain table")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        engines = {size: home_with(work, size) for size in args.sizes}
        if "search" in args.tables:
            table("search", engines, args.rounds,
                  lambda eng, query: any(h.id == "long" for h in eng.search(query, limit=10).hits))
        if "explain" in args.tables and not args.no_explain:
            table("explain", engines, args.rounds, lambda eng, query: eng.explain(query, "long").matches_query)
        if "show" in args.tables:
            show_table(engines, args.rounds)


if __name__ == "__main__":
    main()
