"""The fuzz suite: many generated queries and records, each answered, imported or refused
with a documented error (:mod:`searchkit.errors`), never anything else, in bounded time.

Inputs are drawn from a seeded generator (the same ones on every run; set
``SEARCHKIT_FUZZ_SEED`` to draw others and ``SEARCHKIT_FUZZ_SCALE`` to run more): any
Unicode including astral planes, lone surrogates, control characters and terminal escape
sequences, letters without a Unicode name, the query language's operators in any order,
date phrases, and JSON nested deeply. docs/reliability.md has the figures of a longer run.
"""

from __future__ import annotations

import json
import os
import random
import time
from pathlib import Path

import pytest
from rich.console import Console

from searchkit import Engine
from searchkit.errors import QueryError, SearchkitError
from searchkit.query import understand
from searchkit.render import article_view, printable, results_view

from .conftest import ARTICLES, write_jsonl

SEED = int(os.environ.get("SEARCHKIT_FUZZ_SEED", "19"))
SCALE = float(os.environ.get("SEARCHKIT_FUZZ_SCALE", "1"))
N_QUERIES = int(10_000 * SCALE)
N_RECORDS = int(2_000 * SCALE)

WORDS = ["київ", "Києві", "табори", "мовні", "рік", "року", "політв'язні", "політв’язнів", "Лукашенко",
         "Білорусі", "рок-фестиваль", "Харкова", "метро", "новий", "станції", "джаз", "ки", "р", "і", "в", "про",
         "Kyiv", "Zelenskyi", "Kharkiv", "lukashenko", "ПОЛІТВʼЯЗНІВ", "мо\u0301ва", "Івано\u2011Франківськ",
         "ёлка", "войны", "Киеве", "\U00017709київ", "київ\U000187f7", "\U00018d00", "2022", "24.02.2022", "٣"]
OPERATORS = [" OR ", " NOT ", " AND ", "-", '"', "(", ")", "*", ":", "title:", "body:",
             "source:", "«", "»", "„", "“", "'", "’", "`", "^2", "+", "|", "&", "/", "\\", "?", "!", "{", "}", "[",
             "]"]
DATES = ["вчора", "сьогодні", "минулого тижня", "у березні 2022", "в 2021 році", "за останні 10 днів", "торік",
         "з 24.02.2022 по 01.03.2022", "з 31.02.2022 по 99.99.9999", "у березні 99999", "за останні 999999 днів"]
ESCAPES = ["\x1b[2J", "\x1b]0;title\x07", "\x1b]8;;http://x\x1b\\", "\x9b2J", "\x00", "\x07", "\r", "\b",
           "\x7f", "\u202e", "\u200b", "\ufeff", "\u00ad", "\u0301", "\u0306", "\ud800", "\udfff", "\U0001f600",
           "\U0001f1fa\U0001f1e6", "\U000e0001", "\U0010fffd", "\uffff", "İ", "ß", "ǅ", "ﬁ"]
RANGES = [(0x20, 0x7E), (0x400, 0x4FF), (0x0, 0x1F), (0x80, 0x9F), (0x300, 0x36F), (0x590, 0x6FF),
          (0x2000, 0x206F), (0x3040, 0x30FF), (0x4E00, 0x9FFF), (0xD800, 0xDFFF), (0xE000, 0xF8FF),
          (0x10000, 0x1FFFF), (0x17000, 0x187F7), (0x20000, 0x2FFFF), (0xE0000, 0xE007F), (0x0, 0x10FFFF)]


def random_chars(rnd: random.Random, n: int) -> str:
    lo, hi = rnd.choice(RANGES)
    return "".join(chr(rnd.randint(lo, hi)) for _ in range(n))


def random_word(rnd: random.Random) -> str:
    # Mostly word-sized; now and then one of thousands of letters (the corrector leaves
    # words past 32 letters alone: tests/test_query_limits.py).
    n = rnd.randint(40, 3200) if rnd.random() < 0.05 else rnd.randint(1, 14)
    return "".join(chr(rnd.randint(0x430, 0x44F)) for _ in range(n))


