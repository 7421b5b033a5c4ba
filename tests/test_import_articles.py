"""Engine.import_articles: Article objects and mappings imported as the lines of a JSON
Lines feed are: the same checks, ids, updates and errors, stored in corpus/ and indexed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from searchkit import Article, Engine, ImportInterrupted

from .conftest import write_jsonl

RECORDS = [
    {"id": "p1", "title": "Пекарня на розі", "text": "У пекарні на розі печуть житній хліб щоранку.",
     "date": "2022-03-04", "source": "Місто"},
    {"id": "p2", "title": "Нова бібліотека", "text": "Бібліотека відкрила зал для читання вголос.",
     "date": "2022-04-11", "rubric": "культура"},
    {"title": "Без тексту"},
    {"id": "p4", "text": "Рибалки повернулися з уловом.", "date": "2022-02-30"},
    {"id": " p5", "text": "Хор співав на площі."},
    {"text": "Стаття без ідентифікатора про весняний ярмарок.", "year": 2022},
]


@pytest.fixture
def eng(home: Path) -> Iterator[Engine]:
    with Engine(home) as e:
        yield e


def test_imported_articles_and_mappings_are_found_by_search(eng):
    report = eng.import_articles([
        Article(id="m1", title="Мед на ярмарку", text="На ярмарку продавали гречаний мед.", date=dt.date(2021, 8, 14)),
        {"id": "m2", "title": "Паводок", "text": "Рятувальники попередили про паводок на річці.",
         "date": "2021-10-03", "source": "Область"},
    ])
    assert (report.added, report.failed) == (2, 0)
    assert [h.id for h in eng.search("мед").hits] == ["m1"]
    assert [h.id for h in eng.search("паводок", source="Область").hits] == ["m2"]
    assert eng.get("m1").date == dt.date(2021, 8, 14) and eng.unindexed()[0] == 0


def test_records_given_as_objects_are_checked_stored_and_refused_as_the_same_jsonl_lines_are(tmp_path):
    from_file = Engine.init(tmp_path / "a")
    from_objects = Engine.init(tmp_path / "b")
    by_file = from_file.import_paths(write_jsonl(tmp_path / "feed.jsonl", RECORDS))
    by_objects = from_objects.import_articles(RECORDS)

    assert (by_objects.added, by_objects.failed) == (by_file.added, by_file.failed) == (3, 3)
    # the same reason for each bad record, named by where it is: its line, or its place among the articles
    feed = tmp_path / "feed.jsonl"
    assert [e.split(": ", 1)[0] for e in by_file.errors] == [f"{feed}:3", f"{feed}:4", f"{feed}:5"]
    assert [e.split(": ", 1)[0] for e in by_objects.errors] == ["article 3", "article 4", "article 5"]
    assert [e.split(": ", 1)[1] for e in by_objects.errors] == [e.split(": ", 1)[1] for e in by_file.errors]
    assert by_objects.errors[0] == 'article 3: missing "text"'
    # the same articles stored, the id made from the content and the extra field kept included
    ids = ["p1", "p2", from_file.search("ярмарок").hits[0].id]
    assert from_objects.stored(ids) == from_file.stored(ids) and len(from_objects.stored(ids)) == 3
    assert from_objects.get("p2").extra == {"rubric": "культура"}
    assert by_objects.warnings == ['the articles given: 1 record has "year" but no "date": it is undated '
                                   '(give "date": "YYYY-MM-DD")']
    from_file.close()
    from_objects.close()


def test_a_bad_article_changes_nothing_and_the_rest_is_imported(eng):
    eng.import_articles({"id": "s1", "text": "Школа отримала нові парти."})
    report = eng.import_articles([{"id": "s2", "text": "Учні посадили сад біля школи."},
                                  {"id": "s1", "text": ""},
                                  {"id": "s3", "text": "У школі відкрили їдальню."}])
    assert report.errors == ['article 2: "text" is empty'] and (report.added, report.failed) == (2, 1)
    assert eng.get("s1").text == "Школа отримала нові парти."
    assert sorted(h.id for h in eng.search("школа").hits) == ["s1", "s2", "s3"]


def test_importing_an_id_again_skips_it_unchanged_and_replaces_it_changed(eng):
    article = Article(id="r1", title="Ремонт мосту", text="Міст через річку ремонтують до осені.")
    assert eng.import_articles([article]).added == 1
    again = eng.import_articles([article.to_json()])  # the same article as a mapping: unchanged
    assert (again.added, again.updated, again.unchanged) == (0, 0, 1)
    changed = eng.import_articles([{"id": "r1", "title": "Ремонт мосту", "text": "Міст відкрили для трамваїв."}])
    assert (changed.added, changed.updated) == (0, 1)
    assert eng.search("осінь").total == 0 and [h.id for h in eng.search("трамвай").hits] == ["r1"]


def test_two_articles_of_one_id_in_one_call_are_one_the_later_winning_and_said(eng):
    report = eng.import_articles([{"id": "d1", "text": "Перша версія новини про дощ."},
                                  {"id": "d1", "text": "Друга версія новини про сніг."}])
    assert (report.added, report.replaced) == (1, 1)
    assert report.warnings[0].startswith("1 record had the id of an earlier record of this import (first: 'd1' "
                                         "in article 2)")
    assert eng.get("d1").text == "Друга версія новини про сніг." and eng.search("дощ").total == 0


def test_one_article_or_mapping_is_one_article_and_a_string_is_refused(eng):
    assert eng.import_articles({"id": "o1", "text": "Одна стаття про футбол."}).added == 1
    assert eng.import_articles(Article(id="o2", title="", text="Друга стаття про теніс.")).added == 1
    assert eng.get("o2").title == "Друга стаття про теніс."  # a title made from the text, as a feed's is
    with pytest.raises(TypeError, match="articles must be an Article, a mapping of its fields or an iterable"):
        eng.import_articles('{"text": "Не стаття, а рядок."}')  # type: ignore[arg-type]


def test_a_value_json_cannot_hold_is_refused_by_field_and_a_date_is_stored_as_its_day(eng):
    report = eng.import_articles([
        {"id": "v1", "text": "Виставка картин у музеї.", "tags": {"мистецтво"}},
        {"id": "v2", "text": "Концерт у філармонії.", "rating": float("inf")},
        {"id": "v3", "text": "Лекція про зорі.", "date": dt.datetime(2023, 5, 6, 19, 30), "parts": ("а", "б")},
    ])
    assert report.errors == ["article 1: field 'tags': a set, which JSON cannot hold",
                             "article 2: field 'rating': NaN or an infinite number is not a JSON value (write a "
                             "number or null)"]
    stored = eng.get("v3")
    assert (stored.date, stored.extra) == (dt.date(2023, 5, 6), {"parts": ["а", "б"]})


def test_a_value_json_cannot_hold_is_named_with_its_article_an_or_a(eng):
    report = eng.import_articles([{"id": "w1", "text": "Виставка в музеї.", "x": object()},
                                  {"id": "w2", "text": "Концерт у парку.", "y": Ellipsis}])
    assert report.errors == ["article 1: field 'x': an object, which JSON cannot hold",
                             "article 2: field 'y': an ellipsis, which JSON cannot hold"]


def test_an_article_made_with_values_of_other_types_is_checked_as_its_jsonl_line_is(eng):
    # (untyped code, a notebook: the date as text, as a feed writes it, and an extra of None)
    report = eng.import_articles([
        Article(id="t1", title="Ярмарок", text="У неділю на площі відбудеться ярмарок.", date="2022-09-04"),  # type: ignore[arg-type]
        Article(id="t2", title="Свято", text="Свято врожаю перенесли.", date="2022-02-30"),  # type: ignore[arg-type]
        Article(id="t3", title="Концерт", text="Концерт у парку скасували.", extra=None),  # type: ignore[arg-type]
        Article(id="t4", title="Вистава", text="Театр показав нову виставу.", source=7),  # type: ignore[arg-type]
        Article(id="t5", title="Виставка", text="Музей відкрив виставку вишиванок."),
    ])
    assert report.errors == ["article 2: bad date '2022-02-30': no such day",
                             'article 3: "extra" must be a mapping of field names to values, not NoneType',
                             'article 4: "source" must be text, not a number (put it in quotes: "7")']
    assert (report.added, report.failed) == (2, 3)
    assert eng.get("t1").date == dt.date(2022, 9, 4) and [h.id for h in eng.search("вишиванки").hits] == ["t5"]


def test_ctrl_c_while_importing_articles_is_import_interrupted_and_keeps_what_was_stored(eng):
    def feed() -> Iterator[dict[str, str]]:
        yield {"id": "c1", "text": "Трамвай вийшов на новий маршрут."}
        yield {"id": "c2", "text": "Тролейбус змінив зупинку."}
        raise KeyboardInterrupt

    with pytest.raises(ImportInterrupted) as stopped:
        eng.import_articles(feed())
    assert (stopped.value.stored, stopped.value.unindexed) == (2, 2)
    eng.index()
    assert eng.search("тролейбус").total == 1 and eng.unindexed() == (0, 2)


def test_progress_counts_the_articles_read_against_their_number_when_it_is_known(eng):
    heard: list[tuple[int, int | None]] = []
    records = [{"id": f"g{i}", "text": f"Новина номер {i} про погоду."} for i in range(3)]
    eng.import_articles(records, progress=lambda done, total: heard.append((done, total)))
    assert heard == [(1, 3), (2, 3), (3, 3), (3, 3)]
    heard.clear()
    eng.import_articles(iter(records), progress=lambda done, total: heard.append((done, total)))
    assert heard == [(1, None), (2, None), (3, None), (3, 3)]
