#!/usr/bin/env python3
"""Spelling variants: does either spelling of a word find the articles that hold either?

usage: python benchmarks/variants.py CORPUS.jsonl [--home DIR] [PAIR ...]

Imports the corpus into a temporary home (or reuses ``--home``), then for each pair of
spellings (``вчитель/учитель``) counts the articles each spelling finds as typed
(``exact=True``: the articles that hold it), their union, and the share of the union that
each spelling finds by default (variants on, all words required). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from searchkit import Engine

PAIRS = ["вчитель/учитель", "вперше/уперше", "йти/іти", "вдома/удома", "вчений/учений", "вміти/уміти",
         "проект/проєкт", "аудиторія/авдиторія", "міф/міт", "взимку/узимку", "імовірність/ймовірність",
         # words the dictionary lacks in one spelling (``вже``) or reads as another word (``уже``: ``уж``)
         "вже/уже", "вранці/уранці", "вночі/уночі", "все/усе", "всі/усі",
         # пів joined or apart (the 2019 orthography)
         "півроку/пів року", "півгодини/пів години",
         # pairs that are different words: neither may find the other's articles
         "вступ/уступ", "вклад/уклад"]


def found(eng: Engine, word: str, *, exact: bool) -> set[str]:
    if exact and " " in word:  # a spelling of two words (``пів року``) holds them side by side
        word = f'"{word}"'
    out: set[str] = set()
    page = 1
    while True:
        res = eng.search(word, limit=1000, page=page, exact=exact, partial=False, snippets=False,
                         collapse=False, find_dates=False)
        out |= {h.id for h in res.hits}
        if page * 1000 >= res.total:
            return out
        page += 1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("pairs", nargs="*", default=PAIRS)
    ap.add_argument("--home", type=Path, help="keep the imported home here (reused when it exists)")
    a = ap.parse_args()
    tmp = None
    if a.home is None:
        tmp = tempfile.TemporaryDirectory(prefix="searchkit-var-")
        a.home = Path(tmp.name)
    fresh = not (a.home / "corpus").is_dir()
    eng = Engine.init(a.home)
    if fresh:
        eng.import_paths([a.corpus])
    else:
        eng.index()
    print("| pair | A holds | B holds | either | A finds | B finds | A finds of either | B finds of either |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for pair in a.pairs:
        x, y = pair.split("/")
        hx, hy = found(eng, x, exact=True), found(eng, y, exact=True)
        either = hx | hy
        fx, fy = found(eng, x, exact=False), found(eng, y, exact=False)
        share = [len(f & either) / len(either) if either else 1.0 for f in (fx, fy)]
        print(f"| {x} / {y} | {len(hx)} | {len(hy)} | {len(either)} | {len(fx)} | {len(fy)} "
              f"| {share[0]:.1%} | {share[1]:.1%} |")
    eng.close()
    if tmp is not None:
        tmp.cleanup()
    sys.stdout.flush()


if __name__ == "__main__":
    main()