def random_query(rnd: random.Random) -> str:
    kind = rnd.random()
    if kind < 0.05:
        return rnd.choice(["(" * rnd.randint(1, 60), ")" * rnd.randint(1, 60) + "київ", "-" * rnd.randint(1, 500),
                           "NOT " * rnd.randint(1, 200) + "київ", '"' * rnd.randint(1, 99),
                           " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(60, 80))),
                           '"' + " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(30, 40))) + '"',
                           "/".join("a" for _ in range(rnd.randint(60, 200))), "title:" * rnd.randint(1, 50),
                           " OR ".join(f"{rnd.choice(WORDS)[:3]}*" for _ in range(rnd.randint(10, 20)))])
    if kind < 0.25:
        return random_chars(rnd, rnd.randint(0, 40))
    parts = []
    for _ in range(rnd.randint(1, 8)):
        r = rnd.random()
        if r < 0.35:
            parts.append(rnd.choice(WORDS))
        elif r < 0.54:
            parts.append(rnd.choice(OPERATORS))
        elif r < 0.55:  # fuzzy words walk the vocabulary: the slowest queries, kept few
            parts.append(rnd.choice(["~", "~1", "~2", "~9", "~0"]))
        elif r < 0.60:  # a word no article has: each is tried for a spelling correction, the costly part
            parts.append(random_word(rnd))
        elif r < 0.72:
            parts.append(rnd.choice(DATES))
        elif r < 0.85:
            parts.append(rnd.choice(ESCAPES))
        else:
            parts.append(random_chars(rnd, rnd.randint(1, 6)))
        if rnd.random() < 0.6:
            parts.append(" ")
    return "".join(parts)


