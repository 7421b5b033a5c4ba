import datetime as dt
import io
import json
import os
import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from searchkit import ArticleNotFound, Engine, EngineClosed, HomeError, IndexStatus, QueryError
from searchkit.text.highlight import MatchTerms, best_snippet

from .conftest import ARTICLES, imported, write_jsonl


def ids(results) -> list[str]:
    return [h.id for h in results.hits]


def test_the_date_rule_of_a_search_is_public_and_speaks_the_callers_names():
    import searchkit

    assert searchkit.date_bounds("2022-03-01", "2022-03-31") == (dt.date(2022, 3, 1), dt.date(2022, 3, 31))
    with pytest.raises(QueryError, match="^--since and --until: ") as e:
        searchkit.date_bounds("2022-04-01", "2022-03-01", names=("--since", "--until"))
    assert e.value.field == "since"
    with pytest.raises(QueryError, match="^--until: ") as e:
        searchkit.date_bounds(None, "2022-02-31", names=("--since", "--until"))
    assert e.value.field == "until"


def test_a_query_is_cleaned_and_limited_as_a_search_takes_it_without_a_home(engine):
    import searchkit

    assert searchkit.clean_query_text("київ\x1b[2J\x07метро\tлінія") == "київ метро лінія"
    assert engine.search("київ\x1b[2J\x07метро").query == "київ метро"
    with pytest.raises(QueryError, match=f"longer than {searchkit.MAX_QUERY_CHARS:,} characters"):
        engine.search("я " * (searchkit.MAX_QUERY_CHARS // 2) + "я")
    assert {"MAX_QUERY_CHARS", "clean_query_text", "date_bounds", "Staged"} <= set(searchkit.__all__)


def test_the_index_settings_saved_in_a_home_are_read_without_opening_it(tmp_path):
    Engine.init(tmp_path / "home").close()
    config = Engine.saved_config(tmp_path / "home")
    assert (config.backend, config.url, config.place) == ("whoosh", None, "embedded")


def test_opening_a_folder_without_corpus_is_a_home_error(tmp_path):
    with pytest.raises(HomeError, match="not a searchkit home"):
        Engine(tmp_path)


@pytest.mark.parametrize("home", ["", "  "])
def test_opening_an_empty_path_is_a_home_error_as_making_one_there_is(tmp_path, monkeypatch, home):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "corpus").mkdir()  # (the folder it is run in is a home: still not taken for "")
    for open_it in (Engine, Engine.init):
        with pytest.raises(HomeError, match="no path given for the home"):
            open_it(home)


def test_opening_a_file_as_a_home_says_it_is_a_file(tmp_path):
    (tmp_path / "feed.jsonl").write_text("{}\n", encoding="utf-8")
    with pytest.raises(HomeError, match="feed.jsonl: a file, not a searchkit home") as e:
        Engine(tmp_path / "feed.jsonl")
    assert "init" not in str(e.value) and "the folder that holds corpus/" in e.value.hint


def test_opening_a_pipe_or_device_as_a_home_says_what_it_is_and_advises_no_init(tmp_path):
    # (``--home /dev/null`` advised `searchkit init /dev/null`, which cannot make it one)
    os.mkfifo(tmp_path / "pipe")
    for place in (tmp_path / "pipe", Path(os.devnull)):
        said = f"^{re.escape(str(place))}: a device, pipe or socket, not a searchkit home$"
        with pytest.raises(HomeError, match=said) as e:
            Engine(place)
        assert "init" not in str(e.value) and "the folder that holds corpus/" in e.value.hint


def test_a_home_cannot_be_made_under_a_file_and_says_the_file_is_in_the_way(tmp_path):
    from click.testing import CliRunner

    from searchkit.cli import main

    (tmp_path / "notes.txt").write_text("Нотатки.", encoding="utf-8")
    home = tmp_path / "notes.txt" / "archive"
    with pytest.raises(HomeError) as e:
        Engine.init(home)
    assert str(e.value) == f"{home}: cannot create a home there: {tmp_path / 'notes.txt'} is a file, not a folder"
    r = CliRunner().invoke(main, ["init", str(home / "deeper")])
    assert r.exit_code == 2 and r.stderr == (f"Error: {home / 'deeper'}: cannot create a home there: "
                                             f"{tmp_path / 'notes.txt'} is a file, not a folder\n")


def test_an_engine_in_a_with_block_is_closed_at_its_end_and_then_refuses_work(home, tmp_path):
    feed = write_jsonl(tmp_path / "f.jsonl", [{"id": "w1", "text": "Бджоли несуть мед."}])
    with Engine(home) as eng:
        assert eng.import_paths(feed).added == 1 and eng.search("мед").total == 1
    for call in (lambda: eng.search("мед"), lambda: eng.import_paths(feed), lambda: eng.get("w1"), eng.stats,
                 eng.index):
        with pytest.raises(EngineClosed) as e:
            call()
        assert str(e.value) == f"{home}: this Engine was closed" and "Engine(home)" in e.value.hint
    eng.close()  # closing twice is no error
    with Engine(home) as again:  # the home opens again
        assert again.search("мед").total == 1


def test_an_error_inside_a_with_block_closes_the_engine_and_goes_on_up(home):
    with pytest.raises(ArticleNotFound), Engine(home) as eng:
        eng.get("немає")
    with pytest.raises(EngineClosed):
        eng.count()


def test_any_inflected_form_and_spelling_finds_the_article(engine):
    for q in ["політв'язні", "політв’язнів", "ПОЛІТВʼЯЗЕНЬ", "політв'язень"]:
        assert ids(engine.search(q)) == ["a1"], q


def test_all_words_must_match_when_partial_matches_are_turned_off(engine):
    assert ids(engine.search("табори англійська", partial=False)) == ["a2"]
    assert engine.search("табори метро", partial=False).total == 0


def test_articles_with_all_the_words_come_before_those_with_some(engine):
    res = engine.search("табори англійська")
    assert res.matched_all == 1 and ids(res)[0] == "a2"
    res = engine.search("табори метро")  # no article has both
    assert res.matched_all == 0 and sorted(ids(res)) == ["a2", "a3"]
    assert res.missing and res.to_json()["missing"] == list(res.missing)


def test_or_not_and_title_field(engine):
    assert sorted(ids(engine.search("табори OR метро"))) == ["a2", "a3"]
    assert ids(engine.search("рік -метро")) == []  # a3 has both
    assert ids(engine.search("title:табір")) == ["a2"]
    assert ids(engine.search("title:англійська")) == []


def test_phrase_matches_adjacent_words_in_any_inflection(engine):
    assert ids(engine.search('"мовний табір"')) == ["a2"]
    assert ids(engine.search('"політичний в\'язень"')) == ["a1"]
    assert ids(engine.search('"табір мовний"')) == []


def test_ambiguous_form_finds_the_common_lemma(engine):
    assert "a3" in ids(engine.search("рік"))  # "року" -> рік as well as рок


def test_title_match_ranks_above_body_match(tmp_path, home):
    eng = Engine(home)
    eng.import_paths([write_jsonl(tmp_path / "f.jsonl", [
        {"id": "body", "title": "Новини дня", "text": "Сьогодні в місті відкрили бібліотеку. Інші новини."},
        {"id": "title", "title": "Бібліотека відкрилась", "text": "Сьогодні в місті була подія. Інші новини."},
    ])])
    assert ids(eng.search("бібліотека")) == ["title", "body"]


def test_exact_form_ranks_above_other_inflections(tmp_path, home):
    eng = Engine(home)
    eng.import_paths([write_jsonl(tmp_path / "f.jsonl", [
        {"id": "other", "title": "Перша", "text": "Про вибори писали всі газети країни."},
        {"id": "exact", "title": "Друга", "text": "Про виборів писали всі газети країни."},
    ])])
    assert ids(eng.search("виборів"))[0] == "exact"
    assert ids(eng.search("вибори"))[0] == "other"


def test_snippet_marks_every_inflected_form(engine):
    (hit,) = engine.search("політв'язень").hits
    marked = hit.snippet.marked()
    assert "[політв'язні]" in marked
    assert ("політв'язні", "політв'язень") in hit.matched


def test_a_snippet_goes_on_from_a_title_line_instead_of_repeating_it(tmp_path):
    # a .txt file's title is its first line, and the line stays in its text
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "camp.txt").write_text("Учителі провели мовний табір\nУчні провели тиждень у таборі.\n",
                                              encoding="utf-8")
    eng = Engine.init(tmp_path / "home")
    eng.import_paths([tmp_path / "in"])
    (hit,) = eng.search("табір").hits
    assert hit.title == "Учителі провели мовний табір"
    assert hit.snippet.marked() == "Учні провели тиждень у [таборі]."
    assert eng.get("camp").text.startswith("Учителі провели мовний табір\n")  # stored as written
    eng.close()


