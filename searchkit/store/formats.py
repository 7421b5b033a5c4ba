"""Reading articles from the files people have: ``.txt``, ``.jsonl``, ``.csv`` and ``.html``.

Every reader streams: it yields an :class:`Article` or an :class:`InputError` per record,
so one bad line is reported (with file and line) and the rest of the file is still read.
Memory stays bounded whatever the input: JSONL and CSV are read record by record, and no
record (a line, a row, a whole ``.txt`` or ``.html`` file) may exceed ``MAX_RECORD_BYTES``.

- ``.txt``: an optional leading ``date YYYY-MM-DD`` (or ``DD.MM.YYYY``), then the text. The id is the file name
  without its extension; the title is the first line, or its first sentence when long.
- ``.jsonl`` / ``.ndjson``: one JSON object per line with ``id``, ``title``, ``text``,
  ``date``, ``source``, ``url``; unknown fields are kept. ``text`` is required. All but
  ``id`` (a string or an integer) must be strings (see :func:`.fields.article_from_record`).
- ``.csv``: a header row with the same column names (or their Ukrainian ones, see
  :data:`.fields.COLUMN_ALIASES`), cells separated by commas, semicolons or tabs (whichever
  the header row uses).
- ``.html`` / ``.htm``: the page's readable text (scripts, styles and menus dropped); the
  ``<title>`` is the title, the id is the file name without its extension.

Text files may be UTF-8, UTF-16 or UTF-32 with a BOM, windows-1251 or koi8-u (see
:mod:`textdecode`); UTF-16 or UTF-32 without its BOM is refused once for the whole file, by name. Any of them may be
gzipped (``feed.jsonl.gz``; see :mod:`.opening`).
"""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import io
import json
import math
import os
import re
import stat
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from ..errors import InputError, echoed
from ..models import STREAM_FORMATS, Article
from ..text.textdecode import BOM, UTF16_SAMPLE, UTF32_BOMS, decode_bytes, unmarked, utf16_without_bom
from .csvinput import LONE_CR, column_name, header_delimiter, read_csv, read_csv_from
from .fields import (
    KNOWN_FIELDS,
    MAX_EXTRA_DEPTH,
    MAX_ID,
    MAX_RECORD_BYTES,
    MAX_TITLE,
    article_from_record,
    check_id,
    content_id,
    is_blank,
    make_title,
    parse_date,
)
from .opening import COMPRESSED, DAMAGED, input_stem, input_suffix, open_input, refused_kind

__all__ = [  # the names of fields.py, importable from here as before
    "AS_CSV",
    "AS_HTML",
    "AS_JSON",
    "AS_JSONL",
    "AS_TXT",
    "STREAM_FORMATS",
    "KNOWN_FIELDS",
    "MAX_EXTRA_DEPTH",
    "MAX_ID",
    "MAX_TITLE",
    "content_id",
    "MAX_RECORD_BYTES",
    "SUPPORTED",
    "article_from_object",
    "article_from_record",
    "check_id",
    "NAMED_BY_FILE",
    "IMPORTED_FROM",
    "LINE_READERS",
    "count_records",
    "iter_input_files",
    "make_title",
    "parse_date",
    "read_file",
    "read_json_lines",
    "said_of_stream",
]

SUPPORTED = (".txt", ".jsonl", ".ndjson", ".json", ".csv", ".html", ".htm")
#: What a JSON Lines file that holds CSV is told to do (the command line asks its own for stdin).
AS_CSV = "name the file .csv to import it"
#: What a JSON Lines file that holds plain text is told to do (stdin: as for AS_CSV).
AS_TXT = "name a file of one article's text .txt to import it"
#: What a JSON Lines file that holds a JSON array is told to do.
AS_JSON = "name the file .json to import it as it is"
#: What a .txt or .html file that holds JSON Lines is told to do (stdin: as for AS_CSV).
AS_JSONL = "name the file .jsonl to import it"
#: What a JSON Lines file that holds a web page is told to do (stdin: as for AS_CSV).
AS_HTML = "name a file of one web page .html to import it"
#: The formats whose one article takes its id from the file's name.
NAMED_BY_FILE = (".txt", ".html", ".htm")
#: The extra field of such an article that holds the file it was imported from (its
#: absolute path): a later import of another file of that name is refused, not stored over it.
IMPORTED_FROM = "imported_from"
#: The largest ``.json`` file read (it is parsed whole; JSON Lines is read a line at a time).
MAX_JSON_FILE = 256 * 1024 * 1024
#: A time of day after a date, as exports write it (``14:30``, ``05:00:00+02:00``): the day
#: is the article's date, the time is dropped (it was kept as the text's first line, and
#: so the title was ``14:30``).
_TIME = r"(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:[.,]\d+)?)?(?:Z|[+-]\d\d(?::?\d\d)?)?"
_TIME_RE = re.compile(_TIME)
#: Anything shaped like a time after a date line's date, a time or not (``25:30``): one
#: that is no time and ends the line is an error naming the line (it was kept as the
#: text's first line, and so the title was ``25:30``); one the line's text goes on after
#: is that text (``25:99 хвилин тривала тривога``).
_TIMEISH = r"\d{1,2}:\d{1,2}(?::\d{1,2}(?:[.,]\d+)?)?(?:Z|[+-]\d\d(?::?\d\d)?)?"
#: A ``.txt`` file's date line: ``date`` and something shaped like a date (``2022-10-05``,
#: ``24.02.2022``, a timestamp, a time after a space; the text may go on after it on the
#: line), or a short line that starts with a figure (``24 лютого 2022``, a time after it;
#: not ``Date of birth 1990``); one that is no day a ``--since`` reads is an error, not the
#: article's title (``date 2022-02`` was stored undated, the line as its title).
#: The word that starts it: ``date``, or in Ukrainian ``дата`` (``Дата публікації:``), which an
#: archive written in Ukrainian uses (its articles were stored undated, the line their title).
_DATE_WORD = r"(?:date|дата(?:[ \t]+публікації)?):?"
_DATE_LINE = re.compile(rf"\A\s*{_DATE_WORD}[ \t]+(\d{{1,4}}[-./]\d{{1,2}}[-./]\d{{1,4}}\S*)"
                        rf"(?:[ \t]+({_TIME}(?=\s|\Z)|{_TIMEISH}(?=[ \t]*(?:\r?\n|\Z))))?[ \t]*\n?", re.IGNORECASE)
