"""Run a command and measure it: wall time, user+sys CPU of it and every process it
waited for, the peak resident memory of its whole process tree (sampled), and how long
its processes were ready to run but waited for a CPU (other work on the machine).

Shared by the benchmark scripts; also runnable on its own::

    python benchmarks/measure.py -- searchkit --home HOME import feed.jsonl
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = ["Run", "machine", "pct", "run"]


def pct(values: list[float], p: float) -> float:
    """The ``p``-th percentile of ``values`` (nearest rank), as every benchmark reports it."""
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * len(s) + 0.5) - 1))]


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # user + sys seconds, children included
    peak_rss_mb: float  # peak of the summed RSS of the process tree
    returncode: int
    cpu_wait: float = 0.0  # seconds the tree's processes were ready to run but had no CPU
    stdout: str = ""
    peak_proc_mb: float = 0.0  # peak RSS of the largest single process of the tree (sampled)

    def to_json(self) -> dict[str, object]:
        d = asdict(self)
        d.pop("stdout")
        return d


def _tree(pid: int) -> list[int]:
    out = [pid]
    i = 0
    while i < len(out):
        p = out[i]
        i += 1
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    out.extend(int(c) for c in f.read().split())
        except OSError:
            continue
    return out


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kb(pid: int) -> int:
    """The RSS summed over ``pid`` and its descendants (shared pages counted in each)."""
    return sum(_rss_kb(p) for p in _tree(pid))


def _sched(pid: int) -> tuple[float, float] | None:
    """``(on-CPU s, runnable-but-waiting s)`` of a process so far (Linux schedstat)."""
    try:
        with open(f"/proc/{pid}/schedstat") as f:
            on, wait, _ = f.read().split()
        return int(on) / 1e9, int(wait) / 1e9
    except (OSError, ValueError):
        return None


def run(cmd: list[str], *, env: dict[str, str] | None = None, interval: float = 0.05,
        capture: bool = True, cwd: str | None = None) -> Run:
    """Run ``cmd`` to completion and measure it."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, text=True)
    peak = peak_proc = 0
    waits: dict[int, float] = {}  # last run-queue wait seen per process of the tree
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, peak_proc
        while not done.is_set():
            pids = _tree(proc.pid)
            sizes = [_rss_kb(p) for p in pids]
            peak = max(peak, sum(sizes))
            peak_proc = max(peak_proc, *sizes)
            for p in pids:
                st = _sched(p)
                if st is not None:
                    waits[p] = st[1]
            done.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    # wait4 knows the main process's own peak exactly; the sampler may miss a short spike
    peak_proc = max(peak_proc, usage.ru_maxrss)
    return Run(wall, usage.ru_utime + usage.ru_stime, peak / 1024, proc.returncode, sum(waits.values()), out,
               peak_proc / 1024)


def machine() -> dict[str, object]:
    """Cores, memory, CPU model and load: printed with every table."""
    info: dict[str, object] = {"cores": os.cpu_count(), "python": sys.version.split()[0]}
    try:
        with open("/proc/meminfo") as f:
            info["ram_gb"] = round(int(f.readline().split()[1]) / 1024 / 1024, 1)
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
        info["load_before"] = round(os.getloadavg()[0], 2)
    except OSError:
        pass
    return info


if __name__ == "__main__":
    args = sys.argv[1:]
    if args and args[0] == "--":
        args = args[1:]
    r = run(args, capture=False)
    print(json.dumps(r.to_json() | {"machine": machine(), "cwd": str(Path.cwd().name)}))