def test_best_snippet_prefers_window_with_most_distinct_terms(engine):
    text = "Київ. " + "слово " * 100 + "Київ і Харків поруч."
    terms = MatchTerms(lemmas=frozenset({"київ", "харків"}))
    snip = best_snippet(text, engine.analyzer, terms, width=60)
    assert "Харків" in snip.text and snip.text.startswith("…")
    assert [snip.text[s.start:s.end] for s in snip.spans] == ["Київ", "Харків"]


def test_filters_and_sort_by_date(engine):
    assert ids(engine.search("рік OR табори OR політв'язні", sort="date")) == ["a1", "a3", "a2"]
    assert ids(engine.search("рік OR табори", since="2020-01-01")) == ["a3"]
    assert ids(engine.search("рік OR табори", until=dt.date(2020, 1, 1))) == ["a2"]
    assert ids(engine.search("рік OR табори OR політв'язні", source="тест-НОВИНИ", sort="date")) == ["a1", "a3"]


def test_sort_by_date_finding_no_article_with_all_the_words_says_which_word_none_has(tmp_path):
    eng = imported(tmp_path, [
        {"id": "t1", "text": "Мовний табір працює влітку.", "date": "2018-06-01"},
        {"id": "t2", "text": "Ще один мовний табір відкрили.", "date": "2018-06-02"},
    ])
    assert eng.search("мовний табір Одеса").total == 2  # by relevance: the articles with some of the words
    by_date = eng.search("мовний табір Одеса", sort="date")
    assert by_date.total == 0 and by_date.missing == ("Одеса",)
    assert any("sorted by date, only the articles with all the words are listed" in w for w in by_date.warnings)
    assert not eng.search("мовний табір Одеса", sort="date", partial=False).missing  # (as asked)
    eng.close()


