"""A home's alias on the cluster is its own: one that names another home's index, or an
index searchkit did not make, is refused by every command before anything is written to
the cluster (a stub cluster; tests/test_opensearch.py has the same on a real one)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchkit import Engine, IndexTaken
from searchkit.cli import main

from .test_cluster_answers import LIVE, URL, StubCluster

opensearchpy = pytest.importorskip("opensearchpy")

ANOTHER_HOME = "0123456789abcdef0123456789abcdef"
STORY = {"id": "k1", "title": "Новий міст", "text": "У місті відкрили новий міст через річку."}


@pytest.fixture
def stub(monkeypatch: pytest.MonkeyPatch) -> StubCluster:
    """Every client of the cluster is this stub (its index behind the alias ``news``)."""
    cluster = StubCluster()
    monkeypatch.setattr(opensearchpy, "OpenSearch", cluster)
    return cluster


def _run(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(main, list(args))
    return res.exit_code, res.stderr


def _one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "Traceback" not in err
    return lines[0]


def test_init_refuses_an_alias_whose_index_another_home_built(stub: StubCluster, tmp_path: Path) -> None:
    stub.meta["searchkit"]["home"] = ANOTHER_HOME
    code, err = _run("--url", URL, "init", str(tmp_path / "desk"))
    assert code == 2
    line = _one_error_line(err)
    assert "the index 'news' on the cluster belongs to another searchkit home" in line
    assert "give this home an alias of its own" in line


def test_init_makes_no_home_on_an_alias_another_home_holds(stub: StubCluster, tmp_path: Path) -> None:
    stub.meta["searchkit"]["home"] = ANOTHER_HOME
    res = CliRunner().invoke(main, ["--url", URL, "init", str(tmp_path / "desk")])
    assert res.exit_code == 2
    assert "Created" not in res.output  # (it was said, then refused, and the home left on that alias)
    assert "no home was made" in _one_error_line(res.stderr)
    assert not (tmp_path / "desk").exists()  # so the advised `init HOME` on an alias of its own makes it
    with pytest.raises(IndexTaken):
        Engine.init(tmp_path / "desk", url=URL)
    assert not (tmp_path / "desk").exists()


def test_init_into_an_existing_folder_on_a_taken_alias_leaves_the_folder_as_it_was(
        stub: StubCluster, tmp_path: Path) -> None:
    folder = tmp_path / "desk"
    folder.mkdir()
    (folder / "notes.txt").write_text("мої нотатки", encoding="utf-8")
    stub.meta["searchkit"]["home"] = ANOTHER_HOME
    code, _ = _run("--url", URL, "init", str(folder))
    assert code == 2
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]


def test_every_command_refuses_another_homes_index_and_the_import_stores_nothing(
        stub: StubCluster, tmp_path: Path) -> None:
    home = tmp_path / "desk"
    Engine.init(home).close()  # an embedded home, then moved by hand to a taken alias
    (home / "searchkit.toml").write_text(f'[index]\nbackend = "opensearch"\nurl = "{URL}"\n', encoding="utf-8")
    stub.meta["searchkit"]["home"] = ANOTHER_HOME
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps(STORY, ensure_ascii=False) + "\n", encoding="utf-8")
    for args in (["import", str(feed)], ["index"], ["index", "--rebuild"], ["search", "міст"], ["stats"]):
        code, err = _run("--home", str(home), *args)
        assert code == 2, args
        assert "belongs to another searchkit home" in _one_error_line(err), args
    with Engine(home, backend="whoosh") as eng:  # (a reader of corpus/ alone)
        assert eng.corpus.count() == 0  # refused before storing: the feed goes whole to an alias of its own


def test_moving_a_home_to_another_homes_alias_leaves_its_settings(stub: StubCluster, tmp_path: Path) -> None:
    home = tmp_path / "desk"
    Engine.init(home).close()
    stub.meta["searchkit"]["home"] = ANOTHER_HOME
    code, err = _run("--url", URL, "init", str(home))
    assert code == 2 and "its index settings were not changed" in _one_error_line(err)
    assert not (home / "searchkit.toml").exists()


def test_a_copy_of_the_home_that_built_the_index_shares_it(stub: StubCluster, tmp_path: Path) -> None:
    home = tmp_path / "desk"
    Engine.init(home).close()
    stub.meta["searchkit"]["home"] = (home / ".searchkit-id").read_text(encoding="ascii").strip()
    res = CliRunner().invoke(main, ["--url", URL, "init", str(home)])
    assert res.exit_code == 0 and "its index is now" in res.output
    with Engine(home) as eng:
        assert eng.search("міст").total == 0  # (the stub's index is empty: it answered)


def test_an_alias_naming_an_index_searchkit_did_not_make_is_refused(
        stub: StubCluster, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(stub, "get_alias", lambda **kw: {"logs-2026": {"aliases": {"news": {}}}, LIVE: {}})
    code, err = _run("--url", URL, "init", str(tmp_path / "desk"))
    assert code == 2
    assert "the alias 'news' on the cluster names 'logs-2026', an index searchkit did not make for it" in \
        _one_error_line(err)
    assert not (tmp_path / "desk").exists()


# -- an index an older searchkit built, which records no home ---------------------------------


def _home_with_the_story(path: Path, feed: Path) -> Path:
    """A home holding STORY in its corpus/, then moved to the stub's alias."""
    with Engine.init(path, backend="whoosh") as eng:
        eng.import_paths([feed])
    (path / "searchkit.toml").write_text(f'[index]\nbackend = "opensearch"\nurl = "{URL}"\n', encoding="utf-8")
    return path


