"""The bulk query path gives Whoosh's own matches and scores, and the search falls back to
Whoosh for what it does not evaluate."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import query

from searchkit import Engine
from searchkit.backends.whoosh import SearchIndex, bulkeval
from searchkit.backends.whoosh.bulkeval import BulkEvaluator, Unsupported
from searchkit.backends.whoosh.searching import _matching, _timed_search
from searchkit.query.parse import parse_query

from .conftest import write_jsonl
from .synth import articles

#: Plain-word queries of every shape the bulk path takes: common pairs (many blocks of
#: postings, many side-by-side boosters), a stop word, OR, a field, a Latin word; prefixes
#: and fuzzy words (one term or many), negations (of a word, a group, next to OR).
BULK_QUERIES = ["мовні табори", "новий міст", "ремонт школи у Києві", "Волонтери OR Лікарі", "title:фестиваль",
                "сонячну електростанцію на Буковині", "новина", "Kyiv", "парк реконструкція", "нічого такого",
                "табор*", "фестивль~", "табори -Києві", "ш* OR шк*".split(" OR ")[1], "мовн* табори~2",
                "новина -(мовні OR табори) -міст", "(табори -Києві) OR фестиваль", "title:фестивал*",
                '"мовні табори"', "COVID-19/2020", 'новина -"мовні табори"', '"у Києві відкрили"',
                '"ремонт школи" OR "новий міст"', "title:\"мовні табори\""]
#: Whoosh queries the compiler never makes, which only Whoosh evaluates.
WHOOSH_QUERIES = [query.Phrase("body", ["мовний", "табір"]), query.Wildcard("body", "таб?р"),
                  query.Sequence([query.Term("body", "табір"), query.Prefix("body", "мов")])]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 made-up articles in two segments, with a few deleted (postings still hold them)."""
    root = tmp_path_factory.mktemp("bulk")
    eng = Engine.init(root / "home")
    eng.import_paths([write_jsonl(root / "a.jsonl", list(articles(200, seed=3, paragraphs=2)))])
    eng.import_paths([write_jsonl(root / "b.jsonl", list(articles(100, seed=4, prefix="t", paragraphs=2)))])
    eng.delete(["s000007", "s000150", "t000003"])
    eng.close()
    return root / "home"


@pytest.fixture(scope="module")
def engine(home: Path) -> Engine:
    eng = Engine(home)
    yield eng
    eng.close()


def compiled(engine: Engine, text: str):
    return engine.backend_index.compile(parse_query(text))


def whoosh_scores(engine: Engine, wq) -> dict[int, float]:
    s = engine.backend_index.searcher()
    return {h.docnum: h.score for h in s.search(wq, limit=None)}


def test_the_test_index_has_several_segments_and_deletions(engine: Engine):
    r = engine.backend_index.searcher().reader()
    assert not r.is_atomic() and r.has_deletions()


@pytest.mark.parametrize("text", BULK_QUERIES)
def test_bulk_matches_and_scores_are_whooshs(engine: Engine, text: str):
    wq = compiled(engine, text).query
    ev = BulkEvaluator(engine.backend_index.searcher())
    ev.check(wq)
    docs = ev.docs(_matching(wq))
    scores = ev.scores(wq, docs)
    expected = whoosh_scores(engine, wq)
    assert set(scores) == docs == set(expected)
    for dn, score in expected.items():
        assert scores[dn] == pytest.approx(score, rel=1e-12)
    assert sorted(scores, key=lambda d: (-scores[d], d)) == sorted(expected, key=lambda d: (-expected[d], d))


#: Partial-match queries (some articles hold some of the words): what each word held adds
#: (Whoosh's ConstantScoreQuery), the all-words matches left out (AndNot).
PARTIAL_QUERIES = ["мовні табори Харків", "ремонт школи у Києві", "новий міст фестиваль -Одеса"]


@pytest.mark.parametrize("text", PARTIAL_QUERIES)
def test_bulk_partial_matches_and_scores_are_whooshs(engine: Engine, text: str):
    parsed = parse_query(text)
    wq = engine.backend_index.compile_relaxed(parsed, engine.backend_index.compile(parsed)).query
    ev = BulkEvaluator(engine.backend_index.searcher())
    ev.check(wq)
    docs = ev.docs(wq)
    scores = ev.scores(wq, docs)
    expected = whoosh_scores(engine, wq)
    assert expected and set(scores) == docs == set(expected)
    for dn, score in expected.items():
        assert scores[dn] == pytest.approx(score, rel=1e-12)


def test_the_tests_cover_boosters_and_postings_of_several_blocks(engine: Engine):
    wq = compiled(engine, "мовні табори").query
    boosters = [b for b in wq.b.subqueries if isinstance(b, query.Sequence)]
    assert len(whoosh_scores(engine, query.Or(boosters))) > 50
    ev = BulkEvaluator(engine.backend_index.searcher())
    assert ev.docs(query.Term("body", "новина"))
    assert max(len(seg.maxids) for seg, *_ in ev.term("body", "новина").segments) > 1


