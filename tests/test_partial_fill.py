"""A first page is not left short while the archive holds articles with a query's commoner
word: a word in over 5 % of the archive makes no partial match on its own, unless the
all-words matches and the rarer words' partial ones are fewer than a page and the word is
in at most 10 % of the archive."""

from __future__ import annotations

import pytest

from searchkit import Engine

from .conftest import imported

TOPICS = ("погода", "футбол", "театр", "вибори", "дороги", "музей", "врожай")
ARTICLES = (
    # `фінансовий` in 62 of 635 articles (10 %): too common to make a partial match alone,
    # not too common to fill a page
    [{"id": f"fin{i:02d}", "title": f"Фінансовий звіт {i}",
      "text": f"Фінансовий результат підприємства номер {i} за квартал: виручка {i * 7} тисяч."}
     for i in range(60)]
    + [{"id": f"oth{i:03d}", "title": f"Новина {i}",
        "text": f"Сьогодні про {TOPICS[i % len(TOPICS)]}: подія номер {i} в області."} for i in range(560)]
    # `освіта` in 12 articles: with them the rarer words fill a page
    + [{"id": f"edu{i:02d}", "title": f"Освіта {i}", "text": f"Освіта в громаді номер {i}: нові класи."}
       for i in range(12)]
    + [
        {"id": "both", "title": "Фінансова грамотність для школярів",
         "text": "Уроки фінансової грамотності: як вести бюджет і заощаджувати."},
        {"id": "literacy", "title": "Грамотність населення", "text": "Грамотність дорослих зросла за десять років."},
        {"id": "money", "title": "Фінансові поради пенсіонерам",
         "text": "Фінансовий резерв, фінансовий план і фінансові цілі: як заощадити на пенсії."},
    ]
)


@pytest.fixture(scope="module")
def eng(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return imported(tmp_path_factory.mktemp("fill"), ARTICLES)


def test_a_short_page_lists_the_articles_holding_only_the_commoner_word_after_the_rarer_words(eng: Engine) -> None:
    res = eng.search("фінансова грамотність", limit=100, collapse=False, snippets=False)
    ids = [h.id for h in res.hits]
    assert res.matched_all == 1 and res.total == 1 + 1 + 61  # all the words, `грамотність`, `фінансовий` alone
    # the rarer word's partial match first, then the filling word's, the text on money
    # that never says `грамотність` (saying `фінансовий` most) first among them
    assert ids[:3] == ["both", "literacy", "money"]
    assert set(ids[3:]) == {f"fin{i:02d}" for i in range(60)}


def test_a_page_the_rarer_words_fill_lists_no_article_holding_only_the_commoner_word(eng: Engine) -> None:
    res = eng.search("фінансова освіта", limit=100, collapse=False, snippets=False)
    assert res.matched_all == 0 and res.total == 12
    assert {h.id for h in res.hits} == {f"edu{i:02d}" for i in range(12)}


def test_the_all_words_search_stays_strict(eng: Engine) -> None:
    for kw in ({"partial": False}, {"exact": True}):
        res = eng.search("фінансова грамотність", collapse=False, snippets=False, **kw)  # type: ignore[arg-type]
        assert [h.id for h in res.hits] == ["both"] and res.total == 1


def test_a_word_in_over_a_tenth_of_the_archive_does_not_fill_a_short_page(eng: Engine) -> None:
    # `погода` is in 80 of the 635 articles (13 %): listing them all would cost as much as
    # searching for it alone, and they say nothing of `грамотність`
    res = eng.search("погода грамотність", limit=100, collapse=False, snippets=False)
    assert res.matched_all == 0 and {h.id for h in res.hits} == {"both", "literacy"}


def test_a_word_in_more_articles_than_the_fill_allows_does_not_fill_a_short_page(
        eng: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    # in a big archive 10 % is many articles: scoring every one of them would be slow
    import searchkit.query.resolve as resolve

    monkeypatch.setattr(resolve, "FILL_MOST", 50)  # `фінансовий` is in 62
    res = eng.search("фінансова грамотність", limit=100, collapse=False, snippets=False)
    assert {h.id for h in res.hits} == {"both", "literacy"}


def test_a_word_no_article_holds_beside_only_common_words_is_said_not_a_bare_no_match(eng: Engine) -> None:
    # `подія` is in 560 of 635 articles: too common to list the articles holding it alone
    res = eng.search("подія таймлайн")
    assert res.total == 0
    assert any("search without таймлайн to see them" in w for w in res.warnings)
    rare = eng.search("грамотність таймлайн")  # a rarer word lists its articles instead
    assert rare.total == 2 and not any("search without" in w for w in rare.warnings)


def test_a_word_of_several_parts_that_blocks_partial_matches_is_said(tmp_path) -> None:
    eng = imported(tmp_path, [{"id": "food", "text": "Харчування в таборі тричі на день."},
                              {"id": "shop", "text": "Магазин працює 24/7 без вихідних."}])
    res = eng.search("харчування 24/7")
    assert res.total == 0
    assert any("'24/7' is searched as its parts side by side" in w for w in res.warnings)
    spaced = eng.search("харчування 24 7")
    assert {h.id for h in spaced.hits} == {"food", "shop"} and spaced.matched_all == 0
    assert not any("side by side" in w for w in eng.search("харчування").warnings)
    # a lone word of parts that finds nothing says so too, never a silent no-match
    alone = eng.search("таборі.магазин")
    assert alone.total == 0
    assert any("'таборі.магазин' is searched as its parts side by side" in w for w in alone.warnings)


def test_a_prefix_or_fuzzy_word_that_blocks_partial_matches_is_said(tmp_path) -> None:
    eng = imported(tmp_path, [{"id": "food", "text": "Харчування в таборі тричі на день."},
                              {"id": "shop", "text": "Магазин працює без вихідних."}])
    for query, shown in (("харчуванн~ магазин", "харчуванн~"), ("харч* магазин", "харч*")):
        res = eng.search(query)
        assert res.total == 0
        assert any(f"a query with a prefix or fuzzy word ({shown}) lists no articles with only some" in w
                   for w in res.warnings), query
    plain = eng.search("харчування магазин")
    assert plain.total == 2 and not any("prefix or fuzzy" in w for w in plain.warnings)


@pytest.mark.parametrize("query", ["погода – футбол", "погода — футбол", "погода футбол ?", "погода || футбол"])
def test_a_mark_standing_alone_between_common_words_keeps_their_partial_matches(eng: Engine, query: str) -> None:
    # `погода` and `футбол` are each in 80 of the 635 articles and never together: a dash
    # or mark between them (as a pasted headline has) counted as a word no article holds,
    # and the search found nothing
    plain = eng.search("погода футбол", limit=200, snippets=False)
    res = eng.search(query, limit=200, snippets=False)
    assert res.total == plain.total == 160
    assert [h.id for h in res.hits] == [h.id for h in plain.hits]
