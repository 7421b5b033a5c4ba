"""The bulk segment writer writes what Whoosh's own writer writes."""

from __future__ import annotations

import gc
import hashlib
import os
import weakref
from pathlib import Path

import pytest
from whoosh import index
from whoosh.columns import VarBytesColumn
from whoosh.writing import SegmentWriter

from searchkit.backends.whoosh import bulk, codec, make_schema, prepare_document, runs, termtable, vocabulary
from searchkit.models import Article
from searchkit.text.analysis import Analyzer

SENTENCES = [
    "Лукашенко звільнив політв'язнів, серед них громадяни Литви.",
    "Влітку в області працюють мовні табори для дітей і дорослих.",
    "Минулого року в Києві відкрили нові станції метро.",
    "На фестивалі грали рок і джаз, рок-музиканти приїхали з Харкова.",
    "Уряд ухвалив бюджет на наступний рік після довгих дискусій.",
    "Вчені знайшли у Карпатах рідкісні рослини та комах.",
    "Мер пообіцяв відремонтувати дороги й мости до зими.",
    "Школярі вивчають англійську мову в літніх таборах.",
]


def articles(n: int) -> list[Article]:
    out = []
    for i in range(n):
        text = " ".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(1 + i % 5))
        out.append(Article(id=f"a{i:03d}", title=SENTENCES[(i * 3) % len(SENTENCES)][:40], text=text,
                           date=None, source=["Тест", "Інше джерело"][i % 2] if i % 3 else None))
    return out


@pytest.fixture(scope="module")
def docs() -> list[dict]:
    an = Analyzer()
    return [prepare_document(a, an, f"xx/{a.id}.json", "1-2") for a in articles(60)]


def build(path: Path, docs: list[dict], make) -> index.Index:  # type: ignore[no-untyped-def]
    path.mkdir()
    ix = index.create_in(str(path), make_schema())
    w = make(ix)
    for d in docs:
        w.add_document(**d)
    w.commit()
    return ix


def segment_files(path: Path) -> dict[str, str]:
    """Segment files by kind (the part after the random segment name) -> digest."""
    out = {}
    for name in os.listdir(path):
        if name.startswith("MAIN_") and "." in name and not name.endswith(".toc"):
            out[name.split(".", 1)[1]] = hashlib.sha1((path / name).read_bytes()).hexdigest()
    return out


def postings(ix: index.Index) -> dict[tuple[str, bytes], list[tuple[str, float, bytes]]]:
    """Every term's postings, read back through Whoosh (documents named by id)."""
    out = {}
    with ix.reader() as r:
        ids = {n: f["id"] for n, f in r.iter_docs()}
        for fieldname, text in r.all_terms():
            m = r.postings(fieldname, text)
            got = []
            while m.is_active():
                got.append((ids[m.id()], m.weight(), m.value()))
                m.next()
            out[(fieldname, text)] = sorted(got)
    return out


def test_one_run_segment_is_byte_for_byte_whooshs(tmp_path, docs):
    stock = build(tmp_path / "stock", docs, lambda ix: SegmentWriter(ix, compound=False))
    ours = build(tmp_path / "bulk", docs,
                 lambda ix: bulk.BulkWriter(ix, compress_min=0, compression=3, protocol=2, compound=False,
                                            packed=False))
    assert segment_files(tmp_path / "stock") == segment_files(tmp_path / "bulk")
    assert postings(stock) == postings(ours)


def test_spilled_runs_and_parallel_commit_read_back_the_same(tmp_path, docs, monkeypatch):
    monkeypatch.setattr(bulk, "_PARALLEL_MIN_TERMS", 0)
    stock = build(tmp_path / "stock", docs, lambda ix: SegmentWriter(ix))
    # limitmb=0: every document spills a run, so terms are joined across many runs.
    ours = build(tmp_path / "bulk", docs, lambda ix: bulk.BulkWriter(ix, limitmb=0, parallel=True))
    assert postings(stock) == postings(ours)
    with ours.searcher() as s:
        assert s.doc_count() == len(docs)
        assert s.document(id="a007")["path"] == "xx/a007.json"
    assert not [p for p in (tmp_path / "bulk").iterdir() if p.name.startswith(".runs-")]


