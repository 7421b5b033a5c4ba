"""Reading articles from the files people have: ``.txt``, ``.jsonl``, ``.csv`` and ``.html``.

Every reader streams: it yields an :class:`Article` or an :class:`InputError` per record,
so one bad line is reported (with file and line) and the rest of the file is still read.
Memory stays bounded whatever the input: JSONL and CSV are read record by record, and no
record (a line, a row, a whole ``.txt`` or ``.html`` file) may exceed ``MAX_RECORD_BYTES``.

- ``.txt``: an optional leading ``date YYYY-MM-DD`` (or ``DD.MM.YYYY``), then the text. The id is the file name
  without its extension; the title is the first line, or its first sentence when long.
- ``.jsonl`` / ``.ndjson``: one JSON object per line with ``id``, ``title``, ``text``,
  ``date``, ``source``, ``url``; unknown fields are kept. ``text`` is required.
- ``.csv``: a header row with the same column names.
- ``.html`` / ``.htm``: the page's readable text (scripts, styles and menus dropped); the
  ``<title>`` is the title, the id is the file name without its extension.

Text files may be UTF-8, UTF-16 with a BOM, windows-1251 or koi8-u (see :mod:`textdecode`).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import InputError
from ..models import Article
from ..text.textdecode import SAMPLE, choose_encoding, decode_bytes

__all__ = [
    "MAX_RECORD_BYTES",
    "SUPPORTED",
    "article_from_record",
    "check_id",
    "count_records",
    "iter_input_files",
    "make_title",
    "parse_date",
    "read_file",
]

SUPPORTED = (".txt", ".jsonl", ".ndjson", ".csv", ".html", ".htm")
#: The largest record accepted (a JSONL line, a CSV row, a whole .txt or .html file): a
#: news article is a few kilobytes; anything this big is a broken dump, and refusing it
#: keeps an import's memory bounded.
MAX_RECORD_BYTES = 8 * 1024 * 1024
#: Extra fields nested deeper are refused: each level costs indentation in the stored file.
MAX_EXTRA_DEPTH = 20
MAX_ID = 512
KNOWN_FIELDS = ("id", "title", "text", "date", "source", "url")
MAX_TITLE = 160
_DATE_LINE = re.compile(r"\A\s*date[ \t]+(\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4})\b[ \t]*\n?", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=\S)")


_DMY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def parse_date(value: Any) -> dt.date | None:
    """An article's date: ``YYYY-MM-DD`` (or an ISO timestamp starting with one) or
    ``DD.MM.YYYY``, as ``--since`` reads them -> date; empty -> None.

    >>> parse_date("2022-02-24T05:00:00+02:00"), parse_date("24.02.2022")
    (datetime.date(2022, 2, 24), datetime.date(2022, 2, 24))
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"date must be a string YYYY-MM-DD or DD.MM.YYYY, got {type(value).__name__}")
    s = value.strip()
    try:
        return dt.date.fromisoformat(s[:10])
    except ValueError:
        pass
    m = _DMY.fullmatch(s)
    if m:
        try:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            pass
    raise ValueError(f"bad date {value!r}: expected YYYY-MM-DD or DD.MM.YYYY (one day)")


def make_title(text: str) -> str:
    """The first line, or its first sentence when the line is long, cut at a word."""
    first = text.strip().split("\n", 1)[0].strip()
    if len(first) <= MAX_TITLE:
        return first
    sentence = _SENTENCE_END.split(first, 1)[0]
    if len(sentence) <= MAX_TITLE:
        return sentence
    cut = sentence[:MAX_TITLE].rsplit(" ", 1)[0]
    return cut.rstrip(",;:—– ") + "…"


def content_id(title: str, text: str) -> str:
    """A stable id for an article that came without one: same content, same id."""
    return "h" + hashlib.sha1(f"{title}\n{text}".encode()).hexdigest()[:15]


def check_id(art_id: str) -> str:
    """``art_id`` if it can be an article id (1-512 printable characters, valid Unicode);
    ``ValueError`` saying why not."""
    if not art_id.strip() or len(art_id) > MAX_ID or any(ord(c) < 32 or ord(c) == 127 for c in art_id):
        raise ValueError(f'bad "id" {art_id[:40]!r}: 1-{MAX_ID} printable characters')
    _check_unicode("id", art_id)
    return art_id


