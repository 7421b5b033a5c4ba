"""Progress while an import or a build runs: every long stage moves the bar or says what it
does, so that its clock never stops for seconds (a bar that stands still looks hung)."""

from __future__ import annotations

import io
import re
import sys
import time
from pathlib import Path

import pytest

from searchkit import Engine
from searchkit.backends.base import GROUPING
from searchkit.backends.whoosh.writing import WRITING
from searchkit.cli import import_progress, progress_bar
from searchkit.cli.shell import Ctx
from searchkit.ingest.sync import REBUILDING
from searchkit.ingest.topics import LEARNING, READING

from .conftest import FakeTerminal
from .synth import articles
from .synth import write_jsonl as write_synth

ESC = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Heard:
    """A progress callback that is told of stages too (its ``stage`` method)."""

    def __init__(self) -> None:
        self.counts: list[tuple[int, int | None]] = []
        self.stages: list[tuple[str, int, int | None]] = []

    def __call__(self, done: int, total: int | None) -> None:
        self.counts.append((done, total))

    def stage(self, what: str, done: int, total: int | None) -> None:
        self.stages.append((what, done, total))


def test_a_first_import_tells_of_its_topic_model_and_its_commit(home: Path, tmp_path: Path) -> None:
    write_synth(tmp_path / "feed.jsonl", articles(60, prefix="n"))
    eng = Engine(home)
    assert eng.import_batch() is None  # no index yet: built in one go, after a model is learnt
    reading, indexing = Heard(), Heard()
    eng.import_paths([tmp_path / "feed.jsonl"], progress=reading, index_progress=indexing)
    eng.close()
    read = [(done, total) for what, done, total in indexing.stages if what == READING]
    assert read[0] == (0, 60) and read[-1] == (60, 60)
    assert [d for d, _ in read] == sorted(d for d, _ in read)
    learnt = [i for i, (what, _, _) in enumerate(indexing.stages) if what == LEARNING]
    written = [i for i, (what, _, _) in enumerate(indexing.stages) if what == WRITING]
    assert learnt and written and max(learnt) < min(written)
    # the count of articles indexed never takes a stage's numbers: it only grows
    assert [d for d, _ in indexing.counts] == sorted(d for d, _ in indexing.counts)
    assert indexing.counts[-1] == (60, 60) and not reading.stages


def test_a_rebuild_tells_of_the_same_stages_and_a_plain_callback_only_of_counts(home: Path, tmp_path: Path) -> None:
    write_synth(tmp_path / "feed.jsonl", articles(60, prefix="n"))
    eng = Engine(home)
    eng.import_paths([tmp_path / "feed.jsonl"])
    heard = Heard()
    eng.index(rebuild=True, progress=heard)
    assert {what for what, _, _ in heard.stages} == {READING, LEARNING, WRITING, GROUPING}
    plain: list[tuple[int, int | None]] = []
    eng.index(rebuild=True, progress=lambda done, total: plain.append((done, total)))
    eng.close()
    assert plain[-1] == (60, 60) and [d for d, _ in plain] == sorted(d for d, _ in plain)


def frames(terminal: FakeTerminal) -> list[str]:
    return [f for f in ESC.sub("", terminal.getvalue()).split("\r") if f.strip()]


