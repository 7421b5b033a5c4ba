"""Reading ``.csv`` input: a header row with the article's field names, then one article per
row, each line decoded on its own so a bad byte or an overlong row is reported at its line
and the rows after it are still read. Cells are separated by commas, semicolons or tabs,
whichever the header row uses (a spreadsheet set to a Ukrainian locale saves ``;``)."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ..errors import InputError
from ..models import Article
from ..text.textdecode import BOM, SAMPLE, choose_encoding, decode_bytes
from .fields import COLUMN_ALIASES, MAX_RECORD_BYTES, TEXT_NAMES, article_from_record
from .opening import open_input

__all__ = ["DELIMITERS", "column_name", "header_delimiter", "read_csv", "read_csv_from"]

# A CSV cell may hold a whole article; the csv module's default limit is 128 KB.
csv.field_size_limit(MAX_RECORD_BYTES)


#: What may separate the cells of a row, by name: a comma, or a semicolon or tab as
#: spreadsheets set to a European locale save CSV.
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}

#: A quoted cell (or one opened and never closed): a delimiter inside it separates nothing.
_QUOTED = re.compile(r'"[^"]*(?:"|\Z)')


def header_delimiter(header: str) -> str:
    """What separates the cells of a CSV file whose header row (its first line) is
    ``header``: the one of :data:`DELIMITERS` it holds most often outside quotes; a
    comma when it holds none (a file of one column) or as many of another."""
    bare = _QUOTED.sub("", header)
    return max(DELIMITERS, key=bare.count)  # (the first of equals: a comma)


def _named_twice(columns: list[str]) -> str | None:
    """The first column name the header gives twice (in one pass: a header of 200,000
    columns, each checked against all those before it, took 454 s to import)."""
    seen: set[str] = set()
    for c in columns:
        if c in seen:
            return c
        if c:
            seen.add(c)
    return None


def read_csv(path: Path) -> Iterator[Article | InputError]:
    """The records of the ``.csv`` file ``path``."""
    with open_input(path) as raw:
        yield from read_csv_from(raw, str(path))


def read_csv_from(raw: IO[bytes], name: str) -> Iterator[Article | InputError]:
    """The records of CSV read from ``raw`` (errors naming ``name`` and the line): a
    ``.csv`` file, or a stream read batch by batch as one file. Its encoding is chosen from
    its first :data:`~searchkit.text.textdecode.SAMPLE` bytes (all of it when shorter),
    read and gone back over with ``seek(0)``; after them it is read a line at a time."""
    head = raw.read(SAMPLE)
    try:
        enc = choose_encoding(head, name, complete=len(head) < SAMPLE, by_line=True)
    except InputError as e:
        yield e
        return
    raw.seek(0)
    if codecs.lookup(enc).name.startswith(("utf-16", "utf-32")):  # a newline byte may be part of a character
        with io.TextIOWrapper(raw, encoding=enc, errors="strict", newline="") as text:
            yield from _csv_records(name, _CsvLines(text.readline, None, enc, name))
    else:
        yield from _csv_records(name, _CsvLines(raw.readline, enc, enc, name))


#: A CSV row over this many characters is skipped as it is read, without holding it (its
#: cells would be in memory at once); a row over MAX_RECORD_BYTES is refused once read.
_CSV_ROW_CAP = 4 * MAX_RECORD_BYTES
_SKIP_READ = 1 << 20


#: A line end that is a CR alone, which a CSV or JSON Lines file is read without (each is
#: read a line at a time, its lines ending in LF), said with what to do.
LONE_CR = "a carriage return (CR) alone, as old Mac files end lines: save the file with LF or CRLF line ends"
#: csv's message for a CR that is no line end to it ("... do you need to open the file in
#: universal-newline mode?", which names no step anyone importing a file can take).
_CSV_CR = "new-line character seen in unquoted field"


def _bad_csv(e: csv.Error) -> str:
    """What csv's error ``e`` says is wrong, in the words of someone importing a file."""
    return f"a line ends in {LONE_CR}" if _CSV_CR in str(e) else f"bad CSV: {e}"


class _RowTooLong(Exception):
    pass


class _BadText(Exception):
    pass


#: How a line that is no text ends its reason (a NUL, bytes no encoding reads).
_NO_TEXT = "not text"