@pytest.mark.parametrize("wq", WHOOSH_QUERIES)
def test_what_the_bulk_path_does_not_evaluate_is_refused(engine: Engine, wq):
    with pytest.raises(Unsupported):
        BulkEvaluator(engine.backend_index.searcher()).check(wq)


@pytest.mark.parametrize("text", BULK_QUERIES)
def test_search_gives_the_same_page_by_either_path(engine: Engine, text: str, monkeypatch: pytest.MonkeyPatch):
    fast = engine.search(text, limit=20, snippets=False)
    months = engine.timeline(text)
    monkeypatch.setattr(SearchIndex, "_matches", lambda self, s, wq, flt: None)
    engine.backend_index.forget()
    slow = engine.search(text, limit=20, snippets=False)
    assert (fast.total, fast.matched) == (slow.total, slow.matched)
    assert [(h.id, h.duplicates) for h in fast.hits] == [(h.id, h.duplicates) for h in slow.hits]
    assert [h.score for h in fast.hits] == pytest.approx([h.score for h in slow.hits], rel=1e-12)
    assert engine.timeline(text) == months


def test_filters_facets_and_excluded_ids_apply_on_the_bulk_path(engine: Engine, monkeypatch: pytest.MonkeyPatch):
    kwargs = {"since": "2018-01-01", "until": "2022-12-31", "facets": ["source", "year"], "limit": 50}
    fast = engine.search("мовні табори", **kwargs)
    assert fast.total and all(h.date.year in range(2018, 2023) for h in fast.hits)
    monkeypatch.setattr(SearchIndex, "_matches", lambda self, s, wq, flt: None)
    engine.backend_index.forget()
    slow = engine.search("мовні табори", **kwargs)
    assert fast.facets == slow.facets and fast.total == slow.total
    assert [h.id for h in fast.hits] == [h.id for h in slow.hits]


def test_whooshs_path_counts_every_match(engine: Engine):
    wq = compiled(engine, "табор*").query
    s = engine.backend_index.searcher()
    res, _ = _timed_search(s, wq, limit=5, optimize=False)
    assert len(res) == len(list(s.docs_for_query(_matching(wq)))) > 5


@pytest.mark.parametrize("text", ["ремонт школи у Києві", "сонячну електростанцію на Буковині"])
def test_the_best_scores_stay_exact_when_common_optional_words_are_ranked_by_their_bounds(
        engine: Engine, text: str, monkeypatch: pytest.MonkeyPatch):
    # A big match set's way, forced on a small one: the optional words more common than
    # the query's matches are added best-bound first, three documents at a time.
    monkeypatch.setattr(bulkeval, "_REACH_STEP", 3)
    wq = compiled(engine, text).query
    s = engine.backend_index.searcher()
    docs = BulkEvaluator(s).docs(_matching(wq))
    exact = BulkEvaluator(s).scores(wq, docs)
    ev = BulkEvaluator(s)
    common = [sub for sub in wq.b.subqueries
              if type(sub) is query.Term and ev.term(sub.fieldname, sub.text).df > len(docs)]
    assert common
    top, floor = ev.top_scores(wq, docs, 5)
    assert sorted(top, key=lambda d: (-top[d], d))[:5] == sorted(exact, key=lambda d: (-exact[d], d))[:5]
    assert floor is not None
    assert all(top[d] == pytest.approx(exact[d], rel=1e-12) for d in docs if top[d] >= floor)
    assert any(top[d] < exact[d] - 1e-9 for d in docs)  # not every match was scored in full


def test_a_words_bound_from_its_block_headers_is_never_under_its_score(engine: Engine):
    s = engine.backend_index.searcher()
    ev = BulkEvaluator(s)
    everyone = sorted(ev.all_docs())
    words = [(field, text.decode()) for field in ("body", "forms", "title")
             for _, text in s.reader().most_frequent_terms(field, 3)]
    for field, text in words:
        term = ev.term(field, text)
        held = sorted(term.docs(None, None, ev))
        scores = term.scores(held, set(held))
        bounds = term.bounds(everyone)
        assert held and set(held) <= set(bounds)
        assert all(bounds[d] >= scores[d] for d in held)
        # a block's highest weight, not the term's: some bounds are below the highest score
        assert min(bounds[d] for d in held) < max(scores.values()) or len(set(scores.values())) == 1


