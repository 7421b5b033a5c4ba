"""An article from one input record: its fields checked (text, id, date, extra fields), and
what is made when a field is missing (a title from the text, an id from the content)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from typing import Any

from ..errors import echoed
from ..models import Article
from ..text.dates import DateRange, NotADate, iso_day, no_such_date, parse_period
from ..text.normalize import APOSTROPHES

__all__ = ["COLUMN_ALIASES", "DAY_FORMS", "MAX_RECORD_BYTES", "MAX_SOURCE", "TEXT_NAMES", "article_from_record",
           "check_id", "dated_by", "id_spellings", "make_title", "normal_id", "parse_date", "record_text",
           "typed_id_spellings"]

#: The largest record accepted (a JSONL line, a CSV row, a whole .txt or .html file): a
#: news article is a few kilobytes; anything this big is a broken dump, and refusing it
#: keeps an import's memory bounded.
MAX_RECORD_BYTES = 8 * 1024 * 1024
#: Extra fields nested deeper are refused: each level costs indentation in the stored file.
MAX_EXTRA_DEPTH = 20
MAX_ID = 512
#: The longest source an article may name: a publication's name, not a text (a longer one
#: is a column read as the wrong field). A ``source`` filter is no longer either.
MAX_SOURCE = 512
#: The longest title an import takes: a headline, not a text (BrUK's longest is 236
#: characters; a longer one is the text read as the title, and was printed whole above
#: every snippet). Articles stored before it keep theirs.
MAX_GIVEN_TITLE = 2000
KNOWN_FIELDS = ("id", "title", "text", "date", "source", "url")
#: The Ukrainian names of those fields, lower case, each read as its English one: a table
#: made in a Ukrainian newsroom names its columns so (such a file was refused, no "text"
#: column), and a query names its fields so (``заголовок:мова``).
COLUMN_ALIASES = {"ідентифікатор": "id", "ід": "id", "заголовок": "title", "назва": "title", "текст": "text",
                  "дата": "date", "дата публікації": "date", "джерело": "source", "посилання": "url"}
MAX_TITLE = 160
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=\S)")


_DMY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
#: The forms of one day an article's date may take, as :func:`parse_date` reads them (said
#: when a date cannot be read).
DAY_FORMS = ("YYYY-MM-DD (or an ISO timestamp), DD.MM.YYYY, a day or month of one digit too (2024-6-1, "
             "1.6.2024), or a day in words (24 лютого 2022)")


def parse_date(value: Any) -> dt.date | None:
    """An article's date, one of :data:`DAY_FORMS` (as ``--since`` reads them) -> date;
    empty -> None.

    >>> parse_date("2022-02-24T05:00:00+02:00"), parse_date("24.02.2022")
    (datetime.date(2022, 2, 24), datetime.date(2022, 2, 24))
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"date must be a string: {DAY_FORMS}; got {type(value).__name__}")
    s = value.strip()
    day = iso_day(s)  # a timestamp's time must be one too (``T25:99`` is a broken export)
    if day is not None:
        return day
    # (a day and words after it, ``2022-02-24, четвер``, is that day; with more figures after
    # it, ``2016-06-01 – 2016-08-31``, it is no one day: it was the first, the rest dropped unsaid)
    day = iso_day(s[:10])
    if day is not None and not any(c.isdigit() for c in s[10:]):
        return day
    # (a day or month of one digit too, as ``--since`` reads it: ``2024-6-1``, ``1.6.2024``)
    m = _YMD.fullmatch(s)
    parts = (m.group(1), m.group(2), m.group(3)) if m else None
    if parts is None and (m := _DMY.fullmatch(s)):
        parts = (m.group(3), m.group(2), m.group(1))
    if parts is not None:  # (said as a query says it: ``no such month``, ``no such day``)
        if why := no_such_date(s):
            raise ValueError(f"bad date {echoed(value)}: {why}")
        return dt.date(*map(int, parts))
    day = _day_in_words(s)
    if day is not None:
        return day
    raise ValueError(f"bad date {echoed(value)}: expected one day: {DAY_FORMS}")