def test_the_import_bar_says_what_it_does_before_it_indexes_and_its_clock_goes_on(
        monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.delenv("NO_COLOR", raising=False)
    with import_progress(Ctx(".", color=None), show=None, index=True, batch=None) as (reading, indexing):
        assert reading is not None and indexing is not None
        reading(4, 4)
        assert "Importing and indexing: storing" in frames(terminal)[-1] and "4/4" in frames(terminal)[-1]
        stage = indexing.stage
        stage(LEARNING, 0, None)
        time.sleep(1.1)
        stage(LEARNING, 0, None)
        learning = [f for f in frames(terminal) if LEARNING in f]
        assert learning and "0:00:01" in learning[-1]  # nothing counted, and the time still shown going on
        assert "/4" not in learning[-1]  # no count of another stage beside it
        indexing(2, 4)
        time.sleep(0.15)
        indexing(3, 4)
        last = frames(terminal)[-1]
        assert "Importing and indexing " in last and "3/4" in last and LEARNING not in last


def test_plain_progress_lines_name_a_stage(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    monkeypatch.setattr(sys, "stderr", out)
    with progress_bar(Ctx(".", color=None), "Indexing", show=True) as (update,):
        stage = update.stage
        stage(READING, 10, 10)
    assert out.getvalue() == f"Indexing: {READING}: 10 of 10 done\n"


def grown(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``home`` holding 60 articles (its topic model learnt from them) and a feed of 200
    more, imported in batches of 60, 120 and 20: the second grows the archive to four
    times the 60, so the import rebuilds the index there to learn again."""
    from searchkit import library

    monkeypatch.setattr(library, "IMPORT_BATCH", 40)
    write_synth(tmp_path / "old.jsonl", articles(60, prefix="o"))
    with Engine(home) as eng:
        eng.import_paths([tmp_path / "old.jsonl"])
        assert eng.stats().topics_learnt_from == 60
    write_synth(tmp_path / "new.jsonl", articles(200, prefix="n", seed=2))
    return tmp_path / "new.jsonl"


def test_an_import_that_rebuilds_to_learn_again_counts_the_rebuild_as_a_stage_of_its_own(
        home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    feed = grown(home, tmp_path, monkeypatch)
    reading, indexing = Heard(), Heard()
    with Engine(home) as eng:
        eng.import_paths([feed], progress=reading, index_progress=indexing)
        assert eng.stats().topics_learnt_from == 240  # rebuilt at the second batch
    rebuilt = [(done, total) for what, done, total in indexing.stages if what == REBUILDING]
    # every article of the archive then (the first batch's too), counted once, of all there were
    assert rebuilt[0] == (0, None) and rebuilt[-1] == (240, 240)
    assert [d for d, _ in rebuilt] == sorted(d for d, _ in rebuilt)
    # the import's own count: its articles indexed, of those stored so far, only growing
    assert [d for d, _ in indexing.counts] == sorted(d for d, _ in indexing.counts)
    assert max(t or 0 for _, t in indexing.counts) == 200 and indexing.counts[-1] == (200, 200)
    assert (180, 180) in indexing.counts  # the rebuild indexed the second batch: done


def test_plain_progress_of_an_import_that_rebuilds_names_the_rebuild_and_counts_no_more_than_exist(
        home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from searchkit.cli import main

    feed = grown(home, tmp_path, monkeypatch)
    r = CliRunner().invoke(main, ["--home", str(home), "import", "--progress", str(feed)], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    lines = r.stderr.splitlines()
    counted = [tuple(map(int, m.groups())) for line in lines if (m := re.fullmatch(r"Indexing: (\d+) of (\d+) done",
                                                                                 line))]
    assert counted and all(total <= 200 for _, total in counted)
    assert [d for d, _ in counted] == sorted(d for d, _ in counted)
    assert f"Indexing: {REBUILDING}..." in lines and f"Indexing: {REBUILDING}: 240 of 240 done" in lines
    totals = [int(t) for line in lines for t in re.findall(r" of (\d+) done", line)]
    assert max(totals) <= 260  # never more articles than the home holds


class InOrder(Heard):
    """:class:`Heard`, keeping counts and stages in the order they came."""

    def __init__(self) -> None:
        super().__init__()
        self.heard: list[tuple[str | None, int, int | None]] = []

    def __call__(self, done: int, total: int | None) -> None:
        self.heard.append((None, done, total))

    def stage(self, what: str, done: int, total: int | None) -> None:
        self.heard.append((what, done, total))


def test_the_last_stage_of_an_import_is_named_grouping_near_duplicates(home: Path, tmp_path: Path) -> None:
    # (a big import was silent for minutes after its last count, grouping near-duplicates)
    write_synth(tmp_path / "old.jsonl", articles(30, prefix="o"))
    write_synth(tmp_path / "new.jsonl", articles(30, prefix="n", seed=2))
    with Engine(home) as eng:
        built = InOrder()
        eng.import_paths([tmp_path / "old.jsonl"], index_progress=built)  # built in one go
        added = InOrder()
        eng.import_paths([tmp_path / "new.jsonl"], index_progress=added)  # into the index
    for heard in (built, added):
        whats = [what for what, _, _ in heard.heard]
        grouping = len(whats) - 1 - whats[::-1].index(GROUPING)
        assert heard.heard[grouping] == (GROUPING, 0, None)
        # the last stage, followed at most by the count that says all are done
        assert heard.heard[grouping + 1:] in ([], [(None, 30, 30)])


def test_plain_progress_of_an_import_says_when_it_groups_near_duplicates(home: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from searchkit.cli import main

    write_synth(tmp_path / "feed.jsonl", articles(30, prefix="n"))
    runner = CliRunner()
    for _ in range(2):  # the build of a new index, then an import into it
        r = runner.invoke(main, ["--home", str(home), "import", "--progress", str(tmp_path / "feed.jsonl")],
                          catch_exceptions=False)
        assert r.exit_code == 0, r.output
        assert f"Indexing: {GROUPING}..." in r.stderr.splitlines()
        write_synth(tmp_path / "feed.jsonl", articles(30, prefix="m", seed=3))


def test_an_import_of_a_json_array_counts_its_records_of_no_total_until_all_are_read(
        home: Path, tmp_path: Path) -> None:
    # (a .json file was counted as one record: the total grew with each, 9 of 9 then 10 of 10)
    import json

    (tmp_path / "feed.json").write_text(json.dumps(list(articles(10, prefix="j")), ensure_ascii=False),
                                        encoding="utf-8")
    write_synth(tmp_path / "more.jsonl", articles(5, prefix="l"))
    reading = Heard()
    with Engine(home) as eng:
        eng.import_paths([tmp_path / "more.jsonl", tmp_path / "feed.json"], progress=reading)
    assert [d for d, _ in reading.counts] == sorted(d for d, _ in reading.counts)
    assert all(total is None for _, total in reading.counts[:-1])
    assert reading.counts[-1] == (15, 15)


def test_plain_progress_of_an_import_says_no_total_before_it_knows_it(home: Path, tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from searchkit.cli import main

    (tmp_path / "feed.json").write_text(json.dumps(list(articles(10, prefix="j")), ensure_ascii=False),
                                        encoding="utf-8")
    r = CliRunner().invoke(main, ["--home", str(home), "import", "--progress", str(tmp_path / "feed.json")],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    importing = [line for line in r.stderr.splitlines() if line.startswith("Importing:")]
    assert importing[0] == "Importing: 1 done" and importing[-1] == "Importing: 10 of 10 done"
    assert not any(" of " in line for line in importing[:-1])


def test_the_import_bar_shows_a_count_alone_while_the_total_is_not_known(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.delenv("NO_COLOR", raising=False)
    for batch in (None, 2):  # stored first and indexed at the end, or indexed in batches
        with import_progress(Ctx(".", color=None), show=None, index=True, batch=batch) as (reading, indexing):
            assert reading is not None and indexing is not None
            for done in range(1, 6):
                reading(done, None)
                time.sleep(0.11)
            shown = frames(terminal)[-1]
            assert re.search(r" [1-5] ", shown) and not re.search(r"\d/\d|/\?", shown)  # no "5/5", no "5/?"
            reading(5, 5)
            time.sleep(0.11)  # (the bar redraws at most every 0.1 s)
            indexing(5, 5)
            assert "5/5" in frames(terminal)[-1]


def test_plain_progress_of_an_import_in_batches_counts_the_indexed_of_no_total_until_every_record_is_read(
        home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # (each batch counted of the articles stored so far: 40 of 40 done, then 160 of 160 done...)
    from click.testing import CliRunner

    from searchkit.cli import main

    feed = grown(home, tmp_path, monkeypatch)
    r = CliRunner().invoke(main, ["--home", str(home), "import", "--progress", str(feed)], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    lines = r.stderr.splitlines()
    all_read = lines.index("Importing: 200 of 200 done")
    indexed = [i for i, line in enumerate(lines) if re.fullmatch(r"Indexing: \d+ of \d+ done", line)]
    assert indexed and min(indexed) > all_read and lines[indexed[-1]] == "Indexing: 200 of 200 done"
