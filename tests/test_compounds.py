"""Hyphenated compounds: a compound is what it is as a whole. Its parts are searchable on
their own, as weaker evidence; a compound no article holds and the dictionary does not
know is a misspelling, however many articles its parts find."""

from __future__ import annotations

import pytest

from searchkit import Engine

from .conftest import write_jsonl

ARTICLES = [
    {"id": "ex", "title": "Мемуари", "text": "Книжку спогадів видав експрезидента Франції помічник."},
    {"id": "president", "title": "Візит президента",
     "text": "Візит президента до Львова: президента зустріли студенти."},
    {"id": "anyone", "title": "Порада", "text": "Якщо заблукали, спитайте кого-небудь на вулиці."},
    *({"id": f"who{i}", "title": f"Розмова {i}", "text": f"Кого ти бачив учора біля школи номер {i}?"}
      for i in range(5)),
]


@pytest.fixture(scope="module")
def eng(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    root = tmp_path_factory.mktemp("compounds")
    e = Engine.init(root / "home")
    assert e.import_paths([write_jsonl(root / "feed.jsonl", ARTICLES)]).added == len(ARTICLES)
    return e


def test_the_compound_as_a_whole_ranks_above_a_part_alone(eng: Engine) -> None:
    res = eng.search("екс-президента", partial=False)
    assert [h.id for h in res.hits] == ["ex", "president"]  # the part still finds, after


def test_a_compound_no_article_holds_is_corrected_as_a_whole(eng: Engine) -> None:
    res = eng.search("кого-небуть")
    assert res.corrected_query == "кого-небудь"
    assert res.hits[0].id == "anyone"


def test_exact_search_leaves_a_misspelt_compound_as_typed(eng: Engine) -> None:
    res = eng.search("кого-небуть", exact=True)
    assert res.corrected_query is None