def _check_unicode(key: str, value: str) -> None:
    # JSON can carry half of a surrogate pair ("\ud83d" from an emoji cut in two): not
    # Unicode text, and no file or index can hold it. Refuse it rather than guess.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as e:
        raise ValueError(
            f'"{key}" has a lone surrogate {value[e.start]!r} at character {e.start} (half of a character): '
            "not valid Unicode"
        ) from None


def _opt_str(rec: dict[str, Any], key: str) -> str | None:
    v = rec.get(key)
    if v is None or v == "":
        return None
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return str(v)
    if not isinstance(v, str):
        raise ValueError(f'"{key}" must be a string')
    _check_unicode(key, v)
    return v


def _encodes(value: Any) -> bool:
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
        return True
    except (UnicodeEncodeError, ValueError):
        return False


def _depth_over(value: Any, limit: int) -> bool:
    """Whether lists and objects in ``value`` nest deeper than ``limit`` (no recursion)."""
    stack = [(value, 1)]
    while stack:
        v, d = stack.pop()
        if isinstance(v, (list, dict)):
            if d > limit:
                return True
            stack.extend((x, d + 1) for x in (v.values() if isinstance(v, dict) else v))
    return False


def article_from_record(rec: Any) -> Article:
    """Validate one JSON/CSV record and make an article (``ValueError`` says what is wrong)."""
    if not isinstance(rec, dict):
        raise ValueError("expected a JSON object")
    text = rec.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError('missing "text"' if text in (None, "") else '"text" must be a non-empty string')
    _check_unicode("text", text)
    title = _opt_str(rec, "title") or make_title(text)
    raw_id = rec.get("id")
    if raw_id is None or raw_id == "":
        art_id = content_id(title, text)
    elif isinstance(raw_id, bool) or not isinstance(raw_id, (str, int)):
        raise ValueError('"id" must be a string or an integer')
    else:
        art_id = check_id(str(raw_id))
    extra = {k: v for k, v in rec.items() if k not in KNOWN_FIELDS}
    size = len(text) + len(title)  # characters: a lower bound of the bytes, checked first
    if size > MAX_RECORD_BYTES:
        _too_big(size)
    if extra:
        if _depth_over(extra, MAX_EXTRA_DEPTH):
            raise ValueError(f"an extra field is nested more than {MAX_EXTRA_DEPTH} levels deep")
        try:
            size += len(json.dumps(extra, ensure_ascii=False).encode("utf-8"))
        except UnicodeEncodeError:
            bad = next(k for k, v in extra.items() if not _encodes(k) or not _encodes(v))
            raise ValueError(f"field {bad!r} has a lone surrogate (half of a character): not valid Unicode") from None
        except ValueError as e:  # e.g. a number too large to write back
            raise ValueError(f"unusable extra field: {e}") from None
    if size > MAX_RECORD_BYTES // 4:  # only then can the bytes be over the limit
        size = len(text.encode("utf-8", "surrogatepass")) + len(title.encode("utf-8", "surrogatepass")) + (
            size - len(text) - len(title))
        if size > MAX_RECORD_BYTES:
            _too_big(size)
    return Article(
        id=art_id,
        title=title.strip(),
        text=text,
        date=parse_date(rec.get("date")),
        source=_opt_str(rec, "source"),
        url=_opt_str(rec, "url"),
        extra=extra,
    )


def _too_big(size: int) -> None:
    raise ValueError(f"record is {size / 2**20:.1f} MB, over the {MAX_RECORD_BYTES // 2**20} MB limit for one article")


# -- readers -------------------------------------------------------------------------------


def _read_whole(path: Path) -> bytes:
    # One article per file: refuse a file too big to be one before reading it into memory.
    size = path.stat().st_size
    if size > MAX_RECORD_BYTES:
        raise InputError(str(path), f"too large for one article ({size:,} bytes; the limit is "
                         f"{MAX_RECORD_BYTES // 2**20} MB)")
    return path.read_bytes()