_DATE_WORDS_LINE = re.compile(rf"\A\s*{_DATE_WORD}[ \t]+(\d[^\n]{{0,39}}?)(?:[ \t]+({_TIMEISH}))?[ \t]*(?:\r?\n|\Z)",
                              re.IGNORECASE)
#: A first line that is one day in figures and nothing else (``2024-05-12``, ``12.05.2024``,
#: a time after it): the article's date, as no title is only that. A day in words alone
#: stays the title (``24 лютого`` may name an event), and so does one no calendar has.
_BARE_DATE_LINE = re.compile(rf"\A\s*(\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}\.\d{{1,2}}\.\d{{4}})(?:[ T]{_TIME})?"
                             r"[ \t]*(?:\r?\n|\Z)")
#: A column name of a table's header row (``title``, ``text``, ``published_at``).
_COLUMN = re.compile(r"[a-z_][a-z0-9_]*")


# -- readers -------------------------------------------------------------------------------


def _read_up_to(path: Path, limit: int) -> bytes | None:
    """The whole of a file (decompressed), or ``None`` when it is over ``limit`` bytes:
    a file too big is refused before it is read into memory."""
    if path.stat().st_size > limit:
        return None
    with open_input(path) as f:
        data = f.read(limit + 1)
    return data if len(data) <= limit else None


def _read_whole(path: Path) -> bytes:
    data = _read_up_to(path, MAX_RECORD_BYTES)  # one article per file
    if data is None:
        raise InputError(str(path), f"too large for one article (the limit is {MAX_RECORD_BYTES // 2**20} MB)")
    return data


def _file_id(path: Path) -> str:
    try:
        return check_id(input_stem(path))
    except ValueError as e:
        why = str(e).split(": ", 1)[-1]
        # what cannot be shown is escaped (a right-to-left override would reorder the line);
        # the letters stay as they are, so the file can be found
        shown = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in str(path))
        raise InputError(shown, f"the file name cannot be an article id ({why}); rename the file") from None


def _read_txt(path: Path) -> Iterator[Article | InputError]:
    name = str(path)
    try:
        art_id = _file_id(path)
        # (every byte-order mark: files joined together keep each one's, and a second
        # one, kept, was in the title and hid the date line after it)
        data = _read_whole(path)
        if not data:
            return  # a gzip file of nothing, as an empty file, holds no article (the import says so)
        text = decode_bytes(data, name).replace(BOM, "")
    except InputError as e:
        yield e
        return
    if (mixed := _json_lines_in(name, text, "one article's text") or _table_in(name, text)) is not None:
        yield mixed
        return
    # every line end as LF: CRLF (Windows) and a lone CR (old Mac), which left the whole
    # text in the title and its lines run together in the stored text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        date, text = _split_date_line(name, text)
    except InputError as e:
        yield e
        return
    text = text.strip()
    if is_blank(text):
        yield InputError(name, "no text")
        return
    yield Article(id=art_id, title=make_title(text), text=text, date=date)


def _split_date_line(name: str, text: str) -> tuple[dt.date | None, str]:
    """A ``.txt`` file's date, read from its date line, and its text after that line
    (``None`` and the whole text when it has none); a date line whose date is no day, or
    whose time is no time, is an :class:`InputError` on line 1."""
    if m := _DATE_LINE.match(text) or _DATE_WORDS_LINE.match(text):
        try:
            return _line_date(m.group(1), m.group(2)), text[m.end() :]
        except ValueError as e:
            raise InputError(name, str(e), line=1) from None
    if m := _BARE_DATE_LINE.match(text):
        try:
            return parse_date(m.group(1)), text[m.end() :]
        except ValueError:  # (31.02.2024: figures that are no day, the title as written)
            pass
    return None, text


def _line_date(day: str, time: str | None) -> dt.date | None:
    """The date of a ``.txt`` file's date line: its ``day`` (as :func:`parse_date` reads
    it) and the ``time`` after it, which is dropped but must be a time; ``ValueError``
    saying what is wrong."""
    if time is not None and not _TIME_RE.fullmatch(time):
        raise ValueError(f"bad date {echoed(f'{day} {time}')}: the time after the day is not a time")
    return parse_date(day)


