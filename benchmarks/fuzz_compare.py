#!/usr/bin/env python3
"""The fuzz latency of several checkouts on one home, interleaved: the seed's query stream
is cut into chunks, and each chunk runs in every checkout in turn (the order alternating
from chunk to chunk), so a machine that is busier at one moment slows all alike. Prints
p50/p95/p99/max per checkout and the ratios to the first.

usage: python benchmarks/fuzz_compare.py HOME --code DIR --code DIR [--n 2000] [--chunks 4]
       [--seed 19] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from measure import pct  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("home")
    ap.add_argument("--code", action="append", type=Path, required=True, help="a checkout (repeat)")
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--chunks", type=int, default=4)
    ap.add_argument("--seed", type=int, default=19)
    ap.add_argument("--json", type=Path, help="save every query's time per checkout here")
    args = ap.parse_args()
    size = -(-args.n // args.chunks)
    found: dict[int, list[list[object]]] = {i: [] for i in range(len(args.code))}
    failed: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for c in range(args.chunks):
            n = min(size, args.n - c * size)
            order = list(range(len(args.code)))
            if c % 2:
                order.reverse()
            for i in order:
                out = Path(tmp) / f"{c}-{i}.json"
                run = subprocess.run([sys.executable, str(HERE / "fuzz_latency.py"), args.home, "--n", str(n),
                                      "--skip", str(c * size), "--seed", str(args.seed), "--show", "0",
                                      "--code", str(args.code[i]), "--json", str(out)], check=False,
                                     stdout=subprocess.DEVNULL)
                if run.returncode:  # fuzz_latency exits 1 when a query raised anything but QueryError
                    failed.append(f"{args.code[i]}, chunk {c + 1}")
                found[i] += json.loads(out.read_text())
                print(f"chunk {c + 1}/{args.chunks}: {args.code[i]} done", file=sys.stderr)
    first = [float(t) for t, _, _ in found[0]]  # type: ignore[arg-type]
    print(f"{args.n} queries (seed {args.seed}) in {args.chunks} interleaved chunks")
    print(f"{'checkout':40s} {'p50':>8s} {'p95':>8s} {'p99':>9s} {'max':>9s} {'over 2 s':>9s}  "
          "× first (p50 p95 p99 max)")
    for i, code in enumerate(args.code):
        ms = [float(t) for t, _, _ in found[i]]  # type: ignore[arg-type]
        ratio = " ".join(f"{pct(ms, p) / pct(first, p):.2f}" for p in (50, 95, 99)) + f" {max(ms) / max(first):.2f}"
        print(f"{str(code)[-40:]:40s} {pct(ms, 50):8.1f} {pct(ms, 95):8.1f} {pct(ms, 99):9.1f} {max(ms):9.1f} "
              f"{sum(t > 2000 for t in ms):9d}  {ratio}")
        slow = sorted(found[i], key=lambda r: -float(r[0]))[:5]  # type: ignore[arg-type]
        for t, q, _ in slow:
            print(f"    {float(t):8.1f} ms  {ascii(q)[:90]}")  # type: ignore[arg-type]
    print("errors other than QueryError: " + ("; ".join(failed) if failed else "none"))
    if args.json:
        args.json.write_text(json.dumps({str(c): found[i] for i, c in enumerate(args.code)}))


if __name__ == "__main__":
    main()
