"""Export: search results as JSON Lines, CSV (optionally with a BOM) and Markdown."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchkit.cli import main
from searchkit.export import CSV_COLUMNS, to_csv, to_jsonl, to_markdown

from .conftest import imported

ARTICLES = [
    {"id": "e1", "title": "Театр «Сузір'я», прем'єра: \"Гамлет\"", "date": "2019-03-27",
     "source": "Культура, мистецтво",
     "text": "Театр показав прем'єру. У залі було *багато* глядачів, а квитки [розкупили] за день."},
    {"id": "e2", "title": "Ще одна прем'єра", "date": "2019-04-01",
     "text": "Друга прем'єра сезону відбудеться у квітні."},
]


@pytest.fixture
def eng(tmp_path: Path):
    e = imported(tmp_path, ARTICLES)
    yield e
    e.close()


def test_jsonl_has_one_hit_per_line_with_its_query(eng):
    lines = to_jsonl([eng.search("прем'єра")]).splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert first["query"] == "прем'єра" and first["rank"] == 1 and first["id"] in ("e1", "e2")
    assert "duplicates" in first


def test_csv_quotes_commas_and_quotes_and_round_trips(eng):
    text = to_csv([eng.search("прем'єра")])
    assert text.startswith("query,rank,id,") and "\r\n" in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    e1 = next(r for r in rows if r["id"] == "e1")
    assert e1["title"] == ARTICLES[0]["title"]
    assert e1["source"] == "Культура, мистецтво" and e1["date"] == "2019-03-27"


def test_csv_bom_only_when_asked(eng):
    res = [eng.search("прем'єра")]
    assert to_csv(res, bom=True).startswith("\ufeffquery,")
    assert not to_csv(res).startswith("\ufeff")


def test_markdown_escapes_the_text_and_bolds_the_matches(eng):
    md = to_markdown([eng.search("квиток")])
    assert md.startswith("## квиток\n\n1 hit\n")
    assert "**Театр «Сузір'я», прем'єра: \"Гамлет\"**" in md
    assert "\\*багато\\*" in md and "\\[розкупили\\]" in md
    assert "**квитки**" in md


def test_cli_csv_with_bom_is_utf8_bytes(eng):
    r = CliRunner().invoke(main, ["--home", str(eng.home), "search", "прем'єра", "--format", "csv", "--bom"])
    assert r.exit_code == 0, r.output
    assert r.stdout_bytes.startswith("\ufeffquery,rank".encode())
    rows = list(csv.reader(io.StringIO(r.stdout_bytes.decode("utf-8-sig"))))
    assert len(rows) == 3 and rows[0] == list(CSV_COLUMNS)


def test_cli_several_queries_make_one_csv_table(eng):
    r = CliRunner().invoke(main, ["--home", str(eng.home), "search", "-", "--format", "csv"],
                           input="прем'єра\nквиток\n")
    rows = list(csv.reader(io.StringIO(r.output)))
    assert rows[0][0] == "query" and [row[0] for row in rows[1:]] == ["прем'єра", "прем'єра", "квиток"]


def test_cli_jsonl_and_md(eng):
    r = CliRunner().invoke(main, ["--home", str(eng.home), "search", "квиток", "--format", "jsonl"])
    assert [json.loads(line)["id"] for line in r.output.splitlines()] == ["e1"]
    r = CliRunner().invoke(main, ["--home", str(eng.home), "search", "квиток", "--format", "md"])
    assert r.output.startswith("## квиток")


def test_cli_rejects_contradicting_options(eng):
    r = CliRunner().invoke(main, ["--home", str(eng.home), "search", "квиток", "--format", "md", "--bom"])
    assert r.exit_code == 2 and "--bom applies to --format csv only" in r.output
    r = CliRunner().invoke(main, ["--home", str(eng.home), "search", "квиток", "--format", "csv", "--json"])
    assert r.exit_code == 2 and "contradict" in r.output
    # an export is one row per hit: the months would be dropped without a word
    r = CliRunner().invoke(main, ["--home", str(eng.home), "search", "квиток", "--format", "jsonl", "--timeline"])
    assert r.exit_code == 2 and "--timeline has no place in --format jsonl" in r.output
    r = CliRunner().invoke(main, ["--home", str(eng.home), "search", "квиток", "--format", "csv", "--facets", "year"])
    assert r.exit_code == 2 and "--facets has no place in --format csv" in r.output
    r = CliRunner().invoke(main, ["--home", str(eng.home), "search", "квиток", "--format", "xml"])
    assert r.exit_code == 2 and "'xml' is not one of" in r.output


def test_similar_exports_too(eng):
    r = CliRunner().invoke(main, ["--home", str(eng.home), "similar", "e1", "--format", "csv"])
    assert r.stdout.startswith("query,rank")  # (its notes on stderr)


def test_csv_and_markdown_show_control_characters_as_symbols_not_escapes(tmp_path: Path):
    # `cat hits.csv` must not run an escape sequence hidden in an article
    eng = imported(tmp_path, [{"id": "x1", "title": "Заголовок \x1b]0;вікно\x07 новина", "source": "Джерело\x9b31m",
                               "text": "Новина про театр \x1b[31m у місті \x1b[0m сьогодні."}])
    res = [eng.search("театр")]
    for text in (to_csv(res), to_markdown(res)):
        assert not any(c in text for c in "\x1b\x07\x9b")
        assert "␛" in text
    row = next(csv.DictReader(io.StringIO(to_csv(res))))
    assert row["title"] == "Заголовок ␛]0;вікно␇ новина" and row["source"].startswith("Джерело")
    out = CliRunner().invoke(main, ["--home", str(tmp_path / "home"), "search", "театр", "--format", "md"])
    assert out.exit_code == 0 and "\x1b" not in out.stdout and "␛" in out.stdout
    eng.close()


def test_an_export_says_which_corrected_query_its_hits_were_found_for(eng):
    res = eng.search("глядачв")  # a letter short: no article holds it
    assert res.corrected_query and res.hits
    rows = list(csv.DictReader(io.StringIO(to_csv([res]))))
    assert rows[0]["query"] == "глядачв" and rows[0]["searched"] == res.corrected_query
    assert json.loads(to_jsonl([res]).splitlines()[0])["searched"] == res.corrected_query
    assert f"Showing results for {res.corrected_query}" in to_markdown([res])
    plain = eng.search("прем'єра")
    assert list(csv.DictReader(io.StringIO(to_csv([plain]))))[0]["searched"] == ""
    assert "searched" not in json.loads(to_jsonl([plain]).splitlines()[0])


CAMP = ("У Полтаві влітку відкрився мовний табір для школярів. Діти з різних міст вивчають англійську мову "
        "разом із волонтерами з Канади та Великої Британії. Заняття тривають щодня по чотири години, а після "
        "обіду учасники грають у футбол, співають пісні та ходять у походи. Організатори кажуть, що цього року "
        "заявок було вдвічі більше, ніж торік, тому довелося відкрити ще дві зміни. Батьки задоволені: діти "
        "повертаються додому впевненішими і вже не бояться говорити іноземною мовою.")
# Copies of CAMP as other outlets ran it, under ids with spaces; then another camp's story.
CAMPS = [
    {"id": "табір перший", "title": "Мовний табір у Полтаві", "text": CAMP, "date": "2016-06-01"},
    {"id": "табір другий", "title": "У Полтаві запрацював мовний табір", "date": "2016-06-02",
     "text": CAMP.replace("щодня", "щоденно")},
    {"id": "табір третій", "title": "Табір для школярів", "date": "2016-06-03",
     "text": CAMP.replace("ходять у походи", "ходять на екскурсії")},
    {"id": "львів", "title": "Мовний табір у Львові", "date": "2016-07-01",
     "text": "У Львові відкрився мовний табір: школярі вивчають англійську мову з волонтерами, а заявок "
             "цього року вдвічі більше. Заняття тривають щодня, батьки задоволені."},
]


def _csv_rows(home: Path, *args: str) -> list[dict[str, str]]:
    r = CliRunner().invoke(main, ["--home", str(home), *args, "--format", "csv"])
    assert r.exit_code == 0, r.output
    return list(csv.DictReader(io.StringIO(r.stdout)))


def test_csv_lists_near_duplicate_ids_holding_spaces_one_per_line(tmp_path):
    eng = imported(tmp_path, CAMPS)
    eng.close()
    row = next(r for r in _csv_rows(eng.home, "search", "мовний табір Полтава") if r["duplicates"])
    assert sorted([row["id"], *row["duplicates"].splitlines()]) == ["табір другий", "табір перший", "табір третій"]


def test_csv_and_markdown_of_similar_keep_the_key_words_each_hit_shares(tmp_path):
    eng = imported(tmp_path, CAMPS)
    eng.close()
    rows = _csv_rows(eng.home, "similar", "львів")
    assert rows and all(r["shared"] for r in rows)
    shared = rows[0]["shared"].splitlines()
    assert "табір" in shared and "англійський" in shared
    r = CliRunner().invoke(main, ["--home", str(eng.home), "similar", "львів", "--format", "md"])
    assert r.exit_code == 0 and "· shared: " in r.stdout and "англійський" in r.stdout


def test_markdown_of_one_page_says_which_of_the_hits_it_lists(eng):
    def md(*args: str) -> str:
        r = CliRunner().invoke(main, ["--home", str(eng.home), "search", "прем'єра", "--format", "md", *args])
        assert r.exit_code == 0, r.output
        return r.stdout

    assert "\n2 hits (2–2 here)\n" in md("-n", "1", "-p", "2")
    assert "\n2 hits (page 5 is empty)\n" in md("-n", "1", "-p", "5")
    assert "\n2 hits\n" in md()
