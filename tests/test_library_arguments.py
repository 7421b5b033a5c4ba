"""The library's public functions and Engine methods given arguments of a wrong type or
value: a TypeError or ValueError naming the argument, or searchkit's own error, never an
AttributeError from deep inside."""

import datetime as dt
import io

import pytest

import searchkit


@pytest.mark.parametrize("since, until, named", [(5, None, "since"), (None, ["2016"], "until"),
                                                 (2016.5, None, "since")])
def test_a_date_bound_of_a_wrong_type_is_a_type_error_naming_it(since, until, named):
    with pytest.raises(TypeError, match=f"^{named} must be a datetime.date, a str or None, not "):
        searchkit.date_bounds(since, until)


def test_a_datetime_given_as_a_date_bound_is_read_as_its_own_day():
    aware = dt.datetime(2016, 6, 2, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert searchkit.date_bounds(dt.datetime(2016, 6, 1, 12), aware) == (dt.date(2016, 6, 1), dt.date(2016, 6, 2))


def test_a_saved_search_keeps_a_datetime_bound_as_its_day(engine):
    saved = engine.save_search("табори", "мовні табори", since=dt.datetime(2016, 6, 1, 12))
    assert saved.since == "2016-06-01"
    assert [h.id for h in engine.run_saved_search("табори")] == ["a2"]


@pytest.mark.parametrize("stream", [None, "мовні табори", b"\xd0\xbc", io.StringIO("мовні табори\n")])
def test_a_batch_of_queries_from_no_binary_stream_is_a_type_error_saying_what_it_takes(stream):
    with pytest.raises(TypeError, match=r"^stream must be a binary stream \(sys.stdin.buffer"):
        searchkit.read_queries(stream)


def test_an_import_path_too_long_for_the_file_system_is_its_own_error_and_the_rest_is_imported(home, tmp_path):
    from searchkit import Engine

    from .conftest import ARTICLES, write_jsonl

    report = Engine(home).import_paths([write_jsonl(tmp_path / "feed.jsonl", ARTICLES), "я" * 5000])
    assert report.added == len(ARTICLES) and report.failed == 1
    assert report.errors[0].endswith(": cannot read: File name too long")


def test_a_home_path_too_long_for_the_file_system_is_a_home_error(tmp_path):
    from searchkit import Engine, HomeError

    for make in (Engine, Engine.init):
        with pytest.raises(HomeError, match=r": cannot be a home \(File name too long\)$"):
            make(tmp_path / ("я" * 5000))


def test_a_home_holding_a_nul_character_is_a_value_error_naming_the_home(tmp_path):
    from searchkit import Engine

    for look in (Engine, Engine.init, Engine.saved_config):
        with pytest.raises(ValueError, match="^home must not hold a NUL character: "):
            look(f"{tmp_path}/a\x00b")


def test_the_saved_settings_of_no_path_are_a_type_error_naming_the_home():
    from searchkit import Engine

    with pytest.raises(TypeError, match="^home must be a str or an os.PathLike, not NoneType$"):
        Engine.saved_config(None)


@pytest.mark.parametrize("text", [None, b"\xd0\xbc", 5])
def test_cleaning_a_query_that_is_no_str_is_a_type_error_naming_the_text(text):
    with pytest.raises(TypeError, match="^text must be a str, not "):
        searchkit.clean_query_text(text)
