"""Reading articles from the files people have: ``.txt``, ``.jsonl`` and ``.csv``.

Every reader streams: it yields an :class:`Article` or an :class:`InputError` per record,
so one bad line is reported (with file and line) and the rest of the file is still read.

- ``.txt``: an optional leading ``date YYYY-MM-DD``, then the text. The id is the file name
  without its extension; the title is the first line, or its first sentence when long.
- ``.jsonl`` / ``.ndjson``: one JSON object per line with ``id``, ``title``, ``text``,
  ``date``, ``source``, ``url``; unknown fields are kept. ``text`` is required.
- ``.csv``: a header row with the same column names.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import InputError
from .models import Article
from .textdecode import decode_bytes

__all__ = [
    "SUPPORTED",
    "article_from_record",
    "count_records",
    "iter_input_files",
    "make_title",
    "parse_date",
    "read_file",
]

SUPPORTED = (".txt", ".jsonl", ".ndjson", ".csv")
KNOWN_FIELDS = ("id", "title", "text", "date", "source", "url")
MAX_TITLE = 160
_DATE_LINE = re.compile(r"\A\s*date[ \t]+(\d{4}-\d{2}-\d{2})\b[ \t]*\n?", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=\S)")


def parse_date(value: Any) -> dt.date | None:
    """``YYYY-MM-DD`` (or an ISO timestamp starting with one) -> date; empty -> None.

    >>> parse_date("2022-02-24T05:00:00+02:00")
    datetime.date(2022, 2, 24)
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"date must be a string YYYY-MM-DD, got {type(value).__name__}")
    s = value.strip()
    try:
        return dt.date.fromisoformat(s[:10])
    except ValueError:
        raise ValueError(f"bad date {value!r}: expected YYYY-MM-DD") from None


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


def _opt_str(rec: dict[str, Any], key: str) -> str | None:
    v = rec.get(key)
    if v is None or v == "":
        return None
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return str(v)
    if not isinstance(v, str):
        raise ValueError(f'"{key}" must be a string')
    return v


def article_from_record(rec: Any) -> Article:
    """Validate one JSON/CSV record and make an article (``ValueError`` says what is wrong)."""
    if not isinstance(rec, dict):
        raise ValueError("expected a JSON object")
    text = rec.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError('missing "text"' if text in (None, "") else '"text" must be a non-empty string')
    title = _opt_str(rec, "title") or make_title(text)
    raw_id = rec.get("id")
    if raw_id is None or raw_id == "":
        art_id = content_id(title, text)
    elif isinstance(raw_id, bool) or not isinstance(raw_id, (str, int)):
        raise ValueError('"id" must be a string or an integer')
    else:
        art_id = str(raw_id)
        if not art_id.strip() or len(art_id) > 512 or any(ord(c) < 32 for c in art_id):
            raise ValueError(f'bad "id" {art_id[:40]!r}: 1-512 printable characters')
    extra = {k: v for k, v in rec.items() if k not in KNOWN_FIELDS}
    return Article(
        id=art_id,
        title=title.strip(),
        text=text,
        date=parse_date(rec.get("date")),
        source=_opt_str(rec, "source"),
        url=_opt_str(rec, "url"),
        extra=extra,
    )


# -- readers -------------------------------------------------------------------------------


def _read_txt(path: Path) -> Iterator[Article | InputError]:
    try:
        text = decode_bytes(path.read_bytes(), str(path))
    except InputError as e:
        yield e
        return
    date = None
    m = _DATE_LINE.match(text)
    if m:
        try:
            date = parse_date(m.group(1))
        except ValueError as e:
            yield InputError(str(path), str(e), line=1)
            return
        text = text[m.end() :]
    text = text.replace("\r\n", "\n").strip()
    if not text:
        yield InputError(str(path), "no text")
        return
    yield Article(id=path.stem, title=make_title(text), text=text, date=date)


def _read_jsonl(path: Path) -> Iterator[Article | InputError]:
    with open(path, "rb") as f:
        for n, raw in enumerate(f, 1):
            if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                yield InputError(str(path), f"not UTF-8 (byte {e.start})", line=n)
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                yield InputError(str(path), f"bad JSON: {e.msg} (column {e.colno})", line=n)
                continue
            try:
                yield article_from_record(rec)
            except ValueError as e:
                yield InputError(str(path), str(e), line=n)


def _read_csv(path: Path) -> Iterator[Article | InputError]:
    try:
        text = decode_bytes(path.read_bytes(), str(path))
    except InputError as e:
        yield e
        return
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames or "text" not in [f.strip() for f in reader.fieldnames]:
        yield InputError(str(path), 'no "text" column in the header row', line=1)
        return
    try:
        for rec in reader:
            line = reader.line_num
            rec = {(k or "").strip(): v for k, v in rec.items() if k is not None}
            try:
                yield article_from_record(rec)
            except ValueError as e:
                yield InputError(str(path), str(e), line=line)
    except csv.Error as e:
        yield InputError(str(path), f"bad CSV: {e}", line=reader.line_num)


_READERS = {".txt": _read_txt, ".jsonl": _read_jsonl, ".ndjson": _read_jsonl, ".csv": _read_csv}


def read_file(path: Path) -> Iterator[Article | InputError]:
    """Articles (or per-record errors) from one file, chosen by its extension."""
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        yield InputError(str(path), f"unsupported file type; use one of {', '.join(SUPPORTED)}")
        return
    try:
        yield from reader(path)
    except OSError as e:
        yield InputError(str(path), f"cannot read: {e.strerror or e}")


def count_records(path: Path) -> int:
    """How many records :func:`read_file` will yield for ``path`` (for progress totals).

    Exact for ``.txt`` and ``.jsonl``; for ``.csv`` it counts lines, so a quoted field that
    spans lines makes it an overestimate. An unreadable file counts as one (its error).
    """
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".csv"):
        n = 0
        try:
            with open(path, "rb") as f:
                n = sum(1 for line in f if line.strip())
        except OSError:
            return 1
        return max(1, n - 1) if suffix == ".csv" else n
    return 1


def iter_input_files(paths: list[Path]) -> Iterator[Path | InputError]:
    """Files to import under ``paths`` (folders recursively, hidden files skipped, sorted).

    Symlinked folders are not followed, so a link loop cannot trap the walk.
    """
    for p in paths:
        if not p.exists():
            yield InputError(str(p), "no such file or directory")
        elif p.is_dir():
            for dirpath, dirnames, filenames in os.walk(p, onerror=None):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    if not name.startswith(".") and Path(name).suffix.lower() in SUPPORTED:
                        yield Path(dirpath) / name
        else:
            yield p
