"""Saved searches: kept per home in a readable file, counted after imports, --new since last run."""

from __future__ import annotations

import errno
import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchkit import Engine, SearchkitError
from searchkit.cli import main
from searchkit.store.saved import FILENAME, config_dir

from .conftest import write_jsonl

FIRST = [
    {"id": "s1", "title": "Пороми на Дніпрі", "date": "2022-04-01", "source": "Річковий вісник",
     "text": "Пором між Києвом і Черкасами знову курсує щодня."},
    {"id": "s2", "title": "Ціни на хліб", "date": "2022-04-02", "source": "Базар",
     "text": "Хліб подорожчав на п'ять відсотків за місяць."},
]
SECOND = [
    {"id": "s3", "title": "Новий пором", "date": "2022-05-01", "source": "Річковий вісник",
     "text": "На Дніпрі запустили ще один пором до Канева."},
    {"id": "s4", "title": "Пором у Херсоні", "date": "2021-01-01", "source": "Південь",
     "text": "Старий пором у Херсоні списали."},
    {"id": "s5", "title": "Молоко", "date": "2022-05-02", "text": "Молоко теж подорожчало."},
]


@pytest.fixture
def eng(tmp_path: Path):
    e = Engine.init(tmp_path / "home")
    e.import_paths([write_jsonl(tmp_path / "first.jsonl", FIRST)])
    yield e
    e.close()


def saved_file() -> Path:
    return config_dir() / FILENAME


def test_config_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SEARCHKIT_CONFIG_DIR", str(tmp_path / "explicit"))
    assert config_dir() == tmp_path / "explicit"
    monkeypatch.delenv("SEARCHKIT_CONFIG_DIR")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert config_dir() == tmp_path / "xdg" / "searchkit"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    assert config_dir() == tmp_path / "user" / ".config" / "searchkit"


def test_add_list_remove_in_a_readable_file_keyed_by_home(eng):
    eng.save_search("пороми", "пором", since="2022-01-01", source="Річковий вісник")
    eng.save_search("хліб", "хліб")
    assert [s.name for s in eng.saved_searches()] == ["пороми", "хліб"]
    data = json.loads(saved_file().read_text(encoding="utf-8"))
    mine = data["homes"][str(eng.home.resolve())]
    assert mine["пороми"]["query"] == "пором" and mine["пороми"]["since"] == "2022-01-01"
    assert mine["пороми"]["source"] == "Річковий вісник"
    eng.remove_saved_search("хліб")
    assert [s.name for s in eng.saved_searches()] == ["пороми"]


def test_two_homes_keep_their_own_searches(eng, tmp_path):
    other = Engine.init(tmp_path / "other")
    other.save_search("інше", "молоко")
    eng.save_search("пороми", "пором")
    assert [s.name for s in other.saved_searches()] == ["інше"]
    assert [s.name for s in eng.saved_searches()] == ["пороми"]
    other.close()


def test_names_are_unique_unless_replaced_and_errors_name_the_problem(eng):
    eng.save_search("пороми", "пором")
    with pytest.raises(SearchkitError, match="exists"):
        eng.save_search("пороми", "пором Дніпро")
    assert eng.save_search("пороми", "пором Дніпро", replace=True).query == "пором Дніпро"
    with pytest.raises(SearchkitError, match="no saved search named 'нема'"):
        eng.run_saved_search("нема")
    with pytest.raises(SearchkitError, match="bad name"):
        eng.save_search("a/b", "пором")
    for name in ("x\x1b[31m", "a\tb", "a\nb"):  # printed in lists and errors: no control characters
        with pytest.raises(SearchkitError, match="no slashes or control characters"):
            eng.save_search(name, "пором")
    with pytest.raises(SearchkitError, match="since"):
        eng.save_search("дата", "пором", since="колись давно")


def test_a_name_as_long_as_the_refusal_says_is_kept_and_one_longer_is_refused(eng):
    with pytest.raises(SearchkitError, match="bad name") as refused:
        eng.save_search("н" * 500, "пором")
    most = int(re.search(r"1-(\d+) characters", str(refused.value)).group(1))
    assert eng.save_search("н" * most, "пором").name == "н" * most
    with pytest.raises(SearchkitError, match=f"1-{most} characters"):
        eng.save_search("н" * (most + 1), "пором")


