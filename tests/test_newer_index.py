"""An index a newer searchkit made (a later analyzer or index format) is refused with one
line that says what to do, never rebuilt unasked nor written into; an older one is rebuilt
as before. The decision is one pure function both backends use."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchkit import Engine, IndexFromNewer, IndexStatus
from searchkit.backends.base import IndexMeta, status_of
from searchkit.cli import main

from .conftest import write_jsonl

ARTICLES = [
    {"id": "t1", "title": "Мовні табори", "text": "Діти їдуть у мовні табори влітку.", "source": "Вісті"},
    {"id": "t2", "title": "Міст", "text": "У Києві відкрили новий міст.", "source": "Вісті"},
]


def _meta_file(home: Path) -> Path:
    gen = (home / "index" / "CURRENT").read_text(encoding="utf-8").strip()
    return home / "index" / gen / "searchkit.json"


def _made_by(home: Path, **versions: str) -> None:
    """Mark the home's index as made with ``versions`` (``analyzer="11"``, ``format="5"``)."""
    path = _meta_file(home)
    path.write_text(json.dumps({**json.loads(path.read_text(encoding="utf-8")), **versions}), encoding="utf-8")


@pytest.fixture
def newer(tmp_path: Path) -> Path:
    """A home whose index a searchkit with the next analyzer made."""
    eng = Engine.init(tmp_path / "home")
    eng.import_paths([write_jsonl(tmp_path / "feed.jsonl", ARTICLES)])
    eng.close()
    meta = json.loads(_meta_file(tmp_path / "home").read_text(encoding="utf-8"))
    _made_by(tmp_path / "home", analyzer=str(int(meta["analyzer"]) + 1))
    return tmp_path / "home"


def _cli(home: Path, *args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, ["--home", str(home), *args])
    return r.exit_code, r.stdout, r.stderr


@pytest.mark.parametrize(
    ("recorded", "expected", "status"),
    [
        (IndexMeta("11", "4", ""), IndexMeta("10", "4", ""), IndexStatus.NEWER),
        (IndexMeta("10", "5", ""), IndexMeta("10", "4", ""), IndexStatus.NEWER),
        (IndexMeta("9", "5", ""), IndexMeta("10", "4", ""), IndexStatus.NEWER),  # any later part
        (IndexMeta("10", "4+os6", ""), IndexMeta("10", "4+os5", ""), IndexStatus.NEWER),  # the cluster's
        (IndexMeta("10", "5+os5", ""), IndexMeta("10", "4+os5", ""), IndexStatus.NEWER),
        (IndexMeta("10", "4", "2:0123456789abcdef"), IndexMeta("10", "4", "1:fedcba9876543210"), IndexStatus.NEWER),
        (IndexMeta("9", "4", ""), IndexMeta("10", "4", ""), IndexStatus.ANALYZER_CHANGED),
        (IndexMeta("10", "3", ""), IndexMeta("10", "4", ""), IndexStatus.FORMAT_CHANGED),
        (IndexMeta("10", "4+os4", ""), IndexMeta("10", "4+os5", ""), IndexStatus.FORMAT_CHANGED),
        (IndexMeta("10", "4", "1:0123456789abcdef"), IndexMeta("10", "4", ""), IndexStatus.LEXICON_CHANGED),
        (IndexMeta("test-new", "4", ""), IndexMeta("10", "4", ""), IndexStatus.ANALYZER_CHANGED),  # not numbers
        (IndexMeta("10", "4+os5", ""), IndexMeta("10", "4+os5", ""), IndexStatus.CURRENT),
    ],
)
def test_an_index_with_a_later_version_than_the_reader_knows_is_newer_older_ones_changed(
        recorded: IndexMeta, expected: IndexMeta, status: IndexStatus) -> None:
    assert status_of(recorded, expected) is status