def _day_in_words(text: str) -> dt.date | None:
    """The day a Ukrainian phrase names whatever the day it is read (``24 лютого 2022``),
    as ``--since`` reads it; ``None`` for a span (``2022``, ``березень 2022``) or a day
    relative to today (``вчора``), which an article's date cannot be."""
    if len(text) > 40:
        return None
    read: list[DateRange | NotADate] = []
    for today in _TWO_TODAYS:
        try:
            read.append(parse_period(text, today=today))
        except NotADate as e:  # (``31 лютого 2022``: refused as a query refuses it, on both days)
            read.append(e)
        except ValueError:
            return None
    first, second = read
    if isinstance(first, NotADate) and isinstance(second, NotADate):
        raise ValueError(f"bad date {text!r}: {first.why}")
    if isinstance(first, NotADate) or isinstance(second, NotADate):
        return None  # (relative to today: ``29 лютого минулого року``)
    if first.since is None or first.since != first.until or (second.since, second.until) != (first.since, first.until):
        return None
    return first.since


#: Two days far apart: a phrase that names the same day on both is not relative to today.
_TWO_TODAYS = (dt.date(2001, 1, 1), dt.date(2031, 7, 1))


def shows_nothing(text: str) -> bool:
    """Whether ``text`` shows nothing where a title is shown: only spaces, characters that
    cannot be seen (zero-width, direction marks, blanks) and combining marks with no letter
    to sit on (``"\u200b"``, ``"\u0301\u0301"``). Such a title is none."""
    return all(c.isspace() or _invisible(c) or unicodedata.category(c) in ("Mn", "Me") for c in text)


def make_title(text: str) -> str:
    """The first line that shows something, or its first sentence when the line is long,
    cut at a word."""
    first, start = "", 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if not shows_nothing(line := text[start:end].strip()):
            first = line
            break
        start = end + 1
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


def normal_id(art_id: str) -> str:
    """``art_id`` in the one form ids are kept in, Unicode NFC: a letter written as one
    character or decomposed (``ї`` as ``і`` and a combining diaeresis, as macOS and many
    zip files name files) looks the same, so it is one id, and typed back it is found."""
    return unicodedata.normalize("NFC", art_id)


def id_spellings(art_id: str) -> tuple[str, ...]:
    """The ids an article asked for as ``art_id`` may be stored under, in the order they
    are tried: as given (an id as a listing shows it is that article, even in a home
    that holds two spellings as two), its NFC form (every id imported since ids are
    normalised), then decomposed (NFD), as a home imported before may hold it (a macOS
    file's name)."""
    return tuple(dict.fromkeys((art_id, normal_id(art_id), unicodedata.normalize("NFD", art_id))))


#: An apostrophe of any of the kinds :data:`~searchkit.text.normalize.APOSTROPHES` lists.
_APOSTROPHE = re.compile(f"[{re.escape(APOSTROPHES)}]")


def typed_id_spellings(art_id: str) -> tuple[str, ...]:
    """The ids an article asked for by a person as ``art_id`` may be stored under: its
    :func:`id_spellings`, then those of the id with another kind of apostrophe in place of
    the one typed (``інтерв'ю`` finds the article of a file named ``інтерв’ю.txt``: a
    keyboard types one of the several in use, and the id as stored looks the same).
    For look-ups only: two files whose names differ so are still two articles."""
    spellings = id_spellings(art_id)
    if not _APOSTROPHE.search(art_id):
        return spellings
    others = (s for a in APOSTROPHES for s in id_spellings(_APOSTROPHE.sub(a, art_id)))
    return tuple(dict.fromkeys((*spellings, *others)))


