"""Bytes -> text for imported files: UTF-8 (with or without BOM), or a detected legacy
Cyrillic code page (windows-1251, koi8-u), or a clear refusal. Never silently garbled."""

from __future__ import annotations

from .errors import InputError

__all__ = ["decode_bytes"]

_LEGACY = ("cp1251", "koi8_u")
# The most frequent Ukrainian lowercase letters. Read in the wrong code page, Cyrillic text
# turns into capitals, box drawing or Latin-1 symbols, so it scores far lower.
_COMMON = set("оаніитевркдлсмупяз")


def _score(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(c in _COMMON for c in letters) / len(letters)


def decode_bytes(data: bytes, name: str) -> str:
    """Decode a whole file; raise :class:`InputError` naming ``name`` when it is not text."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data[:65536]:
        raise InputError(name, "binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        utf8_error = e
    sample = data[:200_000]
    scored = []
    for enc in _LEGACY:
        try:
            scored.append((_score(sample.decode(enc)), enc))
        except UnicodeDecodeError:
            continue
    scored.sort(reverse=True)
    if scored and scored[0][0] >= 0.35 and (len(scored) == 1 or scored[0][0] - scored[1][0] >= 0.15):
        return data.decode(scored[0][1])
    raise InputError(
        name, f"not UTF-8 (bad byte at offset {utf8_error.start}) and not recognisably windows-1251 or koi8-u"
    )