def _read_html(path: Path) -> Iterator[Article | InputError]:
    name = str(path)
    try:
        art_id = _file_id(path)
        data = _read_whole(path)
        if not data:
            return  # (as a .txt file)
        from ..text.htmltext import declared_charset, extract

        decoded = decode_bytes(data, name, declared=declared_charset(data))
        if (mixed := _json_lines_in(name, decoded, "a web page")) is not None:
            raise mixed
        page = extract(decoded)
    except InputError as e:
        yield e
        return
    if is_blank(page.text):
        yield InputError(name, "no text in the page")
        return
    try:
        date = parse_date(page.date) if page.date else None
    except ValueError:
        date = None  # a page's own date tag in another format: the article is still worth having
    yield Article(id=art_id, title=page.title or make_title(page.text), text=page.text, date=date)


def _lines(f: Any, broken: list[int] | None = None) -> Iterator[tuple[int, bytes | None]]:
    """``(line number, bytes)`` per line; ``None`` for a line over ``MAX_RECORD_BYTES``,
    which is skipped without ever being held in memory whole. Where ``f`` recodes bytes
    that turn out not to be text in its encoding, the lines end and ``broken`` gets the
    number of the line that failed."""
    n = 0  # the lines given
    try:
        while raw := f.readline(MAX_RECORD_BYTES + 1):
            if len(raw) > MAX_RECORD_BYTES and not raw.endswith(b"\n"):
                while raw and not raw.endswith(b"\n"):
                    raw = f.readline(1024 * 1024)
                n += 1
                yield n, None
                continue
            n += 1
            yield n, raw
    except UnicodeDecodeError:
        if broken is None:
            raise
        broken.append(n + 1)


def _read_jsonl(path: Path) -> Iterator[Article | InputError]:
    with open_input(path) as f:
        yield from read_json_lines(f, str(path), lambda: _is_json_array(path))


def read_json_lines(f: IO[bytes], name: str,
                    is_array: Callable[[], bool] = lambda: False) -> Iterator[Article | InputError]:
    """The records of JSON Lines read from ``f`` (errors naming ``name`` and the line):
    a ``.jsonl`` file, or a stream read batch by batch as one file. ``is_array``: whether
    the whole of it, which opens with ``[``, is one JSON array (said as such)."""
    head = f.read(UTF16_SAMPLE)
    f.seek(0)
    if (encoding := _marked_encoding(head, f)) is not None:
        # read as UTF-8 from here on: a line of it is told and refused as any other
        # (a first line cut short, text, a CSV header), not the file whole
        with _Recoded(f, encoding) as recoded:
            yield from _json_lines(name, recoded, b"", is_array, encoding.upper())
        return
    # Without its BOM, every line would be reported as bad JSON (or split inside a
    # character): one error for the file says what is wrong with all of them.
    if b"\x00" in head and (what := unmarked(head)):
        yield InputError(name, f"looks like {what} without a byte-order mark; save it as UTF-8")
        return
    yield from _json_lines(name, f, head, is_array, "UTF-8")


def _marked_encoding(head: bytes, f: IO[bytes]) -> str | None:
    """``"utf-16"`` or ``"utf-32"`` when the file whose first bytes are ``head`` is text in
    that encoding with its byte-order mark, else ``None``. UTF-16 only when the mark is
    followed by a first line that is a JSON object in UTF-16, or by UTF-16 text (each
    ASCII character showing its NUL byte): a few stray bytes at the start of a UTF-8 file
    (even ``FE FF 00 {``) must not turn the whole file into one line of garbage."""
    # (UTF-32's mark, four bytes of which two are NUL, is no stray bytes of a UTF-8 file;
    # it starts as UTF-16's does: looked for first)
    if head.startswith(UTF32_BOMS):
        return "utf-32"
    for mark, order in ((codecs.BOM_UTF16_LE, "little-endian"), (codecs.BOM_UTF16_BE, "big-endian")):
        if head.startswith(mark) and (utf16_without_bom(head[2:]) == order or _utf16_first_line_is_json(f)):
            return "utf-16"
    return None


class _Recoded:
    """The lines of ``f``, text in ``encoding`` with its byte-order mark, read as UTF-8."""

    def __init__(self, f: IO[bytes], encoding: str) -> None:
        self._text = io.TextIOWrapper(f, encoding=encoding, errors="strict")

    def readline(self, size: int = -1) -> bytes:
        return self._text.readline(size).encode("utf-8")

    def __enter__(self) -> _Recoded:
        return self

    def __exit__(self, *exc: object) -> None:
        self._text.close()


def _json_lines(name: str, f: IO[bytes] | _Recoded, head: bytes, is_array: Callable[[], bool],
                encoding: str) -> Iterator[Article | InputError]:
    """The records of the JSON Lines of ``f`` whose first bytes are ``head`` (see
    :func:`read_json_lines`): UTF-8 (or windows-1251 or koi8-u, told line by line), or
    ``encoding`` (UTF-16, UTF-32) recoded to UTF-8 by ``f``, whose bytes may turn out no
    such text further on (said after the lines before them)."""
    broken: list[int] = []  # the line that could not be decoded
    yield from _json_records(name, _lines(f, broken), head, is_array)
    if broken:
        yield InputError(name, f"not valid {encoding} text; the rest of the file is skipped", line=broken[0])


