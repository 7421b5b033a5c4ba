"""Spelling corrections of query words, re-inflected to the form the user typed."""

from collections.abc import Iterable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from searchkit.query.suggest import corrections, match_case, max_edits, osa_distance, replace_word
from searchkit.text.analysis import Analyzer


class FakeVocabulary:
    """Document frequencies of forms and lemmas, and a plain edit-distance scan."""

    def __init__(self, freqs: dict[str, int]) -> None:
        self.freqs = freqs

    def frequency(self, word: str) -> int:
        return self.freqs.get(word, 0)

    def near(self, word: str, maxdist: int) -> Iterable[str]:
        return [w for w in self.freqs if osa_distance(word, w, maxdist) <= maxdist]


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


@pytest.mark.parametrize(
    ("a", "b", "d"),
    [("табори", "табори", 0), ("табори", "тбаори", 1), ("табори", "таори", 1), ("табори", "таборі", 1),
     ("окупаційний", "окупаціний", 1), ("", "мова", 4), ("мова", "овам", 2)],
)
def test_osa_distance_counts_a_swap_of_neighbours_as_one_edit(a, b, d):
    assert osa_distance(a, b) == d
    assert osa_distance(b, a) == d


def test_max_edits_grows_with_word_length():
    assert [max_edits(w) for w in ("та", "мова", "табори", "політв'язнів")] == [0, 1, 1, 2]


def test_missing_apostrophe_is_corrected_in_the_users_case_and_number(analyzer):
    # The index has the word only in the nominative: the suggestion is still genitive plural.
    vocab = FakeVocabulary({"політв'язні": 3, "політв'язень": 5})
    best = corrections("політвязнів", vocab, analyzer)[0]
    assert best.word == "політв'язнів"
    assert best.distance == 1


def test_correction_keeps_the_letter_case_typed(analyzer):
    vocab = FakeVocabulary({"політв'язні": 3, "політв'язень": 5})
    assert corrections("Політвязнів", vocab, analyzer)[0].word == "Політв'язнів"


def test_dictionary_neighbours_are_offered_when_their_lemma_is_indexed(analyzer):
    # No indexed word is near "хемоавттороф", but the dictionary word one swap away is,
    # and its lemma is in the index.
    vocab = FakeVocabulary({"хемоавтотроф": 2})
    assert [c.word for c in corrections("хемоавттороф", vocab, analyzer)] == ["хемоавтотроф"]


def test_another_form_of_the_word_typed_one_edit_away_is_no_correction(analyzer):
    # ``табори`` and ``таборі`` are one edit from ``табору``, but all three are forms of
    # ``табір``: the word typed is what the archive holds. ``забору``, one edit away too,
    # is another word (``забір``), and is offered.
    vocab = FakeVocabulary({"табори": 10, "таборі": 4, "забору": 3})
    assert [(c.word, c.distance) for c in corrections("табору", vocab, analyzer, edits=1)] == [("забору", 1)]


def test_commoner_of_equally_near_words_comes_first(analyzer):
    vocab = FakeVocabulary({"цареві": 30, "цар": 40, "цісареві": 4, "цісар": 5})
    assert [c.word for c in corrections("цсареві", vocab, analyzer)][:2] == ["цареві", "цісареві"]


def test_a_ukrainian_word_comes_before_a_russian_one_a_cheaper_slip_away(analyzer):
    # ("и" for "і" is the commonest slip, but the archive quotes "Украина" in Russian)
    vocab = FakeVocabulary({"україна": 600, "украина": 40})
    assert [c.word for c in corrections("Украіна", vocab, analyzer)][:2] == ["Україна", "Украина"]


def test_short_and_unknown_words_get_no_corrections(analyzer):
    vocab = FakeVocabulary({"та": 100, "на": 100})
    assert corrections("ту", vocab, analyzer) == []
    assert corrections("абвгдежзик", FakeVocabulary({}), analyzer) == []


@pytest.mark.parametrize(("typed", "word", "out"), [("ЛЬВІВ", "київ", "КИЇВ"), ("Львів", "київ", "Київ"),
                                                    ("львів", "київ", "київ"), ("Kyiv", "київ", "Київ"),
                                                    ("Івано-Франкывськ", "івано-франківськ", "Івано-Франківськ"),
                                                    ("Нью-йорк", "нью-йорк", "Нью-йорк"),
                                                    ("Кого-небуть", "кого-небудь", "Кого-небудь")])
