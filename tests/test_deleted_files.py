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


def _groups_file(eng: Engine) -> Path:
    current = (eng.home / "index" / "CURRENT").read_text().strip()
    return eng.home / "index" / current / "duplicates.json"


def test_groups_a_killed_writer_did_not_save_are_said_and_saved_by_the_next_index(eng: Engine) -> None:
    folded = [(h.id, h.duplicates) for h in eng.search("відновлення мостів").hits]
    _groups_file(eng).unlink()  # killed after its commit, before it saved the groups
    again = Engine(eng.home)
    res = again.search("відновлення мостів")
    assert [(h.id, h.duplicates) for h in res.hits] == folded  # worked out meanwhile
    assert any("near-duplicate groups" in w for w in res.warnings)
    st = again.stats()
    assert not st.index_up_to_date and "near-duplicate groups" in (st.index_outdated_reason or "")
    again.index()  # nothing to add: the groups are saved all the same
    assert _groups_file(eng).is_file()
    fresh = Engine(eng.home)
    assert fresh.stats().index_up_to_date and not fresh.search("відновлення мостів").warnings


def test_a_commit_whose_groups_are_not_saved_yet_uses_the_last_saved_ones(eng: Engine, monkeypatch) -> None:
    import json

    from searchkit.backends.whoosh import sigcolumn

    def too_slow(*args: object) -> None:
        raise AssertionError("a search grouped every article itself")

    monkeypatch.setattr(sigcolumn, "group_all", too_slow)
    path = _groups_file(eng)
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**data, "generation": data["generation"] - 1}), encoding="utf-8")
    res = Engine(eng.home).search("відновлення мостів")  # an import in another process just committed
    assert res.hits[0].duplicates and any("near-duplicate groups" in w for w in res.warnings)


def test_a_rebuild_stopped_while_grouping_leaves_the_last_index_live_with_its_groups(eng: Engine,
                                                                                     monkeypatch) -> None:
    from searchkit.backends.whoosh import sigcolumn

    folded = [(h.id, h.duplicates) for h in eng.search("відновлення мостів").hits]
    live = (eng.home / "index" / "CURRENT").read_text()
    saved = _groups_file(eng).read_text(encoding="utf-8")

    def ctrl_c(*args: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(sigcolumn, "group_all", ctrl_c)  # Ctrl-C while the new index is grouped
        with pytest.raises(KeyboardInterrupt):
            eng.index(rebuild=True)
        # the last good generation is still the live one, its groups saved: no search
        # groups every article itself (they took 19 s a search on a big archive)
        assert (eng.home / "index" / "CURRENT").read_text() == live
        assert _groups_file(eng).read_text(encoding="utf-8") == saved
        m.setattr(sigcolumn, "group_all", lambda *a: pytest.fail("a search grouped every article itself"))
        for reader in (eng, Engine(eng.home)):
            res = reader.search("відновлення мостів")
            assert [(h.id, h.duplicates) for h in res.hits] == folded and not res.warnings
            assert reader.stats().index_up_to_date
    assert sorted(p.name for p in (eng.home / "index").iterdir()) == ["CURRENT", live.strip()]
    eng.index(rebuild=True)
    assert [(h.id, h.duplicates) for h in Engine(eng.home).search("відновлення мостів").hits] == folded