def test_paging(engine):
    q = "рік OR табори OR політв'язні OR рок"
    all_ids = ids(engine.search(q, limit=10))
    assert ids(engine.search(q, limit=2, page=1)) + ids(engine.search(q, limit=2, page=2)) == all_ids
    assert engine.search(q, limit=2, page=9).total == len(all_ids)


def test_bad_arguments_are_searchkit_errors(engine):
    with pytest.raises(QueryError):
        engine.search("-київ")
    with pytest.raises(Exception, match="since"):
        engine.search("київ", since="yesterday-ish")
    with pytest.raises(Exception, match="sort"):
        engine.search("київ", sort="random")


def test_results_are_a_read_only_sequence_of_their_hits(engine):
    results = engine.search("рік OR табори OR фестиваль")
    assert len(results) >= 3 and isinstance(results, Sequence)
    assert results[0] == results.hits[0] and results[-1] == results.hits[-1]
    assert results[:2] == results.hits[:2] and results[::-1] == tuple(reversed(results))
    assert results.hits[1] in results and results.index(results.hits[1]) == 1
    with pytest.raises(TypeError):
        results[0] = results[1]  # type: ignore[index]
    with pytest.raises(IndexError):
        engine.search("космодром")[0]


def test_get_and_missing_article(engine):
    assert engine.get("a2").title == "Мовні табори для дітей"
    with pytest.raises(ArticleNotFound):
        engine.get("nope")