def test_terms_kept_in_files_give_whooshs_terms_table_byte_for_byte(tmp_path, docs, monkeypatch):
    # A big segment's term entries wait in a file and its hash buckets are arrays: the
    # terms file must be the one Whoosh writes all the same.
    monkeypatch.setattr(termtable, "ENTRIES_IN_MEMORY", 5)
    build(tmp_path / "stock", docs, lambda ix: SegmentWriter(ix, compound=False))
    build(tmp_path / "bulk", docs,
          lambda ix: bulk.BulkWriter(ix, compress_min=0, compression=3, protocol=2, compound=False,
                                            packed=False))
    assert segment_files(tmp_path / "stock") == segment_files(tmp_path / "bulk")


def test_runs_read_in_small_chunks_and_entries_in_files_read_back_the_same(tmp_path, docs, monkeypatch):
    monkeypatch.setattr(bulk, "_PARALLEL_MIN_TERMS", 0)
    stock = build(tmp_path / "stock", docs, lambda ix: SegmentWriter(ix))
    whole = build(tmp_path / "whole", docs, lambda ix: bulk.BulkWriter(ix, word_fields=vocabulary.FIELDS))
    monkeypatch.setattr(termtable, "ENTRIES_IN_MEMORY", 7)
    monkeypatch.setattr(runs, "_RUN_CHUNK_BYTES", 1)  # a chunk per record
    path = tmp_path / "pieces"
    path.mkdir()
    pieces = index.create_in(str(path), make_schema())
    w = bulk.BulkWriter(pieces, limitmb=0, parallel=True, word_fields=vocabulary.FIELDS)
    for d in docs[:40]:  # limitmb=0: a run per document
        w.add_document(**d)
    w.pool.limit = 1 << 30
    for d in docs[40:]:  # still buffered at the commit, beside the runs
        w.add_document(**d)
    w.commit()
    assert postings(pieces) == postings(stock)

    def words(ix: index.Index) -> list[str]:
        with ix.reader() as r:
            return vocabulary.segment_words(Path(ix.storage.folder), r.segment().segment_id(), r, store=False)

    assert words(pieces) == words(whole)
    assert len(words(whole)) > 100
    assert not [p for p in (tmp_path / "pieces").iterdir() if p.name.startswith(".runs-")]


def test_merging_segments_goes_through_the_buffer(tmp_path, docs):
    stock = build(tmp_path / "stock", docs, lambda ix: SegmentWriter(ix))
    path = tmp_path / "bulk"
    ix = build(path, docs[:30], lambda ix: bulk.BulkWriter(ix))
    w = bulk.BulkWriter(ix)
    for d in docs[30:]:
        w.add_document(**d)
    w.commit(optimize=True)  # copies the first segment's postings in through add()
    assert len(ix._segments()) == 1
    assert postings(stock) == postings(ix)


def test_updates_replace_documents(tmp_path, docs):
    ix = build(tmp_path / "bulk", docs[:10], lambda ix: bulk.BulkWriter(ix))
    w = bulk.BulkWriter(ix)
    changed = dict(docs[3], stamp="new")
    w.update_document(**changed)
    w.commit()
    with ix.searcher() as s:
        assert s.doc_count() == 10
        assert s.document(id=docs[3]["id"])["stamp"] == "new"


def test_cancel_leaves_no_temporary_files(tmp_path, docs):
    path = tmp_path / "bulk"
    path.mkdir()
    ix = index.create_in(str(path), make_schema())
    w = bulk.BulkWriter(ix, limitmb=0)
    for d in docs[:5]:
        w.add_document(**d)
    w.cancel()
    assert not [p for p in path.iterdir() if p.name.startswith(".runs-")]
    with ix.searcher() as s:
        assert s.doc_count() == 0


def test_failing_helper_process_fails_the_commit(tmp_path, docs, monkeypatch):
    monkeypatch.setattr(bulk, "_PARALLEL_MIN_TERMS", 0)
    path = tmp_path / "bulk"
    path.mkdir()
    ix = index.create_in(str(path), make_schema())
    w = bulk.BulkWriter(ix, parallel=True)
    for d in docs[:5]:
        w.add_document(**d)
    real = w._write_field

    def write_field(name, postfile):  # type: ignore[no-untyped-def]
        if os.getpid() != parent:
            raise RuntimeError("disk full")
        return real(name, postfile)

    parent = os.getpid()
    monkeypatch.setattr(w, "_write_field", write_field)
    with pytest.raises(OSError, match="helper process failed"):
        w.commit()
    w.cancel()
    with ix.searcher() as s:
        assert s.doc_count() == 0


