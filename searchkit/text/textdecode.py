"""Bytes -> text for imported files: UTF-8 (with or without BOM), UTF-16 or UTF-32 with a
BOM, or a detected legacy Cyrillic code page (windows-1251, koi8-u), or a clear refusal
(UTF-16 or UTF-32 without a BOM is recognised only to be refused by name). Never
silently garbled: a guess is accepted only when one code page reads as Cyrillic prose far
better than the others (a letter-frequency model, with the marks a wrong code page puts
where capitals stand, "–осія", counted against it; ambiguous text is refused), and
a file that mixes UTF-8 with a code page is refused. Text in a Latin-alphabet code page
(windows-1252 French: ``Café`` read as ``Cafй``) is refused, its "Cyrillic" letters being
stuck inside Latin words; MacCyrillic is recognised only to be refused by name.
"""

from __future__ import annotations

import codecs
import math
import re
import unicodedata

from ..errors import InputError
from .normalize import LATIN_LOOKALIKES

__all__ = ["BOM", "UTF16_SAMPLE", "UTF32_BOMS", "choose_encoding", "decode_bytes", "plausible_ukrainian", "unmarked",
           "utf16_without_bom"]

_LEGACY = ("cp1251", "koi8_u")
#: Code pages scored as rivals only: a text that reads best in one is refused by name.
_REFUSED = {"mac_cyrillic": "MacCyrillic"}
#: How much less likely (in nats) a file is MacCyrillic than windows-1251 or koi8-u before its
#: letters are read: a short windows-1251 text differs from MacCyrillic only in its few
#: capitals and its і, ї, є, and a guess between them leans to the code page in use.
_REFUSED_PRIOR = 3.0
# How often each letter occurs in Ukrainian text (per cent, case folded), plus the Russian
# letters Ukrainian lacks, rarer: a text read in the wrong code page turns into other
# letters (and box drawing, or Latin-1 signs), and scores far lower under this model.
_FREQ = {
    "о": 9.3, "а": 8.3, "н": 6.8, "и": 6.2, "і": 5.7, "в": 5.5, "т": 5.2, "е": 4.9, "р": 4.7, "с": 4.0,
    "к": 3.6, "л": 3.4, "д": 3.2, "у": 3.2, "м": 3.1, "п": 2.9, "з": 2.1, "я": 2.0, "ь": 1.7, "г": 1.6,
    "б": 1.6, "ч": 1.3, "й": 1.3, "х": 1.1, "ц": 1.0, "ж": 0.9, "ї": 0.8, "ш": 0.8, "ю": 0.8, "є": 0.4,
    "щ": 0.4, "ф": 0.3, "ґ": 0.05, "ы": 0.5, "э": 0.1, "ё": 0.05, "ъ": 0.02,
}
_LOGP = {c: math.log(f / 100) for c, f in _FREQ.items()}
# Punctuation a Cyrillic code page is used for: neutral evidence.
_PUNCT = set("«»„“”‘’–—…№•°€\u00a0\u00ad")
_LOGP_PUNCT = math.log(0.01)
_LOGP_OTHER = math.log(1e-4)  # any other non-ASCII character: box drawing, ¶, ©, Latin-1 letters
_LOGP_CASE = math.log(0.01)  # a capital right after a small letter: "сЕЛО" is a wrong code page
# A mark stuck to the front of a word ("–осія", "’арків", "\u00a0иїв"): where another code
# page holds a capital letter, this one holds a dash, a quote or a space. Prose puts only an
# opening quote there: « or „, and “ or ‘ when a quote closes it further on (“Київ”, while
# “екст is a Т read as MacCyrillic); any other mark there scores as a character no prose
# holds. In a short text its few capitals are all that tells windows-1251 from MacCyrillic,
# whose small letters are the same bytes.
_OPENING = {"“": "”", "‘": "’"}
_GLUED = set("»“”‘’–—…№•\u00a0")
#: Signs that stand beside figures (``5 €``, ``№ 3``), never beside a letter (``боятьс€``).
_FIGURE_SIGNS = set("€№")
#: Marks no word holds inside it (an apostrophe, a dash or a no-break space may be).
_NOT_INSIDE = set("«»„“”…•")
#: Mean log-probability per non-ASCII character a Ukrainian (or Russian) text reaches;
#: real text scores about -3.3, Cyrillic letters at random about -4.1.
MIN_MEAN = -3.9
#: How much more likely (in nats) the best code page must make the text than the other.
MIN_MARGIN = 6.0
SAMPLE = 256 * 1024
# A UTF-8 Cyrillic letter is 0xD0/0xD1 plus a continuation byte. In real windows-1251 or
# koi8-u text that pair is rare (a capital Р/С or ю/я before і, ї, є...); in a file where
# such pairs are a large share of the high bytes, part of the file is UTF-8.
_UTF8_CYRILLIC = re.compile(rb"[\xd0\xd1][\x80-\xbf]")
_HIGH = re.compile(rb"[\x80-\xff]")
MAX_UTF8_SHARE = 0.2
# A word with both ASCII letters and others ("Cafй"): in Cyrillic prose the non-ASCII
# letters make whole words; in a Latin-alphabet text read in a Cyrillic code page they sit
# inside Latin words.
_WORD = re.compile(r"[^\W\d_]+")
MAX_MIXED_SHARE = 0.3
MIN_MIXED_WORDS = 3


