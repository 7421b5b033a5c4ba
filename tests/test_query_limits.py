"""Pathological queries get an error or a bounded-time answer: never minutes, never all memory."""

from __future__ import annotations

import itertools
import json
import random
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import searchkit.answers.search as searching
import searchkit.backends.whoosh as engine_mod
from searchkit import Engine
from searchkit.backends.whoosh import SearchIndex
from searchkit.cli import main
from searchkit.errors import QueryError
from searchkit.query import limits, request
from searchkit.query.parse import MAX_DEPTH, MAX_QUERY_CHARS, MAX_WORDS, parse_query
from searchkit.query.understand import MAX_SUSPECTS

from .conftest import ARTICLES, write_jsonl

# A dense made-up vocabulary: every word of 6 letters from "abcdef" that starts with "ab"
# or "cd" (1,296 + 1,296 words), so short prefixes and fuzzy words expand to thousands.
ALPHABET = "abcdef"
VOCAB = ["".join(p) for first in ("ab", "cd") for p in itertools.product([first], *[ALPHABET] * 4)]


@pytest.fixture(scope="module")
def dense(tmp_path_factory) -> Engine:
    root = tmp_path_factory.mktemp("dense")
    rnd = random.Random(3)
    words = VOCAB[:]
    rnd.shuffle(words)
    with open(root / "feed.jsonl", "w", encoding="utf-8") as f:
        for i in range(0, len(words), 40):
            text = " ".join(words[i : i + 40]) + " київ метро новина"
            f.write(json.dumps({"id": f"d{i}", "text": text, "title": f"Добірка {i}"}, ensure_ascii=False) + "\n")
    eng = Engine.init(root / "home")
    eng.import_paths([root / "feed.jsonl"])
    yield eng
    eng.close()


def timed(eng: Engine, q: str) -> tuple[float, object]:
    t0 = time.perf_counter()
    try:
        out: object = eng.search(q)
    except QueryError as e:
        out = e
    return time.perf_counter() - t0, out


def test_a_prefix_matching_too_many_words_is_refused_at_once(dense):
    took, out = timed(dense, "ab*")
    assert isinstance(out, QueryError) and "ab* matches too many words" in str(out)
    assert took < 5


def test_a_specific_prefix_still_searches(dense):
    assert dense.search("abcd*").total > 0


def test_prefixes_of_hundreds_of_rare_words_in_a_small_archive_are_searched_in_full(dense, monkeypatch):
    # abc* and cde*: 216 words each, in the body and the written forms, each in one
    # article: their look-ups are the cost, about 100 postings each per field (counted as
    # 500, 216,000 for abc* alone, both were cut)
    r = dense.search("abc* OR cde*", limit=1)
    assert not r.cut
    monkeypatch.setattr(limits, "MAX_QUERY_POSTINGS", 10**9)
    assert r.total == dense.search("abc* OR cde*", limit=1).total


def test_a_fuzzy_word_matching_too_many_words_is_refused(dense, monkeypatch):
    monkeypatch.setattr(limits, "MAX_EXPANSION", 100)  # "abcdef~2" stands for about 250 words
    _, out = timed(dense, "abcdef~2")
    assert isinstance(out, QueryError) and "abcdef~2 matches too many words (over 100)" in str(out)
    assert dense.search("abcdef~1").total > 0


def test_prefixes_that_together_match_too_many_words_are_refused(dense, monkeypatch):
    monkeypatch.setattr(limits, "MAX_QUERY_EXPANSION", 100)
    assert dense.search("abcde* OR cdefa*").total > 0  # 6 words each, in 3 fields: under the cap
    with pytest.raises(QueryError, match="match too many words together"):
        dense.search("abcd* OR cdef*")  # 36 words each, in 3 fields


def test_more_than_16_prefix_or_fuzzy_words_are_refused(dense):
    q = " OR ".join(f"{w[:4]}*" for w in VOCAB[::80][:17])
    with pytest.raises(QueryError, match=f"more than {engine_mod.MAX_PATTERN_WORDS} prefix or fuzzy words"):
        dense.search(q)


def test_hundreds_of_terms_are_refused_before_any_work(dense):
    took, out = timed(dense, " ".join(VOCAB[i % len(VOCAB)] for i in range(500)))  # (10,000: too long)
    assert isinstance(out, QueryError) and f"more than {MAX_WORDS} words" in str(out)
    assert took < 2


@pytest.mark.parametrize("q", ["a/" * 1000, "/".join(VOCAB[:300]), "київ," * 500 + "метро", "а-" * 1000 + "а",
                               "-".join(["київ"] * 70)])
def test_one_word_that_is_thousands_of_tokens_is_refused(dense, q):
    took, out = timed(dense, q)
    assert isinstance(out, QueryError) and "words" in str(out)
    assert took < 5


@pytest.mark.parametrize("q", ["мова " * 200_000, "-" * 1_000_000 + "київ", "а-" * 500_000, "(" * 1_000_000,
                               '"' * 1_000_000, "київ " * 801])
def test_a_query_longer_than_the_limit_is_refused_before_it_is_read(dense, monkeypatch, q):
    def unread(*args: object, **kwargs: object) -> None:
        raise AssertionError("the query was read")

    monkeypatch.setattr(request.dates, "scan_dates", unread)
    monkeypatch.setattr(request, "parse_query", unread)
    monkeypatch.setattr(searching, "clean_query_text", unread)
    with pytest.raises(QueryError, match=f"^query is longer than {MAX_QUERY_CHARS:,} characters$"):
        dense.search(q)
    with pytest.raises(QueryError, match="longer than"):
        dense.explain(q, "d0")


