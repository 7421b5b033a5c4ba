#!/usr/bin/env python3
"""Latency of generated queries (the fuzz suite's generator, tests/test_fuzz.py) on an
indexed home: every query through ``Engine.search`` as the CLI runs it (spelling
correction, transliteration, snippets), the p50/p95/p99/max in milliseconds, the
refusals, the queries over 2 s, the process's peak memory (RSS) and the slowest 1 % of the
run with their queries (escaped). The home may keep its index on a cluster (its
``searchkit.toml``).

usage: python benchmarks/fuzz_latency.py HOME [--n 10000] [--seed 19] [--show 20]
       [--skip N] [--code DIR] [--json OUT]

``--skip`` draws and drops the first N queries of the seed's stream (a later slice of the
same run), ``--code`` runs the searchkit of another checkout, ``--json`` saves each
query's time (see ``benchmarks/fuzz_compare.py``, which interleaves checkouts).

Any exception other than ``QueryError`` is counted and printed: the suite's promise is
that there are none.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
if "--code" in sys.argv[:-1]:  # another checkout's searchkit (before it is imported)
    sys.path.insert(0, str(Path(sys.argv[sys.argv.index("--code") + 1]).resolve()))
from measure import pct  # noqa: E402

from searchkit import Engine  # noqa: E402
from searchkit.errors import QueryError  # noqa: E402
from tests.test_fuzz import random_query  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("home")
    ap.add_argument("--n", type=int, default=10_000, help="queries to run")
    ap.add_argument("--seed", type=int, default=19)
    ap.add_argument("--show", type=int, default=20, help="slowest queries to print")
    ap.add_argument("--skip", type=int, default=0, help="queries of the stream to draw and drop first")
    ap.add_argument("--code", type=Path, help="the checkout whose searchkit runs (default: this one)")
    ap.add_argument("--json", type=Path, help="save [ms, query, refused] of each query here")
    args = ap.parse_args()

    eng = Engine(args.home)
    eng.ensure_index()
    eng.warm_up()
    rnd = random.Random(args.seed)
    for _ in range(args.skip):
        random_query(rnd)
    times: list[tuple[float, str]] = []
    refused, unexpected = 0, []
    records = []
    started = time.perf_counter()
    for _ in range(args.n):
        query = random_query(rnd)
        t0 = time.perf_counter()
        no = False
        try:
            eng.search(query, limit=10)
        except QueryError:
            refused += 1
            no = True
        except Exception as e:  # noqa: BLE001 - the finding this benchmark looks for
            unexpected.append((query, e))
        times.append(((time.perf_counter() - t0) * 1000, query))
        records.append([times[-1][0], query, no])
    took = time.perf_counter() - started
    ms = [t for t, _ in times]
    print(f"{args.n} queries on {eng.count()} articles in {took:.1f} s; {refused} refused with QueryError, "
          f"{len(unexpected)} other errors")
    print(f"ms: p50 {pct(ms, 50):.1f}  p95 {pct(ms, 95):.1f}  p99 {pct(ms, 99):.1f}  max {max(ms):.1f}; "
          f"{sum(t > 2000 for t in ms)} over 2 s")
    # ru_maxrss is in KiB on Linux: the most this process held at once, index readers included
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    slowest = sorted(times, reverse=True)[: max(1, args.n // 100)]
    print(f"slowest 1 % ({len(slowest)} queries): {slowest[-1][0]:.0f}–{slowest[0][0]:.0f} ms")
    for t, query in slowest[: args.show]:
        print(f"  {t:8.1f} ms  {ascii(query)[:100]}")
    for query, e in unexpected[: args.show]:
        print(f"  ERROR {e!r}: {ascii(query)[:100]}")
    if args.json:
        args.json.write_text(json.dumps(records, ensure_ascii=True))
    eng.close()
    sys.exit(1 if unexpected else 0)


if __name__ == "__main__":
    main()
