#!/usr/bin/env python3
"""Relevance on a judged query set: import a corpus into a temporary home, run every query
through the library API, write a run file and score it with the set's ``evaluate.py``.

usage: python benchmarks/relevance.py CORPUS.jsonl QUERIES.jsonl [QUERIES2.jsonl ...]
           [--home DIR] [--evaluate PATH/evaluate.py] [--out DIR] [--url OPENSEARCH_URL]

``--home`` keeps (and reuses) the imported home, so a second run skips the import. The
scorer defaults to ``evaluate.py`` beside the first query file. Prints the per-type table
(MRR@10, Recall@10, Recall@100, nDCG@10) and saves ``relevance-<set>.json`` in ``--out``.
``--url`` runs the queries on an OpenSearch cluster instead of the embedded index.
``--topic-weight 0`` orders the first results by the words' scores alone (see
docs/relevance.md, "Ranking by topic").

Sets whose lines have a ``subtype`` (the real-misspelling set) are scored per
``type/subtype``; graded sets (lines with ``judgments``, the topical set) are scored with
``evaluate_graded.py`` beside them (or beside ``--evaluate``), overall and for one-word and
multi-word queries apart. ``benchmarks/data/topical-extra.jsonl`` (16 subjects),
``topical-more.jsonl`` (24), ``topical-three.jsonl`` (11 subjects of three words),
``topical-names.jsonl`` (11 people, places and events) and ``topical-stops.jsonl`` (10
subjects typed with a function word) are such sets of our own over ``bruk.jsonl`` (see
docs/relevance.md):

    python benchmarks/relevance.py ../shared/corpus/bruk.jsonl benchmarks/data/topical-extra.jsonl
        benchmarks/data/topical-more.jsonl benchmarks/data/topical-three.jsonl
        --evaluate ../shared/eval/evaluate.py
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from searchkit import Engine


def run_queries(eng: Engine, queries: Path, run_path: Path, depth: int = 100) -> tuple[float, int]:
    """Each query's top ``depth`` written to ``run_path``; the ms per query, and how many
    queries raised an error (scored as misses, and said in the set's heading)."""
    t0 = time.perf_counter()
    n = failed = 0
    with open(queries, encoding="utf-8") as f, open(run_path, "w", encoding="utf-8") as out:
        for line in f:
            if not line.strip():
                continue
            q = json.loads(line)
            try:
                res = eng.search(q["query"], limit=depth)
            except Exception as e:  # report and score the query as a miss
                print(f"warning: {q['qid']}: {e}", file=sys.stderr)
                failed += 1
                continue
            for rank, hit in enumerate(res.hits, 1):
                out.write(f"{q['qid']}\t{hit.id}\t{rank}\n")
            n += 1
    return (time.perf_counter() - t0) / max(n, 1) * 1000, failed


def score_graded(evaluate: Path, lines: list[dict[str, object]], run_path: Path, out: Path) -> dict[str, object]:
    """nDCG@10, P@10 and MRR@10 of a graded set, overall and by the number of query words."""
    groups = {"one-word": [q for q in lines if len(str(q["query"]).split()) == 1],
              "multi-word": [q for q in lines if len(str(q["query"]).split()) > 1], "overall": lines}
    scores: dict[str, object] = {}
    for name, group in groups.items():
        if not group:
            continue
        path = out / f"graded-{name}.jsonl"
        path.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in group), encoding="utf-8")
        got = json.loads(subprocess.run([sys.executable, str(evaluate), str(path), str(run_path), "--json"],
                                        capture_output=True, text=True, check=True).stdout)
        scores[name] = got
        print(f"{name:<11} " + " ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}"
                                         for k, v in got.items()))
    print()
    return scores


