"""Bulk work runs with the collector's bulk thresholds, and puts the old ones back."""

from __future__ import annotations

import gc
import subprocess
import sys
import weakref

import pytest

from searchkit.store.gcmode import BULK_THRESHOLDS, bulk_collection

from .conftest import write_jsonl


def test_bulk_collection_sets_and_restores_the_thresholds():
    before = gc.get_threshold()
    with bulk_collection():
        assert gc.get_threshold() == BULK_THRESHOLDS
    assert gc.get_threshold() == before


def test_blocks_of_two_threads_ending_out_of_order_put_the_first_thresholds_back():
    import threading

    before = gc.get_threshold()
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()

    def first() -> None:
        with bulk_collection():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    t = threading.Thread(target=first)
    t.start()
    first_in.wait(5)
    with bulk_collection():  # began after the first, ends after it
        second_in.set()
        first_out.wait(5)
        assert gc.get_threshold() == BULK_THRESHOLDS  # still bulk work here
    t.join()
    assert gc.get_threshold() == before


def test_the_thresholds_come_back_after_an_error():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), bulk_collection():
        raise RuntimeError("stop")
    assert gc.get_threshold() == before


def test_indexing_runs_with_bulk_thresholds_and_restores_them(engine, tmp_path, monkeypatch):
    seen = []
    real = engine.backend_index.apply

    def spy(*args, **kwargs):
        seen.append(gc.get_threshold())
        return real(*args, **kwargs)

    before = gc.get_threshold()
    monkeypatch.setattr(engine.backend_index, "apply", spy)
    src = write_jsonl(tmp_path / "new.jsonl", [{"id": "gc1", "text": "Нова стаття про вибори."}])
    engine.import_paths([src])
    assert seen and all(t == BULK_THRESHOLDS for t in seen)
    assert gc.get_threshold() == before


def test_each_import_batch_ends_with_a_full_collection(engine, tmp_path, monkeypatch):
    # Bulk thresholds postpone full collections almost forever; the cycles one batch
    # leaves (Whoosh's readers hold open files) must not outlive the next batch.
    from searchkit import library

    class Cycle:
        pass

    refs: list[weakref.ref] = []
    alive_at_call: list[int] = []
    real = engine.backend_index.apply

    def spy(*args, **kwargs):
        alive_at_call.append(sum(r() is not None for r in refs))
        c = Cycle()
        c.me = c
        refs.append(weakref.ref(c))
        del c
        return real(*args, **kwargs)

    monkeypatch.setattr(library, "IMPORT_BATCH", 2)
    monkeypatch.setattr(library, "IMPORT_GROWTH", 0)  # batches of 2 however big the index
    monkeypatch.setattr(engine.backend_index, "apply", spy)
    src = write_jsonl(tmp_path / "new.jsonl", [{"id": f"gc{i}", "text": f"Стаття номер {i} про вибори."}
                                              for i in range(7)])
    gc.disable()
    try:
        engine.import_paths([src])
    finally:
        gc.enable()
    assert len(alive_at_call) == 4
    assert alive_at_call == [0, 0, 0, 0]


def test_the_searchkit_program_runs_its_command_under_the_bulk_thresholds_with_the_collector_on(tmp_path):
    # A process that runs one command and exits keeps what it loads: the default
    # thresholds' walks over it freed next to nothing; off, a long command's cycles
    # (a searcher a query) would never be freed.
    probe = ("import atexit, gc, sys; atexit.register(lambda: print(gc.isenabled(), gc.get_threshold())); "
             "from searchkit.cli import main; main()")
    out = subprocess.run([sys.executable, "-c", probe, "--home", str(tmp_path), "init", str(tmp_path / "h")],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[-1] == f"True {BULK_THRESHOLDS}"
    assert (tmp_path / "h" / "corpus").is_dir()


def test_the_command_line_called_from_python_leaves_the_collector_as_it_was(tmp_path):
    from click.testing import CliRunner

    from searchkit.cli import main

    before = gc.get_threshold()
    assert CliRunner().invoke(main, ["init", str(tmp_path / "h")]).exit_code == 0
    assert gc.isenabled() and gc.get_threshold() == before
