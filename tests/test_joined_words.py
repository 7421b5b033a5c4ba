"""Two query words that are one word typed apart are searched as that word too."""

from __future__ import annotations

import pytest

from searchkit import Engine
from searchkit.query.resolve import compound_of
from searchkit.text.analysis import default_analyzer

from .conftest import imported

ARTICLES = [
    {"id": "one", "title": "Новий вебсайт громади", "text": "Громада запустила вебсайт із розкладом прийому."},
    {"id": "apart", "title": "Сайт школи", "text": "Учні зробили веб сторінку і сайт для батьків."},
    {"id": "site", "title": "Сайт оновили", "text": "Міський сайт оновили вчора."},
    {"id": "channel", "title": "Новини", "text": "Обласний телеканал показав сюжет про ремонт мосту."},
    {"id": "other", "title": "Погода", "text": "Завтра буде тепло і сонячно."},
]


@pytest.fixture(scope="module")
def eng(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return imported(tmp_path_factory.mktemp("joined"), ARTICLES)


def ids(res) -> list[str]:
    return [h.id for h in res.hits]


def test_two_words_typed_apart_find_the_article_that_writes_them_as_one(eng: Engine):
    res = eng.search("веб сайт")
    assert set(ids(res)[:2]) == {"one", "apart"} and res.matched_all == 2
    assert ids(eng.search("теле канал")) == ["channel"]


def test_an_article_holding_one_of_the_words_stays_a_partial_match(eng: Engine):
    res = eng.search("веб сайт")
    assert ids(res)[2:] == ["site"] and res.total == 3


def test_explain_lists_the_joined_word_under_both_words_typed(eng: Engine):
    words = eng.explain("веб сайт", "one").words
    assert [(w.text, w.searched_as) for w in words] == [("веб", ("вебсайт",)), ("сайт", ("вебсайт",))]


def test_an_exact_search_and_a_phrase_take_the_words_as_typed(eng: Engine):
    assert "one" not in ids(eng.search("веб сайт", exact=True))
    assert "one" not in ids(eng.search('"веб сайт"'))
    assert ids(eng.search("теле канал", exact=True)) == []


def test_the_words_in_one_field_only_join_in_that_field(eng: Engine):
    res = eng.search("title:веб title:сайт")  # (the others hold сайт in their titles: partial matches)
    assert ids(res)[0] == "one" and res.matched_all == 1
    assert eng.search("title:веб сайт").matched_all == 0


@pytest.mark.parametrize(
    ("first", "second", "held", "joined"),
    [("веб", "сайт", ["вебсайт"], "вебсайт"),
     ("веб", "сайти", ["вебсайт"], "вебсайти"),  # (another form of the word held)
     ("віце", "прем'єр", ["віце-прем'єр"], "віце-прем'єр"),
     ("віце", "прем'єр", ["прем'єр", "віце"], None),  # (its parts held apart are not the word)
     ("мовний", "табір", ["мовнийтабір"], None),  # (no word the dictionary knows)
     ("на", "пиши", ["напиши"], None),  # (a function word, and too short, is no part)
     ("веб", "сайт", [], None)],  # (no article holds it)
)
def test_only_a_word_the_dictionary_knows_and_the_archive_holds_is_joined(first: str, second: str, held: list[str],
                                                                        joined: str | None):
    assert compound_of(first, second, default_analyzer(), set(held).__contains__) == joined
