"""``searchkit show`` of a huge article: all of its text, its controls shown as symbols and its
matches marked, laid out as Rich lays out the text, on a terminal and in a pipe."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rich.console import Console, Group
from rich.text import Text

from searchkit import Engine
from searchkit.cli import main
from searchkit.render import MATCH_STYLE, highlighted, marked_note

from .conftest import imported, on_a_terminal

#: Paragraphs of the huge article: plain ones, and the kinds Rich itself still lays out (a
#: tab, a combining stress mark, a wide character, a word longer than the line).
PARAGRAPHS = [
    "Влітку в області працюють мовні табори, і діти вивчають англійську мову в таборі біля річки. " * 3,
    "Табори\tвідкрилися в червні;\xa0батьки хвалять мо\u0301вні табори за користь.",
    "Посилання: https://example.com/" + "довга-адреса-без-пробілів-" * 8 + " і далі текст про табори.",
    "Керівник табору сказав «中文» і засміявся. ",
    "Рядок із керуванням \x1b[2J\x1b]0;pwned\x07 і нулем \x00, повернення \r каретки та \u202eзворот.",
    "",
]
#: About 1.2 MB of text, 4,500 paragraphs.
TEXT = "\n".join(PARAGRAPHS * 750)
COLUMNS = 70


@pytest.fixture(scope="module")
def huge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    root = tmp_path_factory.mktemp("huge")
    with pytest.MonkeyPatch.context() as mp:  # (the per-test config folders are not made yet)
        mp.setenv("SEARCHKIT_CONFIG_DIR", str(root / "config"))
        mp.setenv("SEARCHKIT_CACHE_DIR", str(root / "cache"))
        eng = imported(root, [{"id": "huge", "title": "Табори [bold]літа", "source": "Тест", "text": TEXT}])
    yield eng
    eng.close()


def show(home: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, ["--home", str(home), *args], env=env, catch_exceptions=False)


def as_rich_lays_it_out(eng: Engine, query: str | None) -> str:
    """The whole article on a terminal of ``COLUMNS`` columns, laid out by Rich from one Text."""
    title, body = eng.highlight(eng.get("huge"), query)
    parts = [highlighted(title.text, title.spans, base="bold", match=f"bold {MATCH_STYLE}"),
             Text("undated · Тест · huge", style="dim cyan")]
    if body.marked_words is not None:
        parts.append(Text(f"Note: {marked_note(body.marked_words)}", style="dim yellow"))
    console = Console(file=io.StringIO(), width=COLUMNS, force_terminal=True, color_system="standard",
                      highlight=False, markup=False, emoji=False)
    console.print(Group(*parts, Text(""), highlighted(body.text, body.spans, lines=True)))
    return console.file.getvalue()  # type: ignore[attr-defined,no-any-return]


def test_a_huge_article_piped_is_its_whole_text_with_controls_as_symbols(huge: Engine) -> None:
    r = show(huge.home, "show", "huge")
    assert r.exit_code == 0
    shown = TEXT.translate({0x1B: "␛", 0x07: "␇", 0x00: "␀", 0x0D: "␍", 0x202E: "\ufffd"})
    # (as all piped output: tabs expanded, no spaces at the ends of lines)
    assert r.stdout == "Табори [bold]літа\nundated · Тест · huge\n\n" + "\n".join(
        line.expandtabs(8).rstrip(" ") for line in shown.split("\n")) + "\n"


def test_a_huge_article_piped_with_a_query_is_the_same_text(huge: Engine) -> None:
    r = show(huge.home, "show", "huge", "--query", "мовні табори")
    assert r.exit_code == 0 and "\x1b" not in r.stdout
    assert r.stdout.split("\n\n", 1)[1] == show(huge.home, "show", "huge").stdout.split("\n\n", 1)[1]


@pytest.mark.parametrize("query", [None, "мовні табори"])
def test_a_huge_article_on_a_terminal_is_wrapped_and_marked_as_rich_does_it(huge: Engine, query: str | None,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    out = on_a_terminal(huge.home, monkeypatch, "show", "huge", *(["--query", query] if query else []),
                        columns=COLUMNS)
    assert out == as_rich_lays_it_out(huge, query)
    lines = re.sub(r"\x1b\[[0-9;]*m", "", out).splitlines()
    assert max(len(line) for line in lines) == COLUMNS and "␛[2J␛]0;pwned␇" in out
    if query:
        assert "\x1b[1;30;43mмовні\x1b[0m \x1b[1;30;43mтабори\x1b[0m" in out
        assert "Note: the article is too long to mark whole" in out
