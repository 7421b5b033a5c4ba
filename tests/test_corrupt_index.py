"""A damaged index is reported as damaged, with the command that fixes it, never with a
traceback; the rebuild from corpus/ restores it. A damaged article file is reported by
name and the rest is indexed."""

from __future__ import annotations

import gc
import json
import os
import random
import shlex
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from searchkit import ArticleDamaged, Backlog, Engine, InputError
from searchkit.advice import in_command_words
from searchkit.cli import main

from .clirun import cli
from .synth import COMMON_WORD, articles, write_jsonl

# Whoosh leaves the files of a damaged index open when it fails to read them (the garbage
# collector closes them); that is its business, not a leak of searchkit's.
pytestmark = pytest.mark.filterwarnings("ignore:unclosed file .*/index/gen-:ResourceWarning")


@pytest.fixture(autouse=True)
def _collect_whoosh_leftovers() -> Iterator[None]:
    yield
    with warnings.catch_warnings():  # close them here, not during some later test
        warnings.filterwarnings("ignore", "unclosed file .*/index/gen-", ResourceWarning)
        gc.collect()

N = 40
DAMAGED = "Error: the index is damaged"
def hint(home) -> str:
    """The advice after the error, naming the home given with --home."""
    return f" — run `searchkit --home {shlex.quote(str(home))} index --rebuild` to rebuild it from corpus/"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    h = tmp_path / "home"
    write_jsonl(tmp_path / "feed.jsonl", articles(N))
    Engine.init(h).import_paths([tmp_path / "feed.jsonl"])
    return h


def run(home: Path, *args: str) -> Result:
    r = CliRunner().invoke(main, ["--home", str(home), *args], catch_exceptions=False)
    # A damaged index may quote its own decoder ("unexpected MARK found"); a bug says "Error: unexpected".
    assert "Traceback" not in r.stderr and "Error: unexpected" not in r.stderr, r.stderr
    return r


def generation(home: Path) -> Path:
    return home / "index" / (home / "index" / "CURRENT").read_text().strip()


def segment(home: Path) -> Path:
    (seg,) = generation(home).glob("*.seg")
    return seg


def toc(home: Path) -> Path:
    (t,) = generation(home).glob("_MAIN_*.toc")
    return t


def truncate(path: Path, keep: float) -> None:
    with open(path, "r+b") as f:
        f.truncate(int(path.stat().st_size * keep))


def overwrite(path: Path, data: bytes, at: float = 0.5) -> None:
    with open(path, "r+b") as f:
        f.seek(int(path.stat().st_size * at))
        f.write(data)


