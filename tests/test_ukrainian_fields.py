"""A field typed by its Ukrainian name (``заголовок:мова``, ``назва:``, ``текст:``) is the
field its English name is (``title:мова``, ``text:``), in any letter case and before a
word, a phrase, a prefix, a fuzzy word or a group; a word that only ends in a colon
(``Увага: мова``) is still a word."""

from __future__ import annotations

from pathlib import Path

import pytest

from searchkit import Engine
from searchkit.query.parse import And, Word, parse_query, words_of

from .conftest import imported

IN_TITLE = {"id": "t1", "title": "Мова у школі", "text": "Учні щодня вчать історію та математику."}
IN_TEXT = {"id": "b1", "title": "Новини спорту", "text": "Мова тренера була короткою, команда слухала."}
NEW_SCHOOL = {"id": "n1", "title": "Нова школа відкрилася", "text": "Директор розповів про навчання."}


@pytest.fixture
def eng(tmp_path: Path) -> Engine:
    engine = imported(tmp_path, [IN_TITLE, IN_TEXT, NEW_SCHOOL])
    yield engine
    engine.close()


def found(eng: Engine, query: str) -> list[str]:
    return sorted(h.id for h in eng.search(query, partial=False).hits)


@pytest.mark.parametrize(("ukrainian", "english"), [
    ("заголовок:мова", "title:мова"),
    ("ЗАГОЛОВОК:Мова", "title:мова"),
    ("Назва:мова", "title:мова"),
    ("текст:мова", "text:мова"),
    ('заголовок:"нова школа"', 'title:"нова школа"'),
    ("заголовок:шко*", "title:шко*"),
    ("заголовок:школо~", "title:школо~"),
    ("заголовок:(спорту OR школі)", "title:(спорту OR школі)"),
    ("мова -заголовок:школі", "мова -title:школі"),
    ('школа -заголовок:"нова школа"', 'школа -title:"нова школа"'),
    ("мова заголовок:+школі", "мова title:+школі"),
])
def test_a_ukrainian_field_name_finds_what_the_english_one_finds(eng: Engine, ukrainian: str, english: str):
    assert found(eng, ukrainian) == found(eng, english)
    assert found(eng, ukrainian)  # (each finds something: the same nothing would prove nothing)


def test_a_word_asked_for_in_the_title_by_its_ukrainian_name_is_not_found_in_the_text_only(eng: Engine):
    assert found(eng, "заголовок:мова") == ["t1"]
    assert found(eng, "текст:мова") == ["b1"]


@pytest.mark.parametrize(("ukrainian", "english"), [
    ("заголовок:мова", "title:мова"), ("ЗаГоЛоВоК:мова", "TITLE:мова"), ("назва:мов*", "title:мов*"),
    ("текст:мова~2", "text:мова~2"), ('Заголовок:"нова школа"', 'title:"нова школа"'),
    ("заголовок:(мова OR школа)", "title:(мова OR школа)"), ("мова -заголовок:школа", "мова -title:школа"),
    ("заголовок:школа,вчитель", "title:школа,вчитель"),
])
def test_a_ukrainian_field_name_is_parsed_as_the_english_one(ukrainian: str, english: str):
    assert parse_query(ukrainian).root == parse_query(english).root


def test_a_note_echoes_the_field_name_as_typed():
    assert parse_query("заголовок:-мова").warnings == (
        "read заголовок:-мова as заголовок:мова: to leave a word out of the title, write -заголовок:мова",)


@pytest.mark.parametrize("typed", ["Увага: мова", "Заголовок: мова", "заголовок: (мова OR школа)", 'Увага:"мова"',
                                   "Увага:(мова OR школа)", "Текст:"])
def test_a_word_that_ends_in_a_colon_is_a_word_as_before(typed: str):
    parsed = parse_query(typed)
    first = parsed.root.items[0] if isinstance(parsed.root, And) else parsed.root
    assert first == Word(typed.split(":")[0] + ":")
    assert all(w.field is None for w in words_of(parsed.root))
    if typed.startswith("Увага"):  # (no name the language has: nothing to say)
        assert parsed.warnings == ()


@pytest.mark.parametrize(("typed", "note"), [
    ("Заголовок: мова", "searched 'Заголовок:' as a word, as in a sentence: to search the titles only, glue the "
                        "field to its word (Заголовок:слово)"),
    ("назва: (мова OR школа)", "searched 'назва:' as a word, as in a sentence: to search the titles only, glue the "
                               "field to its word (назва:слово)"),
    ("ТЕКСТ: мова", "searched 'ТЕКСТ:' as a word, as in a sentence: to search the text only, glue the field to its "
                    "word (ТЕКСТ:слово)"),
])
def test_a_ukrainian_field_name_followed_by_a_space_is_a_word_and_a_note_says_how_to_name_the_field(typed: str,
                                                                                                  note: str):
    assert parse_query(typed).warnings == (note,)


def test_a_sentence_with_a_colon_finds_the_articles_holding_its_words(eng: Engine):
    assert found(eng, "Увага: мова") == []  # (no article holds `увага`: as before, not a field)
    assert found(eng, "Новини: мова") == ["b1"]  # (`новини` in the title, `мова` in the text)



@pytest.mark.parametrize(("typed", "said", "option"), [
    ("джерело:Суспільне школа", "; to filter by source, use `source=`", "; to filter by source, use --source"),
    ("Дата:2016 школа", "; to filter by date, use `since=`/`until=`", "; to filter by date, use --since/--until"),
    ("дата:(2016 OR 2017) школа", "; to filter by date, use `since=`/`until=`",
     "; to filter by date, use --since/--until"),
])
def test_a_filter_named_in_ukrainian_says_which_option_filters_by_it(typed: str, said: str, option: str):
    from searchkit.advice import in_command_words

    parsed = parse_query(typed)
    name = typed.split(":")[0]
    (note,) = parsed.warnings
    assert note == f"unknown field {name!r}; searched everywhere (fields: title, text){said}"
    assert in_command_words(note) == f"unknown field {name!r}; searched everywhere (fields: title, text){option}"
    assert Word("школа") in words_of(parsed.root) and all(w.field is None for w in words_of(parsed.root))
    assert not any(w.text.endswith(":") for w in words_of(parsed.root))  # (its words searched, not the name)


@pytest.mark.parametrize("typed", ["Джерело: школа", "дата: 2016 школа"])
def test_a_filter_name_in_ukrainian_with_a_space_after_it_is_a_word(typed: str):
    parsed = parse_query(typed)
    assert parsed.warnings == () and Word(typed.split(":")[0] + ":") in words_of(parsed.root)


def test_a_search_for_a_ukrainian_field_name_with_a_space_says_how_to_search_the_field(eng: Engine):
    results = eng.search("Заголовок: мова")
    assert any("glue the field to its word (Заголовок:слово)" in w for w in results.warnings)
    assert found(eng, "Заголовок:мова") == found(eng, "title:мова")  # (what the note says to write)
