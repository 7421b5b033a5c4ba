"""A searchkit started with SIGINT ignored (``nohup``-like launchers, ``(trap '' INT;
searchkit import …)``) stays uninterruptible by it through every stage of an import and
an index run: storing, the build while storing, the batches, catching up on a backlog,
the helper processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from searchkit import Engine

from .clirun import PROGRESS, stats, wait_for
from .synth import articles, write_jsonl

pytestmark = pytest.mark.slow


def _ctrl_c_ignored() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def run_through_ctrl_c(home: Path, *args: str, logs: Path) -> tuple[int, str]:
    """Run a searchkit command started with SIGINT ignored, in a process group of its own,
    and press Ctrl-C (SIGINT to the whole group, helper processes too) again and again
    from its first progress line until it ends; its exit status and stderr (which says
    how many times Ctrl-C was pressed)."""
    logs.mkdir(parents=True, exist_ok=True)
    err = logs / f"{time.monotonic_ns()}.err"
    with open(err, "wb") as e:
        proc = subprocess.Popen([sys.executable, "-m", "searchkit", "--home", str(home), *args],
                                stdout=subprocess.DEVNULL, stderr=e, start_new_session=True,
                                preexec_fn=_ctrl_c_ignored)
    try:
        wait_for(lambda: proc.poll() is not None or any(
            PROGRESS.match(line) or line.startswith("Indexing")
            for line in err.read_text(encoding="utf-8", errors="replace").splitlines()), timeout=120)
        presses = 0
        while proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
            presses += 1
            time.sleep(0.05)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    assert presses, "it ended before Ctrl-C could be pressed"
    return proc.returncode, err.read_text(encoding="utf-8", errors="replace")


def test_an_import_started_with_ctrl_c_ignored_completes_through_ctrl_c(tmp_path: Path) -> None:
    home = tmp_path / "home"
    Engine.init(home)
    write_jsonl(tmp_path / "first.jsonl", articles(800, prefix="f", seed=3))  # built while stored, two processes
    code, said = run_through_ctrl_c(home, "import", "--progress", str(tmp_path / "first.jsonl"),
                                    logs=tmp_path / "logs")
    assert code == 0 and "Interrupted" not in said and "Traceback" not in said, said
    assert stats(home)["articles"] == 800

    write_jsonl(tmp_path / "backlog.jsonl", articles(600, prefix="b", seed=4))
    with Engine(home) as eng:  # a backlog for the next import to catch up on first, then its own batches
        eng.import_paths(tmp_path / "backlog.jsonl", index=False)
    write_jsonl(tmp_path / "next.jsonl", articles(600, prefix="n", seed=5))
    code, said = run_through_ctrl_c(home, "import", "--progress", str(tmp_path / "next.jsonl"),
                                    logs=tmp_path / "logs")
    assert code == 0 and "Interrupted" not in said and "Traceback" not in said, said
    with Engine(home) as eng:
        assert eng.unindexed() == (0, 2000)
        assert eng.search("новина").total == 2000


def test_an_index_rebuild_started_with_ctrl_c_ignored_completes_through_ctrl_c(tmp_path: Path) -> None:
    home = tmp_path / "home"
    write_jsonl(tmp_path / "feed.jsonl", articles(800, prefix="r", seed=6))
    with Engine.init(home) as eng:
        eng.import_paths(tmp_path / "feed.jsonl", index=False)
    code, said = run_through_ctrl_c(home, "index", "--rebuild", "--progress", logs=tmp_path / "logs")
    assert code == 0 and "Interrupted" not in said and "Traceback" not in said, said
    with Engine(home) as eng:
        assert eng.unindexed() == (0, 800)
