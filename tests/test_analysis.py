import pytest

from searchkit.text.analysis import MAX_WORD, Analyzer, analyze, tokenize


def lemmas(word: str) -> tuple[str, ...]:
    (tok,) = analyze(word)
    return tok.lemmas


def test_apostrophe_variants_reach_the_same_lemma():
    assert lemmas("політв'язнів") == lemmas("політв’язні") == lemmas("ПОЛІТВʼЯЗЕНЬ") == ("політв'язень",)


def test_a_saltillo_apostrophe_and_a_latin_yi_are_read_as_the_ukrainian_letters():
    toks = analyze("Дев\ua78cять років Украi\u0308ни, Украïні та словоꞌ")
    assert [t.form for t in toks] == ["дев'ять", "років", "україни", "україні", "та", "слово"]
    assert all(t.known for t in toks)


@pytest.mark.parametrize(("text", "forms"), [
    ('Пам"ятник у Сумах', ["пам'ятник", "у", "сумах"]),      # a typed " for the apostrophe
    ("з”явився", ["з'явився"]),                          # Word's closing quote for it
    ("подвір“ї", ["подвір'ї"]),
    ('ПАМ"ЯТНИК', ["пам'ятник"]),
    ('сказав "ясно" і', ["сказав", "ясно", "і"]),            # quotes around a word stay quotes
    ('слово"Ялта"', ["слово", "ялта"]),                      # a capital after a small letter: a quote
    ("«Ялта»", ["ялта"]),
])
def test_a_double_quote_typed_for_the_apostrophe_joins_the_word(text: str, forms: list[str]) -> None:
    assert [t.form for t in analyze(text)] == forms
    assert [raw for _, _, raw in tokenize(text)] == [text[s:e] for s, e, _ in tokenize(text)]


@pytest.mark.parametrize(
    "form, lemma",
    [("табори", "табір"), ("мовні", "мовний"), ("Києва", "київ"), ("року", "рік"), ("звільнив", "звільнити"),
     ("в'язнів", "в'язень"), ("о́купаційного", "окупаційний"), ("oкупацiйного", "окупаційний")],
)
def test_inflected_form_has_its_dictionary_lemma_among_candidates(form, lemma):
    assert lemma in lemmas(form)


def test_ambiguous_form_keeps_all_dictionary_lemmas():
    assert {"рік", "рок"} <= set(lemmas("року"))


def test_unknown_word_keeps_its_surface_form_and_is_not_known():
    (tok,) = analyze("Шмаргуненком")
    assert not tok.known
    assert "шмаргуненком" in tok.lemmas


def test_offsets_slice_the_original_text():
    text = "«ПОЛІТВʼЯЗНІ» — мо\u0301ва, Івано‑Франківськ; 2022 рік."
    toks = analyze(text)
    assert [text[t.start : t.end] for t in toks] == [
        "ПОЛІТВʼЯЗНІ", "мо\u0301ва", "Івано‑Франківськ", "2022", "рік"]
    assert [t.form for t in toks] == ["політв'язні", "мова", "івано-франківськ", "2022", "рік"]


def test_hyphenated_compound_is_one_token_and_its_parts_are_searchable():
    (tok,) = analyze("Івано-Франківська")
    assert "івано-франківськ" in tok.lemmas
    assert "франківськ" in tok.lemmas


def test_quotes_around_words_are_not_part_of_them():
    assert [t.form for t in analyze("'слово' `інше`")] == ["слово", "інше"]


def test_numbers_and_latin_words_are_their_own_lemma_and_a_latin_compound_adds_its_lettered_parts():
    toks = analyze("COVID-19 у 2020 SARS-CoV-2 F-16")
    assert toks[0].lemmas == ("covid-19", "covid")
    assert toks[2].lemmas == ("2020",)
    assert toks[3].lemmas == ("sars-cov-2", "sars", "cov")
    assert toks[4].lemmas == ("f-16",)  # a part of one letter is no word


