import codecs
import datetime as dt
import gzip
import json
import re
import shlex

import pytest
from click.testing import CliRunner

from searchkit.cli import main
from searchkit.render import TABLE_ROWS
from searchkit.text.controls import quoted

from .conftest import ARTICLES, imported, on_a_terminal, write_jsonl


@pytest.fixture
def run(engine):
    """Run the CLI against the test home; returns the click Result."""
    runner = CliRunner()

    def _run(*args, input=None):
        return runner.invoke(main, ["--home", str(engine.home), *args], input=input, catch_exceptions=False)

    return _run


def test_search_prints_hits_and_exits_0(run):
    r = run("search", "політв'язні")
    assert r.exit_code == 0
    assert "Звільнення політв’язнів у Білорусі" in r.output and "1 match" in r.output


def test_search_without_hits_exits_1(run):
    r = run("search", "космодром")
    assert r.exit_code == 1 and "No matches" in r.output


@pytest.mark.parametrize(("query", "why"), [
    ("космодром", "No article has any of the words, in any form or spelling."),
    ("політв'язні -політв'язні", "No article matches the query as written, though its words may be in some"),
    ('"табори політв\'язні"', "No article matches the query as written, though its words may be in some"),
])
def test_a_search_without_hits_says_why_as_far_as_the_query_tells(run, query, why):
    # (it said "No matches for …" alone: was the word in no article, or only not as written?)
    r = run("search", query)
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    assert lines[0] == f"No matches for {quoted(query)}." and lines[1] == "" and lines[2].startswith(why)
    assert why not in run("search", query, "--source", "Вісті").stdout  # (a filter may be why: said above)


def test_a_search_of_a_home_with_no_articles_says_to_import_not_to_try_other_words(tmp_path):
    home = str(tmp_path / "archive")
    assert CliRunner().invoke(main, ["init", home]).exit_code == 0
    r = CliRunner().invoke(main, ["--home", home, "search", "космодром"])
    assert r.exit_code == 1 and r.stdout.strip() == "No matches for 'космодром'."
    assert "holds no articles yet" in r.stderr


def test_stats_of_a_home_with_no_articles_advises_an_import_not_an_index_run(tmp_path):
    home = str(tmp_path / "archive")
    assert CliRunner().invoke(main, ["init", home]).exit_code == 0
    r = CliRunner().invoke(main, ["--home", home, "stats"], env={"COLUMNS": "300"})
    up = next(line for line in r.stdout.splitlines() if line.strip().startswith("up to date"))
    assert up.split(None, 3)[-1] == (f"no: there is no index yet; `searchkit --home {home} import FILE` adds "
                                     "articles and builds it")
    assert CliRunner().invoke(main, ["--home", home, "import", "-"], input='{"text": "Перша стаття."}\n').exit_code == 0
    r = CliRunner().invoke(main, ["--home", home, "stats"], env={"COLUMNS": "300"})
    assert "up to date  yes" in r.stdout  # (the import built it, as the advice says)


def test_search_json_shape(run):
    r = run("search", "табори", "--json")
    data = json.loads(r.output)
    assert data["query"] == "табори" and data["total"] == 1
    (hit,) = data["hits"]
    assert {"id", "title", "date", "source", "score", "snippet", "path"} <= hit.keys()
    assert hit["id"] == "a2" and hit["date"] == "2016-06-01" and hit["path"].startswith("corpus/")


def test_search_reads_queries_from_stdin_one_json_line_each(run):
    r = run("search", "-", "--json", input="табори\nкосмодром\n\n-київ\n")
    lines = [json.loads(line) for line in r.output.splitlines()]
    assert [d["query"] for d in lines] == ["табори", "космодром", "-київ"]
    assert [d.get("total") for d in lines] == [1, 0, None] and "error" in lines[2]
    assert r.exit_code == 2  # one query failed (the others still ran)


@pytest.mark.parametrize("given", ["", "\n  \n"])
def test_stdin_without_a_query_says_nothing_was_searched(run, given):
    # (it printed nothing and exited 1, as if every query had found nothing)
    r = run("search", "-", "--json", input=given)
    assert (r.exit_code, r.stdout) == (1, "")
    assert r.stderr == "Note: standard input held no query (one a line); nothing was searched\n"


def test_a_stdin_query_that_is_not_utf8_is_reported_and_the_others_run(run):
    r = run("search", "-", "--json", input="табори\n".encode() + b"\xff\xfe\n" + "космодром\n".encode())
    lines = [json.loads(line) for line in r.output.splitlines()]
    assert [d.get("total") for d in lines] == [1, None, 0] and "not UTF-8" in lines[1]["error"]
    assert r.exit_code == 2


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_queries_piped_in_utf16_or_utf32_with_a_byte_order_mark_are_read_as_an_import_reads_them(run, codec):
    # (a file Notepad saves as "Unicode", or PowerShell's `>`: each line was refused as
    # "not UTF-8", echoed with a NUL between its letters)
    data = "табори\nкосмодром\n".encode(codec)
    data = codecs.BOM_UTF16_BE + data if codec == "utf-16-be" else data
    r = run("search", "-", "--json", input=data)
    lines = [json.loads(line) for line in r.output.splitlines()]
    assert [(d["query"], d.get("total")) for d in lines] == [("табори", 1), ("космодром", 0)]


def test_a_byte_order_mark_at_a_stdin_query_lines_start_is_no_part_of_the_query(run):
    # (queries files joined together: the second file's mark was echoed in its first query)
    r = run("search", "-", "--json", input="табори\n".encode() + codecs.BOM_UTF8 + "табори\n".encode())
    assert [json.loads(line)["query"] for line in r.output.splitlines()] == ["табори", "табори"]