#: The first bytes looked at for UTF-16 saved without its byte-order mark.
UTF16_SAMPLE = 4096
#: The share of characters that must show a NUL byte in one position of their pair: the
#: high byte of an ASCII character (a space, a digit, punctuation, a JSON key). Ukrainian
#: prose has a space every seven letters or so; Cyrillic letters themselves have none.
MIN_UTF16_NULS = 0.05
#: ... and at least this many: a line with one stray NUL (``{"text": "a\x00b"}``) is
#: damaged UTF-8, not UTF-16, whose every quote, brace and space shows one.
MIN_UTF16_NUL_COUNT = 4
# Characters no text holds: controls (but line ends and tabs), unassigned and private
# code points. Bytes read as UTF-16 that are not UTF-16 turn into these.
_NOT_TEXT = {"Cc", "Cn", "Co", "Cs"}


def utf16_without_bom(sample: bytes) -> str | None:
    """``"little-endian"`` or ``"big-endian"`` when ``sample`` (a file's first bytes) is
    UTF-16 of that byte order saved without a byte-order mark, else ``None``.

    UTF-16 text shows NUL bytes at every other position (the high byte of each ASCII
    character) and none between them, and its pairs read as text; binary data has its NULs
    anywhere, and its pairs read as controls and unassigned code points.

    >>> text = "Київ і Львів: великі міста, де живуть мільйони людей."
    >>> utf16_without_bom(text.encode("utf-16-le")), utf16_without_bom(text.encode())
    ('little-endian', None)
    """
    head = sample[:UTF16_SAMPLE]
    head = head[: len(head) - len(head) % 2]
    pairs = len(head) // 2
    even, odd = head[0::2].count(0), head[1::2].count(0)
    for nuls, stray, codec, order in ((odd, even, "utf-16-le", "little-endian"),
                                      (even, odd, "utf-16-be", "big-endian")):
        if nuls < max(MIN_UTF16_NUL_COUNT, MIN_UTF16_NULS * pairs) or stray > nuls // 50:
            continue
        try:
            text = codecs.getincrementaldecoder(codec)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        if _reads_as_text(text):  # (letters, not only line ends: a lone NUL and a newline are no UTF-16 text)
            return order
    return None


#: The share of a UTF-32 text's characters that are of the basic plane (all its letters,
#: but for an emoji or a rare sign): bytes whose planes are anything else are no text.
MIN_BASIC_PLANE = 0.9
#: UTF-32's byte-order marks (each starts as UTF-16's does: look for these first).
UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
#: The byte-order mark as a character (U+FEFF): no character of a text, wherever it stands.
BOM = "\ufeff"


def utf32_without_bom(sample: bytes) -> str | None:
    """``"little-endian"`` or ``"big-endian"`` when ``sample`` is UTF-32 of that byte
    order saved without a byte-order mark, else ``None``: every character four bytes,
    the top one always NUL (and the next one, for every letter a news article holds),
    and what they decode to reads as text.

    >>> utf32_without_bom("Київ і Львів: великі міста.".encode("utf-32-be"))
    'big-endian'
    """
    head = sample[:UTF16_SAMPLE]
    head = head[: len(head) - len(head) % 4]
    if len(head) < 4 * MIN_UTF16_NUL_COUNT:
        return None
    chars = len(head) // 4
    for top, plane, codec, order in ((3, 2, "utf-32-le", "little-endian"), (0, 1, "utf-32-be", "big-endian")):
        if head[top::4].count(0) != chars or head[plane::4].count(0) < MIN_BASIC_PLANE * chars:
            continue
        try:
            text = codecs.decode(head, codec)
        except UnicodeDecodeError:
            continue
        if _reads_as_text(text):
            return order
    return None


