"""The OpenSearch backend against a real cluster (``scripts/opensearch-up``).

Skipped when no cluster answers, unless ``SEARCHKIT_OPENSEARCH_URL`` is set (as ``.ci/run``
does): then a missing cluster fails the run instead of hiding the tests. The node-failure
tests also need ``SEARCHKIT_OPENSEARCH_RUN``, the run dir of the scripts, to stop and restart
a node; they leave the cluster green again.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import os
import random
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest

from searchkit import Engine, IndexStatus, IndexTaken, SearchkitError
from searchkit.query import budget

from .conftest import ARTICLES, write_jsonl

pytestmark = pytest.mark.opensearch
pytest.importorskip("opensearchpy")

ROOT = Path(__file__).resolve().parent.parent
URL_ENV = "SEARCHKIT_OPENSEARCH_URL"
RUN_ENV = "SEARCHKIT_OPENSEARCH_RUN"


def _health(host: str, params: str = "") -> dict | None:
    try:
        with urllib.request.urlopen(f"{host}/_cluster/health{params}", timeout=70) as r:
            return json.load(r)
    except OSError:
        return None


@pytest.fixture(scope="module")
def hosts() -> list[str]:
    required = bool(os.environ.get(URL_ENV))
    url = os.environ.get(URL_ENV) or "http://127.0.0.1:9200"
    hs = [h.strip().rstrip("/") for h in url.split(",") if h.strip()]
    if not any(_health(h) for h in hs):
        if required:
            pytest.fail(f"{URL_ENV}={url} is set but no node answers")
        pytest.skip(f"no OpenSearch cluster at {url} (start one with scripts/opensearch-up)")
    return hs


def _drop(hosts: list[str], alias: str) -> None:
    for pattern in (f"{alias}-g*", f"{alias}-t*"):  # the generations and their topic models
        req = urllib.request.Request(f"{hosts[0]}/{pattern}", method="DELETE")
        try:
            urllib.request.urlopen(req, timeout=30).close()
        except OSError:
            pass


@pytest.fixture
def alias(hosts: list[str]) -> Iterator[str]:
    """A fresh index alias on the cluster, removed afterwards."""
    name = f"searchkit-test-{uuid.uuid4().hex[:10]}"
    yield name
    _drop(hosts, name)


def make_engine(tmp_path: Path, hosts: list[str], alias: str, name: str = "home") -> Engine:
    return Engine.init(tmp_path / name, url=",".join(hosts) + "/" + alias)


@pytest.fixture
def cluster_engine(tmp_path: Path, hosts: list[str], alias: str) -> Iterator[Engine]:
    eng = make_engine(tmp_path, hosts, alias)
    report = eng.import_paths([write_jsonl(tmp_path / "feed.jsonl", ARTICLES)])
    assert report.added == len(ARTICLES) and report.failed == 0
    yield eng
    eng.close()


def ids(eng: Engine, query: str, **kw: object) -> list[str]:
    return [h.id for h in eng.search(query, **kw)]


# -- the library on a cluster ----------------------------------------------------------------


def test_inflected_forms_find_the_article(cluster_engine: Engine) -> None:
    res = cluster_engine.search("політв'язнів")
    assert [h.id for h in res] == ["a1"]
    assert "[політв'язні]" in res.hits[0].snippet.marked()


def test_query_language_works_as_on_the_embedded_index(cluster_engine: Engine) -> None:
    assert ids(cluster_engine, '"мовні табори"') == ["a2"]
    assert ids(cluster_engine, '"табори мовні"') == []
    assert set(ids(cluster_engine, "Київ OR Харків")) == {"a3", "a4"}
    assert ids(cluster_engine, "title:табір") == ["a2"]
    assert ids(cluster_engine, "Лукашенко -Путін") == ["a1"]
    assert ids(cluster_engine, "Лукашенко -звільнив") == []
    assert ids(cluster_engine, "лукаш*") == ["a1"]
    res = cluster_engine.search("Лукашенко~")
    assert [h.id for h in res] == ["a1"] and "[Лукашенко]" in res.hits[0].snippet.marked()


def test_filters_and_date_sort(cluster_engine: Engine) -> None:
    assert ids(cluster_engine, "рік OR табір OR рок", sort="date") == ["a3", "a4", "a2"]
    assert ids(cluster_engine, "рік OR табір OR рок", since="2020-01-01", sort="date") == ["a3", "a4"]
    assert ids(cluster_engine, "рік OR табір OR рок", source="музика") == ["a4"]
    assert cluster_engine.search("рік OR табір OR рок", limit=1, page=2).total == 3


def test_ranking_matches_the_embedded_index(cluster_engine: Engine, tmp_path: Path) -> None:
    local = Engine.init(tmp_path / "local")
    local.import_paths([tmp_path / "feed.jsonl"])
    for query in ["рік", "Київ OR Харків OR табір", "рок", "мова OR діти OR рік", "політичних в'язнів"]:
        assert ids(cluster_engine, query) == ids(local, query), query


def test_update_and_delete_by_id(cluster_engine: Engine, tmp_path: Path) -> None:
    changed = dict(ARTICLES[1], text="Табори закрили, діти поїхали додому.")
    report = cluster_engine.import_paths([write_jsonl(tmp_path / "update.jsonl", [changed])])
    assert report.updated == 1
    assert ids(cluster_engine, "поїхали") == ["a2"]
    assert ids(cluster_engine, "англійську") == []
    assert cluster_engine.delete(["a1"]) == 1
    assert ids(cluster_engine, "Лукашенко") == []
    stats = cluster_engine.stats()
    assert stats.articles == 3 and stats.index_up_to_date and stats.index_bytes > 0


def test_index_catches_up_with_the_corpus(cluster_engine: Engine) -> None:
    (cluster_engine.corpus.path_for("a4")).unlink()
    report = cluster_engine.index()
    assert report.deleted == 1
    assert ids(cluster_engine, "джаз") == []


def test_rebuild_moves_the_alias_atomically(cluster_engine: Engine, hosts: list[str], alias: str) -> None:
    before = cluster_engine.backend_index.current_generation()
    stop = threading.Event()
    answers: list[int] = []
    errors: list[Exception] = []

    def search_loop() -> None:
        reader = Engine(cluster_engine.home)
        while not stop.is_set():
            try:
                answers.append(reader.search("рік").total)
            except SearchkitError as e:
                errors.append(e)
        reader.close()

    t = threading.Thread(target=search_loop)
    t.start()
    try:
        report = cluster_engine.index(rebuild=True)
    finally:
        stop.set()
        t.join()
    assert report.rebuilt and report.indexed == len(ARTICLES)
    after = cluster_engine.backend_index.current_generation()
    assert after != before
    assert not errors and answers and set(answers) == {1}  # never an empty or missing index
    with urllib.request.urlopen(f"{hosts[0]}/_cat/indices/{alias}-g*?h=index", timeout=10) as r:
        assert r.read().decode().split() == [after]  # the old generation is gone


def test_a_rebuild_leaves_a_neighbouring_alias_alone_and_removes_an_orphan_topic_index(
        cluster_engine: Engine, hosts: list[str], alias: str, tmp_path: Path) -> None:
    neighbour = f"{alias}-gazette"  # its generations match ALIAS-g*, but are not ALIAS's
    try:
        other = make_engine(tmp_path, hosts, neighbour, name="gazette")
        other.import_paths([write_jsonl(tmp_path / "gazette.jsonl", ARTICLES[:2])])
        orphan = f"{alias}-t{'0' * 16}"  # a topic model whose generation's drop failed
        urllib.request.urlopen(urllib.request.Request(f"{hosts[0]}/{orphan}", method="PUT"), timeout=30).close()
        cluster_engine.index(rebuild=True)
        assert other.search(ARTICLES[0]["title"]).total >= 1
        with urllib.request.urlopen(f"{hosts[0]}/_cat/indices/{alias}-t*?h=index", timeout=10) as r:
            assert orphan not in r.read().decode().split()
        other.close()
    finally:
        _drop(hosts, neighbour)


def test_a_second_home_on_the_same_alias_is_refused_and_the_first_keeps_its_articles(
        cluster_engine: Engine, hosts: list[str], alias: str, tmp_path: Path) -> None:
    with pytest.raises(IndexTaken, match="desk: no home was made: .* belongs to another searchkit home"):
        make_engine(tmp_path, hosts, alias, name="desk")
    assert not (tmp_path / "desk").exists()
    Engine.init(tmp_path / "desk").close()  # a home of its own, given the alias for its commands
    desk = Engine(tmp_path / "desk", url=",".join(hosts) + "/" + alias)
    feed = write_jsonl(tmp_path / "desk.jsonl", [{"id": "d1", "title": "Дощ", "text": "Завтра очікують сильний дощ."}])
    with pytest.raises(IndexTaken, match="belongs to another searchkit home"):
        desk.import_paths([feed])
    with pytest.raises(IndexTaken):
        desk.index(rebuild=True)
    desk.close()
    assert ids(cluster_engine, "політв'язнів") == ["a1"]
    assert cluster_engine.index_state() is IndexStatus.CURRENT


def _mapping_meta(hosts: list[str], alias: str) -> tuple[str, dict]:
    """The concrete index behind ``alias`` and its mapping's ``_meta``."""
    with urllib.request.urlopen(f"{hosts[0]}/{alias}/_mapping", timeout=30) as r:
        ((name, body),) = json.load(r).items()
    return name, body["mappings"].get("_meta", {})


