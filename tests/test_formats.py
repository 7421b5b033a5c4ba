import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchkit import Engine
from searchkit.cli import main
from searchkit.errors import InputError
from searchkit.models import Article
from searchkit.store.formats import article_from_record, iter_input_files, make_title, parse_date, read_file

from .conftest import write_jsonl


def read(path: Path) -> list:
    return list(read_file(path))


def test_txt_with_leading_date_line(tmp_path):
    p = tmp_path / "seed-1.txt"
    p.write_text(" date 2025-09-21 Перше речення статті. Друге речення.\n\nДругий абзац.", encoding="utf-8")
    (a,) = read(p)
    assert a.id == "seed-1"
    assert a.date == dt.date(2025, 9, 21)
    assert a.title == "Перше речення статті. Друге речення."
    assert a.text.startswith("Перше речення") and a.text.endswith("Другий абзац.")


@pytest.mark.parametrize("line, day", [("date 2022-10-05T10:00", dt.date(2022, 10, 5)),
                                       ("date 24.02.2022", dt.date(2022, 2, 24)),
                                       ("date 2022-10-5", dt.date(2022, 10, 5)),
                                       ("date 24 лютого 2022", dt.date(2022, 2, 24)),
                                       ("Date: 24.02.2022 ", dt.date(2022, 2, 24))])
def test_txt_date_line_may_be_a_timestamp_or_a_day_of_one_digit(tmp_path, line, day):
    p = tmp_path / "t.txt"
    p.write_text(f"{line}\nПерше речення.", encoding="utf-8")
    (a,) = read(p)
    assert a.date == day and a.title == "Перше речення."


@pytest.mark.parametrize("value", ["2022/10/05", "31.02.2021", "2022-02-30", "2022", "2022-02", "1645671600"])
def test_txt_date_line_that_is_no_date_is_an_error_not_the_title(tmp_path, value):
    p = tmp_path / "t.txt"
    p.write_text(f"date {value}\nПерше речення.", encoding="utf-8")
    (err,) = read(p)
    assert isinstance(err, InputError) and str(err).startswith(f"{p}:1: bad date '{value}'")


def test_a_first_line_of_date_words_that_starts_with_no_figure_is_the_title(tmp_path):
    p = tmp_path / "t.txt"
    p.write_text("Date of birth 1990\nПерше речення.", encoding="utf-8")
    (a,) = read(p)
    assert a.date is None and a.title == "Date of birth 1990"


def test_txt_without_date_uses_first_line_as_title(tmp_path):
    p = tmp_path / "n.txt"
    p.write_text("Заголовок новини\nТекст новини про Київ.", encoding="utf-8")
    (a,) = read(p)
    assert a.date is None and a.title == "Заголовок новини"


@pytest.mark.parametrize("title", ["\u200b", "\u200b\u200d\u200f", "\u0301\u0301", " \t ", "\u2800\ufe0f"])
def test_a_title_that_shows_nothing_is_none_and_the_text_gives_it(tmp_path, title):
    # (stored as given, it listed the article under a blank line, or a row of accents)
    a = article_from_record({"id": "a1", "title": title, "text": "Школа відкрилася.\nПісля ремонту."})
    assert a.title == "Школа відкрилася."
    eng = Engine.init(tmp_path / "home")
    eng.import_articles([Article(id="a2", title=title, text="Мова і школа.")])
    assert eng.get("a2").title == "Мова і школа." and eng.search("школа")[0].title == "Мова і школа."


def test_a_title_of_marks_only_is_kept_and_a_txt_first_line_that_shows_nothing_is_skipped(tmp_path):
    assert article_from_record({"title": "…", "text": "Школа."}).title == "…"  # (it shows: a title as typed)
    p = tmp_path / "n.txt"
    p.write_text("\u200b\u200d\n\nЗаголовок новини\nТекст новини про Київ.", encoding="utf-8")
    (a,) = read(p)
    assert a.title == "Заголовок новини" and make_title(" \u200b\n\u0301\nРядок") == "Рядок"


@pytest.mark.parametrize("end", ["\r", "\r\n", "\n"])
def test_a_txt_file_with_old_mac_line_ends_has_its_first_line_as_the_title(tmp_path, end):
    p = tmp_path / "m.txt"
    p.write_bytes(end.join(["date 2024-05-01", "Заголовок новини", "Текст новини.", "Другий абзац."]).encode())
    (a,) = read(p)
    assert a.date == dt.date(2024, 5, 1) and a.title == "Заголовок новини"
    assert a.text == "Заголовок новини\nТекст новини.\nДругий абзац."


@pytest.mark.parametrize("name, data, line, says", [
    ("cr.csv", b"id,text\rx1,\xd0\xbe\xd0\xb4\xd0\xb8\xd0\xbd\rx2,\xd0\xb4\xd0\xb2\xd0\xb0\r", 1,
     "a line ends in a carriage return (CR) alone"),
    ("cr2.csv", b"id,text\r\nx1,\xd0\xbe\xd0\xb4\xd0\xb8\xd0\xbd\rx2,\xd0\xb4\xd0\xb2\xd0\xb0\r", 2,
     "a line ends in a carriage return (CR) alone"),
    ("cr.jsonl", b'{"id": "j1", "text": "a"}\r{"id": "j2", "text": "b"}\r', 1,
     "bad JSON: records separated by a carriage return (CR) alone"),
])
def test_lines_ended_by_a_lone_carriage_return_are_named_as_such_with_what_to_do(tmp_path, name, data, line, says):
    p = tmp_path / name
    p.write_bytes(data)
    (err,) = read(p)
    assert isinstance(err, InputError) and str(err).startswith(f"{p}:{line}: {says}")
    assert "save the file with LF or CRLF line ends" in str(err) and "universal-newline" not in str(err)


def test_long_first_line_gives_first_sentence_as_title():
    text = "Коротке перше речення. " + "Далі дуже довгий текст без крапок " * 10
    assert make_title(text) == "Коротке перше речення."


def test_very_long_sentence_title_is_cut_at_a_word():
    title = make_title("слово " * 100)
    assert title.endswith("…") and len(title) <= 161


def test_jsonl_keeps_ids_exactly_and_unknown_fields(tmp_path):
    p = tmp_path / "f.jsonl"
    p.write_text('{"id": "Ab/1", "title": "Т", "text": "текст", "author": "Іван", "tags": ["a"]}\n'
                 '{"id": 42, "text": "інший текст"}\n', encoding="utf-8")
    a, b = read(p)
    assert a.id == "Ab/1" and a.extra == {"author": "Іван", "tags": ["a"]}
    assert b.id == "42" and b.title == "інший текст"


def test_jsonl_bad_lines_are_reported_with_line_numbers_and_the_rest_is_read(tmp_path):
    p = tmp_path / "f.jsonl"
    p.write_text('{"id": "a", "text": "добре"}\n{broken\n{"id": "c"}\n\n{"id": "d", "text": "теж добре", '
                 '"date": "вчора"}\n{"id": "e", "text": "ok"}\n{"id": "f", "text": " "}\n{"id": "g", "text": 7}\n',
                 encoding="utf-8")
    out = read(p)
    errors = [str(e) for e in out if isinstance(e, InputError)]
    assert [a.id for a in out if isinstance(a, Article)] == ["a", "e"]
    assert errors[0].startswith(f"{p}:2: bad JSON")
    assert errors[1] == f'{p}:3: missing "text"'
    assert errors[2].startswith(f"{p}:5: bad date 'вчора'")
    assert errors[3:] == [f'{p}:7: "text" is empty',
                          f'{p}:8: "text" must be text, not a number (put it in quotes: "7")']


def test_a_number_too_long_to_read_fails_its_record_alone(tmp_path):
    p = tmp_path / "f.jsonl"
    p.write_text('{"id": "a", "text": "добре"}\n{"id": "b", "text": "t", "n": 1' + "0" * 5000 + '}\n'
                 '{"id": "c", "text": "теж"}\n', encoding="utf-8")
    out = read(p)
    assert [a.id for a in out if isinstance(a, Article)] == ["a", "c"]
    assert [str(e) for e in out if isinstance(e, InputError)] == [f"{p}:2: bad JSON: a number too long to read"]