def test_a_stdin_query_heading_shows_control_characters_as_symbols(run):
    r = run("search", "-", input="\x1b[31mred\nтабори\n")
    assert "# ␛[31mred" in r.output and "\x1b" not in r.output


def test_a_source_filter_holding_an_escape_is_echoed_with_symbols_by_search_and_saved_searches(run):
    source = "Вісті\x1b]0;title\x07"  # (sets a terminal's window title)
    r = run("search", "табори", "--source", source)
    assert "Source: Вісті␛]0;title␇" in r.output and "\x1b" not in r.output
    r = run("saved", "add", "вісті", "табори", "--source", source)
    assert r.exit_code == 0 and "(source Вісті␛]0;title␇)" in r.output and "\x1b" not in r.output
    r = run("saved", "run", "вісті")
    assert "Source: Вісті␛]0;title␇" in r.output and "\x1b" not in r.output


def test_a_control_character_between_query_words_parts_them_as_a_space_does(run, engine):
    # "Києві метро" are words apart in a3: as a phrase they find nothing
    spaced = json.loads(run("search", "Києві метро", "--json").output)
    assert [h["id"] for h in spaced["hits"]] == ["a3"]
    for between in ("\x07", "\x01", "\x7f", "\x1b[31m ", "\x85"):
        typed = f"Києві{between}метро"
        r = run("search", typed, "--json")
        assert r.exit_code == 0 and json.loads(r.output) == spaced, repr(between)  # the query echoed too
        (line,) = run("search", "-", "--json", input=typed + "\n").output.splitlines()
        assert json.loads(line)["query"] == "Києві метро" and json.loads(line)["total"] == 1
        assert [h.id for h in engine.search(typed)] == ["a3"]


def test_query_error_is_one_line_and_exit_2(run):
    r = run("search", "--", "-київ")
    assert r.exit_code == 2
    assert r.output.startswith("Error: a query needs at least one word") and "Traceback" not in r.output


@pytest.mark.parametrize("query", ["!!!", "—", "😀"])
def test_a_query_of_marks_alone_is_refused_with_what_to_type(run, query):
    r = run("search", query)
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr == "Error: nothing searchable in the query — type a word, a number or a quoted phrase\n"


def test_a_command_an_error_advises_names_the_home_given(run, engine):
    import shlex

    r = run("show", "nope")
    assert r.exit_code == 2
    assert f"`searchkit --home {shlex.quote(str(engine.home))} search WORDS` lists ids" in r.output


def test_search_options(run):
    r = run("search", "рік OR табори", "--since", "2020-01-01", "--json")
    assert [h["id"] for h in json.loads(r.output)["hits"]] == ["a3"]
    r = run("search", "рік OR табори OR політв'язні", "--sort", "date", "--limit", "1", "--page", "2", "--json")
    assert [h["id"] for h in json.loads(r.output)["hits"]] == ["a3"]
    r = run("search", "рік", "--since", "not-a-date")
    assert r.exit_code == 2 and "--since" in r.output


def test_help_explains_how_all_words_and_partial_matches_are_ordered():
    r = CliRunner().invoke(main, ["search", "--help"])
    assert r.exit_code == 0 and "those with all the words first" in r.output
    assert "--all" in r.output and "Only articles with every word" in r.output
    assert "+word            in every result" in r.output


def test_every_command_has_help():
    for name, cmd in main.commands.items():
        assert cmd.help, f"command {name} has no help"


def test_show_highlights_query(run):
    r = run("--color", "show", "a2", "--query", "табір")
    assert r.exit_code == 0 and "\x1b[1;30;43mтабори\x1b[0m" in r.output and "таборі" in r.output
    r = run("show", "nope")
    assert r.exit_code == 2 and "no article with id 'nope'" in r.output


def test_show_json_is_the_stored_article(run):
    data = json.loads(run("show", "a1", "--json").output)
    assert data["id"] == "a1" and data["source"] == "Тест-новини"


def test_show_json_with_a_query_gives_where_its_matches_are_in_the_stored_title_and_text(run):
    data = json.loads(run("show", "a2", "--json", "-q", "табір").output)
    assert data["id"] == "a2" and data["text"].startswith("Влітку")  # (the stored article, as without -q)
    assert [data["title"][a:b] for a, b in data["title_highlights"]] == ["табори"]
    assert [data["text"][a:b] for a, b in data["highlights"]] == ["табори", "таборі"]
    assert "highlights" not in json.loads(run("show", "a2", "--json").output)


def test_a_title_match_after_a_soft_hyphen_is_placed_in_the_title_as_stored():
    from searchkit.models import Span
    from searchkit.text.highlight import shown, stored_spans

    stored = "Укри\u00adття для ді\u00adтей"
    assert shown(stored).text == "Укриття для дітей"  # (the offsets below are of this text)
    assert [stored[s.start:s.end] for s in stored_spans(stored, [Span(0, 7), Span(12, 17)])] == [
        "Укри\u00adття", "ді\u00adтей"]


def test_stats_json(run):
    data = json.loads(run("stats", "--json").output)
    assert data["articles"] == len(ARTICLES) and data["first_date"] == "2016-06-01"
    assert data["last_date"] == "2025-09-21" and data["index_up_to_date"] is True and data["index_bytes"] > 0
    assert data["sources"]["Тест-новини"] == 2


def test_analyze_shows_forms_and_lemmas(run):
    r = run("analyze", "ПОЛІТВʼЯЗНІВ року", "--json")
    toks = json.loads(r.output)
    assert toks[0]["form"] == "політв'язнів" and toks[0]["lemmas"] == ["політв'язень"]
    assert "рік" in toks[1]["lemmas"]
    assert "політв'язень" in run("analyze", "ПОЛІТВʼЯЗНІВ").output
    # several words are one text, as `search` takes them
    assert run("analyze", "ПОЛІТВʼЯЗНІВ", "року", "--json").output == r.output



