"""Hyphenated compounds: a compound is what it is as a whole. An article that holds all of
its parts apart is weaker evidence, one that holds one part alone none (``Харків-Київ`` is
no article on Kyiv alone); a compound no article holds and the dictionary does not know is
a misspelling, however many articles its parts find."""

from __future__ import annotations

import pytest

from searchkit import Engine

from .conftest import write_jsonl

ARTICLES = [
    {"id": "ex", "title": "Мемуари", "text": "Книжку спогадів видав експрезидента Франції помічник."},
    {"id": "president", "title": "Візит президента",
     "text": "Візит президента до Львова: президента зустріли студенти."},
    {"id": "apart", "title": "Лист", "text": "Лист від екс президента прийшов учора."},
    {"id": "kharkiv", "title": "Харків", "text": "У Харкові відкрили нову станцію метро."},
    {"id": "route", "title": "Потяг", "text": "Потяг з Харкова до Києва їхав шість годин повз пам'ятник."},
    {"id": "site-h", "title": "Запуск", "text": "Новий веб-сайт міста запрацював."},
    {"id": "site-j", "title": "Оновлення", "text": "Вебсайт бібліотеки оновили."},
    {"id": "site-a", "title": "Розробка", "text": "Веб розробники зробили сайт школи."},
    {"id": "anyone", "title": "Порада", "text": "Якщо заблукали, спитайте кого-небудь на вулиці."},
    {"id": "covid-19", "title": "Щеплення", "text": "Щеплення від COVID-19 почали в лютому."},
    {"id": "covid", "title": "Лікарні", "text": "Лікарні готуються до нової хвилі covid."},
    {"id": "covid-tests", "title": "Аптеки", "text": "В аптеках закінчилися COVID-тести."},
    *({"id": f"who{i}", "title": f"Розмова {i}", "text": f"Кого ти бачив учора біля школи номер {i}?"}
      for i in range(5)),
]


@pytest.fixture(scope="module")
def eng(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    root = tmp_path_factory.mktemp("compounds")
    e = Engine.init(root / "home")
    assert e.import_paths([write_jsonl(root / "feed.jsonl", ARTICLES)]).added == len(ARTICLES)
    return e


def test_the_compound_as_a_whole_ranks_above_its_parts_apart_and_one_part_alone_is_no_match(eng: Engine) -> None:
    res = eng.search("екс-президента", partial=False)
    assert [h.id for h in res.hits] == ["ex", "apart"]  # not "president": one part alone
    assert [h.id for h in eng.search("Харків-Київ").hits] == ["route"]  # not "kharkiv"


def test_a_compound_no_article_holds_is_corrected_as_a_whole(eng: Engine) -> None:
    res = eng.search("кого-небдь")
    assert res.corrected_query == "кого-небудь"
    assert res.hits[0].id == "anyone"
    # (``кого-небуть`` finds it through its parts, and the articles holding ``кого`` alone
    # are no match)
    assert [h.id for h in eng.search("кого-небуть").hits] == ["anyone"]


def test_exact_search_leaves_a_misspelt_compound_as_typed(eng: Engine) -> None:
    res = eng.search("кого-небуть", exact=True)
    assert res.corrected_query is None


def test_a_compound_joined_or_hyphenated_finds_the_same_articles(eng: Engine) -> None:
    joined, hyphenated = eng.search("вебсайт"), eng.search("веб-сайт")
    assert [h.id for h in joined.hits][2:] == [h.id for h in hyphenated.hits][2:] == ["site-a"]  # parts apart: last
    assert {h.id for h in joined.hits} == {h.id for h in hyphenated.hits} == {"site-h", "site-j", "site-a"}
    assert joined.matched_all == 3 and joined.near == ()  # the other spelling is no near spelling


@pytest.mark.parametrize("hyphen", ["-", "\u2011", "\u2010"])  # (a non-breaking hyphen, Unicode's hyphen)
def test_a_slip_in_one_part_of_a_compound_is_corrected_part_by_part(eng: Engine, hyphen: str) -> None:
    res = eng.search(f"Харків{hyphen}Києв")
    assert res.corrected_query == "Харків Києва"
    assert res.hits[0].id == "route" and res.matched_all == 1  # (then the partial matches)


@pytest.mark.parametrize("monument", ['пам"ятник', 'ПАМ"ЯТНИК', "пам”ятник"])
def test_a_quote_typed_for_the_apostrophe_leaves_a_slip_in_a_compound_corrected(eng: Engine, monument: str) -> None:
    # the quote is the apostrophe, not a phrase's start: nothing in the query stays as typed
    res = eng.search(f"{monument} Харків-Києв")
    assert res.corrected_query == f"{monument} Харків Києва"
    assert res.hits[0].id == "route" and res.matched_all == 1


def test_a_slip_in_a_compound_beside_a_quoted_phrase_is_left_as_typed(eng: Engine) -> None:
    for query in ('"шість годин" Харків-Києв', "«шість годин» Харків-Києв"):
        res = eng.search(query)
        assert res.corrected_query is None and not res.hits, query


def test_a_latin_compound_is_found_by_its_lettered_part(eng: Engine) -> None:
    # ``COVID`` finds ``COVID-19`` (as ``уран`` finds ``Уран-235``); the compound itself
    # ranks the article that writes it first, then the one with the part alone
    assert {h.id for h in eng.search("COVID").hits} == {"covid-19", "covid", "covid-tests"}
    ranked = [h.id for h in eng.search("COVID-19").hits]
    assert ranked[0] == "covid-19" and set(ranked[1:]) == {"covid", "covid-tests"}


def test_a_compound_of_a_latin_and_a_cyrillic_word_is_found_by_either_and_as_a_whole(eng: Engine) -> None:
    # its Latin look-alike letters stay Latin (``covid``, not ``соvіd``)
    assert eng.search("COVID-тести").hits[0].id == "covid-tests"
    assert "covid-tests" in {h.id for h in eng.search("тести").hits}
