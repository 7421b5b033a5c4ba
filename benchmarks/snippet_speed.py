#!/usr/bin/env python3
"""Highlighting a hit from the index's positions, as the code did before the quick word
pattern (``token_re``) and as it does now, interleaved in one process: CPU time per hit
of the matches (``Matcher.find_placed`` on the body and the title) and of the matches and
snippet together, as ratios now/before; then a check that both give the very same
matches and snippets for every text and query (exit status 1 if any differs).

usage: python benchmarks/snippet_speed.py ARTICLES.jsonl [--query Q ...] [--hits 10]
           [--rounds 7] [--json OUT]

ARTICLES.jsonl holds one article a line (``text``, ``title``). Each text is analyzed once
to know where each query's lemmas stand (what the index records); a query's hits are the
texts holding one of them, highlighted ``--hits`` at a time by one ``Matcher`` (a page of
results). Word numbers are the index's, so ``before`` splits with the index's pattern.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from itertools import accumulate
from pathlib import Path

from searchkit.text.analysis import TOKEN_RE, Analyzer, default_analyzer, token_re
from searchkit.text.highlight import _SPLIT, Matcher, MatchTerms, best_snippet, in_runs

#: A plain two-word query, a function word between subject words (matched only there), a
#: prefix, names, a number with a hyphen, an apostrophe word and a common word.
QUERIES = ["мовні табори", "ціни на газ", "україн*", "Київ Львів", "COVID-19", "п'ять років", "війна", "освіта і наука"]
FUNCTION_WORDS = {"на", "і", "й", "в", "у", "з", "до", "та", "що"}

_SPLIT_BEFORE = re.compile(f"({TOKEN_RE.pattern})", TOKEN_RE.flags)


def find_placed_before(m: Matcher, text: str, placed: dict[int, list[str]]) -> list[tuple[int, int, str]]:
    """``Matcher.find_placed`` as it was before ``token_re`` (every word split by the index's
    pattern, every offset summed)."""
    if not m.terms:
        return []
    pieces = _SPLIT_BEFORE.split(text)
    words = pieces[1::2]
    distinct = set(words)
    new = distinct.difference(m._judged)
    if new:
        m._judge(list(new))
    by_form = m._by_form
    found = dict.fromkeys(placed)
    by_written = distinct.intersection(by_form)
    if by_written:
        found.update(dict.fromkeys(i for i, w in enumerate(words) if w in by_written))
    if not found:
        return []
    ends = list(accumulate(map(len, pieces)))
    out: list[tuple[int, int, int, str]] = []
    for i in sorted(found):
        if i >= len(words):
            continue
        lemmas = placed.get(i)
        if lemmas is None:
            k = by_form.get(words[i])
        elif len(lemmas) == 1 and lemmas[0] not in m.terms.weak:
            k = lemmas[0]
        else:
            k = m._decide(words[i])
        if k is not None:
            out.append((i, ends[2 * i], ends[2 * i + 1], k))
    return in_runs(out, m.terms.weak)


def find_before(m: Matcher, text: str) -> list[tuple[int, int, str]]:
    """``Matcher.find`` as it was before ``token_re``."""
    if not m.terms:
        return []
    keys = m._keys
    for raw in set(TOKEN_RE.findall(text)).difference(keys):
        form, lemmas, _ = m.analyzer.word(raw)
        keys[raw] = m.terms.key_of(form, lemmas)
    return in_runs([(i, x.start(), x.end(), k) for i, x in enumerate(TOKEN_RE.finditer(text))
                    if (k := keys.get(x.group())) is not None], m.terms.weak)


def query_terms(an: Analyzer, query: str) -> MatchTerms:
    """What a query marks, as the compiler would have it: each word's lemmas and form, a
    prefix for ``word*``, a function word's terms weak."""
    lemmas: set[str] = set()
    forms: set[str] = set()
    prefixes: list[str] = []
    weak: set[str] = set()
    for raw in query.split():
        if raw.endswith("*"):
            prefixes.append(an.form(raw[:-1]))
            continue
        form, word_lemmas, _ = an.word(raw)
        lemmas.update(word_lemmas)
        forms.add(form)
        if form in FUNCTION_WORDS:
            weak.update({form, *word_lemmas})
    return MatchTerms(frozenset(lemmas), frozenset(forms), tuple(prefixes), frozenset(weak))


def placed_in(lemma_rows: list[tuple[str, ...]], terms: MatchTerms) -> dict[int, list[str]]:
    """``{word number: [query lemmas there]}``, as the index gives it."""
    out: dict[int, list[str]] = {}
    for i, lemmas in enumerate(lemma_rows):
        there = terms.lemmas.intersection(lemmas)
        if there:
            out[i] = sorted(there)
    return out


Hit = tuple[str, str, dict[int, list[str]], dict[int, list[str]]]  # text, title, placed in each


def _hit(m: Matcher, hit: Hit) -> bool:
    """Whether a search would list the text: a query term other than a function word's in
    its body or title."""
    return any(k not in m.terms.weak for _, _, k in m.find_placed(hit[0], hit[2]) + m.find_placed(hit[1], hit[3]))