def check_id(art_id: str) -> str:
    """``art_id`` as an article id (:func:`normal_id`) if it can be one (1-512 printable
    characters, valid Unicode); ``ValueError`` saying why not."""
    art_id = normal_id(art_id)
    # An id of ASCII from the space to "~" (most are) holds no character that the checks of
    # each character refuse: skipped, they no longer cost every hit 45-100 µs (its file is
    # read again for the snippet), against 1 µs
    plain = art_id.isascii() and art_id.isprintable()
    if not art_id.strip() or len(art_id) > MAX_ID or (
            not plain and any(ord(c) < 32 or 127 <= ord(c) < 160 for c in art_id)):
        raise ValueError(f'bad "id" {art_id[:40]!r}: 1-{MAX_ID} printable characters')
    if not plain:
        _check_unicode("id", art_id)
    # An id is typed back (show, delete, explain): one that looks like another cannot be
    if art_id != art_id.strip():
        raise ValueError(f'bad "id" {art_id[:40]!r}: it begins or ends with a space')
    hidden = None if plain else next((c for c in art_id if _invisible(c)), None)
    if hidden is not None:
        raise ValueError(f'bad "id" {art_id[:40]!r}: it holds an invisible character (U+{ord(hidden):04X})')
    return art_id


#: Characters shown as nothing or as a blank that Unicode does not class as format or
#: space characters (combining grapheme joiner, variation selectors, Hangul fillers,
#: the blank Braille pattern)
_BLANK = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0\u2800") | frozenset(map(chr, range(0xFE00, 0xFE10)))


def _invisible(c: str) -> bool:
    """Whether ``c`` cannot be seen (or told from a space) where an id is shown: format and
    separator characters other than the space, private-use and unassigned ones, blanks."""
    return c in _BLANK or (c != " " and unicodedata.category(c) in ("Cf", "Zs", "Zl", "Zp", "Co", "Cn"))


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


#: What a JSON value is called in an error: a field given as one of these is refused.
_KINDS = {bool: "true or false", int: "a number", float: "a number", list: "a list", dict: "an object"}


def _text_field(rec: dict[str, Any], key: str) -> str | None:
    """Field ``key`` of a record (``title``, ``text``, ``date``, ``source``, ``url``), which
    must be text: ``None`` when absent, null or empty. The one rule for all of them: a
    number is refused, not converted (``"title": 123`` is a broken export as surely as
    ``"date": 20220101``, and a title read back as ``123.0`` would be no one's), and the
    error says how to write it. Only ``id`` also takes an integer (see :func:`article_from_record`)."""
    v = rec.get(key)
    if v is None or v == "":
        return None
    if not isinstance(v, str):
        kind = _KINDS.get(type(v), type(v).__name__)
        if key == "date":  # (in quotes, 20220101 is no date either: say what one is)
            raise ValueError(f'"date" must be text, not {kind}: {DAY_FORMS}')
        quoted = f' (put it in quotes: "{json.dumps(v)}")' if kind == "a number" else ""
        raise ValueError(f'"{key}" must be text, not {kind}{quoted}')
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


#: Letters that show nothing (Hangul fillers): no text is made of them.
_FILLERS = frozenset("\u115f\u1160\u3164\uffa0")


def is_blank(text: str) -> bool:
    """Whether ``text`` holds no letter or digit: only spaces, punctuation and characters
    that show nothing (zero-width spaces, direction marks, combining marks, braille
    blanks, fillers)."""
    return not any(c.isalnum() and c not in _FILLERS for c in text)


#: Field (and column) names that are the text under another name (an obvious rename),
#: lower case: said where a record or a table lacks "text".
TEXT_NAMES = ("body", "content", "contents", "full_text", "fulltext", "article", "зміст", "стаття",
              "текст статті", "вміст")


def _instead(rec: dict[str, Any]) -> str:
    """What a record without ``"text"`` holds that is likely meant, in words (``""``:
    nothing): a field of another name holding text (``"content"``), or one holding the
    articles themselves, as an API's answer wraps them (``{"articles": [{...}, ...]}``)."""
    likely = next((k for k, v in rec.items() if k.lower() in TEXT_NAMES and isinstance(v, str)), None)
    if likely is not None:
        return f"; if {likely!r} holds the text, name it \"text\""
    wrapped = next((k for k, v in rec.items() if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)),
                   None)
    if wrapped is not None:
        n = len(rec[wrapped])
        return (f"; {wrapped!r} holds a list of {n:,} object{'s' if n != 1 else ''}: if they are the articles, "
                "import that list (a .json file of it, or one object a line)")
    return ""