def test_a_name_holding_a_byte_that_is_no_text_is_refused_and_the_file_kept(eng):
    eng.save_search("пороми", "пором")
    before = saved_file().read_bytes()
    # a command line's byte that is no UTF-8 (\xff) reaches Python as a lone surrogate
    with pytest.raises(SearchkitError, match=r"^bad name 'a\\udcff': 1-80 characters of text"):
        eng.save_search("a\udcff", "пором")
    r = CliRunner().invoke(main, ["--home", str(eng.home), "saved", "add", "a\udcff", "пором"])
    assert r.exit_code == 2 and "bad name" in r.output and "bug" not in r.output
    assert saved_file().read_bytes() == before and [s.name for s in eng.saved_searches()] == ["пороми"]


def test_import_summary_counts_new_matches_per_saved_search(eng, tmp_path):
    eng.save_search("пороми", "пором", since="2022-01-01")
    eng.save_search("хліб", "хліб")
    report = eng.import_paths([write_jsonl(tmp_path / "second.jsonl", SECOND)])
    # s3 is a new ferry story; s4 is one too but dated before the search's --since.
    assert report.watched == {"пороми": 1, "хліб": 0}
    assert report.to_json()["saved_searches"] == {"пороми": 1, "хліб": 0}


def test_run_new_shows_only_what_arrived_since_the_last_run(eng, tmp_path):
    eng.save_search("пороми", "пором")
    assert [h.id for h in eng.run_saved_search("пороми")] == ["s1"]
    assert eng.run_saved_search("пороми", new=True).total == 0
    eng.import_paths([write_jsonl(tmp_path / "second.jsonl", SECOND)])
    assert sorted(h.id for h in eng.run_saved_search("пороми", new=True)) == ["s3", "s4"]
    assert eng.run_saved_search("пороми", new=True).total == 0  # seen now
    assert eng.saved.get("пороми").last_run


def test_a_run_that_cannot_be_recorded_on_a_full_disk_still_lists_its_matches_and_says_so(eng, tmp_path,
                                                                                          monkeypatch):
    eng.save_search("пороми", "пором")
    eng.run_saved_search("пороми")
    eng.import_paths([write_jsonl(tmp_path / "second.jsonl", SECOND)])

    def full(*_: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(os, "replace", full)  # (the saved searches' file is written through a temporary one)
        res = eng.run_saved_search("пороми", new=True)
        assert sorted(h.id for h in res) == ["s3", "s4"]
        assert any("No space left on device" in w and "not marked as run" in w for w in res.warnings)
        out = CliRunner().invoke(main, ["--home", str(eng.home), "saved", "run", "пороми", "--new"])
        assert out.exit_code == 0 and "Новий пором" in out.output and "not marked as run" in out.output
    assert sorted(h.id for h in eng.run_saved_search("пороми", new=True)) == ["s3", "s4"]  # still new
    assert eng.run_saved_search("пороми", new=True).total == 0


def test_date_phrases_are_kept_as_typed_and_read_at_each_run(eng):
    saved = eng.save_search("тиждень", "пором", since="останній тиждень")
    assert saved.since == "останній тиждень"
    assert eng.saved_searches()[0].since == "останній тиждень"
    assert eng.run_saved_search("тиждень").date_range is not None  # read again now


def test_first_run_new_shows_what_arrived_after_saving(eng, tmp_path):
    eng.save_search("пороми", "пором")
    eng.import_paths([write_jsonl(tmp_path / "second.jsonl", SECOND[:1])])
    assert [h.id for h in eng.run_saved_search("пороми", new=True)] == ["s3"]


def test_saved_search_errors_have_classes_of_their_own_that_say_which_problem_it_is(eng):
    from searchkit import SavedSearchBadName, SavedSearchError, SavedSearchExists, SavedSearchNotFound

    eng.save_search("пороми", "пором")
    with pytest.raises(SavedSearchExists) as exists:
        eng.save_search("пороми", "пором Дніпро")
    assert str(exists.value) == "a saved search named 'пороми' exists" and "replace=True" in exists.value.hint
    with pytest.raises(SavedSearchNotFound) as unknown:
        eng.run_saved_search("нема")
    assert str(unknown.value) == "no saved search named 'нема' (saved: пороми)"
    with pytest.raises(SavedSearchNotFound) as not_removed:
        eng.remove_saved_search("нема")
    assert str(not_removed.value) == str(unknown.value) and not_removed.value.hint == unknown.value.hint
    with pytest.raises(SavedSearchBadName, match="^bad name 'a/b'"):
        eng.save_search("a/b", "пором")
    saved_file().write_text("{not json", encoding="utf-8")
    with pytest.raises(SavedSearchError, match="saved-searches.json: not valid JSON"):
        eng.saved_searches()
    # each is a SavedSearchError, and so a SearchkitError, as before
    assert all(issubclass(e, SavedSearchError) for e in (SavedSearchNotFound, SavedSearchExists, SavedSearchBadName))
    assert issubclass(SavedSearchError, SearchkitError)


def test_a_long_name_no_saved_search_has_is_echoed_clipped_by_remove_as_by_run(eng):
    # (remove echoed all 3,000 characters of it: it wrote its own copy of the message)
    name = "x" * 3000
    runner = CliRunner()
    for command in ("run", "remove"):
        res = runner.invoke(main, ["--home", str(eng.home), "saved", command, name])
        assert res.exit_code == 2 and res.stderr.startswith("Error: no saved search named 'xxxx")
        assert "(3,000 characters) (saved: none yet)" in res.stderr and len(res.stderr) < 300


def test_a_damaged_file_is_a_one_line_error(eng):
    saved_file().parent.mkdir(parents=True, exist_ok=True)
    saved_file().write_text("{not json", encoding="utf-8")
    with pytest.raises(SearchkitError, match="saved-searches.json: not valid JSON"):
        eng.saved_searches()


@pytest.mark.parametrize("seen", ["x", 2.7, True, -1])
def test_a_saved_search_whose_seen_is_no_whole_number_names_the_field_not_pythons_int(eng, seen):
    # ("seen": "x" said "invalid literal for int() with base 10: 'x'"; 2.7 and true were read as 2 and 1)
    eng.save_search("пороми", "пором")
    data = json.loads(saved_file().read_text(encoding="utf-8"))
    (searches,) = data["homes"].values()
    searches["пороми"]["seen"] = seen
    saved_file().write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SearchkitError) as e:
        eng.saved_searches()
    assert str(e.value) == (f"{saved_file()}: saved search 'пороми': \"seen\" must be a whole number, the last "
                            f"arrival it listed; got {seen!r}")