def highlight(page: list[Hit], an: Analyzer, terms: MatchTerms, before: bool, snippets: bool) -> None:
    """Highlight a page of hits with one fresh Matcher, as a search does."""
    find = find_placed_before if before else Matcher.find_placed
    m = Matcher(an, terms)
    for text, title, body_at, title_at in page:
        found = find(m, text, body_at)
        find(m, title, title_at)
        if snippets:
            best_snippet(text, an, terms, found=found)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("articles", type=Path)
    ap.add_argument("--query", action="append", help=f"a query (repeat; default: {len(QUERIES)} of them)")
    ap.add_argument("--hits", type=int, default=10, help="hits highlighted by one Matcher (a page)")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--json", type=Path, help="save the figures here")
    args = ap.parse_args()
    queries = args.query or QUERIES
    records = [json.loads(line) for line in args.articles.read_text(encoding="utf-8").splitlines() if line.strip()]
    an = default_analyzer()
    # (the index's analysis by an analyzer of its own: one that had analyzed every word
    # would know their forms by another cache than a search process, which has not)
    indexer = Analyzer()
    t0 = time.perf_counter()
    texts = [(r["text"], r.get("title") or "") for r in records]
    rows = [([t.lemmas for t in indexer.analyze(text)], [t.lemmas for t in indexer.analyze(title)])
            for text, title in texts]
    print(f"{len(texts)} texts analyzed in {time.perf_counter() - t0:.1f} s; "
          f"{sum(token_re(t) is TOKEN_RE for t, _ in texts)} of them need the exact pattern", flush=True)
    work: list[tuple[MatchTerms, list[list[Hit]]]] = []
    everything: list[tuple[MatchTerms, list[Hit]]] = []
    for q in queries:
        terms = query_terms(an, q)
        all_hits = [(text, title, placed_in(b, terms), placed_in(t, terms))
                    for (text, title), (b, t) in zip(texts, rows, strict=True)]
        everything.append((terms, all_hits))
        hits = [h for h in all_hits if _hit(Matcher(an, terms), h)]
        work.append((terms, [hits[i:i + args.hits] for i in range(0, len(hits), args.hits)]))
        print(f"  {q!r}: {len(hits)} hits", flush=True)

    # -- speed: both ways in turn page by page (the machine's load changes slower than
    # that), the order swapped every page, after one warm-up pass
    cpu: dict[str, list[float]] = {f"{part} {side}": [] for part in ("split", "find", "snippet")
                                   for side in ("before", "now")}
    hits = sum(len(page) for _, pages in work for page in pages)
    for rnd in range(args.rounds + 1):
        spent = dict.fromkeys(cpu, 0.0)
        flip = rnd % 2
        for part in ("find", "snippet"):
            for terms, pages in work:
                for page in pages:
                    flip ^= 1
                    for before in ((True, False) if flip else (False, True)):
                        c0 = time.process_time()
                        highlight(page, an, terms, before, part == "snippet")
                        spent[f"{part} {'before' if before else 'now'}"] += time.process_time() - c0
        for text, _ in texts:  # the word split alone, every text
            flip ^= 1
            for before in ((True, False) if flip else (False, True)):
                c0 = time.process_time()
                (_SPLIT_BEFORE.split if before else _SPLIT[token_re(text)].split)(text)
                spent[f"split {'before' if before else 'now'}"] += time.process_time() - c0
        if rnd:
            for k, v in spent.items():
                cpu[k].append(v / (len(texts) if k.startswith("split") else hits) * 1000)
    figures: dict[str, object] = {"texts": len(texts), "queries": queries, "rounds": args.rounds}
    print(f"\nCPU ms per hit (split: per text), median of {args.rounds} rounds; ratio now/before per round")
    for part in ("split", "find", "snippet"):
        b, a = cpu[f"{part} before"], cpu[f"{part} now"]
        ratios = [y / x for x, y in zip(b, a, strict=True)]
        figures[part] = {"before_ms": round(statistics.median(b), 4), "now_ms": round(statistics.median(a), 4),
                         "ratio_median": round(statistics.median(ratios), 3),
                         "ratio_range": [round(min(ratios), 3), round(max(ratios), 3)]}
        print(f"  {part:8s} before {statistics.median(b):.3f}  now {statistics.median(a):.3f}  "
              f"ratio {statistics.median(ratios):.3f} (rounds {min(ratios):.3f}-{max(ratios):.3f})")

    # -- the same output: every text, not only the hits (a written form matches anywhere)
    differ = 0
    compared = 0
    for terms, all_hits in everything:
        before, now, fresh = Matcher(an, terms), Matcher(an, terms), Matcher(an, terms)
        for text, title, body_at, title_at in all_hits:
            old = find_placed_before(before, text, body_at), find_placed_before(before, title, title_at)
            new = now.find_placed(text, body_at), now.find_placed(title, title_at)
            same = (old == new and find_before(fresh, text) == now.find(text)
                    and best_snippet(text, an, terms, found=old[0]) == best_snippet(text, an, terms, found=new[0]))
            compared += 1
            if not same:
                differ += 1
                if differ <= 5:
                    print(f"DIFFERENT: {title[:60]!r} for {sorted(terms.lemmas)[:3]}", file=sys.stderr)
    figures["compared"] = compared
    figures["different"] = differ
    print(f"\nsame matches, index-free matches and snippets: {compared - differ} of {compared} (text, query) pairs")
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
