#!/usr/bin/env python3
"""Near-duplicate collapsing on real articles: precision, recall and what it costs an import.

usage: python benchmarks/duplicates.py CORPUS.jsonl [--originals 150] [--seed 1]
           [--speed-runs 2] [--out DIR] [--keep DIR]

Picks ``--originals`` articles of the corpus and writes 1-3 copies of each with the edits a
republishing outlet makes: a different title, sentences dropped, sentences and paragraphs
reordered, a new lead paragraph (sentences of another article of the corpus), words put into
other inflections, words replaced by synonyms (a small hand-written list, then other words
of the same part of speech, which changes the lemma as a synonym does). Copies come in three
strengths, light, medium and heavy. The corpus itself supplies the unrelated articles on the
same topic: for every original, the articles that share the most of its rare lemmas are
listed as "topical neighbours" and must not be folded into it.

Everything is imported into a fresh home through the library, and the groups the index
formed are scored pairwise against the families (an original and its copies):
precision = pairs grouped that are one family / pairs grouped, recall = family pairs
grouped / family pairs. A search check runs a query made of each original's rarest lemmas
and counts the families that come back as one hit. Then the import is timed
``--speed-runs`` times with signatures and without (the signature step switched off),
alternating, and the best of each is compared.

Prints the figures and saves ``duplicates.json`` in ``--out``.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from itertools import combinations
from pathlib import Path
from typing import Any
from unittest import mock

import pymorphy3

from searchkit import Engine
from searchkit.backends.whoosh import SearchIndex
from searchkit.ingest import pipeline
from searchkit.text.analysis import default_analyzer
from searchkit.text.dedup import Signer, similarity

LEVELS: dict[str, dict[str, Any]] = {
    # drop: share of sentences removed; swaps: adjacent sentences swapped; lead: chance of a
    # new lead paragraph; inflect / synonym: share of words changed.
    "light": {"drop": (0.0, 0.10), "swaps": 1, "lead": 0.5, "inflect": 0.05, "synonym": 0.02, "move_par": False},
    "medium": {"drop": (0.10, 0.25), "swaps": 2, "lead": 1.0, "inflect": 0.10, "synonym": 0.05, "move_par": True},
    "heavy": {"drop": (0.25, 0.40), "swaps": 4, "lead": 1.0, "inflect": 0.15, "synonym": 0.10, "move_par": True},
}

# Lemma -> synonyms an editor might use instead (news vocabulary).
SYNONYMS = {
    "заявити": ["сказати", "повідомити"], "сказати": ["заявити", "зазначити"], "повідомити": ["розповісти"],
    "зазначити": ["наголосити", "підкреслити"], "наголосити": ["підкреслити"], "розповісти": ["повідомити"],
    "країна": ["держава"], "держава": ["країна"], "великий": ["значний"], "значний": ["великий"],
    "новий": ["свіжий"], "швидко": ["оперативно"], "початок": ["старт"], "проблема": ["труднощі", "питання"],
    "питання": ["проблема"], "людина": ["особа"], "діти": ["дітлахи"], "місто": ["населений пункт"],
    "робота": ["діяльність"], "мета": ["ціль"], "ціль": ["мета"], "рішення": ["постанова"],
    "важливий": ["суттєвий"], "зараз": ["нині", "тепер"], "нині": ["зараз"], "тепер": ["нині"],
    "також": ["теж"], "проте": ["однак", "але"], "однак": ["проте"], "але": ["проте"], "дуже": ["вельми"],
    "отримати": ["одержати"], "одержати": ["отримати"], "почати": ["розпочати"], "розпочати": ["почати"],
    "допомога": ["підтримка"], "підтримка": ["допомога"], "кошти": ["гроші"], "гроші": ["кошти"],
    "вибори": ["голосування"], "результат": ["підсумок"], "підсумок": ["результат"], "сьогодні": ["нині"],
    "говорити": ["казати"], "казати": ["говорити"], "показати": ["продемонструвати"], "думка": ["погляд"],
}
TITLE_PREFIXES = ["Новини: ", "Важливо: ", "Ексклюзив: ", "Увага! ", "Стало відомо: ", ""]
_SENT = re.compile(r"(?<=[.!?…])\s+(?=[«\"(—–-]?[А-ЯІЇЄҐA-Z0-9])")
_WORD = re.compile(r"[А-ЯІЇЄҐа-яіїєґ'’ʼ-]{3,}")


def sentences(paragraph: str) -> list[str]:
    return [s for s in _SENT.split(paragraph.strip()) if s]


class Editor:
    """Makes an edited copy of an article."""

    def __init__(self, rng: random.Random, donors: list[dict[str, Any]]) -> None:
        self.rng = rng
        self.donors = donors
        self.morph = pymorphy3.MorphAnalyzer(lang="uk")
        self._parse: dict[str, Any] = {}
        self.by_pos: dict[str, list[str]] = {}
        for d in donors[:300]:  # a vocabulary to draw same-part-of-speech substitutes from
            for w in _WORD.findall(d["text"])[:400]:
                p = self.parse(w)
                if p is not None and p.tag.POS in ("NOUN", "ADJF", "VERB", "ADVB"):
                    self.by_pos.setdefault(str(p.tag.POS), []).append(w.lower())

    def parse(self, word: str) -> Any:
        if word not in self._parse:
            ps = self.morph.parse(word)
            self._parse[word] = ps[0] if ps and ps[0].is_known else None
        return self._parse[word]

    @staticmethod
    def _case_like(src: str, new: str) -> str:
        if src.isupper() and len(src) > 1:
            return new.upper()
        return new[:1].upper() + new[1:] if src[:1].isupper() else new

    def inflect(self, word: str) -> str | None:
        p = self.parse(word)
        if p is None:
            return None
        forms = {f.word for f in p.lexeme if f.normal_form == p.normal_form} - {word.lower()}
        return self._case_like(word, self.rng.choice(sorted(forms))) if forms else None

    def synonym(self, word: str) -> str | None:
        p = self.parse(word)
        if p is None:
            return None
        syns = SYNONYMS.get(p.normal_form)
        if syns:
            syn = self.rng.choice(syns)
            sp = self.parse(syn) if " " not in syn else None
            if sp is not None:
                grams = set(p.tag.grammemes) & {"nomn", "gent", "datv", "accs", "ablt", "loct", "sing", "plur",
                                                "masc", "femn", "neut", "past", "pres", "futr"}
                infl = sp.inflect(grams) if grams else None
                return self._case_like(word, infl.word if infl else syn)
            return self._case_like(word, syn)
        pool = self.by_pos.get(str(p.tag.POS))
        return self._case_like(word, self.rng.choice(pool)) if pool else None

    def change_words(self, text: str, share: float, fn: Any) -> str:
        words = list(_WORD.finditer(text))
        if not words or share <= 0:
            return text
        chosen = set(self.rng.sample(range(len(words)), max(1, round(len(words) * share))))
        out, pos = [], 0
        for i, m in enumerate(words):
            if i in chosen:
                new = fn(m.group())
                if new:
                    out += [text[pos : m.start()], new]
                    pos = m.end()
        out.append(text[pos:])
        return "".join(out)

    def title(self, article: dict[str, Any], first: str) -> str:
        kind = self.rng.randrange(3)
        if kind == 0:  # the lead sentence, cut short, as the headline
            return " ".join(first.split()[:10]).rstrip(",;:—–-") or article["title"]
        if kind == 1:
            return self.rng.choice(TITLE_PREFIXES) + self.change_words(article["title"], 0.3, self.synonym)
        words = article["title"].split()
        self.rng.shuffle(words)
        return " ".join(words)

    def copy(self, article: dict[str, Any], level: str, new_id: str) -> dict[str, Any]:
        cfg = LEVELS[level]
        rng = self.rng
        paras = [sentences(p) for p in article["text"].split("\n\n") if p.strip()]
        flat = [(i, j) for i, p in enumerate(paras) for j in range(len(p))]
        n_drop = min(round(len(flat) * rng.uniform(*cfg["drop"])), max(len(flat) - 3, 0))
        dropped = set(rng.sample(flat, n_drop))
        paras = [[s for j, s in enumerate(p) if (i, j) not in dropped] for i, p in enumerate(paras)]
        paras = [p for p in paras if p]
        for _ in range(cfg["swaps"]):
            p = rng.choice(paras)
            if len(p) > 1:
                k = rng.randrange(len(p) - 1)
                p[k], p[k + 1] = p[k + 1], p[k]
        if cfg["move_par"] and len(paras) > 2:
            k = rng.randrange(1, len(paras))
            paras.insert(rng.randrange(1, len(paras)), paras.pop(k))
        if rng.random() < cfg["lead"]:
            donor = rng.choice(self.donors)
            lead = sentences(donor["text"].split("\n\n")[0])[: rng.randint(1, 2)]
            if lead:
                paras.insert(0, lead)
        text = "\n\n".join(" ".join(p) for p in paras)
        text = self.change_words(text, cfg["inflect"], self.inflect)
        text = self.change_words(text, cfg["synonym"], self.synonym)
        first = sentences(text.split("\n\n")[0])[0] if text else ""
        return {"id": new_id, "title": self.title(article, first), "text": text, "date": article.get("date"),
                "source": f"Передрук {rng.randrange(1, 6)}", "level": level, "copy_of": article["id"]}


def lemma_lists(articles: list[dict[str, Any]]) -> dict[str, list[str]]:
    an = default_analyzer()
    return {a["id"]: [lemmas[0] for _, lemmas in an.iter_words(a["text"])] for a in articles}


def topical_neighbours(originals: list[str], lemmas: dict[str, list[str]], k: int = 3) -> dict[str, list[str]]:
    """For each original, the corpus articles that share the most of its rare lemmas."""
    df: Counter[str] = Counter()
    sets = {i: {w for w in ls if len(w) > 3} for i, ls in lemmas.items()}
    for s in sets.values():
        df.update(s)
    n = len(sets)
    rare = {w for w, c in df.items() if 2 <= c <= max(3, n // 100)}
    out = {}
    for o in originals:
        mine = sets[o] & rare
        scores = []
        for other, s in sets.items():
            if other != o:
                shared = mine & s
                if shared:
                    scores.append((sum(math.log(n / df[w]) for w in shared), other))
        out[o] = [other for _, other in sorted(scores, reverse=True)[:k]]
    return out


def pairs_of(groups: list[tuple[str, ...]]) -> set[tuple[str, str]]:
    return {tuple(sorted(p)) for g in groups for p in combinations(g, 2)}  # type: ignore[misc]


class CpuTimer:
    """Wraps a function and adds up the CPU time spent in it."""

    def __init__(self, fn: Any) -> None:
        self.fn = fn
        self.seconds = 0.0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        c0 = time.process_time()
        try:
            return self.fn(*args, **kwargs)
        finally:
            self.seconds += time.process_time() - c0


def timed_import(path: Path, *, signatures: bool) -> tuple[float, float, float]:
    """Wall and CPU seconds of importing ``path`` into a fresh home, and the CPU seconds
    spent in the near-duplicate steps (signatures, grouping) during it.

    CPU time is the fairer comparison on a machine that others share, but cache and core
    contention still move it; the time measured inside the added steps does not depend on
    a second run. Articles are analyzed in this process (not in the worker process a big
    import starts), so that all of the work is in the CPU time measured here.
    """
    with tempfile.TemporaryDirectory(prefix="searchkit-dup-speed-") as tmp:
        eng = Engine.init(Path(tmp) / "home")
        sign = CpuTimer(Signer.signature if signatures else lambda self, lemmas, **kw: None)
        group = CpuTimer(SearchIndex._regroup)
        # (or the indexing runs in a second process whose CPU time this one does not see)
        with mock.patch.object(Signer, "signature", lambda self, lemmas, **kw: sign(self, lemmas, **kw)), \
                mock.patch.object(SearchIndex, "_regroup", lambda self, *a: group(self, *a)), \
                mock.patch.object(pipeline, "MIN_PARALLEL", sys.maxsize):
            t0, c0 = time.perf_counter(), time.process_time()
            eng.import_paths([path])
            elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
        eng.close()
    return elapsed, cpu, sign.seconds + group.seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--originals", type=int, default=150, help="articles to copy (default 150)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--min-words", type=int, default=150, help="only copy articles at least this long")
    ap.add_argument("--speed-runs", type=int, default=2, help="timed imports per mode (0: skip)")
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    ap.add_argument("--keep", type=Path, help="keep the home and the generated copies here")
    a = ap.parse_args()

    rng = random.Random(a.seed)
    articles = []
    with open(a.corpus, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                articles.append(json.loads(line))
    long_enough = [x for x in articles if len(x["text"].split()) >= a.min_words]
    if not long_enough:
        sys.exit(f"duplicates.py: no article of {a.corpus} has {a.min_words} words or more to copy: "
                 "give a lower --min-words")
    originals = rng.sample(long_enough, min(a.originals, len(long_enough)))
    orig_ids = {o["id"] for o in originals}
    donors = [x for x in articles if x["id"] not in orig_ids]
    editor = Editor(rng, donors)
    copies = []
    for o in originals:
        for k in range(rng.choice([1, 1, 2, 3])):
            level = rng.choice(list(LEVELS))
            copies.append(editor.copy(o, level, f"copy-{k + 1}-{o['id']}"))
    family = {o["id"]: o["id"] for o in originals} | {c["id"]: c["copy_of"] for c in copies}

    work = a.keep or Path(tempfile.mkdtemp(prefix="searchkit-dup-"))
    work.mkdir(parents=True, exist_ok=True)
    data = work / "corpus-with-copies.jsonl"
    with open(data, "w", encoding="utf-8") as f:
        for rec in [*articles, *copies]:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"{len(articles)} articles, {len(originals)} copied, {len(copies)} copies "
          f"({', '.join(f'{n} {lv}' for lv, n in sorted(Counter(c['level'] for c in copies).items()))})",
          file=sys.stderr)

    home = work / "home"
    eng = Engine.init(home)
    t0 = time.perf_counter()
    report = eng.import_paths([data])
    first_import = time.perf_counter() - t0
    print(f"imported {report.added} in {first_import:.1f} s", file=sys.stderr)
    groups = eng.duplicate_groups()

    # -- pairwise precision / recall -----------------------------------------------------
    true_groups: dict[str, list[str]] = {}
    for i, fam in family.items():
        true_groups.setdefault(fam, []).append(i)
    truth = pairs_of([tuple(g) for g in true_groups.values()])
    found = pairs_of(groups)
    tp = len(found & truth)
    precision = tp / len(found) if found else 1.0
    recall = tp / len(truth) if truth else 1.0
    grouped_with: dict[str, set[str]] = {}
    for g in groups:
        for i in g:
            grouped_with[i] = set(g)
    by_level: dict[str, list[bool]] = {lv: [] for lv in LEVELS}
    for c in copies:
        by_level[c["level"]].append(c["copy_of"] in grouped_with.get(c["id"], ()))
    natural = [g for g in groups if not any(i in family for i in g)]
    wrong = sorted(p for p in found - truth)
    # Pairs among articles that were in the corpus already and were not copied: their
    # truth is unknown (the corpus may hold real duplicates); they are listed for a look.
    judged = {p for p in found if p[0] in family or p[1] in family}
    precision_judged = len(judged & truth) / len(judged) if judged else 1.0

    # -- similarity of copies and of topical neighbours ----------------------------------
    lemmas = lemma_lists([*articles, *copies])
    signer = Signer()
    sigs = {i: signer.signature(ls) for i, ls in lemmas.items()}
    neighbours = topical_neighbours(sorted(orig_ids), {i: lemmas[i] for i in (x["id"] for x in articles)})
    copy_sims = [similarity(sigs[c["id"]], sigs[c["copy_of"]]) for c in copies
                 if sigs[c["id"]] and sigs[c["copy_of"]]]
    neigh_pairs = [(o, n) for o, ns in neighbours.items() for n in ns]
    neigh_sims = [similarity(sigs[o], sigs[n]) for o, n in neigh_pairs if sigs[o] and sigs[n]]
    neigh_folded = sum(1 for o, n in neigh_pairs if n in grouped_with.get(o, ()))

    # -- search check: a family found by a query comes back as one hit ----------------------
    df: Counter[str] = Counter()
    for x in articles:
        df.update(set(lemmas[x["id"]]))
    one_hit = searched = 0
    shown_apart_without = 0
    for o in originals:
        rare = sorted({w for w in lemmas[o["id"]] if len(w) > 3 and w.isalpha()}, key=lambda w: (df[w], w))[:2]
        members = set(true_groups[o["id"]])
        if len(members) < 2 or len(rare) < 2:
            continue
        q = " ".join(rare)
        hits_on = [h for h in eng.search(q, limit=50).hits if h.id in members]
        hits_off = [h for h in eng.search(q, limit=50, collapse=False).hits if h.id in members]
        if not hits_off:
            continue
        searched += 1
        one_hit += len(hits_on) == 1
        shown_apart_without += len(hits_off) > 1
    eng.close()

    # -- import speed --------------------------------------------------------------------
    wall: dict[str, list[float]] = {"with": [], "without": []}
    cpu: dict[str, list[float]] = {"with": [], "without": []}
    inside: list[float] = []  # share of the import's CPU time spent in the near-duplicate steps
    for _ in range(a.speed_runs):
        for mode in ("without", "with"):
            w, c, d = timed_import(data, signatures=mode == "with")
            wall[mode].append(w)
            cpu[mode].append(c)
            if mode == "with":
                inside.append(d / c)
    n_docs = len(articles) + len(copies)

    result: dict[str, Any] = {
        "corpus": a.corpus.name, "articles": len(articles), "originals": len(originals), "copies": len(copies),
        "seed": a.seed, "groups": len(groups), "pairs_found": len(found), "pairs_true": len(truth),
        "precision": round(precision, 4), "recall": round(recall, 4),
        "precision_on_copies": round(precision_judged, 4),
        "recall_by_level": {lv: round(sum(v) / len(v), 4) for lv, v in by_level.items() if v},
        "copies_by_level": {lv: len(v) for lv, v in by_level.items()},
        "natural_groups": [list(g) for g in natural], "wrong_pairs": [list(p) for p in wrong],
        "copy_similarity": {"min": round(min(copy_sims), 3), "median": round(statistics.median(copy_sims), 3)},
        "neighbour_similarity": {"max": round(max(neigh_sims), 3), "median": round(statistics.median(neigh_sims), 3),
                                 "pairs": len(neigh_pairs), "folded": neigh_folded},
        "search_families": searched, "search_one_hit": one_hit, "search_apart_without_collapse": shown_apart_without,
        "first_import_s": round(first_import, 2),
    }
    if a.speed_runs:
        best_with, best_without = min(cpu["with"]), min(cpu["without"])
        result["import_wall_s"] = {m: [round(x, 2) for x in v] for m, v in wall.items()}
        result["import_cpu_s"] = {m: [round(x, 2) for x in v] for m, v in cpu.items()}
        result["import_docs_per_cpu_s"] = {"with": round(n_docs / best_with, 1),
                                           "without": round(n_docs / best_without, 1)}
        result["import_slowdown_cpu"] = round(best_with / best_without - 1, 4)
        result["import_slowdown_wall"] = round(min(wall["with"]) / min(wall["without"]) - 1, 4)
        result["import_slowdown_cpu_median"] = round(statistics.median(cpu["with"]) /
                                                     statistics.median(cpu["without"]) - 1, 4)
        result["import_share_in_dedup_steps"] = [round(x, 4) for x in inside]

    print(f"== near-duplicates: {len(originals)} originals, {len(copies)} edited copies, {len(articles)} articles")
    print(f"precision {precision:.3f}  recall {recall:.3f}  ({tp} of {len(found)} grouped pairs right, "
          f"{len(truth)} true pairs)")
    print("recall by edit strength: " + ", ".join(
        f"{lv} {v:.3f} ({result['copies_by_level'][lv]})" for lv, v in result["recall_by_level"].items()))
    print(f"estimated Jaccard, copy vs original: min {result['copy_similarity']['min']}, "
          f"median {result['copy_similarity']['median']}")
    ns = result["neighbour_similarity"]
    print(f"topical neighbours (share rare lemmas): {len(neigh_pairs)} pairs, max {ns['max']}, "
          f"median {ns['median']}, folded {neigh_folded}")
    print(f"precision on pairs involving an original or a copy: {precision_judged:.3f}")
    print(f"groups with no copy in them (duplicates already in the corpus, counted as wrong above): {len(natural)}")
    for g in natural:
        print("   " + " = ".join(g))
    print(f"search by each original's two rarest lemmas: {one_hit}/{searched} families shown as one hit "
          f"({shown_apart_without} listed apart without collapsing)")
    if a.speed_runs:
        print(f"import of {n_docs} articles, best of {a.speed_runs}: CPU {min(cpu['without']):.1f} s without "
              f"signatures, {min(cpu['with']):.1f} s with ({result['import_slowdown_cpu']:+.1%}); wall "
              f"{min(wall['without']):.1f} s / {min(wall['with']):.1f} s ({result['import_slowdown_wall']:+.1%}); "
              f"median CPU {result['import_slowdown_cpu_median']:+.1%}")
        print(f"CPU time inside the signature and grouping steps: {min(inside):.1%}–{max(inside):.1%} "
              "of each import with signatures")
    a.out.mkdir(parents=True, exist_ok=True)
    (a.out / "duplicates.json").write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