def test_updates_keep_the_segment_count_bounded(tmp_path, monkeypatch):
    from searchkit import Engine
    from searchkit.backends.whoosh.merging import FACTOR

    eng = Engine.init(tmp_path / "home")
    n = 2 * FACTOR + 3
    for batch in range(n):
        eng.corpus.put(Article(id=f"b{batch}", title=f"Випуск {batch}", text=SENTENCES[batch % len(SENTENCES)],
                               date=None))
        eng.index()
        # Small updates share the lowest level: FACTOR of them merge into one.
        assert eng.backend_index.segment_count() <= FACTOR
    assert eng.search("табори").total >= 1
    assert eng.stats().articles == n
    eng.close()


def test_only_small_segments_are_packed_into_a_compound_file(tmp_path, docs, monkeypatch):
    small = build(tmp_path / "small", docs, lambda ix: bulk.BulkWriter(ix))
    assert [p.name for p in (tmp_path / "small").iterdir() if p.suffix == ".seg"]
    monkeypatch.setattr(bulk, "COMPOUND_MAX", 0)
    big = build(tmp_path / "big", docs, lambda ix: bulk.BulkWriter(ix))
    assert not [p.name for p in (tmp_path / "big").iterdir() if p.suffix == ".seg"]
    assert postings(small) == postings(big)


@pytest.mark.parametrize("finish", ["commit", "cancel"])
def test_a_finished_writer_releases_its_buffer_without_the_cycle_collector(tmp_path, docs, finish):
    # Bulk work runs full collections rarely (searchkit.store.gcmode): a writer kept alive by a
    # reference cycle would keep its posting buffer, one per import batch.
    path = tmp_path / "bulk"
    path.mkdir()
    ix = index.create_in(str(path), make_schema())
    w = bulk.BulkWriter(ix, parallel=True)
    for d in docs:
        w.add_document(**d)
    assert w.pool.fields
    getattr(w, finish)()
    assert not w.pool.fields
    buffer = w.pool
    # Whoosh's FileStorage.create keeps the error of its makedirs in a local (a cycle
    # through its frame, whose callers' frames hold the writer being built): that garbage
    # is Whoosh's and goes at the next collection, which may or may not have come by now.
    # Collected first, what is left to test is whether the writer makes a cycle of its own.
    gc.collect()
    gc.disable()
    try:
        ref = weakref.ref(buffer)
        del w, buffer
        assert ref() is None
    finally:
        gc.enable()


def hand_over(ix: index.Index, docs: list[dict], **kwargs) -> object:  # type: ignore[no-untyped-def]
    """A part written by a second writer, as a second process writes one."""
    w = bulk.BulkWriter(index.open_dir(ix.storage.folder), _lk=False, hands_over=True, **kwargs)
    for d in docs:
        w.add_document(**d)
    return w.hand_over()


def columns(ix: index.Index) -> dict[str, list]:
    """Every column's values and every field's lengths, by document."""
    with ix.reader() as r:
        out = {name: list(r.column_reader(name)) for name in ("id", "date", "source_key", "arrived", "sig")}
        out["stored"] = [r.stored_fields(n) for n in range(r.doc_count_all())]
        for field in ("title", "body", "forms"):
            out[field] = [r.doc_field_length(n, field) for n in range(r.doc_count_all())]
            out[field + " total"] = [r.field_length(field)]
    return out


def leftovers(path: Path) -> list[str]:
    """Temporary folders and files of segments the index does not list."""
    live = {seg.segment_id() for seg in index.open_dir(str(path))._segments()}
    return sorted(p.name for p in path.iterdir()
                  if p.name.startswith((".runs-", "MAIN.tmp"))
                  or (p.name.startswith("MAIN_") and p.name.split(".")[0] not in live and "WRITELOCK" not in p.name))


