"""What lifts the better matches: neighbouring words of an all-words query found side by
side or near each other, never the alternatives of an OR (they are not meant to meet)."""

from __future__ import annotations

import pytest

from searchkit import Engine

from .conftest import imported

ARTICLES = [
    {"id": "both", "title": "Ранок", "text": "Дід крикнув і крекнув, піднімаючи мішок з картоплею."},
    {"id": "one", "title": "Вечір", "text": "Сусід крикнув через паркан, що картопля вже зібрана."},
    {"id": "meteor", "title": "Знахідка", "text": "Науковці описали метеоритні метеорити, знайдені в пустелі."},
]


@pytest.fixture(scope="module")
def eng(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return imported(tmp_path_factory.mktemp("boosts"), ARTICLES)


def kinds(eng: Engine, query: str, article_id: str) -> set[str]:
    return {c.kind for c in eng.explain(query, article_id).contributions}


def test_words_that_must_all_match_are_lifted_side_by_side_and_near(eng: Engine) -> None:
    assert {"phrase", "near"} <= kinds(eng, "крикнув і крекнув", "both")


def test_the_alternatives_of_an_or_are_not_paired(eng: Engine) -> None:
    found = kinds(eng, "крикнув OR крекнув", "both")
    assert "lemma" in found
    assert not found & {"phrase", "near"}


def test_each_all_words_group_inside_an_or_is_paired_on_its_own(eng: Engine) -> None:
    found = kinds(eng, "(крикнув і крекнув) OR (сусід паркан)", "both")
    assert {"phrase", "near"} <= found
    res = eng.search("(крикнув і крекнув) OR (сусід паркан)")
    assert {h.id for h in res.hits} == {"both", "one"}


def test_a_word_whose_lemma_is_a_relative_of_another_query_word_still_pairs(eng: Engine) -> None:
    # ``метеоритний`` is a relative of ``метеорит`` and a word of its own here: its slot
    # in the side-by-side boost must keep it (an empty slot made the cluster refuse it)
    assert {"phrase", "near"} <= kinds(eng, "метеоритної метеорити", "meteor")
