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
_HAS_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


#: The most characters of a query a message repeats: a 60,000-character query echoed whole
#: made one line of an error log 60,000 long.
QUOTED_MAX = 200


def quoted(text: str) -> str:
    """``text`` as a message quotes it (``repr``), cut to :data:`QUOTED_MAX` characters."""
    return repr(text) if len(text) <= QUOTED_MAX else repr(text[:QUOTED_MAX]) + f"… ({len(text):,} characters)"


def printable(text: str, *, lines: bool = False) -> str:
    """``text`` safe to print on a terminal: each control character (escape sequences'
    ESC, NUL, BEL, CR, C1 controls, bidirectional overrides) replaced by one visible
    symbol, so offsets into the text stay valid. ``lines`` keeps newlines (article
    texts); else they show as ``␊``."""
    if _HAS_CONTROL.search(text) is None:
        return text
    return text.translate(_TEXT_CONTROLS if lines else _CONTROLS)
