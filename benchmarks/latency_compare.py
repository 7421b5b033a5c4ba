#!/usr/bin/env python3
"""Warm search latency of two checkouts on one home, interleaved query by query.

usage: python benchmarks/latency_compare.py HOME QUERIES.jsonl --code OLD --code NEW
           [--home2 HOME2] [--rounds 2] [--ids-only] [--json OUT]

Each checkout runs in its own long-lived process (``Engine(HOME)``, warmed by one pass
over the queries); then every query goes to both, in alternating order, ``--rounds``
times. Prints p50/p95/p99/mean of the wall time and of the process CPU time per search
(CPU time moves less than wall time when other work shares the machine), the ratios of
the second checkout to the first, and how many queries got different hits or totals
(first round). The top 10 with snippets unless ``--ids-only``. With ``--home2`` the second
checkout searches HOME2 instead: the same articles indexed by the new code (a home built
otherwise answers the same queries from other files).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import pct  # noqa: E402

CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
from searchkit import Engine
engine = Engine(sys.argv[2])
snippets = sys.argv[3] == "snippets"
engine.search("тест")
print("ready", flush=True)
for line in sys.stdin:
    query = json.loads(line)
    t0, c0 = time.perf_counter(), time.process_time()
    res = engine.search(query, snippets=snippets)
    wall, cpu = (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000
    print(json.dumps([wall, cpu, res.total, res.matched_all, [h.id for h in res.hits]]), flush=True)
"""


def summary(values: list[float]) -> dict[str, float]:
    return {k: round(pct(values, p), 2) for k, p in (("p50", 50), ("p95", 95), ("p99", 99))} | {
        "mean": round(sum(values) / len(values), 2)}


class Checkout:
    def __init__(self, code: Path, home: str, snippets: bool) -> None:
        self.code = code
        self.proc = subprocess.Popen([sys.executable, "-c", CHILD, str(code), home,
                                      "snippets" if snippets else "ids"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdin is not None and self.proc.stdout is not None
        if self.proc.stdout.readline().strip() != "ready":
            raise SystemExit(f"{code}: the engine did not start")

    def ask(self, query: str) -> list[Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(query, ensure_ascii=False) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())  # type: ignore[no-any-return]

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("home")
    ap.add_argument("queries", type=Path)
    ap.add_argument("--code", action="append", type=Path, required=True, help="a checkout (twice)")
    ap.add_argument("--home2", help="the home the second checkout searches (default: HOME)")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--ids-only", action="store_true")
    ap.add_argument("--json", type=Path, help="save the summary here")
    args = ap.parse_args()
    if len(args.code) != 2:
        ap.error("give --code twice: the checkout to compare against, then the new one")
    queries = [json.loads(line)["query"] for line in args.queries.read_text(encoding="utf-8").splitlines()
               if line.strip()]
    homes = [args.home, args.home2 or args.home]
    sides = [Checkout(c, h, not args.ids_only) for c, h in zip(args.code, homes, strict=True)]
    try:
        for q in queries:  # warm: each process has met every query once
            for side in sides:
                side.ask(q)
        runs: list[list[list[Any]]] = [[], []]
        differing = 0
        for rnd in range(args.rounds):
            for i, q in enumerate(queries):
                order = [0, 1] if (i + rnd) % 2 else [1, 0]
                got = {k: sides[k].ask(q) for k in order}
                for k in (0, 1):
                    runs[k].append(got[k])
                if rnd == 0 and got[0][2:] != got[1][2:]:
                    differing += 1
    finally:
        for side in sides:
            side.close()
    out: dict[str, Any] = {"queries": len(queries), "rounds": args.rounds, "snippets": not args.ids_only,
                           "load": round(os.getloadavg()[0], 2), "differing": differing}
    for k, label in enumerate(("old", "new")):
        out[label] = {"wall": summary([r[0] for r in runs[k]]), "cpu": summary([r[1] for r in runs[k]])}
        print(f"{label} {args.code[k]} on {homes[k]}: wall {out[label]['wall']}  cpu {out[label]['cpu']}")
    ratio = {f"{m} {s}": round(out["new"][m][s] / out["old"][m][s], 2)
             for m in ("wall", "cpu") for s in ("p50", "p95", "mean") if out["old"][m][s]}
    out["ratio"] = ratio
    print("new/old:", ratio)
    print(f"queries whose hits or totals differ: {differing} of {len(queries)} (load {out['load']})")
    if args.json:
        args.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
