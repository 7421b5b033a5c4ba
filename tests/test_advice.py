"""What an error, hint or note tells someone to do: what to call to someone who embeds
Engine, what to run at the command line (searchkit.advice, the one place for both)."""

from __future__ import annotations

import ast
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

import searchkit
from searchkit import Engine, HomeError, SavedSearchExists
from searchkit.advice import DUPLICATES, INDEX, RUN_NEW, TODOS, in_command_words, shell_word
from searchkit.cli import main

from .conftest import imported

#: A word of the command line: a command to run, or an option.
COMMAND_WORD = re.compile(r"`searchkit |(?<![\w-])--[a-z]")
TRAINS = "Укрзалізниця призначила додаткові поїзди до моря на літо. Квитки можна купити онлайн."


def test_a_missing_home_is_told_as_a_call_to_the_library_and_as_a_command_at_the_command_line(tmp_path: Path) -> None:
    with pytest.raises(HomeError) as e:
        Engine(tmp_path / "nowhere")
    assert e.value.hint == f"make it one with `Engine.init({str(tmp_path / 'nowhere')!r})`, or give `Engine` the " \
                           "folder of a home"
    r = CliRunner().invoke(main, ["--home", "nowhere", "search", "мова"])
    assert r.exit_code == 2
    assert r.stderr.endswith("— make it one with `searchkit init nowhere`, or give --home the folder of a home\n")


def test_a_saved_search_of_a_taken_name_is_told_to_give_replace_or_to_add_the_option(home: Path) -> None:
    with Engine(home) as eng:
        eng.save_search("мова", "мова")
        with pytest.raises(SavedSearchExists) as e:
            eng.save_search("мова", "мовний")
    assert e.value.hint == "give `replace=True` to replace it, or pick another name"
    r = CliRunner().invoke(main, ["--home", str(home), "saved", "add", "мова", "мовний"])
    assert r.exit_code == 2
    assert r.stderr.endswith("— add --replace to the command to replace it, or pick another name\n")


def test_a_note_names_the_method_in_the_library_and_the_command_for_the_home_at_the_command_line(
        tmp_path: Path) -> None:
    records = [{"id": "trains", "title": "Поїзди до моря", "text": TRAINS, "date": "2021-06-01"},
               {"id": "trains-copy", "title": "Поїзди до моря", "text": TRAINS, "date": "2021-06-02"},
               {"id": "honey", "title": "Мед подорожчав", "text": "Ціни на мед зросли через посуху.",
                "date": "2021-09-01"}]
    with imported(tmp_path, records) as eng:
        (note,) = eng.similar("trains").warnings
        home = eng.home
    assert note.endswith(f"near-duplicate ({DUPLICATES('trains')} lists them)") and not COMMAND_WORD.search(note)
    r = CliRunner().invoke(main, ["--home", str(home), "similar", "trains"])
    assert f"(`searchkit --home {home} duplicates trains` lists them)" in r.stdout


def test_each_thing_to_do_has_no_command_line_word_in_the_library_and_its_command_at_the_command_line() -> None:
    for todo in TODOS:
        assert not COMMAND_WORD.search(todo.api), todo
        if "{}" not in todo.api:
            assert in_command_words(f"then {todo}.") == f"then {todo.command}."
    # an argument is a Python literal in the library's words, a shell word in the command's
    assert RUN_NEW("мовні табори", 3) == "`Engine.run_saved_search('мовні табори', new=True, page=3)`"
    assert in_command_words(f"({RUN_NEW('мовні табори', 3)}); run {INDEX}") == \
        "(`searchkit saved run 'мовні табори' --new -p 3`); run `searchkit index`"


def _said(path: Path) -> list[tuple[int, str]]:
    """The strings of a module that are not docstrings: what it may say to a user."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.value) for node in ast.walk(tree)
                  if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def test_no_message_of_the_library_names_a_command_or_an_option() -> None:
    # (the shells, what they print, and the one table of both words may)
    root = Path(searchkit.__file__).parent
    shells = {"cli", "tui", "render", "advice.py", "__main__.py"}
    found = [f"{path.relative_to(root)}:{line}: {text!r}" for path in sorted(root.rglob("*.py"))
             if path.relative_to(root).parts[0] not in shells
             for line, text in _said(path) if COMMAND_WORD.search(text)]
    assert found == []


def _read_back_by_bash(word: str) -> str:
    """What bash makes of ``word`` pasted into a command."""
    return subprocess.run(["bash", "-c", f"printf %s {word}"], capture_output=True, text=True, check=True).stdout


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash to read the advice back")
def test_a_home_with_a_newline_is_advised_as_one_dollar_quoted_word_that_bash_reads_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(main, ["--home", "a\nb", "search", "мова"])
    assert r.exit_code == 2
    (init,) = re.findall(r"`searchkit init ([^`]*)`", r.stderr)
    assert init == "$'a\\nb'" and _read_back_by_bash(init) == "a\nb"
    Engine.init(tmp_path / "c\nd\tit's").close()
    r = CliRunner().invoke(main, ["--home", "c\nd\tit's", "search", "мова"])
    (home,) = re.findall(r"`searchkit --home (\S+) import FILE`", r.stderr)
    assert home == "$'c\\nd\\tit\\'s'" and _read_back_by_bash(home) == "c\nd\tit's"


def test_the_home_a_folder_is_in_is_advised_quoted_once(tmp_path: Path) -> None:
    Engine.init(tmp_path / "my archive").close()
    (tmp_path / "my archive" / "corpus" / "2016").mkdir()
    inside = tmp_path / "my archive" / "corpus" / "2016"
    with pytest.raises(HomeError) as e:
        Engine(inside)
    assert e.value.hint == f"did you mean `Engine({str(tmp_path / 'my archive')!r})`, the home it is in?"
    r = CliRunner().invoke(main, ["--home", str(inside), "stats"])
    assert f"did you mean --home {shlex.quote(str(tmp_path / 'my archive'))}, the home it is in?" in r.stderr


def test_a_word_without_controls_is_quoted_as_shlex_quotes_it_and_one_with_them_escaped_in_dollar_quotes() -> None:
    assert shell_word("мовні табори") == "'мовні табори'" and shell_word("archive") == "archive"
    assert shell_word("a\x1b[2Jb\u202e") == "$'a\\x1b[2Jb\\u202e'"
    assert shell_word("back\\slash\r") == "$'back\\\\slash\\r'"