def test_a_long_date_that_is_no_date_is_echoed_clipped_as_every_error_echoes_a_value(tmp_path):
    # (its 5,000 characters were the error line: a value is echoed by errors.echoed)
    p = tmp_path / "f.jsonl"
    p.write_text('{"id": "a", "text": "добре", "date": "' + "x" * 5000 + '"}\n', encoding="utf-8")
    (err,) = read(p)
    assert isinstance(err, InputError) and str(err).startswith(f"{p}:1: bad date 'xxx")
    assert "(5,000 characters): expected one day" in str(err) and "x" * 100 not in str(err)


def test_a_jsonl_record_cut_short_says_so_and_a_bad_one_names_its_own_column(tmp_path):
    p = tmp_path / "f.jsonl"
    p.write_text('{"id": "a", "text": "добре"\n{"id": "b", "text": "не закрито\r\n'
                 '{"id": "c", "text": "так", }\n{"id": "d", "text": "добре"}\n', encoding="utf-8")
    out = read(p)
    assert [a.id for a in out if isinstance(a, Article)] == ["d"]
    assert [str(e) for e in out if isinstance(e, InputError)] == [
        f'{p}:1: bad JSON: the line ends before the record does (a missing }} or "?)',
        f"{p}:2: bad JSON: Unterminated string starting at column 21",
        f"{p}:3: bad JSON: Expecting property name enclosed in double quotes (column 28)",
    ]


def test_jsonl_with_bom_and_crlf(tmp_path):
    p = tmp_path / "f.jsonl"
    p.write_bytes('\ufeff{"id": "a", "text": "текст"}\r\n{"id": "b", "text": "ще"}\r\n'.encode())
    assert [a.id for a in read(p)] == ["a", "b"]


def test_csv_with_same_columns(tmp_path):
    p = tmp_path / "f.csv"
    p.write_text('id,title,text,date,source,url,extra\n1,Заголовок,"Текст, з комою",2024-01-02,Джерело,http://x,e\n'
                 '2,,,2024-01-02,,,\n', encoding="utf-8")
    a, err = read(p)
    assert a.id == "1" and a.text == "Текст, з комою" and a.source == "Джерело" and a.extra == {"extra": "e"}
    assert isinstance(err, InputError) and str(err) == f'{p}:3: "text" is empty'


def test_csv_without_text_column_is_rejected(tmp_path):
    p = tmp_path / "f.csv"
    p.write_text("id,title\n1,x\n", encoding="utf-8")
    (err,) = read(p)
    assert isinstance(err, InputError) and 'no "text" column' in str(err)


def test_a_csv_without_a_text_column_lists_its_columns_and_the_likely_one(tmp_path):
    p = tmp_path / "f.csv"
    p.write_text("id,title,body\ns1,Мед,Бджоли несуть мед.\n", encoding="utf-8")
    (err,) = read(p)
    assert str(err) == (f"""{p}:1: no "text" column in the header row (it has 'id', 'title', 'body'; """
                        """if 'body' holds the text, name it "text")""")
    p.write_text("Номер;Заголовок;Зміст\n", encoding="utf-8")
    (err,) = read(p)
    assert str(err).endswith("""(it has 'Номер', 'Заголовок', 'Зміст'; if 'Зміст' holds the text, name it "text")""")


def test_a_wide_csv_header_without_a_text_column_lists_its_first_columns_shortened(tmp_path):
    p = tmp_path / "f.csv"
    p.write_text(",".join(["id", "х" * 50, *(f"c{i}" for i in range(20))]) + "\n", encoding="utf-8")
    (err,) = read(p)
    assert str(err).endswith(f"(it has 'id', '{'х' * 30}…', 'c0', 'c1', 'c2', 'c3', 'c4', 'c5', … (22 in all))")


def test_a_csv_header_names_the_known_columns_in_any_case(tmp_path):
    p = tmp_path / "f.csv"
    p.write_text("ID,Title,TEXT,Date,Author\n1,Заголовок,Текст про мову.,2024-01-02,Олена\n", encoding="utf-8")
    (a,) = read(p)
    assert isinstance(a, Article) and (a.id, a.title, a.text) == ("1", "Заголовок", "Текст про мову.")
    assert a.extra == {"Author": "Олена"}  # other columns kept as written


def test_a_csv_header_naming_a_column_twice_is_rejected_not_read_as_the_last(tmp_path):
    p = tmp_path / "f.csv"
    p.write_text("id,text,text\n1,перший,другий\n", encoding="utf-8")
    (err,) = read(p)
    assert str(err) == f"{p}:1: the header row names the column 'text' twice: rename one"


@pytest.mark.parametrize("header", ["Ідентифікатор;Заголовок;Текст;Дата;Джерело;Посилання;Автор",
                                    "ід,назва,ТЕКСТ,дата публікації,джерело,посилання,Автор"])
def test_a_csv_header_may_name_the_known_columns_in_ukrainian(tmp_path, header):
    # (such a table, saved by a Ukrainian newsroom's spreadsheet, was refused: no "text" column)
    sep = ";" if ";" in header else ","
    p = tmp_path / "novyny.csv"
    p.write_text(header + "\n" + sep.join(["n1", "Міст відкрили", "Новий міст через Дніпро відкрили.", "2024-05-12",
                                           "Вісті", "https://example.org/n1", "Олена"]) + "\n", encoding="utf-8")
    eng = Engine.init(tmp_path / "home")
    assert eng.import_paths(p).added == 1
    a = eng.get("n1")
    assert (a.title, a.text, a.date, a.source, a.url) == ("Міст відкрили", "Новий міст через Дніпро відкрили.",
                                                          dt.date(2024, 5, 12), "Вісті", "https://example.org/n1")
    assert a.extra == {"Автор": "Олена"}  # other columns kept as written
    assert [h.id for h in eng.search("міст", since="2024-05-01")] == ["n1"]
    eng.close()


def test_a_csv_header_naming_a_column_in_english_and_in_ukrainian_names_both(tmp_path):
    p = tmp_path / "f.csv"
    p.write_text("id,text,Текст\n1,перший,другий\n", encoding="utf-8")
    (err,) = read(p)
    assert str(err) == f"{p}:1: the header row names the column 'text' twice (as 'text' and 'Текст'): rename one"


def test_a_wide_csv_header_is_read_and_its_column_named_twice_found_last(tmp_path):
    # 200,000 columns were checked each against all before it: 454 s; now one pass
    p = tmp_path / "f.csv"
    names = ["text", *(f"c{i}" for i in range(20_000)), "c7"]
    p.write_text(",".join(names) + "\n" + ",".join(["широкий", *["x"] * (len(names) - 1)]) + "\n", encoding="utf-8")
    (err,) = read(p)
    assert str(err) == f"{p}:1: the header row names the column 'c7' twice: rename one"
    p.write_text(",".join(names[:-1]) + "\n" + ",".join(["широкий", *["x"] * (len(names) - 2)]) + "\n",
                 encoding="utf-8")
    (a,) = read(p)
    assert isinstance(a, Article) and a.text == "широкий" and len(a.extra) == 20_000


def test_undecodable_files_are_errors_and_a_text_of_spaces_is_an_article_without_text(tmp_path):
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"\x00\x01\x02" * 10)
    assert "binary" in str(read(binary)[0])
    spaces = tmp_path / "s.txt"
    spaces.write_text("  \n", encoding="utf-8")
    assert isinstance(read(spaces)[0], InputError)


@pytest.mark.parametrize("name", ["e.txt", "e.csv", "e.html", "e.jsonl", "e.json"])
def test_an_empty_file_of_any_type_holds_no_article_and_no_error(tmp_path, name):
    # (the import names it with a warning, as README says: an empty feed is no error)
    empty = tmp_path / name
    empty.write_bytes(b"")
    assert read(empty) == []


def test_unsupported_extension_is_an_error(tmp_path):
    p = tmp_path / "f.pdf"
    p.write_bytes(b"%PDF")
    (err,) = read(p)
    assert "unsupported file type" in str(err)


def test_folders_are_walked_sorted_skipping_hidden_and_unsupported(tmp_path):
    (tmp_path / "d" / "sub").mkdir(parents=True)
    (tmp_path / "d" / ".hidden").mkdir()
    for name in ["d/b.txt", "d/a.jsonl", "d/sub/c.csv", "d/.x.txt", "d/.hidden/y.txt", "d/z.pdf"]:
        (tmp_path / name).write_text("x", encoding="utf-8")
    files = [p.relative_to(tmp_path).as_posix() for p in iter_input_files([tmp_path / "d"])]
    assert files == ["d/a.jsonl", "d/b.txt", "d/sub/c.csv"]


