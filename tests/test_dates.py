import datetime as dt
import json
import re

import pytest
from click.testing import CliRunner

from searchkit import Engine
from searchkit.advice import in_command_words
from searchkit.cli import main
from searchkit.errors import QueryError
from searchkit.models import DateRange
from searchkit.query.parse import Phrase, parse_query
from searchkit.store.fields import parse_date
from searchkit.text.dates import (
    BeyondCalendar,
    NotADate,
    ReversedRange,
    bound,
    find_dates,
    parse_period,
    since_date,
    until_date,
)

from .conftest import imported, write_jsonl

TODAY = dt.date(2025, 3, 12)  # a Wednesday
D = dt.date


@pytest.mark.parametrize("query, rest, since, until", [
    ("обстріли вчора", "обстріли", D(2025, 3, 11), D(2025, 3, 11)),
    ("учора", "", D(2025, 3, 11), D(2025, 3, 11)),
    ("сьогодні Київ", "Київ", TODAY, TODAY),
    ("позавчора", "", D(2025, 3, 10), D(2025, 3, 10)),
    ("минулого тижня Харків", "Харків", D(2025, 3, 3), D(2025, 3, 9)),
    ("на минулому тижні", "", D(2025, 3, 3), D(2025, 3, 9)),
    ("цього тижня", "", D(2025, 3, 10), D(2025, 3, 16)),
    ("цього місяця", "", D(2025, 3, 1), D(2025, 3, 31)),
    ("минулого місяця", "", D(2025, 2, 1), D(2025, 2, 28)),
    ("у минулому місяці", "", D(2025, 2, 1), D(2025, 2, 28)),
    ("торік", "", D(2024, 1, 1), D(2024, 12, 31)),
    ("цьогоріч", "", D(2025, 1, 1), D(2025, 12, 31)),
    ("минулого року", "", D(2024, 1, 1), D(2024, 12, 31)),
    ("за останні 10 днів", "", D(2025, 3, 3), TODAY),
    ("за останній тиждень", "", D(2025, 3, 6), TODAY),
    ("за останній місяць", "", D(2025, 2, 13), TODAY),
    ("вибори у березні 2022", "вибори", D(2022, 3, 1), D(2022, 3, 31)),
    ("в березні 2022 року", "", D(2022, 3, 1), D(2022, 3, 31)),
    ("у квітні", "", D(2024, 4, 1), D(2024, 4, 30)),  # the last April, not the coming one
    ("у березні", "", D(2025, 3, 1), D(2025, 3, 31)),
    # a month of a year named from today, either order (apart they narrowed to no day)
    ("Росія у листопаді минулого року", "Росія", D(2024, 11, 1), D(2024, 11, 30)),
    ("торік у листопаді Росія", "Росія", D(2024, 11, 1), D(2024, 11, 30)),
    ("минулого року в листопаді", "", D(2024, 11, 1), D(2024, 11, 30)),
    ("в минулому році у березні", "", D(2024, 3, 1), D(2024, 3, 31)),
    ("у квітні цього року", "", D(2025, 4, 1), D(2025, 4, 30)),
    ("листопад минулого року", "", D(2024, 11, 1), D(2024, 11, 30)),
    ("з листопада минулого року", "", D(2024, 11, 1), None),
    ("24 лютого минулого року", "", D(2024, 2, 24), D(2024, 2, 24)),
    ("березень 2022", "", D(2022, 3, 1), D(2022, 3, 31)),
    ("вибори в 2021 році", "вибори", D(2021, 1, 1), D(2021, 12, 31)),
    ("у 2019", "", D(2019, 1, 1), D(2019, 12, 31)),
    ("за 2020 рік", "", D(2020, 1, 1), D(2020, 12, 31)),
    ("АТО у 2014–2015 роках", "АТО", D(2014, 1, 1), D(2015, 12, 31)),
    ("з 24.02.2022 по 01.03.2022 обстріл", "обстріл", D(2022, 2, 24), D(2022, 3, 1)),
    ("24.02.2022 – 01.03.2022", "", D(2022, 2, 24), D(2022, 3, 1)),
    ("2022-02-24 вторгнення", "вторгнення", D(2022, 2, 24), D(2022, 2, 24)),
    ("24.02.2022", "", D(2022, 2, 24), D(2022, 2, 24)),
    ("2022-03", "", D(2022, 3, 1), D(2022, 3, 31)),
    ("з березня 2022 до травня 2022", "", D(2022, 3, 1), D(2022, 5, 31)),
    ("з 24 лютого 2022 року", "", D(2022, 2, 24), None),
    ("починаючи з 2020 року", "", D(2020, 1, 1), None),
    ("після 2020 року", "", D(2021, 1, 1), None),
    ("Крим до 2014 року", "Крим", None, D(2013, 12, 31)),
    ("по 2015 рік", "", None, D(2015, 12, 31)),
    # as the search reads its words: a stress mark, capitals, a Latin look-alike letter
    ("обстріли у тра\u0301вні 2022", "обстріли", D(2022, 5, 1), D(2022, 5, 31)),
    ("ОБСТРІЛИ У ТРА\u0301ВНІ 2022", "ОБСТРІЛИ", D(2022, 5, 1), D(2022, 5, 31)),
    ("з бeрeзня 2022", "", D(2022, 3, 1), None),
])
def test_date_phrase_in_query_becomes_a_range(query, rest, since, until):
    got_rest, rng = find_dates(query, today=TODAY)
    assert got_rest == rest
    assert rng is not None and (rng.since, rng.until) == (since, until)