DAMAGE: dict[str, Callable[[Path], None]] = {
    "segment deleted": lambda h: segment(h).unlink(),
    "segment emptied": lambda h: truncate(segment(h), 0),
    "segment cut in half": lambda h: truncate(segment(h), 0.5),
    "segment cut near the end": lambda h: truncate(segment(h), 0.97),
    "table of contents deleted": lambda h: toc(h).unlink(),
    "table of contents cut": lambda h: truncate(toc(h), 0.4),
    "table of contents garbage": lambda h: overwrite(toc(h), bytes(random.Random(1).randrange(256) for _ in range(600)),
                                                     at=0.8),
    "CURRENT garbage": lambda h: (h / "index" / "CURRENT").write_bytes(b"\xff\xfe\x00garbage"),
    "CURRENT outside the index": lambda h: (h / "index" / "CURRENT").write_text("../../etc\n"),
    "CURRENT empty": lambda h: (h / "index" / "CURRENT").write_text(""),
    "generation deleted": lambda h: __import__("shutil").rmtree(generation(h)),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_search_on_a_damaged_index_says_so_and_rebuild_restores_it(home, damage):
    DAMAGE[damage](home)
    r = run(home, "search", COMMON_WORD)
    assert r.exit_code == 2
    (line,) = r.stderr.splitlines()
    assert line.startswith(DAMAGED) and line.endswith(hint(home))

    r = run(home, "index", "--rebuild")
    assert r.exit_code == 0 and f"Index rebuilt: {N} articles." in r.stdout
    r = run(home, "search", COMMON_WORD, "--json", "--no-collapse")
    assert r.exit_code == 0 and json.loads(r.stdout)["total"] == N
    assert sorted(os.listdir(home / "index")) == ["CURRENT", generation(home).name]


@pytest.mark.parametrize("damage", ["segment cut in half", "table of contents deleted", "CURRENT garbage",
                                    "generation deleted"])
def test_stats_on_a_damaged_index_says_so(home, damage):
    DAMAGE[damage](home)
    r = run(home, "stats")
    assert r.exit_code == 2 and r.stderr.startswith(DAMAGED)


@pytest.mark.parametrize("damage", ["segment cut in half", "table of contents deleted", "CURRENT garbage",
                                    "generation deleted"])
def test_stats_from_python_on_a_damaged_index_raises_index_damaged_with_the_rebuild_advice(home, damage):
    # (not a Stats of zeros: its counts are the index's, and 0 articles would read as an empty archive)
    from searchkit import IndexDamaged

    DAMAGE[damage](home)
    with Engine(home) as eng:
        with pytest.raises(IndexDamaged) as damaged:
            eng.stats()
        assert str(damaged.value).startswith("the index is damaged")
        assert damaged.value.hint == "run `Engine.index(rebuild=True)` to rebuild it from corpus/"
        eng.index(rebuild=True)
        stats = eng.stats()
        assert (stats.articles, stats.corpus_articles, stats.index_up_to_date) == (N, N, True)


@pytest.mark.parametrize("damage", ["segment cut in half", "table of contents deleted", "CURRENT garbage"])
def test_index_and_import_rebuild_a_damaged_index_themselves(home, tmp_path, damage):
    DAMAGE[damage](home)
    write_jsonl(tmp_path / "more.jsonl", articles(5, prefix="m"))
    r = run(home, "import", str(tmp_path / "more.jsonl"))
    assert r.exit_code == 0, r.stderr
    assert json.loads(run(home, "stats", "--json").stdout)["index_up_to_date"] is True
    assert json.loads(run(home, "search", COMMON_WORD, "--json", "--no-collapse").stdout)["total"] == N + 5

    DAMAGE[damage](home)
    r = run(home, "index")
    assert r.exit_code == 0 and "Index rebuilt" in r.stdout
    assert json.loads(run(home, "search", COMMON_WORD, "--json", "--no-collapse").stdout)["total"] == N + 5


def test_random_damage_to_a_segment_never_gives_a_traceback(home):
    rnd = random.Random(99)
    for _ in range(12):
        seg = segment(home)
        overwrite(seg, bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 4000))), at=rnd.random())
        r = run(home, "search", COMMON_WORD)
        # Whoosh has no checksums: some damage goes unnoticed; what is noticed is reported.
        # (A read that runs out of memory on a garbage length can make CPython itself print
        # "SystemError: deallocated bytearray object has exported buffers" first: not ours
        # to silence, and not a traceback.)
        lines = r.stderr.strip().splitlines()
        assert r.exit_code in (0, 1) or (r.exit_code == 2 and lines[-1].startswith(DAMAGED)
                                         and all(line.startswith(("SystemError: deallocated", DAMAGED))
                                                 for line in lines))
        assert "Traceback" not in r.stderr
        assert run(home, "index", "--rebuild").exit_code == 0


def test_a_damaged_index_is_reported_by_a_real_process_too(home):
    truncate(segment(home), 0.5)
    r = cli(home, "search", COMMON_WORD)
    assert r.returncode == 2 and r.stderr.startswith(DAMAGED) and "Traceback" not in r.stderr
    assert cli(home, "index", "--rebuild").returncode == 0
    assert cli(home, "search", COMMON_WORD).returncode == 0


def test_missing_index_metadata_just_triggers_a_rebuild(home):
    (generation(home) / "searchkit.json").write_text("{not json")
    r = run(home, "search", COMMON_WORD, "--json", "--no-collapse")
    assert r.exit_code == 0 and json.loads(r.stdout)["total"] == N


@pytest.mark.parametrize("garbage", [b"{\"id\": \"s000003\", \"te", b"\xff\xfe\x00\x01", b"[" * 50_000, b""])
def test_a_damaged_article_file_is_reported_and_the_rest_indexed(home, garbage):
    eng = Engine(home)
    path = eng.corpus.path_for("s000003")
    path.write_bytes(garbage)
    for args in (["index"], ["index", "--rebuild"]):
        r = run(home, *args)
        assert r.exit_code == 2
        (line,) = r.stderr.splitlines()
        assert line.startswith(f"Error: {path}: damaged article file (")
        # (the command it advises names the home given, as every other error's does)
        advised = in_command_words(ArticleDamaged.hint).replace("`searchkit index`", f"`searchkit --home {home} index`")
        assert line.endswith(f"; {advised}")
    assert json.loads(run(home, "search", COMMON_WORD, "--json", "--no-collapse").stdout)["total"] == N - 1
    r = run(home, "show", "s000003")
    assert r.exit_code == 2 and r.stderr.startswith(f"Error: {path}: damaged article file")


