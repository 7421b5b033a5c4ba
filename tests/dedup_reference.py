"""The plain way to group near-duplicates, which the index's band-by-band grouping
(:func:`searchkit.text.dedup.group_all`, :meth:`~searchkit.text.dedup.Clusters.regrouped`)
is checked against: every pair of articles that share a band, compared, and the groups
formed from the pairs that pass."""

from __future__ import annotations

from collections.abc import Iterable

from searchkit.text.dedup import THRESHOLD, Clusters, bands, similarity


def candidate_pairs(sigs: dict[str, bytes]) -> Iterable[tuple[str, str]]:
    """Pairs of ids whose signatures share a band and pass :data:`THRESHOLD`."""
    buckets: dict[tuple[int, bytes], list[str]] = {}
    for art_id, sig in sigs.items():
        for band in bands(sig):
            buckets.setdefault(band, []).append(art_id)
    seen: set[tuple[str, str]] = set()
    for ids in buckets.values():
        if len(ids) < 2:
            continue
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                pair = (a, b) if a < b else (b, a)
                if pair in seen:
                    continue
                seen.add(pair)
                if similarity(sigs[a], sigs[b]) >= THRESHOLD:
                    yield pair


def from_pairs(pairs: Iterable[tuple[str, str]]) -> Clusters:
    """Groups from near-duplicate pairs (every other pair is not one: see
    :class:`~searchkit.text.dedup.Stars`)."""
    links: dict[str, set[str]] = {}
    for a, b in pairs:
        links.setdefault(a, set()).add(b)
        links.setdefault(b, set()).add(a)
    return Clusters().updated(links, (), lambda x: links.get(x, ()))
