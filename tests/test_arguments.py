"""What a library user or a script hands searchkit by mistake gets an error that names it:
a wrong type says which argument (not "the index is damaged"), an empty path, a closed
standard input, an impossible day, a saved search with a source that is not text."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchkit import Engine
from searchkit.cli import main
from searchkit.errors import QueryError, SearchkitError

from .conftest import write_jsonl


@pytest.mark.parametrize(("call", "message"), [
    (lambda home: Engine(home, url=5), "url must be a str or None, not int"),  # (an AttributeError: no split)
    (lambda home: Engine.init(home / "new", url=5), "url must be a str or None, not int"),
    (lambda home: Engine(os.fsencode(home)), "home must be a str or an os.PathLike, not bytes"),
    (lambda home: Engine.init(5), "home must be a str or an os.PathLike, not int"),
])
def test_a_wrong_type_of_where_the_engine_is_names_it(home: Path, call, message: str) -> None:
    with pytest.raises(TypeError) as err:
        call(home)
    assert str(err.value) == message and not (home / "new").exists()


@pytest.mark.parametrize(("call", "message"), [
    (lambda e: e.search(None), "query must be a str, not NoneType"),
    (lambda e: e.search(b"\xd0\x9a"), "query must be a str, not bytes"),
    (lambda e: e.search("табори", limit=2.5), "limit must be an int, not float"),
    (lambda e: e.search("табори", limit=True), "limit must be an int, not bool"),
    (lambda e: e.search("табори", page=None), "page must be an int, not NoneType"),
    (lambda e: e.search("табори", source=5), "source must be a str or None, not int"),
    (lambda e: e.search("табори", source=["x"]), "source must be a str or None, not list"),
    (lambda e: e.search("табори", since=2022), "since must be a datetime.date, a str or None, not int"),
    (lambda e: e.search("табори", today="2022-01-01"), "today must be a datetime.date or None, not str"),
    (lambda e: e.search("табори", facets=None), "facets must be a str or an iterable of str, not NoneType"),
    (lambda e: e.search("табори", facets=[5]), "facets must be a str or an iterable of str, not one holding int"),
    (lambda e: e.search("табори", facets=("year", None)),
     "facets must be a str or an iterable of str, not one holding NoneType"),
    (lambda e: e.timeline("табори", source=5), "source must be a str or None, not int"),
    (lambda e: e.explain("табори", "a1", source=5), "source must be a str or None, not int"),
    (lambda e: e.similar("a1", limit=2.5), "limit must be an int, not float"),
    (lambda e: e.save_search("s", "табори", source=5), "source must be a str or None, not int"),
    (lambda e: e.save_search(None, "табори"), "name must be a str, not NoneType"),
    (lambda e: e.analyze(None), "text must be a str, not NoneType"),
    (lambda e: e.get(None), "article_id must be a str, not NoneType"),
    (lambda e: e.similar(5), "article_id must be a str, not int"),
    (lambda e: e.duplicates(None), "article_id must be a str, not NoneType"),
    (lambda e: e.highlight(None, "табори"), "article must be an Article (from Engine.get), not NoneType"),
    (lambda e: e.highlight(e.get("a1"), 5), "query must be a str or None, not int"),
    (lambda e: e.search("табори", snippets=None), "snippets must be a bool or 'all', not NoneType"),
    (lambda e: e.search("табори", exact="no"), "exact must be a bool, not str"),
    (lambda e: e.search("табори", collapse=0), "collapse must be a bool, not int"),
    (lambda e: e.search("табори", partial="false"), "partial must be a bool, not str"),
    (lambda e: e.search("табори", months=1), "months must be a bool, not int"),
    (lambda e: e.search("табори", find_dates="yes"), "find_dates must be a bool, not str"),
    (lambda e: e.timeline("табори", exact="no"), "exact must be a bool, not str"),
    (lambda e: e.explain("табори", "a1", exact="no"), "exact must be a bool, not str"),
    (lambda e: e.run_saved_search(None), "name must be a str, not NoneType"),
    (lambda e: e.count_new_matches(None), "name must be a str, not NoneType"),
    (lambda e: e.remove_saved_search(5), "name must be a str, not int"),
    (lambda e: e.saved_search(b"x"), "name must be a str, not bytes"),
    (lambda e: e.index(rebuild="no"), "rebuild must be a bool, not str"),
    (lambda e: e.import_paths([], index="no"), "index must be a bool, not str"),
    (lambda e: e.import_articles([], index="no"), "index must be a bool, not str"),
    (lambda e: e.import_stream(io.BytesIO(b""), index="no"), "index must be a bool, not str"),
    (lambda e: e.index(rebuild=True, progress=5), "progress must be a callable or None, not int"),
    (lambda e: e.ensure_index("bar"), "progress must be a callable or None, not str"),
    (lambda e: e.import_paths([], index_progress=1), "index_progress must be a callable or None, not int"),
    (lambda e: e.import_articles([], progress=True), "progress must be a callable or None, not bool"),
    (lambda e: e.import_stream(io.BytesIO(b""), read_as=None), "read_as must be a callable, not NoneType"),
    (lambda e: e.import_stream('{"id": "a9", "text": "Текст"}'),
     "stream must be a binary file object (open(..., 'rb'), sys.stdin.buffer), not str"),
])
def test_a_wrong_type_names_the_argument(engine: Engine, call, message: str) -> None:
    with pytest.raises(TypeError) as err:
        call(engine)
    assert str(err.value) == message


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"name": 5}, "name must be a str, not int"),
    ({"name": None}, "name must be a str, not NoneType"),
    ({"read_as": None}, "read_as must be a callable, not NoneType"),
])
def test_a_stream_s_name_or_wording_of_a_wrong_type_is_named_before_anything_is_stored(engine: Engine, kwargs,
                                                                                       message: str) -> None:
    # (met when the report was worded, after the import: "replace() argument 2 must be str,
    # not int", the stream's article stored all the same)
    before = engine.stats().corpus_articles
    with pytest.raises(TypeError) as err:
        engine.import_stream(io.BytesIO('{"id": "s9", "text": "Трамвай."}\nне JSON\n'.encode()), **kwargs)
    assert str(err.value) == message and engine.stats().corpus_articles == before


def test_a_replace_that_is_no_bool_is_refused_and_the_saved_search_kept(engine: Engine) -> None:
    # (replace="no" was taken as True: the search saved under the name was replaced)
    engine.save_search("s", "табори")
    with pytest.raises(TypeError) as err:
        engine.save_search("s", "мова", replace="no")
    assert str(err.value) == "replace must be a bool, not str"
    assert [s.query for s in engine.saved_searches()] == ["табори"]


def test_a_snippets_word_other_than_all_is_refused_not_taken_as_true(engine: Engine) -> None:
    with pytest.raises(ValueError) as err:
        engine.search("табори", snippets="yes")
    assert str(err.value) == "snippets must be a bool or 'all', not 'yes'"
    assert engine.search("табори", snippets="all").hits[0].snippet is not None


def test_sort_is_typed_as_the_orders_it_accepts_and_an_untyped_caller_gets_them_named(engine: Engine) -> None:
    import typing

    from searchkit import Sort

    # a type checker refuses sort="random": the annotation is the Literal of the accepted orders
    for method in (Engine.search, Engine.run_saved_search):
        assert typing.get_type_hints(method)["sort"] == Sort
    assert typing.get_args(Sort) == ("relevance", "date")
    for sort in typing.get_args(Sort):
        assert engine.search("табори", sort=sort).total >= 1
    with pytest.raises(QueryError) as err:
        engine.search("табори", sort="random")  # type: ignore[arg-type]
    assert str(err.value) == "unknown sort='random': use 'relevance' or 'date'"


def test_the_right_types_still_search(engine: Engine) -> None:
    res = engine.search("табори", since=dt.date(2000, 1, 1), until="2100-01-01", today=dt.date(2024, 1, 1),
                        facets=("source",), source=None, limit=5, page=1)
    assert res.total >= 1


@pytest.mark.parametrize(("field", "value", "why"), [("last_run", 5, "expected a time as text, got 5"),
                                                     ("seen", 1e400, '"seen" must be a whole number, the last '
                                                                     "arrival it listed; got inf")])
def test_a_saved_search_whose_last_run_or_mark_is_no_such_value_is_named_not_a_bug(
        home: Path, field: str, value: object, why: str) -> None:
    eng = Engine(home)
    eng.save_search("ok", "табори")
    path = eng.saved.path
    data = json.loads(path.read_text(encoding="utf-8"))
    (mine,) = data["homes"].values()
    mine["ok"][field] = value  # written by hand (saved list said: unexpected TypeError ... a bug in searchkit)
    path.write_text(json.dumps(data), encoding="utf-8")
    r = CliRunner().invoke(main, ["--home", str(home), "saved", "list"])
    assert r.exit_code == 2 and r.stderr == (
        f"Error: {path}: saved search 'ok': {why} — fix or remove it in that file\n")
    eng.close()


def test_a_saved_search_whose_source_is_not_text_is_named_not_blamed_on_the_index(home: Path, tmp_path: Path) -> None:
    eng = Engine(home)
    eng.save_search("ok", "табори")
    path = eng.saved.path
    data = json.loads(path.read_text(encoding="utf-8"))
    (mine,) = data["homes"].values()
    mine["ok"]["source"] = 5  # written by hand, or by an older version
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SearchkitError, match="saved search 'ok': expected a source as text, got 5"):
        eng.saved_searches()
    feed = write_jsonl(tmp_path / "more.jsonl", [{"id": "more", "text": "Ще одна стаття про табори."}])
    report = eng.import_paths(feed)  # the import goes on, and says what is wrong with the file
    assert report.added == 1 and eng.search("табори").total >= 1
    eng.close()


def test_an_empty_path_is_refused_not_read_as_this_folder(home: Path, tmp_path: Path, monkeypatch) -> None:
    write_jsonl(tmp_path / "here.jsonl", [{"id": "here", "text": "Текст у поточній теці."}])
    monkeypatch.chdir(tmp_path)
    eng = Engine(home)
    report = eng.import_paths("")
    assert report.added == 0 and [str(e) for e in report.errors] == [
        '"": an empty path: give a file or a folder ("." is this one)']
    out = CliRunner().invoke(main, ["--home", str(home), "import", ""])
    assert out.exit_code == 2 and "an empty path" in out.stderr
    assert eng.count() == 0
    eng.close()


@pytest.mark.parametrize("args", [["search", "-"], ["import", "-"]])
def test_a_closed_standard_input_is_said_plainly(home: Path, args: list[str]) -> None:
    done = subprocess.run([sys.executable, "-m", "searchkit", "--home", str(home), *args],
                          capture_output=True, text=True, preexec_fn=lambda: os.close(0), timeout=120,
                          env={**os.environ, "NO_COLOR": "1"})
    assert done.returncode == 2
    assert done.stderr.strip() == "Error: standard input is closed — pipe something in, or name a file instead of -"


def test_an_impossible_day_in_a_query_is_refused_and_quoting_it_searches_the_figures(engine: Engine) -> None:
    for query in ("табори 31.02.2022", "табори з 31.02.2022 по 01.03.2022", "табори 2022-02-30"):
        with pytest.raises(QueryError) as err:
            engine.search(query)
        assert "is not a date: no such day" in str(err.value) and "quote it" in err.value.hint
    assert engine.search('табори "31.02.2022"').total == 0  # searched as figures, no error
    assert engine.search("табори 24.02.2022").date_range is not None
    assert engine.search("ГОСТ 3262-75").total == 0  # not a day: searched as words
