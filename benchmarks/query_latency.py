#!/usr/bin/env python3
"""Query latency of an indexed home: warm (library API, one process) and cold (a fresh
``searchkit search`` process, interpreter start included), plus ``searchkit --help``.

usage: python benchmarks/query_latency.py HOME QUERIES.jsonl [--rounds 3] [--cold 20]
           [--out DIR]

Warm: every query of QUERIES.jsonl (``{"query": ...}`` per line) once to warm up, then
``--rounds`` passes, each query timed through ``Engine.search`` for the top 10 with
snippets, and again for ids only (``snippets=False``): p50/p95/p99/max in milliseconds;
the searches with snippets also apart, those of queries some article holds whole and
those of the others.
Cold: ``--cold`` runs of ``searchkit --home HOME search QUERY`` (the default rendering; queries taken in
turn from the file) and as many of ``searchkit --help``, interleaved: median and p95
wall time. Saves ``query_latency.json`` in ``--out``.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import machine, pct, run  # noqa: E402

from searchkit import Engine  # noqa: E402


def summary(ms: list[float]) -> dict[str, float]:
    return {"n": len(ms), "p50": round(pct(ms, 50), 2), "p95": round(pct(ms, 95), 2), "p99": round(pct(ms, 99), 2),
            "max": round(max(ms), 2), "mean": round(statistics.mean(ms), 2)}


def searchkit_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("searchkit")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "searchkit"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("home", type=Path)
    ap.add_argument("queries", type=Path)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--cold", type=int, default=20)
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    a = ap.parse_args()
    queries = [json.loads(line)["query"] for line in a.queries.read_text(encoding="utf-8").splitlines() if line.strip()]
    info = machine()

    eng = Engine(a.home)
    docs = eng.stats().articles
    # warm-up: opens the index, fills the analyzer's cache; and which queries some article
    # holds whole (the others take the way of a query no article holds: corrections tried,
    # each word left out counted, the partial matches ranked)
    whole = {q: eng.search(q, limit=10).matched_all > 0 for q in queries}
    warm: dict[str, list[float]] = {"top 10 + snippets": [], "ids only": []}
    split = {True: "top 10 + snippets, an article holds all the words",
             False: "top 10 + snippets, no article holds all the words"}
    by_kind: dict[str, list[float]] = {split[True]: [], split[False]: []}
    for _ in range(a.rounds):
        for q in queries:  # interleave both kinds per query
            for kind, snippets in (("top 10 + snippets", True), ("ids only", False)):
                t0 = time.perf_counter()
                eng.search(q, limit=10, snippets=snippets)
                ms = (time.perf_counter() - t0) * 1000
                warm[kind].append(ms)
                if snippets:
                    by_kind[split[whole[q]]].append(ms)
    eng.close()

    # An installed package has its bytecode compiled by pip; a source checkout run with
    # PYTHONDONTWRITEBYTECODE would compile every module at each start instead.
    import searchkit

    compileall.compile_dir(Path(searchkit.__file__).parent, quiet=1)
    sk = searchkit_cmd()
    env = dict(os.environ, NO_COLOR="1")
    cold: dict[str, list[float]] = {"searchkit search": [], "searchkit --help": []}
    for i in range(a.cold):
        q = queries[i % len(queries)]
        r = run([*sk, "--home", str(a.home), "search", q], env=env)
        if r.returncode not in (0, 1):
            sys.exit(f"searchkit search {q!r} failed (exit {r.returncode})")
        cold["searchkit search"].append(r.wall)
        cold["searchkit --help"].append(run([*sk, "--help"], env=env).wall)

    rows = {k: summary(v) for k, v in (*warm.items(), *by_kind.items()) if v}
    cold_rows = {k: {"n": len(v), "median_s": round(statistics.median(v), 3), "p95_s": round(pct(v, 95), 3),
                     "min_s": round(min(v), 3)} for k, v in cold.items() if v}  # none with --cold 0
    print(f"\n{a.home.name}: {docs:,} articles, {len(queries)} queries × {a.rounds} rounds; "
          f"{info.get('cores')} cores, {info.get('ram_gb')} GB RAM, load before {info.get('load_before')}\n")
    print("| warm, library API | searches | p50 ms | p95 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|---|")
    for k, row in rows.items():
        print(f"| {k} | {row['n']} | {row['p50']} | {row['p95']} | {row['p99']} | {row['max']} |")
    if cold_rows:
        print("\n| cold, fresh process | median s | p95 s | min s |")
        print("|---|---|---|---|")
    for k, row in cold_rows.items():
        print(f"| {k} | {row['median_s']} | {row['p95_s']} | {row['min_s']} |")
    a.out.mkdir(parents=True, exist_ok=True)
    out = a.out / "query_latency.json"
    out.write_text(json.dumps({"home": a.home.name, "articles": docs, "queries": a.queries.name, "machine": info,
                               "warm_ms": rows, "cold": cold_rows}, ensure_ascii=False, indent=1) + "\n",
                   encoding="utf-8")
    print(f"\nsaved {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
