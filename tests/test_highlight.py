from searchkit.text.analysis import default_analyzer
from searchkit.text.highlight import MatchTerms, best_snippet, highlight_all, matches

AN = default_analyzer()


def spans_text(snippet):
    return [snippet.text[s.start : s.end] for s in snippet.spans]


def test_every_inflected_form_and_spelling_is_marked():
    text = "Політв’язні, ПОЛІТВʼЯЗНІВ і політв'язням допомагають."
    snip = highlight_all(text, AN, MatchTerms(lemmas=frozenset({"політв'язень"})))
    assert spans_text(snip) == ["Політв’язні", "ПОЛІТВʼЯЗНІВ", "політв'язням"]


def test_forms_and_prefixes_match():
    toks = AN.analyze("Лукашенко і Лукашенку")
    got = [(t.form, k) for t, k in matches(toks, MatchTerms(forms=frozenset({"лукашенку"}), prefixes=("лукаш",)))]
    assert got == [("лукашенко", "лукаш"), ("лукашенку", "лукашенку")]


def test_snippet_without_matches_is_the_start_of_the_text():
    snip = best_snippet("Перше речення. " * 40, AN, MatchTerms(), width=50)
    assert snip.text.startswith("Перше речення.") and snip.text.endswith("…") and not snip.spans


def test_snippet_folds_line_breaks_and_keeps_spans_on_the_words():
    text = "Вступ.\n\nУ Києві\n\n  відкрили   метро."
    snip = best_snippet(text, AN, MatchTerms(lemmas=frozenset({"метро", "київ"})), width=200)
    assert "\n" not in snip.text and "  " not in snip.text
    assert spans_text(snip) == ["Києві", "метро"]


def test_snippet_is_the_earliest_window_holding_the_most_distinct_words_then_the_most_matches():
    terms = MatchTerms(lemmas=frozenset({"метро", "київ"}))
    text = ("Метро працює. " + "Слово. " * 20 + "Київ і метро. " + "Слово. " * 20
            + "Київ, метро, метро. " + "Слово. " * 20 + "Київ, метро, метро!")
    snip = best_snippet(text, AN, terms, width=40)
    assert spans_text(snip) == ["Київ", "метро", "метро"]  # both words, three matches
    assert "!" not in snip.text  # the earlier of two such windows


def test_marked_wraps_spans():
    snip = highlight_all("мовні табори", AN, MatchTerms(lemmas=frozenset({"табір"})))
    assert snip.marked() == "мовні [табори]"
