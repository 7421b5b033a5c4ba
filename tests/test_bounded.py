"""Every query is bounded: a prefix that stands for too many postings searches its first
words, a walk of Whoosh's matchers stops at the search's deadline, and the results say so
(the CLI header, JSON and the TUI status), instead of taking as long as they take."""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from searchkit import Engine
from searchkit.backends.whoosh.store import IndexStore
from searchkit.cli import main
from searchkit.errors import IndexBusy
from searchkit.query import budget, limits
from searchkit.store.locking import HomeLock

from .conftest import imported, write_jsonl

SENTENCES = [
    "Табір для дітей відкрили біля лісу.",
    "Таблиця результатів висить у школі.",
    "Таксі чекало біля вокзалу до ранку.",
    "Тато купив нову таблицю множення.",
    "Старий міст через річку відремонтували.",
    "Новий міст через річку збудували навесні.",
]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bounded")
    rows = [{"id": f"b{i:03d}", "title": f"Новина {i}", "date": f"2020-01-{i % 28 + 1:02d}",
             "text": f"{SENTENCES[i % len(SENTENCES)]} Випуск {i}."} for i in range(120)]
    eng = Engine.init(root / "home")
    eng.import_paths([write_jsonl(root / "feed.jsonl", rows)])
    eng.close()
    return root / "home"


@pytest.fixture
def eng(home: Path) -> Engine:
    e = Engine(home)
    yield e
    e.close()


def test_a_prefix_over_the_postings_budget_searches_its_most_common_words_and_says_so(eng: Engine, monkeypatch):
    whole = eng.search("та*", limit=50)
    assert not whole.cut
    # the words, most postings first: таблиця (the lemma of 40 articles, a form in 20 of them),
    # табір, таксі, тато (40 each), таблицю, такса (20): the first is searched, however many
    monkeypatch.setattr(limits, "MAX_QUERY_POSTINGS", 45)
    monkeypatch.setattr(limits, "TERM_POSTINGS", 0)  # the postings alone (a term's look-ups: below)
    cut = eng.search("та*", limit=50)
    assert cut.cut == ("та* stands for 6 words, too many to search at once: searched its most common one "
                       "(таблиця); narrow the query",)
    assert cut.total == 40 < whole.total == 80
    assert all("таблиц" in h.snippet.text.lower() for h in cut.hits)


def test_a_prefix_left_out_over_the_postings_budget_is_refused_not_left_out_in_part(eng: Engine, monkeypatch):
    from searchkit.errors import QueryError

    monkeypatch.setattr(limits, "MAX_QUERY_POSTINGS", 45)
    monkeypatch.setattr(limits, "TERM_POSTINGS", 0)
    # leaving out таблиця alone would list the articles on табір, таксі and тато
    with pytest.raises(QueryError, match=r"-та\* stands for 6 words, too many to leave out at once"):
        eng.search("випуск -та*")
    monkeypatch.setattr(limits, "MAX_QUERY_POSTINGS", 10_000)
    whole = eng.search("випуск -та*", limit=50)
    assert whole.total == 40 and all("міст" in h.snippet.text for h in whole.hits)  # the two sentences on bridges


def test_the_postings_budget_is_shared_fairly_by_the_words_of_a_query(eng: Engine, monkeypatch):
    # та*: 6 words, 220 postings; ві*: 4 words, 80. In query order та* took all 220 and
    # left ві* its first word; shared, the cheaper ві* is searched in full first
    monkeypatch.setattr(limits, "MAX_QUERY_POSTINGS", 220)
    monkeypatch.setattr(limits, "TERM_POSTINGS", 0)
    r = eng.search("та* OR ві*", limit=5)
    assert r.cut == ("та* stands for 6 words: searched the 3 most common (таблиця, табір, таксі), as the query's "
                     "other prefix and fuzzy words share the time; narrow the query",)
    assert r.total == 40 + 20 + 20 + 20  # таблиця, табір, таксі and the sentence on відкрили
    monkeypatch.setattr(limits, "MAX_QUERY_POSTINGS", 10_000)
    assert not eng.search("та* OR ві*").cut