def test_an_article_file_edited_to_hold_another_articles_id_is_named_not_indexed_as_that_article(home):
    # An id edited by hand into another article's made the two one article of the index:
    # a search for the edited file's words listed the other article, and every `index`
    # said `1 added or changed` again, for ever.
    eng = Engine(home)
    path, other = eng.corpus.path_for("s000003"), eng.corpus.path_for("s000004")
    kept = eng.get("s000004").text
    record = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**record, "id": "s000004"}, ensure_ascii=False), encoding="utf-8")
    for args in (["index"], ["index"], ["index", "--rebuild"]):
        r = run(home, *args)
        assert r.exit_code == 2 and "1 added or changed" not in r.stdout, r.stdout
        (line,) = r.stderr.splitlines()
        assert line.startswith(f"Error: {path}: damaged article file (it holds the id 's000004', whose article is "
                               f"stored in corpus/{other.parent.name}/{other.name})")
    assert json.loads(run(home, "show", "s000004", "--json").stdout)["text"] == kept
    assert json.loads(run(home, "search", COMMON_WORD, "--json", "--no-collapse").stdout)["total"] == N - 1
    assert json.loads(run(home, "stats", "--json").stdout)["unreadable"] == 1


def test_index_json_names_a_damaged_article_file_in_the_words_its_error_line_has(home):
    # (its "errors" said "run `Engine.index()`" to someone who had typed `searchkit index --json`)
    path = Engine(home).corpus.path_for("s000003")
    path.write_bytes(b'{"id": "s000003", "te')
    r = run(home, "index", "--json")
    assert r.exit_code == 2
    (error,) = json.loads(r.stdout)["errors"]
    assert f"Error: {error}" == r.stderr.strip() and f"`searchkit --home {home} index`" in error


def test_stats_names_a_damaged_article_file_as_why_the_index_lags_not_a_change_to_index(home):
    # (it said "corpus/ has changed since it was indexed; run `searchkit index`", which
    # ran, named the file and left stats saying the same)
    Engine(home).corpus.path_for("s000003").write_bytes(b'{"id": "s000003", "te')
    assert run(home, "index").exit_code == 2
    r = run(home, "stats")
    line = next(x for x in r.stdout.splitlines() if "up to date" in x)
    assert line.split("up to date", 1)[1].strip() == (
        f"no: 1 article file in corpus/ cannot be read; fix or delete it (`searchkit --home {home} index` names it)")
    data = json.loads(run(home, "stats", "--json").stdout)
    assert data["unreadable"] == 1 and data["index_up_to_date"] is False
    Engine(home).corpus.path_for("s000003").unlink()  # deleted: now `index` is what to run
    data = json.loads(run(home, "stats", "--json").stdout)
    assert data["unreadable"] == 0 and data["index_outdated_reason"] == "corpus/ has changed since it was indexed"
    assert run(home, "index").exit_code == 0
    assert json.loads(run(home, "stats", "--json").stdout)["index_up_to_date"] is True


# -- a damaged article file behind the index: a search says to fix it, not to index again --


def fix_it(home: Path, n: int, stored: int) -> str:
    """The note of a search whose ``n`` articles behind are all damaged files."""
    if n == 1:
        return (f"Note: 1 of {stored} stored articles is not searchable: its file in corpus/ cannot be read; "
                f"fix or delete it (`searchkit --home {home} index` names it).")
    return (f"Note: {n} of {stored} stored articles are not searchable: their files in corpus/ cannot be read; "
            f"fix or delete them (`searchkit --home {home} index` names them).")


def note(home: Path) -> str:
    """The note a search of the home ends with on stderr ("" without one)."""
    lines = run(home, "search", COMMON_WORD).stderr.splitlines()
    return lines[-1] if lines and lines[-1].startswith("Note:") else ""


