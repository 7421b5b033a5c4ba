#!/usr/bin/env python3
"""Import throughput on an OpenSearch cluster: code trees and numbers of analysis
processes compared in one run, interleaved, with where the time goes.

usage: python benchmarks/cluster_import.py CORPUS.jsonl --url URL [--code DIR ...]
           [--analysis 1,2,4] [--mode import|rebuild] [--rounds 2] [--run-dir RUN]

Each run is a fresh process with a code tree on its path (``--code``, default this
repository) and a fresh home whose index lives under an alias of its own on the cluster:

- ``import``: ``Engine.import_paths([CORPUS])`` into the empty home (stored and indexed,
  as ``searchkit import`` does);
- ``rebuild``: the articles are stored first (not timed), then ``Engine.index(rebuild=True)``.

``--analysis`` lists numbers of analysis processes to try with each tree that knows the
``analysis`` key of ``searchkit.toml`` (``-`` in the list: leave the key out, the tree's
default). Runs go tree by tree and setting by setting within a round, so each comparison
is made at the same moment of the machine's load. Per run: wall seconds, articles/s, the
CPU seconds of the importing process, of its analysis processes (its children), and, with
``--run-dir`` (the ``scripts/opensearch-up`` run directory, where each node's pid is), of
the cluster's nodes; the load average before it. The index is deleted after each run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

DRIVER = r"""
import json, multiprocessing, os, resource, sys, time
from pathlib import Path
from searchkit import Engine
corpus, home, url, mode, analysis = sys.argv[1:6]
Engine.init(home, url=url)
if analysis != "-":
    with open(Path(home) / "searchkit.toml", "a", encoding="utf-8") as f:
        f.write(f"analysis = {analysis}\n")
eng = Engine(home)
if mode == "rebuild":
    eng.import_paths([corpus], index=False)
self0 = resource.getrusage(resource.RUSAGE_SELF)
kids0 = resource.getrusage(resource.RUSAGE_CHILDREN)
t0 = time.perf_counter()
if mode == "rebuild":
    n = eng.index(rebuild=True).indexed
else:
    rep = eng.import_paths([corpus])
    n = rep.added + rep.updated
wall = time.perf_counter() - t0
self1 = resource.getrusage(resource.RUSAGE_SELF)
kids1 = resource.getrusage(resource.RUSAGE_CHILDREN)
# analysis processes kept for a next job are not reaped yet: their CPU from /proc
tick = os.sysconf("SC_CLK_TCK")
alive = 0.0
for p in multiprocessing.active_children():
    fields = Path(f"/proc/{p.pid}/stat").read_text().rsplit(")", 1)[1].split()
    alive += (int(fields[11]) + int(fields[12])) / tick
count = eng.backend_index.doc_count()
client = eng.backend_index.client
client.indices.delete(index=eng.backend_index.alias + "-g*")
import searchkit
assert Path(searchkit.__file__).parents[1] == Path(os.environ["PYTHONPATH"]), searchkit.__file__
print(json.dumps({"articles": n, "indexed": count, "wall_s": wall,
                  "cpu_s": (self1.ru_utime + self1.ru_stime) - (self0.ru_utime + self0.ru_stime),
                  "children_cpu_s": (kids1.ru_utime + kids1.ru_stime) - (kids0.ru_utime + kids0.ru_stime) + alive}))
"""


def knows_analysis(code: Path) -> bool:
    """Whether the tree's ``searchkit.toml`` reader knows the ``analysis`` key."""
    return '"analysis"' in (code / "searchkit" / "backends" / "__init__.py").read_text(encoding="utf-8")


def node_pids(run_dir: Path | None) -> list[int]:
    if run_dir is None:
        return []
    return [int(p.read_text().strip()) for p in sorted(run_dir.glob("n*.pid"))]


def cpu_of(pids: list[int]) -> float:
    """CPU seconds used so far by ``pids`` (user + system, from /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def run_one(code: Path, corpus: Path, url: str, mode: str, analysis: str, pids: list[int]) -> dict[str, Any]:
    alias = f"bench-{uuid.uuid4().hex[:10]}"
    base = url.split("/", 3)
    hosts = url if len(base) < 4 else "/".join(base[:3])
    with tempfile.TemporaryDirectory(prefix="cluster-import-") as tmp:
        # run from elsewhere: ``python -c`` puts the working directory before PYTHONPATH
        env = dict(os.environ, PYTHONPATH=str(code), PYTHONDONTWRITEBYTECODE="1")
        load = os.getloadavg()[0]
        jvm0 = cpu_of(pids)
        out = subprocess.run([sys.executable, "-c", DRIVER, str(corpus), str(Path(tmp) / "home"),
                              f"{hosts}/{alias}", mode, analysis],
                             env=env, cwd=tmp, capture_output=True, text=True, check=False)
        jvm = cpu_of(pids) - jvm0
    if out.returncode != 0:
        raise SystemExit(f"run failed ({code}, analysis {analysis}):\n{out.stderr[-3000:]}")
    res: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    res.update(code=str(code), analysis=analysis, mode=mode, load=round(load, 2), cluster_cpu_s=jvm)
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--url", required=True, help="the cluster's hosts, comma-separated")
    ap.add_argument("--code", type=Path, action="append", help="a code tree (repeatable; default: this one)")
    ap.add_argument("--analysis", default="-", help="numbers of analysis processes, comma-separated ('-': default)")
    ap.add_argument("--mode", choices=("import", "rebuild"), default="import")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--run-dir", type=Path, help="scripts/opensearch-up's run directory (for the nodes' CPU)")
    ap.add_argument("--out", type=Path, help="also write every run as a JSON line here")
    a = ap.parse_args()
    codes = [c.resolve() for c in (a.code or [ROOT])]
    settings = a.analysis.split(",")
    pids = node_pids(a.run_dir)
    runs: list[dict[str, Any]] = []
    for r in range(a.rounds):
        for code in codes:
            # a tree that does not know the key is run once, with its default
            for analysis in settings if knows_analysis(code) else ["-"]:
                res = run_one(code, a.corpus.resolve(), a.url, a.mode, analysis, pids)
                res["round"] = r
                runs.append(res)
                print(json.dumps(res), file=sys.stderr, flush=True)
                if a.out:
                    with a.out.open("a", encoding="utf-8") as f:
                        f.write(json.dumps(res) + "\n")
    first: float | None = None
    print(f"{a.mode} of {a.corpus.name}, {a.rounds} interleaved rounds (medians)")
    print("| code | analysis | wall s | articles/s | ratio | importer CPU s | analysis CPU s | cluster CPU s "
          "| load |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for code in codes:
        for analysis in dict.fromkeys(x["analysis"] for x in runs if x["code"] == str(code)):
            mine = [x for x in runs if x["code"] == str(code) and x["analysis"] == analysis]
            wall = statistics.median(x["wall_s"] for x in mine)
            rate = statistics.median(x["articles"] / x["wall_s"] for x in mine)
            first = first or rate
            print(f"| {code.name} | {analysis} | {wall:.1f} | {rate:.1f} | {rate / first:.2f} "
                  f"| {statistics.median(x['cpu_s'] for x in mine):.1f} "
                  f"| {statistics.median(x['children_cpu_s'] for x in mine):.1f} "
                  f"| {statistics.median(x['cluster_cpu_s'] for x in mine):.1f} "
                  f"| {statistics.median(x['load'] for x in mine):.1f} |")
    bad = [x for x in runs if x["indexed"] != x["articles"]]
    if bad:
        print(f"WARNING: {len(bad)} runs indexed a different number of articles than they imported")


if __name__ == "__main__":
    main()