@pytest.mark.parametrize("spilled", [False, True])
def test_a_handed_over_part_joins_the_writers_segment_after_its_own(tmp_path, docs, monkeypatch, spilled):
    monkeypatch.setattr(bulk, "_PARALLEL_MIN_TERMS", 0)  # the commit's helper reads the part's runs too
    limitmb = 0 if spilled else 128  # 0: a run per document, in both writers
    one = build(tmp_path / "one", docs, lambda ix: bulk.BulkWriter(ix))
    path = tmp_path / "two"
    path.mkdir()
    ix = index.create_in(str(path), make_schema())
    w = bulk.BulkWriter(ix, limitmb=limitmb, parallel=True, word_fields=vocabulary.FIELDS)
    for d in docs[:25]:
        w.add_document(**d)
    part = hand_over(ix, docs[25:], limitmb=limitmb)
    w.commit(adopt=lambda: part)
    assert [s.doc_count() for s in ix._segments()] == [len(docs)]
    assert postings(ix) == postings(one)
    assert columns(ix) == columns(one)  # document numbers in the order the documents came
    with ix.reader() as r:
        assert vocabulary.segment_words(path, r.segment().segment_id(), r, store=False) == \
            vocabulary._scan(r)  # the word list saved at commit holds both parts' words
    assert leftovers(path) == []


def test_a_parts_columns_are_appended_byte_for_byte(tmp_path, docs):
    build(tmp_path / "one", docs, lambda ix: bulk.BulkWriter(ix, compound=False))
    path = tmp_path / "two"
    path.mkdir()
    ix = index.create_in(str(path), make_schema())
    w = bulk.BulkWriter(ix, compound=False)
    for d in docs[:25]:
        w.add_document(**d)
    part = hand_over(ix, docs[25:])
    w.commit(adopt=lambda: part)
    one, two = segment_files(tmp_path / "one"), segment_files(path)
    cols = sorted(kind for kind in one if kind.endswith(".col"))
    assert len(cols) > 5
    assert [one[k] for k in cols] == [two.get(k) for k in cols]


def test_columns_with_stored_offsets_are_appended_with_their_offsets(tmp_path, docs, monkeypatch):
    # Whoosh writes a variable-length column's offsets past 32,768 documents: a part's
    # offsets continue the writer's.
    real = VarBytesColumn.Writer.__init__

    def few_rows(self, dbfile, allow_offsets=True, cutoff=2**15):  # type: ignore[no-untyped-def]
        real(self, dbfile, allow_offsets, 4)

    monkeypatch.setattr(VarBytesColumn.Writer, "__init__", few_rows)
    one = build(tmp_path / "one", docs, lambda ix: bulk.BulkWriter(ix))
    path = tmp_path / "two"
    path.mkdir()
    ix = index.create_in(str(path), make_schema())
    w = bulk.BulkWriter(ix)
    for d in docs[:30]:
        w.add_document(**d)
    part = hand_over(ix, docs[30:])
    w.commit(adopt=lambda: part)
    assert columns(ix) == columns(one)
    with ix.reader() as r:
        assert r.column_reader("sig", translate=False).had_stored_offsets


def test_a_part_alone_makes_the_segment(tmp_path, docs):
    path = tmp_path / "two"
    path.mkdir()
    ix = index.create_in(str(path), make_schema())
    w = bulk.BulkWriter(ix)
    part = hand_over(ix, docs[:7])
    w.commit(adopt=lambda: part)
    with ix.searcher() as s:
        assert [s.stored_fields(n)["id"] for n in range(7)] == [d["id"] for d in docs[:7]]
    assert leftovers(path) == []


def test_a_part_taken_into_an_index_with_segments_follows_the_merge(tmp_path, docs):
    ix = build(tmp_path / "bulk", docs[:20], lambda ix: bulk.BulkWriter(ix))
    w = bulk.BulkWriter(ix)
    changed = dict(docs[3], stamp="new")
    w.add_document(**dict(docs[30]))

    def adopt():  # type: ignore[no-untyped-def]
        w.delete_by_term("id", changed["id"])  # the part replaces an old version
        return hand_over(ix, [changed])

    w.commit(adopt=adopt, optimize=True)  # the merge drops the deleted version
    assert [s.doc_count_all() for s in ix._segments()] == [21]
    with ix.searcher() as s:
        assert s.doc_count() == 21
        assert s.document(id=changed["id"])["stamp"] == "new"
        assert [s.stored_fields(n)["id"] for n in (0, 20)] == [docs[30]["id"], changed["id"]]


