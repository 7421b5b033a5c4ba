"""Running ``python -m searchkit`` as a real process: for kill -9, lock and memory tests."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from searchkit.models import Article
from searchkit.store.corpus import Corpus

PROGRESS = re.compile(r"^Importing: (\d+)(?: of \d+)? done$")  # records stored so far


def cli(home: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 300,
        stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run a searchkit command to the end."""
    return subprocess.run([sys.executable, "-m", "searchkit", "--home", str(home), *args], capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=timeout, input=stdin)


@dataclass
class Running:
    proc: subprocess.Popen[bytes]
    stderr_path: Path
    stdout_path: Path

    def kill(self) -> bool:
        """SIGKILL; ``True`` when the process was still working (not already finished)."""
        alive = self.proc.poll() is None
        if alive:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        return alive and self.proc.returncode == -signal.SIGKILL

    def wait(self, timeout: float = 300) -> int:
        return self.proc.wait(timeout)

    @property
    def stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    @property
    def stdout(self) -> str:
        return self.stdout_path.read_text(encoding="utf-8", errors="replace")

    def reported_done(self) -> int:
        """The last count the process reported as done on a progress line."""
        counts = [int(m.group(1)) for line in self.stderr.splitlines() if (m := PROGRESS.match(line))]
        return max(counts, default=0)


def _ctrl_c_as_in_a_terminal() -> None:
    # A job started in the background (``cmd &``, as CI runs its commands) inherits
    # SIGINT ignored, and Python then never turns it into KeyboardInterrupt.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start(home: Path, *args: str, logs: Path, env: dict[str, str] | None = None, stdin: int | None = None) -> Running:
    """Start a searchkit command in the background, Ctrl-C (SIGINT) reaching it as in a
    terminal; its output goes to files in ``logs`` (a pipe nobody reads could fill up
    and stall it). ``stdin=subprocess.PIPE``: write to ``proc.stdin``."""
    logs.mkdir(parents=True, exist_ok=True)
    stamp = f"{time.monotonic_ns()}"
    out, err = logs / f"{stamp}.out", logs / f"{stamp}.err"
    with open(out, "wb") as o, open(err, "wb") as e:
        proc = subprocess.Popen([sys.executable, "-m", "searchkit", "--home", str(home), *args], stdout=o,
                                stderr=e, env={**os.environ, **(env or {})}, preexec_fn=_ctrl_c_as_in_a_terminal,
                                stdin=stdin)
    return Running(proc, err, out)


def wait_for(predicate, timeout: float = 60, every: float = 0.02) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not reached")
        time.sleep(every)


def stored_articles(home: Path) -> tuple[dict[str, Article], set[str]]:
    """Every article in ``corpus/``, checking that each file is whole; and how many
    temporary files (left by a killed writer, never counted as articles) lie around."""
    corpus = Corpus(home / "corpus")
    articles: dict[str, Article] = {}
    files: set[str] = set()
    temps: set[str] = set()
    for dirpath, _dirs, names in os.walk(corpus.root):
        for name in names:
            rel = Path(dirpath, name).relative_to(corpus.root).as_posix()
            if name.startswith(".") and name.endswith(".tmp"):
                temps.add(rel)
                continue
            assert name.endswith(".json") and rel.count("/") == 1, f"stray file in corpus/: {rel}"
            files.add(rel)
            article = corpus.read(rel)  # raises on a half-written file
            assert article.id not in articles, f"duplicate id {article.id}"
            articles[article.id] = article
    assert {f.relpath for f in corpus.scan()} == files  # temporary files never count as articles
    return articles, temps


def stats(home: Path) -> dict[str, object]:
    r = cli(home, "stats", "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)
