#!/usr/bin/env python3
"""Indexing speed: searchkit against plain Whoosh and the naive pymorphy3 filter.

usage: python benchmarks/index_speed.py CORPUS.jsonl [--rounds 3] [--only NAME ...]
           [--work DIR] [--out DIR]

Each round runs every system once, in turn (interleaved, so a busy machine slows all
of them alike), each in a fresh process on a fresh folder:

- ``searchkit import``: the whole user path, ``searchkit import CORPUS`` into an empty
  home (articles stored in ``corpus/``, then indexed);
- ``searchkit rebuild``: ``searchkit index --rebuild`` of that home (indexing only);
- ``whoosh plain`` and ``naive filter``: see ``baselines.py``.

Reported per system (median of the rounds): wall time, user+sys CPU of the process and
every process it waited for, the time its processes were ready to run but waited for a
CPU (high when other work loads the machine: then wall times say little), words per
second, peak RSS of the whole process tree and the index size; then the ratios to plain
Whoosh, of the medians and round by round (each run against plain Whoosh's run in the
same round). Saves ``index_speed.json`` in ``--out``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import Run, machine, run  # noqa: E402

HERE = Path(__file__).resolve().parent
WORD = re.compile(r"[^\W_]+")


def searchkit_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("searchkit")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "searchkit"]


def count_words(corpus: Path) -> int:
    n = 0
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rec = json.loads(line)
                n += len(WORD.findall(rec.get("title") or "")) + len(WORD.findall(rec.get("text") or ""))
    return n


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--only", nargs="*", help="systems to run (default: all)")
    ap.add_argument("--work", type=Path, help="scratch folder (default: a temporary one)")
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    a = ap.parse_args()
    corpus = a.corpus.resolve()
    if a.work:
        a.work.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="searchkit-speed-", dir=a.work))
    sk = searchkit_cmd()
    home = work / "home"
    baseline = [sys.executable, str(HERE / "baselines.py")]
    systems = {
        "searchkit import": (lambda: [*sk, "--home", str(home), "import", str(corpus)], lambda: home / "index",
                             lambda: (shutil.rmtree(home, ignore_errors=True), (home / "corpus").mkdir(parents=True))),
        "searchkit rebuild": (lambda: [*sk, "--home", str(home), "index", "--rebuild"], lambda: home / "index",
                              lambda: None),
        "whoosh plain": (lambda: [*baseline, "plain", str(corpus), str(work / "plain")], lambda: work / "plain",
                         lambda: None),
        "naive filter": (lambda: [*baseline, "naive", str(corpus), str(work / "naive")], lambda: work / "naive",
                         lambda: None),
    }
    names = [n for n in systems if not a.only or n in a.only]
    if "searchkit rebuild" in names and "searchkit import" not in names:
        sys.exit("searchkit rebuild needs searchkit import (it rebuilds that home)")
    info = machine()
    words = count_words(corpus)
    print(f"{corpus.name}: {words:,} words; machine: {info}", file=sys.stderr)
    runs: dict[str, list[Run]] = {n: [] for n in names}
    sizes: dict[str, int] = {}
    env = dict(os.environ, NO_COLOR="1", SEARCHKIT_LOCK_TIMEOUT="60")
    try:
        for r in range(a.rounds):
            for name in names:
                cmd, where, prepare = systems[name]
                prepare()
                res = run(cmd(), env=env)
                if res.returncode != 0:
                    sys.exit(f"{name} failed (exit {res.returncode})")
                runs[name].append(res)
                sizes[name] = du(where())
                print(f"round {r + 1} {name}: {res.wall:.2f} s wall, {res.cpu:.2f} s CPU, "
                      f"{res.cpu_wait:.2f} s waiting for a CPU, {res.peak_rss_mb:.0f} MB", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    def med(name: str, attr: str) -> float:
        return statistics.median(getattr(x, attr) for x in runs[name])

    base = "whoosh plain" if "whoosh plain" in names else None
    rows = []
    for name in names:
        wall, cpu = med(name, "wall"), med(name, "cpu")
        row = {"system": name, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "words_per_s": round(words / wall),
               "peak_rss_mb": round(max(x.peak_rss_mb for x in runs[name])), "index_mb": round(sizes[name] / 2**20, 1),
               "cpu_wait_s": round(med(name, "cpu_wait"), 2),
               "walls": [round(x.wall, 2) for x in runs[name]], "cpus": [round(x.cpu, 2) for x in runs[name]]}
        if base:
            row["wall_ratio"] = round(wall / med(base, "wall"), 2)
            row["cpu_ratio"] = round(cpu / med(base, "cpu"), 2)
            # Each round against plain Whoosh in the same round: the machine's speed drifts
            # between rounds, and this pairs runs made a few seconds apart.
            row["round_wall_ratios"] = [round(x.wall / b.wall, 3) for x, b in zip(runs[name], runs[base], strict=True)]
            row["round_cpu_ratios"] = [round(x.cpu / b.cpu, 3) for x, b in zip(runs[name], runs[base], strict=True)]
        rows.append(row)
    head = (f"| system | wall s | CPU s | waited for a CPU s | words/s | peak RSS MB | index MB |"
            f"{' wall × | CPU × |' if base else ''}")
    print(f"\n{corpus.name}: {words:,} words, {a.rounds} interleaved rounds, medians; "
          f"{info.get('cores')} cores, {info.get('ram_gb')} GB RAM, load before {info.get('load_before')}\n")
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for row in rows:
        ratios = f" {row['wall_ratio']:.2f} | {row['cpu_ratio']:.2f} |" if base else ""
        print(f"| {row['system']} | {row['wall_s']:.2f} | {row['cpu_s']:.2f} | {row['cpu_wait_s']:.2f} | "
              f"{row['words_per_s']:,} | "
              f"{row['peak_rss_mb']} | {row['index_mb']} |{ratios}")
    if base:
        print("\nround by round, against plain Whoosh in the same round (median, then each round):\n")
        print("| system | wall × | CPU × | wall × by round | CPU × by round |")
        print("|---|---|---|---|---|")
        for row in rows:
            if row["system"] != base:
                walls, cpus = row["round_wall_ratios"], row["round_cpu_ratios"]
                print(f"| {row['system']} | {statistics.median(walls):.2f} | {statistics.median(cpus):.2f} | "
                      f"{' '.join(f'{x:.2f}' for x in walls)} | {' '.join(f'{x:.2f}' for x in cpus)} |")
    a.out.mkdir(parents=True, exist_ok=True)
    out = a.out / "index_speed.json"
    out.write_text(json.dumps({"corpus": corpus.name, "words": words, "rounds": a.rounds, "machine": info,
                               "systems": rows}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"\nsaved {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
