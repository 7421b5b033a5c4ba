"""What a new user runs into on the command line and in the library: sort keys shown as
scores, mistyped options, strings where lists are expected, files in the wrong encoding."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from searchkit.cli import main


@pytest.fixture
def run(engine):
    runner = CliRunner()

    def _run(*args, input=None):
        return runner.invoke(main, ["--home", str(engine.home), *args], input=input, catch_exceptions=False)

    return _run


QUERY = "рік OR табори OR політв'язні"


# -- 1. sorted by date: no score ----------------------------------------------------------------


def test_sorted_by_date_the_hits_have_no_score(engine):
    res = engine.search(QUERY, sort="date")
    assert res.total == 3 and all(h.score is None for h in res.hits)
    assert all(h.score is not None and h.score > 0 for h in engine.search(QUERY).hits)


def test_sorted_by_date_text_json_and_csv_show_no_score(run):
    text = run("search", QUERY, "--sort", "date")
    assert text.exit_code == 0 and "score" not in text.output and "2147483648" not in text.output
    assert "score" in run("search", QUERY).output
    data = json.loads(run("search", QUERY, "--sort", "date", "--json").output)
    assert [h["score"] for h in data["hits"]] == [None, None, None]
    rows = list(csv.DictReader(io.StringIO(run("search", QUERY, "--sort", "date", "--format", "csv").output)))
    assert len(rows) == 3 and {r["score"] for r in rows} == {""}
    lines = run("search", QUERY, "--sort", "date", "--format", "jsonl").output.splitlines()
    assert [json.loads(line)["score"] for line in lines] == [None, None, None]