@pytest.mark.parametrize("query, why", [
    ("мова після 31.12.9999", "no day is after 9999-12-31, the calendar's last"),
    ("мова після 12.9999", "no day is after 9999-12-31, the calendar's last"),
    ("мова перед 01.01.0001", "no day is before 0001-01-01, the calendar's first"),
    ("мова до 0001-01", "no day is before 0001-01-01, the calendar's first"),
])
def test_a_range_past_either_end_of_the_calendar_is_refused_in_the_query_and_the_options_alike(news, home, query,
                                                                                                 why):
    # (it was an empty range, shown backwards: 9999-12-31 – 9999-12-30, with a note)
    phrase = query.removeprefix("мова ")
    with pytest.raises(BeyondCalendar, match=re.escape(f"{phrase}: {why}")):
        find_dates(query, today=TODAY)
    assert find_dates(f'мова "{phrase}"', today=TODAY) == (f'мова "{phrase}"', None)  # quoted: words
    res = CliRunner().invoke(main, ["--home", str(home), "search", query])
    assert res.exit_code == 2 and res.stdout == "" and len(res.stderr.strip().splitlines()) == 1
    assert res.stderr.startswith(f"Error: {phrase}: {why} — quote it")
    for option in ("--since", "--until"):
        res = CliRunner().invoke(main, ["--home", str(home), "search", "мова", option, phrase])
        assert res.exit_code == 2 and res.stderr.strip() == f"Error: {option}: {phrase}: {why}"
    with pytest.raises(QueryError, match=re.escape(f"until: {phrase}: {why}")):
        news.search("мова", until=phrase)


@pytest.mark.parametrize("query, why", [
    ("мова за останні 0 днів", "no day is in the last 0 days"),
    ("мова за останні 0 тижнів", "no day is in the last 0 weeks"),
    ("мова останні 00 місяців", "no day is in the last 0 months"),
    ("мова за останні 0 років", "no day is in the last 0 years"),
])
def test_the_last_0_days_or_weeks_is_refused_in_the_query_and_the_options_as_a_span_past_the_calendar_is(
        news, home, query, why):
    # (it was searched as the words "0" and "днів", with no note, where "за останні 3 дні" filters)
    phrase = query.removeprefix("мова ")
    with pytest.raises(BeyondCalendar, match=re.escape(f"{phrase}: {why}")):
        find_dates(query, today=TODAY)
    assert find_dates(f'мова "{phrase}"', today=TODAY) == (f'мова "{phrase}"', None)  # quoted: words
    res = CliRunner().invoke(main, ["--home", str(home), "search", query])
    assert res.exit_code == 2 and res.stdout == ""
    assert res.stderr.strip() == f'Error: {phrase}: {why} — quote it ("{phrase}") to search it as written'
    res = CliRunner().invoke(main, ["--home", str(home), "search", "мова", "--since", phrase])
    assert res.exit_code == 2 and res.stderr.strip() == f"Error: --since: {phrase}: {why}"
    with pytest.raises(QueryError, match=re.escape(f"since: {phrase}: {why}")):
        news.search("мова", since=phrase)


@pytest.mark.parametrize("value, since, until", [
    ("9999", D(9999, 1, 1), D(9999, 12, 31)),  # (was refused, while 31.12.9999 was taken)
    ("0001", D(1, 1, 1), D(1, 12, 31)),
    ("0999", D(999, 1, 1), D(999, 12, 31)),
    ("3000", D(3000, 1, 1), D(3000, 12, 31)),
    ("31.12.9999", D(9999, 12, 31), D(9999, 12, 31)),
    ("0001-01-01", D(1, 1, 1), D(1, 1, 1)),
    ("у 9999 році", D(9999, 1, 1), D(9999, 12, 31)),
    ("за останні 10000 років", D(1, 1, 1), TODAY),  # (further back than the calendar: from its first day)
    ("за останні 10000 тижнів", TODAY - dt.timedelta(days=69_999), TODAY),
])
def test_a_date_option_takes_any_year_the_calendar_has_as_a_day_in_figures_does(value, since, until):
    assert (bound(value, today=TODAY), bound(value, end=True, today=TODAY)) == (since, until)


@pytest.mark.parametrize("query, since", [
    ("мова за останні 10001 днів", TODAY - dt.timedelta(days=10_000)),
    ("мова за останні 1000000 днів", D(1, 1, 1)),  # (further back than the calendar: from its first day)
    ("мова за останні 99999999999 тижнів", D(1, 1, 1)),
    ("мова за останні 99999999999999999999999 місяців", D(1, 1, 1)),
])
def test_the_last_n_days_weeks_or_months_past_ten_thousand_filter_as_the_last_n_years_do(query, since):
    # (past 10,000 the phrase was searched as words: no article held "10001", and a note
    # said to search without it)
    assert find_dates(query, today=TODAY) == ("мова", DateRange(since, TODAY, query.removeprefix("мова ")))


@pytest.mark.parametrize("query", ["ціна 3000", "з 3000 до 5000 гривень", "у 5000 році"])
def test_a_year_past_2999_in_a_query_stays_words_a_number_more_often_is(query):
    assert find_dates(query, today=TODAY) == (query, None)


@pytest.mark.parametrize("value", ["0000-01-01", "01.01.0000", "0000-05"])
def test_year_0_is_refused_as_no_date_in_the_query_and_the_options(home, value):
    with pytest.raises(NotADate, match="is not a date: no year 0: the calendar starts on 0001-01-01"):
        find_dates(f"мова {value}", today=TODAY)
    res = CliRunner().invoke(main, ["--home", str(home), "search", "мова", "--since", value])
    assert res.exit_code == 2 and res.stderr.startswith(f"Error: --since: {value} is not a date: no year 0")


