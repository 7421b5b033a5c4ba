"""``+word`` (Lucene's "must"): every match holds the word, the partial matches too. The
articles holding every word still come first; after them come only the articles that hold
each ``+word`` and some of the others."""

from __future__ import annotations

import pytest

from searchkit import Engine
from searchkit.query.parse import And, Word, parse_query

from .conftest import imported

FILLER = ("погода", "футбол", "театр", "вибори", "дороги", "музей", "врожай", "концерт")
ARTICLES = [
    {"id": "all", "title": "Школа і мова", "text": "Школа вчить рідної мови, а дитина читає книжку."},
    {"id": "school-child", "title": "Перший дзвоник", "text": "Школа відчинила двері, і дитина прийшла на урок."},
    {"id": "language-child", "title": "Мовне питання", "text": "Мова єднає людей, а дитина вчить мову вдома."},
    {"id": "school-language", "title": "Про рідну мову", "text": "Мова жива, і школа її береже."},
    {"id": "child", "title": "Дозвілля", "text": "Дитина гуляє в парку з батьками."},
    # `новина` in 61 of 66 articles: so common that alone it only ranks (see ``weak_common``)
    *({"id": f"n{i:02d}", "title": f"Новина {i}", "text": f"Новина дня номер {i}: {FILLER[i % len(FILLER)]}."}
      for i in range(60)),
    {"id": "news-school", "title": "Шкільна новина", "text": "Новина: школа отримала нові парти."},
]


@pytest.fixture(scope="module")
def eng(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return imported(tmp_path_factory.mktemp("required"), ARTICLES)


def ids(res: object) -> set[str]:
    return {h.id for h in res.hits}  # type: ignore[attr-defined]


def test_a_plus_marks_a_word_required_and_says_nothing():
    parsed = parse_query("+школа мова дитина")
    assert parsed.root == And((Word("школа", required=True), Word("мова"), Word("дитина")))
    assert parsed.warnings == ()
    assert parse_query("title:+школа мова").root == And((Word("школа", "title", required=True), Word("мова")))


def test_every_partial_match_holds_the_required_word(eng: Engine) -> None:
    free = eng.search("школа мова дитина", limit=50, collapse=False, snippets=False)
    assert free.matched_all == 1 and ids(free) == {"all", "school-child", "language-child", "school-language",
                                                  "child", "news-school"}
    res = eng.search("+школа мова дитина", limit=50, collapse=False, snippets=False)
    assert res.hits[0].id == "all" and res.matched_all == 1
    assert ids(res) == {"all", "school-child", "school-language", "news-school"} and res.total == 4


def test_two_required_words_are_both_in_every_match(eng: Engine) -> None:
    res = eng.search("+школа +мова дитина", limit=50, collapse=False, snippets=False)
    assert [h.id for h in res.hits] == ["all", "school-language"] and (res.matched_all, res.total) == (1, 2)


def test_every_word_required_lists_only_the_articles_holding_them_all(eng: Engine) -> None:
    res = eng.search("+школа +мова +дитина", limit=50, collapse=False, snippets=False)
    assert [h.id for h in res.hits] == ["all"] and (res.matched_all, res.total) == (1, 1)


def test_a_required_word_no_article_holds_with_the_others_is_never_named_missing(eng: Engine) -> None:
    res = eng.search("+парк школа", limit=50, collapse=False, snippets=False)
    assert res.matched_all == 0 and [h.id for h in res.hits] == ["child"] and res.missing == ("школа",)


def test_a_required_common_word_decides_the_matches_instead_of_only_ranking(eng: Engine) -> None:
    # `новина` alone only ranks: the all-words matches are every article with `школа`
    assert eng.search("новина школа", limit=50, collapse=False, snippets=False).matched_all == 4
    res = eng.search("+новина школа", limit=50, collapse=False, snippets=False)
    assert [h.id for h in res.hits][:1] == ["news-school"] and res.matched_all == 1
    assert all(h.id == "news-school" or h.id.startswith("n") for h in res.hits)


def test_a_plus_inside_a_group_or_on_a_function_word_is_said_to_mark_nothing():
    parsed = parse_query("(+школа OR мова) дитина")
    assert all(not (isinstance(w, Word) and w.required) for w in parsed.root.items[0].items)  # type: ignore[union-attr]
    assert parsed.warnings == ("searched '+школа' as 'школа': + makes a word required only among the query's "
                               "own words, not inside brackets, OR or -",)
    parsed = parse_query("+в школі")
    assert parsed.root == And((Word("в"), Word("школі")))
    assert parsed.warnings == ("searched '+в' as 'в': a function word only ranks beside the other words, + cannot "
                               "make it required",)


def test_a_plus_before_a_bracket_is_said_to_mark_nothing(eng: Engine) -> None:
    # (read as a mark standing alone, it was dropped unsaid, and the group not required)
    parsed = parse_query("+(школа OR мова) дитина")
    assert parsed.warnings == ("ignored the + before '(…)': + requires a word, not a group (write it before a word "
                               "outside the brackets)",)
    res = eng.search("+(школа OR мова) дитина")
    assert res.warnings == parsed.warnings and res.total == eng.search("(школа OR мова) дитина").total


def test_a_plus_and_a_minus_behind_a_field_require_the_word_there_as_without_the_field(eng: Engine) -> None:
    # (`title:+-мова` was searched as an optional word, unsaid: `школа` alone was a match)
    plain = eng.search("title:+мова школа", limit=50, collapse=False, snippets=False)
    res = eng.search("title:+-мова школа", limit=50, collapse=False, snippets=False)
    assert ids(res) == ids(plain) == {"all", "school-language"}  # (`мову` in its title)
    assert res.warnings == ("searched 'title:+-мова' as 'title:+мова': a word is required (+) or left out (-), "
                            "not both; to leave it out, write -title:мова",)


def test_an_exact_or_all_words_search_with_a_plus_is_the_all_words_search(eng: Engine) -> None:
    for kw in ({"partial": False}, {"exact": True}):
        res = eng.search("+школа мова дитина", collapse=False, snippets=False, **kw)  # type: ignore[arg-type]
        assert [h.id for h in res.hits] == ["all"] and res.total == 1


def test_explain_names_a_required_word_s_role(eng: Engine) -> None:
    ex = eng.explain("+школа мова дитина", "all")
    assert {w.text: w.role for w in ex.words} == {"школа": "required", "мова": "word", "дитина": "word"}


def test_a_required_word_alone_lists_no_near_spellings(tmp_path) -> None:
    eng = imported(tmp_path, [{"id": "k1", "title": "Ставок", "text": "Старий крекнув і сів на лаву біля ставка."},
                              {"id": "k2", "title": "Двір", "text": "Хлопець крикнув через увесь двір."}])
    assert eng.search("крекнув", snippets=False).near == ("крикнув",)
    res = eng.search("+крекнув", snippets=False)
    assert [h.id for h in res.hits] == ["k1"] and res.near == ()
