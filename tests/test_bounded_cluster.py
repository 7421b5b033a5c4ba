"""A search on a cluster is bounded as on the embedded index (tests/test_bounded.py): past
its deadline the cluster is asked nothing more about words, and each request of the search
is given what is left of its 2 s, once, instead of the client's 30 s and three retries."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from searchkit import Engine, budget
from searchkit.errors import QueryError

from .conftest import ARTICLES, write_jsonl
from .test_opensearch import alias, hosts, make_engine  # noqa: F401 - fixtures

pytestmark = pytest.mark.opensearch
pytest.importorskip("opensearchpy")


@pytest.fixture
def eng(tmp_path: Path, hosts: list[str], alias: str) -> Iterator[Engine]:  # noqa: F811
    e = make_engine(tmp_path, hosts, alias)
    assert e.import_paths([write_jsonl(tmp_path / "feed.jsonl", ARTICLES)]).failed == 0
    yield e
    e.close()


def test_past_the_deadline_the_cluster_is_asked_nothing_more_about_words_and_says_so(
        eng: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    assert eng.search("Kharkiv джаз").total == 1  # the Latin word is read as Харків, looked up on the cluster
    eng._index._vocab.clear()
    monkeypatch.setattr(budget, "CLUSTER_QUERY_SECONDS", 0.0)
    r = eng.search("Kharkiv джаз", partial=False)
    assert any("look-ups of the words' other spellings and frequencies were left out" in n for n in r.cut), r.cut
    assert r.total == 0  # Kharkiv was not looked up: searched as typed, said above


def test_a_request_the_cluster_cannot_answer_in_time_is_refused_once(
        eng: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(budget, "ANSWER_SECONDS", 0.0)
    monkeypatch.setattr(budget, "MIN_REQUEST_SECONDS", 0.000_1)  # no request can answer in that
    started = time.monotonic()
    with pytest.raises(QueryError, match="the cluster did not answer within 0 s; narrow the query"):
        eng.search("табори")
    assert time.monotonic() - started < 5  # not 30 s, not four tries