def test_match_case(typed, word, out):
    assert match_case(typed, word) == out


def test_replace_word_replaces_whole_words_only():
    assert replace_word("табори мовні табори", "табори", "табір") == "табір мовні табори"
    assert replace_word("політв'язні в'язні", "в'язні", "люди") == "політв'язні люди"
    assert replace_word('title:табори "мовні"', "табори", "табір") == 'title:табір "мовні"'


def test_replace_word_leaves_a_word_joined_by_any_hyphen_or_apostrophe_alone():
    # (U+2011 non-breaking hyphen, a backtick and U+02B9 typed for the apostrophe)
    assert replace_word("Івано\u2011Франкивськ Франкивськ", "Франкивськ", "Франківськ") == (
        "Івано\u2011Франкивськ Франківськ")
    assert replace_word("пам`ятник ятник", "ятник", "X") == "пам`ятник X"
    assert replace_word("пам\u02b9ятник ятник", "ятник", "X") == "пам\u02b9ятник X"


def _osa_reference(a: str, b: str) -> int:
    """Optimal string alignment distance, the textbook dynamic programme."""
    d = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[-1][-1]


@given(st.text("абвгґдеєжзи'", max_size=9), st.text("абвгґдеєжзи'", max_size=9), st.integers(0, 3))
def test_osa_distance_is_the_textbook_one_and_says_limit_plus_one_past_the_limit(a, b, limit):
    d = _osa_reference(a, b)
    assert osa_distance(a, b) == d
    assert osa_distance(a, b, limit) == (d if d <= limit else limit + 1)


def test_a_word_with_a_digit_is_never_corrected(analyzer):
    # 2022 is not a slip for 2020, nor a year for another year
    vocab = FakeVocabulary({"2020": 50, "2012": 40, "2002": 30, "covid-19": 20})
    assert max_edits("2022") == 0
    assert corrections("2022", vocab, analyzer) == []
    assert corrections("covid-18", vocab, analyzer) == []


def test_a_year_that_finds_nothing_is_not_searched_as_another_year(tmp_path):
    from searchkit import Engine

    from .conftest import write_jsonl

    rows = [{"id": f"v{i}", "title": f"Вибори {year}", "text": f"Місцеві вибори відбулися {year} року."}
            for i, year in enumerate((2012, 2020, 2020))]
    eng = Engine.init(tmp_path / "home")
    eng.import_paths([write_jsonl(tmp_path / "feed.jsonl", rows)])
    for query in ("вибори 2022", "2022"):
        r = eng.search(query, find_dates=False)
        assert r.corrected_query is None and r.suggestion is None
        assert r.matched_all == 0 and all("2022" not in h.title for h in r.hits)
    eng.close()


def test_match_case_takes_a_compound_typed_with_a_non_breaking_hyphen_part_by_part():
    assert match_case("Івано\u2011Франкывськ", "івано-франківськ") == "Івано-Франківськ"


@pytest.mark.parametrize("apostrophe", ["'", "\u2019", "\u02bc", "\u02b9", "\ua78c"])
def test_a_word_typed_in_capitals_with_any_apostrophe_is_corrected_in_capitals(apostrophe):
    # (ʼ, ʹ and ꞌ are letters to Unicode, of no case: they made ПАМʼЯТНКИ read as Capitalised)
    assert match_case(f"ПАМ{apostrophe}ЯТНКИ", "пам'ятник") == "ПАМ'ЯТНИК"


@pytest.mark.parametrize("word", ["промахнутися", "нога", "ґудзик", "гігант", "Школа", "ГОРА", "газета"])
def test_known_words_are_those_pymorphy3_says_it_knows_with_g_standing_for_g_with_upturn(word):
    # asked of the word graph directly, as word_is_known asks it (a typed г may be ґ)
    from searchkit.query.suggest import _edits1
    from searchkit.text.analysis import known_words, ukrainian_morphology

    morph = ukrainian_morphology()
    candidates = _edits1(word.lower()) | {word, word.upper()}
    found = known_words(candidates)
    assert found == {w for w in candidates if morph.word_is_known(w)}
    assert found  # (a known word has known neighbours, or is known itself)
