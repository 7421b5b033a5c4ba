import pytest

from searchkit.text.normalize import normalize_word, strip_marks


@pytest.mark.parametrize(
    "raw",
    ["політв'язнів", "політв’язнів", "політвʼязнів", "політв‘язнів", "політв`язнів", "ПОЛІТВʼЯЗНІВ",
     "політвꞌязнів"],  # the last: the saltillo, U+A78C
)
def test_apostrophe_variants_fold_to_ascii_apostrophe(raw):
    assert normalize_word(raw) == "політв'язнів"


def test_stress_marks_are_removed_but_y_and_yi_survive():
    assert normalize_word("мо\u0301ва") == "мова"
    assert normalize_word("її\u0301") == "її"
    assert normalize_word("край\u0300") == "край"
    assert strip_marks("й") == "й"


def test_invisible_characters_and_soft_hyphens_are_removed():
    assert normalize_word("пол\u00adіт\u200bв'язні") == "політв'язні"


def test_latin_lookalikes_inside_cyrillic_words_are_repaired():
    assert normalize_word("oкупацiйний") == "окупаційний"  # Latin o and i
    assert normalize_word("TEPOPИCT") == "терорист"
    assert normalize_word("Kиїв") == "київ"
    assert normalize_word("Украïна") == normalize_word("УКРАÏНА") == "україна"  # Latin ï (U+00EF)


def test_a_latin_word_with_a_diaeresis_stays_latin():
    assert normalize_word("naïve") == "naïve"
    assert normalize_word("naïve-арт") == "naïve-арт"


def test_pure_latin_words_are_left_alone():
    assert normalize_word("Kyiv") == "kyiv"
    assert normalize_word("COVID") == "covid"


def test_a_latin_part_of_a_mixed_compound_stays_latin_unless_it_could_be_cyrillic():
    assert normalize_word("COVID-тести") == "covid-тести"  # V and D look like no Cyrillic letter
    assert normalize_word("SMS-повідомлення") == "sms-повідомлення"
    assert normalize_word("IT-фахівці") == normalize_word("ІТ-фахівці") == "іт-фахівці"
    assert normalize_word("пpoект-кошторис") == "проект-кошторис"  # look-alikes inside a Cyrillic part


def test_fullwidth_latin_letters_and_figures_are_ascii():
    assert normalize_word("ＫＹＩＶ") == "kyiv"
    assert normalize_word("ＣＯＶＩＤ－１９") == "covid-19"


def test_hyphen_variants_unify():
    assert normalize_word("Івано\u2011Франківськ") == "івано-франківськ"
    assert normalize_word("Івано\u2010Франківськ") == "івано-франківськ"


def test_normalize_is_idempotent():
    for w in ["ПОЛІТВʼЯЗНІВ", "мо\u0301ва", "oкупацiйний", "Івано‑Франківськ", "COVID-тести", "IT-фахівці", "ＫＹＩＶ"]:
        once = normalize_word(w)
        assert normalize_word(once) == once