def test_very_long_word_is_truncated_and_not_looked_up():
    (tok,) = analyze("а" * 10_000)
    assert len(tok.form) == MAX_WORD and tok.lemmas == (tok.form,)


def test_tokenize_yields_offsets():
    assert list(tokenize("ab cd")) == [(0, 2, "ab"), (3, 5, "cd")]


def test_cache_is_bounded():
    an = Analyzer(cache_size=10)
    for i in range(50):
        an.analyze(f"слово{i}")
    cached = an.cached()
    assert cached["raw"] <= 10 and cached["forms"] <= 10


def test_the_written_forms_of_many_words_are_what_each_word_gives_and_stay_bounded():
    # Words analyzed whole, words only normalised before and new words, asked together
    # and again, past the cache's bound: each is the form the analyzer gives it alone.
    an = Analyzer(cache_size=8)
    an.analyze("Мо\u0301вні ТАБОРИ")
    raws = ["Мо\u0301вні", "ТАБОРИ", "політвʼязнів", "Київ", "табори", *(f"Слово{i}" for i in range(12)), "Київ"]
    expected = [Analyzer().word(raw)[0] for raw in raws]
    assert an.forms(raws) == expected
    assert an.forms(raws) == expected
    assert an.forms(raws[::-1]) == expected[::-1]
    assert an.cached()["norm"] <= 8


@pytest.mark.parametrize(
    "word",
    ["року", "табори", "мовні", "політв'язнів", "києві", "гарні", "ґанок", "ганок", "йшов", "люди", "кращого",
     "і", "в", "з", "є", "іван-франко", "блакитно-жовтий", "шмаргуненком", "ковідний", "ПОЛІТВʼЯЗНІ".lower()],
)
def test_dictionary_shortcut_gives_the_lemmas_parse_gives(word):
    from searchkit.text.analysis import _Morph

    parses = _Morph.uk().parse(word)
    known = [p.normal_form for p in parses if p.is_known]
    assert _Morph.known_lemmas(word) == list(dict.fromkeys(known))


def test_the_light_word_lookup_reads_what_the_full_analyzer_holds():
    from searchkit.text.analysis import _Morph, _word_lookup, dictionary_path

    words, build, substitutes = _word_lookup(dictionary_path("pymorphy3_dicts_uk"))
    morph = _Morph.uk()
    assert substitutes == morph.char_substitutes
    for word in ["року", "табори", "ганок", "ґанок", "йшов", "люди", "кращого", "політв'язнів", "іван-франко",
                 "шмаргуненком", "мовні", "києві"]:
        light = [(fixed, [build(p, i, fixed) for p, i in parses]) for fixed, parses in
                 words.similar_items(word, substitutes)]
        full = [(fixed, [morph.dictionary.build_normal_form(p, i, fixed) for p, i in parses]) for fixed, parses in
                morph.dictionary.words.similar_items(word, morph.char_substitutes)]
        assert light == full, word


def test_pickled_analyzer_travels_without_its_cache():
    import pickle

    an = Analyzer(cache_size=1000)
    an.analyze("Мовні табори працюють влітку")
    copy = pickle.loads(pickle.dumps(an))
    assert copy.cached()["raw"] == 0 and copy.cached()["forms"] == 0
    assert copy.cache_size == 1000
    assert [t.lemmas for t in copy.analyze("табори")] == [t.lemmas for t in an.analyze("табори")]


def test_words_gives_forms_and_lemmas_in_order():
    an = Analyzer()
    assert [(f, lem) for f, lem, _ in an.words("Мовні табори, мовні!")] == [
        (t.form, t.lemmas) for t in an.analyze("Мовні табори, мовні!")]


def test_iter_words_gives_what_words_gives_one_word_at_a_time():
    an = Analyzer()
    text = "Мовні табори, мовні! " * 3 + "Остання новина."
    assert list(an.iter_words(text)) == [(f, lem) for f, lem, _ in an.words(text)]
    later = an.iter_words("табори " + "х" * 10 + " 1" * 5)
    assert next(later) == ("табори", tuple(Analyzer().analyze("табори")[0].lemmas))
