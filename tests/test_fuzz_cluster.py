"""The fuzz suite's promises on the OpenSearch backend (a real cluster, ``scripts/opensearch-up``):
generated queries are answered or refused with ``QueryError`` and nothing else, generated
records are imported or refused by line, and one ``Engine`` shared by threads searches while
another thread imports, with no error. The embedded index's runs are in tests/test_fuzz.py
and tests/test_robustness.py; docs/reliability.md has the figures."""

from __future__ import annotations

import random
import threading
import time
from pathlib import Path

import pytest

from searchkit.errors import QueryError

from .conftest import ARTICLES, write_jsonl
from .synth import COMMON_WORD
from .synth import articles as synth_articles
from .synth import write_jsonl as write_synth
from .test_fuzz import SCALE, SEED, random_query, random_record
from .test_opensearch import alias, hosts, make_engine  # noqa: F401 - fixtures
from .test_robustness import _hammer

pytestmark = pytest.mark.opensearch
pytest.importorskip("opensearchpy")

#: Each query is a few requests over the network: fewer than the embedded run's 10,000.
N_QUERIES = int(600 * SCALE)
N_RECORDS = int(500 * SCALE)


def test_generated_queries_on_a_cluster_are_answered_or_refused_with_query_error(
        tmp_path: Path, hosts: list[str], alias: str) -> None:  # noqa: F811
    eng = make_engine(tmp_path, hosts, alias)
    hostile = {"id": "h1", "title": "Заголовок \x1b]0;x\x07 \U00017709київ", "source": "Джерело\x00",
               "text": "Текст \x1b[2J новина \U0001f600 про табори і Київ, \U0001f602 мо\u0301ва."}
    try:
        assert eng.import_paths([write_jsonl(tmp_path / "feed.jsonl", [*ARTICLES, hostile])]).failed == 0
        rnd = random.Random(SEED)
        unexpected: list[tuple[str, BaseException]] = []
        times: list[tuple[float, str]] = []
        refused = 0
        started = time.perf_counter()
        for i in range(N_QUERIES):
            query = random_query(rnd)
            t0 = time.perf_counter()
            try:
                eng.search(query, limit=3, page=rnd.choice([1, 1, 2]), sort=rnd.choice(["relevance", "date"]),
                           snippets=i % 4 == 0, collapse=False)
            except QueryError:
                refused += 1
            except Exception as e:  # noqa: BLE001 - every other exception is a finding
                unexpected.append((query, e))
            times.append((time.perf_counter() - t0, query))
        times.sort(reverse=True)
        slowest = times[: max(1, len(times) // 100)]
        print(f"\n{N_QUERIES} queries on the cluster in {time.perf_counter() - started:.1f} s, {refused} refused "
              f"with QueryError; slowest 1 %: {slowest[-1][0] * 1000:.0f}–{slowest[0][0] * 1000:.0f} ms")
        assert not unexpected, [(q, repr(e)) for q, e in unexpected[:5]]
        assert slowest[0][0] < 5, slowest[:3]
        assert N_QUERIES - refused > N_QUERIES // 3
    finally:
        eng.close()


def test_generated_records_on_a_cluster_are_imported_or_refused_by_line(
        tmp_path: Path, hosts: list[str], alias: str) -> None:  # noqa: F811
    rnd = random.Random(SEED)
    lines = [random_record(rnd, i) for i in range(N_RECORDS)]
    feed = tmp_path / "feed.jsonl"
    with open(feed, "w", encoding="utf-8", errors="surrogatepass") as f:
        f.writelines(line + "\n" for line in lines)
    eng = make_engine(tmp_path, hosts, alias)
    try:
        report = eng.import_paths([feed])
        counted = report.added + report.updated + report.unchanged + report.replaced + report.failed
        assert counted == sum(1 for x in lines if x.strip())
        assert report.added > N_RECORDS // 3
        assert all(e.startswith(f"{feed}:") for e in report.errors), report.errors[:3]
        stats = eng.stats()
        assert stats.index_up_to_date and stats.articles == stats.corpus_articles == report.added
        assert eng.search("\U00017709київ").total >= 0
    finally:
        eng.close()


def test_threads_sharing_one_engine_on_a_cluster_search_while_one_imports_with_no_errors(
        tmp_path: Path, hosts: list[str], alias: str) -> None:  # noqa: F811
    write_synth(tmp_path / "base.jsonl", synth_articles(200, prefix="b"))
    write_synth(tmp_path / "more.jsonl", synth_articles(600, prefix="m", seed=2))
    eng = make_engine(tmp_path, hosts, alias)
    try:
        assert eng.import_paths([tmp_path / "base.jsonl"]).failed == 0
        stop = threading.Event()
        errors: list[BaseException] = []
        totals: list[int] = []
        queries = [COMMON_WORD, "мовні табори", "Києві OR Львові", "лікарні -школи", "новий міст", "рада*"]

        threads = [threading.Thread(target=_hammer, args=(eng, queries, stop, errors, totals)) for _ in range(4)]
        for t in threads:
            t.start()
        try:
            report = eng.import_paths([tmp_path / "more.jsonl"])
            assert report.failed == 0 and report.added == 600
            stats = eng.stats()
            assert stats.articles == 800 and stats.index_up_to_date
        finally:
            stop.set()
            for t in threads:
                t.join(60)
        assert not errors, f"{len(errors)} errors, first: {errors[0]!r}"
        assert len(totals) > 20
        assert eng.search(COMMON_WORD, limit=1).total == 800
    finally:
        eng.close()