def test_analyze_outside_a_home_reads_the_words_with_the_dictionary_alone(tmp_path, monkeypatch):
    monkeypatch.delenv("SEARCHKIT_HOME", raising=False)
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(main, ["analyze", "учителів", "--json"])
    assert r.exit_code == 0, r.output
    (tok,) = json.loads(r.output)
    assert "учитель" in tok["lemmas"] and "вчителів" in tok["variants"]


SENTENCE = "Діти вивчали мову в таборі, а вчителі раділи. "


def test_analyze_of_a_long_text_piped_lists_every_token_laid_out_as_a_short_ones_table(run):
    short, long = (run("analyze", SENTENCE * n).output.splitlines() for n in (1, 100))
    rows = short[1:]  # the same rows, so the same column widths, as Rich's table lays them out
    assert len(rows) == 8 and len(long) > TABLE_ROWS + 1 and "token" in short[0]
    assert long == [short[0], *rows * 100]
    guesses = run("--color", "analyze", "Зюзябра " + SENTENCE * 100).output.splitlines()
    assert "\x1b[33mguess" in guesses[1] and "\x1b[1mtoken" in guesses[0] and "guess" not in guesses[2]


def test_analyze_of_a_long_text_on_a_narrow_terminal_shows_the_first_rows_and_how_many_more(home, monkeypatch):
    text = SENTENCE * 100
    narrow = re.sub(r"\x1b\[[0-9;]*m", "", on_a_terminal(home, monkeypatch, "analyze", text, columns=60)).splitlines()
    said = " ".join(line.strip() for line in narrow[-3:])  # (wrapped to the terminal)
    assert f"… and {800 - TABLE_ROWS:,} more tokens (800 in all): piped (| less -S) or with --json, every one" in said
    assert sum("таборі" in line for line in narrow) == TABLE_ROWS // 8
    wide = on_a_terminal(home, monkeypatch, "analyze", text, columns=200).splitlines()
    assert len(wide) == 801 and "more tokens" not in wide[-1]


def test_analyze_given_a_home_that_is_none_says_so_instead_of_reading_without_it(tmp_path):
    feed = write_jsonl(tmp_path / "feed.jsonl", [{"id": "a", "text": "Текст."}])
    r = CliRunner().invoke(main, ["--home", str(feed), "analyze", "учителів"])
    assert r.exit_code == 2 and "a file, not a searchkit home" in r.output
    r = CliRunner().invoke(main, ["--home", str(tmp_path / "archvie"), "analyze", "учителів"])
    assert r.exit_code == 2 and "not a searchkit home" in r.output

def test_import_summary_and_failure_exit_code(run, tmp_path):
    feed = write_jsonl(tmp_path / "more.jsonl", [{"id": "n1", "text": "Новина про Одесу."}])
    r = run("import", str(feed))
    assert r.exit_code == 0 and "1 added" in r.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{oops\n", encoding="utf-8")
    r = run("import", str(bad), str(feed))
    assert r.exit_code == 2
    assert f"Error: {bad}:1: bad JSON" in r.output and "1 unchanged, 1 failed" in r.output


def test_a_gzipped_feed_imports_as_the_feed_does_and_a_zip_is_one_error(run, tmp_path):
    import gzip
    import zipfile

    feed = tmp_path / "gz.jsonl"  # (gzip, whatever its name says)
    feed.write_bytes(gzip.compress("".join(
        json.dumps({"id": f"z{i}", "text": f"Новина {i} про Одесу."}, ensure_ascii=False) + "\n"
        for i in range(30)).encode()))
    r = run("import", str(feed))
    assert r.exit_code == 0 and "30 added" in r.output and "Error" not in r.output
    zipped = tmp_path / "zip.jsonl"
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("feed.jsonl", '{"id": "z1", "text": "Новина."}\n' * 30)
    r = run("import", str(zipped))
    assert r.exit_code == 2
    assert [line for line in r.output.splitlines() if line.startswith("Error")] == [
        f"Error: {zipped}: a zip archive; unzip it and import the files it holds"]


def test_an_import_that_finds_no_articles_says_why_and_exits_0(run, tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "todo.md").write_text("# нотатки", encoding="utf-8")
    nothing = tmp_path / "nothing"
    nothing.mkdir()
    r = run("import", str(empty), str(folder))
    assert r.exit_code == 0 and "0 added" in r.output
    assert f"Warning: {empty}: no articles in it" in r.output
    assert f"Warning: 1 file of another type skipped (first: {folder / 'todo.md'}); import reads .txt," in r.output
    r = run("import", str(nothing))
    assert r.exit_code == 0 and f"Warning: {nothing}: no files in it" in r.output
    r = run("import", "-", input="")
    assert r.exit_code == 0 and "Warning: <stdin>: no articles in it" in r.output


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "txt", "html", "json"])
def test_an_empty_stream_of_any_format_is_an_empty_feed_not_an_error(run, fmt):
    # (CSV piped in empty was "no \"text\" column in the header row (the first line is empty)", exit status 2)
    for piped in ("", "\n\n", "\ufeff") if fmt in ("csv", "jsonl") else ("",):  # (a blank text is "no text")
        r = run("import", "--stdin-format", fmt, "-", input=piped)
        assert (r.exit_code, "Error" in r.output) == (0, False), (fmt, piped, r.output)
        assert "Warning: <stdin>: no articles in it" in r.output