def put_by_hand(home: Path, article_id: str, data: bytes) -> Path:
    """An article file written into corpus/ by hand (the index not told)."""
    eng = Engine(home)
    path = eng.corpus.path_for(article_id)
    eng.close()
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("how", ["new file, index", "indexed file, index --rebuild"])
def test_search_with_only_a_damaged_file_behind_says_to_fix_it(home, how):
    # (it said "... not searchable yet ...: run `searchkit index`", which ran, named the
    # file, left it out and left the search saying the same)
    if how == "new file, index":
        put_by_hand(home, "by-hand", b'{"id": "by-hand", "te')
        args, stored = ["index"], N + 1
    else:
        Engine(home).corpus.path_for("s000003").write_bytes(b"\xff\xfe{")
        args, stored = ["index", "--rebuild"], N
    for _ in range(2):  # indexing again changes nothing
        assert run(home, *args).exit_code == 2
        assert note(home) == fix_it(home, 1, stored)
    data = json.loads(run(home, "search", COMMON_WORD, "--json").stdout)
    assert (data["unindexed"], data["stored"], data["unreadable"]) == (1, stored, 1)
    eng = Engine(home)
    assert eng.backlog() == Backlog(behind=1, stored=stored, unreadable=1)
    assert eng.unindexed() == (1, stored)
    eng.close()
    assert json.loads(run(home, "stats", "--json").stdout)["unreadable"] == 1  # stats follows the same rule


def test_search_says_to_run_index_once_the_damaged_file_is_fixed_and_nothing_once_it_is_indexed(home):
    path = put_by_hand(home, "by-hand", b'{"id": "by-hand", "te')
    run(home, "index")
    path.write_text(json.dumps({"id": "by-hand", "title": "Виправлено", "text": "Новина знову читається."},
                               ensure_ascii=False), encoding="utf-8")
    assert "not searchable yet" in note(home) and f"run `searchkit --home {home} index`" in note(home)
    assert run(home, "index").exit_code == 0
    assert note(home) == ""


def test_deleting_the_damaged_file_takes_the_note_away(home):
    path = put_by_hand(home, "by-hand", b"\xff\xfe")
    run(home, "index")
    path.unlink()
    assert note(home) == ""


def test_search_says_to_run_index_while_a_readable_article_waits_beside_a_damaged_file(home, tmp_path):
    put_by_hand(home, "by-hand", b'{"id": "by-hand", "te')
    run(home, "index")
    # stored by hand, and by an import without indexing (which leaves the pending mark):
    # `index` helps both, so that is the advice
    put_by_hand(home, "readable", json.dumps({"id": "readable", "title": "Т", "text": "Новина."}).encode())
    assert "not searchable yet" in note(home) and "fix or delete" not in note(home)
    write_jsonl(tmp_path / "more.jsonl", articles(1, prefix="m"))
    assert run(home, "import", "--no-index", str(tmp_path / "more.jsonl")).exit_code == 0
    assert "3 of 43 stored articles are not searchable yet" in note(home)
    assert run(home, "index").exit_code == 2
    assert note(home) == fix_it(home, 1, N + 3)


def test_damaged_files_the_second_indexing_process_reads_are_in_the_note_too(home, monkeypatch):
    from searchkit.ingest import pipeline

    monkeypatch.setattr(pipeline, "MIN_PARALLEL", 10)  # (the job is split between two processes)
    eng = Engine(home)
    relpaths = [f.relpath for f in eng.corpus.scan()]
    for relpath in (relpaths[0], relpaths[-1]):  # one for each process
        (eng.corpus.root / relpath).write_text("{ not json", encoding="utf-8")
    assert eng.index(rebuild=True).failed == 2
    assert eng.backlog() == Backlog(behind=2, stored=N, unreadable=2)
    eng.close()
    assert note(home) == fix_it(home, 2, N)


def test_a_damaged_file_left_out_of_a_build_while_importing_is_in_the_note(tmp_path):
    h = tmp_path / "home"
    write_jsonl(tmp_path / "first.jsonl", articles(5))
    eng = Engine.init(h)
    eng.import_paths([tmp_path / "first.jsonl"], index=False)  # stored, no index yet
    eng.corpus.path_for("s000002").write_bytes(b'{"id": "s000002", "te')
    write_jsonl(tmp_path / "more.jsonl", articles(5, prefix="m"))
    assert eng.import_paths([tmp_path / "more.jsonl"]).failed == 1  # the build takes corpus/ as it is
    assert eng.backlog() == Backlog(behind=1, stored=10, unreadable=1)
    eng.close()


