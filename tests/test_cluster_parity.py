"""The news-archive features on a cluster answer as on the embedded index: near-duplicate
folding, groups kept in step with imports, deletes, updates and rebuilds, facets, similar
articles and saved searches with --new. Each scenario runs on both backends and the
answers are compared; the embedded index is the specification."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from searchkit import Engine, Results

from . import test_duplicates as dups
from . import test_facets as facets
from . import test_saved as saved
from . import test_similar as similar
from .conftest import write_jsonl
from .test_opensearch import alias, hosts, make_engine  # noqa: F401 - fixtures

pytestmark = pytest.mark.opensearch
pytest.importorskip("opensearchpy")

Both = tuple[Engine, Engine]


@pytest.fixture
def homes(tmp_path: Path, hosts: list[str], alias: str) -> Iterator[Both]:  # noqa: F811 - fixtures
    """An empty home on the cluster and one on the embedded index."""
    cluster, local = make_engine(tmp_path, hosts, alias), Engine.init(tmp_path / "local")
    yield cluster, local
    cluster.close()
    local.close()


def feed(engines: Both, tmp_path: Path, records: list[dict[str, Any]], name: str = "feed") -> None:
    path = write_jsonl(tmp_path / f"{name}.jsonl", records)
    for eng in engines:
        report = eng.import_paths([path])
        assert report.failed == 0, report.errors


def page(res: Results) -> tuple[Any, ...]:
    """What a person sees of a page: counts, hits, their folded copies and first dates, facets."""
    return (res.total, res.matched, tuple((h.id, h.duplicates, h.first_published) for h in res),
            res.facets, res.warnings)


def folded(res: Results) -> set[tuple[frozenset[str], Any]]:
    """The hits as groups, whichever member heads each (the best-ranked may differ where the
    two backends' scores differ in the last digits)."""
    return {(frozenset((h.id, *h.duplicates)), h.first_published) for h in res}


def same(engines: Both, fn: Any) -> Any:
    cluster, local = (fn(e) for e in engines)
    assert cluster == local
    return local


# -- near-duplicates --------------------------------------------------------------------------


def test_a_days_articles_sorted_by_date_come_in_the_same_order_on_both(homes: Both, tmp_path: Path) -> None:
    # imported out of id order, three on one day (each scoring differently), one undated
    words = ["Пором", "Пором ходить щодня", "Пором і пором знову", "Новий пором"]
    records = [{"id": i, "title": t, "text": f"{t}. Переправа через річку.", "date": d}
               for i, t, d in [("d3", words[0], "2022-05-01"), ("d1", words[1], "2022-05-01"),
                               ("d2", words[2], "2022-05-01"), ("d0", words[3], "2022-06-01")]]
    records.append({"id": "u1", "title": "Без дати", "text": "Пором без дати."})
    feed(homes, tmp_path, records)
    order = same(homes, lambda e: [h.id for h in e.search("пором", sort="date")])
    assert order == ["d0", "d1", "d2", "d3", "u1"]  # newest first, a day's by id, undated last


def test_copies_fold_into_one_hit_as_on_the_embedded_index(homes: Both, tmp_path: Path) -> None:
    feed(homes, tmp_path, dups.ARTICLES)
    assert same(homes, lambda e: e.duplicate_groups()) == [("copy", "orig")]
    assert same(homes, lambda e: e.duplicates("orig")) == ("copy",)
    for query in ["мости", "закупівля", "Харківщина", "область"]:
        same(homes, lambda e, q=query: folded(e.search(q, limit=50)))
        same(homes, lambda e, q=query: page(e.search(q, sort="date")))
        same(homes, lambda e, q=query: page(e.search(q, sort="date", collapse=False)))
    # a copy lacking one of the words is no partial match below its original
    assert same(homes, lambda e: [(h.id, h.duplicates) for h in e.search("мости закупівля")]) == [
        ("orig", ("copy",)), ("topic", ())]
    same(homes, lambda e: page(e.search("мости закупівля", until="2023-05-09")))
    first = same(homes, lambda e: page(e.search("мости", limit=1, sort="date")))
    second = same(homes, lambda e: page(e.search("мости", limit=1, page=2, sort="date")))
    assert first[0] == second[0] == 2 and first[1] == 3


def test_articles_chained_by_shared_paragraphs_fold_as_on_the_embedded_index(homes: Both, tmp_path: Path) -> None:
    # a copies part of b, b part of c, a nothing of c: no group holds all three
    chain = [{"id": "a", "title": "Перше", "text": "Вранці зібралася сесія міської ради. " + dups.STORY},
             {"id": "b", "title": "Друге", "text": dups.STORY + " " + dups.TOPIC},
             {"id": "c", "title": "Третє", "text": dups.TOPIC + " Увечері в місті пройшов концерт."}]
    feed(homes, tmp_path, chain)
    assert same(homes, lambda e: e.duplicate_groups()) in ([("a", "b")], [("b", "c")])
    assert len(same(homes, lambda e: folded(e.search("міст")))) == 2


def test_groups_follow_imports_updates_deletes_and_rebuilds(homes: Both, tmp_path: Path) -> None:
    feed(homes, tmp_path, dups.ARTICLES)
    later = {"id": "late", "title": "Передрук", "text": dups.COPY.replace("Мешканці прифронтових сіл", "Люди"),
             "date": "2023-05-20"}
    feed(homes, tmp_path, [later], "late")
    assert same(homes, lambda e: e.duplicate_groups()) == [("copy", "late", "orig")]
    same(homes, lambda e: page(e.search("мости", sort="date")))
    # the copy rewritten as the other story with a paragraph added: it leaves one group for another
    feed(homes, tmp_path, [{**dups.ARTICLES[1], "text": dups.OTHER + " " + dups.TOPIC}], "changed")
    assert same(homes, lambda e: e.duplicate_groups()) == [("copy", "topic"), ("late", "orig")]
    for eng in homes:
        eng.delete(["orig", "topic"])
    assert same(homes, lambda e: e.duplicate_groups()) == []
    same(homes, lambda e: page(e.search("мости", sort="date")))
    feed(homes, tmp_path, [dups.ARTICLES[0], dups.ARTICLES[1] | {"id": "copy2"}], "back")
    for eng in homes:
        eng.index(rebuild=True)
    assert same(homes, lambda e: e.duplicate_groups()) == [("copy2", "late", "orig")]
    same(homes, lambda e: page(e.search("уряд мости", sort="date")))


def family(rnd: random.Random, n: int, base: str) -> list[dict[str, Any]]:
    """A story and ``n - 1`` republications of it, each with a sentence of its own."""
    story = [f"{base} {rnd.choice(['відкрили', 'закрили', 'збудували'])} {rnd.choice(['міст', 'школу', 'парк'])} "
             f"номер {rnd.randint(1, 999)} у місті {rnd.choice(['Ромни', 'Ніжин', 'Умань', 'Бахмач'])}."
             for _ in range(8)]
    out = []
    for i in range(n):
        text = list(story)
        text[rnd.randrange(len(text))] = f"Редакція {i} додала власний коментар про подію."
        out.append({"title": f"{base} ({i})", "text": " ".join(text)})
    return out


def test_many_groups_across_import_batches_fold_and_page_alike(homes: Both, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("searchkit.library.IMPORT_BATCH", 7)  # several batches, regrouped now and then
    monkeypatch.setattr("searchkit.library.IMPORT_GROWTH", 0)
    rnd = random.Random(5)
    records = []
    for k, base in enumerate(["Громада", "Міська рада", "Волонтери", "Підприємці", "Рятувальники", "Лікарі"]):
        records += family(rnd, 1 + k % 4, base)
    rnd.shuffle(records)
    for i, r in enumerate(records):  # distinct dates: a date-sorted page has one order
        r.update(id=f"n{i:02d}", date=f"2022-{1 + i // 28:02d}-{1 + i % 28:02d}", source=f"Видання {i % 3}")
    feed(homes, tmp_path, records)
    groups = same(homes, lambda e: e.duplicate_groups())
    assert len(groups) == 4 and sum(map(len, groups)) == 2 + 3 + 4 + 2
    for query in ["міст OR школу OR парк", "відкрили", "номер"]:
        res = same(homes, lambda e, q=query: page(e.search(q, limit=3, sort="date", facets=["source", "month"])))
        for n in (2, 3):
            same(homes, lambda e, q=query, p=n: page(e.search(q, limit=3, page=p, sort="date")))
        same(homes, lambda e, q=query, t=res[0]: folded(e.search(q, limit=max(t, 1))))


# -- facets ------------------------------------------------------------------------------------


def test_facets_count_as_on_the_embedded_index(homes: Both, tmp_path: Path) -> None:
    feed(homes, tmp_path, facets.ARTICLES)
    every = ["source", "year", "month"]
    for query, kw in [("вибори", {}), ("вибори", {"since": "2021-01-01"}), ("вибори", {"source": "голос громади"}),
                      ("погода", {}), ("вибори", {"limit": 1, "page": 2})]:
        res = same(homes, lambda e, q=query, k=kw: page(e.search(q, facets=every, sort="date", **k)))
        assert res[3], query
    counts = same(homes, lambda e: e.search("вибори", facets="source").facets["source"])
    assert [(c.value, c.count) for c in counts] == [("Вечірній Київ", 2), ("Голос громади", 2), (None, 1)]


def test_stats_spells_each_source_as_the_facet_does_on_both(homes: Both, tmp_path: Path) -> None:
    # the first spelling arrives first; the other, with the id first in order, in a later import
    feed(homes, tmp_path, [{"id": "z9", "title": "Вибори", "source": "ВЕЧІРНІЙ КИЇВ", "text": "Вибори мера."}])
    feed(homes, tmp_path, [{"id": "a1", "title": "Знову вибори", "source": "Вечірній Київ",
                            "text": "Вибори до ради."}], name="later")
    assert same(homes, lambda e: (e.sources(), e.stats().sources)) == ({"ВЕЧІРНІЙ КИЇВ": 2},) * 2
    counts = same(homes, lambda e: e.search("вибори", facets="source").facets["source"])
    assert [(c.value, c.count) for c in counts] == [("ВЕЧІРНІЙ КИЇВ", 2)]


# -- counts ------------------------------------------------------------------------------------


def test_a_search_of_no_hits_is_the_count_alone_as_on_the_embedded_index(homes: Both, tmp_path: Path) -> None:
    from searchkit.query.parse import parse_query

    feed(homes, tmp_path, dups.ARTICLES)

    def alone(e: Engine) -> list[tuple[int, int, int]]:
        compiled = e.backend_index.compile(parse_query("мости"))
        return [(r.total, r.matched, len(r.hits)) for kwargs in ({}, {"collapse": False}, {"sort": "date"})
                for r in [e.backend_index.search(compiled, limit=0, **kwargs)]]

    counts = same(homes, alone)
    assert counts[0][0] > 0 and all(hits == 0 for _, _, hits in counts)


# -- similar articles ------------------------------------------------------------------------


def test_similar_articles_as_on_the_embedded_index(homes: Both, tmp_path: Path) -> None:
    feed(homes, tmp_path, similar.ARTICLES)
    for art in similar.ARTICLES:
        same(homes, lambda e, a=art["id"]: [(h.id, h.shared) for h in e.similar(a)])
    assert same(homes, lambda e: [h.id for h in e.similar("bees")])[0] == "bees-too"


def test_two_spellings_of_a_word_are_one_key_word_on_the_cluster_too(homes: Both, tmp_path: Path) -> None:
    feed(homes, tmp_path, similar.BRIDGES)
    for art in ("both", "old"):
        same(homes, lambda e, a=art: (e.similar(a).searched_as, [(h.id, h.shared) for h in e.similar(a)]))


def test_an_article_whose_only_close_article_is_its_copy_says_so_on_the_cluster(homes: Both, tmp_path: Path) -> None:
    trains = similar.ARTICLES[4]
    feed(homes, tmp_path, [trains, dict(trains, id="trains-copy", date="2021-06-02"), similar.ARTICLES[3]])
    res = same(homes, lambda e: page(e.similar("trains")))
    assert res[0] == 0 and "near-duplicate" in res[4][0]


# -- fuzzy words ----------------------------------------------------------------------------------

REPAIRS = [
    {"id": "bridge", "title": "Ремонт мосту", "text": "Почали ремонт мосту через річку."},
    {"id": "roads", "title": "Дороги", "text": "Ремонтують дороги у місті, ремонт триватиме до осені."},
    {"id": "cat", "title": "Кіт", "text": "Кіт спить на дивані, а кит пливе в океані."},
    {"id": "weather", "title": "Погода", "text": "Сонячно, вітер слабкий."},
]


def test_a_fuzzy_word_counts_a_swap_of_neighbouring_letters_as_one_edit_on_both(homes: Both, tmp_path: Path) -> None:
    feed(homes, tmp_path, REPAIRS)
    marked = lambda e, query: [(h.id, h.snippet.marked()) for h in e.search(query)]  # noqa: E731
    assert {h for h, _ in same(homes, lambda e: marked(e, "рмеонт~"))} == {"bridge", "roads"}  # one swap
    assert {h for h, _ in same(homes, lambda e: marked(e, "рмеотн~2"))} == {"bridge", "roads"}  # two swaps
    # a swap with a letter added between the swapped ones is three edits (the optimal
    # string alignment distance Lucene counts), not a swap and an insertion
    assert same(homes, lambda e: marked(e, "ренмт~2")) == []
    # the words a short word reaches two edits away are highlighted too
    assert "[кит]" in same(homes, lambda e: marked(e, "кша~2"))[0][1]


# -- saved searches -----------------------------------------------------------------------------


def test_saved_searches_count_and_show_new_arrivals_as_on_the_embedded_index(homes: Both, tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    cluster, local = homes
    feed(homes, tmp_path, saved.FIRST, "first")
    for eng in homes:
        # each home its own saved-searches file, as two machines would have
        monkeypatch.setenv("SEARCHKIT_CONFIG_DIR", str(tmp_path / f"config-{eng is cluster}"))
        eng.save_search("пороми", "пором")
        eng.save_search("пороми-2022", "пором", since="2022-01-01")
        eng.save_search("хліб", "хліб")
    answers: dict[bool, list[Any]] = {True: [], False: []}
    path = write_jsonl(tmp_path / "second.jsonl", saved.SECOND)
    for eng in homes:
        monkeypatch.setenv("SEARCHKIT_CONFIG_DIR", str(tmp_path / f"config-{eng is cluster}"))
        seen = answers[eng is cluster]
        seen.append(sorted(h.id for h in eng.run_saved_search("пороми", new=True)))
        seen.append(eng.import_paths([path]).watched)
        seen.append(sorted(h.id for h in eng.run_saved_search("пороми", new=True)))
        seen.append(eng.run_saved_search("пороми", new=True).total)
        seen.append(sorted(h.id for h in eng.run_saved_search("пороми-2022", new=True, facets=["year"])))
        seen.append(sorted(h.id for h in eng.run_saved_search("пороми")))
    assert answers[True] == answers[False]
    assert answers[False] == [[], {"пороми": 2, "пороми-2022": 1, "хліб": 0}, ["s3", "s4"], 0, ["s3"],
                              ["s1", "s3", "s4"]]


def test_groups_a_killed_writer_left_behind_are_caught_up_by_the_next_writer(homes: Both, tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from searchkit.backends.opensearch import groups as osgroups

    cluster, local = homes
    feed(homes, tmp_path, [a for a in dups.ARTICLES if a["id"] != "copy"])
    path = write_jsonl(tmp_path / "copy.jsonl", [a for a in dups.ARTICLES if a["id"] == "copy"])
    local.import_paths([path])

    def killed(*args: object) -> None:
        raise KeyboardInterrupt  # the writer dies after its documents went in, before regrouping

    with monkeypatch.context() as m:
        m.setattr(osgroups, "regroup", killed)
        with pytest.raises(KeyboardInterrupt):
            cluster.import_paths([path])
    again = Engine(cluster.home)
    try:
        assert again.duplicate_groups() == []  # the documents are in, their group is not yet
        # a reader is told: stats is not up to date, a search says copies may stand apart
        st = again.stats()
        assert not st.index_up_to_date and "near-duplicate groups" in (st.index_outdated_reason or "")
        assert any("near-duplicate groups" in w for w in again.search("мости").warnings)
        again.index()  # the next writer
        assert again.duplicate_groups() == local.duplicate_groups() == [("copy", "orig")]
        assert page(again.search("мости", sort="date")) == page(local.search("мости", sort="date"))
        assert again.stats().index_up_to_date and not again.search("мости").warnings
    finally:
        again.close()


def test_a_prefix_of_over_a_thousand_words_is_refused_on_both(homes: Both, tmp_path: Path) -> None:
    from searchkit.errors import QueryError

    from .test_shared_limits import WIDE

    feed(homes, tmp_path, [{"id": f"w{i}", "text": "Мова. " + " ".join(WIDE[i:i + 100])}
                           for i in range(0, len(WIDE), 100)])
    for text in ("по*", "мова -по*", "мова OR по*"):
        errors = []
        for eng in homes:
            with pytest.raises(QueryError) as e:
                eng.search(text)
            errors.append(str(e.value))
        assert errors == ["по* matches too many words (over 1000); make it more specific"] * 2, text
    assert same(homes, lambda e: e.search("поа*").total)