def test_a_commit_that_fails_after_taking_a_part_removes_its_files(tmp_path, docs, monkeypatch):
    ix = build(tmp_path / "bulk", docs[:10], lambda ix: bulk.BulkWriter(ix))
    w = bulk.BulkWriter(ix)
    w.add_document(**docs[20])
    part = hand_over(ix, docs[30:40], limitmb=0)
    files = [Path(part.rundir), *(tmp_path / "bulk" / name for name in part.columns.values())]
    assert all(p.exists() for p in files)  # its runs and columns wait for the writer

    def full_disk(*args):  # type: ignore[no-untyped-def]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(w, "_write_field", full_disk)
    with pytest.raises(OSError, match="No space left"):
        w.commit(adopt=lambda: part)
    w.cancel()
    assert not [p for p in files if p.exists()]
    with ix.searcher() as s:
        assert s.doc_count() == 10


def test_a_cancelled_part_leaves_the_shared_temporary_folder(tmp_path, docs):
    path = tmp_path / "bulk"
    path.mkdir()
    ix = index.create_in(str(path), make_schema())
    main = bulk.BulkWriter(ix)  # holds the lock and the temporary folder
    w = bulk.BulkWriter(index.open_dir(str(path)), _lk=False, limitmb=0, hands_over=True)
    for d in docs[:5]:
        w.add_document(**d)
    w.cancel_part()
    assert (path / "MAIN.tmp").is_dir()
    assert not Path(w._rundir).exists()  # its own sorted runs went
    main.cancel()
    assert not [p for p in path.iterdir() if p.name.startswith((".runs-", "MAIN.tmp"))]


@pytest.mark.parametrize("weights", [[1.0, 1.0, 1.0], [2.0, 2.0, 2.0], [1.0, 3.0, 0.5]])
def test_the_one_block_shortcut_encodes_what_the_general_encoder_does(weights):
    from array import array

    # document 9 is past the lengths recorded (a document without the field)
    lengths = {"body": array("B", [0, 5, 0, 7, 9, 3]), "forms": array("B", [4] * 10)}
    coder = bulk.BlockCoder(lengths, {"body": None, "forms": 4})
    for field, values in (("body", [b"\x01a", b"\x02bb", b"\x03c"]), ("forms", [b"\0\0\0\1"] * 3)):
        for ids in ([1, 3, 4], [0, 2, 5], [2, 4, 9]):
            plist = [x for triple in zip(ids, weights, values, strict=True) for x in triple]
            general = bulk.join_records((coder.encode(field, b"term", plist),))
            assert coder._one_block(field, plist) == general


def test_one_posting_blocks_kept_for_reuse_stay_bounded_and_change_nothing(monkeypatch):
    from array import array

    monkeypatch.setattr(codec, "SHARED_MAX", 8)
    coder = bulk.BlockCoder({"forms": array("B", [4] * 50)}, {"forms": 4})
    finish = coder.finisher("forms")
    plists = [[i % 50, 1.0 + i % 2, b"\0\0\0\1"] for i in range(300)]  # 100 keys, each three times
    got = [finish(b"t%03d" % i, plist) for i, plist in enumerate(plists)]
    assert got == [bulk.join_records((coder.encode("forms", b"t", plist),)) for plist in plists]
    kept = [c.cell_contents for c in finish.__closure__ or () if isinstance(c.cell_contents, dict)]
    assert kept and 0 < len(kept[0]) <= 8


def _block_sizes(ix: index.Index) -> dict[tuple[str, bytes], list[int]]:
    """Each term's posting block sizes, in order (from the blocks' own headers)."""
    out = {}
    with ix.reader() as r:
        for fieldname, text in r.all_terms():
            m = r.postings(fieldname, text)
            if not hasattr(m, "_blocklength"):  # postings inlined in the terms file
                continue
            sizes = [m._blocklength]
            while not m._lastblock:
                m._next_block()
                sizes.append(m._blocklength)
            out[(fieldname, text)] = sizes
    return out


def _many() -> list[dict]:
    """700 articles: a few words in every one, the rest in an eighth of them or in one."""
    an = Analyzer()
    out = []
    for i in range(700):
        a = Article(id=f"m{i:03d}", title=f"Випуск {i}", date=None, source=None,
                    text=f"Новина дня. {SENTENCES[i % len(SENTENCES)]} Число {i * 7919}, код {i * 104729}.")
        out.append(prepare_document(a, an, f"xx/{a.id}.json", "1-2"))
    return out