def test_cli_saved_commands(eng, tmp_path):
    runner = CliRunner()
    home = ["--home", str(eng.home)]
    r = runner.invoke(main, [*home, "saved", "add", "пороми", "пором", "--source", "Річковий вісник"])
    assert r.exit_code == 0 and "Saved 'пороми': пором (source Річковий вісник)" in r.output
    r = runner.invoke(main, [*home, "saved", "list"])
    assert "пороми" in r.output and "source Річковий вісник" in r.output and "never" in r.output
    r = runner.invoke(main, [*home, "saved", "run", "пороми", "--new"])
    assert r.exit_code == 1 and "Nothing new for 'пороми' since it was saved." in r.output
    r = runner.invoke(main, [*home, "saved", "run", "пороми", "--new"])
    assert r.exit_code == 1 and "Nothing new for 'пороми' since it last ran." in r.output
    r = runner.invoke(main, [*home, "import", str(write_jsonl(tmp_path / "second.jsonl", SECOND))])
    assert r.exit_code == 0 and "Saved search 'пороми': 1 new match" in r.output
    # the command it advises names the home given, so that it runs on this home
    assert f"(`searchkit --home {eng.home} saved run 'пороми' --new`)" in r.output
    r = runner.invoke(main, [*home, "saved", "run", "пороми", "--new", "--json"])
    assert r.exit_code == 0 and [h["id"] for h in json.loads(r.output)["hits"]] == ["s3"]
    r = runner.invoke(main, [*home, "saved", "list", "--json"])
    assert json.loads(r.output)[0]["last_run"]
    r = runner.invoke(main, [*home, "saved", "remove", "пороми"])
    assert r.exit_code == 0
    r = runner.invoke(main, [*home, "saved", "remove", "пороми"])
    assert r.exit_code == 2 and "Error: no saved search named 'пороми'" in r.output


def test_the_saved_file_is_written_atomically_without_leftovers(eng):
    eng.save_search("пороми", "пором")
    eng.run_saved_search("пороми")
    leftovers = [p for p in os.listdir(saved_file().parent) if p.endswith(".tmp")]
    assert leftovers == []