@pytest.mark.parametrize("quoted", [
    '"концерт вчора увечері"', "«концерт вчора увечері»", "„концерт вчора увечері“",
    "“концерт вчора увечері”", "”концерт вчора увечері”", "»концерт вчора увечері«",
])
def test_a_date_inside_any_quotes_the_parser_reads_as_a_phrase_stays_a_word(quoted):
    assert parse_query(f"{quoted} театр").root.items[0] == Phrase(("концерт", "вчора", "увечері"))
    assert find_dates(f"{quoted} театр", today=TODAY) == (f"{quoted} театр", None)


@pytest.mark.parametrize("query", ['пам"ятник вчора', "ПАМ\"ЯТНИК вчора", "пам”ятник вчора"])
def test_a_quote_typed_for_the_apostrophe_opens_no_phrase_so_the_date_after_it_filters(query):
    yesterday = D(2025, 3, 11)
    assert find_dates(query, today=TODAY) == (query.split()[0], DateRange(yesterday, yesterday, "вчора"))


@pytest.mark.parametrize("query", [
    "24 лютого",                  # the day of the invasion, not a filter
    "вторгнення 24 лютого 2022",  # an event the article is about
    "2014 року",
    "Євро 2020",
    "вересневі події",
    '"вчора і сьогодні" концерт',  # quoted: words
    "title:2022-03-01",
    "-вчора Київ",
    "березень",
    "футбол 30 лютого",  # no such day, but without a year it may be words of a title
    "обстріл (вчора OR сьогодні)",  # one side of an OR: as a filter, the OR would join nothing
    "обстріл OR вчора",
    "обстріл NOT вчора",
    "(мова у березні 2016) OR (школа у квітні 2017)",  # one filter cannot serve either side
    "школа OR мова у квітні 2017",
    "школа (каштани у квітні 2017)",
])
def test_words_that_may_name_an_event_stay_words(query):
    assert find_dates(query, today=TODAY) == (query, None)


@pytest.mark.parametrize("query", ["31.02.2022 звіт", "звіт з 31.02.2022 по 01.03.2022", "2022-13-01",
                                   "футбол 31 листопада минулого року", "футбол 30 лютого минулого року",
                                   "звіт з 31 квітня 2022", "29 лютого 2023 звіт"])
def test_a_day_in_figures_that_no_calendar_has_is_refused(query):
    # written in figures it means a date: searched as figures it found nothing and said nothing
    with pytest.raises(NotADate):
        find_dates(query, today=TODAY)
    assert find_dates(f'"{query}"', today=TODAY) == (f'"{query}"', None)  # quoted: the figures


@pytest.mark.parametrize("query, day", [("звіт з 0 по 1 березня 2022", "00.03.2022"),
                                        ("звіт з 31 квітня по 1 травня 2022", "31.04.2022"),
                                        ("звіт з 30 по 28 лютого 2024", "30.02.2024"),
                                        ("звіт з 29 лютого по 1 березня 2023", "29.02.2023")])
def test_a_range_whose_first_day_its_month_lacks_is_refused_as_that_day_with_its_year_is(query, day):
    # the day 0 was read as the 1st (`з 0 по 1 березня 2022`: 1 March alone), a day past its
    # month's end left the range '… – its end' and its first day words every hit had to hold
    with pytest.raises(NotADate, match=re.escape(f"is not a date: no such day ({day})")):
        find_dates(query, today=TODAY)
    assert find_dates(f'"{query}"', today=TODAY) == (f'"{query}"', None)  # quoted: the words


def test_a_range_from_the_29th_of_february_takes_the_leap_year_before_its_end():
    _, r = find_dates("звіт з 29 лютого по 31 січня 2025", today=TODAY)
    assert r is not None and (r.since, r.until) == (dt.date(2024, 2, 29), dt.date(2025, 1, 31))


@pytest.mark.parametrize("query", ["мова 2016-13", "2016-13 мова", "мова 2016-00", "мова 2016-0"])
def test_a_month_in_figures_that_no_calendar_has_is_refused_as_a_day_is(query):
    # (searched as figures, `мова 2016-13` said "search without 2016-13")
    with pytest.raises(NotADate, match="is not a date: no such month"):
        find_dates(query, today=TODAY)
    assert find_dates(f'"{query}"', today=TODAY) == (f'"{query}"', None)


def test_a_bad_month_is_no_such_month_in_an_imported_date_as_in_a_query(home, tmp_path):
    feed = write_jsonl(tmp_path / "bad.jsonl", [
        {"id": "g1", "text": "Школа відкрилася.", "date": "2024-01-13"},
        {"id": "g2", "text": "Школа закрилася.", "date": "2024-13-01"},
        {"id": "g3", "text": "Школа на канікулах.", "date": "31.02.2024"}])
    res = CliRunner().invoke(main, ["--home", str(home), "import", str(feed)])
    assert res.exit_code == 2
    assert "bad.jsonl:2: bad date '2024-13-01': no such month" in res.stderr
    assert "bad.jsonl:3: bad date '31.02.2024': no such day" in res.stderr  # the month is right: the day is not
    with pytest.raises(NotADate, match="2024-13-01 is not a date: no such month"):
        find_dates("школа 2024-13-01", today=TODAY)


