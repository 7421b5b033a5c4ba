import subprocess
import sys

import pytest

from searchkit import Engine
from searchkit.text.analysis import Analyzer, analyze
from searchkit.text.russian import RU_TO_UK_NAMES, has_russian_letters, russian_lemmas, ukrainian_name

from .conftest import write_jsonl


def lemmas(word: str) -> tuple[str, ...]:
    (tok,) = analyze(word)
    return tok.lemmas


@pytest.mark.parametrize("word, lemma", [("войны", "война"), ("съезда", "съезд"), ("этих", "этот"),
                                         ("далёкого", "далёкий")])
def test_word_with_russian_only_letters_gets_its_russian_lemma(word, lemma):
    assert lemma in lemmas(word)


def test_word_unknown_to_ukrainian_but_known_to_russian_gets_russian_lemma_and_keeps_its_form():
    got = lemmas("Харькове")
    assert {"харьков", "харків", "харькове"} <= set(got)


@pytest.mark.parametrize("ru, uk", [("Киеве", "київ"), ("Одессы", "одеса"), ("Львове", "львів"),
                                    ("Андрея", "андрій"), ("Зеленского", "зеленський")])
def test_russian_names_get_the_ukrainian_lemma_too(ru, uk):
    assert uk in lemmas(ru)


@pytest.mark.parametrize("word", ["люди", "року", "табори", "новини", "війна", "місто"])
def test_known_ukrainian_words_get_no_russian_lemmas(word):
    before = set(Analyzer()._ukrainian(word.lower())[0])
    assert set(lemmas(word)) == before


def test_unknown_ukrainian_word_keeps_its_guess_and_surface_form():
    # "нема" is missing from the Ukrainian dictionary but the Russian one knows "немой":
    # the Ukrainian reading must stay searchable.
    assert "нема" in lemmas("нема")
    (tok,) = analyze("Шмаргуненком")
    assert not tok.known and "шмаргуненком" in tok.lemmas


def test_abbreviations_and_numbers_are_not_sent_to_the_russian_dictionary():
    assert lemmas("обл") == ("обл",)
    assert "90-й" not in lemmas("90-х")


def test_origin_says_which_dictionary_gave_the_lemmas():
    an = Analyzer()
    assert an.origin("съезд") == "ru"
    assert an.origin("киеве") == "ru"
    assert an.origin("київ") == "uk"
    assert an.origin("2022") == ""


def test_russian_letters_are_detected():
    assert has_russian_letters("объём") and not has_russian_letters("об'єм")


def test_name_table_maps_lowercase_russian_to_different_ukrainian_lemmas():
    for ru, uk in RU_TO_UK_NAMES.items():
        assert ru == ru.lower() and uk == uk.lower() and ru != uk
    assert ukrainian_name("одесса") == "одеса"
    assert ukrainian_name("київ") is None


def test_russian_lemmas_of_a_non_russian_word_are_empty_unless_guessing():
    assert russian_lemmas("шмаргуненком", guess=False) == ((), False)
    lem, known = russian_lemmas("шмаргуненкы", guess=True)
    assert lem and not known


def test_russian_dictionary_is_not_loaded_for_ukrainian_words():
    code = ("from searchkit.text.analysis import analyze; from searchkit.text.russian import _Ru; "
            "analyze('Мовні табори працюють у Києві'); print(_Ru._morph is None)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "True"


@pytest.fixture
def mixed(home, tmp_path):
    eng = Engine(home)
    eng.import_paths([write_jsonl(tmp_path / "mixed.jsonl", [
        {"id": "ru", "title": "Новости", "text": "В Киеве и Харькове прошли концерты. Одесса ждёт гостей."},
        {"id": "uk", "title": "Новини", "text": "У Львові відкрили виставку. Зеленський приїхав до Одеси."},
    ])])
    yield eng
    eng.close()


@pytest.mark.parametrize("query, ids", [
    ("Київ", {"ru"}), ("Харків", {"ru"}), ("Киев", {"ru"}), ("Одеса", {"ru", "uk"}), ("Одесса", {"ru", "uk"}),
    ("Львов", {"uk"}), ("Зеленский", {"uk"}), ("концерт", {"ru"}),
])
def test_russian_and_ukrainian_names_meet_in_search(mixed, query, ids):
    assert {h.id for h in mixed.search(query)} == ids