def test_a_search_of_an_index_a_newer_searchkit_made_is_refused_and_the_index_kept(newer: Path) -> None:
    before = _meta_file(newer).read_text(encoding="utf-8")
    eng = Engine(newer)
    assert eng.index_state() is IndexStatus.NEWER
    with pytest.raises(IndexFromNewer, match=r"newer searchkit \(analyzer version \d+; this searchkit reads "
                                             r"analyzer version \d+\)") as e:
        eng.search("табори")
    assert "upgrade searchkit" in e.value.hint and "Engine.index(rebuild=True)" in e.value.hint
    eng.close()
    assert _meta_file(newer).read_text(encoding="utf-8") == before  # not rebuilt


def test_an_import_a_delete_and_an_update_of_an_index_a_newer_searchkit_made_are_refused_changing_nothing(
        newer: Path, tmp_path: Path) -> None:
    stored = sorted(p.name for p in (newer / "corpus").rglob("*.json"))
    before = _meta_file(newer).read_text(encoding="utf-8")
    eng = Engine(newer)
    feed = write_jsonl(tmp_path / "more.jsonl", [{"id": "t3", "title": "Дощ", "text": "Завтра дощ."}])
    with pytest.raises(IndexFromNewer):
        eng.import_paths([feed])
    with pytest.raises(IndexFromNewer):
        eng.index()
    with pytest.raises(IndexFromNewer):
        eng.delete_ids(["t1"])
    eng.close()
    assert sorted(p.name for p in (newer / "corpus").rglob("*.json")) == stored  # none stored, none deleted
    assert _meta_file(newer).read_text(encoding="utf-8") == before
    assert not (newer / ".searchkit.pending").exists()


def test_storing_without_indexing_and_an_asked_rebuild_work_on_an_index_a_newer_searchkit_made(
        newer: Path, tmp_path: Path) -> None:
    eng = Engine(newer)
    feed = write_jsonl(tmp_path / "more.jsonl", [{"id": "t3", "title": "Дощ", "text": "Завтра дощ."}])
    assert eng.import_paths([feed], index=False).added == 1
    eng.index(rebuild=True)
    assert eng.index_state() is IndexStatus.CURRENT
    assert sorted(h.id for h in eng.search("дощ OR табори").hits) == ["t1", "t3"]
    eng.close()


@pytest.mark.parametrize("args", [("search", "табори"), ("import", "FEED"), ("index",), ("stats",),
                                  ("delete", "t1")])
def test_the_command_line_refuses_an_index_a_newer_searchkit_made_in_one_line(newer: Path, tmp_path: Path,
                                                                               args: tuple[str, ...]) -> None:
    feed = write_jsonl(tmp_path / "more.jsonl", [{"id": "t3", "title": "Дощ", "text": "Завтра дощ."}])
    code, out, err = _cli(newer, *(str(feed) if a == "FEED" else a for a in args))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err and "Rebuilding" not in err
    assert err.startswith("Error: the index was made by a newer searchkit (analyzer version ")
    assert "upgrade searchkit" in err and "index --rebuild`" in err


def test_an_index_of_a_newer_format_is_refused_and_named_so(newer: Path) -> None:
    meta = json.loads(_meta_file(newer).read_text(encoding="utf-8"))
    _made_by(newer, analyzer=str(int(meta["analyzer"]) - 1), format=str(int(meta["format"]) + 1))
    code, _, err = _cli(newer, "search", "табори")
    assert code == 2
    assert f"(index format {int(meta['format']) + 1}; this searchkit reads index format {meta['format']})" in err


def test_an_index_an_older_searchkit_made_is_still_rebuilt_on_first_use(newer: Path) -> None:
    meta = json.loads(_meta_file(newer).read_text(encoding="utf-8"))
    _made_by(newer, analyzer=str(int(meta["analyzer"]) - 2))
    code, out, err = _cli(newer, "search", "табори")
    assert code == 0 and "Мовні табори" in out
    assert err == "Rebuilding the index: searchkit's analyzer changed.\n"