def _as_an_older_searchkit_left_it(hosts: list[str], alias: str) -> str:
    """Remove the home the index behind ``alias`` records (older versions recorded none); its name."""
    name, meta = _mapping_meta(hosts, alias)
    meta["searchkit"].pop("home")
    req = urllib.request.Request(f"{hosts[0]}/{name}/_mapping", data=json.dumps({"_meta": meta}).encode(),
                                 method="PUT", headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=30).close()
    return name


def test_an_index_an_older_searchkit_built_is_refused_to_another_home_and_kept_by_its_own(
        cluster_engine: Engine, hosts: list[str], alias: str, tmp_path: Path) -> None:
    name = _as_an_older_searchkit_left_it(hosts, alias)
    Engine.init(tmp_path / "desk").close()
    desk = Engine(tmp_path / "desk", url=",".join(hosts) + "/" + alias)
    same = write_jsonl(tmp_path / "same.jsonl", ARTICLES)  # the same articles, in files of the desk's own
    with pytest.raises(IndexTaken, match=f"the index '{name}' behind the alias '{alias}' was built by an older "
                                         "searchkit, which did not record its home"):
        desk.import_paths([same])
    with pytest.raises(IndexTaken):
        desk.index(rebuild=True)
    desk.close()
    assert "home" not in _mapping_meta(hosts, alias)[1]["searchkit"]  # claimed by no one
    own = Engine(cluster_engine.home)  # the home that built it: its files, so its index
    assert ids(own, "політв'язнів") == ["a1"]
    own.close()
    now, meta = _mapping_meta(hosts, alias)
    assert now == name  # the same index, now recorded as the home's
    assert meta["searchkit"]["home"] == (cluster_engine.home / ".searchkit-id").read_text(encoding="ascii").strip()