def read_queries(qpath: Path) -> list[dict[str, Any]]:
    """The query set's lines; one that no scorer could use ends the run with
    ``relevance.py: FILE:LINE: what``."""
    out = []
    try:
        text = qpath.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        sys.exit(f"relevance.py: cannot read {qpath}: {getattr(e, 'strerror', None) or e}")
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            q = json.loads(line)
        except json.JSONDecodeError as e:
            sys.exit(f"relevance.py: {qpath}:{n}: not JSON ({e.msg})")
        if not isinstance(q, dict):
            sys.exit(f"relevance.py: {qpath}:{n}: not a JSON object")
        missing = [k for k in ("qid", "query") if k not in q]
        if "relevant" not in q and "judgments" not in q:
            missing.append("relevant (or judgments)")
        if missing:
            sys.exit(f"relevance.py: {qpath}:{n}: no {', '.join(missing)}")
        out.append(q)
    return out


def scorer(qpath: Path, lines: list[dict[str, Any]], evaluate: Path) -> Path:
    """The script that scores a query set: a graded set's ``evaluate_graded.py`` beside
    it, else beside ``evaluate`` (for benchmarks/data/'s own set); ``evaluate`` for the
    others."""
    if lines and "judgments" in lines[0]:
        graded = qpath.parent / "evaluate_graded.py"
        return graded if graded.exists() else evaluate.parent / "evaluate_graded.py"
    return evaluate


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("queries", type=Path, nargs="+")
    ap.add_argument("--home", type=Path, help="keep the imported home here (reused when it exists)")
    ap.add_argument("--evaluate", type=Path, help="the scorer (default: evaluate.py beside the queries)")
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    ap.add_argument("--url", help="OpenSearch URL (http://HOST:9200[/ALIAS]): use the opensearch backend")
    ap.add_argument("--topic-weight", type=float, default=None,
                    help="how much the topic moves the first results (searchkit.answers.topical.WEIGHT and "
                         "WEIGHT_MANY; "
                         "0: the order of the words' scores alone)")
    a = ap.parse_args()
    if a.topic_weight is not None:
        from searchkit.answers import topical

        topical.WEIGHT = topical.WEIGHT_MANY = a.topic_weight
    evaluate = a.evaluate or a.queries[0].parent / "evaluate.py"
    sets = {qpath: read_queries(qpath) for qpath in a.queries}  # checked before the import
    for qpath, lines in sets.items():
        if not scorer(qpath, lines, evaluate).is_file():
            sys.exit(f"relevance.py: no scorer {scorer(qpath, lines, evaluate)} for {qpath}: "
                     "give --evaluate PATH/evaluate.py")

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
    a.out.mkdir(parents=True, exist_ok=True)
    for qpath, lines in sets.items():
        run_path = a.out / f"run-{qpath.stem}.tsv"
        ms, failed = run_queries(eng, qpath, run_path)
        print(f"== {qpath.name} ({ms:.1f} ms/query, top 100 with snippets)"
              + (f" -- {failed} QUERIES FAILED, scored as misses (see the warnings)" if failed else ""))
        if lines and "judgments" in lines[0]:
            scores = score_graded(scorer(qpath, lines, evaluate), lines, run_path, a.out)
        else:
            scored = qpath
            if lines and "subtype" in lines[0]:  # score each type/subtype apart
                scored = a.out / f"typed-{qpath.name}"
                scored.write_text("".join(json.dumps({**q, "type": f"{q['type']}/{q['subtype']}"},
                                                     ensure_ascii=False) + "\n" for q in lines), encoding="utf-8")
            print(subprocess.run([sys.executable, str(evaluate), str(scored), str(run_path)],
                                 capture_output=True, text=True, check=True).stdout)
            scores = json.loads(subprocess.run([sys.executable, str(evaluate), str(scored), str(run_path), "--json"],
                                               capture_output=True, text=True, check=True).stdout)
        (a.out / f"relevance-{qpath.stem}.json").write_text(
            json.dumps({"queries": qpath.name, "ms_per_query": round(ms, 2), "scores": scores}, indent=1) + "\n",
            encoding="utf-8",
        )
    eng.close()
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