@pytest.mark.parametrize("keep", [0.0, 0.5])
def test_a_damaged_postings_file_read_through_its_memory_map_is_reported(tmp_path, monkeypatch, keep):
    # A segment of its own files (not packed into a compound file) is read through a map
    # of its postings file: a short file is reported as damaged there too.
    from searchkit.backends.whoosh import bulk

    monkeypatch.setattr(bulk, "COMPOUND_MAX", 0)
    h = tmp_path / "home"
    write_jsonl(tmp_path / "feed.jsonl", articles(N))
    Engine.init(h).import_paths([tmp_path / "feed.jsonl"])
    (postings,) = generation(h).glob("*.pst")
    truncate(postings, keep)
    r = run(h, "search", COMMON_WORD)
    assert r.exit_code == 2
    (line,) = r.stderr.splitlines()
    assert line.startswith(DAMAGED) and line.endswith(hint(h))
    assert run(h, "index", "--rebuild").exit_code == 0
    assert json.loads(run(h, "search", COMMON_WORD, "--json", "--no-collapse").stdout)["total"] == N


def test_damage_a_search_met_in_a_postings_file_is_said_by_stats_and_rebuilt_by_index_and_import(tmp_path,
                                                                                                 monkeypatch):
    # A cut postings file leaves the table of contents whole: searches said the index was
    # damaged while `stats` said it was up to date, `index` changed nothing (`Index updated:
    # 0 added or changed, 0 removed.`, exit 0) and an import left it damaged.
    from searchkit.backends.whoosh import bulk

    monkeypatch.setattr(bulk, "COMPOUND_MAX", 0)  # (the postings in a file of their own)
    h = tmp_path / "home"
    write_jsonl(tmp_path / "feed.jsonl", articles(N))
    write_jsonl(tmp_path / "more.jsonl", articles(5, prefix="m"))
    Engine.init(h).import_paths([tmp_path / "feed.jsonl"])
    for command, total in ((["index"], N), (["import", str(tmp_path / "more.jsonl")], N + 5)):
        (postings,) = generation(h).glob("*.pst")
        truncate(postings, 0.5)
        assert run(h, "search", COMMON_WORD).stderr.startswith(DAMAGED)
        r = run(h, "stats")
        assert r.exit_code == 2 and r.stderr.startswith(DAMAGED) and r.stderr.endswith(hint(h) + "\n")
        r = run(h, *command)
        assert r.exit_code == 0, r.stderr
        assert json.loads(run(h, "stats", "--json").stdout)["index_up_to_date"] is True
        assert json.loads(run(h, "search", COMMON_WORD, "--json", "--no-collapse").stdout)["total"] == total


def test_a_bug_inside_a_search_is_reported_as_a_bug_not_as_a_damaged_index(home, monkeypatch):
    from searchkit.backends.whoosh import folding

    calls = []

    def buggy(*args, **kwargs):
        calls.append(args)
        raise NameError("name 'scroes' is not defined")

    monkeypatch.setattr(folding, "top", buggy)
    eng = Engine(home)
    with pytest.raises(NameError):
        eng.search(COMMON_WORD)
    eng.close()
    assert len(calls) == 1  # not retried as a read a writer disturbed: it would fail again
    r = CliRunner().invoke(main, ["--home", str(home), "search", COMMON_WORD], catch_exceptions=False)
    assert r.exit_code == 2 and DAMAGED not in r.stderr and "--rebuild" not in r.stderr
    assert "unexpected NameError: name 'scroes' is not defined" in r.stderr and "bug" in r.stderr


def test_an_error_of_the_querys_code_in_one_search_leaves_the_index_healthy_for_the_others(home, monkeypatch):
    # A KeyError the query's code raised (no read of the index's files) was noted as damage:
    # from then on every search and `stats` said the healthy index was damaged.
    from searchkit.query import compiling

    def buggy(self, fld):
        raise KeyError("x")

    with monkeypatch.context() as m:
        m.setattr(compiling.TreeCompiler, "fields_for", buggy)
        assert run(home, "search", COMMON_WORD).stderr.startswith(DAMAGED)  # (as before: that search)
    assert not (generation(home) / "DAMAGED").exists()
    assert json.loads(run(home, "stats", "--json").stdout)["index_up_to_date"] is True
    assert json.loads(run(home, "search", COMMON_WORD, "--json", "--no-collapse").stdout)["total"] == N


