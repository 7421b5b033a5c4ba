#!/usr/bin/env python3
"""Import a big JSONL stream and measure throughput and peak memory.

usage: python benchmarks/big_import.py SOURCE.jsonl --size-mb 1024 --work DIR
           [--no-index] [--kill-after SECONDS] [--out big-import.json]

Writes ``DIR/big-<size>mb.jsonl`` (reused when present): made-up articles whose paragraphs
are drawn at random from SOURCE's texts, so the vocabulary and morphology are real. Then
runs ``searchkit import --progress`` on it in a fresh home ``DIR/home`` as a separate
process and reads that process's peak RSS from ``wait4`` (the largest single process);
it also samples the RSS summed over the whole process tree (the analysis worker and
the commit's helper included; pages they share are counted twice). With ``--kill-after`` the first
run is killed with SIGKILL after that many seconds and the import is run again: the
resumed run must finish with every article exactly once in corpus/ and in the index.
Prints the figures and saves them as JSON in ``--out``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import tree_rss_kb  # noqa: E402

SOURCES = ["Тестова правда", "Вісті громади", "Обласний вісник", "Радіо Село"]


def paragraphs(source: Path) -> list[str]:
    out = []
    with open(source, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                for p in re.split(r"\n\s*\n", json.loads(line).get("text", "")):
                    p = " ".join(p.split())
                    if 40 <= len(p) <= 3000:
                        out.append(p)
    if not out:
        sys.exit(f"{source}: no usable paragraphs")
    return out


def generate(source: Path, path: Path, size: int, seed: int = 1) -> int:
    """Write about ``size`` bytes of JSONL; returns the number of articles."""
    paras = paragraphs(source)
    rnd = random.Random(seed)
    n = written = 0
    tmp = path.with_suffix(".part")
    with open(tmp, "w", encoding="utf-8") as f:
        while written < size:
            n += 1
            body = rnd.sample(paras, rnd.randint(3, 10))
            rec = {"id": f"big-{n:08d}", "title": body[0][:120], "text": "\n\n".join(body),
                   "date": f"{rnd.randint(2010, 2025)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
                   "source": rnd.choice(SOURCES)}
            line = json.dumps(rec, ensure_ascii=False) + "\n"
            f.write(line)
            written += len(line.encode("utf-8"))
    tmp.rename(path)
    return n


def run(home: Path, feed: Path, *, index: bool, kill_after: float | None = None) -> dict[str, object]:
    """One ``searchkit import`` process: wall time, peak RSS, last progress, exit status."""
    cmd = [sys.executable, "-m", "searchkit", "--home", str(home), "import", "--progress", str(feed)]
    if not index:
        cmd.append("--no-index")
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    last = [""]
    errors: list[str] = []

    def read_stderr() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            if line.startswith("Importing:"):
                last[0] = line.strip()
                print(f"\r  {last[0]}", end="", file=sys.stderr, flush=True)
            elif not line.startswith("Indexing:"):
                errors.append(line.rstrip())

    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    tree_peak = [0]

    def sample() -> None:  # until the process is reaped (its /proc entry then goes)
        while proc.returncode is None:
            tree_peak[0] = max(tree_peak[0], tree_rss_kb(proc.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    if kill_after is not None:
        time.sleep(kill_after)
        os.kill(proc.pid, signal.SIGKILL)  # not Popen.send_signal: its poll() could reap it before wait4
    _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak memory, not all children's
    proc.returncode = os.waitstatus_to_exitcode(status)
    reader.join()
    sampler.join()
    assert proc.stdout is not None
    summary = proc.stdout.read().strip()
    proc.stdout.close()
    print(file=sys.stderr)
    return {"seconds": round(time.perf_counter() - t0, 1), "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
            "peak_tree_rss_mb": round(tree_peak[0] / 1024, 1),
            "exit": proc.returncode, "last_progress": last[0], "summary": summary, "errors": errors[:5]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("source", type=Path, help="JSONL with a 'text' field to draw paragraphs from")
    ap.add_argument("--size-mb", type=float, default=1024)
    ap.add_argument("--work", type=Path, required=True, help="folder for the generated file and the home")
    ap.add_argument("--no-index", action="store_true", help="only store the articles")
    ap.add_argument("--kill-after", type=float, help="SIGKILL the first run after this many seconds, then resume")
    ap.add_argument("--out", type=Path, default=Path("big-import.json"))
    a = ap.parse_args()

    a.work.mkdir(parents=True, exist_ok=True)
    feed = a.work / f"big-{a.size_mb:g}mb.jsonl"
    if not feed.exists():
        print(f"generating {feed} ...", file=sys.stderr)
        generate(a.source, feed, int(a.size_mb * 2**20))
    with open(feed, "rb") as f:
        n_articles = sum(1 for _ in f)
    size_mb = feed.stat().st_size / 2**20
    home = a.work / "home"
    shutil.rmtree(home, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "searchkit", "init", str(home)], check=True, capture_output=True)

    runs = []
    if a.kill_after is not None:
        runs.append({"killed_after_s": a.kill_after, **run(home, feed, index=not a.no_index, kill_after=a.kill_after)})
    final = run(home, feed, index=not a.no_index)
    runs.append(final)
    st = subprocess.run([sys.executable, "-m", "searchkit", "--home", str(home), "stats", "--json"],
                        capture_output=True, text=True)
    stats = json.loads(st.stdout) if st.returncode == 0 else {"error": st.stderr.strip()}
    result = {
        "input_mb": round(size_mb, 1), "articles": n_articles, "index": not a.no_index, "runs": runs,
        "mb_per_s": round(size_mb / final["seconds"], 2),  # type: ignore[operator]
        "articles_per_s": round(n_articles / final["seconds"], 1),  # type: ignore[operator]
        "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),  # type: ignore[type-var]
        "peak_tree_rss_mb": max(r["peak_tree_rss_mb"] for r in runs),  # type: ignore[type-var]
        "stats": stats,
        "no_duplicates": stats.get("corpus_articles") == n_articles
        and (a.no_index or stats.get("articles") == n_articles),
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    a.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
