#!/usr/bin/env python3
"""Importing against rebuilding the same articles, interleaved in one run.

usage: python benchmarks/import_vs_rebuild.py DATA.jsonl [--rounds 2] [--parts 10]
           [--work DIR] [--code DIR [--code DIR2]] [--out DIR]

Each round runs, in turn, each in a fresh process:

- ``import``: ``searchkit import DATA`` into an empty home (stored in ``corpus/``,
  then indexed);
- ``rebuild``: ``searchkit index --rebuild`` of that home (indexing only);
- with ``--parts N``: ``import in N parts``: DATA cut into N files, imported one after
  another into another empty home (N updates of a growing index: what the update
  merge policy costs), timed as a whole.

Prints wall and CPU time (every process of a job), peak RSS of the process tree, the
index size and its segment count, and each job's ratio to the rebuild of the same
round. ``--code DIR`` runs the searchkit of another checkout (``python -m searchkit``
with ``DIR`` first on the path): the same script measures the code before a change.
Given twice or more, each round runs every job with each checkout in turn (each into
homes of its own; every other round in the reverse order), and each job of a later
checkout is also compared with the first checkout's run of the same round (wall and
CPU). Saves ``import_vs_rebuild.json`` in
``--out``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import Run, machine, run  # noqa: E402


def searchkit_cmd(code: Path | None) -> list[str]:
    exe = Path(sys.executable).with_name("searchkit")
    if code is None and exe.exists():
        return [str(exe)]
    # -P: the working folder does not go first on the path (run from a checkout, it would
    # shadow the one given on PYTHONPATH)
    return [sys.executable, "-P", "-m", "searchkit"]


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def segments(home: Path) -> int:
    """Segments in the live generation: a postings file each, or a compound ``.seg`` file."""
    try:
        gen = (home / "index" / "CURRENT").read_text(encoding="utf-8").strip()
    except OSError:
        return 0
    folder = home / "index" / gen
    return len(list(folder.glob("*.pst"))) + len(list(folder.glob("*.seg")))


def cut(data: Path, parts: int, folder: Path) -> list[Path]:
    """``data``'s lines in ``parts`` files of about as many lines each, in order."""
    with open(data, encoding="utf-8") as f:
        lines = [line for line in f if line.strip()]
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    size = -(-len(lines) // parts)
    for i in range(parts):
        p = folder / f"part-{i:03d}.jsonl"
        p.write_text("".join(lines[i * size:(i + 1) * size]), encoding="utf-8")
        out.append(p)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", type=Path)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--parts", type=int, default=0, help="also import DATA in this many parts, one after another")
    ap.add_argument("--work", type=Path, help="scratch folder (default: a temporary one)")
    ap.add_argument("--code", type=Path, action="append",
                    help="run the searchkit of this checkout instead of the installed one (twice: compare them)")
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    a = ap.parse_args()
    data = a.data.resolve()
    if a.work:
        a.work.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="searchkit-imp-", dir=a.work))
    codes: list[Path | None] = list(a.code) if a.code else [None]
    envs = []
    for code in codes:
        env = dict(os.environ, NO_COLOR="1", SEARCHKIT_LOCK_TIMEOUT="60")
        if code is not None:
            env["PYTHONPATH"] = str(code.resolve()) + os.pathsep + env.get("PYTHONPATH", "")
        envs.append(env)
    names = [str(c) if c is not None else "installed" for c in codes]
    info = machine()
    print(f"{data.name}; machine: {info}", file=sys.stderr)
    jobs = ["import", "rebuild"] + ([f"import in {a.parts} parts"] if a.parts else [])
    runs: dict[tuple[int, str], list[Run]] = {(c, j): [] for c in range(len(codes)) for j in jobs}
    facts: dict[tuple[int, str], dict[str, float]] = {}
    pieces = cut(data, a.parts, work / "parts") if a.parts else []

    def fresh(h: Path) -> None:
        shutil.rmtree(h, ignore_errors=True)
        (h / "corpus").mkdir(parents=True)

    def note(c: int, job: str, h: Path, res: Run, r: int) -> None:
        if res.returncode != 0:
            sys.exit(f"{names[c]}: {job} failed (exit {res.returncode})")
        runs[(c, job)].append(res)
        facts[(c, job)] = {"index_mb": round(du(h / "index") / 2**20, 1), "segments": segments(h)}
        print(f"round {r + 1} {names[c]} {job}: {res.wall:.2f} s wall, {res.cpu:.2f} s CPU, {res.peak_rss_mb:.0f} MB "
              f"(largest process {res.peak_proc_mb:.0f} MB), load {os.getloadavg()[0]:.1f}, "
              f"{facts[(c, job)]['segments']} segments", file=sys.stderr)

    try:
        for r in range(a.rounds):
            # every other round in the other order (A B, B A, ...): a machine whose speed
            # drifts favours neither checkout
            for c in (range(len(codes)) if r % 2 == 0 else reversed(range(len(codes)))):
                code = codes[c]
                sk, env = searchkit_cmd(code), envs[c]
                home, parted = work / f"home-{c}", work / f"parted-{c}"
                fresh(home)
                note(c, "import", home, run([*sk, "--home", str(home), "import", str(data)], env=env), r)
                note(c, "rebuild", home, run([*sk, "--home", str(home), "index", "--rebuild"], env=env), r)
                if a.parts:
                    fresh(parted)
                    total = Run(0.0, 0.0, 0.0, 0)
                    for p in pieces:
                        res = run([*sk, "--home", str(parted), "import", str(p)], env=env)
                        if res.returncode != 0:
                            sys.exit(f"import of {p.name} failed (exit {res.returncode})")
                        total = Run(total.wall + res.wall, total.cpu + res.cpu,
                                    max(total.peak_rss_mb, res.peak_rss_mb), 0, total.cpu_wait + res.cpu_wait, "",
                                    max(total.peak_proc_mb, res.peak_proc_mb))
                    note(c, jobs[2], parted, total, r)
                shutil.rmtree(home, ignore_errors=True)
                shutil.rmtree(parted, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    rows = []
    for c in range(len(codes)):
        rebuilds = runs[(c, "rebuild")]
        for job in jobs:
            mine = runs[(c, job)]
            ratios = [x.wall / b.wall for x, b in zip(mine, rebuilds, strict=True)]
            row = {"code": names[c], "job": job, "wall_s": round(statistics.median(x.wall for x in mine), 2),
                   "cpu_s": round(statistics.median(x.cpu for x in mine), 2),
                   "peak_rss_mb": round(max(x.peak_rss_mb for x in mine)),
                   "peak_proc_mb": round(max(x.peak_proc_mb for x in mine)),
                   "cpus": [round(x.cpu, 2) for x in mine],
                   "cpu_ratios": [round(x.cpu / b.cpu, 3) for x, b in zip(mine, rebuilds, strict=True)],
                   "walls": [round(x.wall, 2) for x in mine],
                   "wall_ratios": [round(x, 3) for x in ratios], **facts[(c, job)]}
            if c:
                first = runs[(0, job)]
                row["wall_vs_first"] = [round(x.wall / b.wall, 3) for x, b in zip(mine, first, strict=True)]
                row["cpu_vs_first"] = [round(x.cpu / b.cpu, 3) for x, b in zip(mine, first, strict=True)]
            rows.append(row)
    print(f"\n{data.name}, {a.rounds} interleaved rounds, medians; {info.get('cores')} cores, "
          f"load before {info.get('load_before')}\n")
    many = len(codes) > 1
    print(("| code " if many else "") + "| job | wall s | CPU s | peak RSS MB (tree / largest process) | index MB "
          "| segments | wall × rebuild (median) | by round | CPU × rebuild by round |"
          + (" wall × first code by round | CPU × first code by round |" if many else ""))
    print("|---" * (9 + 3 * many) + "|")
    for row in rows:
        line = (f"| {row['job']} | {row['wall_s']:.2f} | {row['cpu_s']:.2f} | {row['peak_rss_mb']} / "
                f"{row['peak_proc_mb']} | {row['index_mb']} | {row['segments']} | "
                f"{statistics.median(row['wall_ratios']):.2f} | {' '.join(f'{x:.2f}' for x in row['wall_ratios'])} | "
                f"{' '.join(f'{x:.2f}' for x in row['cpu_ratios'])} |")
        if many:
            vs = [" ".join(f"{x:.2f}" for x in row.get(k, [])) or "-" for k in ("wall_vs_first", "cpu_vs_first")]
            line = f"| {row['code']} " + line + f" {vs[0]} | {vs[1]} |"
        print(line)
    a.out.mkdir(parents=True, exist_ok=True)
    out = a.out / "import_vs_rebuild.json"
    out.write_text(json.dumps({"data": data.name, "rounds": a.rounds, "machine": info, "jobs": rows},
                              ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"\nsaved {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
