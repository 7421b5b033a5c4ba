#!/usr/bin/env python3
"""``searchkit analyze``'s table against the length of the text: the words of the bundled
corpus (or of ``--text FILE``) repeated to each size, read once with the dictionary
alone (``Engine.analyze_text``, what ``--json`` prints), then laid out piped (each row on
one line) by Rich's table (``analysis_table``) and by what the command prints
(``analysis_view``: Rich's table up to ``TABLE_ROWS`` tokens, its own lines past them),
interleaved, each the median of ``--rounds``, with the ratios to the analysis. A long
text's table took 0.9 ms a row through Rich (20,000 words: 17 s, where the analysis takes 2).

usage: python benchmarks/analyze_output.py [--sizes 500 5000 20000] [--rounds 3] [--text FILE]
"""

from __future__ import annotations

import argparse
import functools
import io
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console, RenderableType

from searchkit import Engine
from searchkit.render import analysis_table, analysis_view

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def words_of(text_file: Path | None) -> list[str]:
    if text_file is not None:
        return text_file.read_text(encoding="utf-8").split()
    words: list[str] = []
    for path in sorted(CORPUS.rglob("*.json")):
        article = json.loads(path.read_text(encoding="utf-8"))
        words += f"{article.get('title', '')} {article.get('text', '')}".split()
    return words


def seconds(run: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    run()
    return time.perf_counter() - t0


def printed(view: RenderableType) -> None:
    # as the command's console piped: no width to wrap at, soft wrapping
    Console(file=io.StringIO(), width=1_000_000, soft_wrap=True, highlight=False, markup=False).print(view)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[500, 5000, 20000], help="words in the text")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--text", type=Path, help="a text file to take the words from (default: the bundled corpus)")
    args = ap.parse_args()
    pool = words_of(args.text)
    print("words\ttokens\tanalysis_s\trich_table_s\tview_s\ttable/analysis\tview/analysis\ttable/view")
    for size in args.sizes:
        text = " ".join(pool[i % len(pool)] for i in range(size))
        words = Engine.analyze_text(text)
        parts = ([w.token for w in words], text, [w.origin for w in words], [w.spellings for w in words])
        times: dict[str, list[float]] = {"analysis": [], "table": [], "view": []}
        for _ in range(args.rounds):  # interleaved: the machine's load falls on each alike
            times["analysis"].append(seconds(functools.partial(Engine.analyze_text, text)))
            times["table"].append(seconds(lambda p=parts: printed(analysis_table(*p))))
            times["view"].append(seconds(lambda p=parts: printed(analysis_view(*p))))
        a, t, v = (statistics.median(times[k]) for k in ("analysis", "table", "view"))
        print(f"{size}\t{len(words)}\t{a:.2f}\t{t:.2f}\t{v:.2f}\t{t / a:.1f}\t{v / a:.2f}\t{t / v:.1f}", flush=True)


if __name__ == "__main__":
    main()
