#!/usr/bin/env python3
"""The slow-query set in a fresh process: two-letter prefixes, fuzzy words, a deep page,
negations with date phrases; each ``searchkit search`` run as a new process, the wall time
from start to exit and the process's CPU time (user + system: steadier than the wall time
when other work shares the machine). ``--tree`` names checkouts to compare (default: this one): their runs
are interleaved, query by query and round by round, so a machine that is busier at one
moment slows both alike, and the ratios to the first tree are printed.

usage: python benchmarks/slow_queries.py HOME [--rounds 3] [--tree DIR ...] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: (label, arguments after ``search``)
QUERIES: list[tuple[str, list[str]]] = [
    ("та*", ["та*"]),
    ("ук*", ["ук*"]),
    ("україн*", ["україн*"]),
    ("школа -n 1000", ["школа", "-n", "1000"]),
    ("табір~", ["табір~"]),
    ("новий~2 Kyiv", ["новий~2", "Kyiv"]),
    ("-минулого тижня торік школа", ["--", "-минулого тижня торік школа"]),
    ('"нова школа" OR "старе місто"', ['"нова школа" OR "старе місто"']),
    ("школа --sort date", ["школа", "--sort", "date"]),
]

RUN = "import sys; sys.path.insert(0, sys.argv.pop(1)); from searchkit.cli import main; main()"


def once(tree: Path, home: str, args: list[str]) -> tuple[float, float, str]:
    """Wall and CPU seconds of one fresh ``searchkit search``, and its header line."""
    cmd = [sys.executable, "-c", RUN, str(tree), "--home", home, "search", *args]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    took = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    lines = (out.stdout or out.stderr).splitlines()
    return took, cpu, next((ln for ln in lines if "match" in ln or "Error" in ln), lines[0] if lines else "")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("home")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--tree", action="append", type=Path, help="a checkout to run (repeat to compare)")
    ap.add_argument("--json", type=Path, help="save the figures here")
    args = ap.parse_args()
    trees = args.tree or [ROOT]
    times: dict[tuple[str, int], list[float]] = {}
    cpus: dict[tuple[str, int], list[float]] = {}
    headers: dict[tuple[str, int], str] = {}
    for _ in range(args.rounds):
        for label, qargs in QUERIES:
            for t, tree in enumerate(trees):
                took, cpu, header = once(tree, args.home, qargs)
                times.setdefault((label, t), []).append(took)
                cpus.setdefault((label, t), []).append(cpu)
                headers[(label, t)] = header
    names = [str(t) for t in trees]
    print(f"{args.rounds} rounds; median seconds of a fresh `searchkit search`: wall (min-max), then CPU; "
          f"load {os.getloadavg()[0]:.1f}")
    for label, _ in QUERIES:
        cells = []
        for t in range(len(trees)):
            xs, cpu = times[(label, t)], statistics.median(cpus[(label, t)])
            cells.append(f"{statistics.median(xs):5.2f} ({min(xs):.2f}-{max(xs):.2f}) cpu {cpu:.2f}")
        ratio = ""
        if len(trees) > 1:
            base, base_cpu = statistics.median(times[(label, 0)]), statistics.median(cpus[(label, 0)])
            ratio = "  × " + " ".join(f"{statistics.median(times[(label, t)]) / base:.2f} "
                                      f"(cpu {statistics.median(cpus[(label, t)]) / base_cpu:.2f})"
                                      for t in range(1, len(trees)))
        print(f"{label:30s} " + "  ".join(cells) + ratio)
        for t in range(len(trees)):
            print(f"{'':32s}[{t}] {headers[(label, t)][:110]}")
    if args.json:
        args.json.write_text(json.dumps({"trees": names, "rounds": args.rounds, "times": {
            f"{label} [{t}]": xs for (label, t), xs in times.items()}, "cpu": {
            f"{label} [{t}]": xs for (label, t), xs in cpus.items()}}, ensure_ascii=False, indent=1))

if __name__ == "__main__":
    main()