def _index_built_from(stub: StubCluster, home: Path) -> None:
    """The stub's index as an older searchkit left it: no home recorded, and documents
    that keep the stamps of ``home``'s files."""
    from searchkit.store.corpus import Corpus

    from .test_cluster_answers import _answer

    stub.meta["searchkit"].pop("home", None)
    files = list(Corpus(home / "corpus").scan())
    hits = [{"_id": f.relpath, "fields": {"path": [f.relpath], "stamp": [f.stamp + "+0123"]}} for f in files]

    def reads(body: dict | None) -> dict:
        res = _answer(body)
        if body and "docvalue_fields" in body:
            res["hits"] = {"total": {"value": len(hits), "relation": "eq"}, "hits": hits}
        return res

    stub.reads = reads


def _feed(tmp_path: Path) -> Path:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps(STORY, ensure_ascii=False) + "\n", encoding="utf-8")
    return feed


def test_an_index_an_older_searchkit_built_from_this_homes_files_becomes_this_homes(
        stub: StubCluster, tmp_path: Path) -> None:
    home = _home_with_the_story(tmp_path / "desk", _feed(tmp_path))
    _index_built_from(stub, home)
    with Engine(home) as eng:
        assert eng.search("міст").total == 0  # (the stub's index answers no hit: it answered)
    assert stub.meta["searchkit"]["home"] == (home / ".searchkit-id").read_text(encoding="ascii").strip()
    assert stub.meta["searchkit"]["analyzer"]  # (the rest of what the index records is kept)


def test_an_index_an_older_searchkit_built_from_another_homes_files_is_refused_naming_it(
        stub: StubCluster, tmp_path: Path) -> None:
    feed = _feed(tmp_path)
    builder = _home_with_the_story(tmp_path / "first", feed)
    desk = _home_with_the_story(tmp_path / "desk", feed)  # the same article, imported into files of its own
    _index_built_from(stub, builder)
    more = tmp_path / "more.jsonl"
    more.write_text(json.dumps({**STORY, "id": "k2"}, ensure_ascii=False) + "\n", encoding="utf-8")
    for args in (["import", str(more)], ["index"], ["index", "--rebuild"], ["search", "міст"], ["stats"]):
        code, err = _run("--home", str(desk), *args)
        assert code == 2, args
        line = _one_error_line(err)
        assert (f"the index '{LIVE}' behind the alias 'news' was built by an older searchkit, which did not "
                "record its home, and this home's files do not match its articles (0 of 1 looked at)") in line, args
        assert "give this home an alias of its own" in line, args
    assert "home" not in stub.meta["searchkit"]  # claimed by no one: the home that built it still can
    with Engine(desk, backend="whoosh") as eng:
        assert eng.corpus.count() == 1  # refused before storing
    with Engine(builder) as eng:
        assert eng.search("міст").total == 0
    assert stub.meta["searchkit"]["home"] == (builder / ".searchkit-id").read_text(encoding="ascii").strip()
