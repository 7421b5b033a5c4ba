#!/usr/bin/env python3
"""The OpenSearch backend against the embedded Whoosh index: indexing throughput and query
latency on the same home, side by side.

usage: python benchmarks/opensearch_vs_whoosh.py CORPUS.jsonl QUERIES.jsonl --url URL
           [--home DIR] [--rounds 3] [--out DIR]

CORPUS.jsonl is imported once into the home (``corpus/``, timed as "store"); then each
backend builds its index from that same corpus (``index --rebuild``: analysis + writing)
and runs every query of QUERIES.jsonl (one JSON object with a ``query`` per line): one
warm-up pass, then ``--rounds`` timed passes. Latency is reported twice: "search" is the
library call users make (top 10 with snippets read from corpus/), "index" is the backend
alone (compile + search, no snippets). Prints a table and saves
``opensearch_vs_whoosh.json`` in ``--out``. ``--home`` keeps the imported corpus for reuse.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from searchkit import Engine
from searchkit.backends import IndexConfig
from searchkit.query.parse import parse_query


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def latency(eng: Engine, queries: list[str], rounds: int) -> dict[str, Any]:
    for q in queries:  # warm-up: caches, JIT, connections
        eng.search(q, limit=10)
    full: list[float] = []
    raw: list[float] = []
    index = eng.backend_index  # the backend itself, for the "index" figures
    for _ in range(rounds):
        for q in queries:
            t0 = time.perf_counter()
            eng.search(q, limit=10)
            full.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            index.search(index.compile(parse_query(q)), limit=10)
            raw.append((time.perf_counter() - t0) * 1000)
    return {
        "queries": len(full),
        "search_p50_ms": round(pct(full, 50), 2), "search_p95_ms": round(pct(full, 95), 2),
        "search_mean_ms": round(statistics.fmean(full), 2),
        "index_p50_ms": round(pct(raw, 50), 2), "index_p95_ms": round(pct(raw, 95), 2),
        "index_mean_ms": round(statistics.fmean(raw), 2),
    }


def cluster_info(url: str) -> dict[str, Any]:
    hosts, alias = IndexConfig(backend="opensearch", url=url).hosts_and_alias()
    with urllib.request.urlopen(f"{hosts[0]}/_cluster/health", timeout=10) as r:
        h = json.load(r)
    with urllib.request.urlopen(f"{hosts[0]}/{alias}/_settings", timeout=10) as r:
        idx = next(iter(json.load(r).values()))["settings"]["index"]
    return {"nodes": h["number_of_nodes"], "status": h["status"], "shards": int(idx["number_of_shards"]),
            "replicas": int(idx["number_of_replicas"])}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("queries", type=Path)
    ap.add_argument("--url", required=True, help="OpenSearch URL, e.g. http://127.0.0.1:9200,http://127.0.0.1:9201/bench")
    ap.add_argument("--home", type=Path, help="keep the imported home here (reused when it exists)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    a = ap.parse_args()

    queries = [json.loads(line)["query"] for line in a.queries.open(encoding="utf-8") if line.strip()]
    tmp = None
    if a.home is None:
        tmp = tempfile.TemporaryDirectory(prefix="searchkit-bench-")
        a.home = Path(tmp.name)
    out: dict[str, Any] = {"corpus": a.corpus.name, "queries": a.queries.name}
    fresh = not (a.home / "corpus").is_dir()
    store = Engine.init(a.home)
    if fresh:
        t0 = time.perf_counter()
        rep = store.import_paths([a.corpus], index=False)
        secs = time.perf_counter() - t0
        out["store"] = {"articles": rep.added, "seconds": round(secs, 1)}
        print(f"stored {rep.added} articles in {secs:.1f} s", file=sys.stderr)
    articles = store.corpus.count()
    out["articles"] = articles
    store.close()

    for name, kwargs in (("whoosh", {"backend": "whoosh"}), ("opensearch", {"url": a.url})):
        eng = Engine(a.home, **kwargs)
        t0 = time.perf_counter()
        rep = eng.index(rebuild=True)
        secs = time.perf_counter() - t0
        res: dict[str, Any] = {"indexed": rep.indexed, "index_seconds": round(secs, 1),
                               "articles_per_s": round(rep.indexed / secs, 1), "index_bytes": eng.stats().index_bytes}
        print(f"{name}: indexed {rep.indexed} in {secs:.1f} s", file=sys.stderr)
        res.update(latency(eng, queries, a.rounds))
        if name == "opensearch":
            res["cluster"] = cluster_info(a.url)
        out[name] = res
        eng.close()

    w, o = out["whoosh"], out["opensearch"]
    print(f"{articles} articles, {len(queries)} queries x {a.rounds} rounds; "
          f"cluster: {o['cluster']['nodes']} nodes, {o['cluster']['shards']} shards x "
          f"{o['cluster']['replicas'] + 1} copies ({o['cluster']['status']})")
    print(f"{'':26}{'whoosh':>12}{'opensearch':>12}")
    rows = [("index: articles/s", "articles_per_s"), ("index: seconds", "index_seconds"),
            ("index size (MB)", "index_bytes"),
            ("search p50 ms (top 10)", "search_p50_ms"), ("search p95 ms", "search_p95_ms"),
            ("backend p50 ms", "index_p50_ms"), ("backend p95 ms", "index_p95_ms")]
    for label, key in rows:
        wv, ov = w[key], o[key]
        if key == "index_bytes":
            wv, ov = round(wv / 1e6, 1), round(ov / 1e6, 1)
        print(f"{label:26}{wv:>12}{ov:>12}")
    a.out.mkdir(parents=True, exist_ok=True)
    (a.out / "opensearch_vs_whoosh.json").write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n",
                                                     encoding="utf-8")
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