def test_a_hand_edited_entry_that_is_not_an_object_is_a_one_line_error_to_list_and_to_change(eng):
    saved_file().parent.mkdir(parents=True, exist_ok=True)
    saved_file().write_text(json.dumps({"homes": {str(eng.home.resolve()): ["x"]}}), encoding="utf-8")
    r = CliRunner().invoke(main, ["--home", str(eng.home), "saved", "add", "пороми", "пором"])
    assert r.exit_code == 2, r.output
    assert "saved-searches.json: the searches of" in r.stderr and "are not an object" in r.stderr
    assert "bug" not in r.output and "TypeError" not in r.output
    with pytest.raises(SearchkitError, match="are not an object"):
        eng.save_search("пороми", "пором")
    # listing says so too, rather than listing nothing, as if the searches were gone
    r = CliRunner().invoke(main, ["--home", str(eng.home), "saved", "list"])
    assert r.exit_code == 2 and "are not an object" in r.stderr
    with pytest.raises(SearchkitError, match="are not an object"):
        eng.saved_searches()


def test_saving_says_how_the_query_is_read_and_keeps_only_the_query(eng):
    s = eng.save_search("пороми", "пором or хліб^2")
    assert s.notes == ("read 'or' as OR (quote \"or\" to search the word)",
                       "ignored '^2' in 'хліб^2': boosts are not supported")
    assert "notes" not in json.dumps(json.loads(saved_file().read_text(encoding="utf-8")))
    assert eng.saved_searches()[0].query == "пором or хліб^2"
    r = CliRunner().invoke(main, ["--home", str(eng.home), "saved", "add", "ще", "пором or хліб"])
    assert r.exit_code == 0 and "Note: read 'or' as OR" in r.output



def test_saved_list_shows_the_last_run_in_local_time_and_json_keeps_iso(eng, monkeypatch):
    import datetime as dt
    import time

    runner = CliRunner()
    try:
        monkeypatch.setenv("TZ", "UTC")  # the run is stamped in UTC
        time.tzset()
        eng.save_search("табори", "мовні табори")
        eng.run_saved_search("табори", new=True)
        stamp = eng.saved.get("табори").last_run
        monkeypatch.setenv("TZ", "Europe/Kyiv")  # and listed where the clocks are two or three hours ahead
        time.tzset()
        r = runner.invoke(main, ["--home", str(eng.home), "saved", "list"])
        local = dt.datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
        assert local != dt.datetime.fromisoformat(stamp).strftime("%Y-%m-%d %H:%M")
        assert r.exit_code == 0 and local in r.output and stamp not in r.output
        r = runner.invoke(main, ["--home", str(eng.home), "saved", "list", "--json"])
        assert json.loads(r.output)[0]["last_run"] == stamp
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_saved_list_counts_what_a_run_of_only_the_new_would_list_and_marks_nothing_seen(eng, tmp_path):
    eng.save_search("пороми", "пором")
    eng.save_search("хліб", "хліб")
    eng.import_paths([write_jsonl(tmp_path / "second.jsonl", SECOND)])
    runner = CliRunner()
    r = runner.invoke(main, ["--home", str(eng.home), "saved", "list", "--json"])
    assert r.exit_code == 0, r.output
    assert {s["name"]: s["new"] for s in json.loads(r.output)} == {"пороми": 2, "хліб": 0}
    r = runner.invoke(main, ["--home", str(eng.home), "saved", "list"])
    header, *rows = r.output.splitlines()
    assert header.split()[-1] == "new"
    assert [(row.split()[0], row.split()[-1]) for row in rows] == [("пороми", "2"), ("хліб", "0")]
    assert eng.run_saved_search("пороми", new=True).total == 2  # listing them marked none seen


MORE_FERRIES = [{"id": f"p{i}", "title": f"Пором {i}", "date": f"2022-06-{i + 1:02d}",
                 "text": f"Пором номер {i} вийшов у рейс."} for i in range(5)]


def test_new_matches_past_the_page_stay_new_until_the_last_page_is_listed(eng, tmp_path):
    eng.save_search("пороми", "пором")
    eng.run_saved_search("пороми")
    eng.import_paths([write_jsonl(tmp_path / "more.jsonl", MORE_FERRIES)])
    first = eng.run_saved_search("пороми", new=True, limit=2)
    again = eng.run_saved_search("пороми", new=True, limit=2, page=2)
    assert (first.total, len(first), again.total, len(again)) == (5, 2, 5, 2)
    assert not {h.id for h in again} & {h.id for h in first}
    last = eng.run_saved_search("пороми", new=True, limit=2, page=3)
    assert len(last) == 1
    assert eng.run_saved_search("пороми", new=True).total == 0  # seen once the last page was listed
    assert "they all stay new until a run lists page 3, the last" in first.warnings[-1]
    assert not any("stay new" in w for w in last.warnings)