def record_text(rec: Any) -> str:
    """The ``"text"`` of a record, checked as :func:`article_from_record` checks it
    (``ValueError`` says what is wrong): all a hit's snippet needs of its stored file."""
    if not isinstance(rec, dict):
        raise ValueError("expected a JSON object")
    if rec.get("text") is None:
        raise ValueError(f'missing "text"{_instead(rec)}')
    text = _text_field(rec, "text")
    if text is None or is_blank(text):
        # (a text of emoji or dashes is not empty to look at, and was said to be)
        raise ValueError('"text" is empty' if text is None or shows_nothing(text) else
                         f'"text" holds no letter or digit ({echoed(text)}): nothing in it can be searched')
    return text


def article_from_record(rec: Any, *, stored: bool = False) -> Article:
    """Validate one JSON/CSV record and make an article (``ValueError`` says what is wrong).
    ``stored``: a file of ``corpus/``, whose id is kept as written (one stored before ids
    were normalised names its file as it is spelt, decomposed)."""
    text = record_text(rec)
    title = _text_field(rec, "title")
    if title is None or shows_nothing(title):  # (a title of zero-width characters showed as a blank line)
        title = make_title(text)
    elif len(title) > MAX_GIVEN_TITLE and not stored:
        raise ValueError(f'"title" is {len(title):,} characters, over {MAX_GIVEN_TITLE:,}: a headline, not a text '
                         '(is the text in "title"?)')
    raw_id = rec.get("id")
    if raw_id is None or raw_id == "":
        art_id = content_id(title, text)
    elif isinstance(raw_id, bool) or not isinstance(raw_id, (str, int)):
        raise ValueError('"id" must be a string or an integer')
    else:
        art_id = check_id(str(raw_id))
        if stored:
            art_id = str(raw_id)
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
            raise ValueError(f"field {echoed(bad)} has a lone surrogate (half of a character): "
                             "not valid Unicode") from None
        except ValueError as e:  # e.g. a number too large to write back
            raise ValueError(f"unusable extra field: {e}") from None
    if size > MAX_RECORD_BYTES // 4:  # only then can the bytes be over the limit
        size = len(text.encode("utf-8", "surrogatepass")) + len(title.encode("utf-8", "surrogatepass")) + (
            size - len(text) - len(title))
        if size > MAX_RECORD_BYTES:
            _too_big(size)
    source = _text_field(rec, "source")
    if source is not None and len(source) > MAX_SOURCE:
        raise ValueError(f'"source" is longer than {MAX_SOURCE} characters: a publication\'s name, not a text')
    return Article(
        id=art_id,
        title=title.strip(),
        text=text,
        date=parse_date(_text_field(rec, "date")),
        source=source,
        url=_text_field(rec, "url"),
        extra=extra,
    )


#: Fields a feed may carry its articles' dates in under another name than ``date``; an
#: article dated only there is undated (a date is a day, and ``year`` names none), which an
#: import says once per file: BrUK's 1,396 records all have ``year`` and no ``date``, and
#: ``--since 2016`` found none of them without a word why. (``date`` in another case,
#: ``Date``, is such a field too: names are read as written.)
DATE_LIKE = frozenset({"date", "year", "published", "published_at", "publication_date", "pub_date", "pubdate",
                       "datetime", "created", "created_at", "timestamp", "day"})


def dated_by(article: Article) -> str | None:
    """The extra field an undated ``article`` looks dated by (``year``, ``published``,
    ``Date``), or ``None``: the article has a date, or no such field."""
    if article.date is not None:
        return None
    for key, value in article.extra.items():
        if value not in (None, "") and key.strip().lower() in DATE_LIKE:
            return key
    return None


def _too_big(size: int) -> None:
    raise ValueError(f"record is {size / 2**20:.1f} MB, over the {MAX_RECORD_BYTES // 2**20} MB limit for one article")
