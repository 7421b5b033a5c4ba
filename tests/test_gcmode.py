"""Bulk work runs with the collector's bulk thresholds, and puts the old ones back."""

from __future__ import annotations

import gc

import pytest

from searchkit.gcmode import BULK_THRESHOLDS, bulk_collection

from .conftest import write_jsonl


def test_bulk_collection_sets_and_restores_the_thresholds():
    before = gc.get_threshold()
    with bulk_collection():
        assert gc.get_threshold() == BULK_THRESHOLDS
    assert gc.get_threshold() == before


def test_the_thresholds_come_back_after_an_error():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), bulk_collection():
        raise RuntimeError("stop")
    assert gc.get_threshold() == before


def test_indexing_runs_with_bulk_thresholds_and_restores_them(engine, tmp_path, monkeypatch):
    seen = []
    real = engine._index.apply

    def spy(*args, **kwargs):
        seen.append(gc.get_threshold())
        return real(*args, **kwargs)

    before = gc.get_threshold()
    monkeypatch.setattr(engine._index, "apply", spy)
    src = write_jsonl(tmp_path / "new.jsonl", [{"id": "gc1", "text": "Нова стаття про вибори."}])
    engine.import_paths([src])
    assert seen and all(t == BULK_THRESHOLDS for t in seen)
    assert gc.get_threshold() == before
