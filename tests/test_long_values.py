"""A long value given where a short one is meant (a source, a date, a facet list, a
name, an id): refused or answered at once, and quoted cut in the line that says so."""

from __future__ import annotations

import time

import pytest
from click.testing import CliRunner

from searchkit import Engine
from searchkit.cli import main
from searchkit.errors import QueryError
from searchkit.store.fields import MAX_GIVEN_TITLE, MAX_SOURCE

from .conftest import imported, write_jsonl

LONG = "мова " * 10_000  # 50,000 characters


@pytest.fixture
def run(engine):
    runner = CliRunner()

    def _run(*args):
        return runner.invoke(main, ["--home", str(engine.home), *args], catch_exceptions=False)

    return _run


def test_a_source_longer_than_any_article_may_have_is_refused_at_once(engine):
    t0 = time.perf_counter()
    for call in (lambda: engine.search("мова", source="а" * 1_000_000),
                 lambda: engine.timeline("мова", source="а" * 1_000_000),
                 lambda: engine.save_search("long", "мова", source="а" * 1_000_000)):
        with pytest.raises(QueryError, match=f"is longer than {MAX_SOURCE} characters") as e:
            call()
        assert len(str(e.value)) < 200 and "(1,000,000 characters)" in str(e.value)
    assert time.perf_counter() - t0 < 5
    assert engine.saved_searches() == []


def test_a_source_of_the_longest_length_is_searched_and_one_longer_is_not_imported(tmp_path):
    longest, over = "Вісник " + "ж" * (MAX_SOURCE - 7), "Вісник " + "ж" * (MAX_SOURCE - 6)
    eng = Engine.init(tmp_path / "home")
    report = eng.import_paths([write_jsonl(tmp_path / "feed.jsonl", [
        {"id": "s1", "text": "Мовні табори працюють влітку.", "source": longest},
        {"id": "s2", "text": "Мовні табори працюють взимку.", "source": over}])])
    assert report.added == 1 and report.failed == 1
    assert [h.id for h in eng.search("табори", source=longest.upper()).hits] == ["s1"]
    eng.close()


def test_a_title_of_the_longest_length_is_imported_and_one_longer_is_refused_at_its_line(tmp_path):
    longest, over = "Мова " + "ж" * (MAX_GIVEN_TITLE - 5), "Мова " + "ж" * (MAX_GIVEN_TITLE - 4)
    eng = Engine.init(tmp_path / "home")
    feed = write_jsonl(tmp_path / "feed.jsonl", [
        {"id": "t1", "title": longest, "text": "Мовні табори працюють влітку."},
        {"id": "t2", "title": over, "text": "Мовні табори працюють взимку."}])
    report = eng.import_paths([feed])
    assert report.added == 1 and report.failed == 1
    assert [h.id for h in eng.search("табори").hits] == ["t1"]
    eng.close()
    r = CliRunner().invoke(main, ["--home", str(tmp_path / "home"), "import", str(feed)])
    assert r.exit_code == 2
    (line,) = [x for x in r.stderr.splitlines() if "Error" in x]
    assert "feed.jsonl:2:" in line and f"over {MAX_GIVEN_TITLE:,}: a headline, not a text" in line
    assert len(line) < 200  # (the title itself is not echoed)


def test_a_long_unknown_source_is_noted_quickly_with_its_start_only(tmp_path):
    # 200 sources: each was compared with the filter normalised again
    eng = imported(tmp_path, [{"id": f"n{i}", "text": "Мовні табори працюють.", "source": f"Джерело {i}"}
                              for i in range(200)])
    source = "а" * MAX_SOURCE
    t0 = time.perf_counter()
    warnings = eng.search("табори", source=source).warnings
    assert time.perf_counter() - t0 < 5
    note = next(w for w in warnings if "no article has the source" in w)
    assert f"({MAX_SOURCE} characters)" in note and len(note) < 300
    eng.close()


@pytest.mark.parametrize("args", [
    ("search", "мова", "--source", LONG),
    ("search", "мова", "--since", LONG),
    ("search", "мова", "--until", LONG),
    ("search", "мова", "--facets", LONG),
    ("saved", "add", LONG, "мова"),
    ("saved", "add", "x", "мова", "--source", LONG),
    ("saved", "run", LONG),
    ("show", LONG),
    ("similar", LONG),
    ("explain", "мова", LONG),
    ("delete", LONG),
], ids=lambda a: " ".join(x if x != LONG else "LONG" for x in a))
def test_error_lines_quote_a_long_value_by_its_start_and_length(run, args):
    r = run(*args)
    assert r.exit_code != 0
    assert "characters)" in r.output
    assert max(len(line) for line in r.output.splitlines()) < 400, r.output[:500]
