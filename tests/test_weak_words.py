"""Words in a large share of the archive only rank, as function words do: ``перша`` in
``перша медична допомога`` does not hide the articles about first aid that never say it."""

from __future__ import annotations

import pytest

from searchkit import Engine

from .conftest import imported

COMMON = "Перша зустріч відбулася в понеділок, і перша ж розмова була про погоду."
ARTICLES = (
    [{"id": f"c{i:02d}", "title": f"Зустріч {i}", "text": f"{COMMON} Учасників було {i + 3}."} for i in range(60)]
    + [{"id": f"o{i:02d}", "title": f"Огляд {i}", "text": f"Місто готується до зими, вулиці прибрано {i} раз."}
       for i in range(20)]
    + [
        {"id": "aid-first", "title": "Перша медична допомога",
         "text": "Перша медична допомога рятує життя: курси для водіїв."},
        {"id": "aid-course", "title": "Курси для волонтерів",
         "text": "Волонтери вчаться надавати медичну допомогу пораненим на полі бою."},
        {"id": "aid-kit", "title": "Аптечка", "text": "Що має бути в аптечці, щоб надати медичну допомогу вдома."},
    ]
)


@pytest.fixture(scope="module")
def eng(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return imported(tmp_path_factory.mktemp("weak"), ARTICLES)


def test_a_word_in_most_articles_ranks_but_does_not_filter(eng: Engine) -> None:
    res = eng.search("перша медична допомога")
    ids = [h.id for h in res.hits]
    assert ids[0] == "aid-first"  # the article with every word still ranks first
    assert set(ids[1:3]) == {"aid-course", "aid-kit"} and res.matched_all == 3


def test_exact_search_requires_the_common_word_too(eng: Engine) -> None:
    res = eng.search("перша медична допомога", exact=True)
    assert [h.id for h in res.hits] == ["aid-first"] and res.matched_all == 1


def test_a_query_of_common_words_only_requires_them_all(eng: Engine) -> None:
    res = eng.search("перша зустріч", partial=False, collapse=False)
    assert res.total == 60


# `розвиток` in 56 of 205 articles (27 %): over a quarter of the archive, a general word
HEAD_NOUN = (
    [{"id": f"r{i:02d}", "title": f"Звіт {i}", "text": f"Розвиток галузі номер {i} триває за планом."}
     for i in range(55)]
    + [{"id": f"n{i:03d}", "title": f"Новина {i}", "text": f"У місті відкрили сквер номер {i} біля ринку."}
       for i in range(146)]
    + [
        {"id": "biz-all", "title": "Розвиток малого бізнесу", "text": "Програма розвитку малого бізнесу в громаді."},
        {"id": "biz-loans", "title": "Кредити для малого бізнесу",
         "text": "Малий бізнес отримає пільгові кредити, а підприємці малого бізнесу менше звітів."},
        {"id": "biz-tax", "title": "Податки для підприємців", "text": "Для малого бізнесу спростили податки."},
        {"id": "big-biz", "title": "Великий бізнес", "text": "Великий бізнес інвестує в заводи."},
    ]
)


@pytest.fixture(scope="module")
def heads(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return imported(tmp_path_factory.mktemp("heads"), HEAD_NOUN)


def test_a_general_word_in_over_a_quarter_of_the_archive_does_not_filter_a_subject(heads: Engine) -> None:
    res = heads.search("розвиток малого бізнесу", collapse=False)
    ids = [h.id for h in res.hits]
    assert ids[0] == "biz-all"  # the text with every word still ranks first
    assert set(ids[1:3]) == {"biz-loans", "biz-tax"} and res.matched_all == 3  # small business, no `розвиток`
    assert "big-biz" in ids[3:]  # a partial match: it lacks `малий`


def test_explain_says_which_words_only_rank(eng: Engine) -> None:
    ex = eng.explain("про перша медична допомога", "aid-course")
    assert {w.text: w.role for w in ex.words} == {"про": "ranks", "перша": "ranks", "медична": "word",
                                                   "допомога": "word"}
    assert ex.matches_query and "перша" in ex.missing  # not in the article, and it matches all the same
    exact = eng.explain("перша медична допомога", "aid-course", exact=True)
    assert {w.text: w.role for w in exact.words}["перша"] == "word" and not exact.matches_query


def test_a_word_common_in_bodies_but_rare_in_titles_filters_when_searched_in_titles(eng: Engine) -> None:
    # `перша` is in 61 of 83 bodies but one title: searched in titles it decides the matches
    res = eng.search("title:перша допомога", partial=False)
    assert [h.id for h in res.hits] == ["aid-first"] and res.matched_all == 1
