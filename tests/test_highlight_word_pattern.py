"""The quick word pattern a text without exotic characters is split by (``token_re``) finds
exactly the words, and so the word numbers, that the index's pattern finds: highlighting
from the index's positions marks what analyzing the text marks."""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from searchkit.text.analysis import PLAIN_TOKEN_RE, TOKEN_RE, default_analyzer, token_re
from searchkit.text.highlight import Matcher, MatchTerms, best_snippet, matches
from searchkit.text.normalize import APOSTROPHES, HYPHENS, INVISIBLE, STRESS_MARKS

_settings = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Splits into the gaps and the words, as the highlighter does (compared in C: 10 million words).
_EXACT_SPLIT = re.compile(f"({TOKEN_RE.pattern})", TOKEN_RE.flags)
_PLAIN_SPLIT = re.compile(f"({PLAIN_TOKEN_RE.pattern})", PLAIN_TOKEN_RE.flags)

# Characters where word patterns can go wrong: every apostrophe and hyphen the analyzer
# knows, dashes, stress and other combining marks, invisible characters, spaces of every
# kind, underscores, digits of several scripts, Latin and Cyrillic look-alikes, emoji,
# letters whose case changes their length, and lone surrogates.
tricky_char = st.sampled_from(
    list(APOSTROPHES + HYPHENS + STRESS_MARKS + INVISIBLE) +
    list("абвгґдеєжзиіїйклмнопрстуфхцчшщьюяАБВҐЄІЇЯaceiopxyABCEHIKMOPTXY0123456789_—–.,;:!?«»()\"/") +
    ["\u00a0", "\u2009", "\u202f", "\u3000", "\n", "\t", " ", "\u0306", "\u0308", "\u0302", "\u036f", "\u0370",
     "\u0483", "\u0488", "\u200e", "\u200f", "\u202e", "\u2028", "\U0001f600", "\U0001f1fa", "\u2764", "\ufe0f",
     "\U0001f3fd", "٣", "𝟙", "Ⅻ", "²", "½", "İ", "ß", "ǅ", "ﬁ", "ᾈ", "\u02bb", "\u02be", "\ud800",
     "\udfff", "\x00", "\x7f", "\u0482", "\u1100", "\uff21", "\uff10", "\u3164"])
# Word-like runs, so that joins between words are drawn often, not by luck.
piece = st.text(alphabet=tricky_char, max_size=6) | st.sampled_from(
    ["п'ять", "п’ять", "пʼять", "мо\u0301ва", "мовні", "Мовні", "МОВНІ", "будь-який", "рок-музиканти", "COVID-19",
     "мoвні", "мов\u00adні", "мов\u200bні", "мова_2", "_мова", "мова'", "'мова", "ʼмова", "мовʼ", "2016-й",
     "на", "газ", "ціни", "мовнi", "ｍｏｖａ", "\u2764\ufe0f", "\U0001f44d\U0001f3fd"])
texts = st.lists(piece, max_size=40).map("".join) | st.text(alphabet=tricky_char, max_size=200) | st.text(
    alphabet=st.characters(codec=None, categories=None), max_size=200)


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


@_settings
@given(texts)
@example("мо\u0301ва_мовʼ-ʼп'ять")
@example("a\u00ad-b__c")
def test_the_pattern_picked_for_a_text_finds_the_index_words(text):
    picked = token_re(text)
    assert _spans(picked, text) == _spans(TOKEN_RE, text)
    assert picked.findall(text) == TOKEN_RE.findall(text)


def _plain_reads_like_exact(first: int, stop: int) -> int:
    """Exhaustive from code point ``first`` to ``stop``: each that does not send a text to
    the exact pattern, alone, inside a word, after a hyphen and before an apostrophe, reads
    the same to both patterns (contexts apart by spaces, which no word crosses). How many
    code points send a text to the exact pattern."""
    contexts = ["{c}", "а{c}б", "а-{c}б", "1{c}'"]
    exact = 0
    for block in range(first, stop, 0x4000):
        chars = [chr(c) for c in range(block, min(block + 0x4000, stop))]
        plain = [c for c in chars if token_re(c) is PLAIN_TOKEN_RE]
        exact += len(chars) - len(plain)
        text = " ".join(ctx.format(c=c) for c in plain for ctx in contexts)
        assert token_re(text) is PLAIN_TOKEN_RE
        assert _PLAIN_SPLIT.split(text) == _EXACT_SPLIT.split(text), hex(block)
    return exact