def test_a_changed_analyzer_version_rebuilds_on_the_cluster(cluster_engine: Engine,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from searchkit.backends.opensearch import index as opensearch

    monkeypatch.setattr(opensearch, "ANALYZER_VERSION", "test-next")
    eng = Engine(cluster_engine.home)
    assert eng.index_state() is IndexStatus.ANALYZER_CHANGED
    assert ids(eng, "джаз") == ["a4"]  # rebuilt on first use
    assert eng.index_state() is IndexStatus.CURRENT


def test_explain_parts_add_up_to_the_score_the_cluster_gives(cluster_engine: Engine) -> None:
    hit = cluster_engine.search("мовні табори").hits[0]
    ex = cluster_engine.explain("мовні табори", hit.id)
    assert ex.matches_query and ex.rank == 1
    assert ex.score == pytest.approx(hit.score, rel=1e-4)
    assert sum(c.score for c in ex.contributions) == pytest.approx(hit.score, rel=1e-3)
    assert {"lemma", "form", "near", "phrase"} <= {c.kind for c in ex.contributions}
    phrase = next(c for c in cluster_engine.explain('"мовні табори"', "a2").contributions if c.kind == "phrase")
    assert {"Мовні", "табори"} <= set(phrase.found)
    other = cluster_engine.explain("мовні табори", "a1")
    assert not other.matches_query and other.rank is None


def test_timeline_count_and_sources_come_from_the_cluster(cluster_engine: Engine) -> None:
    assert cluster_engine.timeline("рік OR табір OR рок") == [("2016-06", 1), ("2023-07", 1), ("2024-01", 1)]
    assert cluster_engine.count() == len(ARTICLES)
    assert cluster_engine.sources() == {"Тест-новини": 2, "Час Київщини": 1, "Музика": 1}


def test_the_timeline_after_a_killed_delete_counts_no_deleted_article_on_the_cluster(
        cluster_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from searchkit.backends.opensearch.index import OpenSearchIndex

    from .test_recovery import FLOODS, Killed

    cluster_engine.import_paths([write_jsonl(tmp_path / "floods.jsonl", FLOODS)])
    assert cluster_engine.timeline("річка") == [("2024-03", 2), ("2024-04", 1), ("2024-05", 1)]
    with monkeypatch.context() as m:  # killed once the files are gone, before the cluster is told
        m.setattr(OpenSearchIndex, "apply", lambda *a, **k: (_ for _ in ()).throw(Killed))
        with pytest.raises(Killed):
            cluster_engine.delete(["f2", "f4"])
    left = [("2024-03", 1), ("2024-04", 1)]
    assert cluster_engine.timeline("річка") == left
    res = cluster_engine.search("річка", months=True)
    assert list(res.months or ()) == left and res.matched_all == 2
    Engine(cluster_engine.home).index()
    assert cluster_engine.timeline("річка") == left and cluster_engine.search("річка").warnings == ()


def test_typos_and_latin_spellings_are_understood_on_the_cluster(cluster_engine: Engine) -> None:
    res = cluster_engine.search("мовні таббори")
    assert res.corrected_query == "мовні табори" and [h.id for h in res] == ["a2"]
    res = cluster_engine.search("Kyievi")
    assert "a3" in [h.id for h in res] and res.searched_as


SPELLINGS = [
    {"id": "s1", "title": "Новий вчитель", "text": "Вчитель прийшов до школи у вересні."},
    {"id": "s2", "title": "Бюджет", "text": "Уряд подав проєкт бюджету на наступний рік."},
    {"id": "s3", "title": "Архів", "text": "Архів міста зберігає старі документи."},
    {"id": "s4", "title": "Документи", "text": "Документи видають у центрі послуг."},
]


def test_spellings_partial_matches_and_families_rank_as_on_the_embedded_index(tmp_path: Path, hosts: list[str],
                                                                             alias: str) -> None:
    feed = write_jsonl(tmp_path / "spellings.jsonl", ARTICLES + SPELLINGS)
    cluster = make_engine(tmp_path, hosts, alias)
    local = Engine.init(tmp_path / "local")
    for eng in (cluster, local):
        assert eng.import_paths([feed]).added == len(ARTICLES) + len(SPELLINGS)
    try:
        assert ids(cluster, "учитель") == ["s1"] and ids(cluster, "проект") == ["s2"]
        for query in ["учитель", "проект бюджет", "архівні документи", "учитель школа метро", "табори метро",
                      "мовні табори", "документи зорельоти"]:
            a, b = cluster.search(query), local.search(query)
            assert [h.id for h in a] == [h.id for h in b], query
            assert (a.matched_all, a.total, a.missing) == (b.matched_all, b.total, b.missing), query
        assert cluster.search("документи зорельоти").missing == ("зорельоти",)
    finally:
        cluster.close()
        local.close()


def test_required_words_hold_in_every_match_as_on_the_embedded_index(tmp_path: Path, hosts: list[str],
                                                                    alias: str) -> None:
    from .test_required_words import ARTICLES as REQUIRED

    feed = write_jsonl(tmp_path / "required.jsonl", REQUIRED)
    cluster = make_engine(tmp_path, hosts, alias)
    local = Engine.init(tmp_path / "local")
    for eng in (cluster, local):
        assert eng.import_paths([feed]).added == len(REQUIRED)
    try:
        for query in ["+школа мова дитина", "+школа +мова дитина", "+парк школа", "+новина школа"]:
            a, b = (e.search(query, limit=50, collapse=False, snippets=False) for e in (cluster, local))
            assert {h.id for h in a} == {h.id for h in b} and a.hits[0].id == b.hits[0].id, query
            assert (a.matched_all, a.total, a.missing) == (b.matched_all, b.total, b.missing), query
        assert {h.id for h in cluster.search("+школа мова дитина", snippets=False)} == {
            "all", "school-child", "school-language", "news-school"}
    finally:
        cluster.close()
        local.close()


@pytest.mark.asyncio
async def test_the_terminal_ui_searches_the_cluster(cluster_engine: Engine) -> None:
    from .test_tui import make_app, searched

    app = make_app(cluster_engine, "табір")
    async with app.run_test() as pilot:
        s = await searched(pilot, app, "табір")
        assert [h.id for h in s.hits] == ["a2"]


def test_a_search_after_another_process_rebuilt_orders_by_the_new_generations_topic_model(
        tmp_path: Path, hosts: list[str], alias: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from searchkit.backends.opensearch import index as osindex
    from searchkit.text import topics

    monkeypatch.setattr(osindex, "META_TTL", 3600.0)  # the reader's generation stays cached

    rows = [{"id": f"t{i:03d}", "title": f"Новина {i}", "text": f"Суд розглянув справу номер {i}. " + (
        "Вирок оголосили в залі суду." if i % 2 else "Морква і капуста дали урожай на городі.")}
            for i in range(topics.MIN_ARTICLES + 10)]
    reader = make_engine(tmp_path, hosts, alias)
    reader.import_paths([write_jsonl(tmp_path / "feed.jsonl", rows)])
    assert reader.search("суд").total and reader.stats().topics_learnt_from == len(rows)
    writer = Engine(reader.home)
    writer.delete([r["id"] for r in rows[:5]])
    writer.index(rebuild=True)  # learnt again from fewer articles: another model
    assert writer.stats().topics_learnt_from == len(rows) - 5
    assert reader.stats().topics_learnt_from == len(rows)  # (the generation's name is cached)
    reader.search("суд")  # the hits come from the new generation: so does the model
    assert reader.stats().topics_learnt_from == len(rows) - 5
    writer.close()
    reader.close()


# -- a node dies -------------------------------------------------------------------------------

WORDS = ("депутат рада закон уряд бюджет місто область школа лікарня дорога міст вибори суд війна фронт "
         "волонтер армія громада село річка ліс поле зерно експорт ціна гривня банк податок митниця").split()


def synthetic_articles(n: int, seed: int = 7) -> list[dict[str, str]]:
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        words = [rnd.choice(WORDS) for _ in range(rnd.randint(40, 120))]
        out.append({"id": f"s{i:05d}", "title": " ".join(words[:5]).capitalize(), "date": "2024-03-01",
                    "source": "Синтетика", "text": " ".join(words) + f". Номер {i}."})
    return out


def _script(name: str, *args: str) -> None:
    run = os.environ[RUN_ENV]
    subprocess.run([sys.executable, str(ROOT / "scripts" / name), "--run-dir", run, *args], check=True,
                   stdout=subprocess.DEVNULL, timeout=300)


@pytest.fixture
def killable(hosts: list[str]) -> Iterator[dict[str, object]]:
    """Stop node 2 on request; restart it and wait for green afterwards."""
    if not os.environ.get(RUN_ENV):
        if os.environ.get(URL_ENV):
            pytest.fail(f"{URL_ENV} is set without {RUN_ENV}: cannot stop a node")
        pytest.skip(f"{RUN_ENV} is not set: the cluster was not started by scripts/opensearch-up")
    health = _health(hosts[0])
    if not health or health["number_of_nodes"] < 3:
        pytest.skip("needs a cluster of 3 nodes")
    state: dict[str, object] = {"killed": False}

    def kill() -> None:
        if not state["killed"]:
            state["killed"] = True
            _script("opensearch-down", "--node", "2", "--kill")

    state["kill"] = kill
    yield state
    if state["killed"]:
        _script("opensearch-up", "--node", "2")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # any node that answers: the others may be the killed one
        if any((_health(h, "?wait_for_status=green&timeout=20s") or {}).get("status") == "green" for h in hosts):
            return
    pytest.fail("the cluster did not turn green again after the node came back")


def test_import_survives_a_node_dying(tmp_path: Path, hosts: list[str], alias: str, killable: dict,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from searchkit.backends.opensearch import bulk

    monkeypatch.setattr(bulk, "BULK_BYTES", 256 * 1024)  # many small requests: the kill lands mid-import
    arts = synthetic_articles(1500)
    eng = make_engine(tmp_path, hosts, alias)

    def progress(done: int, total: int | None) -> None:
        if done >= 400:
            killable["kill"]()  # type: ignore[operator]

    eng.import_paths([write_jsonl(tmp_path / "big.jsonl", arts)], index=False)
    try:
        eng.index(progress=progress)
    except SearchkitError:
        eng.index()  # resumes: only what is missing or stale is sent again
    assert killable["killed"]
    assert eng.backend_index.doc_count() == len(arts)
    indexed = eng.backend_index.indexed()
    assert sorted(indexed) == [a["id"] for a in arts]  # none lost, none twice
    assert eng.search("номер").total == len(arts)
    assert eng.stats().index_up_to_date


def test_a_rebuild_that_loses_a_node_with_a_shard_stops_within_seconds_and_the_index_as_it_was_answers(
        tmp_path: Path, hosts: list[str], alias: str, killable: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    from searchkit.backends.opensearch import bulk

    monkeypatch.setattr(bulk, "BULK_BYTES", 256 * 1024)  # many small requests: the kill lands mid-rebuild
    arts = synthetic_articles(1500)
    eng = make_engine(tmp_path, hosts, alias)
    eng.import_paths([write_jsonl(tmp_path / "big.jsonl", arts)])  # (with its replicas: it survives the node)
    killed: list[float] = []

    def progress(done: int, total: int | None) -> None:
        if done >= 400 and not killed:
            killable["kill"]()  # type: ignore[operator]
            killed.append(time.monotonic())

    with pytest.raises(SearchkitError, match="a node left the cluster during the rebuild with the only copy of "
                                             r"shards? [0-9, and]+ of the new index") as e:
        eng.index(rebuild=True, progress=progress)
    took = time.monotonic() - killed[0]
    assert took < 30, took  # (it was told after 193 s of retries)
    assert f"the alias '{alias}' still names the index as it was" in str(e.value)
    assert "`Engine.index(rebuild=True)`" in e.value.hint
    assert eng.search("номер").total == len(arts)
    assert eng.stats().index_up_to_date
    eng.close()


def test_searches_keep_answering_when_a_node_dies(cluster_engine: Engine, killable: dict) -> None:
    expected = ids(cluster_engine, "рік OR табір OR рок")
    answers = []
    deadline = time.monotonic() + 8
    n = 0
    while time.monotonic() < deadline or n < 60:
        if n == 10:
            killable["kill"]()  # type: ignore[operator]
        answers.append(ids(cluster_engine, "рік OR табір OR рок"))
        n += 1
    assert killable["killed"]
    assert all(a == expected for a in answers)


def _topical_home(tmp_path: Path, hosts: list[str], alias: str) -> Path:
    """A cluster home whose index has a topic model, as another home that did not build it
    finds it: without its copy of the model."""
    from searchkit.backends.opensearch import topicstore
    from searchkit.text import topics

    rows = [{"id": f"t{i:03d}", "title": f"Новина {i}", "text": f"Суд розглянув справу номер {i}. " + (
        "Вирок оголосили в залі суду." if i % 2 else "Морква і капуста дали урожай на городі.")}
            for i in range(topics.MIN_ARTICLES + 10)]
    eng = make_engine(tmp_path, hosts, alias)
    eng.import_paths([write_jsonl(tmp_path / "feed.jsonl", rows)])
    copies = eng.home / "index" / topicstore.COPIES
    assert [p.name for p in copies.iterdir()] == [f"{eng.backend_index.current_generation()}.npz"]  # kept by the build
    eng.close()
    for p in copies.iterdir():
        p.unlink()
    return eng.home


def test_a_search_answers_in_time_while_the_topic_model_is_read_and_the_home_keeps_a_copy(
        tmp_path: Path, hosts: list[str], alias: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from searchkit.backends.opensearch import topicstore

    home = _topical_home(tmp_path, hosts, alias)
    read = topicstore.load

    def slow(ix: object, name: str) -> bytes | None:
        time.sleep(8)  # (a busy machine reading 11 MB)
        return read(ix, name)  # type: ignore[arg-type]

    monkeypatch.setattr(topicstore, "load", slow)
    eng = Engine(home)
    began = time.monotonic()
    first = eng.search("суд")
    assert time.monotonic() - began < 6 and first.total
    assert [w for w in first.warnings if "words alone" in w] == [
        "the first results are ordered by their words alone: the topic model is still being read from the "
        "cluster (once per index: the next searches order by topic too)"]
    model = eng.backend_index.topic_model()  # (waits for the read)
    assert model is not None and not [w for w in eng.search("суд").warnings if "words alone" in w]
    eng.close()

    def unreachable(ix: object, name: str) -> bytes | None:
        raise AssertionError("the model was read from the cluster again")

    monkeypatch.setattr(topicstore, "load", unreachable)
    fresh = Engine(home)  # the next process reads the home's copy
    assert fresh.backend_index.topic_model(within=0).digest == model.digest
    assert not [w for w in fresh.search("суд").warnings if "words alone" in w]
    fresh.close()


def test_a_topic_model_that_cannot_be_read_leaves_the_search_answered_with_a_note(
        tmp_path: Path, hosts: list[str], alias: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from searchkit.backends.opensearch import topicstore
    from searchkit.errors import IndexError_

    home = _topical_home(tmp_path, hosts, alias)
    read = topicstore.load

    def failing(ix: object, name: str) -> bytes | None:
        raise IndexError_("cannot reach OpenSearch (reading the topic model): no answer in time")

    monkeypatch.setattr(topicstore, "load", failing)
    eng = Engine(home)
    res = eng.search("суд")
    assert res.total and [w for w in res.warnings if "words alone" in w] == [
        "the first results are ordered by their words alone: the topic model could not be read (cannot reach "
        "OpenSearch (reading the topic model): no answer in time; the next search tries again)"]
    monkeypatch.setattr(topicstore, "load", read)
    assert eng.backend_index.topic_model() is not None  # asked again
    eng.close()


def test_a_damaged_copy_of_the_topic_model_is_read_from_the_cluster_again(
        tmp_path: Path, hosts: list[str], alias: str) -> None:
    from searchkit.backends.opensearch import topicstore

    home = _topical_home(tmp_path, hosts, alias)
    eng = Engine(home)
    copy = home / "index" / topicstore.COPIES / f"{eng.backend_index.current_generation()}.npz"
    copy.write_bytes(b"PK\x03\x04 not a model")
    assert eng.backend_index.topic_model() is not None
    assert topicstore.kept(copy.parent, copy.stem) is not None  # written again, whole
    eng.close()


class _Proxy(http.server.ThreadingHTTPServer):
    """A local HTTP proxy to a node that holds back the requests whose path begins with
    ``slow`` for ``delay`` seconds (``None``: until it closes): a cluster that answers
    searches but is slow, or hangs, on one index."""

    daemon_threads = True

    def __init__(self, upstream: str, slow: str, delay: float | None) -> None:
        super().__init__(("127.0.0.1", 0), _Forward)
        self.upstream, self.slow, self.delay = upstream, slow, delay
        self.closing = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Forward(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Proxy

    def _forward(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.startswith(self.server.slow) and self.server.closing.wait(self.server.delay):
            self.close_connection = True  # (hung until the proxy closed: no answer)
            return
        hop = {"host", "connection", "content-length", "transfer-encoding", "keep-alive"}
        req = urllib.request.Request(self.server.upstream + self.path, data=body or None, method=self.command,
                                     headers={k: v for k, v in self.headers.items() if k.lower() not in hop})
        try:
            r = urllib.request.urlopen(req, timeout=60)
        except urllib.error.HTTPError as e:
            r = e
        with r:
            data = r.read()
            self.send_response(r.status)
            for k, v in r.headers.items():
                if k.lower() not in hop:
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@contextlib.contextmanager
def _proxy(upstream: str, slow: str, delay: float | None) -> Iterator[str]:
    server = _Proxy(upstream, slow, delay)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.url
    finally:
        server.closing.set()
        server.shutdown()
        server.server_close()


def _timed_search(home: Path, url: str) -> tuple[subprocess.CompletedProcess[str], float]:
    """``searchkit search суд`` through ``url`` in a process of its own, and how long it ran
    on after its first line of output."""
    proc = subprocess.Popen([sys.executable, "-m", "searchkit", "--home", str(home), "--url", url, "search", "суд"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONUNBUFFERED": "1", "NO_COLOR": "1"})
    killer = threading.Timer(120, proc.kill)
    killer.start()
    try:
        first = os.read(proc.stdout.fileno(), 1)  # type: ignore[union-attr]  # (the answer is being printed)
        printed = time.monotonic()
        out, err = proc.communicate()
        after = time.monotonic() - printed
    finally:
        killer.cancel()
    return subprocess.CompletedProcess(proc.args, proc.returncode, (first + out).decode(), err.decode()), after


def test_a_command_exits_soon_after_its_answer_while_the_cluster_hangs_on_the_topic_model(
        tmp_path: Path, hosts: list[str], alias: str) -> None:
    from searchkit.backends.opensearch import topicstore

    home = _topical_home(tmp_path, hosts, alias)
    copies = home / "index" / topicstore.COPIES
    with _proxy(hosts[0], f"/{alias}-t", None) as url:  # (the read never answered)
        done, after = _timed_search(home, f"{url}/{alias}")
    assert done.returncode == 0, done.stderr
    assert "ordered by their words alone" in done.stdout + done.stderr
    assert after < topicstore.EXIT_SECONDS + 4, after  # (before: the read's 60 s)
    assert list(copies.iterdir()) == []  # no copy, nor a part of one
    with _proxy(hosts[0], f"/{alias}-t", 2.5) as url:  # (past the search's 2 s: read while the command ends)
        done, after = _timed_search(home, f"{url}/{alias}")
    assert done.returncode == 0, done.stderr
    assert "ordered by their words alone" in done.stdout + done.stderr
    assert after < topicstore.EXIT_SECONDS + 4, after
    eng = Engine(home)
    generation = str(eng.backend_index.current_generation())
    eng.close()
    assert [p.name for p in copies.iterdir()] == [f"{generation}.npz"]  # (whole: no temporary file left)
    assert topicstore.kept(copies, generation) is not None


@contextlib.contextmanager
def _both(tmp_path: Path, hosts: list[str], alias: str, articles: list[dict]) -> Iterator[tuple[Engine, Engine]]:
    """A cluster home and an embedded one, each holding ``articles``; both closed after.
    Their searches may take as long as they need: what is compared is what each finds, and
    on a loaded machine a cluster's word lookups ran past the search's budget and were cut
    short (no near spellings), where the embedded index's were not."""
    feed = write_jsonl(tmp_path / "feed.jsonl", articles)
    cluster = make_engine(tmp_path, hosts, alias)
    local = Engine.init(tmp_path / "local")
    stack = contextlib.ExitStack()
    try:
        stack.enter_context(mock.patch.object(budget, "QUERY_SECONDS", 60.0))
        stack.enter_context(mock.patch.object(budget, "CLUSTER_QUERY_SECONDS", 60.0))
        for eng in (cluster, local):
            assert eng.import_paths([feed]).added == len(articles)
        yield cluster, local
    finally:
        stack.close()
        cluster.close()
        local.close()


def test_common_words_only_rank_as_on_the_embedded_index(tmp_path: Path, hosts: list[str], alias: str) -> None:
    from .test_weak_words import ARTICLES as WEAK

    with _both(tmp_path, hosts, alias, WEAK) as (cluster, local):
        for query, kw in [("перша медична допомога", {}), ("перша медична допомога", {"exact": True})]:
            a, b = (e.search(query, collapse=False, **kw) for e in (cluster, local))  # type: ignore[arg-type]
            assert [h.id for h in a] == [h.id for h in b], query
            assert (a.matched_all, a.total) == (b.matched_all, b.total), query
        # sixty texts that score alike: the order of ties is each backend's own
        a, b = (e.search("перша зустріч", collapse=False, partial=False) for e in (cluster, local))
        assert a.total == b.total == 60
        assert cluster.search("перша медична допомога").matched_all == 3
        a_ex, b_ex = (e.explain("перша медична допомога", "aid-course") for e in (cluster, local))
        assert [(w.text, w.role) for w in a_ex.words] == [(w.text, w.role) for w in b_ex.words]
        assert a_ex.words[0].role == "ranks"


def test_a_general_word_only_ranks_as_on_the_embedded_index(tmp_path: Path, hosts: list[str], alias: str) -> None:
    from .test_weak_words import HEAD_NOUN

    with _both(tmp_path, hosts, alias, HEAD_NOUN) as (cluster, local):
        a, b = (e.search("розвиток малого бізнесу", collapse=False) for e in (cluster, local))
        assert [h.id for h in a] == [h.id for h in b]
        assert (a.matched_all, a.total) == (b.matched_all, b.total) == (3, 4)


def test_a_short_page_is_filled_with_the_commoner_word_as_on_the_embedded_index(tmp_path: Path, hosts: list[str],
                                                                               alias: str) -> None:
    from .test_partial_fill import ARTICLES as FILL

    with _both(tmp_path, hosts, alias, FILL) as (cluster, local):
        for query in ("фінансова грамотність", "фінансова освіта"):
            a, b = (e.search(query, limit=100, collapse=False, snippets=False) for e in (cluster, local))
            assert (a.matched_all, a.total) == (b.matched_all, b.total), query
            assert {h.id for h in a} == {h.id for h in b}, query  # ties are ordered by each backend
        res = cluster.search("фінансова грамотність", limit=100, collapse=False)
        assert res.total == 63 and [h.id for h in res.hits[:3]] == ["both", "literacy", "money"]


def test_near_spellings_follow_a_rare_word_as_on_the_embedded_index(tmp_path: Path, hosts: list[str],
                                                                    alias: str) -> None:
    from .test_near_spellings import ARTICLES as NEAR

    with _both(tmp_path, hosts, alias, NEAR) as (cluster, local):
        a, b = (e.search("крякнув", collapse=False) for e in (cluster, local))
        assert (a.matched_all, a.total, a.near) == (b.matched_all, b.total, b.near)
        assert a.hits[0].id == b.hits[0].id == "duck" and {h.id for h in a} == {h.id for h in b}


def test_a_page_the_all_words_hits_fill_counts_the_partial_matches_as_on_the_embedded_index(
        tmp_path: Path, hosts: list[str], alias: str) -> None:
    rows = [{"id": f"a{i:02d}", "title": f"Новина {i}", "text": f"Мовні табори для дітей відкрили в місті номер {i}."}
            for i in range(25)]
    rows += [{"id": f"b{i:02d}", "title": f"Інше {i}", "text": f"Табори для дорослих працюють влітку, сезон {i}."}
             for i in range(20)]
    with _both(tmp_path, hosts, alias, rows) as (cluster, local):
        for collapse in (True, False):
            for page in (1, 3, 5):
                a, b = (e.search("мовні табори", limit=10, page=page, collapse=collapse, snippets=False)
                        for e in (cluster, local))
                assert (a.total, a.matched_all) == (b.total, b.matched_all) == (45, 25), (collapse, page)
                assert len(a.hits) == len(b.hits)


def test_a_cluster_keeps_the_topic_model_and_ranks_by_topic_as_the_embedded_index(
        tmp_path: Path, hosts: list[str], alias: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from searchkit.text import topics

    from .test_topics import SUBJECTS, archive

    monkeypatch.setattr(topics, "DIMENSIONS", SUBJECTS)
    with _both(tmp_path, hosts, alias, archive()) as (cluster, local):
        assert cluster.stats().topics_learnt_from == local.stats().topics_learnt_from == len(archive())
        x, y = (e.search("салати урожаю", limit=30, collapse=False, snippets=False) for e in (cluster, local))
        assert [h.id for h in x][:2] == [h.id for h in y][:2] == ["garden", "trial"]
        assert {h.id for h in x} == {h.id for h in y}  # (articles of one text tie: each backend's order)
        # explain reads the vector each backend stored: the same model, the same vectors
        # (an article without one would be 0 from every query)
        some = ("garden", "trial", *(h.id for h in cluster.search("суд", limit=5, collapse=False).hits))
        kept = {i: cluster.explain("салати урожаю", i).topic for i in some}
        for article, topic in kept.items():
            assert topic == pytest.approx(local.explain("салати урожаю", article).topic, abs=1e-6)
        assert all((cluster.explain("суд", i).topic or 0.0) > 0.5 for i in some[2:])
        # explain's place is the cluster's search's, moved by the topic (by score, trial is first)
        listed = [h.id for h in cluster.search("салати урожаю", snippets=False).hits]
        trial = cluster.explain("салати урожаю", "trial")
        assert (trial.rank, trial.score_rank) == (listed.index("trial") + 1, 1) and trial.rank > 1
        # a rebuild keeps one model, the new generation's: the old one goes with its index
        cluster.index(rebuild=True)
        assert cluster.stats().topics_learnt_from == len(archive())
        assert {i: cluster.explain("салати урожаю", i).topic for i in some} == kept
        with urllib.request.urlopen(f"{hosts[0]}/_cat/indices/{alias}-t*?h=index", timeout=30) as r:
            assert len(r.read().decode().split()) == 1
