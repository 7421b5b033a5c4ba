"""The update merge policy: logarithmic in the index size, a job's segments one step."""

from __future__ import annotations

import math

from searchkit import Engine
from searchkit.backends.whoosh import merging
from searchkit.backends.whoosh.merging import FACTOR, FLOOR, level, plan, steps
from searchkit.models import Article

from .test_bulk import SENTENCES


class FakeSegment:
    """What the policy reads of a Whoosh segment."""

    def __init__(self, name: str, docs: int, deleted: int = 0) -> None:
        self.name, self.docs, self.deleted = name, docs, deleted

    def segment_id(self) -> str:
        return self.name

    def doc_count(self) -> int:
        return self.docs - self.deleted

    def __repr__(self) -> str:
        return f"{self.name}:{self.docs}"


def mark_step(segments: list[FakeSegment]) -> None:
    """Mark ``segments`` as one job's, as the writers of two-segment jobs did (the step
    pickled with each segment)."""
    for seg in segments:
        seg.searchkit_step = segments[0].name  # type: ignore[attr-defined]


def test_a_jobs_two_segments_written_by_earlier_versions_are_one_step():
    a, b, c = FakeSegment("a", 1000), FakeSegment("b", 1000), FakeSegment("c", 10)
    mark_step([a, b])
    assert steps([a, b, c]) == [[a, b], [c]]


def test_levels_grow_by_the_factor_above_the_floor():
    assert level(1) == level(FLOOR - 1) == 0
    assert level(FLOOR) == level(FLOOR * FACTOR - 1) == 1
    assert level(FLOOR * FACTOR) == 2
    assert level(FLOOR * FACTOR**3) == 4


def test_small_updates_never_rewrite_a_step_at_or_above_the_floor():
    for size in (FLOOR, FLOOR * FACTOR - 1):
        built = FakeSegment("built", size)
        updates = [FakeSegment(f"u{i}", 1) for i in range(FACTOR)]
        assert plan([built, *updates[:-1]]) == []  # (it merged the whole index with them)
        assert plan([built, *updates]) == updates


def test_factor_steps_of_one_level_merge_and_the_big_ones_stay():
    big = [FakeSegment("big1", 50_000), FakeSegment("big2", 50_000)]
    mark_step(big)
    small = []
    for i in range(FACTOR - 1):
        pair = [FakeSegment(f"s{i}a", 1000), FakeSegment(f"s{i}b", 1000)]
        mark_step(pair)
        small += pair
    assert plan(big + small) == []  # FACTOR - 1 steps (2 × (FACTOR - 1) segments): no merge yet
    pair = [FakeSegment("na", 1000), FakeSegment("nb", 1000)]
    mark_step(pair)
    assert plan(big + small + pair) == small + pair


def test_segments_without_live_documents_always_go():
    gone = FakeSegment("gone", 300, deleted=300)
    assert plan([FakeSegment("a", 10), gone]) == [gone]


def test_a_step_mostly_deleted_falls_to_a_lower_level():
    worn = FakeSegment("worn", FLOOR * FACTOR * 2, deleted=FLOOR * FACTOR * 2 - 10)
    others = [FakeSegment(f"o{i}", 10) for i in range(FACTOR - 1)]
    assert plan([worn, *others]) == [worn, *others]


def simulate(commits: list[int]) -> tuple[int, int]:
    """Documents copied by merges and the most segments seen, for jobs of ``commits``
    documents each written as one segment, merged by :func:`plan`."""
    segs: list[FakeSegment] = []
    copied = most = 0
    for n, size in enumerate(commits):
        chosen = plan(segs)
        merged = sum(s.doc_count() for s in chosen)
        copied += merged
        segs = [s for s in segs if s not in chosen]
        segs.append(FakeSegment(f"{n}", merged + size))
        most = max(most, len(segs))
    return copied, most


def test_merging_costs_grow_as_n_log_n_not_n_squared():
    for batches in (100, 400):
        n = batches * 2000
        copied, most = simulate([2000] * batches)
        levels = math.log(n / FLOOR, FACTOR)
        assert copied <= n * (levels + 1)  # each document is copied about once per level
        assert most <= 2 * FACTOR * (levels + 1)
    # the policy this replaced (past 8 segments, merge the smaller half) copied ~n²
    assert simulate([2000] * 400)[0] < 2000 * 400 * 400 / 20


def test_many_small_updates_keep_few_segments(tmp_path):
    eng = Engine.init(tmp_path / "home")
    counts = []
    for i in range(3 * FACTOR + 1):
        eng.corpus.put(Article(id=f"u{i}", title=f"Випуск {i}", text=SENTENCES[i % len(SENTENCES)], date=None))
        eng.index()
        counts.append(eng.backend_index.segment_count())
    assert max(counts) <= FACTOR  # all on the lowest level: FACTOR of them merge into one
    assert eng.stats().articles == 3 * FACTOR + 1
    assert eng.search("табори").total >= 1
    eng.close()


def test_a_merge_keeps_every_article_once_and_drops_replaced_versions(tmp_path, monkeypatch):
    monkeypatch.setattr(merging, "FACTOR", 2)
    eng = Engine.init(tmp_path / "home")
    for i in range(6):
        # each update replaces article r0 and adds one: old versions must not come back
        eng.corpus.put(Article(id="r0", title=f"Версія {i}", text=SENTENCES[i % len(SENTENCES)], date=None))
        eng.corpus.put(Article(id=f"n{i}", title=f"Нова {i}", text=SENTENCES[(i + 1) % len(SENTENCES)], date=None))
        eng.index()
    assert eng.stats().articles == 7
    assert eng.get("r0").title == "Версія 5"
    assert [h.id for h in eng.search("title:Версія", collapse=False).hits] == ["r0"]
    eng.close()