def test_an_iso_week_is_no_day_of_an_article_but_a_day_of_the_week_is(home, tmp_path):
    # (Python reads 2022-W08 as its Monday: the article was dated a week, as 2022-02 is a month)
    feed = write_jsonl(tmp_path / "weeks.jsonl", [
        {"id": "w1", "text": "Школа відкрилася.", "date": "2022-W08"},
        {"id": "w2", "text": "Школа закрилася.", "date": "2022-W08-3"}])
    res = CliRunner().invoke(main, ["--home", str(home), "import", str(feed)])
    assert res.exit_code == 2 and "weeks.jsonl:1: bad date '2022-W08': expected one day" in res.stderr
    assert Engine(home).get("w2").date == dt.date(2022, 2, 23)


@pytest.mark.parametrize("query", ["Шахтар 2012-13", "реформи 1990-95", "сезон 1999-00", "коефіцієнт 0.2016",
                                   "ставка 13.2016"])
def test_figures_that_may_be_no_month_stay_words(query):
    # (a season, a span of years, a decimal: no month 13 or 95 was meant)
    assert find_dates(query, today=TODAY) == (query, None)


@pytest.mark.parametrize("query", ["Шахтар сезон 2009-10", "у сезоні 2010-11 Динамо", "сезону 2000-01"])
def test_a_season_after_the_word_season_stays_words_though_it_could_be_a_month(query):
    assert find_dates(query, today=TODAY) == (query, None)


SEASON_NOTE = ("2009-10 was read as October 2009 (year-month); for the 2009/10 season write its years "
               "(у 2009–2010 роках) or its days (з 01.09.2009 по 31.05.2010)")


def test_a_month_in_figures_that_could_be_a_season_is_the_month_and_a_note_says_how_to_write_the_season(news, home):
    # ISO's year-month, as documented and as a date option reads it; the note is for the
    # reader who meant the season 2009/10
    res = news.search("каштани 2009-10", today=TODAY)
    assert res.date_range == DateRange(D(2009, 10, 1), D(2009, 10, 31), "2009-10") and SEASON_NOTE in res.warnings
    assert SEASON_NOTE in news.search("каштани", since="2009-10", today=TODAY).warnings
    assert SEASON_NOTE in news.search("каштани 2009-10", until="2009-10", today=TODAY).warnings
    for plain in ("каштани 2009-11", "каштани з 2009-10 по 2010-05", "каштани у 2009–2010 роках"):
        assert not any("season" in w for w in news.search(plain, today=TODAY).warnings), plain
    r = CliRunner().invoke(main, ["--home", str(home), "search", "каштани 2009-10"])
    assert r.exit_code == 1 and f"Note: {SEASON_NOTE}" in r.stdout


@pytest.mark.parametrize("query, phrase", [
    ("мова з 31.03.2016 по 01.03.2016", "з 31.03.2016 по 01.03.2016"),
    ("з березня 2017 до лютого 2017 мова", "з березня 2017 до лютого 2017"),
    ("мова 2016-03 – 2016-01", "2016-03 – 2016-01"),
    ("АТО у 2015–2014 роках", "у 2015–2014 роках"),
    ("школа (мова з 2017 по 2016)", "з 2017 по 2016"),  # (as a day no calendar has is, wherever it stands)
])
def test_a_range_whose_end_is_before_its_start_is_refused_as_a_since_after_the_until_is(query, phrase):
    with pytest.raises(ReversedRange, match=re.escape(f"{phrase}: no day is in the range: it starts on ")):
        find_dates(query, today=TODAY)
    with pytest.raises(ValueError, match="no day is in the range"):  # (a flag given it too)
        parse_period(phrase, today=TODAY)
    assert find_dates(f'"{query}"', today=TODAY) == (f'"{query}"', None)  # quoted: words


@pytest.mark.parametrize("phrase", ["з 15 січня по 10 січня 2022", "від 20 березня до 2 березня 2022 року"])
def test_a_range_in_one_month_typed_backwards_with_its_year_once_is_refused_not_a_year_long(news, home, phrase):
    # (it was read as from the same day of the year before: 2021-01-15 – 2022-01-10)
    with pytest.raises(ReversedRange, match=re.escape(f"{phrase}: no day is in the range: it starts on 2022-")):
        find_dates(f"каштани {phrase}", today=TODAY)
    with pytest.raises(ValueError, match="no day is in the range"):
        parse_period(phrase, today=TODAY)
    res = CliRunner().invoke(main, ["--home", str(home), "search", f"каштани {phrase}"])
    assert res.exit_code == 2 and res.stderr.startswith(f"Error: {phrase}: no day is in the range")
    # (a month after the last end's still starts the year before, as a new year's range does)
    _, found = find_dates("з 20 грудня по 10 січня 2022", today=TODAY)
    assert found is not None and (found.since, found.until) == (D(2021, 12, 20), D(2022, 1, 10))


def test_several_date_phrases_narrow_each_other():
    rest, rng = find_dates("у 2022 році у березні 2022 обстріли", today=TODAY)
    assert rest == "обстріли"
    assert rng == DateRange(D(2022, 3, 1), D(2022, 3, 31), "у 2022 році у березні 2022")


@pytest.mark.parametrize("value, since, until", [
    ("2022", D(2022, 1, 1), D(2022, 12, 31)),
    ("2022 рік", D(2022, 1, 1), D(2022, 12, 31)),
    ("24 лютого 2022", D(2022, 2, 24), D(2022, 2, 24)),
    ("лютий 2022", D(2022, 2, 1), D(2022, 2, 28)),
    ("березень", D(2025, 3, 1), D(2025, 3, 31)),
    ("вчора", D(2025, 3, 11), D(2025, 3, 11)),
    ("минулого тижня", D(2025, 3, 3), D(2025, 3, 9)),
])
def test_flag_values_accept_bare_years_and_months(value, since, until):
    rng = parse_period(value, today=TODAY)
    assert (rng.since, rng.until) == (since, until)
    assert since_date(value, today=TODAY) == since and until_date(value, today=TODAY) == until