def test_the_plain_pattern_finds_the_index_words_beside_every_character():
    # only the underscore, the apostrophes Unicode counts as letters (ʼ, ʹ, ꞌ), the stress
    # marks, the invisible characters and the combining marks U+0302-U+036F send a text to
    # the exact pattern
    letters = [c for c in APOSTROPHES if re.match(r"\w", c)]
    assert sorted(letters) == sorted(["ʼ", "ʹ", "ꞌ"])
    assert _plain_reads_like_exact(0, 0x20000) == 1 + len(letters) + len(STRESS_MARKS + INVISIBLE) + 0x36f - 0x302 + 1


@pytest.mark.slow
def test_the_plain_pattern_finds_the_index_words_beside_every_rare_character():
    assert _plain_reads_like_exact(0x20000, sys.maxunicode + 1) == 0


def test_a_text_with_a_character_the_plain_pattern_misreads_gets_the_exact_one():
    for c in "_ʼʹ\u0301\u0300\u00ad\u200b\u200c\u200d\u2060\ufeff\u180e\u0302\u0306\u036f":
        assert token_re(f"слово{c}слово") is TOKEN_RE
    # (each of these the plain pattern alone would read otherwise)
    for text in ["_мова", "мовʼ", "мо\u0301ва", "мов\u00adні", "ʹп"]:
        assert PLAIN_TOKEN_RE.findall(text) != TOKEN_RE.findall(text)


#: Lemmas, a written form, prefixes and a function word (matched only between matches).
TERMS = [
    MatchTerms(frozenset({"мова", "п'ять", "газ", "ціна"}), frozenset({"мовні", "covid", "на"}), ("рок", "буд"),
               frozenset({"на"})),
    MatchTerms(frozenset({"мовний"}), frozenset({"мовні", "2016-й"}), ("мо",)),
]


def _placed(tokens, terms: MatchTerms) -> dict[int, list[str]]:
    """Where the index records the query's lemmas: the word number of each token that has some."""
    out: dict[int, list[str]] = {}
    for i, t in enumerate(tokens):
        for lemma in sorted(terms.lemmas.intersection(t.lemmas)):
            out.setdefault(i, []).append(lemma)
    return out


@_settings
@given(texts)
@example("Ціни на газ і мо\u0301ва, п’ять мовні_ мовʼ рок-музиканти будь-який COVID-19 на")
def test_highlighting_from_index_positions_marks_what_analyzing_the_text_marks(text):
    tokens = default_analyzer().analyze(text)  # (the exact pattern, as the index reads texts)
    for terms in TERMS:
        expected = [(t.start, t.end, k) for t, k in matches(tokens, terms)]
        matcher = Matcher(default_analyzer(), terms)
        found = matcher.find_placed(text, _placed(tokens, terms))
        assert found == expected
        assert matcher.find_placed(text, _placed(tokens, terms)) == expected  # from the remembered verdicts
        assert Matcher(default_analyzer(), terms).find(text) == expected
        assert best_snippet(text, default_analyzer(), terms, found=found) == best_snippet(
            text, default_analyzer(), terms)


def test_a_position_past_the_text_marks_nothing():
    terms = TERMS[1]
    text = "мовні табори"
    assert Matcher(default_analyzer(), terms).find_placed(text, {0: ["мовний"], 7: ["мовний"]}) == [
        (0, 5, "мовний")]
    assert Matcher(default_analyzer(), terms).find_placed(text, {7: ["мовний"]}) == [(0, 5, "мовні")]
    assert Matcher(default_analyzer(), MatchTerms(frozenset({"мовний"}))).find_placed(text, {7: ["мовний"]}) == []
