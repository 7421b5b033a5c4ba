"""What a caller asked, as the engine will run it: the query text cleaned and parsed, its
date phrases taken out as a date range (narrowed by ``since``/``until``), the lexicon's
synonyms added, and the index's filter arguments; then the plan of the search
(:mod:`searchkit.query.understand`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..advice import SINCE, UNTIL
from ..errors import QueryError
from ..models import DateRange
from ..store.formats import parse_date
from ..text import dates
from ..text.analysis import Analyzer
from .parse import ParsedQuery, parse_query
from .synonyms import Synonyms, SynonymUse
from .understand import Plan, plan_search

if TYPE_CHECKING:  # pragma: no cover
    from ..backends.base import Index

__all__ = ["CALENDAR_HINT", "Understood", "date_bounds", "filters_of", "plan", "understand"]


@dataclass(frozen=True, slots=True)
class Understood:
    """A query as the engine will run it: dates taken out (``typed``), synonyms added
    (``parsed``)."""

    typed: ParsedQuery
    parsed: ParsedQuery
    date_range: DateRange | None
    synonyms: tuple[SynonymUse, ...]
    #: the query's own words gave the date range and may be words of what is sought
    #: (``обстріли вчора``), not since/until, nor dates in figures or a range with both ends
    #: (:func:`dates.always_filters`)
    dated_words: bool = False
    #: the date words, when they are searched as words: no correction changes them
    #: (``вчора`` is no ``вечора``)
    keep: str = ""


#: What to give instead of a day or month that no calendar has (``31.02.2022``, ``2016-13``).
CALENDAR_HINT = "give a day and month the calendar has (2016-12, 28.02.2022)"


def date_bounds(since: dt.date | str | None, until: dt.date | str | None, today: dt.date | None = None, *,
                names: tuple[str, str] = ("since", "until")) -> tuple[dt.date | None, dt.date | None]:
    """The first day ``since`` names and the last day ``until`` names (a date,
    ``YYYY-MM-DD`` or a Ukrainian date phrase, :func:`dates.bound`): the one rule of the
    library's ``since=``/``until=``, the CLI's ``--since``/``--until`` and the TUI's filters.

    Refuses a value the grammar cannot read and a since after the until with a
    :class:`QueryError` whose ``field`` is the one at fault (``since`` for a range that
    holds no day). ``names``: how the caller's user knows the two (``--since``), in the
    message and the hint; an empty string is a value too (not "no bound").
    """
    if today is not None and not isinstance(today, dt.date):
        raise TypeError(f"today must be a datetime.date or None, not {type(today).__name__}")
    today = _day_of(today) or dt.date.today()
    days: list[dt.date | None] = []
    for field, name, value in (("since", names[0], since), ("until", names[1], until)):
        if value is None or isinstance(value, dt.date):
            days.append(_day_of(value))
            continue
        if not isinstance(value, str):  # (``5`` was an AttributeError: 'int' object has no attribute 'strip')
            raise TypeError(f"{name} must be a datetime.date, a str or None, not {type(value).__name__}")
        try:
            days.append(dates.bound(value, end=field == "until", today=today))
        except dates.NotADate as e:  # read, but no calendar has it
            raise QueryError(f"{name}: {e}", hint=CALENDAR_HINT, field=field) from None
        except ValueError as e:
            raise QueryError(f"{name}: {e}", field=field) from None
    first, last = days
    if why := dates.empty_span(first, last):
        raise QueryError(f"{names[0]} and {names[1]}: {why}", hint=f"give a {names[0]} on or before the {names[1]}",
                         field="since")
    return first, last


def _day_of(value: dt.date | None) -> dt.date | None:
    """A date as the day it is: a ``datetime`` is read as its own day, as it was given
    (naive or aware, no time zone converted), not kept with its time of day."""
    return value.date() if isinstance(value, dt.datetime) else value


def _one_day(value: str) -> bool:
    """Whether ``value`` (a ``--since``/``--until`` as typed) is one day written as an
    article's date may be (``2016-06-01``, ``1.6.2016``, ``24 лютого 2016``): the date
    range shown adds the others as typed (``--since 2016``, a span or a phrase), beside the
    days they were read as."""
    try:
        parse_date(value)
    except ValueError:
        return False
    return True


def _date_int(d: dt.date | None) -> int | None:
    return int(d.strftime("%Y%m%d")) if d else None


def filters_of(rng: DateRange | None, source: str | None) -> dict[str, Any]:
    """The index's filter arguments for a date range and a source (as stored sources are:
    without the spaces around it; a blank one was refused where it came in)."""
    return {"since": _date_int(rng.since) if rng else None, "until": _date_int(rng.until) if rng else None,
            "source": source.strip() or None if source is not None else None}


def understand(query: str, since: dt.date | str | None, until: dt.date | str | None, today: dt.date | None,
               find_dates: bool, synonyms: Synonyms) -> Understood:
    """Parse ``query`` (checked and cleaned: :meth:`searchkit.answers.search.Searcher.accept`);
    take its date phrases out as a date range (narrowed by ``since``/``until``) and add
    the lexicon's synonyms."""
    today = today or dt.date.today()
    d_since, d_until = date_bounds(since, until, today)
    flags = None
    if d_since or d_until:
        words = [f"--{n} {v}" for n, v in (("since", since), ("until", until))
                 if isinstance(v, str) and not _one_day(v)]
        flags = DateRange(d_since, d_until, "; ".join(words))
    try:
        text, found, grouped = (dates.scan_dates(query, today=today) if find_dates else (query, None, ()))
    except (dates.NotADate, dates.BeyondCalendar) as e:
        hint = f'quote it ("{e.text}") to search it as written'
        raise QueryError(str(e), hint=hint) from None
    except dates.ReversedRange as e:  # (as since after until is, above)
        hint = f'put the earlier date first, or quote the dates ("{e.text}") to search them as written'
        raise QueryError(str(e), hint=hint) from None
    parsed = None
    keep = ""
    if found is not None:
        try:
            parsed = parse_query(text)
        except QueryError:
            # only dates and no words: the words as typed, uncorrected (``вчора`` is no
            # ``вечора``); a search for every article of a day would list it unranked
            keep, found = found.phrase, None
            as_typed = parse_query(query)
            parsed = dataclasses.replace(as_typed, warnings=(*as_typed.warnings, (
                "a query of dates alone is searched as words; to list the articles of those days, add a word "
                f"or use {SINCE}/{UNTIL}")))
    if parsed is None:
        parsed = parse_query(query)
    seasons = [note for note in (dates.season_note(v) for v in (found.phrase if found else None, since, until)
                                 if isinstance(v, str)) if note]
    if seasons:  # (once: a month typed in the query and again as an option is one slip)
        parsed = dataclasses.replace(parsed, warnings=(*parsed.warnings, *dict.fromkeys(seasons)))
    if grouped:
        parsed = dataclasses.replace(parsed, warnings=(*parsed.warnings, (
            f"searched {', '.join(repr(p) for p in grouped)} as words: a date filters the whole query, so one "
            f"in brackets or beside OR, AND or NOT is a word; write it outside them, or use {SINCE}/{UNTIL}")))
    date_range = found.narrow(flags) if found and flags else found or flags
    expanded, uses = synonyms.expand(parsed)
    return Understood(parsed, expanded, date_range, uses, found is not None and not dates.always_filters(found.phrase),
                      keep=keep)


def understood_as(text: str, date_range: DateRange | None, synonyms: Synonyms) -> Understood:
    """A query the plan put in place of the one typed (its spelling correction), with the
    typed query's dates."""
    typed = parse_query(text)
    parsed, uses = synonyms.expand(typed)
    return Understood(typed, parsed, date_range, uses)


def plan(index: Index, analyzer: Analyzer, u: Understood, synonyms: Synonyms, *, exact: bool,
         filters: dict[str, Any], partial: bool = False, keep: str = "") -> Plan:
    """The query to run: as understood, or its spelling correction when it finds nothing
    (see :mod:`searchkit.query.understand`); corrections keep the synonyms and leave the
    words of ``keep`` (date words searched as words) as typed."""

    def expand(parsed: ParsedQuery) -> ParsedQuery:
        return synonyms.expand(parsed)[0]

    return plan_search(index, analyzer, u.typed, exact=exact, expand=expand, partial=partial,
                       keep=frozenset(keep.lower().split()), **filters)