def test_a_file_met_twice_in_one_import_is_read_once_and_counted_once(tmp_path):
    # (named twice, through a link, or in a folder and a folder inside it: its records were
    # read again, counted twice, '40 unchanged' of 20 articles, and said to replace each other)
    (tmp_path / "d" / "sub").mkdir(parents=True)
    feed = write_jsonl(tmp_path / "d" / "sub" / "feed.jsonl",
                       [{"id": f"a{i}", "text": f"Стаття номер {i}"} for i in range(3)])
    (tmp_path / "link.jsonl").symlink_to(feed)
    given = [feed, feed, tmp_path / "link.jsonl", tmp_path / "d", tmp_path / "d" / "sub"]
    assert list(iter_input_files(given)) == [feed]
    eng = Engine.init(tmp_path / "home")
    first = eng.import_paths(given, index=False)
    assert (first.added, first.unchanged, first.replaced, first.warnings) == (3, 0, 0, [])
    again = eng.import_paths(given, index=False)
    assert (again.added, again.unchanged) == (0, 3)


def test_a_record_without_text_names_the_field_that_likely_holds_it(tmp_path):
    # (each line said 'missing "text"' alone, as a CSV table without the column no longer does)
    feed = write_jsonl(tmp_path / "feed.jsonl", [{"id": "c1", "title": "Т", "content": "Текст статті"},
                                                 {"id": "c2", "title": "Т", "tags": ["a"]}])
    assert [str(e) for e in read(feed)] == [f'{feed}:1: missing "text"; if \'content\' holds the text, name it "text"',
                                            f'{feed}:2: missing "text"']


def test_an_object_wrapping_the_articles_is_said_as_such(tmp_path):
    # (an API's answer, {"status": "ok", "articles": [...]}, was 'missing "text"')
    answer = tmp_path / "answer.json"
    answer.write_text('{"status": "ok", "articles": [{"id": "a", "text": "Перша"}, {"id": "b", "text": "Друга"}]}',
                      encoding="utf-8")
    (error,) = read(answer)
    assert str(error) == (f'{answer}: missing "text"; \'articles\' holds a list of 2 objects: if they are the '
                          "articles, import that list (a .json file of it, or one object a line)")


def test_a_file_named_only_by_its_extension_is_read_as_that_format(tmp_path):
    # (``.txt`` was "unsupported file type; use one of .txt, …"; a ``.jsonl`` so named was not read)
    (tmp_path / ".txt").write_text("Мовні табори\nВлітку працюють табори.", encoding="utf-8")
    (tmp_path / ".jsonl").write_text('{"id": "a1", "text": "Мовні табори влітку."}\n', encoding="utf-8")
    (err,) = read_file(tmp_path / ".txt")
    assert str(err) == f"{tmp_path / '.txt'}: the file name cannot be an article id (1-512 printable characters); " \
        "rename the file"
    assert [a.id for a in read_file(tmp_path / ".jsonl")] == ["a1"]


def test_missing_path_is_an_error(tmp_path):
    (err,) = list(iter_input_files([tmp_path / "nope"]))
    assert isinstance(err, InputError) and "no such file" in str(err)


@pytest.mark.parametrize("value, expected", [("2022-02-24", dt.date(2022, 2, 24)),
                                             ("2022-02-24T10:00:00Z", dt.date(2022, 2, 24)),
                                             ("2022-02-24 10:00:00.5+0200", dt.date(2022, 2, 24)),
                                             ("2022-02-24, четвер", dt.date(2022, 2, 24)), ("", None), (None, None),
                                             ("2024-6-1", dt.date(2024, 6, 1)), ("1.6.2024", dt.date(2024, 6, 1))])
def test_parse_date(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value, why", [("2024-02-30", "no such day"), ("31.02.2022", "no such day"),
                                        ("2024-13-01", "no such month"), ("01.00.2024", "no such month"),
                                        ("0000-01-01", "no year 0")])
def test_a_date_of_the_right_shape_that_no_calendar_has_says_so(value, why):
    with pytest.raises(ValueError, match=f"bad date '{value}': {why}"):
        parse_date(value)


@pytest.mark.parametrize("value", ["31 лютого 2022", "29 лютого 2023", "31 квітня 2022 року"])
def test_a_day_in_words_that_no_calendar_has_is_refused_as_no_such_day(value):
    # (it was "expected one day: …", as if the form were wrong, where a query says "no such day")
    with pytest.raises(ValueError, match=f"bad date '{value}': no such day$"):
        article_from_record({"text": "Мовні табори влітку.", "date": value})


def test_a_txt_date_line_of_a_day_in_words_no_calendar_has_names_the_file_line_and_no_such_day(tmp_path):
    (tmp_path / "t.txt").write_text("Дата: 31 лютого 2022\nМовні табори\nВлітку працюють табори.", encoding="utf-8")
    report = Engine.init(tmp_path / "home").import_paths(tmp_path / "t.txt", index=False)
    said = f"{tmp_path / 't.txt'}:1: bad date '31 лютого 2022': no such day"
    assert (report.added, [str(e) for e in report.errors]) == (0, [said])


def test_a_timestamp_whose_time_is_no_time_is_a_bad_date():
    with pytest.raises(ValueError, match="the time after the day is not a time"):
        parse_date("2022-02-24T25:99:00")


@pytest.mark.parametrize("value", ["2016-06-01 – 2016-08-31", "2016-06-01 до 2016-08-31", "2016-06-01, 2017",
                                   "2016-06-01/2016-08-31", "20160601"])
def test_an_article_date_with_more_after_its_day_is_refused_not_cut_to_the_day(value):
    # (it was stored as 2016-06-01, the rest dropped unsaid; --since refuses it too)
    with pytest.raises(ValueError, match=f"bad date '{value}': expected one day"):
        article_from_record({"text": "Мовні табори влітку.", "date": value})


@pytest.mark.parametrize("value", ["2016-06-01Z", "2016-06-01+02:00", "2016-06-01T05:00:00+02:00"])
def test_an_article_date_with_a_zone_or_a_time_after_its_day_is_that_day(value):
    assert article_from_record({"text": "Мовні табори влітку.", "date": value}).date == dt.date(2016, 6, 1)


def test_record_validation_messages():
    with pytest.raises(ValueError, match='"id" must be'):
        article_from_record({"id": [1], "text": "x"})
    with pytest.raises(ValueError, match="expected a JSON object"):
        article_from_record([1, 2])
    with pytest.raises(ValueError, match='"source" must be text, not an object'):
        article_from_record({"text": "x", "source": {"a": 1}})


@pytest.mark.parametrize(("art_id", "why"), [
    (" a b ", "begins or ends with a space"),
    ("a\u200bb", "invisible character (U+200B)"),
    ("\u202eabc", "invisible character (U+202E)"),  # right-to-left override: shown as "cba"
    ("a\x85b", "printable characters"),
    ("nb\u00a0sp", "invisible character (U+00A0)"),  # shown as a space, typed back as one
    ("a\ufe0fb", "invisible character (U+FE0F)"),
    ("a\ue000b", "invisible character (U+E000)"),
])
def test_an_id_that_cannot_be_typed_back_as_it_looks_is_refused(art_id, why):
    with pytest.raises(ValueError, match=re.escape(why)):
        article_from_record({"id": art_id, "text": "Текст."})
    assert article_from_record({"id": "a b", "text": "Текст."}).id == "a b"  # a space inside is fine


def test_a_file_name_that_cannot_be_an_id_says_why_and_is_shown_escaped(tmp_path):
    (tmp_path / " lead.txt").write_text("Текст.", encoding="utf-8")
    (tmp_path / "rlo\u202eabc.txt").write_text("Текст.", encoding="utf-8")
    errors = sorted(str(e) for e in read(tmp_path / " lead.txt") + read(tmp_path / "rlo\u202eabc.txt"))
    assert any("lead.txt" in e and "begins or ends with a space" in e for e in errors)
    rlo = next(e for e in errors if "rlo" in e)
    assert "\u202e" not in rlo and "\\u202e" in rlo and "invisible character (U+202E)" in rlo
    (tmp_path / "новина\u200b.txt").write_text("Текст.", encoding="utf-8")
    (zw,) = [str(e) for e in read(tmp_path / "новина\u200b.txt")]
    assert "новина\\u200b.txt" in zw  # the letters as they are, the invisible one escaped


