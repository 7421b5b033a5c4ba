"""One Matcher per query finds what analyzing every token finds."""

from __future__ import annotations

from searchkit.text.analysis import Analyzer
from searchkit.text.highlight import Matcher, MatchTerms, best_snippet, matches

TEXT = ("Минулого року в Києві відкрили нові станції метро. Цього року мерія обіцяє ще дві.\n\n"
        "Рок-музиканти з Харкова грали рок. Політв’язнів звільнили; ПОЛІТВʼЯЗНІ повернулися додому.")


def test_matcher_finds_the_tokens_that_match():
    an = Analyzer()
    terms = MatchTerms(frozenset({"рік", "політв'язень"}), frozenset({"києві"}), ("харк",))
    expected = [(t.start, t.end, key) for t, key in matches(an.analyze(TEXT), terms)]
    m = Matcher(an, terms)
    assert m.find(TEXT) == expected
    assert m.find(TEXT) == expected  # second pass from the remembered verdicts
    assert {k for _, _, k in expected} == {"рік", "києві", "харк", "політв'язень"}


def test_snippet_from_found_matches_equals_the_snippet_from_scratch():
    an = Analyzer()
    terms = MatchTerms(frozenset({"політв'язень", "звільнити"}))
    found = Matcher(an, terms).find(TEXT)
    assert best_snippet(TEXT, an, terms, found=found) == best_snippet(TEXT, an, terms)
    snip = best_snippet(TEXT, an, terms, width=60)
    assert "Політв’язнів" in snip.text and snip.spans


def test_no_terms_no_matches():
    assert Matcher(Analyzer(), MatchTerms()).find(TEXT) == []
