"""searchkit's errors survive pickling, as a process pool sends a worker's exception to its
parent: the parent gets the same class, message, hint and fields, not a broken pool."""

from __future__ import annotations

import pickle
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from searchkit import (
    ArticleDamaged,
    DeleteInterrupted,
    Engine,
    ImportInterrupted,
    IndexInterrupted,
    LexiconError,
    QueryError,
)

from .conftest import ARTICLES, imported


def _across(error: BaseException) -> BaseException:
    return pickle.loads(pickle.dumps(error))


def test_an_article_file_error_from_get_unpickles_with_its_path_and_hint(tmp_path: Path) -> None:
    eng = imported(tmp_path, ARTICLES)
    next((tmp_path / "home" / "corpus").rglob("a2.json")).write_text("{пошкоджено", encoding="utf-8")
    with pytest.raises(ArticleDamaged) as raised:
        eng.get("a2")
    back = _across(raised.value)
    assert type(back) is ArticleDamaged
    assert (str(back), back.hint, back.path, back.line) == (str(raised.value), raised.value.hint,
                                                             raised.value.path, None)


def test_a_lexicon_error_from_search_unpickles_with_its_line(tmp_path: Path) -> None:
    eng = imported(tmp_path, ARTICLES)
    eng.lexicon_path.write_text("табори -> \n", encoding="utf-8")
    with pytest.raises(LexiconError) as raised:
        eng.search("табори")
    back = _across(raised.value)
    assert type(back) is LexiconError and str(back) == str(raised.value) and back.line == 1


def test_a_query_error_keeps_the_argument_it_blames(home: Path) -> None:
    with pytest.raises(QueryError) as raised:
        Engine(home).search("табори", since="2016-13-01")
    back = _across(raised.value)
    assert isinstance(back, QueryError) and (str(back), back.field) == (str(raised.value), "since")


@pytest.mark.parametrize("error", [ImportInterrupted(3, 2, 1), IndexInterrupted(rebuild=False, answers=True, behind=4),
                                   DeleteInterrupted(5, 6)], ids=type)
def test_an_interruption_unpickles_with_its_counts(error: KeyboardInterrupt) -> None:
    back = _across(error)
    assert type(back) is type(error) and str(back) == str(error) and vars(back) == vars(error)


def _search(home: str) -> int:
    return Engine(home).search("табори").total


def test_a_process_pool_hands_a_workers_searchkit_error_to_the_caller(tmp_path: Path) -> None:
    eng = imported(tmp_path, ARTICLES)
    eng.lexicon_path.write_text("табори -> \n", encoding="utf-8")
    with ProcessPoolExecutor(1) as pool, pytest.raises(LexiconError, match="no lemma after"):
        pool.submit(_search, str(eng.home)).result()