def test_highlight_marks_all_matches_in_the_whole_article(engine):
    title, body = engine.highlight(engine.get("a2"), "табір")
    assert [title.text[s.start:s.end] for s in title.spans] == ["табори"]
    assert [body.text[s.start:s.end] for s in body.spans] == ["табори", "таборі"]


def test_highlight_of_no_query_or_only_spaces_marks_nothing(engine):
    article = engine.get("a2")
    for query in (None, "", "   ", "\t\n"):
        title, body = engine.highlight(article, query)
        assert (title.text, title.spans, body.text, body.spans) == (article.title, (), article.text, ()), repr(query)


def test_highlight_leaves_unmarked_the_words_a_minus_leaves_out(tmp_path):
    eng = imported(tmp_path, [{"id": "k1", "title": "Санкції проти Криму", "text": "Нові санкції проти Криму. "
                               "Кримські банки відчули санкції. У Харкові обговорювали санкції, банки теж."}])

    def marked(query: str) -> list[str]:
        _, body = eng.highlight(eng.get("k1"), query)
        return sorted({body.text[s.start:s.end].lower() for s in body.spans})

    assert marked("санкції -Крим") == ["санкції"]
    assert marked("санкції NOT Харків") == ["санкції"]
    assert marked('санкції -"проти Криму"') == ["санкції"]
    assert marked("санкції -Крим* банки") == ["банки", "санкції"]
    assert marked("санкції -(Крим OR Харків) банки") == ["банки", "санкції"]
    assert marked("санкції --Крим") == ["криму", "санкції"]  # a second minus undoes the first
    eng.close()


def test_reimport_is_a_no_op_and_changed_content_replaces(engine, tmp_path):
    feed = tmp_path / "feed.jsonl"
    report = engine.import_paths([feed])
    assert (report.added, report.updated, report.unchanged) == (0, 0, len(ARTICLES))
    changed = dict(ARTICLES[1], text="Тепер тут про кавові автомати.")
    report = engine.import_paths([write_jsonl(tmp_path / "upd.jsonl", [changed])])
    assert report.updated == 1
    assert engine.search("табори").total == 1  # the title still says табори
    assert ids(engine.search("автомат")) == ["a2"]
    assert engine.stats().articles == len(ARTICLES)


def test_import_reports_failures_and_keeps_going(home, tmp_path):
    eng = Engine(home)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "ok", "text": "Добрий рядок про Львів."}\nnot json\n', encoding="utf-8")
    report = eng.import_paths([bad, tmp_path / "missing.csv"])
    assert (report.added, report.failed) == (1, 2)
    assert report.errors[0].startswith(f"{bad}:2:")
    assert "missing.csv" in report.errors[1]
    assert ids(eng.search("Львів")) == ["ok"]


def test_import_without_index_then_index_catches_up(home, tmp_path):
    eng = Engine(home)
    eng.import_paths([write_jsonl(tmp_path / "f.jsonl", ARTICLES[:2])], index=False)
    assert not eng.stats().index_up_to_date
    report = eng.index()
    assert report.indexed == 2
    assert eng.stats().index_up_to_date
    assert ids(eng.search("табори")) == ["a2"]


def test_index_picks_up_edited_and_deleted_files(engine):
    path = engine.corpus.path_for("a3")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["text"] = "Тепер ця стаття про трамваї."
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    engine.corpus.path_for("a4").unlink()
    report = engine.index()
    assert (report.indexed, report.deleted) == (1, 1)
    assert ids(engine.search("трамвай")) == ["a3"]
    assert engine.search("фестиваль").total == 0
    assert engine.stats().index_up_to_date