#: A budget of about two hundred documents: the words of every article have more postings
#: than a block in each run, and all the words span several runs.
_SMALL_MB = 0.6


@pytest.mark.parametrize("parallel", [False, True])
def test_a_term_split_across_runs_has_full_blocks_but_its_last(tmp_path, monkeypatch, parallel):
    monkeypatch.setattr(bulk, "_PARALLEL_MIN_TERMS", 0)
    many = _many()
    stock = build(tmp_path / "stock", many, lambda ix: SegmentWriter(ix))
    ours = build(tmp_path / "bulk", many, lambda ix: bulk.BulkWriter(ix, limitmb=_SMALL_MB, parallel=parallel))
    assert postings(stock) == postings(ours)
    sizes = _block_sizes(ours)
    split = {term: s for term, s in sizes.items() if sum(s) > 3 * 128}
    assert split  # words in more documents than three blocks hold
    for term, s in split.items():
        assert all(n == 128 for n in s[:-1]), (term, s)
    # and the words in fewer articles than a block holds, from every run, make one block
    assert all(len(s) == 1 for s in sizes.values() if sum(s) <= 128)
    whooshs = _block_sizes(stock)
    assert all(whooshs[term] == s for term, s in split.items())  # as Whoosh's own writer blocks them


def test_what_a_spill_keeps_back_stays_within_its_share_of_the_budget(tmp_path, monkeypatch):
    many = _many()
    kept = []
    original = runs.PostingBuffer.spill

    def watched(self, *, carry=False):  # type: ignore[no-untyped-def]
        original(self, carry=carry)
        if carry:
            held = sum(len(p) // 3 for terms in self.fields.values() for p in terms.values())
            kept.append(held * runs._POSTING_BYTES / self.limit)

    monkeypatch.setattr(runs.PostingBuffer, "spill", watched)
    carried = build(tmp_path / "carried", many, lambda ix: bulk.BulkWriter(ix, limitmb=_SMALL_MB))
    assert len(kept) >= 3 and all(0 < share <= runs._CARRY_SHARE for share in kept)
    monkeypatch.setattr(runs.PostingBuffer, "_carried", lambda self: {})
    seams = build(tmp_path / "seams", many, lambda ix: bulk.BulkWriter(ix, limitmb=_SMALL_MB))
    assert postings(carried) == postings(seams)
    blocks = sum(map(len, _block_sizes(carried).values()))
    assert blocks < sum(map(len, _block_sizes(seams).values()))


@pytest.mark.parametrize("poses", [[0], [46], [300], [70000], [1, 2], [46, 92, 138],
                                   [3, 10, 500, 100000], list(range(0, 3000, 7))])
def test_a_positions_value_is_compact_and_whooshs_own_reader_reads_it(poses: list[int]):
    from whoosh.formats import Positions

    from searchkit.backends.whoosh import encode_positions
    from searchkit.backends.whoosh.blocks import decode_positions

    value = encode_positions(poses)
    assert Positions().decode_positions(value) == poses
    assert decode_positions(value) == poses
    if len(poses) == 1 and poses[0] < 256:
        assert len(value) == 8  # the count, then K<n> TUPLE1 STOP (Whoosh's own: 15 bytes)


def test_a_segment_read_through_its_mapped_file_searches_as_one_read_from_a_compound_file(tmp_path, monkeypatch):
    # A segment of its own files is read through a memory map (blocks.mapped), a small one
    # packed into a compound file through Whoosh's reads: the same hits, scores and snippets.
    from searchkit import Engine
    from searchkit.query import budget

    # (whole answers compared: no deadline a busy machine could reach, for the search or
    # its 300 snippets)
    monkeypatch.setattr(budget, "QUERY_SECONDS", 600.0)
    monkeypatch.setattr(budget, "SNIPPET_SECONDS", 600.0)

    from .conftest import write_jsonl

    rows = [{"id": f"m{i:03d}", "title": f"Новина {i}",
             "text": f"{SENTENCES[i % len(SENTENCES)]} {SENTENCES[(i * 7) % len(SENTENCES)]} Випуск {i}."}
            for i in range(300)]
    feed = write_jsonl(tmp_path / "feed.jsonl", rows)
    homes = {}
    for name, most in (("compound", bulk.COMPOUND_MAX), ("mapped", 0)):
        monkeypatch.setattr(bulk, "COMPOUND_MAX", most)
        eng = Engine.init(tmp_path / name)
        eng.import_paths([feed])
        eng.close()
        homes[name] = tmp_path / name
    index_dirs = {name: next((home / "index").glob("gen-*")) for name, home in homes.items()}
    assert list(index_dirs["compound"].glob("*.seg")) and not list(index_dirs["mapped"].glob("*.seg"))
    answers = []
    for name in ("compound", "mapped"):
        eng = Engine(homes[name])
        # (ties in any order: the two imports may number the articles differently)
        answers.append([sorted((-round(h.score, 9), h.id, h.snippet.text) for h in
                               eng.search(text, limit=300, collapse=False).hits)
                        for text in ("табори", "мовні табори", '"мовні табори"', "табори діти", "випуск")])
        eng.close()
    assert answers[0] == answers[1] and all(answers[0])


@pytest.mark.parametrize("layouts", [(False, False), (False, True)])
def test_an_index_written_in_whooshs_block_layout_searches_as_a_packed_one(tmp_path, monkeypatch, layouts):
    # Indexes written before blocks were packed (BulkWriter(packed=False) writes Whoosh's
    # own layout) stay readable, alone and beside packed segments of later imports.
    from searchkit import Engine
    from searchkit.query import budget

    from .conftest import write_jsonl

    # (the whole answer, however busy the machine: a deadline cut short the snippets or
    # boosts of one home's 400 hits and not the other's)
    monkeypatch.setattr(budget, "QUERY_SECONDS", 600.0)
    monkeypatch.setattr(budget, "SNIPPET_SECONDS", 600.0)
    rows = [{"id": f"p{i:03d}", "title": f"Новина {i}",
             "text": f"{SENTENCES[i % len(SENTENCES)]} {SENTENCES[(i * 5) % len(SENTENCES)]} Випуск {i}."}
            for i in range(400)]
    feeds = [write_jsonl(tmp_path / "a.jsonl", rows[:250]), write_jsonl(tmp_path / "b.jsonl", rows[250:])]

    def home(name: str, packed: tuple[bool, bool]) -> list[list[tuple[float, str, str]]]:
        eng = Engine.init(tmp_path / name)
        for feed, layout in zip(feeds, packed, strict=True):
            monkeypatch.setitem(bulk.BulkWriter.__init__.__kwdefaults__, "packed", layout)
            eng.import_paths([feed])
        eng.close()
        eng = Engine(tmp_path / name)
        try:
            return [sorted((-round(h.score, 9), h.id, h.snippet.text) for h in
                           eng.search(text, limit=400, collapse=False).hits)
                    for text in ("табори", "мовні табори", '"мовні табори"', "рок джаз", "випуск", "табор*",
                                 "title:новина", "фестивль~")]
        finally:
            eng.close()

    assert home("old", layouts) == home("packed", (True, True))


def test_a_packed_block_gives_whooshs_ids_weights_and_values_and_opens_values_only_when_asked():
    import pickle
    from itertools import accumulate

    from searchkit.backends.whoosh import packed

    ids = [70000, 70001, 70300, 140000]
    values = [b"\0\0\0\1Ka.", b"\0\0\0\2", b"x" * 300, b""]
    for weights, stored in ((None, None), (2.5, 2.5), ((1.0, 3.0, 255.0, 2.0), "B"), ((1.5, 2.0, 1.0, 7.25), "f")):
        data, comp = packed.pack_block(ids[0], [b - a for a, b in zip(ids, ids[1:], strict=False)], weights,
                                       values, compression=1, compress_min=200)
        assert comp == 0  # the ids and weights are never compressed with the values
        got_ids, got_weights, got_values = pickle.loads(data)
        assert list(accumulate(got_ids)) == ids
        if stored in (None, 2.5):
            assert got_weights == weights
        else:
            assert got_weights.typecode == stored and list(got_weights) == list(weights)
        assert got_values._items is None  # not opened to read the ids and weights
        assert [got_values[i] for i in range(len(values))] == values and len(got_values) == 4
    data, _ = packed.pack_block(5, [], None, None, compression=1, compress_min=200)
    assert list(accumulate(pickle.loads(data)[0])) == [5] and pickle.loads(data)[2] is None
