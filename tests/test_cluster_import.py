"""A big job on a cluster: analysed by several processes, sent in concurrent bulk requests
cut by size, built without replicas and finished with the ones the home asks for."""

from __future__ import annotations

import json
import urllib.request
import uuid
from pathlib import Path

import pytest

from searchkit import Engine
from searchkit.backends.opensearch import bulk
from searchkit.ingest import pipeline

from .conftest import write_jsonl
from .test_opensearch import _drop, hosts, synthetic_articles  # noqa: F401 - fixtures

pytestmark = pytest.mark.opensearch
pytest.importorskip("opensearchpy")


def _engine(tmp_path: Path, hosts: list[str], name: str, analysis: int) -> tuple[Engine, str]:  # noqa: F811
    alias = f"searchkit-test-{uuid.uuid4().hex[:10]}"
    eng = Engine.init(tmp_path / name, url=",".join(hosts) + "/" + alias)
    with open(eng.home / "searchkit.toml", "a", encoding="utf-8") as f:
        f.write(f"analysis = {analysis}\n")
    return Engine(eng.home), alias


def _settings(host: str, alias: str) -> dict:
    with urllib.request.urlopen(f"{host}/{alias}/_settings?flat_settings=true", timeout=30) as r:
        (only,) = json.load(r).values()
    return dict(only["settings"])


def test_an_import_analysed_by_three_processes_finds_what_one_process_finds(
        tmp_path: Path, hosts: list[str], monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    monkeypatch.setattr(pipeline, "MIN_PARALLEL", 50)
    monkeypatch.setattr(bulk, "BULK_BYTES", 64 * 1024)  # many requests in flight at once
    feed = write_jsonl(tmp_path / "feed.jsonl", synthetic_articles(400))
    answers = []
    for analysis in (1, 3):
        eng, alias = _engine(tmp_path, hosts, f"home{analysis}", analysis)
        try:
            assert eng.import_paths([feed]).added == 400
            eng.index(rebuild=True)  # the whole job at once: past MIN_PARALLEL
            assert eng.stats().articles == 400
            answers.append([[h.id for h in eng.search(q, limit=20)] + [str(eng.search(q).total)]
                            for q in ("номер 17", "номер", '"номер 399"')])
        finally:
            eng.close()
            _drop(hosts, alias)
    assert answers[0] == answers[1]
    assert answers[0][2][:1] == ["s00399"]


def test_a_rebuilt_index_has_the_replicas_and_translog_syncing_the_home_asks_for(
        tmp_path: Path, hosts: list[str]) -> None:  # noqa: F811
    eng, alias = _engine(tmp_path, hosts, "home", 2)
    try:
        eng.import_paths([write_jsonl(tmp_path / "feed.jsonl", synthetic_articles(60))])
        eng.index(rebuild=True)
        settings = _settings(hosts[0], alias)
        assert settings["index.number_of_replicas"] == ("1" if len(hosts) > 1 else "0")
        assert "index.translog.durability" not in settings  # back to syncing each request
        assert "index.refresh_interval" not in settings
        assert eng.search("номер 7").total >= 1
    finally:
        eng.close()
        _drop(hosts, alias)
