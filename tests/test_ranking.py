"""Ranking and query understanding on a tiny home of articles written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchkit import Engine
from searchkit.cli import main
from searchkit.query import understand

from .conftest import imported

ARTICLES = [
    {"id": "adjacent", "title": "Літо в області",
     "text": "Цього літа працюють мовні табори для школярів. Діти вивчають англійську."},
    {"id": "apart", "title": "Відпочинок дітей",
     "text": "Табори приймають дітей. У таборі є мовні курси, мовні ігри і табір спорту. Табори чекають."},
    {"id": "form-typed", "title": "Концерт",
     "text": "Концерт відбувся у Харкові, гості приїхали звідусіль."},
    {"id": "form-other", "title": "Концерт",
     "text": "Концерт біля Харкова, гості з Харкова приїхали."},
    {"id": "prisoners", "title": "Звільнення",
     "text": "Лукашенко звільнив політв'язнів. Родини політв'язнів зустріли їх на кордоні."},
    {"id": "prisoners-2", "title": "Список", "text": "Список політв'язнів оновили вчора."},
    {"id": "misspelt", "title": "Голодування", "text": "Правозахисники кажуть: політвязні голодують."},
    {"id": "metro", "title": "Нова станція",
     "text": "У Києві відкрили нову станцію метро. Мешканці Києва чекали її десять років."},
]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ranking")
    imported(root, ARTICLES).close()
    return root / "home"


@pytest.fixture(scope="module")
def eng(home: Path) -> Engine:
    e = Engine(home)
    yield e
    e.close()


def ids(results) -> list[str]:
    return [h.id for h in results.hits]


def test_phrase_words_standing_side_by_side_rank_above_scattered_ones(eng):
    # "apart" holds both words more often, but never next to each other.
    assert ids(eng.search("мовний табір"))[:2] == ["adjacent", "apart"]


def test_the_very_form_typed_ranks_above_another_inflection(eng):
    # "form-other" names the city twice, but not in the form the user typed.
    assert ids(eng.search("Харкові"))[:2] == ["form-typed", "form-other"]
    assert ids(eng.search("Харкова"))[:2] == ["form-other", "form-typed"]


def test_a_typo_is_corrected_and_the_correction_is_reported(eng):
    res = eng.search("політвязнів")
    assert ids(res)[: res.matched_all] == ["prisoners", "prisoners-2"]
    # after them, the article holding the same slip in another form (a near spelling)
    assert ids(res)[res.matched_all :] == ["misspelt"] and res.near == ("політвязні",)
    assert res.corrected_query == "політв'язнів"
    assert res.to_json()["corrected_query"] == "політв'язнів"


def test_a_typo_among_correct_words_is_corrected_in_context(eng):
    res = eng.search("Лукашенко звільнив полтів'язнів")
    assert ids(res)[: res.matched_all] == ["prisoners"]
    assert res.corrected_query == "Лукашенко звільнив політв'язнів"


def test_exact_search_does_not_correct_but_still_suggests(eng):
    res = eng.search("політвязнів", exact=True)
    assert res.total == 0
    assert res.corrected_query is None
    assert res.suggestion == "політв'язнів"


def test_a_query_that_finds_little_gets_a_did_you_mean(eng, monkeypatch):
    # One article has the misspelling itself; two have the right word. On a real archive
    # the right word must be ten times as common; two will do here.
    monkeypatch.setattr(understand, "SUGGEST_RATIO", 2)
    res = eng.search("політвязні")
    assert ids(res)[: res.matched_all] == ["misspelt"]  # what was asked for, not rewritten
    assert set(ids(res)[res.matched_all :]) == {"prisoners", "prisoners-2"}  # its near spellings after it
    assert res.corrected_query is None
    assert res.suggestion == "політв'язні"


def test_latin_words_are_searched_as_the_cyrillic_words_they_spell(eng):
    res = eng.search("Kyiv metro")
    assert ids(res) == ["metro"]
    assert res.searched_as == ("Київ", "метро")
    assert res.to_json()["searched_as"] == ["Київ", "метро"]
    assert ids(eng.search("Kiev")) == ["metro"]


def test_exact_search_does_not_transliterate(eng):
    assert eng.search("Kyiv", exact=True).total == 0


def test_a_word_no_article_has_is_named_and_the_others_still_find(eng):
    res = eng.search("метро Києві зорельотів")
    assert res.corrected_query is None and res.matched_all == 0
    assert ids(res) == ["metro"] and res.missing == ("зорельотів",)


def test_exact_search_is_never_relaxed_to_some_of_its_words(eng):
    res = eng.search("метро Києві зорельотів", exact=True)
    assert res.total == 0 and res.missing == ()


def test_stop_words_are_preferred_but_not_required(eng):
    # No article has "про", yet the words around it are found and still ranked as a phrase.
    assert ids(eng.search("про мовні табори"))[:2] == ["adjacent", "apart"]


def test_stop_words_alone_are_still_searched(eng):
    res = eng.search("у і")
    assert res.total > 0
    assert eng.search("про").total == 0  # searched, not dropped into an empty query


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("табор*", {"adjacent", "apart"}),  # prefix over written forms
        ("табі*", {"adjacent", "apart"}),  # prefix over lemmas (табір) reaches "табори"
        ("Лукашенка~", {"prisoners"}),  # fuzzy over forms and lemmas
        ("політвязень~", {"prisoners", "prisoners-2"}),  # fuzzy: one edit from the lemma
        ("політвʼязнями~2", {"prisoners", "prisoners-2"}),
    ],
)
def test_fuzzy_and_prefix_reach_lemmas_and_forms(eng, query, expected):
    assert set(ids(eng.search(query))) == expected


def test_cli_exact_turns_correction_off(home):
    runner = CliRunner()
    fixed = runner.invoke(main, ["--home", str(home), "search", "політвязнів", "--json"])
    assert fixed.exit_code == 0
    assert json.loads(fixed.output)["corrected_query"] == "політв'язнів"
    exact = runner.invoke(main, ["--home", str(home), "search", "політвязнів", "--json", "--exact"])
    assert exact.exit_code == 1
    out = json.loads(exact.output)
    assert out["total"] == 0 and "corrected_query" not in out and out["suggestion"] == "політв'язнів"


def test_cli_says_what_it_searched_for(home):
    runner = CliRunner()
    res = runner.invoke(main, ["--home", str(home), "--no-color", "search", "політвязнів"])
    assert res.output.splitlines()[0] == "Showing results for політв'язнів (no matches for 'політвязнів')"
    res = runner.invoke(main, ["--home", str(home), "--no-color", "search", "Kyiv"])
    assert "Searched as: Київ" in res.output


def camps(every: int, some: int) -> list[dict[str, str]]:
    """``every`` articles holding both words of ``мовні табори`` (ids a00...), then ``some``
    holding only ``табори`` (b00...)."""
    rows = [{"id": f"a{i:02d}", "title": f"Новина {i}", "text": f"Мовні табори для дітей відкрили в місті номер {i}."}
            for i in range(every)]
    return rows + [{"id": f"b{i:02d}", "title": f"Інше {i}", "text": f"Табори для дорослих працюють влітку, сезон {i}."}
                   for i in range(some)]


def test_every_page_counts_the_partial_matches_even_when_the_all_words_hits_fill_it(tmp_path):
    rows = camps(25, 20)
    eng = imported(tmp_path, rows)
    pages = [eng.search("мовні табори", limit=10, page=p, snippets=False) for p in range(1, 6)]
    assert [(r.total, r.matched_all) for r in pages] == [(45, 25)] * 5
    assert [len(r.hits) for r in pages] == [10, 10, 10, 10, 5]
    shown = [h.id for r in pages for h in r.hits]
    assert shown[:25] == sorted(shown[:25]) and all(i.startswith("a") for i in shown[:25])
    assert sorted(shown[25:]) == [f"b{i:02d}" for i in range(20)]
    out = CliRunner().invoke(main, ["--home", str(tmp_path / "home"), "search", "мовні табори", "--json"])
    assert json.loads(out.stdout)["total"] == 45 and json.loads(out.stdout)["matched_all"] == 25
    eng.close()


def test_the_articles_with_some_of_the_words_are_left_out_when_many_hold_them_all(tmp_path, monkeypatch):
    # PARTIAL_BELOW is a thousand: nobody pages past so many articles with every word to
    # reach those with some, and counting them cost half of the slowest big searches
    monkeypatch.setattr(understand, "PARTIAL_BELOW", 25)
    rows = camps(25, 20)
    eng = imported(tmp_path, rows)
    pages = [eng.search("мовні табори", limit=10, page=p, snippets=False) for p in (1, 3, 4)]
    assert [(r.total, r.matched_all) for r in pages] == [(25, 25)] * 3
    assert [len(r.hits) for r in pages] == [10, 5, 0]
    assert all(h.id.startswith("a") for r in pages for h in r.hits)
    eng.delete(["a00"])  # one fewer than the line: the partial matches are back
    res = eng.search("мовні табори", limit=10, page=3, snippets=False)
    assert (res.total, res.matched_all) == (44, 24)
    assert [h.id[0] for h in res.hits] == ["a"] * 4 + ["b"] * 6
    eng.close()


def test_the_partial_count_under_a_date_filter_leaves_out_the_all_words_matches(tmp_path):
    # half of each kind dated before the filter: the count of a page the all-words hits
    # fill takes out exactly the all-words matches the filter lets through
    rows = [{"id": f"a{i:02d}", "title": f"Новина {i}", "date": f"{2019 + i % 2}-05-01",
             "text": f"Мовні табори для дітей відкрили в місті номер {i}."} for i in range(30)]
    rows += [{"id": f"b{i:02d}", "title": f"Інше {i}", "date": f"{2019 + i % 2}-06-01",
              "text": f"Табори для дорослих працюють влітку, сезон {i}."} for i in range(16)]
    rows += [{"id": f"c{i:02d}", "title": f"Ще {i}", "date": "2020-07-01",
              "text": f"Мовні курси для дорослих, група {i}."} for i in range(4)]
    eng = imported(tmp_path, rows)
    pages = [eng.search("мовні табори", limit=5, page=p, since="2020-01-01", snippets=False) for p in (1, 2, 4, 6)]
    assert [(r.total, r.matched_all) for r in pages] == [(27, 15)] * 4
    assert [len(r.hits) for r in pages] == [5, 5, 5, 2]
    assert all(h.id.startswith("a") for r in pages[:2] for h in r.hits)
    assert {h.id[0] for h in pages[3].hits} <= {"b", "c"}
    eng.close()


def test_a_partial_match_shows_its_words_own_score_on_every_page(tmp_path):
    # what the words a partial match holds add ranks it after the all-words matches; the
    # score shown is what its words give, as for an all-words match
    rows = camps(12, 30)
    eng = imported(tmp_path, rows)
    shown = [h for p in (1, 2, 4) for h in eng.search("мовні табори", limit=10, page=p, snippets=False).hits]
    partial = [h for h in shown if h.id.startswith("b")]
    assert len(partial) == 18 and all(h.score is not None and 0 < h.score < 50 for h in partial)
    one = eng.explain("мовні табори", partial[-1].id)
    assert one.score == pytest.approx(partial[-1].score)
    eng.close()


def test_a_query_in_latin_letters_matches_as_the_same_query_in_cyrillic(tmp_path):
    # ``правильне`` is in over a quarter of the articles (and over 50 of them): it only ranks,
    # whether typed in Cyrillic or in Latin letters, and never makes a match alone
    rows = [{"id": f"a{i}", "title": f"Поради {i}", "text": "Правильне харчування дітей узимку."} for i in range(5)]
    rows += [{"id": f"b{i}", "title": f"Їдальня {i}", "text": "Харчування у школі стало дешевшим."} for i in range(3)]
    rows += [{"id": f"c{i:02d}", "title": f"Рішення {i}", "text": "Правильне рішення ухвалили."} for i in range(52)]
    eng = imported(tmp_path, rows)
    cyrillic = eng.search("правильне харчування", limit=100, snippets=False)
    latin = eng.search("pravylne kharchuvannia", limit=100, snippets=False)
    assert (cyrillic.total, cyrillic.matched_all) == (8, 8)
    assert (latin.total, latin.matched_all) == (8, 8)
    assert [h.id for h in latin.hits] == [h.id for h in cyrillic.hits]
    assert sorted(h.id for h in latin.hits[:5]) == [f"a{i}" for i in range(5)]  # both words first
    eng.close()



VERB_ARTICLES = [
    {"id": "says-it", "title": "Прощання",
     "text": "Мати довго стояла на порозі старої хати, дивилася на дорогу, на сад, на поле за річкою і "
             "нарешті сказала синам: їдьте обережно, пишіть листи щотижня і не забувайте рідного дому."},
    {"id": "other-forms", "title": "Дорога", "text": "Ми їхали полем, їхали лісом, їхали до ночі."},
    {"id": "weather", "title": "Погода", "text": "Погода була гарна, сонце світило."},
    {"id": "yard", "title": "Двір", "text": "Діти гралися у дворі до вечора."},
]


def test_a_verb_form_typed_finds_the_text_that_says_it_before_the_verbs_other_forms(tmp_path):
    # a verb form is a word of one sentence: ``їдьте`` asks for the text that says it, even
    # a long one, before a short text that says ``їхали`` three times
    eng = imported(tmp_path, VERB_ARTICLES)
    assert ids(eng.search("їдьте")) == ["says-it", "other-forms"]
    # the infinitive names the action, as its lemma does: no form of it is preferred
    assert ids(eng.search("їхати")) == ["other-forms", "says-it"]
    eng.close()