def _json_records(name: str, lines: Iterator[tuple[int, bytes | None]], head: bytes,
                  is_array: Callable[[], bool]) -> Iterator[Article | InputError]:
    told = recorded = False  # the text hint given; a record read
    pending: InputError | None = None  # a first line of text, not said yet
    array = head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"[")
    for n, raw in lines:
        if n == 1 and array and is_array():
            # pretty-printed, or on one line (over 8 MB too): one error that says what
            # it is, not one per line, nor "expected a JSON object"
            yield InputError(name, f"a JSON array, not JSON Lines (one article per line); {AS_JSON}", line=1)
            return
        if raw is None:
            yield InputError(name, f"line longer than {MAX_RECORD_BYTES // 2**20} MB; skipped", line=n)
            continue
        if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if n == 1 and _HTML_START.match(raw):
            # a web page (saved as .jsonl, or piped to ``import -``): one error that says what it
            # is, not "bad JSON: Expecting value (column 1)"
            yield InputError(name, f"looks like a web page (HTML), not JSON Lines (one JSON object per line); "
                             f"{AS_HTML}", line=1)
            return
        if n == 1 and _csv_header(raw):
            # CSV (exported or piped as JSON Lines): one error, not one per line
            header = raw.strip().decode("utf-8", "replace")
            header = header if len(header) <= 60 else header[:60] + "…"
            yield InputError(name, f"looks like CSV (a header row {header!r}), not JSON Lines (one JSON object "
                             f"per line); {AS_CSV}", line=1)
            return
        # (blank, or a byte-order mark alone: an empty file joined on, said to be cut short)
        if not raw.replace(b"\xef\xbb\xbf", b"").strip():
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            # A line in windows-1251 or koi8-u: an article is long enough to tell which.
            try:
                line = decode_bytes(raw, name)
            except InputError as e:
                yield InputError(name, e.reason, line=n)
                continue
        rec = _record(name, n, line)
        if isinstance(rec, InputError) and _prose(line):
            if pending is not None:  # two lines of text before any record: a text, said once
                yield InputError(name, f"text, not JSON Lines (one JSON object per line); {AS_TXT}",
                                 line=pending.line)
                return
            if not told:
                told = True  # (once: the next lines of the text say the same)
                rec = InputError(name, f"bad JSON: the line is text, not a JSON object; {AS_TXT}", line=n)
                if not recorded:  # said when the next line tells whether the file is text
                    pending = rec
                    continue
        if pending is not None:
            yield pending
            pending = None
        recorded = recorded or not isinstance(rec, InputError)
        yield rec
    if pending is not None:
        yield pending


#: The stream formats read a line at a time, and their readers (``(binary file, name)``):
#: a stream of them is imported in batches as it arrives (``ingest/stream.in_batches``),
#: read as one file. A CSV row may run over lines (a quoted cell): the batches are one file
#: to its reader, so a row cut by a batch's end is read on in the next.
LINE_READERS: dict[str, Callable[[IO[bytes], str], Iterator[Article | InputError]]] = {
    "jsonl": read_json_lines, "csv": read_csv_from}


def _prose(line: str) -> bool:
    """Whether a line that is no JSON record starts as a line of text does (a word), not
    as a record cut short or mistyped does."""
    return line.lstrip(f"{BOM} \t")[:1].isalpha()


#: How a web page starts (a first line no JSON record can be): its doctype, or the tag of
#: its page, head or body, or one of those a head opens with.
_HTML_START = re.compile(rb"\s*<(?:!doctype\s+html|html|head|body|meta|title)[\s>/]", re.IGNORECASE)


def _csv_header(raw: bytes) -> bool:
    """Whether a first line is the header row a ``.csv`` file would need (names separated
    as :func:`header_delimiter` reads them, a ``text`` column among them), and so no JSON
    record: a line that opens as JSON is never one (``{"text": "…", "tags": ["a","text","b"]}`` holds such a cell)."""
    if raw.lstrip().startswith((b"{", b"[")):
        return False
    line = raw.decode("utf-8", "replace")
    names = [column_name(cell.strip().strip('"')) for cell in line.split(header_delimiter(line))]
    return len(names) > 1 and "text" in names


