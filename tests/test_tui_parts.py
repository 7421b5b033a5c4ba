"""Pure parts of the terminal UI: the reader's word wrap, and the keys the README lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from searchkit.tui import KEYS, wrap_offsets


def test_the_readme_lists_every_key_of_the_help_screen() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for _, keys in KEYS:
        for key, what in keys:
            assert f"| {key} | {what} |" in readme


@pytest.mark.parametrize(("text", "width", "lines"), [
    ("один два три", 8, ["один два", "три"]),
    ("один два три", 12, ["один два три"]),
    ("перший\n\nдругий абзац", 20, ["перший", "", "другий абзац"]),
    ("довжелезнеслово", 5, ["довже", "лезне", "слово"]),
    ("", 10, [""]),
])
def test_wrap_offsets_slice_the_text_into_lines(text: str, width: int, lines: list[str]) -> None:
    assert [text[a:b] for a, b in wrap_offsets(text, width)] == lines
