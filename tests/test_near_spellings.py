"""A one-word query that finds few articles lists, after them, the articles holding a word
one slip away: a real word mistyped into another real word (``крякнув`` for ``крекнув``)
finds the wrong few articles, and the one meant is among its near spellings."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from searchkit import Engine
from searchkit.cli import main

from .conftest import write_jsonl

ARTICLES = [
    {"id": "duck", "title": "На ставку", "text": "Качур голосно крякнув і поплив до берега."},
    {"id": "old-man", "title": "Дід і дрова", "text": "Дід крекнув, підняв колоду і поніс її до хати."},
    {"id": "shout", "title": "На майдані", "text": "Хтось крикнув із натовпу, і всі обернулися."},
    {"id": "rain", "title": "Злива", "text": "Хлопчик змокнув до нитки, поки біг зі школи."},
    *({"id": f"city{i}", "title": f"Місто {i}", "text": f"Міська рада ухвалила бюджет на {2000 + i} рік."}
      for i in range(12)),
]


@pytest.fixture(scope="module")
def eng(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    root = tmp_path_factory.mktemp("near")
    e = Engine.init(root / "home")
    assert e.import_paths([write_jsonl(root / "feed.jsonl", ARTICLES)]).added == len(ARTICLES)
    return e


def test_a_rare_word_lists_its_near_spellings_after_its_own_articles(eng: Engine) -> None:
    res = eng.search("крякнув")
    ids = [h.id for h in res.hits]
    assert ids[0] == "duck" and res.matched_all == 1  # the word as typed first
    assert {"old-man", "shout"} <= set(ids[1:])
    assert {"крекнув", "крикнув"} <= set(res.near) and res.partial == len(ids) - 1
    assert "city0" not in ids  # nothing one slip away: not listed


def test_a_near_spelling_hit_marks_the_word_it_holds(eng: Engine) -> None:
    hit = next(h for h in eng.search("крякнув").hits if h.id == "old-man")
    assert "крекнув" in hit.snippet.text and any(hit.snippet.text[s.start:s.end] == "крекнув"
                                                    for s in hit.snippet.spans)


def test_the_words_own_articles_mark_only_the_word_not_its_near_spellings(eng: Engine, tmp_path) -> None:
    eng.import_paths([write_jsonl(tmp_path / "both.jsonl", [
        {"id": "both", "title": "Зранку", "text": "Качур крякнув, а дід крекнув."}])])
    hit = next(h for h in eng.search("крякнув").hits if h.id == "both")
    assert [hit.snippet.text[s.start:s.end] for s in hit.snippet.spans] == ["крякнув"]
    assert [form for form, _ in hit.matched] == ["крякнув"]
    eng.delete(["both"])


def test_a_word_that_fills_the_page_gets_no_near_spellings(eng: Engine) -> None:
    res = eng.search("бюджет")
    assert res.matched_all == res.total == 12 and res.near == ()


def test_exact_and_all_words_searches_list_only_the_word_as_typed(eng: Engine) -> None:
    for res in (eng.search("крякнув", exact=True), eng.search("крякнув", partial=False)):
        assert [h.id for h in res.hits] == ["duck"] and res.near == () and res.partial == 0


def test_the_header_and_json_say_which_near_spellings_follow(eng: Engine) -> None:
    runner = CliRunner()
    text = runner.invoke(main, ["--home", str(eng.home), "search", "крякнув"])
    assert text.exit_code == 0, text.output
    assert "1 with крякнув" in text.output and "with a near spelling" in text.output
    quoted = runner.invoke(main, ["--home", str(eng.home), "search", 'крякнув"'])  # a stray quote mark
    assert "1 with крякнув," in quoted.output
    out = runner.invoke(main, ["--home", str(eng.home), "search", "--json", "крякнув"])
    data = json.loads(out.output)
    assert data["matched_all"] == 1 and "крекнув" in data["near"] and data["total"] > 1


def test_the_header_names_the_word_without_the_dates_that_filter(eng: Engine, tmp_path) -> None:
    eng.import_paths([write_jsonl(tmp_path / "dated.jsonl", [
        {"id": "dated", "title": "Ставок", "date": "2022-04-01", "text": "Качур крякнув у квітні."},
        {"id": "dated2", "title": "Дід", "date": "2022-04-02", "text": "Дід крекнув і сів."}])])
    out = CliRunner().invoke(main, ["--home", str(eng.home), "search", "крякнув з березня 2022 по травень 2022"])
    assert "1 with крякнув, 1 with a near spelling" in out.output, out.output
    eng.delete(["dated", "dated2"])


def test_after_a_correction_the_header_names_the_word_searched(tmp_path) -> None:
    home = tmp_path / "home"
    e = Engine.init(home)
    feed = [{"id": "veg", "title": "Обід", "text": "Смачні страви з овочів."},
            {"id": "ponds", "title": "Ставки", "text": "Біля села викопали ставки."}]
    assert e.import_paths([write_jsonl(tmp_path / "feed.jsonl", feed)]).added == 2
    res = e.search("стави")
    assert res.corrected_query == "ставки" and res.near  # near spellings of what was typed
    out = CliRunner().invoke(main, ["--home", str(home), "search", "стави"])
    assert out.exit_code == 0, out.output
    assert "1 with ставки" in out.output and "with стави," not in out.output


COMMON_NEIGHBOUR = [
    {"id": "bucha", "title": "Буча", "text": "У Бучі відкрили меморіал."},
    {"id": "buda", "title": "Буда", "text": "Стара буда стояла край лісу."},
    *({"id": f"was{i}", "title": f"Подія {i}", "text": f"Погода {i} травня була теплою."} for i in range(55)),
]


def test_a_near_spelling_of_a_word_most_articles_hold_is_not_listed(tmp_path) -> None:
    # ``була`` is one slip from ``Буча``, but a form of ``бути`` is in nearly every
    # article: listing them is no help; the rarer ``буда`` still is
    e = Engine.init(tmp_path / "home")
    e.import_paths([write_jsonl(tmp_path / "feed.jsonl", COMMON_NEIGHBOUR)])
    res = e.search("Буча")
    assert [h.id for h in res.hits] == ["bucha", "buda"] and res.near == ("Буда",)


def test_near_spellings_are_different_words_not_forms_of_one(tmp_path) -> None:
    # ``гнійні`` and ``гнійна`` are one slip from ``гнійно`` and forms of one word: one of
    # them finds both, and the room goes to another word (``гнівно``)
    e = Engine.init(tmp_path / "home")
    e.import_paths([write_jsonl(tmp_path / "feed.jsonl", [
        {"id": "wound", "text": "Рана була гнійно запалена."},
        {"id": "pl", "text": "Гнійні рани лікують довго."},
        {"id": "sg", "text": "Гнійна рана загоїлася."},
        {"id": "angry", "text": "Він гнівно подивився."},
    ])])
    res = e.search("гнійно")
    assert len(res.near) == 2 and "гнівно" in res.near
    assert {h.id for h in res.hits} == {"wound", "pl", "sg", "angry"}


def test_the_header_names_the_word_searched_not_the_brackets_typed_around_it(eng: Engine) -> None:
    out = CliRunner().invoke(main, ["--home", str(eng.home), "search", "((((крякнув))))"])
    assert out.exit_code == 0, out.output
    assert "1 with крякнув, " in out.output and "((" not in out.output.replace("'((((крякнув))))'", "")
    res = eng.search("((крякнув))")
    assert res.near_to == "крякнув" and res.to_json()["near_to"] == "крякнув"


def test_a_word_with_a_digit_glued_on_is_no_near_spelling_nor_a_correction(tmp_path) -> None:
    # a title's footnote mark (``Зеленський1``) is one character from the name, but no
    # slip anyone makes typing it; ``Зелінський`` is
    e = Engine.init(tmp_path / "home")
    e.import_paths([write_jsonl(tmp_path / "feed.jsonl", [
        {"id": "speech", "title": "Звернення", "text": "Президент Зеленський звернувся до громадян."},
        {"id": "note", "title": "Інтерв'ю Зеленський1", "text": "Розмова про бюджет міста."},
        {"id": "poet", "title": "Поет", "text": "Вірші написав Зелінський."},
    ])])
    res = e.search("Зеленський")
    assert res.near == ("Зелінський",) and {h.id for h in res.hits} == {"speech", "poet"}
    fixed = e.search("Зеленськй")  # a slip no article holds: corrected to a word of letters
    assert fixed.corrected_query is not None and "1" not in fixed.corrected_query


def test_a_function_word_is_no_near_spelling_of_a_subject(tmp_path) -> None:
    e = Engine.init(tmp_path / "home")
    e.import_paths([write_jsonl(tmp_path / "feed.jsonl", [
        {"id": "peninsula", "title": "Півострів", "text": "Крим омивають два моря."},
        {"id": "except", "title": "Розклад", "text": "Автобуси ходять щодня, крім неділі."},
        {"id": "typo", "title": "Відпустка", "text": "Поїхали в Кирм на тиждень."},
        {"id": "who", "title": "Загадка", "text": "Ким ти станеш, коли виростеш?"},
    ])])
    res = e.search("Крим")
    # ``крім`` is one letter from ``Крим`` but a preposition, ``ким`` a pronoun (``хто``):
    # neither names a subject
    assert [h.id for h in res.hits][0] == "peninsula" and "крім" not in res.near
    assert not {"except", "who"} & {h.id for h in res.hits}
    assert not {"ким", "Ким"} & set(res.near)