def unmarked(sample: bytes) -> str | None:
    """What ``sample`` is when it is UTF-32 or UTF-16 saved without its byte-order mark
    (``"UTF-32 (little-endian)"``), else ``None``: said so by name, once for the file."""
    for name, check in (("UTF-32", utf32_without_bom), ("UTF-16", utf16_without_bom)):
        if order := check(sample):
            return f"{name} ({order})"
    return None


def _reads_as_text(text: str) -> bool:
    """Whether decoded ``text`` holds letters and none of the characters no text holds
    (what bytes of another kind turn into)."""
    return any(c.isalpha() for c in text) and not any(
        unicodedata.category(c) in _NOT_TEXT and c not in "\t\n\r\f" for c in text)


def _latin_in_disguise(text: str) -> bool:
    """Whether the non-ASCII letters of ``text`` sit mostly inside Latin words, or all of
    them do: a short text with no word of its "Cyrillic" letters alone (``Cafй crиme``) is
    no Cyrillic prose, however few its accented words. (Each word of a short Cyrillic text
    may hold a Latin look-alike, a Latin ``i`` typed for ``і``: ``Мiнiстр пiдписав`` is
    Cyrillic, its words not Latin ones, which hold a Latin letter no Cyrillic one looks like.)

    >>> _latin_in_disguise("Cafй crиme"), _latin_in_disguise("Новини BBC"), _latin_in_disguise("Kиїв і Львів")
    (True, False, False)
    >>> _latin_in_disguise("Мiнiстр пiдписав"), _latin_in_disguise("Кабмiн")
    (False, False)
    """
    mixed = foreign = latin = 0
    for w in _WORD.findall(text):
        if w.isascii():
            continue
        foreign += 1
        if any(c.isascii() for c in w):
            mixed += 1
            latin += any(c.isascii() and c not in LATIN_LOOKALIKES for c in w)
    return (mixed >= MIN_MIXED_WORDS and mixed > MAX_MIXED_SHARE * foreign) or (latin > 0 and latin == foreign)


def _loglik(text: str) -> tuple[float, int]:
    """Log-probability of ``text``'s non-ASCII characters as Cyrillic prose, and their count.
    ASCII (markup, JSON keys, Latin words) reads the same in every code page: ignored."""
    total, n, prev_lower = 0.0, 0, False
    closed = _last_closers(text)
    for i, c in enumerate(text):
        if c.isascii():
            prev_lower = c.islower()
            continue
        n += 1
        low = c.lower()
        if low in _LOGP:
            total += _LOGP[low]
            if c != low and prev_lower:
                total += _LOGP_CASE
            prev_lower = c == low
        else:
            plausible = c in _PUNCT and not (c in _GLUED and _word_initial(text, i) and closed.get(c, -1) <= i) \
                and not (c in _FIGURE_SIGNS and _beside_letter(text, i)) \
                and not (c in _NOT_INSIDE and 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha())
            total += _LOGP_PUNCT if plausible else _LOGP_OTHER
            prev_lower = False
    return total, n


def _word_initial(text: str, i: int) -> bool:
    """Whether ``text[i]`` is stuck to the front of a word: a letter follows it, and before it
    is the text's start, a space or an ASCII mark (``"`` or ``,`` of a JSON or CSV field),
    not a letter or a digit (``2022\u00a0року``) and no other mark (``—\u00a0каже``)."""
    if i + 1 >= len(text) or not text[i + 1].isalpha():
        return False
    prev = text[i - 1] if i else " "
    return prev.isspace() or (prev.isascii() and not prev.isalnum())


def _beside_letter(text: str, i: int) -> bool:
    return (i > 0 and text[i - 1].isalpha()) or (i + 1 < len(text) and text[i + 1].isalpha())


def _last_closers(text: str) -> dict[str, int]:
    """For each opening quote that must close, the last place after which its closing quote
    ends a word (``”`` after ``Київ``): an opening quote before that place is closed."""
    last: dict[str, int] = {}
    for i, c in enumerate(text):
        if c in "”’" and i and not text[i - 1].isspace():
            last[c] = i
    return {o: last.get(c, -1) for o, c in _OPENING.items()}


def plausible_ukrainian(text: str) -> bool:
    """Whether the non-ASCII characters of ``text`` read like Cyrillic prose (or are too
    few to tell)."""
    total, n = _loglik(text)
    return n < 20 or total / n >= MIN_MEAN