def _file_id(path: Path) -> str:
    try:
        return check_id(path.stem)
    except ValueError:
        raise InputError(str(path), "the file name cannot be an article id (control characters, "
                         "undecodable bytes or over 512 characters); rename the file") from None


def _read_txt(path: Path) -> Iterator[Article | InputError]:
    name = str(path)
    try:
        art_id = _file_id(path)
        text = decode_bytes(_read_whole(path), name)
    except InputError as e:
        yield e
        return
    date = None
    m = _DATE_LINE.match(text)
    if m:
        try:
            date = parse_date(m.group(1))
        except ValueError as e:
            yield InputError(name, str(e), line=1)
            return
        text = text[m.end() :]
    text = text.replace("\r\n", "\n").strip()
    if not text:
        yield InputError(name, "no text")
        return
    yield Article(id=art_id, title=make_title(text), text=text, date=date)


def _read_html(path: Path) -> Iterator[Article | InputError]:
    name = str(path)
    try:
        art_id = _file_id(path)
        data = _read_whole(path)
        from ..text.htmltext import declared_charset, extract

        page = extract(decode_bytes(data, name, declared=declared_charset(data)))
    except InputError as e:
        yield e
        return
    if not page.text:
        yield InputError(name, "no text in the page")
        return
    try:
        date = parse_date(page.date) if page.date else None
    except ValueError:
        date = None  # a page's own date tag in another format: the article is still worth having
    yield Article(id=art_id, title=page.title or make_title(page.text), text=page.text, date=date)


def _lines(f: Any) -> Iterator[tuple[int, bytes | None]]:
    """``(line number, bytes)`` per line; ``None`` for a line over ``MAX_RECORD_BYTES``,
    which is skipped without ever being held in memory whole."""
    n = 0
    while True:
        raw = f.readline(MAX_RECORD_BYTES + 1)
        if not raw:
            return
        n += 1
        if len(raw) > MAX_RECORD_BYTES and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):
                raw = f.readline(1024 * 1024)
            yield n, None
            continue
        yield n, raw


def _read_jsonl(path: Path) -> Iterator[Article | InputError]:
    name = str(path)
    with open(path, "rb") as f:
        head = f.read(4)
        f.seek(0)
        # UTF-16 only when the BOM is followed by a first line that is a JSON object in
        # UTF-16: a few stray bytes at the start of a UTF-8 file (even ``FE FF 00 {``)
        # must not turn the whole file into one line of garbage.
        if head in (b"\xff\xfe{\x00", b"\xfe\xff\x00{") and _utf16_first_line_is_json(f):
            with io.TextIOWrapper(f, encoding="utf-16", errors="strict") as text:
                yield from _read_jsonl_text(name, text)
            return
        for n, raw in _lines(f):
            if raw is None:
                yield InputError(name, f"line longer than {MAX_RECORD_BYTES // 2**20} MB; skipped", line=n)
                continue
            if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
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
            yield _record(name, n, line)


def _utf16_first_line_is_json(f: BinaryIO) -> bool:
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


def _read_jsonl_text(name: str, lines: Iterator[str]) -> Iterator[Article | InputError]:
    n = 0
    try:
        for n, line in enumerate(lines, 1):
            if line.strip():
                yield _record(name, n, line)
    except UnicodeDecodeError:
        yield InputError(name, "not valid UTF-16 text; the rest of the file is skipped", line=n + 1)


def _record(name: str, n: int, line: str) -> Article | InputError:
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as e:
        return InputError(name, f"bad JSON: {e.msg} (column {e.colno})", line=n)
    except RecursionError:
        return InputError(name, "bad JSON: nested too deeply", line=n)
    try:
        return article_from_record(rec)
    except ValueError as e:
        return InputError(name, str(e), line=n)
    except RecursionError:
        return InputError(name, "a field is nested too deeply", line=n)