@pytest.mark.parametrize("value, since, until", [
    ("з 2020 по 2022", D(2020, 1, 1), D(2022, 12, 31)),
    ("у 2014–2015 роках", D(2014, 1, 1), D(2015, 12, 31)),
    ("2022-02-24 – 2022-03-01", D(2022, 2, 24), D(2022, 3, 1)),
])
def test_a_range_with_both_ends_is_no_since_nor_until(value, since, until, tmp_path):
    # (--since 'з 2020 по 2022' was 2020-01-01: the end of the range dropped, unsaid)
    assert (parse_period(value, today=TODAY).since, parse_period(value, today=TODAY).until) == (since, until)
    said = (f"{value!r} is a range, not one date: give its first day and its last as the two bounds "
            f"(`since='{since}', until='{until}'`)")  # (the library's words: what to pass)
    for read in (since_date, until_date, bound, lambda v, today: bound(v, end=True, today=today)):
        with pytest.raises(ValueError, match=re.escape(said)):
            read(value, today=TODAY)
    r = CliRunner().invoke(main, ["--home", str(Engine.init(tmp_path / "h").home), "search", "мова", "--since", value])
    assert r.exit_code == 2  # the command line's: the options to give
    assert f"the two bounds (--since {since} --until {until})" in r.output


@pytest.mark.parametrize("value", ["колись", "2022 обстріли", ""])
def test_unreadable_flag_value_names_the_accepted_forms(value):
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_period(value, today=TODAY)


def test_a_flag_takes_a_month_of_a_year_named_from_today():
    rng = parse_period("торік у листопаді", today=TODAY)
    assert (rng.since, rng.until) == (D(2024, 11, 1), D(2024, 11, 30))


@pytest.mark.parametrize("value", ["31.02.2022", "2024-02-30"])
def test_a_flag_day_no_calendar_has_says_so_as_in_a_query(value):
    with pytest.raises(ValueError, match=f"{value} is not a date: no such day"):
        parse_period(value, today=TODAY)


def test_open_range_has_no_end_for_until():
    with pytest.raises(ValueError, match="no last day"):
        until_date("після 2020 року", today=TODAY)


def test_date_range_text_and_json():
    rng = DateRange(D(2022, 3, 1), D(2022, 3, 31), "у березні 2022")
    assert str(rng) == "2022-03-01 – 2022-03-31"
    assert str(DateRange(D(2022, 3, 1), D(2022, 3, 1))) == "2022-03-01"
    assert str(DateRange(None, D(2022, 3, 1))) == "… – 2022-03-01"
    assert rng.to_json() == {"since": "2022-03-01", "until": "2022-03-31", "phrase": "у березні 2022"}


NEWS = [
    {"id": "mar", "title": "Весна в Києві", "date": "2022-03-15", "text": "У Києві зацвіли каштани."},
    {"id": "may", "title": "Травень у Києві", "date": "2022-05-10", "text": "У Києві цвітуть каштани й бузок."},
    {"id": "new", "title": "Каштани знову", "date": "2025-03-11", "text": "Учора в Києві зацвіли перші каштани."},
]


@pytest.fixture
def news(home, tmp_path):
    eng = Engine(home)
    eng.import_paths([write_jsonl(tmp_path / "news.jsonl", NEWS)])
    yield eng
    eng.close()


def test_search_takes_dates_out_of_the_query_and_says_the_range(news):
    res = news.search("каштани у березні 2022", today=TODAY)
    assert [h.id for h in res] == ["mar"]
    assert res.date_range == DateRange(D(2022, 3, 1), D(2022, 3, 31), "у березні 2022")
    assert res.to_json()["date_range"] == {"since": "2022-03-01", "until": "2022-03-31", "phrase": "у березні 2022"}
    assert [h.id for h in news.search("каштани вчора", today=TODAY)] == ["new"]


@pytest.mark.parametrize("query", ["(Київ OR Рим) вчора", "обстріли вчора (ЄС OR НАТО)", "санкції вчора ЄС NOT Росія"])
def test_an_operator_further_from_a_date_than_its_neighbour_word_leaves_it_a_filter(query):
    rest, found = find_dates(query, today=TODAY)
    assert found is not None and found.phrase == "вчора" and "вчора" not in rest


def test_a_date_on_one_side_of_an_or_is_searched_as_words_and_said(news):
    res = news.search("(каштани у березні 2022) OR (бузок у травні 2022)", today=TODAY)
    assert res.date_range is None  # it filtered both sides to May, losing the March article
    assert any("searched 'у березні 2022', 'у травні 2022' as words" in w for w in res.warnings)
    top = news.search("(каштани OR бузок) у березні 2022", today=TODAY)  # outside the brackets: a filter
    assert [h.id for h in top] == ["mar"] and not any("as words" in w for w in top.warnings)


def test_date_words_stay_words_when_nothing_else_is_left_or_when_asked(news):
    res = news.search("учора", today=TODAY)
    assert [h.id for h in res] == ["new"] and res.date_range is None  # the word "Учора" in the text
    assert any("a query of dates alone is searched as words" in w for w in res.warnings)
    assert news.search("каштани вчора", today=TODAY, find_dates=False, exact=True).total == 0