def test_a_word_of_two_terms_cut_by_the_others_is_not_called_too_many(eng: Engine, monkeypatch):
    monkeypatch.setattr(limits, "MAX_QUERY_POSTINGS", 150)  # мі*: міст 80, місто 40; та*: 220
    monkeypatch.setattr(limits, "TERM_POSTINGS", 0)
    r = eng.search("та* OR мі*", limit=5)
    assert "мі* stands for 2 words: searched its most common one (міст), as the query's other prefix and fuzzy " \
           "words share the time; narrow the query" in r.cut
    assert not any("too many" in note and note.startswith("мі*") for note in r.cut)


def test_each_term_of_a_prefix_counts_its_look_ups_against_the_budget(eng: Engine, monkeypatch):
    # таблиця and табір hold 100 postings: within 125 when a term costs its postings alone;
    # with 20 more for each field's term (their look-ups) the first word alone fits
    monkeypatch.setattr(limits, "MAX_QUERY_POSTINGS", 125)
    monkeypatch.setattr(limits, "TERM_POSTINGS", 0)
    assert "searched the 2 most common (таблиця, табір)" in eng.search("та*").cut[0]
    monkeypatch.setattr(limits, "TERM_POSTINGS", 20)
    assert "searched its most common one (таблиця)" in eng.search("та*").cut[0]


def test_a_whoosh_walk_stops_at_the_deadline_with_the_matches_found(eng: Engine, monkeypatch):
    whole = eng.search("річку", limit=5, sort="date")  # sorted by date: Whoosh's collector walks it
    assert whole.total == 40 and not whole.cut
    monkeypatch.setattr(budget, "QUERY_SECONDS", 0.0)  # the walk stops after its first match
    r = eng.search("річку", limit=5, sort="date")
    assert r.cut == ("stopped after 0 s: showing the first 1 match found; narrow the query",)
    assert r.total == 1 and len(r.hits) == 1
    assert r.hits[0].id in {h.id for h in eng.search("річку", limit=50).hits}


def test_a_saved_search_is_cut_at_the_deadline(eng: Engine, monkeypatch):
    eng.save_search("bridges", "річку")
    assert not eng.run_saved_search("bridges", sort="date").cut
    monkeypatch.setattr(budget, "QUERY_SECONDS", 0.0)
    eng.backend_index.forget()
    r = eng.run_saved_search("bridges", sort="date", new=False)
    assert r.cut == ("stopped after 0 s: showing the first 1 match found; narrow the query",)
    assert r.total == 1


def test_past_the_deadline_explain_reads_the_date_words_as_the_search_does(eng: Engine, monkeypatch):
    import datetime as dt

    today = dt.date(2024, 5, 1)  # nothing is dated "вчора": in time, the words are searched as words
    assert eng.explain("вчора табір", "b000", today=today).date_range is None
    monkeypatch.setattr(budget, "QUERY_SECONDS", 0.0)
    r = eng.search("вчора табір", today=today)
    assert r.date_range is not None and r.date_range.phrase == "вчора"
    assert eng.explain("вчора табір", "b000", today=today).date_range == r.date_range
    assert eng.timeline("вчора табір", today=today) == []


def test_every_entry_point_runs_in_one_searchs_time(eng: Engine, monkeypatch):
    # (search, saved searches, explain, the timeline and similar articles alike ask the
    # index within a deadline)
    from searchkit.backends.whoosh import SearchIndex

    seen: list[bool] = []

    def timed(name: str) -> None:
        real = getattr(SearchIndex, name)

        def spy(self, *args, **kwargs):
            seen.append(budget.left() is not None)
            return real(self, *args, **kwargs)

        monkeypatch.setattr(SearchIndex, name, spy)

    for name in ("count", "search", "months", "explain"):
        timed(name)
    eng.save_search("camp", "табір")
    calls = {"search": lambda: eng.search("табір вокзалу"), "saved": lambda: eng.run_saved_search("camp"),
             "explain": lambda: eng.explain("табір вокзалу", "b000"), "timeline": lambda: eng.timeline("табір"),
             "similar": lambda: eng.similar("b000")}
    for name, call in calls.items():
        seen.clear()
        call()
        assert seen and all(seen), name