def _read_csv(path: Path) -> Iterator[Article | InputError]:
    name = str(path)
    with open(path, "rb") as raw:
        head = raw.read(SAMPLE)
        try:
            enc = choose_encoding(head, name, complete=len(head) < SAMPLE)
        except InputError as e:
            yield e
            return
        raw.seek(0)
        if codecs.lookup(enc).name.startswith("utf-16"):  # a newline byte may be half a character
            with io.TextIOWrapper(raw, encoding=enc, errors="strict", newline="") as text:
                yield from _csv_records(name, _CsvLines(text.readline, None, enc))
        else:
            yield from _csv_records(name, _CsvLines(raw.readline, enc, enc))


#: A CSV row over this many characters is skipped as it is read, without holding it (its
#: cells would be in memory at once); a row over MAX_RECORD_BYTES is refused once read.
_CSV_ROW_CAP = 4 * MAX_RECORD_BYTES
_SKIP_READ = 1 << 20


class _RowTooLong(Exception):
    pass


class _BadText(Exception):
    pass


class _CsvLines:
    """The lines of a CSV file for ``csv.reader``, each decoded on its own, so a bad byte
    is reported at its own line after every row before it. ``chars`` counts the
    characters read since the last row ended (the caller resets it after each row) and
    ``quotes`` the quote marks: a row ends at a line end after an even number of them,
    which is how a row over :data:`_CSV_ROW_CAP` is skipped without being held."""

    def __init__(self, readline: Any, decode_as: str | None, encoding: str) -> None:
        self.readline = readline
        self.decoder = codecs.getincrementaldecoder(decode_as)(errors="strict") if decode_as else None
        self.encoding = encoding
        self.chars = 0
        self.quotes = 0
        self.lines = 0  # physical lines handed out
        self.at_line_end = True
        self.ended = False  # the end of the file was reached while skipping

    def row_done(self) -> None:
        self.chars = self.quotes = 0

    def __iter__(self) -> _CsvLines:
        return self

    def __next__(self) -> str:
        room = _CSV_ROW_CAP - self.chars
        chunk = self.readline(room + 1)  # a whole line: csv takes each piece for one
        if not chunk:
            raise StopIteration
        if len(chunk) > room:
            self._skip_row(chunk)
            raise _RowTooLong
        try:
            text = self.decoder.decode(chunk) if self.decoder is not None else chunk
        except UnicodeDecodeError:
            raise _BadText from None
        self.at_line_end = text.endswith("\n")
        if self.at_line_end:
            self.lines += 1
        self.chars += len(text)
        self.quotes += text.count('"')
        return text

    def skip_rest_of_row(self) -> None:
        """After ``csv.reader`` gave up on a row: read on to its end (if the lines read so
        far did not reach it), keeping none of it."""
        if self.at_line_end and self.quotes % 2 == 0:
            self.row_done()
        else:
            self._skip_row(self.readline(_SKIP_READ))

    def _skip_row(self, chunk: Any) -> None:
        """Read on to the end of the row ``chunk`` is part of, keeping none of it."""
        while True:
            if not chunk:
                self.ended = True
                break
            quote, newline = (b'"', b"\n") if isinstance(chunk, bytes) else ('"', "\n")
            self.quotes += chunk.count(quote)
            self.lines += chunk.count(newline)
            if chunk.endswith(newline) and self.quotes % 2 == 0:
                break
            chunk = self.readline(_SKIP_READ)
        self.at_line_end = True
        if self.decoder is not None:
            self.decoder.reset()  # the row ended at a line end: a character boundary
        self.row_done()


