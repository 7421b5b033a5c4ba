#!/usr/bin/env python3
"""Relevance on a judged query set: import a corpus into a temporary home, run every query
through the library API, write a run file and score it with the set's ``evaluate.py``.

usage: python benchmarks/relevance.py CORPUS.jsonl QUERIES.jsonl [QUERIES2.jsonl ...]
           [--home DIR] [--evaluate PATH/evaluate.py] [--out DIR] [--url OPENSEARCH_URL]

``--home`` keeps (and reuses) the imported home, so a second run skips the import. The
scorer defaults to ``evaluate.py`` beside the first query file. Prints the per-type table
(MRR@10, Recall@10, Recall@100, nDCG@10) and saves ``relevance-<set>.json`` in ``--out``.
``--url`` runs the queries on an OpenSearch cluster instead of the embedded index.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from searchkit import Engine


def run_queries(eng: Engine, queries: Path, run_path: Path, depth: int = 100) -> float:
    t0 = time.perf_counter()
    n = 0
    with open(queries, encoding="utf-8") as f, open(run_path, "w", encoding="utf-8") as out:
        for line in f:
            if not line.strip():
                continue
            q = json.loads(line)
            try:
                res = eng.search(q["query"], limit=depth)
            except Exception as e:  # report and score the query as a miss
                print(f"warning: {q['qid']}: {e}", file=sys.stderr)
                continue
            for rank, hit in enumerate(res.hits, 1):
                out.write(f"{q['qid']}\t{hit.id}\t{rank}\n")
            n += 1
    return (time.perf_counter() - t0) / max(n, 1) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("queries", type=Path, nargs="+")
    ap.add_argument("--home", type=Path, help="keep the imported home here (reused when it exists)")
    ap.add_argument("--evaluate", type=Path, help="the scorer (default: evaluate.py beside the queries)")
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    ap.add_argument("--url", help="OpenSearch URL (http://HOST:9200[/ALIAS]): use the opensearch backend")
    a = ap.parse_args()

    tmp = None
    if a.home is None:
        tmp = tempfile.TemporaryDirectory(prefix="searchkit-rel-")
        a.home = Path(tmp.name)
    fresh = not (a.home / "corpus").is_dir()
    eng = Engine.init(a.home, url=a.url)
    if fresh:
        t0 = time.perf_counter()
        report = eng.import_paths([a.corpus])
        print(f"imported {report.added} articles in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    else:
        eng.index()
    evaluate = a.evaluate or a.queries[0].parent / "evaluate.py"
    a.out.mkdir(parents=True, exist_ok=True)
    for qpath in a.queries:
        run_path = a.out / f"run-{qpath.stem}.tsv"
        ms = run_queries(eng, qpath, run_path)
        table = subprocess.run([sys.executable, str(evaluate), str(qpath), str(run_path)],
                               capture_output=True, text=True, check=True).stdout
        scores = json.loads(subprocess.run([sys.executable, str(evaluate), str(qpath), str(run_path), "--json"],
                                           capture_output=True, text=True, check=True).stdout)
        print(f"== {qpath.name} ({ms:.1f} ms/query, top 100 with snippets)")
        print(table)
        (a.out / f"relevance-{qpath.stem}.json").write_text(
            json.dumps({"queries": qpath.name, "ms_per_query": round(ms, 2), "scores": scores}, indent=1) + "\n",
            encoding="utf-8",
        )
    eng.close()
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