def test_cli_run_new_short_of_its_last_page_says_which_page_to_ask_for(eng, tmp_path):
    home = ["--home", str(eng.home)]
    eng.save_search("пороми", "пором")
    eng.import_paths([write_jsonl(tmp_path / "more.jsonl", MORE_FERRIES)])
    shown = CliRunner().invoke(main, [*home, "saved", "run", "пороми", "--new", "-n", "3"])
    r = CliRunner().invoke(main, [*home, "saved", "run", "пороми", "--new", "--format", "csv"])
    assert r.exit_code == 0 and len(r.stdout.splitlines()) == 1 + 5  # the header, then every new match
    assert shown.exit_code == 0
    assert (f"they all stay new until a run lists page 2, the last "
            f"(`searchkit --home {eng.home} saved run 'пороми' --new -p 2 -n 3`)") in shown.output


#: Twelve stories of ferries, none a copy of another: more than a page of the default size.
MANY_FERRIES = [{"id": f"m{i:02d}", "title": title, "text": f"{title}: пором {text}."}
                for i, (title, text) in enumerate([
    ("Київ", "вийшов з річкового вокзалу о сьомій"), ("Черкаси", "везе вантажівки з зерном на лівий берег"),
    ("Канів", "зламався посеред ріки і чекав на буксир"), ("Херсон", "став на ремонт у доці до весни"),
    ("Запоріжжя", "перевозить туристів до Хортиці щосуботи"), ("Кременчук", "отримав новий двигун від заводу"),
    ("Дніпро", "курсує вночі через сильний вітер"), ("Вишгород", "забрав школярів на екскурсію до музею"),
    ("Ржищів", "продали приватній фірмі з Одеси"), ("Трипілля", "пофарбували в синій і жовтий кольори"),
    ("Світловодськ", "возить лікарів до сіл за водосховищем"), ("Нікополь", "тонув, але команда врятувала всіх"),
])]


def test_the_page_a_new_run_of_the_default_size_advises_lists_the_rest(eng, tmp_path):
    from searchkit.models import DEFAULT_LIMIT

    eng.save_search("пороми", "пором")
    eng.import_paths([write_jsonl(tmp_path / "many.jsonl", MANY_FERRIES)])
    first = eng.run_saved_search("пороми", new=True)
    assert len(first) == DEFAULT_LIMIT < first.total
    assert "(`Engine.run_saved_search('пороми', new=True, page=2)`)" in first.warnings[-1]  # (no limit said)
    rest = eng.run_saved_search("пороми", new=True, page=2)
    assert len(rest) == first.total - DEFAULT_LIMIT and not {h.id for h in rest} & {h.id for h in first}
    assert eng.run_saved_search("пороми", new=True).total == 0  # all seen


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "md"])
def test_an_export_of_new_matches_short_of_its_last_page_says_so_on_stderr(eng, tmp_path, fmt):
    # a daily `saved run NAME --new --format csv > today.csv` listed the same first page
    # every day, the mark never moving, and nothing said why
    eng.save_search("пороми", "пором")
    eng.import_paths([write_jsonl(tmp_path / "more.jsonl", MORE_FERRIES)])
    r = CliRunner().invoke(main, ["--home", str(eng.home), "saved", "run", "пороми", "--new", "-n", "3",
                                  "--format", fmt])
    assert r.exit_code == 0
    assert "Note: this page lists 3 of 5 new matches: they all stay new until a run lists page 2" in r.stderr
    assert "stay new" not in r.stdout  # (the file stays hits alone)


def test_run_new_says_when_stored_articles_are_not_searchable_yet(eng, tmp_path):
    eng.save_search("пороми", "пором")
    eng.import_paths([write_jsonl(tmp_path / "second.jsonl", SECOND)], index=False)
    home = ["--home", str(eng.home)]
    r = CliRunner().invoke(main, [*home, "saved", "run", "пороми", "--new"])
    assert r.exit_code == 1 and "Nothing new for 'пороми'" in r.stdout
    assert "3 of 5 stored articles are not searchable yet" in r.stderr
    assert f"`searchkit --home {eng.home} index`" in r.stderr
    r = CliRunner().invoke(main, [*home, "saved", "run", "пороми", "--new", "--json"])
    assert json.loads(r.stdout)["unindexed"] == 3


