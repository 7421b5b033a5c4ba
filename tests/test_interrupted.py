"""Ctrl-C during an import: what was stored stays, and the import says how much of it
a search cannot find yet, and what to run."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchkit import Engine, ImportInterrupted, IndexInterrupted, library
from searchkit.backends.whoosh import SearchIndex
from searchkit.cli import main
from searchkit.ingest.importer import Import

from .conftest import write_jsonl

RECORDS = [
    {"id": "k1", "title": "Бджолярі на ярмарку", "text": "На ярмарку бджолярі продавали гречаний мед.",
     "date": "2021-08-14"},
    {"id": "k2", "title": "Нова бібліотека", "text": "У селі відкрили бібліотеку з читальною залою.",
     "date": "2021-09-01"},
    {"id": "k3", "title": "Паводок на річці", "text": "Рятувальники попередили мешканців про паводок.",
     "date": "2021-10-03"},
    {"id": "k4", "title": "Осінній марафон", "text": "Бігуни пробігли марафон попри холодний дощ.",
     "date": "2021-10-17"},
]


def interrupt_at(n: int):
    """A progress callback that presses Ctrl-C once ``n`` records are read (each stored)."""

    def progress(done: int, total: int | None) -> None:
        if done == n:
            raise KeyboardInterrupt

    return progress


def test_an_interrupted_first_import_counts_what_it_stored_and_keeps_it(home: Path, tmp_path: Path) -> None:
    eng = Engine(home)
    with pytest.raises(ImportInterrupted) as stopped:
        eng.import_paths([write_jsonl(tmp_path / "feed.jsonl", RECORDS)], progress=interrupt_at(3))
    assert isinstance(stopped.value, KeyboardInterrupt)  # code that catches Ctrl-C still does
    assert (stopped.value.stored, stopped.value.unindexed) == (3, 3)  # one build at the end: none indexed
    eng.index()
    assert eng.search("бібліотека").total == 1 and eng.unindexed() == (0, 3)
    eng.close()


def test_an_interrupted_import_in_batches_counts_what_its_commits_left_out(home: Path, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(library, "IMPORT_BATCH", 2)
    monkeypatch.setattr(library, "IMPORT_GROWTH", 0)  # a commit every two articles
    eng = Engine(home)
    eng.index()  # an (empty) index: the import commits as it goes
    with pytest.raises(ImportInterrupted) as stopped:
        eng.import_paths([write_jsonl(tmp_path / "feed.jsonl", RECORDS)], progress=interrupt_at(3))
    assert (stopped.value.stored, stopped.value.unindexed) == (3, 1)
    assert eng.search("мед").total == 1  # committed before Ctrl-C: searchable
    eng.import_paths([tmp_path / "feed.jsonl"])  # the same import again finishes it
    assert eng.unindexed() == (0, 4) and eng.search("марафон").total == 1
    eng.close()


@pytest.mark.parametrize("after, said", [
    (3, "Interrupted: 2 articles stored, not yet searchable; run `searchkit --home {home} index` "
        "(or the same import again, which skips what is stored).\n"),
    (1, "Interrupted: no article was added or changed.\n"),
])
def test_ctrl_c_during_import_says_what_was_kept_and_what_to_run(home: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch,
                                                                after: int, said: str) -> None:
    store = Import._store
    calls = [0]

    def store_then_ctrl_c(self: Import, item: Path, article: object) -> bool:
        calls[0] += 1
        if calls[0] == after:
            raise KeyboardInterrupt
        return store(self, item, article)  # type: ignore[arg-type]

    monkeypatch.setattr(Import, "_store", store_then_ctrl_c)
    feed = write_jsonl(tmp_path / "feed.jsonl", RECORDS)
    r = CliRunner().invoke(main, ["--home", str(home), "import", str(feed)], catch_exceptions=False)
    assert r.exit_code == 130
    assert r.stderr == said.format(home=shlex.quote(str(home)))
    assert "Traceback" not in r.output


def test_ctrl_c_while_an_import_indexes_an_earlier_backlog_says_how_many_are_not_searchable(
        home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from searchkit.ingest.sync import IndexSync

    eng = Engine(home)
    eng.index()  # an index: the next import catches up on what one left unindexed first
    eng.import_paths([write_jsonl(tmp_path / "feed.jsonl", RECORDS[:3])], index=False)
    eng.close()
    monkeypatch.setattr(IndexSync, "index_all", ctrl_c)
    (tmp_path / "x.txt").write_text("Ще один текст про мости.", encoding="utf-8")
    r = CliRunner().invoke(main, ["--home", str(home), "import", str(tmp_path / "x.txt")], catch_exceptions=False)
    assert r.exit_code == 130
    assert r.stderr == ("Interrupted: no article was added or changed; 3 articles stored earlier are not searchable "
                        "yet (the index as it was still answers searches); run "
                        f"`searchkit --home {shlex.quote(str(home))} index` to bring it up to date.\n")


def ctrl_c(*_: object, **__: object) -> None:
    """Ctrl-C pressed as soon as this is called."""
    raise KeyboardInterrupt


def test_an_interrupted_rebuild_keeps_the_index_as_it_was_answering(home: Path, tmp_path: Path) -> None:
    eng = Engine(home)
    eng.import_paths([write_jsonl(tmp_path / "feed.jsonl", RECORDS)])
    with pytest.raises(IndexInterrupted) as stopped:
        eng.index(rebuild=True, progress=ctrl_c)
    assert isinstance(stopped.value, KeyboardInterrupt)
    assert (stopped.value.rebuild, stopped.value.answers) == (True, True)
    assert eng.search("марафон").total == 1  # the index as it was
    assert eng.index(rebuild=True).indexed == 4
    eng.close()


def test_an_interrupted_first_build_says_there_is_no_index_yet(home: Path, tmp_path: Path) -> None:
    eng = Engine(home)
    eng.import_paths([write_jsonl(tmp_path / "feed.jsonl", RECORDS)], index=False)
    with pytest.raises(IndexInterrupted) as stopped:
        eng.index(progress=ctrl_c)
    assert (stopped.value.rebuild, stopped.value.answers) == (True, False)
    eng.close()


@pytest.mark.parametrize("args, built, said", [
    (["index", "--rebuild"], True, "Interrupted: the rebuild stopped; the index as it was still answers searches, "
                                   "and corpus/ is untouched; run `searchkit --home {home} index --rebuild` to "
                                   "rebuild it.\n"),
    (["index"], False, "Interrupted: no index was built, so there is none to search yet (corpus/ is untouched); "
                       "run `searchkit --home {home} index` to build it.\n"),
])
def test_ctrl_c_during_index_says_what_answers_searches_and_what_to_run(home: Path, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch,
                                                                      args: list[str], built: bool,
                                                                      said: str) -> None:
    from searchkit.ingest.sync import IndexSync

    Engine(home).import_paths([write_jsonl(tmp_path / "feed.jsonl", RECORDS)], index=built)

    monkeypatch.setattr(IndexSync, "rebuild", ctrl_c)
    r = CliRunner().invoke(main, ["--home", str(home), *args], catch_exceptions=False)
    assert r.exit_code == 130 and "Traceback" not in r.output
    assert r.stderr == said.format(home=shlex.quote(str(home)))


def test_an_interrupted_build_before_a_search_is_an_index_interrupted(home: Path, tmp_path: Path) -> None:
    eng = Engine(home)
    eng.import_paths([write_jsonl(tmp_path / "feed.jsonl", RECORDS)], index=False)
    with pytest.raises(IndexInterrupted) as stopped:
        eng.ensure_index(progress=ctrl_c)
    assert (stopped.value.rebuild, stopped.value.answers) == (True, False)
    assert eng.search("марафон").total == 1  # the next search builds it
    eng.close()


@pytest.mark.parametrize("args, lexicon, said", [
    (["search", "марафон"], False, "Indexing 4 articles before searching…\n"
                                   "Interrupted: no index was built, so there is none to search yet (corpus/ is "
                                   "untouched); run `searchkit --home {home} index` to build it (or search again).\n"),
    (["similar", "k1"], False, "Indexing 4 articles before searching…\n"
                               "Interrupted: no index was built, so there is none to search yet (corpus/ is "
                               "untouched); run `searchkit --home {home} index` to build it (or search again).\n"),
    (["search", "марафон"], True, "Rebuilding the index: the lemmas in lexicon.tsv changed.\n"
                                  "Interrupted: the rebuild stopped; the index as it was is kept, and corpus/ is "
                                  "untouched; run `searchkit --home {home} index` to rebuild it (or search again).\n"),
])
def test_ctrl_c_during_the_build_before_a_search_says_what_is_kept_and_what_to_run(
        home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], lexicon: bool,
        said: str) -> None:
    # it said only "Interrupted." after `import --no-index`, where `import` and `index` say more
    from searchkit.ingest.sync import IndexSync

    Engine(home).import_paths([write_jsonl(tmp_path / "feed.jsonl", RECORDS)], index=lexicon)
    if lexicon:  # the index answers, but must be rebuilt before the next search
        (home / "lexicon.tsv").write_text("марафон -> марафон\n", encoding="utf-8")
    monkeypatch.setattr(IndexSync, "rebuild", ctrl_c)
    r = CliRunner().invoke(main, ["--home", str(home), *args], catch_exceptions=False)
    assert r.exit_code == 130 and "Traceback" not in r.output
    assert r.stderr == said.format(home=shlex.quote(str(home)))


BACKLOG = [{"id": f"b{i:02d}", "title": f"Толока номер {i}",
            "text": f"Толока номер {i}: мешканці прибрали берег ставка й посадили верби."} for i in range(30)]


def interrupt_after(n: int):
    """A progress callback that presses Ctrl-C once ``n`` or more articles are counted done."""

    def progress(done: int, total: int | None) -> None:
        if done >= n:
            raise KeyboardInterrupt

    return progress


def with_a_backlog_of_thirty(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """``home`` with RECORDS indexed and BACKLOG stored but not indexed, writers
    committing ten articles at a time."""
    monkeypatch.setattr(library, "IMPORT_BATCH", 10)
    monkeypatch.setattr(library, "IMPORT_GROWTH", 0.0)
    monkeypatch.setattr(library, "IMPORT_BATCH_MAX", 10)
    eng = Engine(home)
    eng.import_paths([write_jsonl(tmp_path / "first.jsonl", RECORDS)])
    eng.import_paths([write_jsonl(tmp_path / "backlog.jsonl", BACKLOG)], index=False)
    return eng


def test_an_interrupted_catch_up_keeps_the_batches_it_committed_and_the_next_has_fewer_to_do(
        home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    eng = with_a_backlog_of_thirty(home, tmp_path, monkeypatch)
    assert eng.unindexed()[0] == 30
    with pytest.raises(IndexInterrupted) as stopped:
        eng.index(progress=interrupt_after(20))  # once two batches of ten are committed
    assert not stopped.value.rebuild and stopped.value.answers
    assert stopped.value.behind == eng.unindexed()[0] == 10
    assert eng.search("толока").total == 20  # the committed batches answer
    assert eng.index().indexed == 10  # only the rest
    assert eng.unindexed()[0] == 0
    assert eng.search("толока").total == 30
    eng.close()


def test_ctrl_c_during_a_catch_up_says_how_many_are_still_not_searchable(
        home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with_a_backlog_of_thirty(home, tmp_path, monkeypatch).close()
    commits = 0
    apply = SearchIndex.apply

    def ctrl_c_at_the_third_commit(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal commits
        commits += 1
        if commits == 3:
            raise KeyboardInterrupt
        return apply(self, *args, **kwargs)

    monkeypatch.setattr(SearchIndex, "apply", ctrl_c_at_the_third_commit)
    r = CliRunner().invoke(main, ["--home", str(home), "index"], catch_exceptions=False)
    assert r.exit_code == 130 and "Traceback" not in r.output
    assert r.stderr == ("Interrupted: the update stopped with 10 stored articles not searchable yet (what it indexed "
                        "before stays searchable), and corpus/ is untouched; run "
                        f"`searchkit --home {shlex.quote(str(home))} index` to bring it up to date.\n")


def test_an_interrupted_import_catching_up_keeps_the_backlog_batches_it_committed(
        home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    eng = with_a_backlog_of_thirty(home, tmp_path, monkeypatch)
    new = write_jsonl(tmp_path / "new.jsonl", [{"id": "n1", "text": "Біля ставка відкрили нову альтанку."}])
    with pytest.raises(ImportInterrupted) as stopped:
        eng.import_paths([new], index_progress=interrupt_after(20))  # the backlog first: two batches of it
    assert stopped.value.behind == 10
    assert stopped.value.stored == 0  # (stopped before its own articles: the backlog comes first)
    assert eng.unindexed()[0] == 10
    assert eng.import_paths([new]).added == 1  # the next one catches up on the ten left, then stores its own
    assert eng.unindexed()[0] == 0


def deletes_then_ctrl_c(monkeypatch: pytest.MonkeyPatch, files: int) -> None:
    """Ctrl-C pressed once ``files`` article files are deleted from corpus/."""
    from searchkit.store.corpus import Corpus

    delete, calls = Corpus.delete, [0]

    def delete_then_ctrl_c(self: Corpus, article_id: str) -> bool:
        calls[0] += 1
        if calls[0] > files:
            raise KeyboardInterrupt
        return delete(self, article_id)

    monkeypatch.setattr(Corpus, "delete", delete_then_ctrl_c)


def test_an_interrupted_delete_says_what_it_deleted_and_the_next_writer_finishes_the_index(
        home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from searchkit import DeleteInterrupted

    eng = Engine(home)
    eng.import_paths([write_jsonl(tmp_path / "feed.jsonl", RECORDS)])
    deletes_then_ctrl_c(monkeypatch, 2)
    with pytest.raises(DeleteInterrupted) as stopped:
        eng.delete(["k1", "k2", "k3"])
    assert isinstance(stopped.value, KeyboardInterrupt)  # code that catches Ctrl-C still does
    assert (stopped.value.deleted, stopped.value.unreached) == (2, 1)
    assert "the next writer" in str(stopped.value) and "`Engine.index()`" in str(stopped.value)
    monkeypatch.undo()
    assert eng.search("мед").total == 0 and eng.search("паводок").total == 1  # k1 gone, k3 kept
    assert eng.index().deleted == 2 and eng.unindexed() == (0, 2)
    eng.close()


@pytest.mark.parametrize("files, said", [
    (2, "Interrupted: 2 articles deleted, which searches leave out already, and 1 ID not gone through; run "
        "`searchkit --home {home} index` to drop them from the index too (the next import or delete does it as "
        "well), and the delete again for the rest.\n"),
    (0, "Interrupted: no article was deleted.\n"),
])
def test_ctrl_c_during_delete_says_what_was_deleted_in_one_line(home: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch, files: int,
                                                               said: str) -> None:
    Engine(home).import_paths([write_jsonl(tmp_path / "feed.jsonl", RECORDS)])
    deletes_then_ctrl_c(monkeypatch, files)
    r = CliRunner().invoke(main, ["--home", str(home), "delete", "k1", "k2", "k3"], catch_exceptions=False)
    assert r.exit_code == 130 and "Traceback" not in r.output
    assert r.stderr == said.format(home=shlex.quote(str(home)))


def test_ctrl_c_while_a_delete_writes_the_index_says_every_article_was_deleted(
        home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from searchkit.backends.whoosh import bulk

    Engine(home).import_paths([write_jsonl(tmp_path / "feed.jsonl", RECORDS)])
    monkeypatch.setattr(bulk.BulkWriter, "commit", ctrl_c)
    r = CliRunner().invoke(main, ["--home", str(home), "delete", "k1", "k2"], catch_exceptions=False)
    assert r.exit_code == 130 and "Traceback" not in r.output
    assert r.stderr == (f"Interrupted: 2 articles deleted, which searches leave out already; run `searchkit --home "
                        f"{shlex.quote(str(home))} index` to drop them from the index too (the next import or delete "
                        "does it as well).\n")
    monkeypatch.undo()
    eng = Engine(home)
    assert eng.search("бібліотека").total == 0 and eng.count() == 2
    eng.close()