def test_a_words_most_is_never_under_any_of_its_scores(engine: Engine):
    s = engine.backend_index.searcher()
    ev = BulkEvaluator(s)
    for field in ("body", "forms", "title"):
        for _, text in s.reader().most_frequent_terms(field, 3):
            term = ev.term(field, text.decode())
            held = sorted(term.docs(None, None, ev))
            assert held and term.most() >= max(term.scores(held, set(held)).values())


@pytest.fixture(scope="module")
def lighthouse(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """60 articles that all say ``новина``, some of them again and again; 6 say ``маяк``."""
    root = tmp_path_factory.mktemp("lighthouse")
    filler = ["Погода була тиха.", "Рибалки повернулися додому.", "Ввечері пройшов дощ.", "Школа працює."]
    feed = [{"id": f"m{i:02d}", "title": f"Випуск {i}",
             "text": " ".join(["Маяк світив над морем." if i % 10 == 0 else "",
                               *["Новина дня."] * (1 + i % 4), *filler[: i % 5], f"Число {i * 7919}."])}
            for i in range(60)]
    eng = Engine.init(root / "home")
    assert eng.import_paths([write_jsonl(root / "feed.jsonl", feed)]).added == 60
    yield eng
    eng.close()


@pytest.mark.parametrize("need", [1, 3])
def test_the_best_scores_stay_exact_when_matches_holding_only_a_common_word_are_left_unscored(
        lighthouse: Engine, need: int, monkeypatch: pytest.MonkeyPatch):
    # A big match set's way, forced on a small one: a rare word OR a common one at a third
    # of its weight, as a partial-match query of a rare word and a common relative is.
    monkeypatch.setattr(bulkeval, "_PRUNED_OVER", 0)
    s = lighthouse.backend_index.searcher()
    wq = query.Or([query.Term("body", "маяк"), query.Term("body", "новина", boost=0.3)])
    docs = BulkEvaluator(s).docs(wq)
    exact = BulkEvaluator(s).scores(wq, docs)
    top, floor = BulkEvaluator(s).top_scores(wq, docs, need)
    assert sorted(top, key=lambda d: (-top[d], d))[:need] == sorted(exact, key=lambda d: (-exact[d], d))[:need]
    assert floor is not None
    assert all(top[d] == pytest.approx(exact[d], rel=1e-12) for d in docs if top[d] >= floor)
    assert sum(top[d] == 0.0 < exact[d] for d in docs) > len(docs) // 2  # those were never scored


def test_matches_holding_only_a_common_word_are_scored_when_they_may_reach_the_top(
        lighthouse: Engine, monkeypatch: pytest.MonkeyPatch):
    # the common word at full weight and the rare one at a tenth: the common word alone
    # can outscore the rare one, so every match is scored
    monkeypatch.setattr(bulkeval, "_PRUNED_OVER", 0)
    s = lighthouse.backend_index.searcher()
    wq = query.Or([query.Term("body", "маяк", boost=0.1), query.Term("body", "новина", boost=3.0)])
    docs = BulkEvaluator(s).docs(wq)
    exact = BulkEvaluator(s).scores(wq, docs)
    top, floor = BulkEvaluator(s).top_scores(wq, docs, 3)
    assert floor is None and top == pytest.approx(exact, rel=1e-12)


@pytest.mark.parametrize("column", ["id", "date"])
def test_a_whole_column_is_whooshs_values_and_the_garbage_collector_stops_visiting_it(engine: Engine, column: str):
    import gc

    from searchkit.backends.whoosh.columns import read_column

    s = engine.backend_index.searcher()
    table = read_column(s, column)
    assert list(table) == list(s.reader().column_reader(column))
    gc.collect()
    assert not gc.is_tracked(table)  # a full collection would otherwise walk every value


@pytest.mark.parametrize("text", ["мовні табори", "табор*", "title:фестиваль", "табори -Києві"])
def test_a_search_of_no_hits_is_the_count_alone_by_either_path(engine: Engine, text: str,
                                                               monkeypatch: pytest.MonkeyPatch):
    # the index protocol: ``limit`` 0 is the count alone (total and matched, no hits)
    ix = engine.backend_index
    wq = compiled(engine, text)

    def counts() -> list[tuple[int, int, list, dict]]:
        out = []
        for kwargs in ({}, {"collapse": False}, {"sort": "date"}, {"offset": 20}, {"facets": ["year"]}):
            page = ix.search(wq, limit=10, **{**kwargs, "offset": 0})
            alone = ix.search(wq, limit=0, **kwargs)
            assert (alone.total, alone.matched, alone.facets) == (page.total, page.matched, page.facets)
            out.append((alone.total, alone.matched, alone.hits, alone.facets))
        return out

    fast = counts()
    assert fast[0][0] > 0 and all(hits == [] for _, _, hits, _ in fast)
    monkeypatch.setattr(SearchIndex, "_matches", lambda self, s, wq, flt: None)
    ix.forget()
    assert counts() == fast