def _utf16_first_line_is_json(f: IO[bytes]) -> bool:
    """Whether the file's first line, read as UTF-16, is a JSON object; ``f`` is left at 0."""
    text = io.TextIOWrapper(f, encoding="utf-16", errors="strict")
    try:
        first = text.readline(MAX_RECORD_BYTES // 2)
        return isinstance(json.loads(first), dict)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return False
    finally:
        text.detach()
        f.seek(0)


class _NotJson(ValueError):
    pass


def _no_constant(name: str) -> Any:
    """Refuse ``NaN`` and ``Infinity``, which Python's parser takes: the article would be
    stored and printed as JSON no other parser reads."""
    raise _NotJson(f"{name} is not a JSON value (write a number or null)")


class _GivenTwice(_NotJson):
    pass


class _FieldTwice(dict[str, Any]):
    """An object that gave a field twice, with two values: what to say of it."""

    twice = ""


def _one_each(pairs: list[tuple[str, Any]], *, strict: bool = True) -> dict[str, Any]:
    """An object's fields, each name given once: a name given twice with two values would
    keep the last, the first lost unsaid (``{"text": "...", "text": "..."}``), as a CSV
    header naming a column twice is refused. Twice with one value loses nothing. Not
    ``strict``: the object is a :class:`_FieldTwice` saying so, for the caller to find
    (a ``.json`` file's one item is refused, not the whole file)."""
    fields = dict(pairs)
    if len(fields) < len(pairs):
        seen: dict[str, Any] = {}
        for key, value in pairs:
            if key in seen and seen[key] != value:
                why = f"{echoed(key)} is given twice, with two values (one would be lost): keep one"
                if strict:
                    raise _GivenTwice(why)
                fields = _FieldTwice(fields)
                fields.twice = why
                break
            seen[key] = value
    return fields


def _twice_in(value: Any) -> str | None:
    """What :func:`_one_each` said of an object in ``value`` that gave a field twice."""
    if isinstance(value, _FieldTwice):
        return value.twice
    inner = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    return next((why for v in inner if (why := _twice_in(v)) is not None), None)


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999: stored, it would be written back as Infinity
        raise _NotJson(f"{text} is too large a number")
    return value


def _where(e: json.JSONDecodeError) -> str:
    """Python's message with its column: some end in "at", which its own text follows
    with the place ("Unterminated string starting at: line 1 column 15")."""
    return f"{e.msg} column {e.colno}" if e.msg.endswith(" at") else f"{e.msg} (column {e.colno})"


def _record(name: str, n: int, line: str) -> Article | InputError:
    # without its line end: the parser would report a record cut short at "column 1" of
    # the next line, or the line end as a control character inside a string
    # (and without byte-order marks: files joined together keep each one's at a line start)
    line = line.rstrip("\r\n").lstrip(BOM)
    try:
        rec = json.loads(line, parse_constant=_no_constant, parse_float=_finite, object_pairs_hook=_one_each)
    except _GivenTwice as e:  # (JSON, but which value is the article's?)
        return InputError(name, str(e), line=n, record=True)
    except _NotJson as e:
        return InputError(name, f"bad JSON: {e}", line=n)
    except json.JSONDecodeError as e:
        if e.pos >= len(line):
            return InputError(name, "bad JSON: the line ends before the record does (a missing } or \"?)", line=n)
        if e.msg == "Extra data" and line[: e.pos].rstrip(" \t").endswith("\r"):
            return InputError(name, f"bad JSON: records separated by {LONE_CR}", line=n)
        return InputError(name, f"bad JSON: {_where(e)}", line=n)
    except RecursionError:
        return InputError(name, "bad JSON: nested too deeply", line=n)
    except ValueError:  # (an integer of over 4,300 digits: Python refuses to read it)
        return InputError(name, "bad JSON: a number too long to read", line=n)
    return _checked(name, n, rec)


def _checked(name: str, n: int | None, rec: Any) -> Article | InputError:
    """The article of the parsed record ``rec`` (line ``n`` of ``name``), or what is wrong with it."""
    try:
        return article_from_record(rec)
    except ValueError as e:
        return InputError(name, str(e), line=n, record=True)
    except RecursionError:
        return InputError(name, "a field is nested too deeply", line=n)


def article_from_object(name: str, obj: object) -> Article | InputError:
    """The article of a Python object: an :class:`Article`, or a mapping of the fields a
    JSON Lines record has. It goes through JSON (dates as ISO text, tuples as lists) and
    is then checked as that record would be: what is stored, and read back, is what a
    feed holding it would have stored. Errors name it ``name``."""
    if isinstance(obj, Article):
        if not isinstance(obj.extra, Mapping):
            return InputError(name, '"extra" must be a mapping of field names to values, '
                              f"not {type(obj.extra).__name__}", record=True)
        obj = _fields(obj)
    elif not isinstance(obj, Mapping):
        return InputError(name, f"expected an Article or a mapping of an article's fields (a JSON Lines record's), "
                          f"not {type(obj).__name__}")
    record = dict(obj)
    try:
        rec = json.loads(json.dumps(record, ensure_ascii=False, allow_nan=False, default=_iso_day))
    except (TypeError, ValueError, RecursionError):
        return InputError(name, _not_json(record), record=True)
    return _checked(name, None, rec)


def _fields(article: Article) -> dict[str, object]:
    """``article`` as the mapping of its JSON Lines record, its values as they are (not
    :meth:`Article.to_json`, which trusts their types: an Article made in untyped code with
    ``date="2016-06-01"`` or ``extra=None`` raised AttributeError): each is checked next."""
    known = {"id": article.id, "title": article.title, "date": article.date, "source": article.source,
             "url": article.url, "text": article.text}
    return {**known, **{k: v for k, v in article.extra.items() if k not in known}}


def _iso_day(value: object) -> str:
    """A date (or date and time) in a field as JSON has it; anything else has no JSON form."""
    if isinstance(value, dt.date):
        return value.isoformat()
    kind = type(value).__name__
    raise TypeError(f"{'an' if kind[:1].lower() in 'aeiou' else 'a'} {kind}, which JSON cannot hold")


def _not_json(record: dict[Any, Any]) -> str:
    """What keeps ``record`` from being stored as JSON, naming the field at fault."""
    for key, value in record.items():
        try:
            json.dumps({key: value}, allow_nan=False, default=_iso_day)
        except TypeError as e:  # (ours, or "keys must be str, int, ...")
            return f"field {key!r}: {e}"
        except RecursionError:
            return f"field {key!r}: nested too deeply"
        except ValueError as e:
            if "Out of range float" in str(e):
                return f"field {key!r}: NaN or an infinite number is not a JSON value (write a number or null)"
            if "Circular reference" in str(e):
                return f"field {key!r}: it holds itself (a circular reference)"
            return f"field {key!r}: a number too long to write"  # (an integer of over 4,300 digits)
    return "it cannot be stored as JSON"


def _is_json_array(path: Path) -> bool:
    """Whether the whole file is one JSON array (of a size a ``.json`` file may have)."""
    try:
        data = _read_up_to(path, MAX_JSON_FILE)
        return data is not None and isinstance(json.loads(data.decode("utf-8-sig")), list)
    except (OSError, *DAMAGED, InputError, UnicodeDecodeError, ValueError, RecursionError):
        return False


def _read_json(path: Path) -> Iterator[Article | InputError]:
    """A ``.json`` file: one article object, or an array of them (errors name the item)."""
    name = str(path)
    data = _read_up_to(path, MAX_JSON_FILE)
    if data is None:
        yield InputError(name, f"a .json file over {MAX_JSON_FILE // 2**20} MB is read whole; save it as JSON "
                         "Lines (.jsonl, one article per line)")
        return
    try:
        text = decode_bytes(data, name)
        if not text.strip(f"{BOM} \t\r\n"):
            return  # an empty file holds no article (the import says so), as an empty .jsonl
        data = json.loads(text.lstrip(BOM), parse_constant=_no_constant, parse_float=_finite,
                          object_pairs_hook=functools.partial(_one_each, strict=False))
    except InputError as e:
        yield e
        return
    except _NotJson as e:
        yield InputError(name, f"bad JSON: {e}")
        return
    except json.JSONDecodeError as e:
        if e.msg == "Extra data" and _first_line_is_object(text):
            # JSON Lines saved as .json (many exports name them so): read as what it is
            yield from _read_jsonl(path)
            return
        if e.pos >= len(text.rstrip()):
            yield InputError(name, "bad JSON: the file ends before the JSON does (a missing ], } or \"?)")
        else:
            yield InputError(name, f"bad JSON: {_where(e)}", line=e.lineno)
        return
    except RecursionError:
        yield InputError(name, "bad JSON: nested too deeply")
        return
    except ValueError:  # (an integer of over 4,300 digits: Python refuses to read it)
        yield InputError(name, "bad JSON: a number too long to read")
        return
    items = data if isinstance(data, list) else [data]
    several = isinstance(data, list)
    for i, rec in enumerate(items, 1):
        where = f"item {i}: " if several else ""
        try:
            if (twice := _twice_in(rec)) is not None:
                yield InputError(name, f"{where}{twice}", record=True)
                continue
            yield article_from_record(rec)
        except ValueError as e:
            yield InputError(name, f"{where}{e}", record=True)
        except RecursionError:
            yield InputError(name, f"{where}a field is nested too deeply")


def _json_lines_in(name: str, text: str, what: str) -> InputError | None:
    """The error for a file read as one article (``what`` it should hold) that is JSON: its
    first line a JSON object (JSON Lines), or the whole a JSON array of objects or one
    object over several lines. Saved as .txt, they were stored as one article whose title
    was the raw JSON, and nothing was said."""
    n, first = _first_line(text)
    if _is_object(first):
        return InputError(name, f"looks like JSON Lines (a JSON object on line {n}), not {what}; {AS_JSONL}", line=n)
    # a JSON array of articles, or one article's object written over several lines
    body = text.lstrip(f"{BOM} \t\r\n")
    if body[:1] not in ("[", "{"):
        return None
    try:
        data = json.loads(body, parse_constant=_no_constant, parse_float=_finite)
    except (ValueError, RecursionError):
        return None  # (text that starts with a bracket: ``[Оновлено] ...``)
    if isinstance(data, list) and data and all(isinstance(x, dict) for x in data):
        return InputError(name, f"looks like JSON (an array of objects), not {what}; {AS_JSON}", line=n)
    if isinstance(data, dict):
        return InputError(name, f"looks like JSON (an object), not {what}; {AS_JSON}", line=n)
    return None


def _table_in(name: str, text: str) -> InputError | None:
    """The error for a ``.txt`` file that is a table: a header row of column names, a
    ``text`` column among them, separated as CSV's are, and rows after it (a spreadsheet's
    "Unicode text" export is such a file, its cells separated by tabs). It was stored as
    one article titled with the header row, and nothing was said."""
    n, first = _first_line(text)
    names = [cell.strip().strip('"').strip().lower() for cell in first.split(header_delimiter(first))]
    if len(names) < 2 or "text" not in names or not all(_COLUMN.fullmatch(c) for c in names):
        return None
    if not text.lstrip(f"{BOM} \t\r\n").rstrip().count("\n"):
        return None  # (a header row and nothing else: no table, and no article either)
    header = first.strip()
    header = header if len(header) <= 60 else header[:60] + "…"
    return InputError(name, f"looks like CSV (a header row {header!r}), not one article's text; {AS_CSV}", line=n)


def _first_line(text: str) -> tuple[int, str]:
    """The number and text of the first line of ``text`` that is not blank (``0, ""``: none)."""
    # (line by line: a text of 8 MB is not split whole to look at its first line)
    lines = enumerate(io.StringIO(text.lstrip(BOM), newline="\n"), 1)
    return next(((n, line) for n, line in lines if line.strip()), (0, ""))


def _first_line_is_object(text: str) -> bool:
    """Whether the first line of ``text`` is a whole JSON object on its own."""
    return _is_object(_first_line(text)[1])


def _is_object(first: str) -> bool:
    """Whether ``first`` (one line) is a whole JSON object."""
    try:
        return isinstance(json.loads(first, parse_constant=_no_constant, parse_float=_finite), dict)
    except (ValueError, RecursionError):
        return False


_READERS = {".txt": _read_txt, ".jsonl": _read_jsonl, ".ndjson": _read_jsonl, ".json": _read_json,
            ".csv": read_csv, ".html": _read_html, ".htm": _read_html}


def _compressed(path: Path) -> str | None:
    """What compressor or archiver wrote ``path`` and what to do (``None``: none, or unreadable)."""
    try:
        with open(path, "rb") as f:
            return refused_kind(f.read(10))
    except OSError:
        return None


def read_file(path: Path) -> Iterator[Article | InputError]:
    """Articles (or per-record errors) from one file, chosen by its extension."""
    name = str(path)
    reader = _READERS.get(input_suffix(path))
    try:
        # first, before anything opens it: opening a named pipe waits for a writer (one
        # named without a known suffix hung, opened to see what compressor wrote it)
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            yield InputError(name, "not a regular file (a device, pipe or socket); skipped")
            return
        if reader is None:
            # (``feed.jsonl.xz``: what wrote it says more than its name does)
            yield InputError(name, _compressed(path) or f"unsupported file type; use one of {', '.join(SUPPORTED)} "
                             f"(or any of them gzipped: .jsonl{COMPRESSED})")
            return
        if st.st_size == 0:
            return  # an empty file of any type holds no article (the import says so)
        read = 0
        for read, rec in enumerate(reader(path), 1):  # noqa: B007 - read is what was read when it fails
            if isinstance(rec, InputError) and _changed(path, st):
                # a file written over or cut while it was read: its bytes from there on are
                # no longer what was read so far (said as damaged data, or a record cut short)
                yield InputError(name, "the file changed while it was read (written over or cut short); the rest "
                                 "of it is skipped: import it again once it is written", line=rec.line)
                return
            yield rec
    except InputError as e:  # (a zip archive, ...: said before any record)
        yield e
    except DAMAGED as e:  # (gzip.BadGzipFile is an OSError: said as what it is, where it is)
        how = "is cut short" if isinstance(e, EOFError) else "is damaged"
        yield InputError(name, f"the gzip data {how} after {read:,} record{'s' if read != 1 else ''}; the rest "
                         "of the file is skipped")
    except OSError as e:
        # (a link in a folder that leads nowhere is said as one named on its own is)
        yield InputError(name, BROKEN_LINK if _broken_link(path) else f"cannot read: {e.strerror or e}")


def _changed(path: Path, before: os.stat_result) -> bool:
    """Whether the file at ``path`` is not as it was (``before``): written to or cut."""
    try:
        now = path.stat()
    except OSError:
        return True
    return (now.st_size, now.st_mtime_ns, now.st_ino) != (before.st_size, before.st_mtime_ns, before.st_ino)


#: What a symbolic link that leads nowhere (or round in a loop) is said to be.
BROKEN_LINK = "a broken or looping symbolic link"


def _broken_link(path: Path) -> bool:
    try:
        return path.is_symlink() and not path.exists()
    except OSError:  # (a path too long to look at)
        return False


def count_records(path: Path) -> int | None:
    """How many records :func:`read_file` will yield for ``path`` (for progress totals),
    ``None`` when that is not known before the file is read.

    Exact for ``.txt`` and ``.jsonl``; for ``.csv`` it counts lines, so a quoted field that
    spans lines makes it an overestimate. An unreadable file counts as one (its error). A
    ``.json`` file is unknown: one article or an array of any length, told only by parsing
    it whole, which the import does once, as it reads it.
    """
    suffix = input_suffix(path)
    if suffix == ".json":
        return None
    if suffix in (".jsonl", ".ndjson", ".csv"):
        try:
            if not stat.S_ISREG(path.stat().st_mode):
                return 1  # a pipe would block the count; read_file reports it
            with open_input(path) as f:
                n = _count_lines(f)
        except (OSError, *DAMAGED, InputError):
            return 1
        return max(1, n - 1) if suffix == ".csv" else n
    return 1


def _count_lines(f: Any) -> int:
    """Non-blank lines, read in 1 MB chunks: one 2 GB line must not be held whole."""
    n = 0
    content = False  # the line being read so far has more than whitespace
    while chunk := f.read(1 << 20):
        parts = chunk.split(b"\n")
        for part in parts[:-1]:
            if content or part.strip():
                n += 1
            content = False
        content = content or bool(parts[-1].strip())
    return n + content


def _inside(path: Path, top: Path) -> bool:
    """Whether ``path``, its links followed, is under the folder ``top`` (resolved). A
    link that leads nowhere (a loop) counts as inside: reading it reports the loop."""
    try:
        target = path.resolve()
    except (OSError, RuntimeError):
        return True
    return target == top or top in target.parents


def _link_out(path: Path, top: Path) -> InputError | None:
    """The error for ``path`` when it is a link, to a file or a folder, that leads out of
    the imported folder ``top``: not followed (a folder of articles must not turn
    ``/etc/passwd`` into one), and said, so that nothing is left out unseen. A folder link
    back inside (to a parent: a loop) is left unsaid, as what it leads to is read anyway."""
    if path.is_symlink() and not _inside(path, top):
        return InputError(str(path), "a symbolic link out of the imported folder; not followed")
    return None


#: What marks a folder with a ``corpus/`` as a searchkit home: its id, its config, its
#: index's pointer (a home of an older version may lack the id).
_HOME_MARKS = (".searchkit-id", "searchkit.toml", os.path.join("index", "CURRENT"))


#: What a home holds beside the articles a user may keep in it: its store, its index
#: and its settings (read by searchkit, never imported).
_HOME_OWN = ("corpus", "index", "lexicon.tsv", "searchkit.toml")


def _is_home(folder: str) -> bool:
    return os.path.isdir(os.path.join(folder, "corpus")) and any(
        os.path.lexists(os.path.join(folder, mark)) for mark in _HOME_MARKS)


def _is_folder(a: str, b: Path) -> bool:
    """Whether the folders ``a`` and ``b`` are one (however each is named)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def iter_input_files(paths: list[str | os.PathLike[str]], skipped: list[Path] | None = None,
                     homes: list[Path] | None = None, into: Path | None = None) -> Iterator[Path | InputError]:
    """Files to import under ``paths`` (see :func:`_input_files`), each once: a file met
    again (named twice, through a link, or in a folder and a folder inside it:
    ``import feed.jsonl *.jsonl``) is not read again, where its records were counted
    twice (``40 unchanged`` of 20 articles) and said to replace each other."""
    seen: set[tuple[int, int]] = set()
    for item in _input_files(paths, skipped, homes, into):
        if isinstance(item, Path) and (key := _file_key(item)) is not None:
            if key in seen:
                continue
            seen.add(key)
        yield item


def _file_key(path: Path) -> tuple[int, int] | None:
    """What tells the regular file ``path`` (its links followed) from any other; ``None``
    for what is no such file (read as it is, and reported)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino) if stat.S_ISREG(st.st_mode) else None