def test_a_home_copied_without_its_files_times_is_up_to_date_and_index_reads_only_what_changed(tmp_path):
    import os
    import shutil

    from click.testing import CliRunner

    from searchkit.cli import main

    imported(tmp_path, ARTICLES).close()
    copy = tmp_path / "copy"
    shutil.copytree(tmp_path / "home", copy, copy_function=shutil.copyfile)  # (as `rsync -r`: no times)
    files = sorted((copy / "corpus").glob("*/*.json"))
    indexed_at = {f: (tmp_path / "home" / f.relative_to(copy)).stat().st_mtime_ns for f in files}
    for f in files:  # every file's time differs from the one indexed, whatever the clock's grain
        os.utime(f, ns=(indexed_at[f], indexed_at[f] + 5 * 10**9))

    def stats() -> dict:
        r = CliRunner().invoke(main, ["--home", str(copy), "stats", "--json"])
        assert r.exit_code == 0, r.output
        return json.loads(r.output)

    def search_note() -> str:
        r = CliRunner().invoke(main, ["--home", str(copy), "search", "табори"])
        assert r.exit_code == 0, r.output
        return r.stderr

    assert stats()["index_up_to_date"] is True and "Note" not in search_note()
    # a rewrite of the same size is still a change
    a1 = Engine(copy).corpus.path_for("a1")
    a1.write_bytes(a1.read_bytes().replace(b"52", b"53"))
    os.utime(a1, ns=(indexed_at[a1], indexed_at[a1] + 9 * 10**9))
    after = stats()
    assert after["index_up_to_date"] is False and after["index_outdated_reason"] == (
        "corpus/ has changed since it was indexed")
    eng = Engine(copy)
    assert eng.index().indexed == 1  # the one changed, not every file
    assert ids(eng.search("53")) == ["a1"] and stats()["index_up_to_date"] is True
    # the files as indexed got their times back: the next look at them is quick
    assert all(f.stat().st_mtime_ns == indexed_at[f] for f in files if f != a1)
    assert eng.index().indexed == 0
    eng.close()


def test_rebuild_swaps_in_a_new_generation(engine):
    before = engine.backend_index.current_generation()
    report = engine.index(rebuild=True)
    after = engine.backend_index.current_generation()
    assert report.rebuilt and report.indexed == len(ARTICLES)
    assert after != before and not (engine.home / "index" / before).exists()
    assert ids(engine.search("табори")) == ["a2"]


def test_index_is_built_on_first_search(home, tmp_path):
    eng = Engine(home)
    eng.import_paths([write_jsonl(tmp_path / "f.jsonl", ARTICLES)], index=False)
    assert not (home / "index" / "CURRENT").exists()
    assert ids(eng.search("табори")) == ["a2"]


def test_delete_removes_from_corpus_and_index(engine):
    assert engine.delete(["a2", "zzz"]) == 1
    assert engine.search("табори").total == 0
    with pytest.raises(ArticleNotFound):
        engine.get("a2")


def test_stats(engine):
    s = engine.stats()
    assert s.articles == s.corpus_articles == len(ARTICLES)
    assert s.sources == {"Тест-новини": 2, "Музика": 1, "Час Київщини": 1}
    assert (s.first_date, s.last_date) == (dt.date(2016, 6, 1), dt.date(2025, 9, 21))
    assert s.index_bytes > 0 and s.index_up_to_date


def test_an_analyzer_change_triggers_a_rebuild(engine, monkeypatch):
    import searchkit.backends.whoosh.store as eng_mod

    monkeypatch.setattr(eng_mod, "ANALYZER_VERSION", "test-new")
    fresh = Engine(engine.home)
    assert fresh.index_state() is IndexStatus.ANALYZER_CHANGED
    assert ids(fresh.search("табори")) == ["a2"]
    assert fresh.index_state() is IndexStatus.CURRENT
    fresh.close()