def test_article_without_id_gets_a_stable_content_id():
    a = article_from_record({"title": "Т", "text": "текст"})
    b = article_from_record({"title": "Т", "text": "текст"})
    c = article_from_record({"title": "Т", "text": "інший"})
    assert a.id == b.id != c.id


def test_stray_utf16_bom_bytes_before_utf8_jsonl_cost_only_their_own_line(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(b"\xfe\xff\x00{\n" + '{"id": "a", "text": "Друга стаття"}\n'.encode())
    out = list(read_file(feed))
    errors = [r for r in out if isinstance(r, InputError)]
    assert [a.id for a in out if not isinstance(a, InputError)] == ["a"]
    assert len(errors) == 1 and errors[0].line == 1


def test_a_real_utf16_jsonl_file_is_still_read(tmp_path):
    feed = tmp_path / "feed.jsonl"
    lines = '{"id": "a", "text": "Перша"}\n{"id": "b", "text": "Друга"}\n'
    feed.write_bytes(lines.encode("utf-16"))  # with a BOM, little-endian here
    feed_be = tmp_path / "feed-be.jsonl"
    feed_be.write_bytes(b"\xfe\xff" + lines.encode("utf-16-be"))
    for f in (feed, feed_be):
        assert [a.text for a in read_file(f)] == ["Перша", "Друга"]


def test_a_utf16_jsonl_file_whose_first_line_is_bad_loses_only_that_line(tmp_path):
    feed = tmp_path / "feed.jsonl"
    lines = '{"id": "a", "text": "Перша\n{"id": "b", "text": "Друга"}\n{"id": "c", "text": "Третя"}\n'
    feed.write_bytes(lines.encode("utf-16"))  # with its byte-order mark
    out = read(feed)
    assert [a.id for a in out if isinstance(a, Article)] == ["b", "c"]
    (error,) = [e for e in out if isinstance(e, InputError)]
    assert error.line == 1 and "byte-order mark" not in str(error)


def test_a_utf16_text_or_table_named_jsonl_is_told_as_what_it_is(tmp_path):
    text, table = tmp_path / "text.jsonl", tmp_path / "table.jsonl"
    text.write_bytes("Заголовок\n\nПерший абзац статті.\nДругий абзац.\n".encode("utf-16"))
    table.write_bytes("id,title,text\nr1,Заголовок,Текст\n".encode("utf-16"))
    (as_text,) = read(text)
    (as_table,) = read(table)
    assert "text, not JSON Lines" in str(as_text) and "name a file of one article's text .txt" in str(as_text)
    assert "looks like CSV" in str(as_table)


def test_a_utf16_jsonl_file_damaged_further_on_keeps_the_records_before_it(tmp_path):
    feed = tmp_path / "feed.jsonl"
    good = "".join(f'{{"id": "r{i}", "text": "{"слово " * 50}"}}\n' for i in range(40))
    feed.write_bytes(good.encode("utf-16") + b"\x00\xd8" + '{"id": "z", "text": "Ні"}\n'.encode("utf-16-le"))
    out = read(feed)
    kept = [a.id for a in out if isinstance(a, Article)]
    assert kept == [f"r{i}" for i in range(len(kept))] and len(kept) >= 20
    assert [str(e) for e in out if isinstance(e, InputError)] == [
        f"{feed}:{len(kept) + 1}: not valid UTF-16 text; the rest of the file is skipped"]


def test_an_unclosed_quote_in_a_csv_is_reported_not_swallowing_the_rows_after_it(tmp_path):
    p = tmp_path / "f.csv"
    p.write_text('id,title,text\nr1,Перший,"текст один"\nr2,Другий,"текст два без лапки\n'
                 'r3,Третій,"текст три"\nr4,Четвертий,текст\n', encoding="utf-8")
    out = read(p)
    assert [a.id for a in out if isinstance(a, Article)] == ["r1"]
    assert [str(e) for e in out if isinstance(e, InputError)] == [
        f"{p}:3: an unclosed quote: this row runs on past its line; none of it or what follows is imported"]


def test_a_csv_row_saved_in_windows_1251_among_utf8_rows_is_read_as_json_lines_read_it(tmp_path):
    # (two exports joined: the whole file was refused, "mostly UTF-8 but byte 52 is not",
    # naming no line, while the same rows as JSON Lines were each read)
    p = tmp_path / "joined.csv"
    p.write_bytes("id,text\nr1,Мовні табори працюють влітку\n".encode()
                  + "r2,Українська мова в школі важлива для всіх учнів\n".encode("cp1251")
                  + "r3,Табори для дітей\n".encode())
    out = read(p)
    assert [(a.id, a.text) for a in out if isinstance(a, Article)] == [
        ("r1", "Мовні табори працюють влітку"), ("r2", "Українська мова в школі важлива для всіх учнів"),
        ("r3", "Табори для дітей")]


def test_a_csv_row_that_is_no_text_is_named_by_its_line_and_the_rows_after_it_are_read(tmp_path):
    p = tmp_path / "damaged.csv"
    p.write_bytes("id,text\nr1,Мовні табори\n".encode() + b"r2,\xff\xfe\x80\x81\n"
                  + 'r3,"Табори\n'.encode() + b"\x80\xff\"\n" + "r4,Школа\n".encode())
    out = read(p)
    assert [a.id for a in out if isinstance(a, Article)] == ["r1", "r4"]
    said = [str(e) for e in out if isinstance(e, InputError)]
    assert [e.split(": not UTF-8")[0] for e in said] == [f"{p}:3", f"{p}:4"]
    assert all(e.endswith("; save it as UTF-8; row skipped") for e in said)


def test_a_nul_byte_in_one_csv_row_refuses_that_row_not_the_file(tmp_path):
    # (the whole file was "binary data (NUL bytes), not text", its good rows not imported,
    # where JSON Lines refuse the line alone)
    p = tmp_path / "stray.csv"
    p.write_bytes("id,text\nr1,Мовні табори\nr2,Зіпсо\x00ваний\nr3,Табори\n".encode())
    out = read(p)
    assert [a.id for a in out if isinstance(a, Article)] == ["r1", "r3"]
    assert [str(e) for e in out if isinstance(e, InputError)] == [
        f"{p}:3: a NUL byte: damaged data, not text; row skipped"]


def test_a_csv_whose_end_a_crash_zeroed_keeps_the_rows_before_it(tmp_path):
    p = tmp_path / "zeroed.csv"
    p.write_bytes("id,text\nr1,Мовні табори\nr2,Табори\n".encode() + b"\x00" * 4096)
    out = read(p)
    assert [a.id for a in out if isinstance(a, Article)] == ["r1", "r2"]
    assert [str(e) for e in out if isinstance(e, InputError)] == [
        f"{p}:4: a NUL byte: damaged data, not text; the rest of the file is skipped"]


def test_a_binary_file_named_csv_is_still_refused_whole_as_binary(tmp_path):
    p = tmp_path / "sheet.csv"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00\x01\x02\x00" * 2000)  # (an old .xls, renamed)
    assert [str(e) for e in read(p)] == [f"{p}: binary data (NUL bytes), not text"]


def test_a_last_row_whose_unclosed_quote_took_its_text_says_so(tmp_path):
    p = tmp_path / "f.csv"
    p.write_text('id,title,text\nr1,Перший,"текст один"\nr2,"Другий,текст два\n', encoding="utf-8")
    out = read(p)
    assert [a.id for a in out if isinstance(a, Article)] == ["r1"]
    (err,) = [e for e in out if isinstance(e, InputError)]
    assert str(err).startswith(f"{p}:3: ") and "an unclosed quote" in str(err)


def test_a_csv_cut_short_inside_a_quoted_cell_says_so_and_keeps_the_rows_before(tmp_path):
    p = tmp_path / "f.csv"
    p.write_text('id,title,text\nr1,Перший,"текст один"\nr2,Другий,"текст д', encoding="utf-8")
    out = read(p)
    assert [a.id for a in out if isinstance(a, Article)] == ["r1"]
    assert [str(e) for e in out if isinstance(e, InputError)] == [
        f"{p}:3: the file ends inside a quoted cell (cut short?): the last row is not imported"]


def test_a_quote_mark_inside_an_unquoted_csv_cell_is_a_character(tmp_path):
    p = tmp_path / "f.csv"
    p.write_text('id,title,text\nr1,Екран,Діагональ 5" і більше\nr2,Другий,"текст два"\nr3,Кінець,5" теж',
                 encoding="utf-8")
    assert [(a.id, a.text) for a in read(p)] == [
        ("r1", 'Діагональ 5" і більше'), ("r2", "текст два"), ("r3", '5" теж')]


def test_a_quoted_csv_cell_over_several_lines_is_still_one_cell(tmp_path):
    p = tmp_path / "f.csv"
    p.write_text('id,title,text\nq1,Перший,"багато\nрядків ""цитата"" тут"\nq2,Другий,просто\n', encoding="utf-8")
    a, b = read(p)
    assert a.text == 'багато\nрядків "цитата" тут' and b.id == "q2"


def test_nan_and_infinity_are_not_json(tmp_path):
    p = tmp_path / "f.jsonl"
    p.write_text('{"id": "n1", "text": "т", "score": NaN}\n{"id": "n2", "text": "т", "big": 1e999}\n'
                 '{"id": "n3", "text": "т", "x": -Infinity}\n{"id": "n4", "text": "т", "ok": 1.5}\n', encoding="utf-8")
    out = read(p)
    assert [a.id for a in out if isinstance(a, Article)] == ["n4"]
    assert [str(e) for e in out if isinstance(e, InputError)] == [
        f"{p}:1: bad JSON: NaN is not a JSON value (write a number or null)",
        f"{p}:2: bad JSON: 1e999 is too large a number",
        f"{p}:3: bad JSON: -Infinity is not a JSON value (write a number or null)",
    ]


def test_a_json_file_holds_one_article_or_an_array_and_errors_name_the_item(tmp_path):
    one = tmp_path / "one.json"
    one.write_text('{"id": "o1", "text": "Одна стаття"}', encoding="utf-8")
    arr = tmp_path / "arr.json"
    arr.write_text('[\n {"id": "j1", "text": "Перша"},\n {"id": "j2"},\n 5,\n {"id": "j4", "text": "Четверта"}\n]',
                   encoding="utf-8")
    assert [a.id for a in read(one)] == ["o1"]
    out = read(arr)
    assert [a.id for a in out if isinstance(a, Article)] == ["j1", "j4"]
    assert [str(e) for e in out if isinstance(e, InputError)] == [
        f'{arr}: item 2: missing "text"', f"{arr}: item 3: expected a JSON object"]
    bad = tmp_path / "bad.json"
    bad.write_text('[{"id": "x", "text": "a"},', encoding="utf-8")
    (err,) = read(bad)
    assert isinstance(err, InputError) and str(err).startswith(f"{bad}:") and "bad JSON" in str(err)


def test_csv_saved_as_json_lines_is_one_error_that_says_so(tmp_path):
    p = tmp_path / "export.jsonl"
    p.write_text('id,title,text\nc1,Мед,"Бджолярі продали мед, віск і пергу."\nc2,Сир,Сироварня відкрилася.\n',
                 encoding="utf-8")
    (err,) = read(p)
    assert isinstance(err, InputError) and err.line == 1
    assert "looks like CSV (a header row 'id,title,text')" in str(err) and str(err).endswith("name the file .csv "
                                                                                               "to import it")


@pytest.mark.parametrize("first", ['{"id": "c1", "text": "Мед, віск"', "text", "мед, віск, перга"])
def test_a_first_line_without_a_csv_header_is_read_as_json(tmp_path, first):
    p = tmp_path / "feed.jsonl"
    p.write_text(first + "\n", encoding="utf-8")
    (err,) = read(p)
    assert isinstance(err, InputError) and "bad JSON" in str(err)


def test_a_json_record_with_a_text_cell_among_commas_is_read_as_json_not_csv(tmp_path):
    p = tmp_path / "feed.jsonl"
    p.write_text('{"id": "t1", "text": "Мед і віск.", "tags": ["a","text","b"]}\n', encoding="utf-8")
    (a,) = read(p)
    assert isinstance(a, Article) and a.id == "t1" and a.extra == {"tags": ["a", "text", "b"]}


@pytest.mark.parametrize("text", [
    '[\n {"id": "j1", "text": "Перша"},\n {"id": "j2", "text": "Друга"}\n]\n',  # pretty-printed
    '[{"id": "j1", "text": "Перша"}, {"id": "j2", "text": "Друга"}]\n',  # on one line: was "expected a JSON object"
    '\ufeff [{"id": "j1", "text": "Перша"}]',  # with a byte-order mark and no line end
])
def test_a_json_array_saved_as_json_lines_is_one_error_that_says_so(tmp_path, text):
    p = tmp_path / "arr.jsonl"
    p.write_text(text, encoding="utf-8")
    (err,) = read(p)
    assert str(err) == f"{p}:1: a JSON array, not JSON Lines (one article per line); name the file .json to import " \
                       "it as it is"
    p.rename(p.with_suffix(".json"))
    assert [a.id for a in read(p.with_suffix(".json"))][0] == "j1"  # as advised


def test_a_json_array_on_one_line_too_long_for_a_record_is_said_to_be_an_array(tmp_path, monkeypatch):
    from searchkit.store import formats

    monkeypatch.setattr(formats, "MAX_RECORD_BYTES", 100)  # (a line over it is skipped unread)
    p = tmp_path / "arr.jsonl"
    p.write_text("[" + ", ".join(f'{{"id": "j{i}", "text": "Стаття {i}"}}' for i in range(20)) + "]\n",
                 encoding="utf-8")
    (err,) = read(p)
    assert isinstance(err, InputError) and "a JSON array, not JSON Lines" in str(err)


def test_json_lines_whose_first_line_is_an_array_are_read_line_by_line(tmp_path):
    p = tmp_path / "feed.jsonl"
    p.write_text('["not", "a record"]\n{"id": "j1", "text": "Перша"}\n', encoding="utf-8")
    err, art = read(p)
    assert isinstance(err, InputError) and "expected a JSON object" in str(err) and art.id == "j1"


def test_a_folder_import_reads_its_json_files(tmp_path):
    from searchkit.store.formats import iter_input_files

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.json").write_text('{"id": "a", "text": "Стаття"}', encoding="utf-8")
    (tmp_path / "in" / "photo.jpg").write_bytes(b"\xff\xd8")
    assert [p.name for p in iter_input_files([tmp_path / "in"])] == ["a.json"]


@pytest.mark.parametrize("sep", [";", "\t"])
def test_a_csv_separated_by_semicolons_or_tabs_is_read_as_one_with_commas(tmp_path, sep):
    # (a spreadsheet set to a Ukrainian locale saves `;`)
    rows = [["id", "title", "text", "date"], ["r1", "Перший", '"Мед; віск, перга."', "2024-01-02"],
            ["r2", '"Другий; ""новий"""', "Сир", ""]]
    p = tmp_path / "f.csv"
    p.write_text("".join(sep.join(r) + "\n" for r in rows), encoding="utf-8")
    a, b = read(p)
    assert (a.id, a.title, a.text, str(a.date)) == ("r1", "Перший", "Мед; віск, перга.", "2024-01-02")
    assert (b.id, b.title, b.text, b.date) == ("r2", 'Другий; "новий"', "Сир", None)


def test_a_quoted_header_cell_holding_a_comma_does_not_make_it_a_comma_csv(tmp_path):
    p = tmp_path / "f.csv"
    p.write_text('id;"назва, коротка";text\nr1;Мед;Бджоли.\n', encoding="utf-8")
    (a,) = read(p)
    assert a.text == "Бджоли." and a.extra == {"назва, коротка": "Мед"}


def test_a_semicolon_csv_row_with_a_cell_too_many_names_the_semicolon(tmp_path):
    p = tmp_path / "f.csv"
    p.write_text("id;title;text\nr1;Мед;Бджоли; і віск\n", encoding="utf-8")
    (err,) = read(p)
    assert str(err) == f"{p}:2: 4 cells but the header has 3 columns (an unquoted semicolon?)"


def test_a_semicolon_csv_cut_short_inside_a_quoted_cell_says_so(tmp_path):
    p = tmp_path / "f.csv"
    p.write_text('id;title;text\nr1;Мед;"Бджоли"\nr2;Сир;"Сироварня в', encoding="utf-8")
    out = read(p)
    assert [a.id for a in out if isinstance(a, Article)] == ["r1"]
    assert str(out[-1]) == f"{p}:3: the file ends inside a quoted cell (cut short?): the last row is not imported"


def test_a_csv_separated_by_bars_says_to_save_it_with_commas(tmp_path):
    p = tmp_path / "f.csv"
    p.write_text("id|title|text\nr1|Перший|текст\n", encoding="utf-8")
    (err,) = read(p)
    assert isinstance(err, InputError) and "separated by '|'" in str(err) and str(err).startswith(f"{p}:1:")


def test_a_semicolon_csv_saved_as_json_lines_is_one_error_that_says_so(tmp_path):
    p = tmp_path / "export.jsonl"
    p.write_text("id;title;text\nc1;Мед;Бджолярі продали мед.\n", encoding="utf-8")
    (err,) = read(p)
    assert "looks like CSV (a header row 'id;title;text')" in str(err)


def test_a_csv_with_ukrainian_column_names_saved_as_json_lines_is_one_error_that_says_so(tmp_path):
    p = tmp_path / "export.jsonl"
    p.write_text("ід;заголовок;текст\nc1;Мед;Бджолярі продали мед.\n", encoding="utf-8")
    (err,) = read(p)
    assert "looks like CSV (a header row 'ід;заголовок;текст')" in str(err)


def test_json_lines_saved_as_json_are_read_as_json_lines(tmp_path):
    p = tmp_path / "feed.json"
    p.write_text('{"id": "j1", "text": "Перша новина."}\n{"id": "j2", "text": "Друга новина."}\n{"id": "j3"}\n',
                 encoding="utf-8")
    out = read(p)
    assert [a.id for a in out if isinstance(a, Article)] == ["j1", "j2"]
    assert [str(e) for e in out if isinstance(e, InputError)] == [f'{p}:3: missing "text"']


def test_a_json_file_with_garbage_after_its_object_is_still_bad_json(tmp_path):
    p = tmp_path / "bad.json"
    p.write_text('{"id": "x",\n "text": "а"} {', encoding="utf-8")
    (err,) = read(p)
    assert isinstance(err, InputError) and str(err) == f"{p}:2: bad JSON: Extra data (column 15)"


def test_files_of_other_types_in_a_folder_are_collected_as_skipped(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("Новина.", encoding="utf-8")
    (tmp_path / "note.md").write_text("# нотатки", encoding="utf-8")
    (tmp_path / "sub" / "scan.pdf").write_bytes(b"%PDF")
    (tmp_path / ".hidden.md").write_text("x", encoding="utf-8")
    skipped: list[Path] = []
    assert list(iter_input_files([tmp_path], skipped)) == [tmp_path / "a.txt"]
    assert skipped == [tmp_path / "note.md", tmp_path / "sub" / "scan.pdf"]


def test_a_text_of_invisible_characters_only_is_empty(tmp_path):
    p = tmp_path / "z.jsonl"
    p.write_text('{"id": "z", "text": "\\u200b \\u200b\\u2060"}\n{"id": "ok", "text": "Текст\\u200b."}\n',
                 encoding="utf-8")
    out = read(p)
    assert [str(e) for e in out if isinstance(e, InputError)] == [f'{p}:1: "text" is empty']
    assert [a.id for a in out if isinstance(a, Article)] == ["ok"]
    t = tmp_path / "z.txt"
    t.write_text("\u200b\u200b\n\u200f", encoding="utf-8")
    (err,) = read(t)
    assert str(err) == f"{t}: no text"


def test_byte_order_marks_at_a_line_start_are_no_error(tmp_path):
    p = tmp_path / "joined.jsonl"
    p.write_bytes(b"\xef\xbb\xbf\xef\xbb\xbf" + '{"id": "a", "text": "Перша."}\n'.encode()
                  + b"\xef\xbb\xbf" + '{"id": "b", "text": "Друга."}\n'.encode())
    assert [a.id for a in read(p)] == ["a", "b"]


def test_a_json_lines_line_of_a_byte_order_mark_alone_is_a_blank_line(tmp_path):
    # (an empty file saved with its mark, joined on: 'the line ends before the record does
    # (a missing } or "?)', an error for a line that holds no record)
    p = tmp_path / "joined.jsonl"
    p.write_bytes('{"id": "a", "text": "Перша."}\n'.encode() + b"\xef\xbb\xbf\n\xef\xbb\xbf \r\n"
                  + b"\xef\xbb\xbf" + '{"id": "b", "text": "Друга."}\n'.encode() + b"\xef\xbb\xbf")
    assert [a.id for a in read(p)] == ["a", "b"]


@pytest.mark.parametrize("text", ["\u034f\u034f", "\u180e", "\u2800 \u2800", "\u3164", "\uffa0", "\u115f",
                                  "\ufe0f", "\u0301\u0301", "\u200b\u0301"])
def test_a_text_without_a_letter_or_digit_is_empty(text):
    with pytest.raises(ValueError, match='"text" is empty'):
        article_from_record({"id": "x", "text": text})


@pytest.mark.parametrize("text", ["…!", "😀😀😀 🎉", "— — —"])
def test_a_text_of_marks_or_emoji_alone_is_said_to_hold_no_letter_not_to_be_empty(text):
    # (it was said to be empty, which a text one can see is not)
    with pytest.raises(ValueError) as err:
        article_from_record({"id": "x", "text": text})
    assert str(err.value) == f'"text" holds no letter or digit ({text!r}): nothing in it can be searched'


def test_an_empty_json_file_holds_no_article_and_json_lines_may_start_with_a_blank_line(tmp_path):
    empty = tmp_path / "empty.json"
    empty.write_text(" \n", encoding="utf-8")
    assert read(empty) == []
    lines = tmp_path / "lines.json"
    lines.write_text('\n{"id": "a", "text": "Перша."}\n{"id": "b", "text": "Друга."}\n', encoding="utf-8")
    assert [a.id for a in read(lines)] == ["a", "b"]


def test_txt_date_line_may_have_a_colon(tmp_path):
    p = tmp_path / "c.txt"
    p.write_text("date: 2022-10-05\nПерше речення.", encoding="utf-8")
    (a,) = read(p)
    assert a.date == dt.date(2022, 10, 5) and a.title == "Перше речення."


def test_a_byte_order_mark_at_a_csv_row_start_is_not_part_of_the_id(tmp_path):
    p = tmp_path / "joined.csv"
    p.write_bytes(b"\xef\xbb\xbfid,text\r\n" + '"c1","Перша."\r\n'.encode()
                  + b"\xef\xbb\xbf" + '"c2","Друга."\r\n'.encode())
    assert [a.id for a in read(p)] == ["c1", "c2"]


@pytest.mark.parametrize("content, said", [
    ('[{"text": "так"},\n{"text": "a\tb"}]', ":2: bad JSON: Invalid control character at column 12"),
    ('[{"text": "так"},\n{"text": "a" "b"}]', ":2: bad JSON: Expecting ',' delimiter (column 14)"),
    ('[{"text": "так"}', ': bad JSON: the file ends before the JSON does (a missing ], } or "?)'),
    ('{"text": "не закрито\n', ': bad JSON: the file ends before the JSON does (a missing ], } or "?)'),
])
def test_a_bad_json_file_says_where_whole(tmp_path, content, said):
    p = tmp_path / "f.json"
    p.write_text(content, encoding="utf-8")
    assert [str(e) for e in read(p)] == [f"{p}{said}"]


def test_a_bad_date_is_refused_naming_every_form_a_date_may_take(tmp_path):
    import re

    from searchkit import Engine

    from .conftest import write_jsonl

    eng = Engine.init(tmp_path / "home")
    report = eng.import_paths([write_jsonl(tmp_path / "bad.jsonl", [{"id": "b1", "text": "Текст.",
                                                                       "date": "2024/06/01"}])])
    (error,) = report.errors
    assert "bad date '2024/06/01': expected one day: YYYY-MM-DD" in error
    named = re.findall(r"\d{4}-\d-\d|\d\.\d\.\d{4}|\d+ лютого \d{4}", error)
    assert named == ["2024-6-1", "1.6.2024", "24 лютого 2022"]
    records = [{"id": f"d{i}", "text": "Текст.", "date": day} for i, day in enumerate(named)]
    report = eng.import_paths([write_jsonl(tmp_path / "good.jsonl", records)])
    assert report.added == 3 and not report.errors


def test_gzipped_files_read_as_the_files_they_hold(tmp_path):
    import gzip

    (tmp_path / "feed.jsonl.gz").write_bytes(gzip.compress(
        '{"id": "g1", "text": "Бджоли несуть мед."}\n{"id": "g2", "text": "Сир дозріває."}\n'.encode()))
    (tmp_path / "f.CSV.gz").write_bytes(gzip.compress('id;text\nc1;"Мед; віск"\n'.encode()))
    (tmp_path / "2024-05-01.txt.gz").write_bytes(gzip.compress("Весна прийшла.\n".encode()))
    assert [a.id for a in read(tmp_path / "feed.jsonl.gz")] == ["g1", "g2"]
    assert [a.text for a in read(tmp_path / "f.CSV.gz")] == ["Мед; віск"]
    (a,) = read(tmp_path / "2024-05-01.txt.gz")
    assert (a.id, a.text) == ("2024-05-01", "Весна прийшла.")
    (tmp_path / "notes.gz").write_bytes(gzip.compress(b"x"))
    assert [p.name for p in iter_input_files([tmp_path])] == ["2024-05-01.txt.gz", "f.CSV.gz", "feed.jsonl.gz"]


def test_a_gzip_file_named_jsonl_is_read_decompressed(tmp_path):
    import gzip

    p = tmp_path / "gz.jsonl"
    p.write_bytes(gzip.compress('{"id": "g1", "text": "Бджоли несуть мед."}\n'.encode()))
    (a,) = read(p)
    assert isinstance(a, Article) and a.text == "Бджоли несуть мед."


def test_a_file_cut_while_it_is_read_is_said_to_have_changed_not_to_be_damaged(tmp_path):
    p = write_jsonl(tmp_path / "live.jsonl", [{"id": f"r{i}", "text": f"Запис номер {i}. " * 20} for i in range(3000)])
    records = read_file(p)
    first = [next(records) for _ in range(5)]
    with p.open("r+b") as f:  # (a writer cuts it in the middle of a record, and of a letter)
        f.truncate(len(p.read_bytes()) // 2 + 1)
    rest = list(records)
    assert all(isinstance(a, Article) for a in first + rest[:-1]) and rest[-1].line == len(first + rest)
    err = rest[-1]
    assert isinstance(err, InputError) and str(err) == (
        f"{p}:{err.line}: the file changed while it was read (written over or cut short); the rest of it is "
        "skipped: import it again once it is written")


def test_a_field_given_twice_with_two_values_is_refused_naming_it_and_the_other_records_imported(tmp_path):
    p = tmp_path / "twice.jsonl"
    p.write_text('{"id": "d1", "text": "Перший текст.", "text": "Другий текст."}\n'
                 '{"id": "d2", "text": "Той самий.", "text": "Той самий."}\n'  # (one value: nothing lost)
                 '{"id": "d3", "text": "Третій.", "meta": {"автор": "А", "автор": "Б"}}\n'
                 '{"id": "d4", "text": "Четвертий."}\n', encoding="utf-8")
    got = read(p)
    assert [str(e) for e in got if isinstance(e, InputError)] == [
        f"{p}:1: 'text' is given twice, with two values (one would be lost): keep one",
        f"{p}:3: 'автор' is given twice, with two values (one would be lost): keep one"]
    assert [(a.id, a.text) for a in got if isinstance(a, Article)] == [("d2", "Той самий."), ("d4", "Четвертий.")]
    j = tmp_path / "twice.json"
    j.write_text('[{"id": "d5", "text": "П\'ятий."}, {"id": "d6", "title": "А", "title": "Б", "text": "Шостий."}]',
                 encoding="utf-8")
    five, six = read(j)
    assert five.id == "d5" and str(six) == f"{j}: item 2: 'title' is given twice, with two values (one would be " \
        "lost): keep one"


def test_a_gzip_file_cut_short_keeps_its_records_before_and_says_so_once(tmp_path):
    import gzip

    lines = "".join(f'{{"id": "g{i}", "text": "Замітка номер {i} про бджіл і мед."}}\n' for i in range(2000))
    p = tmp_path / "cut.jsonl.gz"
    p.write_bytes(gzip.compress(lines.encode())[:-200])
    out = read(p)
    errors = [e for e in out if isinstance(e, InputError)]
    assert len(errors) == 1 and len(out) > 1000
    read_ = len(out) - 1
    assert str(errors[0]) == f"{p}: the gzip data is cut short after {read_:,} records; the rest of the file is skipped"


@pytest.mark.parametrize(("head", "said"), [
    (b"PK\x03\x04\x14\x00\x00\x00", "a zip archive; unzip it and import the files it holds"),
    (b"\xfd7zXZ\x00\x00\x04", "an xz file; decompress it first (unxz)"),
    (b"BZh91AY&SY\x00", "a bzip2 file; decompress it first (bunzip2)"),
])
@pytest.mark.parametrize("name", ["feed.jsonl", "feed.jsonl.xz", "feed.zip", "feed.bin"])
def test_an_archive_or_other_compressed_file_is_one_error_naming_it(tmp_path, head, said, name):
    # (by what wrote it, whatever its name says: feed.jsonl.xz is no unsupported type)
    p = tmp_path / name
    p.write_bytes(head + bytes(range(256)) * 40)
    assert [str(e) for e in read(p)] == [f"{p}: {said}"]


def test_a_text_starting_with_bzh_is_no_bzip2_file(tmp_path):
    p = tmp_path / "bzh.txt"
    p.write_text("BZh, сказав він. Бджоли несуть мед.", encoding="utf-8")
    (a,) = read(p)
    assert isinstance(a, Article) and a.text.startswith("BZh")


def test_a_csv_whose_first_line_is_too_long_to_be_a_header_is_one_error(tmp_path, monkeypatch):
    from searchkit.store import csvinput

    monkeypatch.setattr(csvinput, "_CSV_ROW_CAP", 2**20)  # (32 MB as the file would have it)
    p = tmp_path / "f.csv"
    p.write_text("мед" * 2**19 + "\nid,text\n", encoding="utf-8")
    assert [str(e) for e in read(p)] == [f"{p}:1: a header row longer than 1 MB: no CSV file's header; the file is "
                                         "skipped"]


@pytest.mark.parametrize("name", ["feed.txt", "feed.html", "feed.txt.gz"])
def test_json_lines_saved_as_one_article_file_is_one_error_that_says_to_name_it_jsonl(tmp_path, name):
    # (it was stored as one article, titled with the raw JSON line, and said nothing)
    import gzip

    lines = '\n{"id": "j1", "text": "Бджолярі продали мед."}\n{"id": "j2", "text": "Сироварня відкрилася."}\n'
    p = tmp_path / name
    p.write_bytes(gzip.compress(lines.encode()) if name.endswith(".gz") else lines.encode())
    (err,) = read(p)
    assert isinstance(err, InputError) and err.line == 2
    assert str(err).startswith(f"{p}:2: looks like JSON Lines (a JSON object on line 2), not ")
    assert str(err).endswith("; name the file .jsonl to import it")
    renamed = p.rename(tmp_path / "feed.jsonl")
    if not name.endswith(".gz"):
        assert [a.id for a in read(renamed)] == ["j1", "j2"]  # as advised


@pytest.mark.parametrize("text", ['{"id": "j1"} — так виглядає запис.\nДалі текст.', "{не JSON}\nТекст.",
                                  'Перший рядок.\n{"id": "j1", "text": "Мед."}'])
def test_a_text_that_only_mentions_json_is_one_article(tmp_path, text):
    p = tmp_path / "note.txt"
    p.write_text(text, encoding="utf-8")
    (a,) = read(p)
    assert isinstance(a, Article) and a.id == "note"


@pytest.mark.parametrize(("data", "shape"), [
    ('[\n  {"id": "j1", "text": "Бджолярі продали мед."},\n  {"id": "j2", "text": "Сироварня відкрилася."}\n]\n',
     "an array of objects"),
    ('{\n  "id": "j1",\n  "text": "Бджолярі продали мед."\n}\n', "an object")])
def test_json_saved_as_a_txt_file_is_one_error_that_says_to_name_it_json(tmp_path, data, shape):
    # (a pretty-printed export saved as .txt was stored as one article of raw JSON)
    p = tmp_path / "feed.txt"
    p.write_text(data, encoding="utf-8")
    (err,) = read(p)
    assert isinstance(err, InputError) and err.line == 1
    assert str(err) == (f"{p}:1: looks like JSON ({shape}), not one article's text; name the file .json to import "
                        "it as it is")
    assert [a.id for a in read(p.rename(tmp_path / "feed.json"))][:1] == ["j1"]  # as advised


@pytest.mark.parametrize("text", ["[Оновлено] Бджолярі продали мед.\nДалі текст.", "[1, 2, 3]\n"])
def test_a_text_that_starts_with_a_bracket_or_holds_no_article_object_is_one_article(tmp_path, text):
    p = tmp_path / "note.txt"
    p.write_text(text, encoding="utf-8")
    (a,) = read(p)
    assert isinstance(a, Article) and a.id == "note"


@pytest.mark.parametrize(("line", "day"), [("date 2024-05-01 14:30", dt.date(2024, 5, 1)),
                                           ("date 2024-05-01 14:30:05+03:00", dt.date(2024, 5, 1)),
                                           ("date 24.02.2022 05:00", dt.date(2022, 2, 24)),
                                           ("Date: 24 лютого 2022 9:15", dt.date(2022, 2, 24))])
def test_txt_date_line_with_its_time_after_a_space_keeps_the_time_out_of_the_title(tmp_path, line, day):
    # (the time was stored as the article's first line, so its title was "14:30")
    p = tmp_path / "t.txt"
    p.write_text(f"{line}\nВечірнє засідання міськради.\nДепутати ухвалили бюджет.", encoding="utf-8")
    (a,) = read(p)
    assert a.date == day and a.title == "Вечірнє засідання міськради."
    assert a.text.startswith("Вечірнє засідання")


@pytest.mark.parametrize("line", ["date 2024-05-01 25:30", "date 2024-05-01 14:75", "date 2024-05-01 14:30:99",
                                  "date 24.02.2022 24:00\r", "Date: 24 лютого 2022 25:30",
                                  "Дата публікації: 01.05.2024 25:30"])
def test_txt_date_line_with_an_impossible_time_is_an_error_naming_the_file_and_line(tmp_path, line):
    # (the time that was no time was kept as the text's first line: the title was "25:30")
    p = tmp_path / "t.txt"
    p.write_text(f"{line}\nНічне засідання міськради.\nДепутати ухвалили бюджет.", encoding="utf-8", newline="")
    (err,) = read(p)
    assert isinstance(err, InputError) and err.line == 1
    day, time = re.sub(r"\A\D+", "", line).strip().rsplit(" ", 1)
    assert str(err) == f"{p}:1: bad date {f'{day} {time}'!r}: the time after the day is not a time"


def test_an_import_of_a_txt_file_with_an_impossible_time_says_so_in_one_line(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in/late.txt").write_text("date 2024-05-01 25:30\nНічне засідання міськради.", encoding="utf-8")
    eng = Engine.init(tmp_path / "home")
    r = CliRunner().invoke(main, ["--home", str(eng.home), "import", str(tmp_path / "in")])
    assert r.exit_code == 2
    assert (f"Error: {tmp_path / 'in/late.txt'}:1: bad date '2024-05-01 25:30': the time after the day is not a "
            "time") in r.output.splitlines()
    assert eng.search("засідання").total == 0
    eng.close()


def test_txt_date_line_followed_by_text_that_is_no_time_keeps_that_text(tmp_path):
    p = tmp_path / "t.txt"
    p.write_text("date 2024-05-01 25:99 хвилин тривала тривога.\nДалі текст.", encoding="utf-8")
    (a,) = read(p)
    assert a.date == dt.date(2024, 5, 1) and a.text.startswith("25:99 хвилин")


@pytest.mark.parametrize(("data", "encoding"), [("id,title,text,date\n1,Перша,Текст першої.,2024-01-01\n", "utf-8"),
                                                ("title\ttext\tdate\nПерша\tТекст першої.\t2024-01-01\n", "utf-16"),
                                                ('"Title";"Text"\n"Перша";"Текст першої."\n', "utf-8")])
def test_a_table_saved_as_a_txt_file_is_one_error_that_says_to_name_it_csv(tmp_path, data, encoding):
    # (a spreadsheet's "Unicode text" export is a .txt of tab-separated cells: it was stored
    # as one article titled with the header row, and nothing was said)
    p = tmp_path / "table.txt"
    p.write_text(data, encoding=encoding)
    (err,) = read(p)
    assert isinstance(err, InputError) and err.line == 1
    assert str(err).startswith(f"{p}:1: looks like CSV (a header row ")
    assert str(err).endswith("not one article's text; name the file .csv to import it")
    (a,) = read(p.rename(tmp_path / "table.csv"))  # as advised
    assert isinstance(a, Article) and a.title == "Перша"


@pytest.mark.parametrize("text", ["Text, image and sound: a review\nДалі текст.", "title,text\n",
                                  "Текст, заголовок, дата\nДалі текст."])
def test_a_text_whose_first_line_only_names_text_is_one_article(tmp_path, text):
    p = tmp_path / "note.txt"
    p.write_text(text, encoding="utf-8")
    (a,) = read(p)
    assert isinstance(a, Article) and a.id == "note"


@pytest.mark.parametrize("line", ["дата 12.05.2024", "Дата: 12.05.2024", "ДАТА 12 травня 2024",
                                  "Дата публікації: 2024-05-12 09:15", "2024-05-12", "12.05.2024", "12.05.2024 14:30"])
def test_a_txt_date_line_in_ukrainian_or_a_bare_date_dates_the_article(tmp_path, line):
    # (each was stored undated, the line its title: out of every --since and date phrase)
    p = tmp_path / "festyval.txt"
    p.write_text(f"{line}\r\nФранківськ прийняв фестиваль\r\nУ місті пройшов джазовий фестиваль.", encoding="utf-8")
    eng = Engine.init(tmp_path / "home")
    assert eng.import_paths(p).added == 1
    a = eng.get("festyval")
    assert a.date == dt.date(2024, 5, 12) and a.title == "Франківськ прийняв фестиваль"
    assert [h.id for h in eng.search("фестиваль", since="2024-05-01")] == ["festyval"]
    eng.close()


@pytest.mark.parametrize("line", ["12 травня 2024", "2024-05-12: що змінилося за рік", "31.02.2024",
                                  "Дата народження 1990"])
def test_a_first_line_that_is_no_bare_date_in_figures_stays_the_title(tmp_path, line):
    # (a day in words alone may be a title, "24 лютого"; figures with words after them are one)
    p = tmp_path / "t.txt"
    p.write_text(f"{line}\nПерше речення.", encoding="utf-8")
    (a,) = read(p)
    assert a.date is None and a.title == line


def test_a_ukrainian_date_line_that_is_no_date_is_an_error_as_a_date_line_is(tmp_path):
    p = tmp_path / "t.txt"
    p.write_text("Дата: 2022-02\nПерше речення.", encoding="utf-8")
    (err,) = read(p)
    assert isinstance(err, InputError) and str(err).startswith(f"{p}:1: bad date '2022-02'")


@pytest.mark.parametrize("head", ["\ufeff\ufeff", "\ufeff\r\n\ufeff"])
def test_a_txt_of_files_joined_together_keeps_no_byte_order_mark(tmp_path, head):
    # (two files saved with a BOM, joined: the second mark was kept in the title, so the
    # date line after it was not read and the article was stored undated)
    p = tmp_path / "mist.txt"
    p.write_bytes(f"{head}date 2024-01-02\r\nНовий міст через річку\r\nМіст відкрили.\ufeff Рух уже є.".encode())
    eng = Engine.init(tmp_path / "home")
    assert eng.import_paths(p).added == 1
    a = eng.get("mist")
    assert a.date == dt.date(2024, 1, 2) and a.title == "Новий міст через річку"
    assert "\ufeff" not in a.text
    assert [h.id for h in eng.search("міст", since="2024-01-01")] == ["mist"]
    eng.close()
