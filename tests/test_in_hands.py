"""What a new user runs into on the command line and in the library: sort keys shown as
scores, mistyped options, strings where lists are expected, files in the wrong encoding."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from searchkit import Engine, QueryError
from searchkit.cli import main

from .conftest import FakeTerminal


@pytest.fixture
def run(engine):
    runner = CliRunner()

    def _run(*args, input=None):
        return runner.invoke(main, ["--home", str(engine.home), *args], input=input, catch_exceptions=False)

    return _run


QUERY = "рік OR табори OR політв'язні"


# -- 1. sorted by date: no score ----------------------------------------------------------------


def test_sorted_by_date_the_hits_have_no_score(engine):
    res = engine.search(QUERY, sort="date")
    assert res.total == 3 and all(h.score is None for h in res.hits)
    assert all(h.score is not None and h.score > 0 for h in engine.search(QUERY).hits)


def test_sorted_by_date_text_json_and_csv_show_no_score(run):
    text = run("search", QUERY, "--sort", "date")
    assert text.exit_code == 0 and "score" not in text.output and "2147483648" not in text.output
    assert "score" in run("search", QUERY).output
    data = json.loads(run("search", QUERY, "--sort", "date", "--json").output)
    assert [h["score"] for h in data["hits"]] == [None, None, None]
    rows = list(csv.DictReader(io.StringIO(run("search", QUERY, "--sort", "date", "--format", "csv").output)))
    assert len(rows) == 3 and {r["score"] for r in rows} == {""}
    lines = run("search", QUERY, "--sort", "date", "--format", "jsonl").output.splitlines()
    assert [json.loads(line)["score"] for line in lines] == [None, None, None]


# -- 2. mistyped options are refused, dashed words are query words --------------------------------


@pytest.mark.parametrize("args, option", [
    (("табір", "--jsno"), "--jsno"),
    (("табір", "--sicne", "2016"), "--sicne"),
    (("--jsno", "табір"), "--jsno"),
])
def test_an_unknown_option_is_refused_not_searched(run, args, option):
    r = run("search", *args)
    assert r.exit_code == 2 and f"No such option '{option}'" in r.output
    assert "No matches" not in r.output


def test_an_unknown_option_gets_the_likely_one_suggested(run):
    assert "Did you mean '--since'?" in run("search", "табір", "--sicne", "2016").output
    assert "Did you mean '--json'?" in run("search", "табір", "--jsno").output


@pytest.mark.parametrize("args", [("search", "табір", "--jsno"), ("serach", "табір"), ("search",),
                                  ("saved", "remove"), ("--jsno", "search", "табір")])
def test_a_mistyped_command_line_is_one_error_line(run, args):
    r = run(*args)
    lines = r.output.strip().splitlines()
    assert r.exit_code == 2 and len(lines) == 1 and lines[0].startswith("Error: ")
    assert "--help` lists what it takes" in lines[0] and "Usage:" not in r.output
    assert ". —" not in lines[0]  # (click's full stop, then the dash of the hint)


def test_query_text_taken_for_an_option_says_how_to_search_it(run):
    r = run("search", "--Крим")
    assert r.exit_code == 2 and "No such option '--Крим'" in r.output
    assert "to search it, put -- before the query (`" in r.output and " search -- '--Крим'`)" in r.output
    said = run("search", "--", "--Крим").output  # (as said: the two minuses cancel out)
    assert "two minuses cancel out" in said


@pytest.mark.parametrize("args, command", [(("search", "табір", "--source"), "search"),
                                           (("saved", "add", "x", "табір", "--since"), "saved add")])
def test_an_option_missing_its_value_names_the_help_of_its_command(run, args, command):
    r = run(*args)
    assert r.exit_code == 2 and "requires an argument" in r.output
    assert f" {command} --help` lists what it takes" in r.output


def test_a_command_taken_for_the_home_says_so():
    from click.testing import CliRunner

    from searchkit.cli import main

    r = CliRunner().invoke(main, ["--home", "search", "мова"])
    assert r.exit_code == 2 and "--home took 'search' as the home" in r.output


def test_the_command_alone_still_shows_its_help(run):
    r = run("saved")
    assert "saved [OPTIONS] COMMAND" in r.output and "Error:" not in r.output


@pytest.mark.parametrize("group", [(), ("saved",)])
def test_the_program_or_a_group_typed_alone_prints_its_help_on_stdout_and_exits_0(group):
    runner = CliRunner()
    alone = runner.invoke(main, list(group))
    asked = runner.invoke(main, [*group, "--help"])
    assert (alone.exit_code, alone.stderr) == (0, "") and "Usage: " in alone.stdout
    assert (asked.exit_code, asked.stdout) == (0, alone.stdout)  # the same help as --help
    mistyped = runner.invoke(main, [*group, "пошук"])  # (an unknown command is still refused)
    assert mistyped.exit_code == 2 and "No such command" in mistyped.stderr and not mistyped.stdout


def test_a_global_option_after_the_command_says_where_it_goes(run):
    r = run("search", "мовні табори", "--color")
    assert r.exit_code == 2 and "--color is an option of" in r.output and "put it before the command" in r.output
    r = run("stats", "--no-color")
    assert r.exit_code == 2 and "put it before the command" in r.output
    r = run("search", "табори", "--home", "my archive")  # the advice keeps the value, ready to copy
    assert r.exit_code == 2 and "--home 'my archive' search …" in r.output


@pytest.mark.parametrize("word", ["-Путін", "-Putin", "-nato", "-Trump"])
def test_dashed_words_still_exclude(run, word):
    r = run("search", "табори", word, "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["query"] == f"табори {word}"


def test_short_options_and_the_separator_still_work(run):
    r = run("search", "рік", "OR", "табори", "-n1", "--json")
    assert r.exit_code == 0 and len(json.loads(r.output)["hits"]) == 1
    r = run("search", "-n", "1", "-p", "2", "рік OR табори", "--json")
    assert r.exit_code == 0 and json.loads(r.output)["page"] == 2
    r = run("search", "--json", "--", "табори", "--x")
    assert json.loads(r.output)["query"] == "табори --x"


# -- 5. a Latin-alphabet code page or MacCyrillic is refused, never garbled ----------------------

FRENCH = "Le café crème était délicieux. Nous avons mangé une crêpe à la pâtisserie près de la gare. " * 5
UKRAINIAN = ("Влітку в області працюють мовні табори. Діти вивчають англійську мову в таборі. "
             "Їхні батьки раді, що є така можливість. ") * 3


def test_windows_1252_french_is_refused_not_read_as_cyrillic(home, tmp_path):
    from searchkit import Engine
    from searchkit.errors import InputError
    from searchkit.text.textdecode import decode_bytes

    with pytest.raises(InputError, match="Latin-alphabet code page such as windows-1252; save it as UTF-8"):
        decode_bytes(FRENCH.encode("cp1252"), "fr.txt")
    path = tmp_path / "fr.txt"
    path.write_bytes(FRENCH.encode("cp1252"))
    eng = Engine(home)
    report = eng.import_paths([path])
    assert report.added == 0 and report.failed == 1 and "windows-1252" in report.errors[0]
    eng.close()


@pytest.mark.parametrize("text", ["Café crème", "Café", '{"text": "Un café crème"}'])
def test_a_short_windows_1252_text_is_refused_not_imported_garbled(home, tmp_path, text):
    # ("Café crème" was stored as "Cafй crиme": two accented words were too few to tell)
    from searchkit import Engine

    path = tmp_path / "fr.jsonl" if text.startswith("{") else tmp_path / "fr.txt"
    path.write_bytes((text + "\n").encode("cp1252"))
    with Engine(home) as eng:
        report = eng.import_paths([path])
        assert report.added == 0 and report.failed == 1 and "windows-1252" in report.errors[0]
        assert eng.stats().articles == 0


@pytest.mark.parametrize("text", ["Новини BBC\n", "Kиїв і Львів\n"])
def test_a_short_cyrillic_code_page_text_with_latin_letters_beside_its_words_is_still_read(home, tmp_path, text):
    from searchkit import Engine

    (tmp_path / "uk.txt").write_bytes(text.encode("cp1251"))
    with Engine(home) as eng:
        assert eng.import_paths([tmp_path / "uk.txt"]).added == 1
        assert eng.get("uk").text == text.strip()


@pytest.mark.parametrize("text", ["Мiнiстр пiдписав\n", "Кабмiн\n"])
def test_a_short_cyrillic_code_page_text_whose_every_word_holds_a_latin_look_alike_is_read(home, tmp_path, text):
    # (a Latin "i" typed for "і" in each word: refused as windows-1252, while no word of it
    # holds a Latin letter that no Cyrillic one looks like)
    from searchkit import Engine

    (tmp_path / "uk.txt").write_bytes(text.encode("cp1251"))
    with Engine(home) as eng:
        assert eng.import_paths([tmp_path / "uk.txt"]).added == 1
        assert eng.get("uk").text == text.strip()


def test_maccyrillic_is_refused_by_name():
    from searchkit.errors import InputError
    from searchkit.text.textdecode import decode_bytes

    with pytest.raises(InputError, match="reads as MacCyrillic, which searchkit does not import"):
        decode_bytes(UKRAINIAN.encode("mac_cyrillic"), "uk.txt")


@pytest.mark.parametrize("codec", ["cp1251", "koi8_u"])
def test_the_supported_code_pages_still_read(codec):
    from searchkit.text.textdecode import decode_bytes

    assert decode_bytes(UKRAINIAN.encode(codec), "uk.txt") == UKRAINIAN


# -- 6. stored but not yet searchable: said on search, with how to finish ----------------------


class Killed(BaseException):
    """Stands for Ctrl-C or SIGKILL in the middle of indexing."""


def interrupted_import(engine, tmp_path, monkeypatch, n=6):
    from searchkit.backends.whoosh import SearchIndex

    from .synth import articles
    from .synth import write_jsonl as write_synth

    write_synth(tmp_path / "more.jsonl", articles(n, prefix="m"))
    with monkeypatch.context() as m:
        m.setattr(SearchIndex, "apply", lambda *a, **k: (_ for _ in ()).throw(Killed))
        with pytest.raises(Killed):
            engine.import_paths([tmp_path / "more.jsonl"])


def test_after_an_interrupted_import_search_says_what_is_not_searchable(engine, run, tmp_path, monkeypatch):
    assert engine.unindexed() == (0, 4)
    interrupted_import(engine, tmp_path, monkeypatch)
    assert engine.unindexed() == (6, 10)
    r = run("search", "табори")
    assert r.exit_code == 0
    assert "6 of 10 stored articles are not searchable yet" in r.stderr
    assert "`searchkit --home " in r.stderr and " index`" in r.stderr
    data = json.loads(run("search", "табори", "--json").stdout)
    assert data["unindexed"] == 6 and data["stored"] == 10
    assert run("index").exit_code == 0
    r = run("search", "табори")
    assert "not searchable" not in r.stderr and engine.unindexed() == (0, 10)


def test_an_import_without_indexing_is_said_too(engine, run, tmp_path):
    from .synth import articles
    from .synth import write_jsonl as write_synth

    write_synth(tmp_path / "more.jsonl", articles(3, prefix="m"))
    engine.import_paths([tmp_path / "more.jsonl"], index=False)
    assert "3 of 7 stored articles are not searchable yet" in run("search", "табори").stderr


def test_articles_stored_in_a_home_without_an_index_are_all_unindexed(tmp_path):
    from .conftest import ARTICLES, write_jsonl

    eng = Engine.init(tmp_path / "fresh")
    eng.import_paths([write_jsonl(tmp_path / "feed.jsonl", ARTICLES)], index=False)
    assert eng.unindexed() == (len(ARTICLES), len(ARTICLES))  # was (0, 0): no index to compare with
    eng.close()


def test_an_article_updated_without_indexing_is_said_until_index(engine, run, tmp_path):
    from .conftest import ARTICLES, write_jsonl

    changed = {**ARTICLES[2], "text": "У зоопарку Києва народився жираф."}
    feed = write_jsonl(tmp_path / "changed.jsonl", [changed])
    assert run("import", "--no-index", str(feed)).exit_code == 0
    r = run("search", "жираф")
    assert "1 of 4 stored articles is not searchable yet" in r.stderr
    assert "`searchkit --home " in r.stderr and " index`" in r.stderr
    assert engine.unindexed() == (1, 4)
    assert run("index").exit_code == 0
    r = run("search", "жираф")
    assert "not searchable" not in r.stderr and "Новий рік у Києві" in r.stdout
    assert engine.unindexed() == (0, 4)


def test_an_unchanged_import_without_indexing_leaves_no_note(engine, run, tmp_path):
    from .conftest import ARTICLES, write_jsonl

    assert run("import", "--no-index", str(write_jsonl(tmp_path / "same.jsonl", ARTICLES))).exit_code == 0
    assert "not searchable" not in run("search", "табори").stderr


# -- 7. a bare string is one path, one id ---------------------------------------------------------


def test_import_paths_takes_one_path_as_a_string(home, tmp_path):
    from searchkit import Engine

    from .conftest import ARTICLES, write_jsonl

    feed = write_jsonl(tmp_path / "feed.jsonl", ARTICLES)
    eng = Engine(home)
    report = eng.import_paths(str(feed))
    assert report.added == 4 and report.failed == 0
    assert eng.import_paths(feed).unchanged == 4  # a Path is one path too
    eng.close()


def test_delete_takes_one_id_as_a_string(engine, tmp_path):
    from .conftest import write_jsonl

    engine.import_paths([write_jsonl(tmp_path / "f.jsonl", [
        {"id": "f", "text": "Стаття ef."}, {"id": "1", "text": "Стаття один."}, {"id": "f1", "text": "Стаття."}])])
    assert engine.delete("f1") == 1
    assert engine.get("f").id == "f" and engine.get("1").id == "1"  # never the characters' articles
    assert engine.delete(["f", "1"]) == 2


@pytest.mark.parametrize("bad", [b"a1", 12, [b"a1"], [1]])
def test_delete_refuses_what_is_no_id(engine, bad):
    with pytest.raises(TypeError, match="ids must be"):
        engine.delete(bad)
    assert engine.get("a1").id == "a1"


# -- 8. AND/and and a lowercase or are operators, and the results say so -------------------------


@pytest.mark.parametrize("query, kind", [
    ("табір AND мова", "And"), ("табір and мова", "And"), ("Київ or Харків", "Or"), ("Київ OR Харків", "Or"),
])
def test_and_and_or_between_words_are_operators(query, kind):
    from searchkit.query.parse import Word, parse_query

    parsed = parse_query(query)
    assert type(parsed.root).__name__ == kind
    assert all(isinstance(w, Word) and w.text.lower() not in ("and", "or") for w in parsed.root.items)
    if query.split()[1] != "OR":
        assert any("quote" in w for w in parsed.warnings)  # says how it was read


def test_a_quoted_and_or_is_still_a_word():
    from searchkit.query.parse import parse_query

    assert "and" in str(parse_query('rock "and" roll').root) and not parse_query('rock "and" roll').warnings


def test_search_reads_and_as_all_words_and_says_so(run):
    r = run("search", "табори", "AND", "мову", "--json")
    data = json.loads(r.output)
    assert r.exit_code == 0 and [h["id"] for h in data["hits"]] == ["a2"]
    assert any("AND" in w for w in data["warnings"])
    r = run("search", "табори or Харкова", "--json")
    assert {h["id"] for h in json.loads(r.output)["hits"]} == {"a2", "a4"}
    assert "Note: read 'or' as OR" in run("search", "табори or Харкова").output


# -- 9. one import bar: records done (stored and indexed) of all, a total that does not grow -----


def test_the_import_bar_counts_records_done_against_a_fixed_total(home, tmp_path, monkeypatch):
    from searchkit import Engine, library
    from searchkit.cli import ImportProgress

    from .synth import articles
    from .synth import write_jsonl as write_synth

    monkeypatch.setattr(library, "IMPORT_BATCH", 10)
    monkeypatch.setattr(library, "IMPORT_GROWTH", 0)  # batches of 10 however big the index
    write_synth(tmp_path / "feed.jsonl", articles(35, prefix="p"))
    state = ImportProgress(index=True, batch=10)
    seen: list[tuple[str, float, int | None]] = []

    def reading(done, total):
        state.on_read(done, total)
        seen.append(("read", state.done, state.total))

    def indexing(done, total):
        state.on_index(done, total)
        seen.append(("index", state.done, state.total))

    eng = Engine(home)
    eng.index()  # an (empty) index: the import commits in batches
    assert eng.import_batch() == 10
    eng.import_paths([tmp_path / "feed.jsonl"], progress=reading, index_progress=indexing)
    state.finish()
    eng.close()
    assert {t for _, _, t in seen} == {35}  # the total never grows
    dones = [d for _, d, _ in seen]
    assert dones == sorted(dones) and state.done == 35
    # every record read, the last batch not yet indexed: the bar is not full
    last_read = max(i for i, (kind, _, _) in enumerate(seen) if kind == "read")
    assert seen[last_read][1] < 35
    # the end of each batch's indexing: the records read up to it are done
    assert any(kind == "index" and d == 10 for kind, d, _ in seen)


def test_an_import_built_at_its_end_moves_the_bar_with_the_indexing(home, tmp_path):
    from searchkit import Engine
    from searchkit.cli import ImportProgress

    from .synth import articles
    from .synth import write_jsonl as write_synth

    write_synth(tmp_path / "feed.jsonl", articles(35, prefix="p"))
    eng = Engine(home)
    assert eng.import_batch() is None  # no index yet: one build at the end
    state = ImportProgress(index=True, batch=None)
    seen: list[tuple[str, float]] = []

    def reading(done, total):
        state.on_read(done, total)
        seen.append(("read", state.done))

    def indexing(done, total):
        state.on_index(done, total)
        seen.append(("index", state.done))

    eng.import_paths([tmp_path / "feed.jsonl"], progress=reading, index_progress=indexing)
    state.finish()
    eng.close()
    assert all(d == 0 for kind, d in seen if kind == "read")  # stored is not done: nothing is indexed yet
    assert [d for _, d in seen] == sorted(d for _, d in seen) and state.done == 35


def test_reimporting_unchanged_records_moves_the_bar_while_reading():
    from searchkit.cli import ImportProgress

    state = ImportProgress(index=True, batch=2000)
    for done in range(1, 10001):
        state.on_read(done, 10000)
    assert state.done == 8000  # at most one batch can still wait for indexing


def test_import_on_a_terminal_shows_one_bar(home, tmp_path, monkeypatch):
    import re
    import sys

    from .conftest import ARTICLES, write_jsonl

    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.delenv("NO_COLOR", raising=False)
    feed = write_jsonl(tmp_path / "feed.jsonl", ARTICLES)
    with pytest.raises(SystemExit) as exit_:
        main(["--home", str(home), "import", str(feed)], standalone_mode=False)
    assert exit_.value.code == 0
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", terminal.getvalue())
    assert "Importing and indexing" in shown and "4/4" in shown
    assert "Indexing" not in shown  # no second bar whose total grows


# -- 10. search - exits 2 when any query failed ---------------------------------------------------


@pytest.mark.parametrize("lines, code", [
    ("табори\n-київ\n", 2), ("космодром\nл*\n", 2), ("табори\nкосмодром\n", 0), ("космодром\n", 1),
])
def test_search_stdin_exits_2_when_any_query_failed(run, lines, code):
    r = run("search", "-", input=lines)
    assert r.exit_code == code, r.output
    r = run("search", "-", "--json", input=lines)
    assert r.exit_code == code


# -- 11. a saved search is checked when saved -----------------------------------------------------


def test_saving_a_query_that_cannot_run_is_refused(engine, run):
    from searchkit.errors import QueryError

    with pytest.raises(QueryError, match="too short"):
        engine.save_search("p", "п*")
    assert engine.saved_searches() == []
    r = run("saved", "add", "p", "п*")
    assert r.exit_code == 2 and "prefix 'п' is too short" in r.output
    assert run("saved", "add", "ok", "табор*").exit_code == 0
    assert [s.name for s in engine.saved_searches()] == ["ok"]


# -- 12. one date grammar: import reads 24.02.2022 as --since does ---------------------------------


def test_import_reads_the_dates_since_reads(home, tmp_path):
    from searchkit import Engine

    from .conftest import write_jsonl

    eng = Engine(home)
    report = eng.import_paths(write_jsonl(tmp_path / "d.jsonl", [
        {"id": "d1", "title": "Вторгнення", "text": "Почалося вторгнення.", "date": "24.02.2022"},
        {"id": "d2", "title": "Інше", "text": "Почалося вторгнення.", "date": "2.3.2022"},
        {"id": "d3", "title": "Погано", "text": "Почалося вторгнення.", "date": "31.02.2022"}]))
    assert report.added == 2 and report.failed == 1
    assert report.errors[0].endswith("bad date '31.02.2022': no such day")
    assert str(eng.get("d1").date) == "2022-02-24" and str(eng.get("d2").date) == "2022-03-02"
    assert [h.id for h in eng.search("вторгнення", since="24.02.2022", until="24.02.2022")] == ["d1"]
    eng.close()


def test_one_date_grammar_names_what_it_accepts():
    import datetime as dt

    from searchkit.text.dates import ACCEPTED, bound

    today = dt.date(2025, 3, 12)
    assert bound("2016", today=today) == dt.date(2016, 1, 1)
    assert bound("2016", end=True, today=today) == dt.date(2016, 12, 31)
    assert bound("вчора", today=today) == dt.date(2025, 3, 11)
    assert bound("24.02.2022", today=today) == bound("2022-02-24", today=today) == dt.date(2022, 2, 24)
    with pytest.raises(ValueError) as e:
        bound("колись", today=today)
    assert ACCEPTED in str(e.value) and "2016" in ACCEPTED and "DD.MM.YYYY" in ACCEPTED


def test_a_txt_file_may_give_its_date_as_dd_mm_yyyy(home, tmp_path):
    from searchkit import Engine

    (tmp_path / "t.txt").write_text("date 24.02.2022\nВторгнення почалося вранці.\n", encoding="utf-8")
    eng = Engine(home)
    assert eng.import_paths(tmp_path / "t.txt").added == 1
    article = eng.get("t")
    assert str(article.date) == "2022-02-24" and "date" not in article.text
    eng.close()


# -- Also: CSV cells that a spreadsheet would run are neutralised ------------------------------------


def test_csv_neutralises_formula_cells(home, tmp_path):
    from searchkit import Engine
    from searchkit.export import to_csv

    from .conftest import write_jsonl

    eng = Engine(home)
    eng.import_paths(write_jsonl(tmp_path / "f.jsonl", [
        {"id": "x1", "title": "=HYPERLINK(\"http://evil\",\"табір\")", "source": "@джерело",
         "text": "-2+3 табір у лісі."}]))
    rows = list(csv.reader(io.StringIO(to_csv([eng.search("табір")]))))
    title, source, snippet = rows[1][3], rows[1][6], rows[1][9]
    assert title.startswith("'=") and source == "'@джерело" and snippet.startswith("'-2+3")
    eng.close()


# -- Also: init on a home, empty queries, silent no-matches ------------------------------------------


def test_init_on_an_existing_home_says_so(engine):
    r = CliRunner().invoke(main, ["init", str(engine.home)])
    assert r.exit_code == 0 and "already a searchkit home (4 articles stored)" in r.output
    assert "Created" not in r.output


@pytest.mark.parametrize("query", ["", "   ", "title:", 'title:""', "()"])
def test_every_empty_query_is_the_same_error(run, query):
    r = run("search", query)
    assert r.exit_code == 2 and "empty query" in r.output


@pytest.mark.parametrize("query, note, found", [
    ("табори~3", "as табори~2", True),
    ("табори^2", "boosts are not supported", True),
    ("foo:табори", "unknown field 'foo'", True),
])
def test_what_the_language_lacks_is_said_not_a_silent_no_match(engine, query, note, found):
    res = engine.search(query)
    assert any(note in w for w in res.warnings), res.warnings
    assert (res.total > 0) == found


@pytest.mark.parametrize("query", ["табори^-1", "табори^+2", "табори^1e3", "табори^0.5", "табори^2~"])
def test_a_boost_with_a_sign_an_exponent_or_a_mark_after_it_is_ignored_with_a_note(engine, query):
    # (``табори^-1`` was searched as ``табори`` and ``1`` side by side, without a note)
    word, boost = query.rstrip("~").split("^")
    res, plain = engine.search(query), engine.search(word + "~" * query.endswith("~"))
    assert any(f"ignored '^{boost}' in" in w and "boosts are not supported" in w for w in res.warnings), res.warnings
    assert [h.id for h in res.hits] == [h.id for h in plain.hits] and res.total > 0


def test_repeated_facets_combine(run):
    data = json.loads(run("search", QUERY, "--facets", "source", "--facets", "year", "--json").output)
    assert set(data["facets"]) == {"source", "year"}
    data = json.loads(run("search", QUERY, "--facets", "source,year", "--facets", "month", "--json").output)
    assert set(data["facets"]) == {"source", "year", "month"}


def test_import_dash_reads_stdin(home):
    from .conftest import ARTICLES

    runner = CliRunner()
    feed = "".join(json.dumps(a, ensure_ascii=False) + "\n" for a in ARTICLES) + "{broken\n"
    r = runner.invoke(main, ["--home", str(home), "import", "-"], input=feed.encode("utf-8"))
    assert r.exit_code == 2 and "Imported: 4 added" in r.stdout
    assert r.stderr.startswith("Error: <stdin>:5:")
    csv_feed = "id,title,text\nc1,Табір,Діти в таборі.\n"
    r = runner.invoke(main, ["--home", str(home), "import", "--stdin-format", "csv", "-"], input=csv_feed)
    assert r.exit_code == 0 and "1 added" in r.stdout


def test_texts_piped_one_after_another_are_kept_apart(home):
    runner = CliRunner()
    args = ["--home", str(home), "import", "--stdin-format", "txt", "-"]
    for text in ("Перша стаття про вчителя.", "Друга стаття про архів."):
        assert "1 added" in runner.invoke(main, args, input=text).stdout
    assert "1 unchanged" in runner.invoke(main, args, input="Друга стаття про архів.").stdout
    assert Engine(home).stats().articles == 2


# -- Also: examples in every command's help; --json where it was missing ----------------------------


def _commands(group, path=()):
    import click

    for name, cmd in group.commands.items():
        yield (*path, name), cmd
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, (*path, name))


def test_every_command_has_examples_in_its_help():
    runner = CliRunner()
    assert "Examples:" in runner.invoke(main, ["--help"]).output
    for path, _ in _commands(main):
        out = runner.invoke(main, [*path, "--help"]).output
        assert "Example" in out, f"`searchkit {' '.join(path)} --help` has no example"
        assert "\n  Example" in out, f"`searchkit {' '.join(path)} --help` is not laid out"
    assert "\n  Query language:\n" in runner.invoke(main, ["search", "--help"]).output


def test_every_command_listed_in_the_help_is_summed_up_whole():
    """`searchkit --help` (and `searchkit saved --help`) on 80 columns lists each command
    with a whole line about it, not a sentence cut off with "..."."""
    import click

    runner = CliRunner()
    groups = [((), main)] + [(path, cmd) for path, cmd in _commands(main) if isinstance(cmd, click.Group)]
    for path, group in groups:
        out = runner.invoke(main, [*path, "--help"], terminal_width=80).output
        listing = out.split("\nCommands:\n", 1)[1]
        for name in group.commands:
            line = next(row for row in listing.splitlines() if row.split()[:1] == [name])
            assert not line.endswith("..."), f"`searchkit {' '.join(path)} --help` cuts: {line.strip()}"
            assert line.rstrip().endswith("."), f"`searchkit {' '.join(path)} --help` cuts: {line.strip()}"


def test_the_records_the_import_help_describes_are_imported_as_it_says(tmp_path):
    import re

    runner = CliRunner()
    said = " ".join(runner.invoke(main, ["import", "--help"]).output.split())
    home = tmp_path / "home"
    assert runner.invoke(main, ["init", str(home)]).exit_code == 0
    # a CSV whose columns have the Ukrainian names the help gives: each is read as a field
    names = re.search(r"named in Ukrainian \(([^)]*)\)", said).group(1).split(", ")
    values = {"Текст статті про табори.", "Табори влітку", "2024-05-01", "Місцева газета", "https://example.org/a"}
    cells = {"текст": "Текст статті про табори.", "заголовок": "Табори влітку", "дата": "01.05.2024",
             "джерело": "Місцева газета", "посилання": "https://example.org/a"}
    assert set(names) == set(cells), names
    (tmp_path / "ua.csv").write_text(",".join(names) + "\n" + ",".join(cells[n] for n in names) + "\n",
                                     encoding="utf-8")
    # a .txt as the help describes it: a date line, then the title
    (tmp_path / "note-1.txt").write_text("date 2024-05-02\nЗаголовок нотатки\nТекст нотатки.\n", encoding="utf-8")
    # a record with "text" alone, and one with each form of a date the help gives
    days = re.search(r'"date" \(([^)]*)\)', said).group(1).split(", ")
    lines = [{"id": "only-text", "text": "Лише текст."}]
    lines += [{"id": f"day-{i}", "text": "Текст.", "date": day} for i, day in enumerate(days)]
    (tmp_path / "feed.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines),
                                         encoding="utf-8")
    r = runner.invoke(main, ["--home", str(home), "import", str(tmp_path / "ua.csv"), str(tmp_path / "note-1.txt"),
                             str(tmp_path / "feed.jsonl")])
    assert r.exit_code == 0, r.output
    with Engine(home) as eng:
        [from_csv] = [a for a in eng.stored([h.id for h in eng.search("табори")]) if a.source]
        assert {from_csv.text, from_csv.title, from_csv.date.isoformat(), from_csv.source, from_csv.url} == values
        assert not from_csv.extra
        note = eng.get("note-1")
        assert (note.title, note.date.isoformat()) == ("Заголовок нотатки", "2024-05-02")
        assert eng.get("only-text").text == "Лише текст."
        assert {eng.get(f"day-{i}").date.isoformat() for i in range(len(days))} == {"2024-05-01"}


def test_json_on_init_delete_and_saved(engine, run, tmp_path):
    r = CliRunner().invoke(main, ["init", str(tmp_path / "new"), "--json"])
    assert json.loads(r.output) == {"home": str(tmp_path / "new"), "created": True, "articles": 0}
    assert json.loads(run("init", str(engine.home), "--json").output)["created"] is False
    assert json.loads(run("saved", "add", "t", "табори", "--json").output)["query"] == "табори"
    assert json.loads(run("saved", "remove", "t", "--json").output) == {"removed": "t"}
    r = run("delete", "a2", "nope", "--json")
    assert r.exit_code == 1 and json.loads(r.output) == {"deleted": 1, "requested": 2, "not_found": ["nope"]}


def test_analyze_and_saved_list_json_are_one_document_each(run):
    tokens = json.loads(run("analyze", "мовні табори", "--json").output)  # (JSON Lines would not parse)
    assert [t["token"] for t in tokens] == ["мовні", "табори"]
    r = run("saved", "list", "--json")
    assert r.exit_code == 0 and json.loads(r.output) == []  # none saved: still a document
    run("saved", "add", "t", "табори")
    run("saved", "add", "u", "мовні")
    assert [s["name"] for s in json.loads(run("saved", "list", "--json").output)] == ["t", "u"]


# -- Also: a bad lexicon.tsv stops only what needs it; piped tables have no trailing spaces ---------


def test_a_bad_lexicon_does_not_stop_show_and_stats(engine, run):
    (engine.home / "lexicon.tsv").write_text("this is bad\n", encoding="utf-8")
    r = run("show", "a2")
    assert r.exit_code == 0 and "Мовні табори для дітей" in r.stdout
    r = run("show", "a2", "-q", "табори")
    assert r.exit_code == 0 and "Мовні табори" in r.stdout and "matches not marked" in r.stderr
    r = run("stats")
    assert r.exit_code == 0 and "4 indexed" in r.stdout and "lexicon" in r.stdout and "cannot be read" in r.stdout
    assert "lexicon.tsv:1" in json.loads(run("stats", "--json").stdout)["lexicon_error"]
    r = run("search", "табори")  # what needs the lexicon still says what is wrong with it
    assert r.exit_code == 2 and "lexicon.tsv:1" in r.stderr


@pytest.mark.parametrize("args", [("stats",), ("analyze", "мовні табори"), ("saved", "list")])
def test_piped_tables_carry_no_trailing_spaces(run, args):
    run("saved", "add", "t", "табори")
    out = run(*args).stdout
    assert out.strip() and not [line for line in out.splitlines() if line != line.rstrip()]


def test_the_source_filter_is_echoed_like_the_dates(run):
    r = run("search", QUERY, "--source", "тест-НОВИНИ", "--since", "2020")
    assert r.exit_code == 0 and "Source: тест-НОВИНИ" in r.output and "Dates: 2020-01-01" in r.output
    data = json.loads(run("search", QUERY, "--source", "тест-НОВИНИ", "--json").output)
    assert data["source_filter"] == "тест-НОВИНИ"
    run("saved", "add", "t", QUERY, "--source", "Музика")
    assert "Source: Музика" in run("saved", "run", "t").output


def test_a_source_no_article_has_is_said_with_the_sources_there_are(run):
    r = run("search", QUERY, "--source", "Тест-новин")
    assert r.exit_code == 1
    assert "Note: no article has the source 'Тест-новин' (sources: Тест-новини (" in r.output
    # a known source that holds no match is no slip: nothing is said of it
    assert "no article has the source" not in run("search", "фестиваль", "--source", "тест-НОВИНИ").output


def test_a_source_filter_is_taken_without_the_spaces_around_it_and_a_blank_one_is_refused(run, engine):
    spaced = run("search", QUERY, "--source", "  тест-НОВИНИ ")
    assert "Source: тест-НОВИНИ\n" in spaced.output
    ids = [[h["id"] for h in json.loads(run("search", QUERY, "--source", s, "--json").output)["hits"]]
           for s in ("  тест-НОВИНИ ", "тест-НОВИНИ")]
    assert ids[0] and ids[0] == ids[1]
    # a script's unset variable (--source "$SRC") names no source: refused, not every source searched
    for blank in ("", " "):
        for args in (("search", QUERY), ("search", QUERY, "--json"), ("saved", "add", "b", QUERY)):
            r = run(*args, "--source", blank)
            assert r.exit_code == 2 and r.output.startswith(f"Error: source {blank!r} is blank: it names no source")
            assert "leave --source out" in r.output and len(r.output.strip().splitlines()) == 1
    assert "b" not in run("saved", "list").output.split()
    with pytest.raises(QueryError, match="^source '' is blank"):
        engine.search(QUERY, source="")
    assert engine.search(QUERY, source=None).total


def test_a_blank_facet_list_is_refused_not_taken_for_no_facets(run, engine):
    # --facets "$F" with F unset counted nothing and said nothing
    for blank in ("", " ", " , "):
        for args in (("search", QUERY, "--facets", blank), ("search", QUERY, "--json", "--facets", blank),
                     ("search", QUERY, "--facets", "source", "--facets", blank)):
            r = run(*args)
            assert r.exit_code == 2 and r.output.startswith(f"Error: facets {blank!r} is blank: it names no facet")
            assert "leave --facets out" in r.output and len(r.output.strip().splitlines()) == 1
    run("saved", "add", "f", QUERY)
    r = run("saved", "run", "f", "--facets", "")
    assert r.exit_code == 2 and "leave --facets out" in r.output
    for blank in ("", [""], ["year", " "]):
        with pytest.raises(QueryError, match="^facets '.*' is blank: it names no facet"):
            engine.search(QUERY, facets=blank)
    # no facets asked is still none, and a trailing comma still names the facets before it
    assert engine.search(QUERY, facets=()).facets == {}
    assert list(engine.search(QUERY, facets="source,").facets) == ["source"]


def test_a_blank_query_to_mark_in_show_is_refused_not_ignored(run):
    for blank in ("", "  "):
        for args in (("show", "a2", "-q", blank), ("show", "a2", "--query", blank, "--json")):
            r = run(*args)
            assert r.exit_code == 2
            assert r.output.startswith(f"Error: query {blank!r} is blank: it names nothing to mark")
            assert "leave -q out" in r.output and len(r.output.strip().splitlines()) == 1
    assert run("show", "a2").exit_code == 0


def test_saved_searches_survive_moving_the_home(engine, tmp_path):
    import shutil

    from searchkit import Engine

    engine.save_search("t", "табори")
    engine.close()
    moved = tmp_path / "moved-home"
    shutil.move(str(engine.home), moved)
    eng = Engine(moved)
    assert [s.name for s in eng.saved_searches()] == ["t"]
    assert eng.run_saved_search("t").total == 1  # and a write re-keys them to the new path
    assert [s.name for s in Engine(moved).saved_searches()] == ["t"]
    copy = tmp_path / "copy"
    shutil.copytree(moved, copy)  # a copy beside the original does not take them
    assert Engine(copy).saved_searches() == []
    eng.close()


def test_a_copied_home_saving_searches_does_not_take_its_originals_place(engine, tmp_path):
    import shutil

    from searchkit import Engine

    engine.save_search("t", "табори")
    engine.close()
    copy = tmp_path / "copy"
    shutil.copytree(engine.home, copy)  # its id file too, as cp -a copies it
    Engine(copy).save_search("c", "табори")
    moved = tmp_path / "moved"
    shutil.move(str(engine.home), moved)  # the original moved after the copy saved
    assert [s.name for s in Engine(moved).saved_searches()] == ["t"]
    assert [s.name for s in Engine(copy).saved_searches()] == ["c"]


def test_a_new_home_where_a_deleted_one_was_starts_with_no_saved_searches(engine):
    import shutil

    from searchkit import Engine

    engine.save_search("t", "табори")
    engine.close()
    shutil.rmtree(engine.home)  # the archive deleted, a new one made at the same path
    new = Engine.init(engine.home)
    assert new.saved_searches() == []
    new.save_search("n", "табори")
    assert [s.name for s in Engine(engine.home).saved_searches()] == ["n"]
    new.close()


@pytest.mark.parametrize("damage", ["lost", "garbled"])
def test_a_home_whose_id_file_is_lost_or_garbled_keeps_its_saved_searches(engine, damage):
    from searchkit import Engine

    engine.save_search("t", "табори")
    engine.close()
    id_file = engine.home / ".searchkit-id"
    if damage == "lost":
        id_file.unlink()
    else:
        id_file.write_bytes(b"\xff\xfe not an id")
    eng = Engine(engine.home)
    assert [s.name for s in eng.saved_searches()] == ["t"]
    eng.save_search("u", "табори")  # a write keeps both, and takes the id back
    assert [s.name for s in Engine(engine.home).saved_searches()] == ["t", "u"]
    eng.close()


def test_library_date_errors_use_the_api_wording(engine, run):
    from searchkit.errors import QueryError

    with pytest.raises(QueryError) as e:
        engine.search("табори", until="колись")
    assert str(e.value).startswith("until: cannot read 'колись'") and "--until" not in str(e.value)
    r = run("search", "табори", "--until", "колись")  # the CLI speaks of its option
    assert r.exit_code == 2 and r.stderr.startswith("Error: --until: cannot read 'колись'")


def test_a_file_deleted_from_corpus_is_not_a_hit_with_an_empty_snippet(engine):
    hit = engine.search("табори").hits[0]
    (engine.home / hit.path).unlink()  # removed by hand, the index not updated
    res = engine.search("табори")
    assert res.total == 0 and not res.hits
    assert any("deleted from corpus/" in w and "`Engine.index()`" in w for w in res.warnings)
    assert [h.id for h in engine.search("рік OR політв'язні").hits] != []  # the others are untouched


def test_an_import_finishing_its_index_shows_every_record_of_all_and_no_time_left(monkeypatch):
    # Once every record is in, the commit and the near-duplicate grouping take a while
    # nobody can foretell: the bar says "finishing the index" and gives no time left.
    import re
    import sys
    import time

    from searchkit.cli import import_progress
    from searchkit.cli.shell import Ctx

    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.delenv("NO_COLOR", raising=False)
    with import_progress(Ctx(".", color=None), show=None, index=True, batch=None) as (reading, indexing):
        assert reading is not None and indexing is not None
        reading(2, 4)
        time.sleep(0.15)
        reading(4, 4)  # every record read, then indexed in one build
        indexing(1, 4)
        time.sleep(0.15)
        indexing(4, 4)
        frames = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", terminal.getvalue()).split("\r")
    finishing = [frame for frame in frames if "finishing the index" in frame]
    # every record counted, of all of them, and one time: the time spent, none left
    assert finishing and all("4/4" in frame and len(re.findall(r"\d+:\d\d:\d\d|-:--:--", frame)) == 1
                             for frame in finishing)
