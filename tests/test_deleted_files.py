"""An article file deleted from ``corpus/`` by hand, before ``searchkit index`` catches up:
the article is not found, its near-duplicate stands for the story, nothing crashes."""

from __future__ import annotations

from pathlib import Path

import pytest

from searchkit import Engine
from searchkit.errors import ArticleNotFound

from .conftest import imported
from .test_duplicates import ARTICLES


@pytest.fixture
def eng(tmp_path: Path) -> Engine:
    return imported(tmp_path, ARTICLES)


def _delete_file(eng: Engine, article_id: str) -> None:
    hit = next(h for h in eng.search("мости Харківщині", collapse=False).hits if h.id == article_id)
    (eng.home / hit.path).unlink()


def test_an_article_whose_file_is_gone_is_not_found(eng: Engine) -> None:
    _delete_file(eng, "copy")
    with pytest.raises(ArticleNotFound, match="copy"):
        eng.get("copy")


def test_a_near_duplicate_stands_for_a_hit_whose_file_is_gone(eng: Engine) -> None:
    before = eng.search("відновлення мостів")
    shown = before.hits[0]
    assert shown.duplicates, "the story and its copy are one hit"
    _delete_file(eng, shown.id)
    res = eng.search("відновлення мостів")
    assert res.hits[0].id == shown.duplicates[0] and shown.id not in {h.id for h in res.hits}
    assert res.total == before.total and res.matched == before.matched - 1
    assert res.hits[0].snippet.text  # read from its own file
    assert any("deleted from corpus/" in w for w in res.warnings)


def test_a_hit_without_copies_whose_file_is_gone_is_left_out(eng: Engine) -> None:
    before = eng.search("кубок")
    assert [h.id for h in before.hits] == ["other"]
    (eng.home / before.hits[0].path).unlink()
    res = eng.search("кубок")
    assert res.hits == () and res.total == 0 and res.matched == 0