def _csv_records(name: str, lines: _CsvLines) -> Iterator[Article | InputError]:
    reader = csv.reader(lines)
    line = 1
    try:
        header = next(reader, None)
        if not header or "text" not in [h.strip() for h in header]:
            yield InputError(name, 'no "text" column in the header row', line=1)
            return
        columns = [h.strip() for h in header]
        line = lines.lines + 1
        lines.row_done()
        while True:
            try:
                for row in reader:
                    if lines.chars > MAX_RECORD_BYTES:
                        yield InputError(name, f"row of {lines.chars / 2**20:.1f} MB, over the "
                                         f"{MAX_RECORD_BYTES // 2**20} MB limit for one article", line=line)
                    elif len(row) > len(columns):
                        yield InputError(name, f"{len(row)} cells but the header has {len(columns)} columns "
                                         "(an unquoted comma?)", line=line)
                    elif row and any(cell.strip() for cell in row):
                        yield _csv_row(name, line, dict(zip(columns, row, strict=False)))
                    line = lines.lines + 1  # not reader.line_num: it counts a long line's pieces
                    lines.row_done()
                return
            except _RowTooLong:
                why = (f"a row longer than {_CSV_ROW_CAP // 2**20} MB, over the {MAX_RECORD_BYTES // 2**20} MB "
                       "limit for one article")
            except csv.Error as e:  # a cell over the limit, a stray quote...
                lines.skip_rest_of_row()
                why = f"bad CSV: {e}"
            rest = "; the rest of the file is skipped (an unclosed quote?)" if lines.ended else "; row skipped"
            yield InputError(name, why + rest, line=line)
            if lines.ended:
                return
            line = lines.lines + 1
            reader = csv.reader(lines)  # the skipped row's cells are gone: start afresh after it
    except csv.Error as e:  # in the header
        yield InputError(name, f"bad CSV: {e}; the rest of the file is skipped", line=line)
    except _BadText:
        yield InputError(name, f"not valid {lines.encoding} text from here on; the rest of the file is skipped",
                         line=lines.lines + 1)


def _csv_row(name: str, line: int, rec: dict[str, str]) -> Article | InputError:
    try:
        return article_from_record(rec)
    except ValueError as e:
        return InputError(name, str(e), line=line)


_READERS = {".txt": _read_txt, ".jsonl": _read_jsonl, ".ndjson": _read_jsonl, ".csv": _read_csv,
            ".html": _read_html, ".htm": _read_html}
# A CSV cell may hold a whole article; the csv module's default limit is 128 KB.
csv.field_size_limit(MAX_RECORD_BYTES)


def read_file(path: Path) -> Iterator[Article | InputError]:
    """Articles (or per-record errors) from one file, chosen by its extension."""
    name = str(path)
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        yield InputError(name, f"unsupported file type; use one of {', '.join(SUPPORTED)}")
        return
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            yield InputError(name, "not a regular file (a device, pipe or socket); skipped")
            return
        yield from reader(path)
    except OSError as e:
        yield InputError(name, f"cannot read: {e.strerror or e}")


def count_records(path: Path) -> int:
    """How many records :func:`read_file` will yield for ``path`` (for progress totals).

    Exact for ``.txt`` and ``.jsonl``; for ``.csv`` it counts lines, so a quoted field that
    spans lines makes it an overestimate. An unreadable file counts as one (its error).
    """
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".csv"):
        try:
            if not stat.S_ISREG(path.stat().st_mode):
                return 1  # a pipe would block the count; read_file reports it
            with open(path, "rb") as f:
                n = _count_lines(f)
        except OSError:
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


def iter_input_files(paths: list[Path]) -> Iterator[Path | InputError]:
    """Files to import under ``paths`` (folders recursively, hidden files skipped, sorted).

    Symlinked folders are not followed, so a link loop cannot trap the walk; folders that
    cannot be read and links that lead nowhere are reported. A file link inside a folder
    that leads out of the folder is reported, not followed (a folder of articles must not
    turn ``/etc/passwd`` into one); a file named on its own is read wherever it leads.
    """
    for p in paths:
        if not p.exists():
            why = "a broken or looping symbolic link" if p.is_symlink() else "no such file or directory"
            yield InputError(str(p), why)
        elif p.is_dir():
            errors: list[OSError] = []
            top = p.resolve()
            for dirpath, dirnames, filenames in os.walk(p, onerror=errors.append):
                while errors:
                    e = errors.pop(0)
                    yield InputError(str(Path(e.filename or dirpath)), f"cannot read: {e.strerror or e}")
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    if not name.startswith(".") and Path(name).suffix.lower() in SUPPORTED:
                        path = Path(dirpath) / name
                        if path.is_symlink() and not _inside(path, top):
                            yield InputError(str(path), "a symbolic link out of the imported folder; not followed")
                        else:
                            yield path
            for e in errors:
                yield InputError(str(Path(e.filename or p)), f"cannot read: {e.strerror or e}")
        else:
            yield p