class _BadLine(Exception):
    """A line of a UTF-8 file that is neither UTF-8 nor recognisable text in a code
    page (``reason``): its row is skipped, the rows after it read."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _CsvLines:
    """The lines of a CSV file for ``csv.reader``, each decoded on its own, so a bad byte
    is reported at its own line after every row before it. ``chars`` counts the
    characters read since the last row ended (the caller resets it after each row) and
    ``quotes`` the quote marks: a row ends at a line end after an even number of them,
    which is how a row over :data:`_CSV_ROW_CAP` is skipped without being held."""

    def __init__(self, readline: Any, decode_as: str | None, encoding: str, name: str) -> None:
        self.readline = readline
        self.decoder = codecs.getincrementaldecoder(decode_as)(errors="strict") if decode_as else None
        self.encoding = encoding
        self.name = name
        self.chars = 0
        self.quotes = 0
        self.lines = 0  # physical lines handed out
        self.at_line_end = True
        self.ended = False  # the end of the file was reached while skipping
        self.last = ""  # the last piece of text handed out
        self.delimiter = ","  # what separates cells (read from the header row)

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
            if self.encoding != "utf-8" or not chunk.endswith(b"\n"):
                raise _BadText from None
            text = self._own_line(chunk)
        if self.chars == 0 and text.startswith(BOM):
            text = text.lstrip(BOM)  # files joined together keep each one's mark at a row start
        self.at_line_end = text.endswith("\n")
        if self.at_line_end:
            self.lines += 1
        self.chars += len(text)
        self.quotes += text.count('"')
        self.last = text
        if "\x00" in text and self.decoder is not None:  # (a NUL no text in UTF-8 or a code page holds)
            raise _BadLine(f"a NUL byte: damaged data, {_NO_TEXT}")
        return text

    def _own_line(self, chunk: bytes) -> str:
        """A whole line of a UTF-8 file that is not UTF-8, told on its own as a line of
        JSON Lines is (windows-1251 or koi8-u: files joined together); :class:`_BadLine`,
        counted as read, when it is no text."""
        assert self.decoder is not None
        self.decoder.reset()  # (the line ends in a newline: a character boundary)
        try:
            return decode_bytes(chunk, self.name)
        except InputError as e:
            self.at_line_end = True
            self.lines += 1
            self.quotes += chunk.count(b'"')
            raise _BadLine(e.reason) from None

    def cut_in_a_quote(self) -> bool:
        """Whether the file ended inside a quoted cell: a last line without its line end,
        whose last cell opens a quote it never closes (a file cut short: ``a2,"текст д``;
        not ``5" теж``, a quote mark inside a cell)."""
        opened = _opened_at_end(self.delimiter).search(self.last)
        return not self.at_line_end and self.quotes % 2 == 1 and bool(opened)

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


def _opened_at_end(delimiter: str) -> re.Pattern[str]:
    """A cell that opens a quote and runs to the end of the text without closing it."""
    return re.compile(rf'(?:^|{re.escape(delimiter)})[ \t]*"(?:[^"]|"")*\Z')

#: The columns of an article (see :func:`searchkit.store.formats.article_from_record`).
_KNOWN = frozenset({"id", "title", "text", "date", "source", "url"})


def column_name(cell: str) -> str:
    """The column a header row's ``cell`` names: an article's field in any case (a
    spreadsheet writes ``ID,Title,TEXT``) or by its Ukrainian name (``Заголовок``), any
    other column as written."""
    bare = cell.strip()
    known = COLUMN_ALIASES.get(bare.lower(), bare.lower())
    return known if known in _KNOWN else bare


#: The most column names a message lists.
_LISTED = 8


def _no_text(header: list[str]) -> str:
    """What a header row without a ``text`` column has instead, in words: its columns
    (the first few, each shortened) and the one that likely holds the text."""
    if not header or header == [""]:
        return "the first line is empty"
    if len(header) == 1 and "|" in header[0]:
        return "its cells are separated by '|': save it with commas"

    def shown(column: str) -> str:
        column = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in column)
        return f"'{column if len(column) <= 30 else column[:30] + '…'}'"

    listed = ", ".join(shown(c) for c in header[:_LISTED])
    more = f", … ({len(header):,} in all)" if len(header) > _LISTED else ""
    has = f"it has {listed}{more}"
    likely = next((c for c in header if c.lower() in TEXT_NAMES), None)
    return f"{has}; if {shown(likely)} holds the text, name it \"text\"" if likely else has


def _as(written: list[str], columns: list[str], column: str) -> str:
    """How the header row wrote ``column`` when it wrote it in more ways than one
    (``text`` and ``Текст``), in words; else nothing."""
    ways = list(dict.fromkeys(w for w, c in zip(written, columns, strict=True) if c == column))
    return f" (as {' and '.join(map(repr, ways))})" if len(ways) > 1 else ""


