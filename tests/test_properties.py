"""Property-based tests: the analyzer, the query parser and search take any Unicode —
control characters, RTL marks, emoji, NUL, lone surrogates, huge words — and answer or
raise only the documented errors."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from searchkit import Engine
from searchkit.errors import QueryError, SearchkitError
from searchkit.query.parse import parse_query
from searchkit.text.analysis import MAX_WORD, default_analyzer
from searchkit.text.normalize import normalize_word

from .conftest import ARTICLES, write_jsonl

_settings = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Everything, surrogates included (st.text() leaves them out by default).
any_char = st.characters(codec=None, categories=None)
# Characters that make tokenising and normalising hard, mixed with Ukrainian letters.
tricky_char = st.sampled_from(
    list("абвгґдеєжзиіїйклмнопрстуфхцчшщьюяАБВҐЄІЇЯ'’ʼ‘`-‑—–") +
    ["\u0301", "\u0300", "\u00ad", "\u200b", "\u200d", "\ufeff", "\u200f", "\u202e", "\u0000", "\u0007",
     "\ud800", "\udfff", "\U0001f600", "\U0001f1fa", "\u0306", "\u0308", "İ", "ß", "ǅ", "ﬁ", "ᾈ", "a", "o", "i",
     "\n", "\t", " ", "1", "٣", "𝟙"]
)
texts = st.text(alphabet=any_char, max_size=200) | st.text(alphabet=tricky_char, max_size=200)


@_settings
@given(texts)
def test_token_offsets_always_slice_the_original_text(text):
    tokens = default_analyzer().analyze(text)
    end = 0
    for t in tokens:
        assert end <= t.start < t.end <= len(text)
        assert t.form == normalize_word(text[t.start : t.end])[:MAX_WORD]
        assert t.lemmas
        end = t.end


@_settings
@given(st.text(alphabet=tricky_char, max_size=60))
def test_normalize_word_is_idempotent(word):
    once = normalize_word(word)
    assert normalize_word(once) == once


@_settings
@given(texts)
def test_analyzing_a_normalized_word_gives_the_same_lemmas(text):
    analyzer = default_analyzer()
    for t in analyzer.analyze(text):
        again = analyzer.analyze(t.form)
        assert [(a.form, a.lemmas) for a in again] == [(t.form, t.lemmas)]


@_settings
@given(texts | st.text(alphabet=st.sampled_from(list('()"*~-: OR NOT title:київ«»')), max_size=120))
def test_the_parser_accepts_anything_or_raises_query_error(text):
    try:
        parse_query(text)
    except QueryError:
        pass


@pytest.mark.parametrize("text", [
    "слово" * 200_000,  # a 1 MB word
    "-" * 100_000 + "київ",
    "NOT " * 20_000 + "київ",
    "(" * 10_000,
    ")" * 10_000 + "київ",
    '"' * 10_001,
    "\x00" * 1000,
    "title:" * 10_000,
    "київ~" * 5000,
    "\ud800" * 1000,
])
def test_huge_and_degenerate_queries_parse_or_raise_query_error(text):
    try:
        parse_query(text)
    except QueryError:
        pass


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    home = tmp_path_factory.mktemp("props") / "home"
    eng = Engine.init(home)
    eng.import_paths([write_jsonl(home.parent / "feed.jsonl", ARTICLES)])
    yield eng
    eng.close()


query_pieces = st.lists(st.sampled_from(
    ["київ", "табори", "рік", "політв'язні", "мовні", "Лукашенко", "ки", "р", " ", '"', "(", ")", "*", "~", "~2",
     "-", ":", "«", "»", " OR ", " NOT ", "title:", "body:", "2", "\u0301", "’", "\x00", "\ud800", "\u202e", "😀"]
), max_size=25).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(query="A-", sort="relevance", page=1)  # once an IndexError in the transliteration's best reading
@given(query=query_pieces | texts, sort=st.sampled_from(["relevance", "date"]),
       page=st.integers(1, 3))
def test_search_end_to_end_answers_or_raises_a_searchkit_error(tiny, query, sort, page):
    try:
        results = tiny.search(query, sort=sort, page=page, limit=3)
    except SearchkitError:
        return
    assert results.total >= len(results.hits)
    for hit in results.hits:
        for span in hit.snippet.spans:
            assert 0 <= span.start < span.end <= len(hit.snippet.text)
    results.query.encode("utf-8")  # printable, whatever came in


@_settings
@given(st.data())
def test_a_packed_posting_block_reads_back_as_whoosh_reads_a_block(data):
    # Any block a writer can make (ids in order, weights whole or not, values of any
    # length, compressed or not) gives Whoosh's reader its ids, weights and values back.
    import pickle
    from itertools import accumulate

    from searchkit.backends.whoosh import packed

    n = data.draw(st.integers(1, 128))
    first = data.draw(st.integers(0, 2**32 - 1))
    deltas = data.draw(st.lists(st.integers(1, 2**20), min_size=n - 1, max_size=n - 1))
    kind = data.draw(st.sampled_from(["none", "one", "whole", "any"]))
    if kind == "none":
        weights = None
    elif kind == "one":
        weights = data.draw(st.floats(0.5, 300.0, width=32))
    elif kind == "whole":
        weights = tuple(float(w) for w in data.draw(st.lists(st.integers(0, 255), min_size=n, max_size=n)))
    else:
        weights = tuple(data.draw(st.lists(st.floats(0.0, 1e6, width=32), min_size=n, max_size=n)))
    values = data.draw(st.none() | st.lists(st.binary(max_size=300), min_size=n, max_size=n))
    raw, comp = packed.pack_block(first, deltas, weights, values, compression=data.draw(st.integers(0, 9)),
                                  compress_min=data.draw(st.integers(0, 400)))
    assert comp == 0
    ids, got_weights, got_values = pickle.loads(raw)
    assert list(accumulate(ids)) == list(accumulate([first, *deltas]))
    if kind in ("none", "one"):
        assert got_weights == weights
    else:
        assert [float(w) for w in got_weights] == list(weights)
    if values is None:
        assert got_values is None
    else:
        assert len(got_values) == n and [got_values[i] for i in range(n)] == values