@pytest.mark.parametrize("dates", ["2024-03", "03.2024", "2024-03-05", "05.03.2024", "з березня 2024 до травня 2024",
                                   "з 01.03.2024 по 01.05.2024", "01.03.2024 – 01.05.2024"])
def test_dates_in_figures_and_ranges_with_both_ends_filter_even_when_they_hold_nothing(news, dates):
    # (as words, the query's other word would find three articles)
    res = news.search(f"каштани {dates}", today=TODAY)
    assert res.total == 0 and res.date_range is not None and res.date_range.phrase == dates
    assert not any("searched as words" in w for w in res.warnings)


def test_date_words_that_hold_nothing_are_searched_as_words(news):
    res = news.search("каштани у березні 2024", today=TODAY)
    assert res.date_range is None and res.total == 3
    assert any("searched as words" in w for w in res.warnings)


def test_a_date_word_searched_as_a_word_is_not_corrected_into_another(news):
    # no article of 2025-03-19 holds "обстріли", and no article holds "вчора": searched as
    # words, "вчора" stays (it was corrected to "вечора", one edit away, and then the empty
    # dated answer was shown); the articles holding either word are the partial matches
    news.import_paths([write_jsonl(news.home / "evening.jsonl", [
        {"id": "eve", "title": "Світло", "text": "Після нічних обстрілів світло вимикали до вечора."}])])
    res = news.search("обстріли вчора", today=D(2025, 3, 20))
    assert res.corrected_query is None and res.date_range is None
    # ("new" writes "Учора": it holds the other word)
    assert res.matched_all == 0 and {h.id for h in res.hits} == {"eve", "new"}
    assert any("searched as words" in w for w in res.warnings)
    ex = news.explain("обстріли вчора", "eve", today=D(2025, 3, 20))
    assert ex.date_range is None and ex.rank in (1, 2)


def test_a_date_alone_searched_as_words_is_never_corrected_nor_given_near_spellings(news):
    news.import_paths([write_jsonl(news.home / "evening.jsonl", [
        {"id": "eve", "title": "Світло", "text": "Світло вимикали до вечора."}])])
    res = news.search("позавчора", today=TODAY)  # (no article holds it; "вечора" is near)
    assert res.total == 0 and res.corrected_query is None and res.near == ()
    assert any("add a word or use `since=`/`until=`" in w for w in res.warnings)
    res = news.search("24.02.2022", today=TODAY)
    assert res.total == 0 and not any("side by side" in w for w in res.warnings)


def test_a_typo_beside_a_date_word_searched_as_a_word_is_still_corrected(news):
    # the correction changes the misspelt word, not the date word: it is taken
    news.import_paths([write_jsonl(news.home / "once.jsonl", [
        {"id": "once", "title": "Весна", "date": "2020-04-01", "text": "Сьогодні вкотре зацвіли каштани."}])])
    res = news.search("каштани вкорте сьогодні", today=D(2025, 3, 20))
    assert res.hits[0].id == "once" and res.corrected_query == "каштани вкотре сьогодні"


def test_explain_and_the_timeline_never_correct_a_date_word_the_search_keeps(news):
    # no article of 2025-03-19 holds "табір", and none holds "вчора": searched as words,
    # the search keeps "вчора" (one edit from "вечора", which "eve" holds)
    news.import_paths([write_jsonl(news.home / "camp.jsonl", [
        {"id": "eve", "title": "Табір до вечора", "date": "2020-05-01", "text": "Діти були в таборі до вечора."}])])
    today = D(2025, 3, 20)
    res = news.search("вчора табір", today=today, months=True)
    # (no article has both words: the months are the partial matches', as the facets count)
    assert res.corrected_query is None and res.matched_all == 0 and res.total == len(res.months) == 2
    assert news.timeline("вчора табір", today=today) == list(res.months)  # (it counted "вечора табір")
    ex = news.explain("вчора табір", "eve", today=today)
    assert ex.corrected_query is None and ex.rank == [h.id for h in res.hits].index("eve") + 1


def test_explain_and_the_timeline_take_date_words_as_words_where_the_search_does(news):
    # no article dated 2025-03-19 holds "каштани": the search takes "учора" as a word,
    # which "new" holds ("Учора в Києві …")
    res = news.search("каштани учора", today=D(2025, 3, 20))
    assert res.hits[0].id == "new" and res.matched_all == 1 and res.date_range is None
    ex = news.explain("каштани учора", "new", today=D(2025, 3, 20))
    assert ex.rank == 1 and ex.in_date_range and ex.date_range is None
    assert news.timeline("каштани учора", today=D(2025, 3, 20)) == [("2025-03", 1)]
    # where the dated search finds articles, all three keep the dates
    ex = news.explain("каштани вчора", "new", today=TODAY)
    assert ex.date_range == DateRange(D(2025, 3, 11), D(2025, 3, 11), "вчора") and ex.rank == 1


SHELLING = [
    {"id": "near", "date": "2025-03-09", "title": "Обстріли області", "text": "Вночі тривали обстріли області."},
    {"id": "old", "date": "2020-05-05", "title": "Обстріли Харкова вчора", "text": "Вчора знову обстріли Харкова."},
    {"id": "calm", "date": "2021-05-05", "title": "Погода", "text": "Сонячно і тепло."},
]
LISTINGS = [{}, {"sort": "date"}, {"partial": False}, {"sort": "date", "partial": False}]


def _months(res):
    """The months of a page's dated hits, as ``Results.months`` counts them (a page of them all)."""
    months: dict[str, int] = {}
    for h in res.hits:
        if h.date is not None:
            months[f"{h.date:%Y-%m}"] = months.get(f"{h.date:%Y-%m}", 0) + 1
    return tuple(sorted(months.items()))

