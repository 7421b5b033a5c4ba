"""Engine.timeline (matches per month over every hit), count, sources and import progress."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from searchkit import Engine, QueryError

from .conftest import write_jsonl

FLOODS = [
    {"id": "f1", "date": "2023-04-02", "source": "Громада", "title": "Повінь на річці",
     "text": "Весняна повінь підтопила городи."},
    {"id": "f2", "date": "2023-04-20", "source": "Вісті", "title": "Після повені",
     "text": "Після повені рятувальники відкачують воду з підвалів."},
    {"id": "f3", "date": "2023-06-11", "source": "Громада", "title": "Повені знову",
     "text": "Через зливи повені повторилися."},
    {"id": "f4", "date": "2024-01-05", "source": "Вісті", "title": "Зима без повеней",
     "text": "Синоптики не чекають повеней до весни."},
    {"id": "f5", "source": "Вісті", "title": "Повінь без дати", "text": "Стаття про повінь, дата невідома."},
    {"id": "f6", "date": "2023-04-25", "source": "Громада", "title": "Міст відремонтували",
     "text": "Будівельники закінчили ремонт мосту."},
]


@pytest.fixture
def floods(tmp_path: Path, home: Path) -> Engine:
    eng = Engine(home)
    eng.import_paths([write_jsonl(tmp_path / "floods.jsonl", FLOODS)])
    yield eng
    eng.close()


def test_timeline_counts_every_match_per_month_oldest_first(floods: Engine) -> None:
    assert floods.timeline("повінь") == [("2023-04", 2), ("2023-06", 1), ("2024-01", 1)]


def test_timeline_covers_all_hits_not_one_page(floods: Engine) -> None:
    page = floods.search("повінь", limit=1)
    assert len(page.hits) == 1
    assert sum(n for _, n in floods.timeline("повінь")) == 4 == page.total - 1  # f5 has no date


def test_timeline_follows_the_query_language_and_the_filters(floods: Engine) -> None:
    assert floods.timeline("повінь -рятувальники") == [("2023-04", 1), ("2023-06", 1), ("2024-01", 1)]
    assert floods.timeline("повінь OR міст") == [("2023-04", 3), ("2023-06", 1), ("2024-01", 1)]
    assert floods.timeline("повінь", since="2023-05-01") == [("2023-06", 1), ("2024-01", 1)]
    assert floods.timeline("повінь", until=dt.date(2023, 4, 30)) == [("2023-04", 2)]
    assert floods.timeline("повінь", source="вісті") == [("2023-04", 1), ("2024-01", 1)]


def test_timeline_without_matches_or_articles_is_empty(floods: Engine, tmp_path: Path) -> None:
    assert floods.timeline("зебра") == []
    empty = Engine.init(tmp_path / "empty")
    assert empty.timeline("повінь") == [] and empty.count() == 0 and empty.sources() == {}
    empty.close()


def test_timeline_rejects_what_search_rejects(floods: Engine) -> None:
    with pytest.raises(QueryError):
        floods.timeline("п*")


def test_count_and_sources_skip_deleted_articles(floods: Engine) -> None:
    assert floods.count() == 6
    assert floods.sources() == {"Громада": 3, "Вісті": 3}
    floods.delete(["f2", "f4", "f5"])
    assert floods.count() == 3
    assert floods.sources() == {"Громада": 3}


def test_import_reports_progress_with_a_total_then_the_indexing(home: Path, tmp_path: Path) -> None:
    feed = write_jsonl(tmp_path / "floods.jsonl", FLOODS)
    with open(feed, "a", encoding="utf-8") as f:
        f.write("\n{broken\n")  # a blank line is no record; a bad one still counts as read
    reading: list[tuple[int, int | None]] = []
    indexing: list[tuple[int, int | None]] = []
    eng = Engine(home)
    report = eng.import_paths([feed], progress=lambda d, t: reading.append((d, t)),
                              index_progress=lambda d, t: indexing.append((d, t)))
    assert report.added == 6 and report.failed == 1
    assert reading[0] == (1, 7) and reading[-1] == (7, 7)
    assert all(t == 7 for _, t in reading)
    assert indexing and indexing[-1][0] == indexing[-1][1]
    eng.close()


def test_timeline_counts_what_search_found_after_a_correction(floods: Engine) -> None:
    results = floods.search("павінь")  # a typo no article has
    assert results.corrected_query and results.total == 5
    assert floods.timeline("павінь") == floods.timeline(results.corrected_query)
    assert floods.timeline("павінь", exact=True) == []


def test_a_search_counts_its_months_without_a_second_search(floods: Engine,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from searchkit.backends.whoosh import SearchIndex

    assert floods.search("повінь").months is None  # only when asked
    compiles = []
    real = SearchIndex.compile

    def counted(self: SearchIndex, *args: object, **kwargs: object) -> object:
        compiles.append(1)
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(SearchIndex, "compile", counted)
    res = floods.search("повінь", months=True, limit=1)
    assert res.months == (("2023-04", 2), ("2023-06", 1), ("2024-01", 1))
    assert len(compiles) == 1  # one understanding of the query for the hits and the months
    assert floods.search("повінь", months=True, since="2023-05-01").months == (("2023-06", 1), ("2024-01", 1))
    # (a date phrase outside --since: no day to search, no months; a --since after the --until is refused)
    assert floods.search("повінь у березні 2023", months=True, since="2023-05-01").months == ()


def test_when_no_article_has_every_word_the_months_count_the_partial_matches_as_the_facets_do(
        floods: Engine) -> None:
    res = floods.search("повінь ремонт зебра", months=True, facets=["month"])
    assert res.matched_all == 0 and res.total == 6  # every article holds some of the words
    by_facet = tuple((f.value, f.count) for f in res.facets["month"] if f.value is not None)
    assert res.months == by_facet == (("2023-04", 3), ("2023-06", 1), ("2024-01", 1))
    assert floods.timeline("повінь ремонт зебра") == list(by_facet)
    assert floods.search("повінь ремонт зебра", months=True, partial=False).months == ()  # --all: none listed
