"""Big input: a large JSONL stream is imported in bounded memory (peak RSS of the import
process, read with wait4), reports progress, and can be killed and resumed without
duplicates. The 1 GB figures come from benchmarks/big_import.py."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .clirun import PROGRESS, stats, stored_articles
from .synth import articles

pytestmark = pytest.mark.slow

PEAK_RSS_LIMIT_MB = 500


def write_feed(path: Path, size_mb: float, *, paragraphs: int) -> int:
    """About ``size_mb`` of JSONL, written as a stream; returns the article count."""
    n = written = 0
    with open(path, "w", encoding="utf-8") as f:
        for rec in articles(10**9, prefix="big", seed=9, paragraphs=paragraphs):
            line = json.dumps(rec, ensure_ascii=False) + "\n"
            f.write(line)
            written += len(line.encode("utf-8"))
            n += 1
            if written >= size_mb * 2**20:
                return n
    raise AssertionError("unreachable")


def import_measured(home: Path, feed: Path, *extra: str, kill_when_done: int | None = None,
                    logs: Path) -> tuple[int, float, int, str]:
    """Run ``searchkit import``; returns (exit status, peak RSS in MB, last progress count,
    stdout). With ``kill_when_done`` it is SIGKILLed once it reports that many articles."""
    err_path = logs / f"import-{time.monotonic_ns()}.err"
    with open(err_path, "wb") as err:
        proc = subprocess.Popen([sys.executable, "-m", "searchkit", "--home", str(home), "import", "--progress",
                                 *extra, str(feed)], stdout=subprocess.PIPE, stderr=err)

        def last_done() -> int:
            text = err_path.read_text(encoding="utf-8", errors="replace")
            return max((int(m.group(1)) for line in text.splitlines() if (m := PROGRESS.match(line))), default=0)

        if kill_when_done is not None:
            # Waiting with WNOWAIT leaves the child unreaped, for wait4 to read its usage.
            while os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None:
                if last_done() >= kill_when_done:
                    os.kill(proc.pid, signal.SIGKILL)
                    break
                time.sleep(0.05)
        assert proc.stdout is not None
        out = proc.stdout.read().decode()
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak, not every child's
        proc.returncode = os.waitstatus_to_exitcode(status)
        proc.stdout.close()
    return proc.returncode, usage.ru_maxrss / 1024, last_done(), out


def test_a_large_jsonl_stream_is_stored_in_bounded_memory(tmp_path):
    feed = tmp_path / "big.jsonl"
    n = write_feed(feed, 64, paragraphs=12)
    home = tmp_path / "home"
    subprocess.run([sys.executable, "-m", "searchkit", "init", str(home)], check=True, capture_output=True)

    code, peak, done, out = import_measured(home, feed, "--no-index", logs=tmp_path)
    assert code == 0 and f"Imported: {n:,} added" in out
    assert done > 0  # progress was reported while it ran
    assert peak < PEAK_RSS_LIMIT_MB
    assert stats(home)["corpus_articles"] == n
    print(f"\n64 MB JSONL, {n} articles, stored (--no-index): peak RSS {peak:.0f} MB")


def test_an_indexed_import_killed_midway_resumes_without_duplicates(tmp_path):
    feed = tmp_path / "big.jsonl"
    n = write_feed(feed, 16, paragraphs=6)
    home = tmp_path / "home"
    subprocess.run([sys.executable, "-m", "searchkit", "init", str(home)], check=True, capture_output=True)

    # Progress lines come every 0.5 s: a machine that stores the rest of the feed between two
    # of them must still be caught midway, hence the first line past 1,000 of 5,685.
    code, peak1, done, _ = import_measured(home, feed, kill_when_done=1000, logs=tmp_path)
    assert code == -signal.SIGKILL and 1000 <= done < n
    code, peak2, _, out = import_measured(home, feed, logs=tmp_path)  # the same command again
    assert code == 0, out
    assert peak1 < PEAK_RSS_LIMIT_MB and peak2 < PEAK_RSS_LIMIT_MB
    summary = out.strip().splitlines()[-1]
    added, unchanged = (int(summary.split(" added")[0].split()[-1].replace(",", "")),
                        int(summary.split(" unchanged")[0].split()[-1].replace(",", "")))
    assert added + unchanged == n and unchanged >= done  # what was stored before the kill is kept
    stored, _ = stored_articles(home)
    assert len(stored) == n  # each article once in corpus/...
    s = stats(home)
    assert s["articles"] == s["corpus_articles"] == n and s["index_up_to_date"] is True  # ...and in the index
    print(f"\n16 MB JSONL, {n} articles: killed after {done}, resumed; peak RSS {peak1:.0f} / {peak2:.0f} MB")