@pytest.mark.parametrize("name", ["empty.csv.gz", "empty.txt.gz", "empty.html.gz", "empty.jsonl.gz", "day.txt.gz"])
def test_a_gzipped_empty_file_is_an_empty_feed_as_the_empty_file_is(run, tmp_path, name):
    # (a .csv.gz, .txt.gz or .html.gz of nothing was refused: its size on disk is not 0)
    gz = tmp_path / name
    gz.write_bytes(gzip.compress(b""))
    r = run("import", str(gz))
    assert (r.exit_code, "Error" in r.output) == (0, False), r.output
    assert f"Warning: {gz}: no articles in it" in r.output


def test_a_csv_whose_header_row_comes_after_a_blank_line_is_still_refused_naming_it(run, tmp_path):
    late = tmp_path / "late.csv"
    late.write_text("\nid,text\na1,Мовні табори.\n", encoding="utf-8")
    r = run("import", str(late))
    assert r.exit_code == 2
    assert f'Error: {late}:1: no "text" column in the header row (the first line is empty)' in r.output


def test_explain_and_saved_add_take_a_query_starting_with_an_excluded_word(run, monkeypatch, tmp_path):
    monkeypatch.setenv("SEARCHKIT_CONFIG_DIR", str(tmp_path / "config"))
    r = run("explain", "-Київ табори", "a2", "--json")
    assert r.exit_code == 0 and json.loads(r.output)["query"] == "-Київ табори"
    r = run("saved", "add", "camps", "-Київ табори")
    assert r.exit_code == 0 and "-Київ табори" in r.output
    assert "No such option" in run("explain", "табори", "a2", "--jsno").output


def test_a_very_long_query_is_quoted_cut_in_messages_and_whole_in_json(run):
    long = "ж" * 3900  # (the longest query is 4,000 characters)
    r = run("search", "-", input=f"{long}\n")
    assert r.exit_code == 1 and len(r.output) < 400 and "(3,900 characters)" in r.output
    r = run("search", "-", "--json", input=f"{long}\n")
    assert json.loads(r.output)["query"] == long


def test_index_command(run):
    r = run("index", "--json")
    assert json.loads(r.output) == {"indexed": 0, "deleted": 0, "failed": 0, "rebuilt": False, "errors": []}
    r = run("index", "--rebuild")
    assert r.exit_code == 0 and f"rebuilt: {len(ARTICLES)} articles" in r.output


def test_init_and_missing_home(tmp_path):
    runner = CliRunner()
    r = runner.invoke(main, ["init", str(tmp_path / "new")])
    assert r.exit_code == 0 and (tmp_path / "new" / "corpus").is_dir()
    r = runner.invoke(main, ["--home", str(tmp_path / "nowhere"), "search", "x"])
    assert r.exit_code == 2 and r.stderr.count("\n") == 1  # one line, the hint on it
    assert "not a searchkit home" in r.stderr and " — make it one with `searchkit init" in r.stderr


def test_the_import_command_init_advises_for_a_home_with_a_space_runs_as_shown(tmp_path):
    home = tmp_path / "my archive"
    r = CliRunner().invoke(main, ["init", str(home)])
    (advised,) = re.findall(r"`(searchkit [^`]*)`", r.output)
    assert shlex.split(advised)[:3] == ["searchkit", "--home", str(home)]  # (it was split at the space)


def test_init_with_an_empty_path_is_refused_and_makes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(main, ["init", ""])
    assert r.exit_code == 2 and r.stderr.startswith("Error: no path given for the home")
    assert list(tmp_path.iterdir()) == []