def test_search_all_and_explain_agree_on_date_words(tmp_path):
    # an article of yesterday holds one of the other words: the dates hold a match, so
    # "вчора" is a date for every listing, though only the default one lists that article
    # (a partial match); sorted by date or without partial matches it listed "old" as if
    # "вчора" were a word, while explain and the timeline took it as a date
    eng = imported(tmp_path, SHELLING)
    today, query = D(2025, 3, 10), "обстріли Харкова вчора"
    yesterday = DateRange(D(2025, 3, 9), D(2025, 3, 9), "вчора")
    for listing in LISTINGS:
        res = eng.search(query, today=today, months=True, **listing)
        assert res.date_range == yesterday and res.matched_all == 0 and res.months == _months(res), listing
        assert not any("searched as words" in w for w in res.warnings)
        assert [h.id for h in res.hits] == (["near"] if not listing else [])
    assert eng.timeline(query, today=today) == [("2025-03", 1)]  # (the partial match the search lists)
    ex = eng.explain(query, "old", today=today)
    assert ex.date_range == yesterday and not ex.in_date_range
    eng.close()


def test_date_words_are_words_for_every_listing_when_only_partial_matches_hold_them(tmp_path):
    # no article of yesterday holds any other word; as words, "вчора" is in "old", which
    # lacks "Львова": a partial match only. Every listing searches the words as words (with
    # the default one listing "old"), as explain and the timeline do
    eng = imported(tmp_path, SHELLING)
    today, query = D(2025, 3, 10), "погода Львова вчора"
    for listing in LISTINGS:
        res = eng.search(query, today=today, months=True, **listing)
        assert res.date_range is None and res.matched_all == 0 and res.months == _months(res), listing
        assert any("the date words were searched as words" in w for w in res.warnings)
    assert eng.timeline(query, today=today) == list(eng.search(query, today=today, months=True).months)
    assert eng.explain(query, "old", today=today).date_range is None
    eng.close()


def test_since_and_until_take_phrases_and_narrow_query_dates(news):
    res = news.search("каштани", since="у березні 2022", until="2022", today=TODAY)
    assert {h.id for h in res} == {"mar", "may"}
    assert res.date_range == DateRange(D(2022, 3, 1), D(2022, 12, 31), "--since у березні 2022; --until 2022")
    res = news.search("каштани у 2022 році", since="2022-04-01", today=TODAY)
    assert [h.id for h in res] == ["may"]
    assert (res.date_range.since, res.date_range.until) == (D(2022, 4, 1), D(2022, 12, 31))


def test_empty_date_range_finds_nothing_and_says_why(news):
    # (each range holds days: together they hold none, as a filter no article passes)
    res = news.search("каштани у 2022 році", since="2023-01-01", today=TODAY)
    assert res.total == 0 and any("no day" in w for w in res.warnings)
    res = news.search("каштани у 2022 році у 2023 році", today=TODAY)
    assert res.total == 0 and any("no day is in the date range 2023-01-01 – 2022-12-31" in w for w in res.warnings)


def test_a_range_typed_backwards_is_refused_by_the_rule_since_and_until_are_refused_by(news, home):
    why = "no day is in the range: it starts on 2022-03-31, after it ends on 2022-03-01"
    with pytest.raises(QueryError, match=f"since and until: {why}"):
        news.search("каштани", since="31.03.2022", until="01.03.2022")
    with pytest.raises(QueryError, match=f"з 31.03.2022 по 01.03.2022: {why}") as e:
        news.search("каштани з 31.03.2022 по 01.03.2022", today=TODAY)
    assert e.value.hint.startswith("put the earlier date first")
    res = CliRunner().invoke(main, ["--home", str(home), "search", "каштани з 31.03.2022 по 01.03.2022"])
    assert res.exit_code == 2 and res.stdout == ""
    assert res.stderr.startswith(f"Error: з 31.03.2022 по 01.03.2022: {why} — put the earlier date first")
    res = CliRunner().invoke(main, ["--home", str(home), "search", "каштани", "--since", "31.03.2022",
                                    "--until", "01.03.2022"])
    assert res.exit_code == 2 and why in res.stderr


def test_bad_since_is_a_clear_error(news):
    with pytest.raises(QueryError, match="since: cannot read 'колись'"):  # the library's own wording
        news.search("каштани", since="колись")


def test_cli_shows_the_date_range(news, home):
    res = CliRunner().invoke(main, ["--home", str(home), "search", "каштани з 01.03.2022 по 31.03.2022", "--json"])
    out = json.loads(res.stdout)
    assert res.exit_code == 0 and [h["id"] for h in out["hits"]] == ["mar"]
    assert out["date_range"]["since"] == "2022-03-01" and out["date_range"]["until"] == "2022-03-31"
    res = CliRunner().invoke(main, ["--home", str(home), "--no-color", "search", "каштани", "--since", "травень 2022",
                                    "--until", "травень 2022"])
    assert "Dates: 2022-05-01 – 2022-05-31 (--since травень 2022; --until травень 2022)" in res.stdout
    res = CliRunner().invoke(main, ["--home", str(home), "search", "каштани", "--until", "колись"])
    assert res.exit_code == 2 and "--until: cannot read 'колись'" in res.stderr


