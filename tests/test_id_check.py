"""An id of printable ASCII skips the checks of each character (every hit's file is read
again for its snippet, id checked): it is accepted or refused exactly as before."""

from __future__ import annotations

import unicodedata

from searchkit.store.fields import MAX_ID, _check_unicode, _invisible, check_id


def _check_id_before(art_id: str) -> str:
    """``check_id`` as it was before the shortcut, every character checked."""
    art_id = unicodedata.normalize("NFC", art_id)
    if not art_id.strip() or len(art_id) > MAX_ID or any(ord(c) < 32 or 127 <= ord(c) < 160 for c in art_id):
        raise ValueError(f'bad "id" {art_id[:40]!r}: 1-{MAX_ID} printable characters')
    _check_unicode("id", art_id)
    if art_id != art_id.strip():
        raise ValueError(f'bad "id" {art_id[:40]!r}: it begins or ends with a space')
    hidden = next((c for c in art_id if _invisible(c)), None)
    if hidden is not None:
        raise ValueError(f'bad "id" {art_id[:40]!r}: it holds an invisible character (U+{ord(hidden):04X})')
    return art_id


def _verdict(check, art_id: str) -> str:
    try:
        return "ok " + check(art_id)
    except ValueError as e:
        return "refused " + str(e)


# every ASCII character and the first ones past it, alone, inside, at either end, and in
# ids at the length limit and past it
_CHARS = [chr(c) for c in range(0x180)] + ["\u200b", "\u00a0", "\u2028", "\ufeff", "\ud800", "\U0001f600", "ї",
                                           "\u0456\u0308", "\u115f"]
_IDS = [form.format(c=c) for c in _CHARS for form in ("{c}", "a{c}b", "{c}ab", "ab{c}", "{c}{c}", " {c} ")] + [
    "a" * MAX_ID, "a" * (MAX_ID + 1), " " * 3, "", "a-chas-kyivshchyny-2016", "ng-0123456789ab", " x", "x "]


def test_an_id_is_accepted_or_refused_as_before_the_ascii_shortcut():
    for art_id in _IDS:
        assert _verdict(check_id, art_id) == _verdict(_check_id_before, art_id), repr(art_id)
