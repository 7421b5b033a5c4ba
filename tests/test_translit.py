"""Latin spellings back to Cyrillic: the 2010 transliteration read backwards, informal spellings."""

import pytest

from searchkit.text.translit import best_reading, candidates, is_latin_word

VOCABULARY = {
    "київ", "києва", "харків", "харкова", "зеленський", "війна", "калинець", "мар'яна",
    "виноградова", "одеса", "цвєк", "івано-франківськ", "івано", "франківськ", "кагамлички",
}


def has_prefix(prefix: str) -> bool:
    return any(w.startswith(prefix) for w in VOCABULARY)


def find(word: str) -> list[str]:
    return candidates(word, has_prefix=has_prefix, exists=VOCABULARY.__contains__)


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Kyiv", "київ"),
        ("Kharkiv", "харків"),
        ("Zelenskyi", "зеленський"),
        ("viyna", "війна"),
        ("Vynohradova", "виноградова"),
        ("Tsviek", "цвєк"),  # ts -> ц, ie -> є
        ("Kalynets", "калинець"),  # the dropped soft sign at the end comes back
        ("Mariana", "мар'яна"),  # the dropped apostrophe comes back
        ("Ivano-Frankivsk", "івано-франківськ"),
    ],
)
def test_official_transliteration_reads_back_to_the_indexed_word(latin, cyrillic):
    assert find(latin)[0] == cyrillic


@pytest.mark.parametrize(("latin", "cyrillic"), [("Kiev", "київ"), ("Kharkov", "харків"), ("Odessa", "одеса"),
                                                  ("Zelensky", "зеленський")])
def test_informal_and_foreign_spellings_reach_the_ukrainian_word(latin, cyrillic):
    assert cyrillic in find(latin)


def test_only_words_the_index_has_are_offered():
    assert find("Lviv") == []
    assert find("Kyivv") == []


def test_best_reading_completes_a_word_the_index_has_only_in_other_forms():
    assert best_reading("Kahamlychka", has_prefix=has_prefix) == "кагамличка"
    assert best_reading("Qqqq", has_prefix=has_prefix) is None


@pytest.mark.parametrize(("word", "latin"), [("Kyiv", True), ("O'Neil", True), ("Київ", False), ("COVID19", False),
                                             ("Kиїв", False)])
def test_is_latin_word(word, latin):
    assert is_latin_word(word) is latin


@pytest.mark.parametrize("latin", ["Ivano\u2011Frankivsk", "Ivano\u2010Frankivsk"])
def test_a_latin_compound_with_another_hyphen_reads_back_as_with_the_ascii_one(latin):
    assert is_latin_word(latin) and find(latin)[0] == "івано-франківськ"


@pytest.mark.parametrize("latin", ["Mar'iana", "Mar\u2019iana", "Mar\u02bciana", "Mar`iana"])
def test_a_latin_word_with_any_apostrophe_reads_back_alike(latin):
    assert is_latin_word(latin) and find(latin)[0] == "мар'яна"
    assert best_reading(latin, has_prefix=has_prefix) == "мар'яна"
