"""The top of a ranking, near-duplicates folded into one hit, and facet values."""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import compress, filterfalse
from typing import Any

from whoosh import sorting

from ...text import dedup


def heads(ranked: list[tuple[int, float]], ids: Any, clusters: dedup.Clusters,
           want: int | None = None) -> list[tuple[int, float]]:
    """The ranked hits with every near-duplicate after the first of its group left out
    (the first ``want`` of them, when given)."""
    if not clusters:
        return ranked if want is None else ranked[:want]
    seen: set[str] = set()
    out = []
    for dn, score in ranked:
        key = clusters.key(ids[dn])
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        out.append((dn, score))
        if want is not None and len(out) >= want:
            break
    return out


def held_counts(held: Sequence[set[int]], docs: set[int]) -> Counter[int]:
    """How many of the sets ``held`` (one per query word) hold each of ``docs``."""
    counts: Counter[int] = Counter()
    for h in held:
        counts.update(h & docs)  # counted in C
    return counts


def best_tiers(counts: Counter[int], need: int, bonus: float) -> tuple[set[int], float | None]:
    """The documents of the tiers holding the most words, from the top down until there
    are ``need`` of them, and the least score they can have (``bonus`` per word held; a
    document of a lower tier scores less): ``(documents, floor)``, floor ``None`` when
    the tiers taken are all of them."""
    sizes = Counter(counts.values())
    taken, lowest = 0, 0
    for tier in sorted(sizes, reverse=True):
        if taken >= need:
            break
        taken += sizes[tier]
        lowest = tier
    if taken >= len(counts):
        return set(counts), None
    if not taken:
        return set(), bonus * max(sizes, default=0) + 1
    return {dn for dn, n in counts.items() if n >= lowest}, bonus * lowest


def rank_key(item: tuple[int, float]) -> tuple[float, int]:
    return -item[1], item[0]  # best first; ties: lower docnum first, as Whoosh orders them


def top(scores: dict[int, float], want: int, ids: Any,
         clusters: dedup.Clusters) -> tuple[list[tuple[int, float]], list[tuple[int, float]]]:
    """The best-scored matches, enough of them to give ``want`` heads after folding
    near-duplicates: ``(ranked, heads)``. Only the top is ordered, not every match: the
    n-th best score (a heap of floats, in C) picks the few at or above it, ties included."""
    n = want * 2 + 10 if clusters else want
    while True:
        if n >= len(scores):
            ranked = sorted(scores.items(), key=rank_key)
        else:
            least = heapq.nlargest(n, scores.values())[-1]
            ranked = sorted(((dn, sc) for dn, sc in scores.items() if sc >= least), key=rank_key)[:n]
        shown = heads(ranked, ids, clusters, want)
        if len(shown) >= want or len(ranked) >= len(scores):
            return ranked, shown
        n *= 4  # many near-duplicates near the top: look further down


class GroupMembers:
    """The matching members of each group of near-duplicates, worked out for a group when
    asked (only the groups of the hits on the page are)."""

    def __init__(self, groups: dict[str, tuple[int, ...]], docs: Any, clustered: dict[int, str],
                 folded: bool) -> None:
        self._groups = groups
        self._docs = docs
        self._clustered = clustered
        self._folded = folded  # some group has two matching members or more
        self._grouped: list[int] | None = None
        self._by_key: dict[str, list[int]] = {}

    def _matching_grouped(self) -> list[int]:
        """The matches that are in a group (found once, when a group bigger than the
        matches is asked about)."""
        if self._grouped is None:
            self._grouped = list(self._clustered.keys() & self._docs)
        return self._grouped

    def get(self, key: str, default: Any = ()) -> Any:
        group = self._groups.get(key)
        if group is None:
            return default
        found: list[int] | None
        if len(group) <= len(self._docs):
            found = list(filter(self._docs.__contains__, group))  # in C, a step per member
        else:
            # A group bigger than the matches (hundreds of thousands of copies in a big
            # archive): those of its key picked out of the grouped matches, in C (a
            # Python step per match that filled every group's list took 40 ms of a search
            # at a million articles, where one group held half of them).
            found = self._by_key.get(key)
            if found is None:
                grouped = self._matching_grouped()
                found = self._by_key[key] = list(
                    compress(grouped, map(key.__eq__, map(self._clustered.__getitem__, grouped))))
        return found or default

    def __bool__(self) -> bool:
        return self._folded


def others_in_order(members: Iterable[int], head: int, rank: dict[int, int], ids: Any) -> list[int]:
    """The ``members`` of a hit's group other than the hit ``head``, in the order its
    duplicates are listed: those ranked (``rank``: document -> place in the ranking) in
    that order, then the rest by id. Without a Python call per member: at a million
    articles a group holds thousands."""
    others = list(filter(head.__ne__, members))
    placed = rank.keys() & others
    if not placed:
        return sorted(others, key=ids.__getitem__)
    rest = filterfalse(placed.__contains__, others)
    return sorted(placed, key=rank.__getitem__) + sorted(rest, key=ids.__getitem__)


def fold_clustered(docs: Any, clustered: dict[int, str], groups: dict[str, tuple[int, ...]],
                   group_of: Sequence[int]) -> tuple[int, GroupMembers]:
    """:func:`fold` for a big set of ``docs`` (a set-like view), given the group key of
    every grouped document, the documents of every group and ``group_of``: for each
    document a number its group's members share and no other document has. The count is
    one pass over the matches (a set of those numbers), the members found only for
    the groups asked about. The pass touches each match once; finding the grouped matches
    first (a set intersection) and then their keys took 1.4-2× as long at a million
    articles, and the count is made for every page of a big search."""
    total = len({group_of[dn] for dn in docs})  # (timed: 3.3 ms for 30,000 matches, 4.4 by set(map(...)))
    return total, GroupMembers(groups, docs, clustered, total < len(docs))


def fold(docs: Iterable[int], ids: Any, clusters: dedup.Clusters,
          excluded: set[str]) -> tuple[int, dict[str, list[int]]]:
    """How many hits ``docs`` make when each group of near-duplicates is one, and the
    matching members of each group."""
    members: dict[str, list[int]] = {}
    singles = 0
    for dn in docs:
        art_id = ids[dn]
        key = clusters.key(art_id)
        if art_id in excluded:
            continue
        if key is None:
            singles += 1
        else:
            members.setdefault(key, []).append(dn)
    return singles + len(members), members


def facet(name: str, reader: Any) -> Any:
    if name == "source":
        return sorting.FieldFacet("source_key", maptype=sorting.UnorderedList)
    div = 10000 if name == "year" else 100
    dates = reader.column_reader("date")  # YYYYMMDD, 0 when undated
    return sorting.FunctionFacet(lambda _s, docnum: dates[docnum] // div, maptype=sorting.Count)