def test_an_empty_home_given_is_refused_not_read_as_the_current_folder(engine, monkeypatch):
    # (``--home "$ARCHIVE"`` with the variable empty deleted from the home it was run in)
    monkeypatch.chdir(engine.home)
    r = CliRunner().invoke(main, ["--home", "", "delete", ARTICLES[0]["id"]])
    assert r.exit_code == 2 and r.stderr == ('Error: no path given for the home — give --home the folder of a home '
                                             '("." is this one)\n')
    r = CliRunner().invoke(main, ["--home", ".", "show", ARTICLES[0]["id"], "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["id"] == ARTICLES[0]["id"]


def test_home_from_environment(engine):
    r = CliRunner().invoke(main, ["search", "табори", "--json"], env={"SEARCHKIT_HOME": str(engine.home)})
    assert json.loads(r.output)["total"] == 1


def test_delete_command(run):
    r = run("delete", "a4")
    assert r.exit_code == 0 and "Deleted 1 of 1" in r.output and "Not found" not in r.output
    assert run("search", "фестиваль").exit_code == 1


def test_delete_names_the_ids_it_did_not_find(run):
    r = run("delete", "a3", "nosuch")
    assert r.exit_code == 1 and r.output.strip() == "Deleted 1 of 2 articles. Not found: nosuch."
    r = run("delete", "", "x, y")  # ids that would not read as ids are quoted
    assert r.exit_code == 1 and r.output.strip() == "Deleted 0 of 2 articles. Not found: '', 'x, y'."


def test_delete_counts_an_id_given_twice_once_and_never_calls_it_missing(run):
    r = run("delete", "a1", "a1", "--json")
    assert r.exit_code == 0 and json.loads(r.output) == {"deleted": 1, "requested": 1, "not_found": []}
    r = run("delete", "a2", "a2")
    assert r.exit_code == 0 and r.output.strip() == "Deleted 1 of 1 article."


def test_delete_each_says_which_ids_existed(engine):
    assert engine.delete_each(["a2", "nosuch", "a2"]) == [True, False, False]
    assert engine.delete("a2") == 0


def test_deleting_ids_nobody_holds_leaves_the_index_up_to_date(engine):
    # It once committed nothing, and every search then said the near-duplicate groups
    # were not saved yet, until `searchkit index`.
    assert engine.delete(["nosuch", "nor-this"]) == 0
    stats = engine.stats()
    assert stats.index_up_to_date and stats.index_outdated_reason is None
    results = engine.search("табори")
    assert results.total == 1 and results.warnings == ()


def test_unquoted_words_and_a_leading_negation_are_one_query(run):
    assert json.loads(run("search", "мовні", "табори", "--json").output)["total"] == 1
    assert json.loads(run("search", "-фестиваль", "табори", "--json").output)["total"] == 1


def test_a_rebuild_of_one_article_says_article(tmp_path):
    home = tmp_path / "home"
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(home)]).exit_code == 0
    feed = tmp_path / "one.jsonl"
    feed.write_text(json.dumps({"id": "one", "text": "Одна стаття про мовні табори."}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    assert runner.invoke(main, ["--home", str(home), "import", str(feed)]).exit_code == 0
    r = runner.invoke(main, ["--home", str(home), "index", "--rebuild"])
    assert r.exit_code == 0 and "Index rebuilt: 1 article." in r.stdout


UTF16_FILES = {
    "feed.jsonl": '{"id": "u1", "title": "Ранок", "text": "Зранку в парку співали птахи."}\n'
                  '{"id": "u2", "title": "Вечір", "text": "Увечері над річкою стелився туман."}\n',
    "feed.csv": "id,title,text\nu1,Ранок,Зранку в парку співали птахи.\nu2,Вечір,Увечері над річкою стелився туман.\n",
    "u1.txt": "Ранок\nЗранку в парку співали птахи.\n",
    "u1.html": "<html><head><title>Ранок</title></head><body><p>Зранку в парку співали птахи.</p></body></html>",
}


@pytest.mark.parametrize(("codec", "encoding", "order"), [
    ("utf-16-le", "UTF-16", "little-endian"), ("utf-16-be", "UTF-16", "big-endian"),
    ("utf-32-le", "UTF-32", "little-endian"), ("utf-32-be", "UTF-32", "big-endian")])
@pytest.mark.parametrize("name", list(UTF16_FILES))
def test_utf16_or_utf32_without_a_byte_order_mark_is_one_error_naming_it_and_the_other_files_are_imported(
        run, tmp_path, name, codec, encoding, order):
    bad = tmp_path / name
    bad.write_bytes(UTF16_FILES[name].encode(codec))
    good = write_jsonl(tmp_path / "good.jsonl", [{"id": "g1", "text": "Біля школи посадили нові клени."}])
    r = run("import", str(bad), str(good))
    assert r.exit_code == 2 and "Traceback" not in r.output
    errors = [line for line in r.output.splitlines() if line.startswith("Error:")]
    assert errors == [f"Error: {bad}: looks like {encoding} ({order}) without a byte-order mark; save it as UTF-8"]
    assert "1 added" in r.output and "1 failed" in r.output
    assert json.loads(run("show", "g1", "--json").output)["id"] == "g1"
    assert run("show", "u1").exit_code == 2  # nothing half-read was stored


def test_utf16_without_a_byte_order_mark_on_stdin_is_named_as_such(run):
    r = run("import", "-", input=UTF16_FILES["feed.jsonl"].encode("utf-16-le"))
    assert r.exit_code == 2
    assert "Error: <stdin>: looks like UTF-16 (little-endian) without a byte-order mark; save it as UTF-8" in r.output


@pytest.mark.parametrize("codec", ["utf-32", "utf-32-be"])
@pytest.mark.parametrize("name", list(UTF16_FILES))
def test_utf32_with_its_byte_order_mark_is_imported_as_utf8_is(run, tmp_path, name, codec):
    bom = codecs.BOM_UTF32_BE if codec == "utf-32-be" else b""  # (Python's "utf-32" writes its own)
    (tmp_path / name).write_bytes(bom + UTF16_FILES[name].encode(codec))
    r = run("import", str(tmp_path / name))
    assert r.exit_code == 0, r.output
    assert "Error" not in r.output
    assert json.loads(run("show", "u1", "--json").output)["title"] == "Ранок"
    assert json.loads(run("search", "птахи", "--json").output)["total"] == 1


def test_show_marks_matches_in_the_first_20000_words_of_a_longer_article_and_says_so(run, engine, tmp_path):
    words = "Діти грали й купалися в річці. " * 4000  # 24,000 words
    feed = write_jsonl(tmp_path / "long.jsonl", [
        {"id": "long", "title": "Літо", "text": f"Мовні табори відкрилися. {words}Табори закрилися восени."},
        {"id": "just", "title": "Рівно", "text": "табори " * 20_000}])
    assert run("import", str(feed)).exit_code == 0
    r = run("show", "long", "--query", "табори")
    assert r.exit_code == 0
    assert "Note: the article is too long to mark whole; matches are marked in its first 20,000 words only" in r.output
    r = run("--color", "show", "long", "--query", "табори")
    assert "\x1b[1;30;43mтабори\x1b[0m" in r.output  # the first, in the words marked
    assert "\x1b[1;30;43mТабори" not in r.output and "Табори закрилися" in r.output  # the last, past them
    assert "Note:" not in run("show", "a2", "--query", "табори").output
    _, body = engine.highlight(engine.get("just"), "табори")  # exactly 20,000 words: every one marked
    assert len(body.spans) == 20_000 and body.marked_words is None


def test_search_for_a_lone_operator_is_refused_and_a_dangling_one_is_noted(run):
    r = run("search", "AND")
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert r.output.startswith('Error: nothing to search: AND is an operator; put words around it, or quote it '
                               '("AND") to search the word')
    r = run("search", "табори", "AND", "--json")
    data = json.loads(r.output)
    assert r.exit_code == 0 and [h["id"] for h in data["hits"]] == ["a2"] and "missing" not in data
    assert data["warnings"] == ['ignored an AND with nothing after it (quote "AND" to search the word)']


def test_limit_is_bounded_by_the_library_max_limit_in_every_command(run):
    from searchkit.library import MAX_LIMIT

    run("saved", "add", "табори", "табори")
    for cmd in (["search", "табори"], ["similar", "a2"], ["saved", "run", "табори"]):
        r = run(*cmd, "--limit", str(MAX_LIMIT + 1))
        assert r.exit_code == 2 and f"1<=x<={MAX_LIMIT}" in r.output, cmd
        assert run(*cmd, "--limit", str(MAX_LIMIT)).exit_code in (0, 1), cmd


def test_every_export_format_is_a_format_option(run):
    from searchkit.export import EXPORT_FORMATS

    help_text = run("search", "--help").output
    for fmt in ("text", "json", *EXPORT_FORMATS):
        assert fmt in help_text
        assert run("search", "табори", "--format", fmt).exit_code == 0, fmt


def test_search_help_states_the_ranking_constants_the_code_uses():
    # the help is read at every start: it states the numbers, and this keeps them true
    from searchkit.answers import topical
    from searchkit.backends.records import Ranking
    from searchkit.query import understand

    text = " ".join(CliRunner().invoke(main, ["search", "--help"]).output.split())
    rk = Ranking()
    assert f"the first {topical.WINDOW} are ordered" in text
    assert f"one word that finds fewer than {understand.NEAR_BELOW} is followed" in text
    assert f"{understand.PARTIAL_BELOW:,} articles or more hold every word" in text
    assert f"in over {rk.weak_common:.0%} of the archive only rank" in text
    assert f"a word in over {rk.partial_common:.0%} makes no partial match" in text
    assert f"one in up to {rk.fill_common:.0%} does" in text


def test_a_search_of_a_home_with_no_articles_says_so(tmp_path):
    runner = CliRunner()
    runner.invoke(main, ["init", str(tmp_path / "empty")])
    r = runner.invoke(main, ["--home", str(tmp_path / "empty"), "search", "табір"])
    assert r.exit_code == 1 and "this home holds no articles yet" in r.stderr
    assert "searchkit --home" in r.stderr  # the advice names the home


def test_the_commands_stats_and_saved_list_advise_name_the_home_given(tmp_path):
    import shlex

    home = tmp_path / "h x"
    runner = CliRunner()
    runner.invoke(main, ["init", str(home)])
    feed = write_jsonl(tmp_path / "feed.jsonl", ARTICLES[:2])
    assert runner.invoke(main, ["--home", str(home), "import", "--no-index", str(feed)]).exit_code == 0
    named = f"`searchkit --home {shlex.quote(str(home))} "
    r = runner.invoke(main, ["--home", str(home), "stats"])
    assert r.exit_code == 0 and f"run {named}index`" in " ".join(r.output.split())  # (the table wraps it)
    r = runner.invoke(main, ["--home", str(home), "saved", "list"])
    assert r.exit_code == 0 and f"add one with {named}saved add NAME QUERY`" in r.output


def test_a_note_beside_the_hits_advises_a_command_naming_the_home_given(run, engine):
    import shlex

    for path in (engine.home / "corpus").rglob("*.json"):
        if json.loads(path.read_text(encoding="utf-8"))["id"] == "a2":
            path.unlink()
    r = run("search", "табори")
    assert f"`searchkit --home {shlex.quote(str(engine.home))} index` updates the index" in r.output
    data = json.loads(run("search", "табори", "--json").output)
    assert any(f"`searchkit --home {shlex.quote(str(engine.home))} index`" in w for w in data["warnings"])


def test_an_option_inside_the_query_text_is_said_to_be_no_option_also_in_a_query_read_from_stdin(run):
    # (`search 'табори --since 2016'` searched the word "since" and said only that no
    # article has it)
    said = ("searched '--since' as 'since': --since is an option of the search, not a word of the query; give it "
            "outside the query")
    r = run("search", "табори --since 2016")
    assert r.exit_code == 0 and f"Note: {said}" in r.stdout
    r = run("search", "-", "--json", input="табори --since 2016\n")
    data = json.loads(r.stdout)
    assert r.exit_code == 0 and any(w.startswith(said) for w in data["warnings"])
    assert data["query"] == "табори --since 2016" and "date_range" not in data  # no filter was made of it


def test_the_options_a_query_says_are_no_words_are_the_options_of_search():
    from searchkit.query.parse import SEARCH_OPTIONS

    longs = {o[2:] for p in main.commands["search"].params for o in p.opts if o.startswith("--")}
    assert set(SEARCH_OPTIONS) == longs


def test_a_since_after_the_until_is_a_usage_error(run):
    r = run("search", "табори", "--since", "2016", "--until", "2015")
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr == ("Error: --since and --until: no day is in the range: it starts on 2016-01-01, after it "
                        "ends on 2015-12-31 — give a --since on or before the --until\n")
    assert run("saved", "add", "t", "табори", "--since", "2016", "--until", "2015").exit_code == 2
    assert run("search", "табори", "--since", "2016", "--until", "2016").exit_code == 0


def test_csv_piped_as_json_lines_says_which_option_reads_it(run):
    r = run("import", "-", input="id,text\nc1,Бджолярі продали мед.\nc2,Сироварня відкрилася.\n")
    assert r.exit_code == 2
    assert r.stderr.splitlines() == ["Error: <stdin>:1: looks like CSV (a header row 'id,text'), not JSON Lines "
                                     "(one JSON object per line); add --stdin-format csv"]
    r = run("import", "--stdin-format", "csv", "-", input="id,text\nc1,Бджолярі продали мед.\n")
    assert r.exit_code == 0 and "1 added" in r.output


def test_plain_text_piped_as_json_lines_says_which_option_reads_it(run, tmp_path):
    # (it said only "bad JSON: Expecting value (column 1)", on every line)
    r = run("import", "-", input="Бджолярі продали мед.\nСироварня відкрилася.\n")
    assert r.exit_code == 2
    assert r.stderr.splitlines() == ["Error: <stdin>:1: text, not JSON Lines (one JSON object per line); add "
                                     "--stdin-format txt to import it as one article"]  # (once, not per line)
    r = run("import", "-", input='Заголовок вивантаження\n{"id": "j1", "text": "Бджолярі продали мед."}\nхвіст\n')
    assert r.exit_code == 2 and "1 added" in r.output  # a line of text before the records: each said
    assert r.stderr.splitlines() == ["Error: <stdin>:1: bad JSON: the line is text, not a JSON object; add "
                                     "--stdin-format txt to import it as one article",
                                     "Error: <stdin>:3: bad JSON: Expecting value (column 1)"]
    feed = tmp_path / "notes.jsonl"
    feed.write_text("Бджолярі продали мед.\n", encoding="utf-8")
    r = run("import", str(feed))
    assert r.stderr == (f"Error: {feed}:1: bad JSON: the line is text, not a JSON object; name a file of one "
                        "article's text .txt to import it\n")
    r = run("import", "--stdin-format", "txt", "-", input="Бджолярі продали мед.\nСироварня відкрилася.\n")
    assert r.exit_code == 0 and "1 added" in r.output


@pytest.mark.parametrize("page", [
    "<html><head><title>Мед</title></head><body><p>Бджолярі продали мед.</p></body></html>\n",
    "<!DOCTYPE html>\n<html lang=\"uk\">\n<body><p>Бджолярі продали мед.</p></body>\n</html>\n",
])
def test_a_web_page_piped_as_json_lines_says_which_option_reads_it(run, tmp_path, page):
    # (`curl -s PAGE | searchkit import -` said only "bad JSON: Expecting value (column 1)")
    r = run("import", "-", input=page)
    assert r.exit_code == 2
    assert r.stderr.splitlines() == ["Error: <stdin>:1: looks like a web page (HTML), not JSON Lines (one JSON "
                                     "object per line); add --stdin-format html to import it as one article"]
    saved = tmp_path / "page.jsonl"
    saved.write_text(page, encoding="utf-8")
    r = run("import", str(saved))
    assert r.stderr == (f"Error: {saved}:1: looks like a web page (HTML), not JSON Lines (one JSON object per "
                        "line); name a file of one web page .html to import it\n")
    r = run("import", "--stdin-format", "html", "-", input=page)
    assert r.exit_code == 0 and "1 added" in r.output
    hits = json.loads(run("search", "бджолярі", "--json").stdout)["hits"]
    assert any(h["id"].startswith("stdin-") for h in hits)  # the page, piped, is one article


def test_json_lines_saved_as_txt_are_refused_with_the_name_to_give_them(run, tmp_path):
    # (``cp feed.jsonl feed.txt; import feed.txt`` stored one article titled with the raw line)
    lines = '{"id": "j1", "text": "Бджолярі продали мед."}\n{"id": "j2", "text": "Сироварня відкрилася."}\n'
    feed = tmp_path / "feed.txt"
    feed.write_text(lines, encoding="utf-8")
    r = run("import", str(feed))
    assert r.exit_code == 2 and "0 added" in r.output and "1 failed" in r.output
    assert r.stderr == (f"Error: {feed}:1: looks like JSON Lines (a JSON object on line 1), not one article's "
                        "text; name the file .jsonl to import it\n")
    r = run("import", "--stdin-format", "txt", "-", input=lines)
    assert r.exit_code == 2 and r.stderr == ("Error: <stdin>:1: looks like JSON Lines (a JSON object on line 1), "
                                             "not one article's text; add --stdin-format jsonl\n")
    assert "2 added" in run("import", "-", input=lines).output


@pytest.mark.parametrize("text, said", [("", "nothing to analyze"), ("  ", "nothing to analyze"),
                                        ("…!?", "no words to analyze in '…!?'")])
def test_analyze_refuses_a_text_without_words_as_search_refuses_an_empty_query(run, text, said):
    r = run("analyze", text)
    assert r.exit_code == 2 and r.stdout == ""
    (line,) = r.stderr.splitlines()
    assert line.startswith(f"Error: {said} — give a word or a text")
    assert run("analyze", "Бджолярі").exit_code == 0


FLOOD = [
    {"id": "f1", "title": "Весняна повінь", "date": "2023-04-01", "text": "Річка вийшла з берегів біля села."},
    {"id": "f2", "title": "Повінь на заході", "date": "2023-04-02", "text": "Рятувальники вивезли людей човнами."},
    {"id": "f3", "title": "Вода спадає", "date": "2023-04-03", "text": "Після повені селяни сушать свої хати."},
]


def test_a_first_search_off_a_terminal_says_on_stderr_that_it_indexes_and_stdout_stays_json(tmp_path):
    from searchkit import Engine

    with Engine.init(tmp_path / "home") as eng:  # stored, not indexed: the first search builds the index
        assert eng.import_paths([write_jsonl(tmp_path / "feed.jsonl", FLOOD)], index=False).added == 3
    runner = CliRunner()  # (stderr is no terminal: no progress bar shows)
    first = runner.invoke(main, ["--home", str(tmp_path / "home"), "search", "повінь", "--json"])
    assert first.exit_code == 0 and json.loads(first.stdout)["total"] == 3
    assert [line for line in first.stderr.splitlines() if "ndexing" in line] == [
        "Indexing 3 articles before searching…"]
    again = runner.invoke(main, ["--home", str(tmp_path / "home"), "search", "повінь", "--json"])
    assert again.exit_code == 0 and again.stderr == ""  # (the index is up to date: nothing to say)


def test_init_without_a_path_makes_the_home_given_with_home(tmp_path):
    # `searchkit --home archive init` said "Missing argument 'PATH'": the home was given
    r = CliRunner().invoke(main, ["--home", str(tmp_path / "archive"), "init"])
    assert r.exit_code == 0 and (tmp_path / "archive" / "corpus").is_dir()
    assert r.stdout.startswith(f"Created an empty searchkit home in {tmp_path / 'archive'}")
    r = CliRunner().invoke(main, ["init"], env={"SEARCHKIT_HOME": str(tmp_path / "other")})
    assert r.exit_code == 0 and (tmp_path / "other" / "corpus").is_dir()


def test_init_without_a_path_or_a_home_given_says_to_give_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(main, ["init"], env={"SEARCHKIT_HOME": None})
    assert r.exit_code == 2 and "Missing argument 'PATH'" in r.stderr and list(tmp_path.iterdir()) == []


def test_tui_help_names_the_keys_that_work_in_the_query_box_the_app_starts_in():
    out = " ".join(CliRunner().invoke(main, ["tui", "--help"]).output.split())
    assert "F1 all keys" in out and "Ctrl+C or Ctrl+Q in the query box" in out  # (there ? and q are typed as text)


@pytest.mark.parametrize("command", [["search"], ["saved", "run"]])
def test_the_facets_help_sets_what_is_counted_apart_from_what_it_is_counted_per(command):
    out = " ".join(CliRunner().invoke(main, [*command, "--help"]).output.split())
    assert "near-duplicates included, per value of: source, year, month" in out


def test_saved_add_help_says_its_source_filter_reads_a_source_as_search_source_does():
    # (it said "case-insensitive" alone, though a saved search's source ignores apostrophes and look-alikes too)
    def source_help(*command: str) -> str:
        out = " ".join(CliRunner().invoke(main, [*command, "--help"]).output.split())
        return out[out.index("--source NAME"):].split(" --", 1)[0]
    assert source_help("saved", "add") == source_help("search")
    assert "Latin look-alike letters in Cyrillic words do not matter" in source_help("saved", "add")


def test_the_backend_option_offers_each_backend_the_library_registers_and_refuses_others(tmp_path):
    import searchkit
    from searchkit.backends import BACKENDS

    assert searchkit.BACKENDS == BACKENDS
    r = CliRunner().invoke(main, ["--help"])
    assert f"--backend [{'|'.join(BACKENDS)}]" in r.output
    r = CliRunner().invoke(main, ["--home", str(tmp_path), "--backend", "solr", "stats"])
    assert r.exit_code == 2
    assert f"'solr' is not one of {', '.join(map(repr, BACKENDS))}" in r.stderr


STORY = "Укрзалізниця призначила додаткові поїзди до моря на літо. Квитки можна купити онлайн."


@pytest.mark.parametrize(("command", "cases"), [
    ("explain", {0: ["explain", "поїзди", "trains"], 1: ["explain", "мед", "trains"],
                 2: ["explain", "поїзди", "nowhere"]}),
    ("duplicates", {0: ["duplicates", "trains"], 1: ["duplicates", "honey"], 2: ["duplicates", "nowhere"]}),
    ("delete", {1: ["delete", "nowhere"], 0: ["delete", "honey"], 2: ["--home", "NOWHERE", "delete", "honey"]}),
])
def test_the_help_of_a_command_that_can_exit_1_lists_each_exit_status_it_returns(tmp_path, command, cases):
    records = [{"id": "trains", "title": "Поїзди до моря", "text": STORY, "date": "2021-06-01"},
               {"id": "trains-copy", "title": "Поїзди до моря", "text": STORY, "date": "2021-06-02"},
               {"id": "honey", "title": "Мед подорожчав", "text": "Ціни на мед зросли через посуху.",
                "date": "2021-09-01"}]
    imported(tmp_path, records).close()
    said = " ".join(CliRunner().invoke(main, [command, "--help"]).output.split())
    (statuses,) = re.findall(r"Exit status: (.*?)\.(?: |$)", said)
    for status, args in cases.items():
        args = [str(tmp_path / "nowhere") if arg == "NOWHERE" else arg for arg in args]  # (no home there)
        r = CliRunner().invoke(main, args if args[0] == "--home" else ["--home", str(tmp_path / "home"), *args])
        assert r.exit_code == status, (args, r.output)
        assert re.search(rf"(?:^|, ){status} (?:when|on error)", statuses), (status, statuses)
    # what every command returns besides, as the command line's own help says it
    said = " ".join(CliRunner().invoke(main, ["--help"]).output.split())
    assert "2 on error or a mistyped command line, 130 when interrupted (Ctrl-C), 141 when" in said


def test_the_year_and_month_forms_the_since_help_names_are_read_as_whole_years_and_months(run):
    out = " ".join(CliRunner().invoke(main, ["search", "--help"]).output.split())
    since = out[out.index("--since DATE"):].split(" --until", 1)[0]
    forms = re.search(r"a year or a month \(([^)]*)\)", since)
    assert forms, since
    for form in (f.strip().strip("'") for f in forms.group(1).split(",")):
        r = run("search", "табір", "--since", form, "--until", form, "--json")
        assert r.exit_code in (0, 1), (form, r.output)
        dates = json.loads(r.output)["date_range"]
        first, last = dt.date.fromisoformat(dates["since"]), dt.date.fromisoformat(dates["until"])
        # (a whole year or a whole month: from its first day to its last)
        assert first.day == 1 and (last + dt.timedelta(days=1)).day == 1 and first.year == last.year, (form, dates)
        assert (first.month, last.month) in ((1, 12), (first.month, first.month)), (form, dates)