def _utf8_error(sample: bytes, complete: bool) -> int | None:
    """Offset of the first byte that is not UTF-8 (a sequence cut by the end of an
    incomplete sample is fine), or ``None``."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=complete)
        return None
    except UnicodeDecodeError as e:
        return e.start


def choose_encoding(sample: bytes, name: str, *, complete: bool = True, declared: str | None = None,
                    by_line: bool = False) -> str:
    """The codec for a file whose first bytes are ``sample`` (the whole file when
    ``complete``); :class:`InputError` naming ``name`` when it is not recognisable text.

    ``declared`` is a charset the file names itself (an HTML ``<meta charset>``): used
    when the bytes are not UTF-8 and decode cleanly with it. ``by_line``: the file is read
    a line at a time, each line that is not UTF-8 told on its own (as JSON Lines are), so
    one mostly UTF-8 is UTF-8 (files joined together, one of them saved in windows-1251).
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith(UTF32_BOMS):  # (UTF-32's mark starts as UTF-16's)
        return "utf-32"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in sample[:65536]:
        if what := unmarked(sample):
            raise InputError(name, f"looks like {what} without a byte-order mark; save it as UTF-8")
        # (read by line: NULs on a few lines, a stray byte or a block a crash zeroed, are
        # damaged lines, each refused on its own; a binary file has them on most lines)
        lines = sample.split(b"\n")
        if not by_line or 2 * sum(b"\x00" in line for line in lines) > len(lines):
            raise InputError(name, "binary data (NUL bytes), not text")
    bad = _utf8_error(sample, complete)
    if bad is None:
        return "utf-8"
    if declared:
        try:
            codec = codecs.lookup(declared).name
            unicode = codec in ("utf-8", "utf-16", "utf-32")  # (each read above, by its marks or bytes)
            if not unicode and plausible_ukrainian(_decode_prefix(sample, codec, complete)):
                return codec
        except (LookupError, UnicodeDecodeError):
            pass
    high = len(_HIGH.findall(sample))
    if high and 2 * len(_UTF8_CYRILLIC.findall(sample)) / high > MAX_UTF8_SHARE:
        if by_line:
            return "utf-8"
        raise InputError(name, f"mostly UTF-8 but byte {bad} is not: mixed encodings or damaged data; "
                         "save it as UTF-8")
    scored = []
    readings: set[str] = set()
    for enc in (*_LEGACY, *_REFUSED):
        try:
            text = _decode_prefix(sample, enc, complete)
        except UnicodeDecodeError:
            continue
        if text in readings:  # (read the same as a code page before it: no rival, nothing to garble)
            continue
        readings.add(text)
        if enc in _LEGACY and _latin_in_disguise(text):
            raise InputError(name, f"not UTF-8 (bad byte at offset {bad}) and not recognisably windows-1251 or "
                             "koi8-u: its accented letters sit inside Latin words, as in a Latin-alphabet code "
                             "page such as windows-1252; save it as UTF-8")
        total, n = _loglik(text)
        scored.append((total - _REFUSED_PRIOR if enc in _REFUSED else total, n, enc))
    scored.sort(reverse=True)
    if scored:
        total, n, enc = scored[0]
        margin = total - scored[1][0] if len(scored) > 1 else math.inf
        if n and total / n >= MIN_MEAN and margin >= MIN_MARGIN:
            if enc in _REFUSED:
                raise InputError(name, f"not UTF-8 (bad byte at offset {bad}) and not recognisably windows-1251 "
                                 f"or koi8-u: it reads as {_REFUSED[enc]}, which searchkit does not import; "
                                 "save it as UTF-8")
            return enc
    raise InputError(
        name, f"not UTF-8 (bad byte at offset {bad}) and not recognisably windows-1251 or koi8-u; save it as UTF-8"
    )


def _decode_prefix(sample: bytes, enc: str, complete: bool) -> str:
    return codecs.getincrementaldecoder(enc)().decode(sample, final=complete)


def decode_bytes(data: bytes, name: str, *, declared: str | None = None) -> str:
    """Decode a whole file; raise :class:`InputError` naming ``name`` when it is not text.

    >>> decode_bytes("Київ і Львів: великі міста, де живуть мільйони людей.".encode("cp1251"), "x.txt")[:12]
    'Київ і Львів'
    """
    enc = choose_encoding(data, name, complete=True, declared=declared)
    try:
        return data.decode(enc)
    except UnicodeDecodeError as e:
        raise InputError(name, f"not valid {enc} text (bad byte at offset {e.start})") from None
