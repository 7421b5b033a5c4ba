"""How many times one search understands its query: analyses, parses, compiles, counts,
synonym expansions, freshness checks. The aim is once each (one plan per search); the
ceilings below are today's figures (docs/architecture.md) and only ever go down."""

from __future__ import annotations

import collections
import functools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import searchkit.query.request as request
import searchkit.query.understand as understand
from searchkit import Engine
from searchkit.backends.whoosh import SearchIndex
from searchkit.cli import main
from searchkit.query.synonyms import Synonyms
from searchkit.query.userlexicon import UserLexicon
from searchkit.text.analysis import Analyzer

Counts = collections.Counter[str]


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counts]:
    counts: Counts = collections.Counter()

    def spy(owner: Any, name: str, label: str, when: Callable[..., bool] | None = None) -> None:
        real = getattr(owner, name)

        @functools.wraps(real)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if when is None or when(*args, **kwargs):
                counts[label] += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(owner, name, wrapper)

    # the query's words, not the hits' texts (snippets analyze those)
    spy(Analyzer, "analyze", "analyses", when=lambda self, text, *a, **k: len(text) < 40)
    spy(SearchIndex, "compile", "compiles")
    spy(SearchIndex, "compile_relaxed", "partial compiles")
    spy(SearchIndex, "count", "counts")
    spy(SearchIndex, "status", "freshness checks")
    spy(SearchIndex, "current_generation", "reads of index/CURRENT")
    spy(Synonyms, "expand", "synonym expansions")
    spy(UserLexicon, "refresh", "lexicon.tsv checks")
    spy(request, "parse_query", "parses")
    spy(understand, "parse_query", "parses")
    yield counts


def _within(counts: Counts, ceilings: dict[str, int]) -> None:
    over = {k: f"{counts[k]} > {n}" for k, n in ceilings.items() if counts[k] > n}
    assert not over, f"a search understands its query more often than before: {over}"


def test_a_plain_search_parses_once_and_compiles_again_only_for_relatives(engine: Engine, counted: Counts) -> None:
    engine.search("warm up")  # the first search of a process loads what later ones reuse
    counted.clear()
    assert engine.search("мовні табори").total
    assert counted["parses"] == 1
    # its words meet in fewer than FAMILY_BELOW articles: compiled again with their relatives
    assert counted["compiles"] == 2
    assert counted["counts"] == 2
    assert counted["partial compiles"] == 1
    _within(counted, {"analyses": 8, "synonym expansions": 2, "freshness checks": 1, "lexicon.tsv checks": 1,
                      "reads of index/CURRENT": 3})


def test_a_misspelt_search_is_understood_within_todays_figures(engine: Engine, counted: Counts) -> None:
    engine.search("warm up")
    counted.clear()
    assert engine.search("мовні тобори").corrected_query == "мовні табори"
    _within(counted, {"parses": 4, "compiles": 5, "partial compiles": 1, "counts": 4, "analyses": 24,
                      "synonym expansions": 5, "freshness checks": 1, "lexicon.tsv checks": 1,
                      "reads of index/CURRENT": 3})


def test_the_command_line_search_checks_the_index_twice_today(engine: Engine, counted: Counts) -> None:
    home = Path(engine.home)
    runner = CliRunner()
    runner.invoke(main, ["--home", str(home), "search", "warm up"])
    counted.clear()
    result = runner.invoke(main, ["--home", str(home), "search", "мовні табори"])
    assert result.exit_code == 0, result.output
    assert counted["parses"] == 1 and counted["compiles"] == 2  # as above: with the relatives
    _within(counted, {"analyses": 8, "synonym expansions": 2, "freshness checks": 2, "lexicon.tsv checks": 3,
                      "reads of index/CURRENT": 6})
