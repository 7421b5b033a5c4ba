"""Untrusted text made safe to show: control characters as visible symbols.

Titles, sources, ids and texts come from outside, and an escape sequence in one (``ESC [2J``
clears the screen, ``ESC ]0;…`` sets the window title) would act on the terminal that shows
it: on ours, or on the one where ``cat hits.csv`` prints an export. :func:`printable` shows
every control character as one visible symbol (``␛``, ``␀``), so offsets into the text
(match spans) stay valid.
"""

from __future__ import annotations

import re

__all__ = ["QUOTED_MAX", "printable", "quoted"]

# C0 controls as their Unicode pictures (ESC -> ␛, NUL -> ␀), DEL -> ␡, C1 controls (an
# 8-bit CSI, U+009B, is an escape too) -> U+FFFD. Tabs stay; newlines stay in texts.
# The bidirectional overrides and isolates (U+202A-202E, U+2066-2069) -> U+FFFD too: they
# reorder how the rest of a line is shown (a title can be made to read as another).
_BIDI = [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_CONTROLS = {c: 0x2400 + c for c in range(0x20) if c != 0x09} | {0x7F: 0x2421} | {
    c: 0xFFFD for c in (*range(0x80, 0xA0), *_BIDI)}
_TEXT_CONTROLS = {c: r for c, r in _CONTROLS.items() if c != 0x0A}


def _any_of(table: dict[int, int]) -> re.Pattern[str]:
    """A pattern of one character of those ``table`` replaces, its class written as ranges
    (one character, not a run: ``[…]+`` scans a text that holds none several times slower)."""
    ranges: list[list[int]] = []
    for c in sorted(table):
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    return re.compile("[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges) + "]")


# Found by a compiled scan, then replaced one by one: str.translate looks every character
# of the text up in the table (0.4 s for 6 MB of Cyrillic, the scan 0.03 s), where an
# article holds a handful of controls or none.
_CONTROL, _TEXT_CONTROL = _any_of(_CONTROLS), _any_of(_TEXT_CONTROLS)


#: The most characters of a query a message repeats: a 60,000-character query echoed whole
#: made one line of an error log 60,000 long.
QUOTED_MAX = 200


def quoted(text: str, limit: int = QUOTED_MAX) -> str:
    """``text`` as a message quotes it (``repr``), cut to ``limit`` characters (with how
    many it has)."""
    return repr(text) if len(text) <= limit else repr(text[:limit]) + f"… ({len(text):,} characters)"


def printable(text: str, *, lines: bool = False) -> str:
    """``text`` safe to print on a terminal: each control character (escape sequences'
    ESC, NUL, BEL, CR, C1 controls, bidirectional overrides) replaced by one visible
    symbol, so offsets into the text stay valid. ``lines`` keeps newlines (article
    texts); else they show as ``␊``."""
    found, table = (_TEXT_CONTROL, _TEXT_CONTROLS) if lines else (_CONTROL, _CONTROLS)
    controls = len(found.findall(text))
    if not controls:
        return text
    if controls * 8 > len(text):  # (a text made of controls: one call a character costs more)
        return text.translate(table)
    return found.sub(lambda m: chr(table[ord(m.group())]), text)
