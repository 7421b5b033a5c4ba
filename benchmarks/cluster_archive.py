#!/usr/bin/env python3
"""What the news-archive features cost on an OpenSearch cluster: near-duplicate groups at
rebuild and import, folding, facets, similar articles.

usage: python benchmarks/cluster_archive.py CORPUS.jsonl QUERIES.jsonl --url URL
           [--home DIR] [--rounds 2] [--similar 30] [--copies 200] [--check-groups]

CORPUS.jsonl is stored once in the home (reused with ``--home``); the cluster index is
rebuilt from it (timed, wall and this process's CPU: the analysis; the grouping is the
part after the last bulk request). Then each query of QUERIES.jsonl is searched on the
backend alone (compile + search, top 10), interleaved in one loop: without folding, with
folding, and with folding and the three facets, ``--rounds`` times after a warm-up;
``--similar`` articles get their similar articles; ``--copies`` republished articles
(another lead on an indexed story) are imported and grouped. ``--check-groups`` also
builds the embedded index and compares its groups with the cluster's.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from searchkit import Engine
from searchkit.query.parse import parse_query

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import pct  # noqa: E402

MODES = {"plain": {"collapse": False}, "folded": {"collapse": True},
         "folded+facets": {"collapse": True, "facets": ("source", "year", "month")}}


def timed(fn: Any) -> tuple[float, float, Any]:
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000, out


def latency(eng: Engine, queries: list[str], rounds: int) -> dict[str, Any]:
    index = eng.backend_index  # the backend itself: compile + search
    compiled = {}
    for q in queries:  # warm-up, and the queries compiled once
        compiled[q] = index.compile(parse_query(q))
        for kw in MODES.values():
            index.search(compiled[q], limit=10, **kw)
    wall: dict[str, list[float]] = {m: [] for m in MODES}
    cpu: dict[str, list[float]] = {m: [] for m in MODES}
    folded_away = 0
    for _ in range(rounds):
        for q in queries:
            for mode, kw in MODES.items():  # interleaved: the same moment of the machine's load
                w, c, res = timed(lambda q=q, kw=kw: index.search(compiled[q], limit=10, **kw))
                wall[mode].append(w)
                cpu[mode].append(c)
                if mode == "folded":
                    folded_away += res.matched - res.total
    runs = len(queries) * rounds
    out: dict[str, Any] = {"queries": runs, "folded_away_per_query": round(folded_away / runs, 2)}
    for mode in MODES:
        out[mode] = {"p50_ms": round(pct(wall[mode], 50), 2), "p95_ms": round(pct(wall[mode], 95), 2),
                     "mean_ms": round(statistics.fmean(wall[mode]), 2),
                     "cpu_mean_ms": round(statistics.fmean(cpu[mode]), 2)}
    for mode in ("folded", "folded+facets"):
        out[mode]["mean_ratio_to_plain"] = round(statistics.fmean(wall[mode]) / statistics.fmean(wall["plain"]), 2)
    return out


def republished(eng: Engine, n: int, seed: int = 3) -> list[dict[str, Any]]:
    """``n`` copies of indexed stories under another lead, as another outlet runs them."""
    ids = sorted(eng.backend_index.indexed())
    rnd = random.Random(seed)
    out = []
    for i, art_id in enumerate(rnd.sample(ids, min(n, len(ids)))):
        a = eng.get(art_id)
        out.append({"id": f"copy-{i:05d}-{art_id}", "title": f"Передрук: {a.title}",
                    "text": "Редакція передруковує новину з дозволу автора. " + a.text,
                    "date": a.date.isoformat() if a.date else None, "source": "Передруки"})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("queries", type=Path)
    ap.add_argument("--url", required=True)
    ap.add_argument("--home", type=Path)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--similar", type=int, default=30)
    ap.add_argument("--copies", type=int, default=200)
    ap.add_argument("--check-groups", action="store_true")
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    a = ap.parse_args()

    queries = [json.loads(line)["query"] for line in a.queries.open(encoding="utf-8") if line.strip()]
    tmp = None
    if a.home is None:
        tmp = tempfile.TemporaryDirectory(prefix="searchkit-bench-")
        a.home = Path(tmp.name)
    if not (a.home / "corpus").is_dir():
        store = Engine.init(a.home)
        store.import_paths([a.corpus], index=False)
        store.close()
    out: dict[str, Any] = {"corpus": a.corpus.name, "load_before": os.getloadavg()}
    eng = Engine(a.home, url=a.url)
    w, c, rep = timed(lambda: eng.index(rebuild=True))
    groups = eng.duplicate_groups()
    out["rebuild"] = {"articles": rep.indexed, "wall_s": round(w / 1000, 1), "cpu_s": round(c / 1000, 1),
                      "index_mb": round(eng.stats().index_bytes / 1e6, 1), "groups": len(groups),
                      "grouped": sum(map(len, groups))}
    print(f"rebuild: {out['rebuild']}", file=sys.stderr)
    out["latency"] = latency(eng, queries, a.rounds)
    sample = random.Random(1).sample(sorted(eng.backend_index.indexed()), a.similar)
    sims = [timed(lambda i=i: eng.similar(i))[0] for i in sample]
    out["similar"] = {"articles": len(sims), "p50_ms": round(pct(sims, 50), 1), "p95_ms": round(pct(sims, 95), 1)}
    print(f"similar: {out['similar']}", file=sys.stderr)
    copies = republished(eng, a.copies)
    feed = a.home / "copies.jsonl"
    feed.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in copies), encoding="utf-8")
    w, c, rep = timed(lambda: eng.import_paths([feed]))
    after = eng.duplicate_groups()
    joined = sum(1 for r in copies if eng.duplicates(r["id"]))
    out["import_copies"] = {"copies": rep.added, "wall_s": round(w / 1000, 2), "cpu_s": round(c / 1000, 2),
                            "joined_a_group": joined, "groups_after": len(after)}
    if a.check_groups:
        local = Engine(a.home, backend="whoosh")
        local.index(rebuild=True)
        out["groups_equal_embedded"] = local.duplicate_groups() == after
        # similar articles on both, interleaved (the same articles, after the copies)
        both: dict[str, list[float]] = {"cluster": [], "embedded": []}
        for i in sample:
            for label, e in (("cluster", eng), ("embedded", local)):
                both[label].append(timed(lambda i=i, e=e: e.similar(i))[0])
        out["similar_after_copies"] = {k: {"p50_ms": round(pct(v, 50), 1), "p95_ms": round(pct(v, 95), 1)}
                                       for k, v in both.items()}
        local.close()
    out["load_after"] = os.getloadavg()
    eng.close()
    print(json.dumps(out, indent=1, ensure_ascii=False))
    a.out.mkdir(parents=True, exist_ok=True)
    (a.out / "cluster_archive.json").write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