def test_prefix_and_fuzzy_search(engine):
    assert ids(engine.search("політв*")) == ["a1"]
    assert ids(engine.search("Лукашенка~")) == ["a1"]
    with pytest.raises(QueryError, match="too short"):
        engine.search("п*")


def test_a_prefix_or_fuzzy_word_in_the_title_does_not_match_the_body(engine):
    # a1 says Лукашенко in its text, not its title
    assert ids(engine.search("Лукашенко~")) == ["a1"] and ids(engine.search("лукаш*")) == ["a1"]
    assert ids(engine.search("title:Лукашенко~")) == [] and ids(engine.search("title:лукаш*")) == []
    assert ids(engine.search("title:політв*")) == ["a1"]


def test_a_fuzzy_word_finds_every_article_the_plain_word_finds(tmp_path):
    # ``люди`` has the lemmas ``люди`` and ``людина``; the fuzzy word was expanded from the
    # first alone, so ``люди~`` missed the articles that say ``людина`` or ``людей``
    eng = imported(tmp_path, [
        {"id": "one", "text": "Одна людина прийшла."},
        {"id": "many", "text": "Прийшло багато людей."},
        {"id": "typo", "text": "Тут люде стояли."},
    ])
    plain = set(ids(eng.search("люди")))
    assert {"one", "many"} <= plain
    assert plain <= set(ids(eng.search("люди~")))
    assert "typo" in ids(eng.search("люди~"))


def test_after_warming_up_a_misspelt_query_reads_no_word_list(engine, monkeypatch):
    # The TUI warms up once it is ready, so the first typo does not wait for the word list
    # (and the full dictionary) to load.
    from searchkit.backends.whoosh import vocabulary

    engine.warm_up()

    def read_again(*args, **kwargs):
        raise AssertionError("the word list was read again")

    monkeypatch.setattr(vocabulary, "segment_words", read_again)
    res = engine.search("мовні табри")
    assert res.corrected_query == "мовні табори" and [h.id for h in res] == ["a2"]


def test_searches_leave_no_reference_cycles_for_the_collector(engine):
    # What a search decodes is freed when the search lets go of it: left in reference
    # cycles, it waited for the collector's oldest generation, a long pause mid-search.
    import gc

    for query in ("табори", "мовні табори для дітей", "табір~", "табор*", "кавові табори"):
        engine.search(query)  # the first time: searchers opened, dictionaries loaded
    gc.collect()
    gc.disable()
    try:
        for query in ("табори", "мовні табори для дітей", "табір~", "табор*", "кавові табори"):
            engine.search(query)
            engine.timeline(query)
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_a_quoted_phrase_whose_first_word_has_no_letters_searches_the_rest(engine):
    for query in ('"— табори"', '"… мовні"', '"табори —"'):
        assert ids(engine.search(query)) == ["a2"], query


def test_a_field_before_a_bracket_searches_each_word_in_that_field(engine):
    # a3 says "метро" in its text only
    assert "a3" in ids(engine.search("табори OR метро"))
    assert ids(engine.search("title:(табори OR метро)")) == ["a2"]


def test_a_group_with_a_minus_inside_makes_no_partial_matches(engine):
    # "(мова OR -Київ)" holds every article without Київ: as a partial match it would
    # list articles that hold none of the words
    res = engine.search("табори (мова OR -Київ)")
    assert res.partial == 0 and {h.id for h in res.hits} == {"a2"}


def test_a_since_after_the_until_is_refused_as_a_bad_query(engine):
    import datetime as dt

    from searchkit.errors import QueryError

    for since, until in (("2016", "2015"), (dt.date(2016, 6, 2), dt.date(2016, 6, 1))):
        with pytest.raises(QueryError, match="since and until: no day is in the range: it starts on 2016"):
            engine.search("табори", since=since, until=until)
    assert engine.search("табори", since="2016-06-01", until="2016-06-01").total == 1


