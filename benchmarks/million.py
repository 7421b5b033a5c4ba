#!/usr/bin/env python3
"""A big archive on one machine, end to end: import, an incremental import of 1 % more,
warm query latency with snippets, the slow-query set in fresh processes, peak memory and
disk size.

usage: python benchmarks/million.py SOURCE.jsonl MAKE_CORPUS.py QUERIES.jsonl --work DIR
           [--n 1000000] [--seed 1] [--rounds 1] [--json OUT]

SOURCE.jsonl feeds ``MAKE_CORPUS.py`` (``../shared/tools/make_corpus.py``), which writes
``DIR/syn-N.jsonl`` (kept and reused: the same file for the same N and seed) and, with
another seed, ``DIR/syn-N-more.jsonl`` of N/100 more articles. Then, each step a separate
``searchkit`` process measured by ``measure.run`` (wall, CPU, peak RSS summed over the
process tree and of its largest process):

1. ``init`` and ``import`` of the N articles into the fresh home ``DIR/home``;
2. ``import`` of the 1 % more (the incremental path: into an index that exists);
3. warm latency: one process opens the home, runs QUERIES once to warm up, then
   ``--rounds`` passes of ``Engine.search`` (top 10 with snippets): p50/p95/p99/max;
4. the slow-query set (two-letter prefixes, a fuzzy word, a deep page, the commonest
   word of the archive) each in a fresh ``searchkit search`` process;
5. the size of ``index/`` and ``corpus/`` against the JSONL's.

Prints a Markdown table (for docs/performance.md) and saves the figures as JSON.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import machine, pct, run  # noqa: E402

WARM = r"""
import json, sys, time
from searchkit import Engine
engine = Engine(sys.argv[1])
queries = [json.loads(line)["query"] for line in open(sys.argv[2], encoding="utf-8") if line.strip()]
rounds = int(sys.argv[3])
for q in queries:
    engine.search(q)
times = []
for _ in range(rounds):
    for q in queries:
        t0 = time.perf_counter()
        engine.search(q)
        times.append((time.perf_counter() - t0) * 1000)
print(json.dumps(times))
"""

#: (label, arguments after ``search``); the commonest word is added once known
SLOW: list[tuple[str, list[str]]] = [
    ("та*", ["та*"]),
    ("ук*", ["ук*"]),
    ("табір~", ["табір~"]),
    ("школа -n 1000", ["школа", "-n", "1000"]),
]
#: a word in nearly every synthetic article (a function word the query keeps: alone, it is searched)
COMMON_WORD = "що"


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def searchkit(*args: str) -> list[str]:
    return [sys.executable, "-m", "searchkit", *args]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("source", type=Path)
    ap.add_argument("make_corpus", type=Path)
    ap.add_argument("queries", type=Path)
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    info = machine()
    feed = args.work / f"syn-{args.n}.jsonl"
    more = args.work / f"syn-{args.n}-more.jsonl"
    for path, n, seed in ((feed, args.n, args.seed), (more, max(args.n // 100, 1), args.seed + 1000)):
        if not path.exists():
            tmp = path.with_suffix(".part")
            subprocess.run([sys.executable, str(args.make_corpus), "--source", str(args.source), "--n", str(n),
                            "--seed", str(seed), "--out", str(tmp)], check=True)
            # the extra articles need ids of their own
            if path is more:
                with tmp.open(encoding="utf-8") as src, path.open("w", encoding="utf-8") as dst:
                    for line in src:
                        rec = json.loads(line)
                        rec["id"] = "more-" + rec["id"]
                        dst.write(json.dumps(rec, ensure_ascii=False) + "\n")
                tmp.unlink()
            else:
                tmp.rename(path)
    home = args.work / "home"
    if home.exists():
        raise SystemExit(f"{home} exists: give a fresh --work directory (or remove it)")
    out: dict[str, object] = {"machine": info, "n": args.n, "jsonl_bytes": feed.stat().st_size}
    subprocess.run(searchkit("init", str(home)), check=True, capture_output=True)
    steps = {}
    for label, path in (("import", feed), ("import +1 %", more)):
        r = run(searchkit("--home", str(home), "import", str(path)))
        if r.returncode != 0:
            raise SystemExit(f"{label} failed with exit status {r.returncode}")
        steps[label] = {"wall_s": round(r.wall, 1), "cpu_s": round(r.cpu, 1), "peak_rss_mb": round(r.peak_rss_mb),
                        "largest_process_mb": round(r.peak_proc_mb)}
        print(f"{label}: {steps[label]}", flush=True)
    out["steps"] = steps
    warm = subprocess.run([sys.executable, "-c", WARM, str(home), str(args.queries), str(args.rounds)],
                          check=True, capture_output=True, text=True)
    times = json.loads(warm.stdout)
    out["warm_ms"] = {"p50": round(pct(times, 50), 1), "p95": round(pct(times, 95), 1),
                      "p99": round(pct(times, 99), 1), "max": round(max(times), 1), "n": len(times)}
    slow = {}
    for label, qargs in [*SLOW, (f"{COMMON_WORD} (commonest)", [COMMON_WORD])]:
        t0 = time.perf_counter()
        res = subprocess.run(searchkit("--home", str(home), "search", *qargs), capture_output=True, text=True,
                             check=False)
        took = time.perf_counter() - t0
        lines = (res.stdout or res.stderr).splitlines()
        slow[label] = {"s": round(took, 2), "first_line": lines[0] if lines else ""}
    out["slow"] = slow
    out["index_bytes"] = du(home / "index")
    out["corpus_bytes"] = du(home / "corpus")
    ratio = out["index_bytes"] / out["jsonl_bytes"]  # type: ignore[operator]
    print(f"\n{args.n:,} synthetic articles ({out['jsonl_bytes'] / 1e9:.2f} GB of JSONL); {info}\n")
    print("| step | wall | CPU | peak RSS (process tree) | largest process |\n|---|---:|---:|---:|---:|")
    for label, s in steps.items():
        print(f"| {label} | {s['wall_s']} s | {s['cpu_s']} s | {s['peak_rss_mb']} MB | {s['largest_process_mb']} MB |")
    w = out["warm_ms"]
    print(f"\nwarm search, top 10 with snippets ({w['n']} searches): p50 {w['p50']} ms, "  # type: ignore[index]
          f"p95 {w['p95']} ms, p99 {w['p99']} ms, max {w['max']} ms")  # type: ignore[index]
    print("\n| fresh process | seconds | first line |\n|---|---:|---|")
    for label, s in slow.items():
        print(f"| `{label}` | {s['s']} | {s['first_line'][:80]} |")
    print(f"\nindex {out['index_bytes'] / 1e9:.2f} GB ({ratio:.2f}× the JSONL), "
          f"corpus/ {out['corpus_bytes'] / 1e9:.2f} GB")
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
