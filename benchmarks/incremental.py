#!/usr/bin/env python3
"""Incremental updates against a full build.

usage: python benchmarks/incremental.py CORPUS.jsonl [--percent 1] [--work DIR] [--keep HOME]
           [--out DIR]

Splits CORPUS into a base (all but the last ``--percent``) and the new articles, and
makes changed copies of ``--percent`` of the base articles (a sentence added to the
text). Then, each step a fresh ``searchkit`` process on one home:

1. ``import --no-index`` of the base into an empty home (the articles stored);
2. ``index --rebuild``: the full build the ratios refer to;
3. ``import`` of the new articles;
4. ``import`` of the changed articles;
5. ``import`` of the whole base again, as it stands after step 4 (a no-op);
6. ``index`` (a scan of corpus/ that finds nothing to do).

Prints wall, CPU and peak RSS per step and each step's wall time as a share of the full
rebuild; checks the article counts; saves ``incremental.json`` in ``--out``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import machine, run  # noqa: E402


def searchkit_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("searchkit")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "searchkit"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--percent", type=float, default=1.0)
    ap.add_argument("--work", type=Path, help="scratch folder (default: a temporary one)")
    ap.add_argument("--keep", type=Path, help="build the home here and keep it (e.g. for query_latency.py)")
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    a = ap.parse_args()
    if a.work:
        a.work.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="searchkit-incr-", dir=a.work))
    lines = [line for line in a.corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    k = max(1, round(len(lines) * a.percent / 100))
    base, new = lines[:-k], lines[-k:]
    step = max(1, len(base) // k)
    changed = []
    current = list(base)  # the base as it stands once the changes are in
    for i in range(0, len(base), step)[:k]:
        rec = json.loads(base[i])
        rec["text"] += "\n\nОновлено: редакція додала уточнення до цього матеріалу."
        changed.append(json.dumps(rec, ensure_ascii=False))
        current[i] = changed[-1]
    files = {}
    for name, part in (("base", base), ("new", new), ("changed", changed), ("current", current)):
        files[name] = work / f"{name}.jsonl"
        files[name].write_text("\n".join(part) + "\n", encoding="utf-8")
    home = a.keep or work / "home"
    if (home / "corpus").exists():
        sys.exit(f"{home} already holds a home")
    (home / "corpus").mkdir(parents=True)
    sk = [*searchkit_cmd(), "--home", str(home)]
    env = dict(os.environ, NO_COLOR="1", SEARCHKIT_LOCK_TIMEOUT="60")
    steps = [
        (f"store {len(base):,} articles (import --no-index)", [*sk, "import", "--no-index", str(files["base"]),
                                                                 "--json"]),
        ("full rebuild (index --rebuild)", [*sk, "index", "--rebuild", "--json"]),
        (f"import {len(new):,} new", [*sk, "import", str(files["new"]), "--json"]),
        (f"import {len(changed):,} changed", [*sk, "import", str(files["changed"]), "--json"]),
        (f"re-import {len(current):,} unchanged", [*sk, "import", str(files["current"]), "--json"]),
        ("index (nothing to do)", [*sk, "index", "--json"]),
    ]
    info = machine()
    rows = []
    try:
        for label, cmd in steps:
            r = run(cmd, env=env)
            if r.returncode != 0:
                sys.exit(f"{label}: searchkit failed (exit {r.returncode})")
            report = json.loads(r.stdout.strip().splitlines()[-1])
            rows.append({"step": label, "wall_s": round(r.wall, 2), "cpu_s": round(r.cpu, 2),
                         "peak_rss_mb": round(r.peak_rss_mb), "report": report})
            print(f"{label}: {r.wall:.2f} s, {report}", file=sys.stderr)
        stats = run([*sk, "stats", "--json"], env=env)
        articles = json.loads(stats.stdout)["articles"]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if articles != len(base) + len(new):
        sys.exit(f"expected {len(base) + len(new)} indexed articles, found {articles}")
    rebuild = rows[1]["wall_s"]
    for row in rows:
        row["share_of_rebuild"] = round(row["wall_s"] / rebuild, 4)
    print(f"\n{a.corpus.name}: {len(base):,} base articles; {info.get('cores')} cores, {info.get('ram_gb')} GB RAM, "
          f"load before {info.get('load_before')}\n")
    print("| step | wall s | CPU s | peak RSS MB | % of full rebuild |")
    print("|---|---|---|---|---|")
    for row in rows:
        print(f"| {row['step']} | {row['wall_s']:.2f} | {row['cpu_s']:.2f} | {row['peak_rss_mb']} | "
              f"{100 * row['share_of_rebuild']:.1f} % |")
    a.out.mkdir(parents=True, exist_ok=True)
    out = a.out / "incremental.json"
    out.write_text(json.dumps({"corpus": a.corpus.name, "base": len(base), "new": len(new), "changed": len(changed),
                               "machine": info, "steps": rows}, ensure_ascii=False, indent=1) + "\n",
                   encoding="utf-8")
    print(f"\nsaved {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