def test_a_folder_inside_a_home_is_no_home_and_the_error_names_the_home_it_is_in(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from searchkit.cli import main

    Engine.init(tmp_path / "archive").close()
    (tmp_path / "archive" / "corpus" / "2016").mkdir()
    monkeypatch.chdir(tmp_path / "archive" / "corpus")
    r = CliRunner().invoke(main, ["search", "мова"])
    assert r.exit_code == 2
    assert r.stderr == "Error: .: not a searchkit home (no corpus/ folder) — did you mean --home .., the home it is " \
                       "in?\n"
    with pytest.raises(HomeError) as e:  # deeper down, and given as a full path: named so
        Engine(tmp_path / "archive" / "corpus" / "2016")
    assert e.value.hint == f"did you mean `Engine({str(tmp_path / 'archive')!r})`, the home it is in?"
    r = CliRunner().invoke(main, ["--home", "2016", "stats"])
    assert "did you mean --home .., the home it is in?" in r.stderr  # (relative to where it runs, as typed)
    # a folder that is not there is in no home: a mistyped name gets the usual advice
    r = CliRunner().invoke(main, ["--home", "nowhere", "stats"])
    assert "make it one with `searchkit init nowhere`" in r.stderr and "did you mean" not in r.stderr


@pytest.mark.parametrize("opened", [io.StringIO('{"text": "Мовні табори відкрили."}\n'),
                                    io.BytesIO(b'{"text": "x"}\n')])
def test_import_paths_refuses_an_open_file_rather_than_taking_its_lines_for_paths(tmp_path, opened):
    eng = Engine.init(tmp_path / "home")
    with pytest.raises(TypeError, match=r"paths must be a string or an iterable of strings, not an open file "
                                        rf"\({type(opened).__name__}\): give its path"):
        eng.import_paths(opened)
    rows = [{"id": "t1", "title": "Табори", "text": "Мовні табори відкрили у Львові."}]
    assert eng.import_paths(str(write_jsonl(tmp_path / "feed.jsonl", rows))).added == 1  # a bare str: one path
    assert eng.stats().articles == 1
    eng.close()


def test_a_hits_json_has_its_rank_and_the_spans_of_its_title(tmp_path):
    eng = imported(tmp_path, ARTICLES)
    second = eng.search("мовні табори OR політв'язні", limit=1, page=2)
    hit = second[0]
    out = hit.to_json()
    assert out["rank"] == hit.rank == 2
    assert out["title_highlights"] == [[s.start, s.end] for s in hit.title_spans] != []
    assert json.loads(json.dumps(second.to_json()))["hits"][0]["rank"] == 2


@pytest.mark.parametrize("backend, error, message", [
    ("solr", ValueError, "backend='solr': use one of 'whoosh', 'opensearch'"),
    (3, TypeError, "backend must be one of 'whoosh', 'opensearch' or None, not int"),
])
def test_an_unknown_backend_is_refused_as_a_bad_argument_and_makes_no_home(tmp_path, backend, error, message):
    # (it was a bare SearchkitError, unlike every other argument of a bad value or type)
    Engine.init(tmp_path / "home").close()
    with pytest.raises(error) as e:
        Engine(tmp_path / "home", backend=backend)
    assert str(e.value) == message
    with pytest.raises(error, match="backend"):
        Engine.init(tmp_path / "new", backend=backend)
    assert not (tmp_path / "new").exists()


def test_an_engines_repr_names_its_home_and_backend(tmp_path):
    eng = Engine.init(tmp_path / "archive")
    assert repr(eng) == f"<searchkit.Engine {str(tmp_path / 'archive')!r} whoosh>"
    eng.close()
    assert repr(eng) == f"<searchkit.Engine {str(tmp_path / 'archive')!r} whoosh closed>"


def test_what_analyze_gives_is_exported_with_the_other_result_types():
    import searchkit

    (word,) = Engine.analyze_text("вчителів")
    assert isinstance(word, searchkit.WordAnalysis) and "WordAnalysis" in searchkit.__all__
    assert "WordAnalysis" in dir(searchkit)