@pytest.fixture(scope="module")
def fuzz_home(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    home = tmp_path_factory.mktemp("fuzz") / "home"
    eng = Engine.init(home)
    hostile = [{"id": "h1", "title": "Заголовок \x1b]0;x\x07 \U00017709київ", "source": "Джерело\x00",
                "text": "Текст \x1b[2J новина \U0001f600 про табори і Київ, \U0001f602 мо\u0301ва."}]
    report = eng.import_paths([write_jsonl(home.parent / "feed.jsonl", ARTICLES + hostile)])
    assert report.failed == 0
    yield eng
    eng.close()


def test_generated_queries_are_answered_or_refused_with_query_error(fuzz_home, monkeypatch):
    rnd = random.Random(SEED)
    eng = fuzz_home
    # Spelling correction (trying every unknown word against the vocabulary) costs ten
    # times the rest of a search: one query in four runs it, with snippets and rendering;
    # the others run everything else (parsing, dates, transliteration, synonyms, the
    # search, folding). Its own bounds are tests/test_query_limits.py's.
    correct = understand._correct
    unexpected: list[tuple[str, BaseException]] = []
    times: list[tuple[float, str]] = []
    refused = 0
    console = Console(file=open(os.devnull, "w"), force_terminal=True, width=80)  # noqa: SIM115
    started = time.perf_counter()
    try:
        for i in range(N_QUERIES):
            query = random_query(rnd)
            t0 = time.perf_counter()
            full = i % 4 == 0
            monkeypatch.setattr(understand, "_correct", correct if full else _no_correction)
            try:
                results = eng.search(query, limit=3, page=rnd.choice([1, 1, 2]),
                                     sort=rnd.choice(["relevance", "date"]), exact=not full, snippets=full,
                                     collapse=rnd.random() < 0.8, facets=("source",) if i % 50 == 0 else ())
                if i % 100 == 0:
                    console.print(results_view(results))
                if i % 200 == 0:
                    eng.timeline(query)
            except QueryError:
                refused += 1
            except Exception as e:  # noqa: BLE001 - every other exception is a finding
                unexpected.append((query, e))
            times.append((time.perf_counter() - t0, query))
    finally:
        console.file.close()
    elapsed = time.perf_counter() - started
    times.sort(reverse=True)
    slowest = times[: max(1, len(times) // 100)]
    print(f"\n{N_QUERIES} queries in {elapsed:.1f} s, {refused} refused with QueryError; "
          f"slowest 1 %: {slowest[-1][0] * 1000:.0f}–{slowest[0][0] * 1000:.0f} ms "
          f"(slowest: {printable(ascii(slowest[0][1])[:60])})")
    assert not unexpected, [(q, repr(e)) for q, e in unexpected[:5]]
    assert slowest[0][0] < 5, slowest[:3]
    assert N_QUERIES - refused > N_QUERIES // 3  # most are answered, the generator is not all noise


def _no_correction(*args: object, **kwargs: object) -> None:
    return None


def _deep(rnd: random.Random, depth: int) -> object:
    value: object = rnd.choice([0, "x", None, True, 1.5, [], {}])
    for _ in range(depth):
        value = [value] if rnd.random() < 0.5 else {random_chars(rnd, 2): value}
    return value


def random_text(rnd: random.Random) -> str:
    parts = []
    for _ in range(rnd.randint(1, 12)):
        r = rnd.random()
        if r < 0.4:
            parts.append(rnd.choice(WORDS))
        elif r < 0.6:
            parts.append(random_word(rnd))
        elif r < 0.75:
            parts.append(rnd.choice(ESCAPES))
        else:
            parts.append(random_chars(rnd, rnd.randint(1, 20)))
        parts.append(rnd.choice([" ", " ", "\n", ", ", ". ", "\t", ""]))
    return "".join(parts)


def random_record(rnd: random.Random, i: int) -> str:
    """One JSONL line: mostly an article of some kind, sometimes not even JSON."""
    r = rnd.random()
    if r < 0.03:
        return random_chars(rnd, rnd.randint(0, 50)).replace("\n", " ")
    if r < 0.05:
        return json.dumps(rnd.choice([[], "text", 5, None, [{"text": "x"}]]))
    if r < 0.07:
        return '{"text": "' + "[" * rnd.randint(1, 3000)  # cut off
    rec: dict[str, object] = {}
    id_kind = rnd.random()
    if id_kind < 0.6:
        rec["id"] = f"f{i}"
    elif id_kind < 0.7:
        rec["id"] = i if rnd.random() < 0.5 else str(i)
    elif id_kind < 0.85:
        rec["id"] = rnd.choice([random_chars(rnd, rnd.randint(1, 20)), "../../etc/passwd", "CON", ".", "..",
                                "я" * 513, None, True, 1.5, [1], ""])
    rec["text"] = random_text(rnd) if rnd.random() < 0.95 else rnd.choice(["", " ", None, 5, ["x"]])
    if rnd.random() < 0.7:
        rec["title"] = random_text(rnd)[:200] if rnd.random() < 0.9 else rnd.choice([5, None, {"a": 1}])
    if rnd.random() < 0.5:
        rec["date"] = f"{rnd.randint(1990, 2030)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
    elif rnd.random() < 0.1:
        rec["date"] = rnd.choice(["2024-02-30", "вчора", "99999-01-01", "0000-00-00", random_chars(rnd, 8),
                                  20240102, -1, 1e300, None, [2024]])
    if rnd.random() < 0.5:
        rec["source"] = rnd.choice(["Тест\x1b[31m", random_chars(rnd, 10), "", 7, None, "Вісті", "Радіо"])
    if rnd.random() < 0.3:
        rec["url"] = rnd.choice(["https://example.org/x", random_chars(rnd, 10), 3])
    if rnd.random() < 0.3:
        rec[random_chars(rnd, 4)] = _deep(rnd, rnd.randint(0, 24))
    line = json.dumps(rec, ensure_ascii=rnd.random() < 0.5)
    if rnd.random() < 0.02:
        line = line.replace('"text"', '"text"' * 2, 1)  # broken
    return line


def test_generated_records_are_imported_or_refused_by_line_and_never_block_the_rest(tmp_path):
    rnd = random.Random(SEED)
    lines = [random_record(rnd, i) for i in range(N_RECORDS)]
    feed = tmp_path / "feed.jsonl"
    with open(feed, "w", encoding="utf-8", errors="surrogatepass") as f:  # lone surrogates, as some dumps have
        for line in lines:
            f.write(line + "\n")
    home = tmp_path / "home"
    eng = Engine.init(home)
    try:
        started = time.perf_counter()
        report = eng.import_paths([feed])
        took = time.perf_counter() - started
        counted = report.added + report.updated + report.unchanged + report.replaced + report.failed
        assert counted == sum(1 for line in lines if line.strip()), report
        assert report.added > N_RECORDS // 3
        assert all(e.startswith(f"{feed}:") for e in report.errors), report.errors[:3]
        stats = eng.stats()
        assert stats.index_up_to_date and stats.articles == stats.corpus_articles == report.added
        print(f"\n{N_RECORDS} records in {took:.1f} s: {report.added} added, {report.updated} updated, "
              f"{report.failed} refused")
        # Every stored article reads back, renders and is found by its own words.
        console = Console(file=open(os.devnull, "w"), force_terminal=True, width=80)  # noqa: SIM115
        try:
            for f in list(eng.corpus.scan())[:300]:
                article = eng.corpus.read(f.relpath)
                title, body = eng.highlight(article, "новина")
                console.print(article_view(article.id, title, body, [article.source or ""]))
        finally:
            console.file.close()
        rebuilt = eng.index(rebuild=True)
        assert rebuilt.failed == 0 and rebuilt.indexed == report.added
        for word in ("київ", "\U00017709київ", "табори", "\x1b[2J"):
            try:
                eng.search(word)
            except QueryError:
                pass
    except SearchkitError:
        raise
    finally:
        eng.close()


def test_the_fuzz_suite_runs_the_numbers_it_promises():
    assert N_QUERIES >= 10_000 or SCALE < 1
    assert N_RECORDS >= 2_000 or SCALE < 1


@pytest.mark.parametrize("seed", range(3))
def test_generated_lines_read_as_articles_or_input_errors_only(seed, tmp_path):
    from searchkit.errors import InputError
    from searchkit.store.formats import read_file

    rnd = random.Random(f"{SEED}-{seed}")
    path = Path(tmp_path / "f.jsonl")
    path.write_bytes(b"\n".join(random_record(rnd, i).encode("utf-8", "surrogatepass") for i in range(300)))
    for item in read_file(path):
        assert isinstance(item, InputError) or item.text
