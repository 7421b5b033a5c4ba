"""Issue 19: no input, query or thread can hang, poison or corrupt a home.

Each test pins one finding of a red-team run; each failed before its fix."""

from __future__ import annotations

import pytest

from searchkit import Engine
from searchkit.analysis import Analyzer, analyze

from .conftest import ARTICLES, write_jsonl

# A Tangut letter (no Unicode name in Python 3.11's unicodedata) starting a Cyrillic word.
TANGUT_WORD = "\U00017709київ"


# -- High 2: one article must not poison the home ---------------------------------------------

@pytest.mark.parametrize("char", ["\U00017000", "\U00017709", "\U000187f7", "\U00018d00", "\U00018d08"])
def test_a_letter_without_a_unicode_name_is_analyzed_not_raised(char):
    for word in (f"{char}київ", f"{char}ёлка", f"київ{char}", f"{char}{char}"):
        tokens = Analyzer().analyze(f"Слово {word}.")
        assert [t.form for t in tokens][0] == "слово"
        assert tokens[-1].lemmas  # some lemma, no ValueError from pymorphy3


def test_an_article_with_a_tangut_word_is_indexed_and_later_imports_work(home, tmp_path):
    eng = Engine(home)
    try:
        report = eng.import_paths([write_jsonl(tmp_path / "t.jsonl", [{"id": "t1", "text": f"Слово {TANGUT_WORD}."}])])
        assert report.failed == 0 and report.added == 1
        report = eng.import_paths([write_jsonl(tmp_path / "feed.jsonl", ARTICLES)])
        assert report.failed == 0 and report.added == len(ARTICLES)
        assert eng.index(rebuild=True).failed == 0
        assert [h.id for h in eng.search(TANGUT_WORD).hits] == ["t1"]
        assert {h.id for h in eng.search("слово").hits} == {"t1"}
        assert eng.search("Лукашенко").total == 1
    finally:
        eng.close()


def test_an_article_that_breaks_the_analyzer_is_named_and_the_rest_indexed(home, tmp_path, monkeypatch):
    eng = Engine(home)
    try:
        real = Analyzer.words

        def words(self, text):  # type: ignore[no-untyped-def]
            if "отрута" in text:
                raise ValueError("no such name")
            return real(self, text)

        monkeypatch.setattr(Analyzer, "words", words)
        bad = {"id": "bad", "text": "Тут отрута для аналізатора."}
        report = eng.import_paths([write_jsonl(tmp_path / "feed.jsonl", [bad, *ARTICLES])])
        assert report.added == len(ARTICLES) + 1
        assert report.failed == 1
        assert "bad" in report.errors[0] and "ValueError" in report.errors[0]
        assert eng.search("Лукашенко").total == 1
    finally:
        eng.close()


def test_analyze_helper_handles_the_red_team_article():
    assert [t.form for t in analyze("Слово 𗜉київ.")] == ["слово", "𗜉київ"]
