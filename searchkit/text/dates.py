"""Ukrainian date phrases -> concrete date ranges, relative to a given today (pure).

Used for ``--since``/``--until`` and for date phrases typed inside a query, which become a
date filter instead of words to search::

    сьогодні, вчора, позавчора                     one day
    цього / минулого тижня (на минулому тижні)       Monday to Sunday
    цього / минулого місяця, у минулому місяці      a calendar month
    цього / минулого року, цьогоріч, торік          a calendar year
    за останній тиждень / місяць / рік              up to today
    за останні 10 днів (тижнів, місяців, років)      up to today
    у березні 2022, у березні (the last March), березень 2022
    у 2021 році, в 2021, за 2021 рік, у 2014–2015 роках
    2022-02-24, 24.02.2022, 2022-03, 03.2022
    з 24.02.2022 по 01.03.2022, з березня 2022 до травня 2022
    з 1 березня по 31 травня 2022, з 1 по 15 березня 2022 (the year once, at the end)
    з 2022 року, від 24 лютого 2022, після 2020 року, до 2014 року (before it)

>>> import datetime as dt
>>> find_dates("обстріли минулого тижня", today=dt.date(2025, 3, 12))
('обстріли', DateRange(since=datetime.date(2025, 3, 3), until=datetime.date(2025, 3, 9), phrase='минулого тижня'))

Inside a query only unmistakable phrases count: ``24 лютого`` or ``2014 року`` may name an
event the reader is looking for, so they stay words unless a preposition makes them a time
span (``з 24 лютого 2022``); quoted text is never touched.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..advice import SINCE_UNTIL
from ..errors import clipped, echoed
from ..models import DateRange
from .normalize import normalize_word, straight_quotes

__all__ = ["ACCEPTED", "BeyondCalendar", "DateRange", "NotADate", "ReversedRange", "always_filters", "bound",
           "empty_span", "find_dates", "iso_day", "no_such_date", "parse_period", "scan_dates", "season_note",
           "since_date", "until_date"]

#: What a date may be, wherever one is typed (said when one cannot be read).
ACCEPTED = ("use YYYY-MM-DD, DD.MM.YYYY, a year or month (2016, лютий 2023) or a phrase like 'вчора', "
            "'минулого тижня', 'у березні 2022', 'з 24.02.2022 по 01.03.2022'")

_MONTHS_NOM = ["січень", "лютий", "березень", "квітень", "травень", "червень", "липень", "серпень",
               "вересень", "жовтень", "листопад", "грудень"]
_MONTHS_GEN = ["січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня", "вересня",
               "жовтня", "листопада", "грудня"]
_MONTHS_LOC = ["січні", "лютому", "березні", "квітні", "травні", "червні", "липні", "серпні", "вересні",
               "жовтні", "листопаді", "грудні"]
_NOM = {w: i + 1 for i, w in enumerate(_MONTHS_NOM)}
_GEN = {w: i + 1 for i, w in enumerate(_MONTHS_GEN)}
_LOC = {w: i + 1 for i, w in enumerate(_MONTHS_LOC)}

_UNITS = {
    "день": "day", "дні": "day", "днів": "day", "доба": "day", "добу": "day", "доби": "day", "діб": "day",
    "тиждень": "week", "тижні": "week", "тижнів": "week",
    "місяць": "month", "місяці": "month", "місяців": "month",
    "рік": "year", "роки": "year", "років": "year",
}
_THIS = {"цього", "поточного", "цьому", "поточному", "нинішнього", "нинішньому"}
_LAST = {"минулого", "попереднього", "минулому", "попередньому"}
_PERIOD_GEN = {"тижня": "week", "місяця": "month", "року": "year"}
_PERIOD_LOC = {"тижні": "week", "місяці": "month", "році": "year"}
_YEAR_WORDS = {"рік", "року", "році", "р", "р."}
_IN = {"у", "в"}
_FROM = {"з", "із", "зі", "від", "починаючи"}
_TO_INCL = {"по", "до"}
_DASHES = {"-", "–", "—", ".."}

# Tokens: numeric dates first, then numbers, words (with an abbreviation dot), dashes.
_TOK = re.compile(
    r"\d{4}-\d{1,2}-\d{1,2}(?!\d)|\d{4}-\d{1,2}(?![\d-])|\d{1,2}\.\d{1,2}\.\d{4}(?!\d)|\d{1,2}\.\d{4}(?!\d)"
    r"|\d+|[^\W\d_](?:[^\W\d_]|[\u0300-\u036f])*\.?|[–—-]|\.\."
)  # (a word may carry stress marks, ``тра́вні``: it is read as the search reads it, normalised)
#: a phrase in quotes, in a query whose quotes are straightened (:func:`straight_quotes`)
_QUOTED = re.compile(r'"[^"]*(?:"|$)')
_DAY_IN_FIGURES = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})\.(\d{1,2})\.(\d{4})")
_MONTH_IN_FIGURES = re.compile(r"(\d{4})-(\d{1,2})")


#: Why a date in year 0 is none.
NO_YEAR_0 = "no year 0: the calendar starts on 0001-01-01"


def no_such_date(word: str) -> str | None:
    """Why ``word``, a day or month in figures, is no date (``31.02.2022``: ``no such day``,
    ``2016-13`` and ``2016-13-01``: ``no such month``); ``None`` when it is one, or not in
    figures. The one rule for a query, a date option and an imported article's date. A query
    that writes one means a date, so an impossible one is refused rather than searched as
    figures (``31.02.2022`` found nothing and said nothing, ``2016-13`` "no article has
    all the words"). Figures that may be something else stay words: two years apart
    (``2012-13``, a season; ``1990-95``) and a decimal (``0.2016``: a month is refused
    only as ISO writes it)."""
    in_days, in_months = _DAY_IN_FIGURES.fullmatch(word), _MONTH_IN_FIGURES.fullmatch(word)
    if in_days and "0000" in (in_days[1], in_days[6]) or in_months and in_months[1] == "0000":
        return NO_YEAR_0
    if m := in_days:
        year, month, day = (m[1], m[2], m[3]) if m[1] else (m[6], m[5], m[4])
        if not 1 <= int(month) <= 12:  # (2024-13-01: the month is what no calendar has)
            return "no such month"
        try:
            dt.date(int(year), int(month), int(day))
        except ValueError:
            return "no such day"
        return None
    if (m := in_months) and _year(m[1]) is not None:
        if 1 <= int(m[2]) <= 12:
            return None
        if len(m[2]) == 2 and (m[2] > m[1][2:] or m[1].endswith("99") and m[2] == "00"):
            return None  # (2012-13, 1999-00: the years a season spans)
        return "no such month"
    return None


_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December")
#: Words after which figures such as ``2009-10`` are a season, never a month.
_SEASON_WORDS = re.compile(r"сезон\w*")


def _season(word: str) -> int | None:
    """The first year of the season ``word`` may name, a month in figures too (``2009-10``:
    October 2009 as ISO writes it, or the season 2009/10: the second number is the next
    year's last two figures), else ``None``."""
    m = _MONTH_IN_FIGURES.fullmatch(word)
    if m is None or len(m[2]) != 2 or (year := _year(m[1])) is None:
        return None
    return year if 1 <= int(m[2]) <= 12 and int(m[2]) == (year + 1) % 100 else None


def season_note(phrase: str) -> str | None:
    """What a note says of a month in figures in the date phrase ``phrase`` that a season is
    written as too (``2009-10``): read as the month, which ISO and the documented grammar
    make it (a date option takes it so, and ``2009-10-01`` is a day of it), and how to write
    the season; ``None`` when there is none, or the phrase is a range by both ends
    (``з 2009-10 по 2010-05``: months, beside another)."""
    toks = _tokens(phrase)
    if _both_ends([t.text for t in toks]):
        return None
    for t in toks:
        if (year := _season(t.text)) is not None:
            month = int(t.text[5:])
            return (f"{t.text} was read as {_MONTH_NAMES[month - 1]} {year} (year-month); for the "
                    f"{year}/{t.text[5:]} season write its years (у {year}–{year + 1} роках) or its days "
                    f"(з 01.09.{year} по 31.05.{year + 1})")
    return None


def _both_ends(words: Sequence[str]) -> bool:
    """Whether a date phrase names a range by both its ends (``з 2016 по 2017``,
    ``24.02.2022 – 01.03.2022``, ``у 2014–2015 роках``), not one period (``2016``,
    ``березень 2022``) nor a range open at one end (``з 2016 року``)."""
    start = next((i for i, w in enumerate(words) if w in _FROM), None)
    return any(w in _DASHES for w in words) or start is not None and any(w in _TO_INCL for w in words[start + 1:])


class NotADate(ValueError):
    """A query writes a day or month in figures that no calendar has (``31.02.2022``,
    ``2016-13``); ``why`` says which (``no such day``)."""

    def __init__(self, text: str, why: str = "no such day") -> None:
        super().__init__(f"{clipped(text)} is not a date: {why}")
        self.text = text
        self.why = why


class ReversedRange(ValueError):
    """A query names a range by both its ends, the last before the first (``з 31.03.2016
    по 01.03.2016``): refused as a ``--since`` after the ``--until`` is (``why``, from
    :func:`empty_span`), not searched as a range that holds no day."""

    def __init__(self, text: str, why: str) -> None:
        super().__init__(f"{clipped(text)}: {why}")
        self.text = text
        self.why = why


class BeyondCalendar(ValueError):
    """A date phrase that holds no day: its span is past the calendar's end (``після
    31.12.9999``, ``до 01.01.0001``) or none at all (``за останні 0 днів``), so it is
    refused, in a query and in a date option alike, not searched as an empty range (nor
    as words, with no note, as ``за останні 0 днів`` was); ``why`` says which."""

    def __init__(self, text: str, why: str) -> None:
        super().__init__(f"{clipped(text)}: {why}")
        self.text = text
        self.why = why


class _Beyond(Exception):  # noqa: N818 - internal: a :class:`BeyondCalendar` whose words are not known yet
    """:meth:`_Parser.phrase` found such a phrase, ending before token ``end``."""

    def __init__(self, end: int, why: str) -> None:
        super().__init__(why)
        self.end, self.why = end, why


# A date phrase must stand alone: not glued to query syntax (``title:``, ``-word``, ``word*``).
_BEFORE_OK = set(" \t\n(,;")
_AFTER_OK = set(" \t\n),;.!?")
#: An operator beside a date phrase makes it one side of an OR (``обстріл OR вчора``) or a
#: word to exclude: as a filter, the operator would be left with nothing to join.
_OPERATOR_BEFORE = re.compile(r"(?:^|[\s(])(?:OR|AND|NOT)\s*\(?\s*$")
_OPERATOR_AFTER = re.compile(r"^\s*\)?\s*(?:OR|AND|NOT)(?:[\s)]|$)")


def _operand(query: str, start: int, end: int) -> bool:
    """Whether the date phrase ``query[start:end]`` stands beside ``OR``/``AND``/``NOT``:
    a word of the query's logic, not a filter (``-вчора`` is not standalone already).
    Only an operator right before it or right after it counts (``(Київ OR Рим) вчора``
    filters: its OR ends a bracket before the date)."""
    return bool(_OPERATOR_BEFORE.search(query[max(0, start - 8):start])
                or _OPERATOR_AFTER.search(query[end:end + 8]))


@dataclass(frozen=True, slots=True)
class _Tok:
    text: str  # lowercased
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Period:
    first: dt.date
    last: dt.date
    strict: bool  # unmistakably a date even inside a query


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(d: dt.date, months: int) -> dt.date:
    m = d.month - 1 + months
    year, month = d.year + m // 12, m % 12 + 1
    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _year(text: str, *, wide: bool = False) -> int | None:
    """The year four figures name: inside a query one from 1000 to 2999, where a number is
    more often a number (``з 3000 до 5000 гривень``); ``wide`` (a date option, which holds
    nothing but a date) any the calendar has, 0001 to 9999, as a day in figures may be."""
    if len(text) == 4 and text.isdigit() and (1 <= int(text) if wide else 1000 <= int(text) <= 2999):
        return int(text)
    return None


def _last_month_named(month: int, today: dt.date) -> int:
    """The year of the latest month ``month`` not after today (``у березні`` in January)."""
    return today.year if month <= today.month else today.year - 1


def _relative(unit: str, back: int, today: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar week/month/year ``back`` periods before the one holding today."""
    if unit == "week":
        monday = today - dt.timedelta(days=today.weekday() + 7 * back)
        return monday, monday + dt.timedelta(days=6)
    if unit == "month":
        first = _add_months(today.replace(day=1), -back)
        return first, _month_end(first.year, first.month)
    return dt.date(today.year - back, 1, 1), dt.date(today.year - back, 12, 31)


def _span_back(unit: str, n: int, today: dt.date) -> tuple[dt.date, dt.date]:
    """The last ``n`` days/weeks/months/years, today included."""
    if unit in ("day", "week"):
        try:
            return today - dt.timedelta(days=n - 1 if unit == "day" else 7 * n - 1), today
        except OverflowError:  # (as below)
            return dt.date.min, today
    months = n if unit == "month" else 12 * n
    try:
        return _add_months(today, -months) + dt.timedelta(days=1), today
    except (ValueError, OverflowError):  # (further back than the calendar's first day: from that day)
        return dt.date.min, today


class _Parser:
    def __init__(self, toks: Sequence[_Tok], today: dt.date, *, wide: bool = False) -> None:
        self.t = toks
        self.today = today
        self.wide = wide  # (see _year)

    def _year(self, text: str) -> int | None:
        return _year(text, wide=self.wide)

    def word(self, i: int) -> str:
        return self.t[i].text if i < len(self.t) else ""

    def _year_suffix(self, i: int) -> int:
        """Skip ``року``/``році``/``р.`` after a year."""
        w = self.word(i)
        return i + 1 if w in _YEAR_WORDS or w.rstrip(".") in _YEAR_WORDS else i

    def _years_back(self, i: int) -> tuple[int, int] | None:
        """A year named relative to today at token ``i`` (``торік``, ``минулого року``,
        ``цього року``, ``у минулому році``): how many years back, and the next token."""
        w, w1, w2 = self.word(i), self.word(i + 1), self.word(i + 2)
        if w in ("торік", "минулоріч"):
            return 1, i + 1
        if w == "цьогоріч":
            return 0, i + 1
        if (w in _THIS or w in _LAST) and w1 == "року":
            return int(w in _LAST), i + 2
        if w in _IN | {"на"} and (w1 in _THIS or w1 in _LAST) and w2 == "році":
            return int(w1 in _LAST), i + 3
        return None

    def _month_in(self, i: int) -> tuple[int, int] | None:
        """A month named without its year at token ``i`` (``у листопаді``, ``листопад``):
        the month and the next token."""
        w, w1 = self.word(i), self.word(i + 1)
        if w in _IN and w1 in _LOC:
            return _LOC[w1], i + 2
        if w in _NOM:
            return _NOM[w], i + 1
        return None

    def _month_of(self, month: int, back: int, nxt: int) -> tuple[_Period, int]:
        year = self.today.year - back
        return _Period(dt.date(year, month, 1), _month_end(year, month), True), nxt

    def no_such_day_in_words(self, i: int) -> str | None:
        """The words at token ``i`` when they name, with its year, a day its month does not
        have (``31 квітня 2022``, ``29 лютого минулого року``), else ``None``: meant as a date,
        as 31.04.2022 is, so refused as one, by a query, a date option and an article's date
        alike (without a year, ``30 лютого`` may be words of a title)."""
        w, w1, w2 = self.word(i), self.word(i + 1), self.word(i + 2)
        rel = self._years_back(i + 2)
        if (w.isdigit() and len(w) <= 2 and w1 in _GEN and (_year(w2) is not None or rel is not None)
                and self.period(i) is None):
            return " ".join(self.word(k) for k in range(i, rel[1] if rel is not None else i + 3))
        return None

    def period(self, i: int) -> tuple[_Period, int] | None:
        """A date or a span named at token ``i``; returns it and the next token index."""
        try:
            return self._period(i)
        except ValueError:  # 31.02.2022 and the like: not a date
            return None
        except OverflowError:  # (a day off the calendar: вчора on 0001-01-01, цього тижня in 9999's last week)
            return None

    def _period(self, i: int) -> tuple[_Period, int] | None:
        """The period named at token ``i`` and the token after it, tried in order: a
        numeric date, a day, a period relative to today, the last N days, a month, a year."""
        if not self.word(i):
            return None
        for named in (self._numeric, self._day, self._relative_to_today, self._last, self._month, self._year_named):
            if (found := named(i)) is not None:
                return found
        return None

    def _numeric(self, i: int) -> tuple[_Period, int] | None:
        """``2022-02-24``, ``24.02.2022``, ``2022-02``, ``02.2022``."""
        w = self.word(i)
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", w):
            d = dt.date(int(m[1]), int(m[2]), int(m[3]))
            return _Period(d, d, True), i + 1
        if m := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", w):
            d = dt.date(int(m[3]), int(m[2]), int(m[1]))
            return _Period(d, d, True), i + 1
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})|(\d{1,2})\.(\d{4})", w):
            year, month = (int(m[1]), int(m[2])) if m[1] else (int(m[4]), int(m[3]))
            return _Period(dt.date(year, month, 1), _month_end(year, month), True), i + 1
        return None

    def _day(self, i: int) -> tuple[_Period, int] | None:
        """``сьогодні``, ``вчора``, ``позавчора``; ``24 лютого [2022 року | минулого року]``."""
        w, w1, w2, today = self.word(i), self.word(i + 1), self.word(i + 2), self.today
        year: int | None
        if w == "сьогодні":
            return _Period(today, today, True), i + 1
        if w in ("вчора", "учора"):
            d = today - dt.timedelta(days=1)
            return _Period(d, d, True), i + 1
        if w == "позавчора":
            d = today - dt.timedelta(days=2)
            return _Period(d, d, True), i + 1
        if w.isdigit() and len(w) <= 2 and w1 in _GEN:  # 24 лютого [2022 року]
            year = self._year(w2)
            if year is not None:
                d = dt.date(year, _GEN[w1], int(w))
                return _Period(d, d, False), self._year_suffix(i + 3)
            if (rel := self._years_back(i + 2)) is not None:  # 24 лютого минулого року
                d = dt.date(today.year - rel[0], _GEN[w1], int(w))
                return _Period(d, d, True), rel[1]
            d = dt.date(_last_month_named(_GEN[w1], today), _GEN[w1], int(w))
            return _Period(d, d, False), i + 2
        return None

    def _relative_to_today(self, i: int) -> tuple[_Period, int] | None:
        """A month of a year named relative to today (``торік у листопаді``, ``минулого року в
        листопаді``, as one phrase: the year and "у листопаді" apart narrow to no day), and
        calendar periods relative to today (``торік``, ``цього тижня``, ``у минулому місяці``)."""
        w, w1, w2, today = self.word(i), self.word(i + 1), self.word(i + 2), self.today
        if (rel := self._years_back(i)) is not None and (named := self._month_in(rel[1])) is not None:
            return self._month_of(named[0], rel[0], named[1])
        # calendar periods relative to today
        if w in ("торік", "минулоріч"):
            return _Period(*_relative("year", 1, today), True), i + 1
        if w == "цьогоріч":
            return _Period(*_relative("year", 0, today), True), i + 1
        if (w in _THIS or w in _LAST) and w1 in _PERIOD_GEN:
            return _Period(*_relative(_PERIOD_GEN[w1], int(w in _LAST), today), True), i + 2
        if w in _IN | {"на"} and (w1 in _THIS or w1 in _LAST) and w2 in _PERIOD_LOC:
            return _Period(*_relative(_PERIOD_LOC[w2], int(w1 in _LAST), today), True), i + 3
        return None

    def _last(self, i: int) -> tuple[_Period, int] | None:
        """The last N days: ``останні 7 днів``, ``за останній місяць``."""
        w, today = self.word(i), self.today
        j = i + 1 if w == "за" else i
        if self.word(j) in ("останній", "останню", "останні"):
            n, k = 1, j + 1
            if self.word(k).isdigit():
                n, k = int(self.word(k)), k + 1
            unit = _UNITS.get(self.word(k))
            if unit and n == 0:  # (no day: refused where it stands alone, as a span past the calendar is)
                raise _Beyond(k + 1, f"no day is in the last 0 {unit}s")
            if unit:  # (further back than the calendar: from its first day, as for years)
                return _Period(*_span_back(unit, n, today), True), k + 1
        return None

    def _month(self, i: int) -> tuple[_Period, int] | None:
        """``у березні [2022 року | минулого року]``, ``березень 2022``, ``(з) березня 2022 року``."""
        w, w1, w2, today = self.word(i), self.word(i + 1), self.word(i + 2), self.today
        year: int | None
        if w in _IN and w1 in _LOC:  # у березні [2022 року]
            month = _LOC[w1]
            year = self._year(w2)
            if year is None and (rel := self._years_back(i + 2)) is not None:  # у листопаді минулого року
                return self._month_of(month, rel[0], rel[1])
            if year is None:
                year = _last_month_named(month, today)
                return _Period(dt.date(year, month, 1), _month_end(year, month), True), i + 2
            return _Period(dt.date(year, month, 1), _month_end(year, month), True), self._year_suffix(i + 3)
        if w in _NOM or w in _GEN:  # березень 2022, (з) березня 2022 року
            month = _NOM.get(w) or _GEN[w]
            year = self._year(w1)
            if year is not None:
                return _Period(dt.date(year, month, 1), _month_end(year, month), w in _NOM), self._year_suffix(i + 2)
            if (rel := self._years_back(i + 1)) is not None:  # листопад минулого року
                return self._month_of(month, rel[0], rel[1])
            if w in _NOM:
                year = _last_month_named(month, today)
                return _Period(dt.date(year, month, 1), _month_end(year, month), False), i + 1
            return None
        return None

    def _year_named(self, i: int) -> tuple[_Period, int] | None:
        """``у 2021 році``, ``у 2014–2015 роках``, ``за 2021 рік``; ``2021 року``, and a bare
        ``2021`` only where a date is expected."""
        w, w1, w2 = self.word(i), self.word(i + 1), self.word(i + 2)
        if w in _IN and (year := self._year(w1)) is not None:  # у 2021 році, у 2014–2015 роках
            if w2 in _DASHES and (end := self._year(self.word(i + 3))) is not None:
                nxt = i + 4 + (self.word(i + 4).rstrip(".") in ("роках", "рр", "роки"))
                return _Period(dt.date(year, 1, 1), dt.date(end, 12, 31), True), nxt
            return _Period(dt.date(year, 1, 1), dt.date(year, 12, 31), True), self._year_suffix(i + 2)
        if w == "за" and (year := self._year(w1)) is not None and w2 == "рік":  # за 2021 рік
            return _Period(dt.date(year, 1, 1), dt.date(year, 12, 31), True), i + 3
        if (year := self._year(w)) is not None:  # 2021 року; a bare 2021 only where a date is expected
            return _Period(dt.date(year, 1, 1), dt.date(year, 12, 31), False), self._year_suffix(i + 1)
        return None

    def _start_without_year(self, i: int) -> tuple[int | None, int | None, int] | None:
        """The first end of a range written without its year at token ``i`` (``1 березня``,
        ``березня``, ``1``), right before the ``по``/``до`` of its last end: its day and month
        (``None`` where the last end is to give them) and the token of that ``по``."""
        w, w1 = self.word(i), self.word(i + 1)
        day: int | None = None
        month: int | None = None
        if w.isdigit() and len(w) <= 2:
            day, nxt = int(w), i + 1
            if w1 in _GEN:
                month, nxt = _GEN[w1], i + 2
        elif w in _GEN or w in _NOM:
            month, nxt = _GEN.get(w) or _NOM[w], i + 1
        else:
            return None
        return (day, month, nxt) if self.word(nxt) in _TO_INCL else None

    def _range_sharing_its_year(self, i: int) -> tuple[DateRange, int] | None:
        """A range whose first end, at token ``i``, takes the year (and the month) its last
        end names, as Ukrainian writes a range and a reader reads it: ``з 1 березня по 31
        травня 2022``, ``з березня по травень 2022``, ``з 1 по 15 березня 2022`` (the first
        end was this year's, and the range refused, or words the hits had to hold). It starts
        the year before where its month comes after the last end's (``з 1 грудня по 31 січня
        2022``); in the same month its day after the last end's is a range typed backwards
        (``з 15 січня по 10 січня 2022``, as ``з 15 по 10 січня 2022``), refused as any is, not
        a year long."""
        start = self._start_without_year(i)
        if start is None:
            return None
        day, month, to = start
        got = self.period(to + 1)
        # (a day alone borrows a month only from one day: ``з 1 по 15 березня``, not ``з 1 до 2022``)
        if got is None or month is None and got[0].first != got[0].last:
            return None
        end, nxt = got
        month_meant, day_meant = month or end.first.month, 1 if day is None else day
        year = end.first.year
        if month is not None and (year, month_meant) > (end.last.year, end.last.month):
            year -= 1  # (the year before)
        try:
            first = dt.date(year, month_meant, day_meant)
        except ValueError:
            # a day its month does not have (``з 31 квітня по 1 травня 2022``, ``з 0 по 1
            # березня 2022``): meant as a date, as ``31 квітня 2022`` is, so refused (the day
            # 0 was read as the 1st, and a day past the month's end left the start as words);
            # a number no month has days to (``з 50 по 1 березня``) is not this kind of range
            if day is not None and day <= 31:
                raise NotADate(" ".join(self.word(k) for k in range(i - 1, nxt)),
                               f"no such day ({day:02}.{month_meant:02}.{year:04})") from None
            return None
        return DateRange(first, end.last), nxt

    def phrase(self, i: int, *, loose: bool) -> tuple[DateRange, int] | None:
        """A date phrase at token ``i``: a period, a range, or an open-ended span.
        ``loose`` accepts periods that inside a query might be words (``2014``)."""
        w = self.word(i)
        if w in _FROM or w == "після" or w in _TO_INCL or w == "перед":
            j = i + 1
            if w == "починаючи":
                if self.word(j) not in ("з", "із", "зі", "від"):
                    return None
                j += 1
            if w in _FROM and (shared := self._range_sharing_its_year(j)) is not None:
                return shared
            got = self.period(j)
            if got is None:
                return None
            p, j = got
            # (after the calendar's last day, or before its first, no day is: refused where
            # it stands alone, as a range typed backwards is)
            if w == "після":
                if p.last == dt.date.max:
                    raise _Beyond(j, f"no day is after {p.last}, the calendar's last")
                return DateRange(p.last + dt.timedelta(days=1), None), j
            if w in ("до", "перед"):
                if p.first == dt.date.min:
                    raise _Beyond(j, f"no day is before {p.first}, the calendar's first")
                return DateRange(None, p.first - dt.timedelta(days=1)), j
            if w == "по":
                return DateRange(None, p.last), j
            if self.word(j) in _TO_INCL:
                got2 = self.period(j + 1)
                if got2 is not None:
                    return DateRange(p.first, got2[0].last), got2[1]
            return DateRange(p.first, None), j
        got = self.period(i)
        if got is None:
            return None
        p, j = got
        if self.word(j) in _DASHES:  # 24.02.2022 – 01.03.2022
            got2 = self.period(j + 1)
            if got2 is not None and (loose or (p.strict and got2[0].strict)):
                return DateRange(p.first, got2[0].last), got2[1]
        if not (p.strict or loose):
            return None
        return DateRange(p.first, p.last), j


def _tokens(text: str) -> list[_Tok]:
    return [_Tok(normalize_word(g) if g[0].isalpha() else g.lower(), m.start(), m.end())
            for m in _TOK.finditer(text) for g in (m.group(),)]


def parse_period(text: str, *, today: dt.date) -> DateRange:
    """The range a whole date phrase names (for ``--since``/``--until``).

    >>> parse_period("у березні 2022", today=dt.date(2025, 1, 1))
    DateRange(since=datetime.date(2022, 3, 1), until=datetime.date(2022, 3, 31), phrase='у березні 2022')
    """
    toks = _tokens(text)
    try:
        got = _Parser(toks, today, wide=True).phrase(0, loose=True) if toks else None
    except _Beyond as e:
        if e.end != len(toks):
            raise ValueError(f"cannot read {echoed(text)} as a date: {ACCEPTED}") from None
        raise BeyondCalendar(text.strip(), e.why) from None
    if got is None or got[1] != len(toks):
        if why := no_such_date(text.strip()):
            raise NotADate(text.strip(), why)
        if toks and (no_day := _Parser(toks, today, wide=True).no_such_day_in_words(0)) is not None:
            raise NotADate(no_day)
        if text.strip() == "0000":  # (a year alone, as ``--since 0000-01`` is refused: not "cannot read")
            raise NotADate(text.strip(), NO_YEAR_0)
        raise ValueError(f"cannot read {echoed(text)} as a date: {ACCEPTED}")
    r = got[0]
    if _both_ends([t.text for t in toks]) and (why := empty_span(r.since, r.until)):
        raise ReversedRange(text.strip(), why)
    return DateRange(r.since, r.until, text.strip())


def bound(text: str, *, end: bool = False, today: dt.date) -> dt.date:
    """The first day (``end``: the last day) that ``text`` names: one grammar for
    ``--since``/``--until``, the library's ``since=``/``until=`` and the TUI's filters.

    >>> bound("2016", end=True, today=dt.date(2025, 1, 1))
    datetime.date(2016, 12, 31)
    """
    s = text.strip()
    day = iso_day(s)
    if day is not None:
        return day
    return until_date(s, today=today) if end else since_date(s, today=today)


def empty_span(since: dt.date | None, until: dt.date | None) -> str | None:
    """Why no day is in the range from ``since`` to ``until`` (``since`` after ``until``),
    or ``None``: one rule for ``--since``/``--until`` and the library's ``since=``/``until=``.

    >>> empty_span(dt.date(2016, 1, 1), dt.date(2015, 12, 31))
    'no day is in the range: it starts on 2016-01-01, after it ends on 2015-12-31'
    """
    if since is not None and until is not None and since > until:
        return f"no day is in the range: it starts on {since}, after it ends on {until}"
    return None


#: What may follow the ten characters of an ISO day: a time (``T05:00``, `` 05:00``), checked
#: whole, or a time zone alone (``Z``, ``+02:00``, as XML writes a date).
_TIME_AFTER = re.compile(r"[T ]\d")
_ZONE_AFTER = re.compile(r"(?:Z|[+-]\d\d(?::?\d\d)?)\Z")
_WEEK = re.compile(r"\d{4}-?W\d\d(?!-?\d)")  # an ISO week with no day of it (``2022-W08``)


def iso_day(text: str) -> dt.date | None:
    """The day of an ISO date or timestamp (``2022-02-24T05:00:00+02:00``), ``None`` when
    ``text`` is not one: a day followed by more than a time or a zone is a phrase (``2016-01-01 –
    2016-02-01`` was 2016-01-01, its end dropped unsaid), the figures alone (``20160101``)
    are no day; ``ValueError`` for a timestamp whose time is not a time
    (``2022-02-24T25:99``, a broken export)."""
    s = text.strip()
    if _WEEK.match(s):  # (Python reads a week as its Monday: a week is seven days, as a month is many)
        return None
    try:
        day = dt.date.fromisoformat(s[:10])
    except ValueError:
        return None
    if len(s) < 10:  # (Python reads ``20160101`` as a day too)
        return None
    if len(s) == 10 or _ZONE_AFTER.match(s, 10):
        return day
    if not _TIME_AFTER.match(s, 10):
        return None
    try:
        dt.datetime.fromisoformat(s)
    except ValueError:
        raise ValueError(f"bad date {echoed(text)}: the time after the day is not a time") from None
    return day


def _one_end(text: str, today: dt.date) -> DateRange:
    """The period ``text`` names, to be one end of a range: a range named by both its
    ends (``з 2016 по 2017``) is refused, as half of it would be dropped unsaid."""
    r = parse_period(text, today=today)
    if _both_ends([t.text for t in _tokens(text)]):
        raise ValueError(f"{echoed(text.strip())} is a range, not one date: give its first day and its last as "
                         f"the two bounds ({SINCE_UNTIL(str(r.since), str(r.until))})")
    return r


def since_date(text: str, *, today: dt.date) -> dt.date:
    """The first day ``--since TEXT`` means (``--since 2022`` is 2022-01-01)."""
    r = _one_end(text, today)
    if r.since is None:
        raise ValueError(f"{echoed(text)} has no first day")
    return r.since


def until_date(text: str, *, today: dt.date) -> dt.date:
    """The last day ``--until TEXT`` means (``--until 2022`` is 2022-12-31)."""
    r = _one_end(text, today)
    if r.until is None:
        raise ValueError(f"{echoed(text)} has no last day")
    return r.until


#: A day or a month in figures (``24.02.2022``, ``2022-03``, ``03.2022``)
_IN_FIGURES = re.compile(r"\d{4}-\d{1,2}(?:-\d{1,2})?|\d{1,2}\.(?:\d{1,2}\.)?\d{4}")


def always_filters(phrase: str) -> bool:
    """Whether the date phrase a query holds is meant as dates even when they hold no
    match: a day or month in figures (``24.02.2022``, ``2022-03``) or a range with both
    its ends (``з березня 2022 до травня 2022``, ``24.02.2022 – 01.03.2022``). Other date
    words (``вчора``, ``у березні 2022``) may be words of what is sought.

    >>> always_filters("2022-03"), always_filters("з березня 2022 до травня 2022"), always_filters("вчора")
    (True, True, False)
    """
    words = [t.text for t in _tokens(phrase)]
    if any(_IN_FIGURES.fullmatch(w) for w in words):
        return True
    start = next((i for i, w in enumerate(words) if w in _FROM), None)
    return start is not None and any(w in _TO_INCL or w in _DASHES for w in words[start + 1:])


#: ``OR`` (or ``or``) as an operator: a word of its own
_OR_WORD = re.compile(r"(?<![^\s(])(?:OR|or)(?![^\s)])")


class _Brackets:
    """How deep in brackets each character of a query stands, and whether its top level is
    an OR, read once per query (quoted text holds no syntax): a filter holds for the whole
    query, so a date in brackets or beside such an OR cannot serve one side of it
    (``(мова у березні 2016) OR (школа у квітні 2017)`` filtered both to April 2017)."""

    def __init__(self, query: str, quoted: bytearray) -> None:
        depth = 0
        self.depths = [0] * len(query)
        top = []
        for i, c in enumerate(query):
            self.depths[i] = depth
            if quoted[i]:
                top.append(" ")
                continue
            if c == "(":
                depth += 1
            elif c == ")":
                depth = max(0, depth - 1)
            top.append(c if depth == 0 and c != ")" else " ")
        self.top_or = bool(_OR_WORD.search("".join(top)))

    def grouped(self, start: int) -> bool:
        """Whether a date phrase starting at ``start`` is no filter (see the class)."""
        return self.depths[start] > 0 or self.top_or


def find_dates(query: str, *, today: dt.date) -> tuple[str, DateRange | None]:
    """Date phrases in a query: the query without them, and the range they name together
    (several phrases narrow each other down). Quoted phrases are left alone.

    >>> find_dates('"вчора і сьогодні" концерт', today=dt.date(2025, 3, 12))
    ('"вчора і сьогодні" концерт', None)
    """
    text, found, _ = scan_dates(query, today=today)
    return text, found


def scan_dates(query: str, *, today: dt.date) -> tuple[str, DateRange | None, tuple[str, ...]]:
    """:func:`find_dates`, and the date phrases left as words because they stand in
    brackets or in a query whose top level is an OR (see :class:`_Brackets`)."""
    quoted = bytearray(len(query))  # 1 for each character inside quotes
    for m in _QUOTED.finditer(straight_quotes(query)):  # (what the query's parser reads as quoted)
        quoted[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    brackets: _Brackets | None = None  # read at the first date phrase
    grouped: list[str] = []
    toks = [t for t in _tokens(query) if not quoted[t.start]]
    parser = _Parser(toks, today)
    found: list[tuple[int, int]] = []
    since: dt.date | None = None
    until: dt.date | None = None
    i = 0
    while i < len(toks):
        # (``сезон 2009-10`` names the season: words, as ``2012-13`` always is)
        seasonal = i > 0 and _SEASON_WORDS.fullmatch(toks[i - 1].text) and _season(toks[i].text) is not None
        beyond = None
        try:
            got = None if seasonal else parser.phrase(i, loose=False)
        except _Beyond as e:
            got, beyond = (DateRange(None, None), e.end), e
        if got is not None:
            r, j = got
            start, end = toks[i].start, toks[j - 1].end
            # standing alone, with no query words inside the span (the tokens skipped
            # quotes, not syntax)
            standalone = (start == 0 or query[start - 1] in _BEFORE_OK) and (
                end == len(query) or query[end] in _AFTER_OK) and not any(c in query[start:end] for c in ':"*~()')
            if standalone and beyond is not None:
                raise BeyondCalendar(" ".join(query[start:end].split()), beyond.why)
            if beyond is not None:  # (glued to query syntax: words)
                i += 1
                continue
            if standalone and _both_ends([t.text for t in toks[i:j]]) and (why := empty_span(r.since, r.until)):
                raise ReversedRange(" ".join(query[start:end].split()), why)
            if standalone and brackets is None:
                brackets = _Brackets(query, quoted)
            if standalone and (_operand(query, start, end) or brackets is not None and brackets.grouped(start)):
                grouped.append(" ".join(query[start:end].split()))
                i = j
                continue
            if standalone:
                found.append((start, end))
                if r.since is not None:
                    since = r.since if since is None else max(since, r.since)
                if r.until is not None:
                    until = r.until if until is None else min(until, r.until)
                i = j
                continue
        if why := no_such_date(toks[i].text):
            raise NotADate(toks[i].text, why)
        if (no_day := parser.no_such_day_in_words(i)) is not None:
            raise NotADate(no_day)
        i += 1
    if not found:
        return query, None, tuple(grouped)
    rest, pos = [], 0
    for a, b in found:
        rest.append(query[pos:a])
        pos = b
    rest.append(query[pos:])
    phrase = " ".join(" ".join(query[a:b].split()) for a, b in found)
    return " ".join("".join(rest).split()), DateRange(since, until, phrase), tuple(grouped)