def test_a_fuzzy_word_cut_to_its_budget_searches_itself_first(tmp_path: Path, monkeypatch):
    # війна~2 reaches вона (two edits), in many more articles: cut to one word, it
    # searched вона and found nothing of the war
    rows = [{"id": f"v{i:02d}", "title": f"Новина {i}", "text": f"Вона прийшла додому о {i} годині."}
            for i in range(40)]
    rows += [{"id": "war", "title": "Фронт", "text": "Війна триває третій рік."}]
    eng = imported(tmp_path, rows)
    monkeypatch.setattr(limits, "MAX_QUERY_POSTINGS", 30)
    monkeypatch.setattr(limits, "TERM_POSTINGS", 0)
    r = eng.search("війна~2", limit=5)
    assert r.cut and "(війна)" in r.cut[0] and [h.id for h in r.hits] == ["war"]
    eng.close()


def test_past_the_deadline_partial_matches_and_corrections_are_skipped_and_said(eng: Engine, monkeypatch):
    monkeypatch.setattr(budget, "QUERY_SECONDS", 0.0)
    r = eng.search("табір вокзалу")  # no article has both: partial matches would follow
    assert r.total == 0
    assert any("only some of the words are not listed" in note for note in r.cut)


def test_the_cli_and_json_say_the_results_were_cut(home: Path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_QUERY_POSTINGS", 45)
    runner = CliRunner()
    text = runner.invoke(main, ["--home", str(home), "search", "та*"], catch_exceptions=False).output
    assert "cut short to answer in time (see above); narrow the query" in text.splitlines()[1]
    assert "Cut short: та* stands for" in text.splitlines()[0]
    out = json.loads(runner.invoke(main, ["--home", str(home), "search", "та*", "--json"]).output)
    assert out["cut"] and "searched its most common one (таблиця)" in out["cut"][0]
    whole = json.loads(runner.invoke(main, ["--home", str(home), "search", "міст", "--json"]).output)
    assert "cut" not in whole


def test_a_long_page_makes_snippets_while_their_time_lasts_and_lists_the_rest_without(eng: Engine, monkeypatch):
    monkeypatch.setattr(budget, "SNIPPETS_ALWAYS", 3)
    monkeypatch.setattr(budget, "SNIPPET_SECONDS", 0.0)
    r = eng.search("випуск", limit=12)
    assert [bool(h.snippet.text) for h in r.hits] == [True] * 3 + [False] * 9
    assert [h.rank for h in r.hits] == list(range(1, 13))
    assert r.cut == ("snippets for the first 3 hits only (made in 0 s); the others are listed without; "
                     "ask for fewer hits for all of them",)
    assert not eng.search("випуск", limit=3).cut


def test_a_page_whose_snippets_were_cut_short_is_advised_fewer_hits_not_a_narrower_query(home: Path, monkeypatch):
    # the header said "narrow the query" under a note that rightly said "ask for fewer hits"
    monkeypatch.setattr(budget, "SNIPPETS_ALWAYS", 3)
    monkeypatch.setattr(budget, "SNIPPET_SECONDS", 0.0)
    runner = CliRunner()
    lines = runner.invoke(main, ["--home", str(home), "search", "випуск", "-n", "12"]).output.splitlines()
    assert lines[0].startswith("Cut short: snippets for the first 3 hits only") and "ask for fewer hits" in lines[0]
    assert lines[1].endswith(" — snippets cut short to answer in time (see above); ask for fewer hits for every "
                             "snippet")
    # both causes: each its own advice
    monkeypatch.setattr(limits, "MAX_QUERY_POSTINGS", 45)
    lines = runner.invoke(main, ["--home", str(home), "search", "та*", "-n", "12"]).output.splitlines()
    assert lines[2].endswith(" — cut short to answer in time (see above); narrow the query; ask for fewer hits "
                             "for every snippet")


def test_an_export_carries_every_snippet_and_says_on_stderr_what_was_cut(home: Path, monkeypatch):
    # an export silently had empty snippet cells past its first 20 hits, a different
    # number from run to run, and said nothing of what else was cut short
    monkeypatch.setattr(budget, "SNIPPETS_ALWAYS", 3)
    monkeypatch.setattr(budget, "SNIPPET_SECONDS", 0.0)
    monkeypatch.setattr(limits, "MAX_QUERY_POSTINGS", 45)
    runner = CliRunner()
    r = runner.invoke(main, ["--home", str(home), "search", "випуск", "-n", "12", "--format", "jsonl"])
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(rows) == 12 and all(row["snippet"] for row in rows) and r.stderr == ""
    eng = Engine(home)
    assert [bool(h.snippet.text) for h in eng.search("випуск", limit=12, snippets="all").hits] == [True] * 12
    eng.close()
    r = runner.invoke(main, ["--home", str(home), "search", "та*", "--format", "csv"])
    assert r.exit_code == 0 and r.stderr.startswith("Cut short: та* stands for") and "Cut short" not in r.stdout


def test_past_the_deadline_every_match_is_listed_without_the_optional_ranking(eng: Engine, monkeypatch):
    whole = eng.search("новий міст", limit=50, partial=False)
    monkeypatch.setattr(budget, "QUERY_SECONDS", 0.0)
    r = eng.search("новий міст", limit=50, partial=False)
    assert r.cut == (budget.RANKING_NOTE.format(seconds=0.0),)
    assert r.total == whole.total == 20  # the matches are all there; only the side-by-side boost is left out
    assert {h.id for h in r.hits} == {h.id for h in whole.hits}


def test_the_optional_ranking_stops_where_it_is_when_the_deadline_passes(eng: Engine, monkeypatch):
    from searchkit.backends.whoosh.bulkeval import BulkEvaluator

    late = [False]
    read = BulkEvaluator._positions

    def positions(self, *args, **kwargs):  # the deadline passes while the boosters read positions
        late[0] = True
        return read(self, *args, **kwargs)

    whole = eng.search("новий міст", limit=50, partial=False)
    monkeypatch.setattr(budget, "passed", lambda: late[0])
    monkeypatch.setattr(BulkEvaluator, "_positions", positions)
    eng.backend_index.forget()
    r = eng.search("новий міст", limit=50, partial=False)
    assert late[0] and r.cut == (budget.RANKING_NOTE.format(seconds=budget.QUERY_SECONDS),)
    assert r.total == whole.total and {h.id for h in r.hits} == {h.id for h in whole.hits}


def test_past_the_deadline_date_words_are_not_searched_again_as_words(eng: Engine, monkeypatch):
    import datetime as dt

    today = dt.date(2024, 5, 1)  # nothing is dated "вчора": the words would be searched as words
    assert eng.search("вчора табір", today=today).warnings  # (said: searched as words)
    monkeypatch.setattr(budget, "QUERY_SECONDS", 0.0)
    r = eng.search("вчора табір", today=today)
    assert r.total == 0
    assert "stopped after 0 s: the date words were not searched as words; narrow the query" in r.cut


def test_a_big_match_set_is_scored_until_the_deadline_and_the_matches_scored_are_shown(eng: Engine, monkeypatch):
    from searchkit.backends.whoosh import bulkeval

    whole = eng.search("випуск", limit=120, collapse=False, partial=False, snippets=False)
    assert whole.total == 120 and not whole.cut
    monkeypatch.setattr(bulkeval, "SCORE_CHUNK", 16)
    late = [False]
    score = bulkeval.BulkEvaluator._scores

    def scores(self, *args, **kwargs):  # the deadline passes while the first chunk is scored
        try:
            return score(self, *args, **kwargs)
        finally:
            late[0] = True

    monkeypatch.setattr(bulkeval.BulkEvaluator, "_scores", scores)
    monkeypatch.setattr(budget, "passed", lambda: late[0])
    eng.backend_index.forget()
    r = eng.search("випуск", limit=120, collapse=False, partial=False, snippets=False)
    assert r.cut == ("stopped after 1 s: showing the first 16 matches found; narrow the query",)
    assert r.total == len(r.hits) == 16
    assert {h.id for h in r.hits} < {h.id for h in whole.hits}


def test_without_a_cut_chunked_scoring_gives_the_whole_ranking(eng: Engine, monkeypatch):
    from searchkit.backends.whoosh import bulkeval

    whole = eng.search("новий міст OR табір", limit=100, collapse=False, partial=False, snippets=False)
    monkeypatch.setattr(bulkeval, "SCORE_CHUNK", 7)
    eng.backend_index.forget()
    chunked = eng.search("новий міст OR табір", limit=100, collapse=False, partial=False, snippets=False)
    assert not chunked.cut and chunked.total == whole.total == 40
    assert [h.id for h in chunked.hits] == [h.id for h in whole.hits]
    assert [h.score for h in chunked.hits] == pytest.approx([h.score for h in whole.hits], rel=1e-12)


def test_past_the_deadline_a_disjunction_lists_the_matches_found_by_then_and_says_so(eng: Engine, monkeypatch):
    text = "табір OR таксі OR тато OR річку -новий"
    whole = eng.search(text, limit=120, collapse=False, partial=False, snippets=False)
    assert whole.total == 80 and not whole.cut
    monkeypatch.setattr(budget, "QUERY_SECONDS", 0.0)
    eng.backend_index.forget()
    r = eng.search(text, limit=120, collapse=False, partial=False, snippets=False)
    assert r.cut == (f"stopped after 0 s: showing the first {r.total} matches found; narrow the query",)
    assert 0 < r.total < whole.total
    assert {h.id for h in r.hits} <= {h.id for h in whole.hits}  # matches only: the negation in full


def test_a_negation_is_read_in_full_past_the_deadline(eng: Engine, monkeypatch):
    from whoosh import query

    from searchkit.backends.whoosh.bulkeval import BulkEvaluator

    ev = BulkEvaluator(eng.backend_index.searcher())
    bridges = query.Or([query.Term("body", "міст"), query.Term("body", "табір")])
    everything = ev.all_docs()
    exact = everything - ev.docs(bridges)
    monkeypatch.setattr(budget, "passed", lambda: True)
    assert ev.docs(query.Not(bridges), may_stop=True) == exact and not ev.found_short
    assert ev.docs(bridges, may_stop=True) < everything - exact and ev.found_short


def test_matches_cut_at_one_searchs_deadline_are_not_reused_by_the_next_search(eng: Engine, monkeypatch):
    text = "табір OR таксі OR тато"
    whole = eng.search(text, limit=120, collapse=False, partial=False, snippets=False)
    with monkeypatch.context() as m:
        m.setattr(budget, "QUERY_SECONDS", 0.0)
        eng.backend_index.forget()
        assert eng.search(text, limit=120, collapse=False, partial=False, snippets=False).cut
    again = eng.search(text, limit=120, collapse=False, partial=False, snippets=False)
    assert not again.cut and again.total == whole.total == 60


def test_one_search_is_one_scope_shared_by_what_it_calls_and_not_by_the_next():
    assert budget.scope() is None
    with budget.limited(1.0):
        first = budget.scope()
        with budget.limited(0.5):
            assert budget.scope() is first  # a step inside the search
    with budget.limited(1.0):
        second = budget.scope()
    assert first is not None and second is not None and first is not second
    assert budget.scope() is None


def test_a_search_decodes_postings_with_its_own_evaluator_not_the_last_searchs(eng: Engine, monkeypatch):
    # Shared from one search to the next, an evaluator gathered the postings of many
    # searches, and one of them paid for freeing them all.
    from searchkit.backends.whoosh import bulkeval

    made: list[object] = []
    real = bulkeval.BulkEvaluator.__init__

    def counted(self: bulkeval.BulkEvaluator, searcher: object) -> None:
        real(self, searcher)
        made.append(self.scope)

    monkeypatch.setattr(bulkeval.BulkEvaluator, "__init__", counted)
    eng.backend_index.forget()
    eng.search("табір дітей", snippets=False)
    eng.search("міст річку", snippets=False)
    scopes = {id(s) for s in made}
    assert None not in made and len(scopes) == 2


def test_a_search_that_builds_the_index_first_has_its_whole_time_to_search(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    # the build (here: 300 articles stored without indexing) is not the search's time:
    # counted in it, a first search on an unbuilt home was cut short after its first matches
    rows = [{"id": f"r{i}", "title": f"Ремонт {i}", "text": f"Ремонт дороги номер {i} тривав тиждень."}
            for i in range(300)]
    eng = Engine.init(tmp_path / "home")
    eng.import_paths([write_jsonl(tmp_path / "feed.jsonl", rows)], index=False)
    monkeypatch.setattr(budget, "QUERY_SECONDS", 0.05)
    res = eng.search("ремонт", limit=5)
    assert res.total == 300 and res.cut == ()
    eng.close()


def test_a_search_that_waits_for_another_writers_first_build_has_its_whole_time_to_search(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the wait was counted: the search found the index built by another, with no time left,
    # and listed its first few matches with "narrow the query"
    rows = [{"id": f"r{i}", "title": f"Ремонт {i}", "text": f"Ремонт дороги номер {i} тривав тиждень."}
            for i in range(300)]
    eng = Engine.init(tmp_path / "home")
    eng.import_paths([write_jsonl(tmp_path / "feed.jsonl", rows)], index=False)
    other = Engine(eng.home)  # another writer (a first import's build), on its own lock
    real = HomeLock.acquire
    searcher = threading.current_thread()

    def meanwhile_built(lock: HomeLock, timeout: float | None = None) -> None:
        if threading.current_thread() is searcher and not built:
            built.append(True)
            writer = threading.Thread(target=other.index)  # builds while the search waits
            writer.start()
            writer.join()
        real(lock, timeout)

    built: list[bool] = []
    monkeypatch.setattr(HomeLock, "acquire", meanwhile_built)
    monkeypatch.setattr(budget, "QUERY_SECONDS", 0.2)  # (the build alone takes longer)
    res = eng.search("ремонт", limit=5)
    assert built and res.total == 300 and res.cut == ()
    other.close()
    eng.close()


def test_loading_the_topic_model_once_is_no_part_of_the_first_searchs_time(home: Path, monkeypatch):
    # a fresh process's first search read the topic model (numpy's import with it) inside
    # its 1 s: on a busy machine that alone cut searches of a small archive short
    from searchkit.text.topics import TopicModel

    real = TopicModel.from_bytes.__func__  # type: ignore[attr-defined]

    def slow(cls: type, data: bytes) -> TopicModel:
        time.sleep(0.3)
        return real(cls, data)  # type: ignore[no-any-return]

    monkeypatch.setattr(TopicModel, "from_bytes", classmethod(slow))
    monkeypatch.setattr(budget, "QUERY_SECONDS", 0.2)
    fresh = Engine(home)
    r = fresh.search("табір вокзалу")  # no article has both: the partial matches are optional
    fresh.close()
    assert r.cut == () and r.total > 0 and r.matched_all == 0


def test_time_in_a_paused_block_is_not_counted_against_the_search():
    with budget.limited(0.1):
        with budget.paused():
            time.sleep(0.15)
        assert not budget.passed() and 0.05 < (budget.left() or 0) <= 0.1
        time.sleep(0.1)
        assert budget.passed()


def _one_slow_search(monkeypatch: pytest.MonkeyPatch, seconds: float) -> threading.Event:
    """The search in the thread named "slow" holds the index's reads for ``seconds`` at its
    first read; the event is set once it holds them."""
    real = IndexStore.searcher
    holding = threading.Event()

    def searcher(store: IndexStore) -> Any:
        if threading.current_thread().name == "slow" and not holding.is_set():
            with store._mutex:
                holding.set()
                time.sleep(seconds)
                return real(store)
        return real(store)

    monkeypatch.setattr(IndexStore, "searcher", searcher)
    return holding


def test_searches_queued_behind_a_slow_one_in_other_threads_are_not_cut_short(home: Path, monkeypatch):
    # the wait for a turn at the index counted against each search's time: 40 threads on
    # 1,396 articles cut 8 of 200 plain searches, with wrong totals and "narrow the query"
    queries = ["міст", "табір дітей вокзалу", "нову таблицю"]  # (the second: partial matches, optional)
    eng = Engine(home)
    expected = {q: (eng.search(q, snippets=False).total, eng.search(q, snippets=False).matched_all) for q in queries}
    monkeypatch.setattr(budget, "QUERY_SECONDS", 0.3)
    holding = _one_slow_search(monkeypatch, 1.0)
    slow = threading.Thread(target=eng.search, args=("міст",), name="slow")
    slow.start()
    assert holding.wait(10)
    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(lambda q: (q, eng.search(q, snippets=False)), queries * 2))
    slow.join()
    eng.close()
    assert [(q, r.total, r.matched_all, r.cut) for q, r in results] == \
        [(q, *expected[q], ()) for q in queries * 2]


def test_a_search_that_waits_too_long_for_its_turn_is_refused_as_busy_not_cut(home: Path, monkeypatch):
    monkeypatch.setattr(budget, "TURN_SECONDS", 0.2)
    eng = Engine(home)
    eng.search("міст")
    holding = _one_slow_search(monkeypatch, 3.0)
    slow = threading.Thread(target=eng.search, args=("міст",), name="slow")
    slow.start()
    assert holding.wait(10)
    t0 = time.monotonic()
    with pytest.raises(IndexBusy, match="the index is busy: this search waited 0.2 s for other searches") as busy:
        eng.search("міст")
    took = time.monotonic() - t0
    slow.join()
    eng.close()
    assert took < 2 and busy.value.hint == "search again in a moment, or run fewer searches at once"


def test_a_hit_holding_a_huge_compound_is_read_only_to_the_marking_limit(tmp_path: Path):
    from searchkit.text.highlight import MARKED_CHARS

    chain = "-".join(["а"] * (MARKED_CHARS // 2 + 1000))  # one word past the limit (a 2 MB one took 0.35 s a hit)
    rows = [{"id": "chain", "title": "Ланцюг", "text": f"мова {chain} кінець"},
            {"id": "plain", "title": "Проста", "text": "Мова і школа."}]
    eng = imported(tmp_path, rows)
    r = eng.search("мова", limit=5)
    assert r.total == 2 and not r.cut  # the same matches
    hit = next(h for h in r.hits if h.id == "chain")
    assert hit.snippet.text == "мова" and hit.snippet.marked() == "[мова]"  # the chain was not read
    _, body = eng.highlight(eng.get("chain"), "мова")  # show: marked in its first word, and said
    assert body.marked_words == 1 and [(s.start, s.end) for s in body.spans] == [(0, 4)]
    assert eng.search("кінець").total == 1  # still found past the chain
    eng.close()