def test_a_name_is_one_however_its_letters_are_spelt(eng):
    from searchkit import SavedSearchExists

    composed, decomposed = "їжак й", "\u0456\u0308жак \u0438\u0306"  # as typed, and as a file name from macOS
    eng.save_search(decomposed, "пором")
    assert [h.id for h in eng.run_saved_search(composed)] == ["s1"]
    with pytest.raises(SavedSearchExists):
        eng.save_search(composed, "хліб")
    assert [s.name for s in eng.saved_searches()] == [composed]
    eng.remove_saved_search(decomposed)
    assert eng.saved_searches() == []


def test_saved_run_of_a_name_spelt_decomposed_says_its_source_and_its_last_run(eng):
    composed, decomposed = "їжак", "\u0456\u0308жак"
    eng.save_search(composed, "пором", source="Річковий вісник")
    assert eng.saved_search(decomposed).source == "Річковий вісник"
    home = ["--home", str(eng.home)]
    r = CliRunner().invoke(main, [*home, "saved", "run", decomposed])
    assert r.exit_code == 0 and "Source: Річковий вісник" in r.stdout  # (it was left out)
    r = CliRunner().invoke(main, [*home, "saved", "run", decomposed, "--new"])
    assert r.exit_code == 1 and f"Nothing new for '{composed}' since it last ran." in r.stdout  # (not: was saved)


def test_counting_the_new_matches_counts_what_a_new_run_lists_and_marks_nothing_seen(eng, tmp_path):
    eng.save_search("пороми", "пором", source="Річковий вісник")
    assert eng.count_new_matches("пороми") == 0
    eng.import_paths([write_jsonl(tmp_path / "second.jsonl", SECOND)])  # s3 of its source, s4 of another
    assert eng.count_new_matches("пороми") == 1
    assert eng.count_new_matches("пороми") == 1  # counting again: still new, and never run
    assert eng.saved.get("пороми").last_run is None
    assert eng.run_saved_search("пороми", new=True).total == 1  # what the run lists
    assert eng.count_new_matches("пороми") == 0
    with pytest.raises(SearchkitError, match="no saved search named 'хліб'"):
        eng.count_new_matches("хліб")


def test_the_note_of_a_new_run_short_of_its_last_page_is_named_among_its_warnings(eng, tmp_path):
    eng.save_search("пороми", "пором")
    eng.import_paths([write_jsonl(tmp_path / "more.jsonl", MORE_FERRIES)])
    first = eng.run_saved_search("пороми", new=True, limit=2)
    assert first.stays_new_note.startswith("this page lists 2 of 5 new matches: they all stay new")
    assert first.warnings[-1] == first.stays_new_note
    assert "stays_new_note" not in first.to_json()  # (JSON says it among the warnings, as before)
    last = eng.run_saved_search("пороми", new=True, limit=2, page=3)
    assert last.stays_new_note == "" and eng.run_saved_search("пороми").stays_new_note == ""


@pytest.mark.parametrize(("query", "filters"), [
    ("п*", {}),  # (parsed, but refused once its words are read: a prefix needs two letters)
    ("пором 31.02.2022", {}),
    ("", {}),
    ("пором", {"since": "2023", "until": "2022"}),
])
def test_checking_a_search_to_save_refuses_what_saving_refuses_and_saves_nothing(eng, query, filters):
    from searchkit import QueryError

    with pytest.raises(QueryError) as checked:
        eng.check_saved_search(query, **filters)
    with pytest.raises(QueryError) as saving:
        eng.save_search("назва", query, **filters)
    assert str(checked.value) == str(saving.value)
    assert eng.saved_searches() == []


def test_checking_a_search_that_can_run_saves_nothing_and_leaves_it_to_save(eng):
    assert eng.check_saved_search("пором", since="2022", source="Річковий вісник") is None
    assert eng.saved_searches() == []
    eng.save_search("пороми", "пором", since="2022", source="Річковий вісник")
    assert [s.name for s in eng.saved_searches()] == ["пороми"]
