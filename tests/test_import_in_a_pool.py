"""An import run by a worker of a ``multiprocessing.Pool``: a daemonic process, which may
start no processes of its own, does the whole job itself (it failed with an
AssertionError from multiprocessing as it tried to start its second indexing process)."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from searchkit import Engine
from searchkit.ingest import pipeline

from .synth import COMMON_WORD, articles

pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(),
                                reason="the worker inherits the test's small job threshold by fork")


def _import_and_search(home: str) -> tuple[int, int, int]:
    eng = Engine.init(home)
    report = eng.import_articles(list(articles(40, prefix="p")))
    return report.added, report.failed, eng.search(COMMON_WORD, limit=1, snippets=False).total


@pytest.fixture
def big_enough_to_share(monkeypatch: pytest.MonkeyPatch) -> None:
    """A job of 40 articles is one a machine of two cores shares with a second process."""
    monkeypatch.setattr(pipeline, "MIN_PARALLEL", 10)
    monkeypatch.setattr("os.cpu_count", lambda: 2)


@pytest.mark.usefixtures("big_enough_to_share")
def test_a_pool_worker_imports_and_indexes_every_article_itself(tmp_path: Path) -> None:
    with multiprocessing.get_context("fork").Pool(1) as pool:
        added, failed, found = pool.apply(_import_and_search, (str(tmp_path / "home"),))
    assert (added, failed, found) == (40, 0, 40)
    assert Engine(tmp_path / "home").unindexed() == (0, 40)