def _input_files(paths: list[str | os.PathLike[str]], skipped: list[Path] | None = None,
                 homes: list[Path] | None = None, into: Path | None = None) -> Iterator[Path | InputError]:
    """Files to import under ``paths`` (folders recursively, hidden files skipped, sorted);
    ``skipped`` collects the files in those folders of a type not read (:data:`SUPPORTED`).
    A searchkit home met in a folder gives its ``corpus/`` only (its index and settings
    are no articles: they were read as such, and refused); ``homes`` collects them.
    The home imported ``into`` gives the files a user keeps in it instead, as a folder of
    articles made a home (``init . && import .``) holds them: not its own store, index or
    settings, whose articles it has.

    An empty path is refused, not read as this folder (``Path("")`` is ``.``): a script
    passing an empty variable would import whatever folder it runs in.

    Symlinked folders are not followed, so a link loop cannot trap the walk; folders that
    cannot be read and links that lead nowhere are reported. A file or folder link inside a
    folder that leads out of the folder is reported, not followed (a folder of articles must not
    turn ``/etc/passwd`` into one); a file named on its own is read wherever it leads.
    """
    for given in paths:
        if not os.fspath(given):
            yield InputError('""', 'an empty path: give a file or a folder ("." is this one)')
            continue
        p = Path(given)
        try:
            there, folder = p.exists(), p.is_dir()
        except OSError as unread:  # (a name too long for the file system: stopped the whole import, as a bare OSError)
            yield InputError(str(p), f"cannot read: {unread.strerror or unread}")
            continue
        if not there:
            why = BROKEN_LINK if p.is_symlink() else "no such file or directory"
            yield InputError(str(p), why)
        elif folder:
            errors: list[OSError] = []
            top = p.resolve()
            for dirpath, dirnames, filenames in os.walk(p, onerror=errors.append):
                while errors:
                    e = errors.pop(0)
                    yield InputError(str(Path(e.filename or dirpath)), f"cannot read: {e.strerror or e}")
                if into is not None and "corpus" in dirnames and _is_folder(dirpath, into):
                    dirnames[:] = [d for d in dirnames if d not in _HOME_OWN]
                    filenames = [f for f in filenames if f not in _HOME_OWN]
                elif "corpus" in dirnames and _is_home(dirpath):
                    if homes is not None:
                        homes.append(Path(dirpath))
                    dirnames[:] = ["corpus"]
                    continue
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in dirnames:  # (not walked into: a link out is said, as a file's is)
                    if (out := _link_out(Path(dirpath) / name, top)) is not None:
                        yield out
                for name in sorted(filenames):
                    if not name.startswith(".") and input_suffix(Path(name)) not in SUPPORTED:
                        if skipped is not None:
                            skipped.append(Path(dirpath) / name)
                    elif not name.startswith("."):
                        path = Path(dirpath) / name
                        yield _link_out(path, top) or path
            for e in errors:
                yield InputError(str(Path(e.filename or p)), f"cannot read: {e.strerror or e}")
        else:
            yield p


def said_of_stream(message: str, path: str, name: str, read_as: Callable[[str], str]) -> str:
    """A message of an import of a stream spooled to ``path``, said of the stream: ``name``
    (``<stdin>``) for the file, and where a file would be renamed to be read as another
    format (:data:`AS_CSV`, :data:`AS_TXT`, :data:`AS_JSON`, :data:`AS_JSONL`, :data:`AS_HTML`),
    ``read_as(format)``: how that stream's reader gives its format (the command line's
    ``--stdin-format csv``)."""
    message = message.replace(path, name)
    for fmt, rename in (("csv", AS_CSV), ("json", AS_JSON), ("jsonl", AS_JSONL), ("txt", AS_TXT), ("html", AS_HTML)):
        message = message.replace(rename, read_as(fmt) + (" to import it as one article" if fmt in ("txt", "html")
                                                          else ""))
    return message