def _csv_records(name: str, lines: _CsvLines) -> Iterator[Article | InputError]:
    line = 1
    try:
        first = next(lines, "")
        if not first.strip() and _blank_to_the_end(lines):
            return  # no header and no rows: an empty feed holds no article, as an empty file (the import says so)
        lines.delimiter = delimiter = header_delimiter(first)
        reader = csv.reader(itertools.chain([first], lines), delimiter=delimiter)
        header = next(reader, None)
        written = [h.strip() for h in header or []]
        columns = [column_name(h) for h in written]
        if not columns or "text" not in columns:
            yield InputError(name, f'no "text" column in the header row ({_no_text(written)})', line=1)
            return
        twice = _named_twice(columns)
        if twice is not None:  # which of the two is the text? read, one would overwrite the other
            yield InputError(name, f"the header row names the column {twice!r} twice{_as(written, columns, twice)}: "
                             "rename one", line=1)
            return
        line = lines.lines + 1
        lines.row_done()
        while True:
            try:
                for row in reader:
                    if lines.cut_in_a_quote():
                        yield InputError(name, "the file ends inside a quoted cell (cut short?): the last row is "
                                         "not imported", line=line)
                        return
                    if lines.quotes % 2 and lines.lines > line:
                        # An odd number of quote marks over several lines: a quote opened a
                        # cell and was never closed, and csv read on to the end of the file
                        # or to the next row's quote, the rows between vanishing into this
                        # one's text. (On one line it is a character: 5" for inches.)
                        yield InputError(name, "an unclosed quote: this row runs on past its line; none of it "
                                         "or what follows is imported", line=line)
                        return
                    if lines.chars > MAX_RECORD_BYTES:
                        yield InputError(name, f"row of {lines.chars / 2**20:.1f} MB, over the "
                                         f"{MAX_RECORD_BYTES // 2**20} MB limit for one article", line=line)
                    elif len(row) > len(columns):
                        yield InputError(name, f"{len(row)} cells but the header has {len(columns)} columns "
                                         f"(an unquoted {DELIMITERS[delimiter]}?)", line=line)
                    elif row and any(cell.strip() for cell in row):
                        got = _csv_row(name, line, dict(zip(columns, row, strict=False)))
                        if isinstance(got, InputError) and lines.quotes % 2:
                            # a quote opened and never closed took the rest of the row's cells
                            got = InputError(name, f"{got.reason} (an unclosed quote took the cells after it)",
                                             line=line)
                        yield got
                    line = lines.lines + 1  # not reader.line_num: it counts a long line's pieces
                    lines.row_done()
                return
            except _RowTooLong:
                why = (f"a row longer than {_CSV_ROW_CAP // 2**20} MB, over the {MAX_RECORD_BYTES // 2**20} MB "
                       "limit for one article")
            except _BadLine as e:
                lines.skip_rest_of_row()
                why = e.reason
            except csv.Error as e:  # a cell over the limit, a stray quote, a CR alone...
                lines.skip_rest_of_row()
                why = _bad_csv(e)
            # (a CR alone ends no row, nor does a line that is no text: no quote is to blame)
            unclosed = "" if LONE_CR in why or why.endswith(_NO_TEXT) else " (an unclosed quote?)"
            rest = f"; the rest of the file is skipped{unclosed}" if lines.ended else "; row skipped"
            yield InputError(name, why + rest, line=line)
            if lines.ended:
                return
            line = lines.lines + 1
            reader = csv.reader(lines, delimiter=delimiter)  # the skipped row's cells are gone: start afresh after it
    except csv.Error as e:  # in the header
        yield InputError(name, f"{_bad_csv(e)}; the rest of the file is skipped", line=line)
    except _RowTooLong:  # the header: without it no row can be read
        yield InputError(name, f"a header row longer than {_CSV_ROW_CAP // 2**20} MB: no CSV file's header; the file "
                         "is skipped", line=1)
    except _BadText:
        yield InputError(name, f"not valid {lines.encoding} text from here on; the rest of the file is skipped",
                         line=lines.lines + 1)
    except _BadLine as e:  # the header
        yield InputError(name, f"{e.reason}; the file is skipped", line=1)


def _blank_to_the_end(lines: _CsvLines) -> bool:
    """Whether ``lines`` hold nothing but blank lines from here to their end (read, and
    kept: they hold nothing to keep): CSV piped in empty, or a gzipped empty file, which
    the size of no file on disk says is empty."""
    return all(not line.strip() for line in lines)


def _csv_row(name: str, line: int, rec: dict[str, str]) -> Article | InputError:
    try:
        return article_from_record(rec)
    except ValueError as e:
        return InputError(name, str(e), line=line, record=True)
