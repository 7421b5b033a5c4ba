#!/usr/bin/env python3
"""How soon the terminal UI shows results for a keystroke, on an indexed home.

usage: python benchmarks/tui_latency.py HOME QUERIES.jsonl [--queries 60] [--typed 20]
           [--debounce 0.15 ...] [--out DIR]

Two measurements, the queries taken in order from QUERIES.jsonl (``{"query": ...}`` per line):

- **Engine work per keystroke**: every prefix of each of the first ``--queries`` queries,
  character by character (``м``, ``мо``, ``мов``...), through the function the search
  screen's worker calls for a new query, ``searchkit.tui.search.page_and_months``: a page
  of hits (shown as soon as they are in), then one more search for the timeline's months
  and the counts per source and year; one process, warm (the first query warms it up and
  is not counted). p50/p95/p99/max in ms, for the hits and for both.
- **Keystroke to results on screen**: the app itself, headless under Textual's Pilot, for
  each ``--debounce``: each of the first ``--typed`` queries is typed key by key up to its
  last key, and once that prefix's results are in, the clock runs from the last key press
  until the screen has taken in the query's results (the pause the debounce waits for,
  the worker thread, the message back and the list filled; the terminal is redrawn on the
  next frame).

Saves ``tui_latency.json`` in ``--out``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import machine  # noqa: E402
from query_latency import summary  # noqa: E402

from searchkit import Engine, SearchkitError  # noqa: E402


def prefixes(query: str) -> list[str]:
    """What the query box holds after each key, as the screen searches it (stripped; a
    key that leaves the same text, a space, searches nothing new)."""
    out: list[str] = []
    for i in range(1, len(query) + 1):
        text = query[:i].strip()
        if text and (not out or out[-1] != text):
            out.append(text)
    return out


def engine_per_keystroke(eng: Engine, queries: list[str]) -> tuple[list[float], list[float]]:
    """Milliseconds per keystroke for the hits (what the screen shows first) and for the
    hits and the months and counts together."""
    from searchkit.tui.messages import Request
    from searchkit.tui.search import page_and_months

    def worker(text: str) -> tuple[float, float]:  # SearchScreen.search for a new query
        t0 = time.perf_counter()
        t1 = t0

        def hits_in(results: object) -> bool:
            nonlocal t1
            t1 = time.perf_counter()
            return True

        try:
            page_and_months(eng, Request(text), months=True, hits_in=hits_in)
        except SearchkitError:  # shown as a message (or, after the hits, no timeline)
            t1 = t1 if t1 > t0 else time.perf_counter()
        return (t1 - t0) * 1000, (time.perf_counter() - t0) * 1000

    for text in prefixes(queries[0]):
        worker(text)
    hits, both = [], []
    for q in queries[1:]:
        for text in prefixes(q):
            a, b = worker(text)
            hits.append(a)
            both.append(b)
    return hits, both


async def typed_to_screen(eng: Engine, queries: list[str], debounce: float) -> list[float]:
    from textual.widgets import Input

    from searchkit.tui import SearchApp, SearchScreen

    shown: dict[str, float] = {}  # query -> when the screen took in its results
    handler = SearchScreen.on_search_done

    def on_search_done(self: SearchScreen, event: object) -> None:
        handler(self, event)  # type: ignore[arg-type]
        shown[event.request.query] = time.perf_counter()  # type: ignore[attr-defined]

    SearchScreen.on_search_done = on_search_done  # type: ignore[method-assign]
    app = SearchApp(eng, debounce=debounce)
    ms = []
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = app.screen
            assert isinstance(screen, SearchScreen)
            while screen.count is None:  # the index opened and counted
                await pilot.pause(0.01)
            box = screen.query_one("#query", Input)
            for q in queries:
                box.value = ""
                keys = ["space" if c == " " else c for c in q]
                for key in keys[:-1]:
                    await pilot.press(key)
                before = q[:-1].strip()
                while before and before not in shown:  # the typing settled: its results are in
                    await asyncio.sleep(0.002)
                await pilot.pause(0.05)
                shown.clear()
                t0 = time.perf_counter()
                await pilot.press(keys[-1])
                want = q.strip()
                while want not in shown:
                    await asyncio.sleep(0.001)
                ms.append((shown[want] - t0) * 1000)
                await pilot.pause()
    finally:
        SearchScreen.on_search_done = handler  # type: ignore[method-assign]
    return ms


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("home", type=Path)
    ap.add_argument("queries", type=Path)
    ap.add_argument("--queries", dest="n", type=int, default=60, help="queries whose every prefix is searched")
    ap.add_argument("--typed", type=int, default=20, help="queries typed into the app")
    ap.add_argument("--debounce", type=float, nargs="+", default=[0.15])
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    a = ap.parse_args()
    queries = [json.loads(line)["query"] for line in a.queries.read_text(encoding="utf-8").splitlines() if line.strip()]
    info = machine()
    eng = Engine(a.home)
    docs = eng.stats().articles
    hits, both = engine_per_keystroke(eng, queries[: a.n + 1])
    rows = {"engine: the hits of a keystroke (search)": summary(hits),
            "engine: hits, then months and counts (page_and_months)": summary(both)}
    for d in a.debounce:
        typed = asyncio.run(typed_to_screen(eng, queries[1 : a.typed + 1], d))
        rows[f"one key to results on screen, debounce {d * 1000:.0f} ms"] = summary(typed)
    eng.close()
    print(f"\n{a.home.name}: {docs:,} articles; {len(hits)} keystrokes of {a.n} queries, {a.typed} typed; "
          f"{info.get('cores')} cores, load before {info.get('load_before')}\n")
    print("| | p50 ms | p95 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|")
    for k, r in rows.items():
        print(f"| {k} | {r['p50']} | {r['p95']} | {r['p99']} | {r['max']} |")
    a.out.mkdir(parents=True, exist_ok=True)
    out = a.out / "tui_latency.json"
    out.write_text(json.dumps({"home": a.home.name, "articles": docs, "queries": a.queries.name, "machine": info,
                               "ms": rows}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"\nsaved {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