def test_an_error_of_the_evaluators_own_logic_in_one_search_leaves_the_index_healthy(home, monkeypatch):
    # The block evaluator lives in the backend, but a KeyError of its logic is a bug of
    # that search, not garbage bytes met in a file: never noted as damage.
    import types

    from searchkit.backends.whoosh import bulkeval

    def buggy(self, *args, **kwargs):
        raise KeyError("x")

    # (made a function of the evaluator's module: the error is raised in its code)
    in_bulkeval = types.FunctionType(buggy.__code__, vars(bulkeval), "docs")
    with monkeypatch.context() as m:
        m.setattr(bulkeval.BulkEvaluator, "docs", in_bulkeval)
        assert run(home, "search", COMMON_WORD).stderr.startswith(DAMAGED)  # (as before: that search)
    assert not (generation(home) / "DAMAGED").exists()
    assert json.loads(run(home, "stats", "--json").stdout)["index_up_to_date"] is True
    assert json.loads(run(home, "search", COMMON_WORD, "--json", "--no-collapse").stdout)["total"] == N


def test_a_damaged_topic_model_leaves_searches_ranked_without_it(tmp_path):
    h = tmp_path / "home"
    write_jsonl(tmp_path / "feed.jsonl", articles(60))
    Engine.init(h).import_paths([tmp_path / "feed.jsonl"])
    model = generation(h) / "topics.npz"
    overwrite(model, b"\xff" * 16)
    r = run(h, "search", COMMON_WORD, "--json", "--no-collapse")
    assert r.exit_code == 0 and json.loads(r.stdout)["total"] == 60


def test_a_damage_whose_error_text_has_a_line_break_is_still_one_line(engine, monkeypatch):
    # (pickle's "A load persistent id instruction was encountered,\nbut no persistent_load …")
    import pickle

    from searchkit.backends.whoosh import store

    def broken(*args, **kwargs):
        raise store.damaged(pickle.UnpicklingError("A load persistent id instruction was encountered,\n"
                                                   "but no persistent_load"))

    monkeypatch.setattr(Engine, "search", broken)
    r = CliRunner().invoke(main, ["--home", str(engine.home), "search", "табори"])
    assert r.exit_code == 2 and len(r.output.strip().splitlines()) == 1, r.output
    assert "encountered, but no persistent_load" in r.output


# -- a damaged article file still in the index: its hit and get() say so --


def damaged_home(tmp_path: Path) -> tuple[Engine, Path]:
    """A home of two articles about camps, the first one's file then overwritten with garbage."""
    rows = [{"id": "a1", "title": "Мовні табори", "text": "Мовні табори для дітей відкрили у Львові."},
            {"id": "a3", "title": "Літні табори", "text": "Літні табори прийняли школярів з усієї області."}]
    eng = Engine.init(tmp_path / "h1")
    write_jsonl(tmp_path / "feed.jsonl", iter(rows))
    eng.import_paths([tmp_path / "feed.jsonl"])
    path = eng.corpus.path_for("a1")
    path.write_text("{not json", encoding="utf-8")
    return eng, path


def test_a_hit_whose_stored_file_is_damaged_is_listed_with_a_warning_not_a_silent_empty_snippet(tmp_path):
    eng, path = damaged_home(tmp_path)
    r = eng.search("табори")
    eng.close()
    assert r.total == 2
    (bad,) = [h for h in r.hits if h.id == "a1"]
    assert bad.snippet.text == "" and [h.snippet.text != "" for h in r.hits if h.id == "a3"] == [True]
    relpath = path.relative_to(tmp_path / "h1").as_posix()
    assert (f"1 hit listed without a snippet: the stored article file could not be read ({relpath}); "
            f"{ArticleDamaged.hint}") in r.warnings


def test_get_of_a_damaged_article_file_names_it_and_says_what_to_do(tmp_path):
    eng, path = damaged_home(tmp_path)
    with pytest.raises(ArticleDamaged) as damaged:
        eng.get("a1")
    eng.close()
    assert str(damaged.value).startswith(f"{path}: damaged article file (")
    assert damaged.value.hint == ("restore the file from a backup, or remove it and run `Engine.index()` "
                                  "(then import the article again)")
    assert isinstance(damaged.value, InputError)  # (as it was: callers catching InputError still do)
