"""The in-memory vocabulary finds the words Whoosh's terms table finds, is saved beside each
segment, and corrections over it still find one- and two-edit typos."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searchkit import Engine
from searchkit.backends.whoosh import FUZZY_PREFIX, vocabulary
from searchkit.query.suggest import osa_distance

from .conftest import write_jsonl
from .synth import articles

TYPED = ["мовнi", "табори", "тбаори", "фестивль", "електростанцію", "елекростанцію", "електростнцію",
         "реконструкцию", "волонтери", "підтримали", "зареєстрували", "зареєстрвали", "я", "zzz"]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("vocab")
    eng = Engine.init(root / "home")
    eng.import_paths([write_jsonl(root / "a.jsonl", list(articles(60, seed=5)))])
    eng.import_paths([write_jsonl(root / "b.jsonl", list(articles(20, seed=6, prefix="t")))])
    eng.close()
    return root / "home"


def live_generation(home: Path) -> Path:
    return home / "index" / (home / "index" / "CURRENT").read_text().strip()


def test_every_segment_has_its_word_list_saved_after_indexing(home: Path):
    eng = Engine(home)
    s = eng.backend_index.searcher()
    segments = [leaf.reader().segment().segment_id() for leaf, _ in s.leaf_searchers()]
    assert len(segments) == 2
    assert sorted(p.name for p in live_generation(home).glob("*.vocab")) == sorted(f"{s}.vocab" for s in segments)
    eng.close()


def near_by_scan(words: list[str], typed: str, maxdist: int) -> set[str]:
    return {w for w in words if w[:FUZZY_PREFIX] == typed[:FUZZY_PREFIX] and osa_distance(w, typed, maxdist) <= maxdist}


def test_words_one_edit_away_are_every_one_a_scan_finds(home: Path):
    eng = Engine(home)
    words = eng.backend_index.vocabulary()
    assert list(words) == sorted(set(words))
    for typed in TYPED:
        assert vocabulary.within(words, typed, 1, FUZZY_PREFIX) == near_by_scan(words, typed, 1), typed
    eng.close()


def test_words_two_edits_away_include_whooshs_and_swaps(home: Path):
    eng = Engine(home)
    words = eng.backend_index.vocabulary()
    r = eng.backend_index.searcher().reader()
    for typed in TYPED:
        found = vocabulary.within(words, typed, 2, FUZZY_PREFIX)
        # Whoosh's own automaton on each segment (plain Levenshtein: a swap is two edits)
        by_whoosh = {t for leaf in r.leaf_readers() for f in vocabulary.FIELDS
                     for t in leaf[0].terms_within(f, typed, 2, prefix=FUZZY_PREFIX)}
        assert by_whoosh <= found == near_by_scan(words, typed, 2), typed
    assert "табори" in vocabulary.within(words, "тбаорі", 2, FUZZY_PREFIX)  # a swap and a slip
    eng.close()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="аабвʼ-", min_size=1, max_size=5), max_size=40),
       st.text(alphabet="аабвʼ-", min_size=1, max_size=6))
def test_words_one_edit_away_by_their_second_letter_are_every_one_a_scan_finds(listed: list[str], typed: str):
    # one edit keeps the first two letters, or is at the second letter (dropped, swapped
    # with the third, replaced, another put before it): few letters make every case meet
    words = sorted(set(listed))
    assert vocabulary.within(words, typed, 1, FUZZY_PREFIX) == near_by_scan(words, typed, 1)


def test_two_swaps_are_two_edits_and_a_swap_with_a_letter_between_is_three():
    words = sorted(["ремонт", "ремонтні"])
    assert vocabulary.within(words, "рмеотн", 2, FUZZY_PREFIX) == {"ремонт"}
    assert vocabulary.within(words, "ренмт", 2, FUZZY_PREFIX) == set()  # нм -> мон
    assert vocabulary.within(words, "рмеонт", 1, FUZZY_PREFIX) == {"ремонт"}


def test_a_missing_word_list_is_rebuilt_from_the_index(home: Path):
    for path in live_generation(home).glob("*.vocab"):
        path.unlink()
    eng = Engine(home)
    assert "електростанція" in eng.backend_index.vocabulary()
    assert len(list(live_generation(home).glob("*.vocab"))) == 2  # saved again for the next process
    eng.close()


def test_a_damaged_word_list_is_read_again_from_the_index_not_called_a_damaged_index(home: Path):
    # (its bytes cut inside a letter: "the index is damaged (UnicodeDecodeError ...)", rebuild it)
    for path in live_generation(home).glob("*.vocab"):
        path.write_bytes(path.read_bytes()[:-1] + b"\xd0")
    eng = Engine(home)
    assert "електростанція" in eng.backend_index.vocabulary()
    assert eng.search("елекростанцію").corrected_query == "електростанцію"
    eng.close()
    assert all(p.read_bytes()[-1:] != b"\xd0" for p in live_generation(home).glob("*.vocab"))  # saved whole again


@pytest.mark.parametrize(("typed", "fixed"), [("електростанцію", None), ("елекростанцію", "електростанцію"),
                                                ("елекростанціюю", "електростанцію"), ("фестивль", "фестиваль")])
def test_one_and_two_edit_typos_are_corrected(home: Path, typed: str, fixed: str | None):
    eng = Engine(home)
    res = eng.search(typed)
    assert res.corrected_query == fixed and res.total > 0
    eng.close()


@pytest.mark.parametrize("chunk", [16, 1000])
def test_the_terms_table_read_in_small_chunks_gives_the_same_words(home: Path, monkeypatch: pytest.MonkeyPatch,
                                                                    chunk: int):
    eng = Engine(home)
    try:
        readers = [leaf.reader() for leaf, _ in eng.backend_index.searcher().leaf_searchers()]
        whole = [vocabulary._scan(r) for r in readers]
        monkeypatch.setattr(vocabulary, "_CHUNK", chunk)  # records cross chunk ends; 16 < some keys
        assert [vocabulary._scan(r) for r in readers] == whole
        expected = {t.decode() for r in readers for f in vocabulary.FIELDS for t in r.lexicon(f)}
        assert set().union(*whole) == expected
    finally:
        eng.close()


def test_the_word_list_the_writer_saves_is_what_the_index_holds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # The writer saves each new segment's words from the terms it wrote (no read-back):
    # they must be exactly the forms and body lemmas of the segment's terms table, for a
    # fresh build and for an update that merged segments in.
    scan = vocabulary._scan

    def no_read_back(reader):
        raise AssertionError("a word list was read back from the index")

    monkeypatch.setattr(vocabulary, "_scan", no_read_back)
    eng = Engine.init(tmp_path / "home")
    eng.import_paths([write_jsonl(tmp_path / "a.jsonl", list(articles(40, seed=7)))])
    for k in range(3):
        eng.import_paths([write_jsonl(tmp_path / f"u{k}.jsonl", list(articles(5, seed=20 + k, prefix=f"u{k}")))])
    try:
        folder = live_generation(tmp_path / "home")
        for leaf, _ in eng.backend_index.searcher().leaf_searchers():
            r = leaf.reader()
            saved = vocabulary._load(folder / f"{r.segment().segment_id()}.vocab")
            assert saved is not None and saved == scan(r)
    finally:
        eng.close()


def test_a_word_list_the_disk_refuses_waits_for_a_search_but_a_bug_saving_it_shows(tmp_path: Path,
                                                                                  monkeypatch: pytest.MonkeyPatch):
    eng = Engine.init(tmp_path / "home")
    try:
        eng.import_paths([write_jsonl(tmp_path / "a.jsonl", list(articles(30, seed=8)))])

        def refused(folder: Path, segment_id: str, words: list[str]) -> None:
            raise OSError(28, "No space left on device")

        for lists in live_generation(tmp_path / "home").glob("*.vocab"):
            lists.unlink()  # (a home indexed before the lists were kept: a commit saves them)
        monkeypatch.setattr(vocabulary, "save", refused)
        more = list(articles(5, seed=9, prefix="b"))
        eng.import_paths([write_jsonl(tmp_path / "b.jsonl", more)])  # (it saves no list, and says nothing)
        word = max(more[0]["text"].split(), key=len).strip(".,!?:;").lower()
        assert eng.search(f"{word}~").total and eng.stats().articles == 35  # the fuzzy word reads the lists

        def broken(folder: Path, segment_id: str, words: list[str]) -> None:
            raise RuntimeError("a bug in saving the list")

        monkeypatch.setattr(vocabulary, "save", broken)
        with pytest.raises(RuntimeError, match="a bug in saving the list"):
            eng.import_paths([write_jsonl(tmp_path / "c.jsonl", list(articles(5, seed=10, prefix="c")))])
    finally:
        eng.close()