@pytest.mark.parametrize("value", ["2016-06-01Z", "2016-06-01+02:00", "2016-06-01 05:00"])
def test_a_date_option_reads_a_day_with_a_zone_or_a_time_as_an_articles_date_does(value):
    assert bound(value, today=TODAY) == bound(value, end=True, today=TODAY) == parse_date(value) == D(2016, 6, 1)


@pytest.mark.parametrize("value", ["2022-02-24T25:99", "колись", "31.02.2022", "2022-13", "з 2016 по 2017",
                                   "з 2017 по 2016", "2022-02-24 – 2022-03-01", ""])
def test_since_is_refused_alike_by_the_cli_and_the_library(news, home, value):
    res = CliRunner().invoke(main, ["--home", str(home), "search", "каштани", "--since", value])
    assert res.exit_code == 2 and "--since: " in res.stderr and len(res.stderr.strip().splitlines()) == 1
    reason = res.stderr.split("--since: ", 1)[1].strip().split(" — ")[0]  # (what to do is the CLI's)
    with pytest.raises(QueryError) as e:
        news.search("каштани", since=value)
    # the same reason, what to give said in each one's words (`since=...` / --since ...)
    assert in_command_words(str(e.value)) == f"since: {reason}" and e.value.field == "since"


@pytest.mark.parametrize("value", ["2016-13", "31.02.2022"])
def test_a_date_option_no_calendar_has_says_what_to_give_instead(home, value):
    res = CliRunner().invoke(main, ["--home", str(home), "search", "каштани", "--since", value])
    assert res.exit_code == 2 and len(res.stderr.strip().splitlines()) == 1
    assert res.stderr.startswith(f"Error: --since: {value} is not a date") and "the calendar has" in res.stderr


@pytest.mark.parametrize("command", [["search", "каштани"], ["explain", "каштани", "mar"],
                                     ["saved", "add", "каштани", "каштани"]])
@pytest.mark.parametrize("option", ["--since", "--until"])
def test_an_empty_date_option_is_named_as_the_option_by_every_command(news, home, command, option):
    res = CliRunner().invoke(main, ["--home", str(home), *command, option, ""])
    assert res.exit_code == 2 and res.stderr.startswith(f"Error: {option}: cannot read '' as a date")
    assert "=''" not in res.stderr  # (the library's since='' is for Python callers)


@pytest.mark.parametrize("value", ["2022-02-24T05:00:00+02:00", "24.02.2022", "2022", "березень 2022"])
def test_since_is_accepted_alike_by_the_cli_and_the_library(news, home, value):
    res = CliRunner().invoke(main, ["--home", str(home), "search", "каштани", "--since", value, "--json"])
    assert res.exit_code == 0, res.stderr
    cli, library = json.loads(res.stdout), news.search("каштани", since=value).to_json()
    assert cli["date_range"] == library["date_range"] and cli["date_range"]["since"].startswith("2022-")
    assert [h["id"] for h in cli["hits"]] == [h["id"] for h in library["hits"]] != []


@pytest.mark.parametrize("query, since, until", [
    ("каштани з 1 березня по 31 травня 2022", D(2022, 3, 1), D(2022, 5, 31)),
    ("каштани з березня по травень 2022", D(2022, 3, 1), D(2022, 5, 31)),
    ("каштани з березня до травня 2022 року", D(2022, 3, 1), D(2022, 5, 31)),
    ("каштани від 1 до 20 березня 2022", D(2022, 3, 1), D(2022, 3, 20)),
    ("каштани з 1 грудня по 31 січня 2022", D(2021, 12, 1), D(2022, 1, 31)),  # (the December before)
    ("каштани з 1 березня по 31 травня минулого року", D(2024, 3, 1), D(2024, 5, 31)),
])
def test_a_range_that_names_its_year_once_at_its_end_takes_that_year_for_its_start(news, query, since, until):
    # (``з березня по травень 2022`` was ``… – 2022-05-31`` with ``березня`` a word every
    # hit had to hold; ``з 1 березня по 31 травня 2022`` began in this year, and was refused)
    rest, found = find_dates(query, today=TODAY)
    assert rest == "каштани"
    assert found is not None and (found.since, found.until) == (since, until)
    assert found.phrase == query.removeprefix("каштани ")
    expected = [i for i, day in (("mar", D(2022, 3, 15)), ("may", D(2022, 5, 10))) if since <= day <= until]
    assert sorted(h.id for h in news.search(query, today=TODAY)) == expected


@pytest.mark.parametrize("query", ["з 3000 до 5000 гривень", "з 1 до 5 років", "від 2 до 3 разів на день"])
def test_numbers_from_and_to_that_name_no_date_stay_words(query):
    assert find_dates(query, today=TODAY) == (query, None)


def test_a_range_whose_start_names_its_own_year_keeps_it():
    _, found = find_dates("з 1 грудня 2020 по 31 січня 2022", today=TODAY)
    assert found is not None and (found.since, found.until) == (D(2020, 12, 1), D(2022, 1, 31))


@pytest.mark.parametrize("query, today", [("мова вчора", dt.date(1, 1, 1)), ("мова позавчора", dt.date(1, 1, 2)),
                                          ("мова минулого тижня", dt.date(1, 1, 3)),
                                          ("мова цього тижня", dt.date(9999, 12, 31))])
def test_a_date_word_whose_day_is_off_the_calendar_is_a_word_not_a_crash(engine, query, today):
    # (a library caller's today= at the calendar's ends: the day before 0001-01-01 is none)
    assert find_dates(query, today=today) == (query, None)
    assert engine.search(query, today=today).query == query
    with pytest.raises(QueryError, match="^since: cannot read"):
        engine.search("мова", since=query.split(" ", 1)[1], today=today)