def test_a_query_of_the_longest_length_is_searched(dense):
    q = "київ" + " " * (MAX_QUERY_CHARS - 8) + "київ"
    assert len(q) == MAX_QUERY_CHARS
    assert dense.search(q).total == len(VOCAB) // 40 + 1


def test_search_from_stdin_reads_an_overlong_line_only_to_the_limit(dense):
    longest = "метро" + " " * (MAX_QUERY_CHARS - 10) + "метро"  # (and a CR: a file saved on Windows)
    lines = ("київ " * 300_000).encode() + b"\n\n" + f"метро\r\n{longest}\r\n".encode()
    r = CliRunner().invoke(main, ["--home", str(dense.home), "search", "-", "--json", "-n", "1"], input=lines,
                           catch_exceptions=False)
    refused, answered, longest_answered = (json.loads(line) for line in r.stdout.splitlines())
    assert longest_answered["total"] == len(VOCAB) // 40 + 1
    assert refused["error"] == f"query is longer than {MAX_QUERY_CHARS:,} characters"
    assert len(refused["query"]) < 100 and refused["query"].startswith("київ київ")
    assert answered["query"] == "метро" and answered["total"] == len(VOCAB) // 40 + 1
    assert r.exit_code == 2


def test_nesting_is_limited_and_the_limit_itself_works(dense):
    assert dense.search("(" * MAX_DEPTH + "київ" + ")" * MAX_DEPTH).total == len(VOCAB) // 40 + 1
    with pytest.raises(QueryError, match="deeper"):
        dense.search("(" * (MAX_DEPTH + 1) + "київ")


def test_a_very_long_phrase_is_refused(dense):
    with pytest.raises(QueryError, match="phrase of more than"):
        dense.search('"' + " ".join(VOCAB[:40]) + '"')


def test_repeated_words_are_searched_once(dense):
    ix = dense.backend_index
    once = ix.compile(parse_query("abcde~1 київ")).query
    assert ix.compile(parse_query(" ".join(["abcde~1 київ"] * 30))).query == once


def test_negation_chains_of_any_length_parse_without_recursion():
    assert parse_query("-" * 100_000 + "київ").root == parse_query("київ").root
    assert parse_query("метро " + "-" * 100_001 + "київ").root == parse_query("метро -київ").root
    assert parse_query("NOT " * 50_000 + "київ").root == parse_query("київ").root


def test_the_worst_allowed_queries_answer_in_bounded_time(dense):
    common = "київ метро новина"
    worst = [
        " ".join([common] * 21),  # 63 words, each in every article
        " OR ".join(f"{w[:3]}*" for w in VOCAB[::200][:6]),  # prefixes near the expansion cap
        '"' + " ".join(VOCAB[:32]) + '"',  # the longest phrase allowed
        " ".join(f"{w}~1" for w in VOCAB[::170][:16]),  # 16 fuzzy words
    ]
    for q in worst:
        took, out = timed(dense, q)
        assert took < 20, (q[:40], took)
        assert not isinstance(out, QueryError) or "too many" in str(out), out


def test_cli_reports_a_refused_query_on_one_line(dense):
    r = CliRunner().invoke(main, ["--home", str(dense.home), "search", "ab*"], catch_exceptions=False)
    assert r.exit_code == 2
    assert r.stderr.splitlines()[0] == (f"Error: ab* matches too many words (over {engine_mod.MAX_EXPANSION}); "
                                        "make it more specific")
    assert "Traceback" not in r.stderr


def test_a_query_of_many_unknown_words_is_not_spell_corrected_word_by_word(dense, monkeypatch):
    walks = []
    real = SearchIndex.near
    monkeypatch.setattr(SearchIndex, "near", lambda self, *a, **k: walks.append(a) or real(self, *a, **k))
    results = dense.search(" ".join(f"зщфкх{i}ґ" for i in range(MAX_SUSPECTS + 1)))
    assert results.total == 0 and results.corrected_query is None
    assert walks == []  # not one walk over the vocabulary
    dense.search("метрро")  # one typo is still corrected
    assert walks


def test_a_misspelt_word_of_thousands_of_letters_is_answered_without_a_correction_walk(tmp_path: Path) -> None:
    """A 3,200-letter word took minutes and gigabytes: every one-edit string of it and a
    Levenshtein automaton over it. Past 32 letters no word is corrected."""
    from searchkit.query.suggest import MAX_CORRECTED, corrections
    from searchkit.text.analysis import default_analyzer

    rnd = random.Random(7)
    word = "".join(chr(rnd.randint(0x430, 0x44F)) for _ in range(3200))
    eng = Engine.init(tmp_path / "home")
    eng.import_paths([write_jsonl(tmp_path / "feed.jsonl", ARTICLES)])
    assert corrections(word, eng.backend_index, default_analyzer()) == []
    for query in (word, f"табори {word}", f'"{word} табори"'):
        res = eng.search(query)
        assert res.corrected_query is None and res.matched_all == 0, query[:20]
    with pytest.raises(QueryError, match=f"at most {MAX_CORRECTED} letters"):
        eng.search(word[:40] + "~2")


def test_a_query_of_too_many_words_says_what_to_do(dense) -> None:
    with pytest.raises(QueryError, match="more than 64 words") as e:
        dense.search(" ".join(f"слово{i}" for i in range(80)))
    assert "key words" in e.value.hint
