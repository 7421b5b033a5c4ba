"""Near-duplicate groups on the cluster: kept in the documents, found through their bands.

The embedded index keeps its groups in a file beside the index; a cluster keeps them in
the documents themselves, so that a search can fold them:

- ``sig``: the article's MinHash signature (:mod:`searchkit.dedup`), and ``bands``, its LSH
  bands as keyword terms. An update finds the candidate near-duplicates of the articles
  it wrote with one terms query on their bands, instead of reading every signature.
- ``group``: the group's key (its smallest id, :meth:`searchkit.dedup.Clusters.key`) on
  every member, the article's own id on an article in no group. OpenSearch's ``collapse``
  on it shows each group once, as its best-ranked member.
- ``grouped``: the group's key on members only, so the groups can be listed and the
  groups among a search's matches counted.

A document is written as a group of its own; the groups are then brought up to date (the
same connected components as :meth:`searchkit.dedup.Clusters.updated` forms on the
embedded index) and only the documents whose key changed are updated.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from .. import dedup
from .osquery import band_terms

if TYPE_CHECKING:  # pragma: no cover
    from .opensearch import OpenSearchIndex

__all__ = ["GROUP_FIELDS", "fold_page", "group_count_aggs", "labels", "read_clusters", "regroup", "regroup_all"]

#: Band terms per terms query (OpenSearch refuses more than 65,536).
BAND_CHUNK = 16_384
#: Groups of matching articles read per request when counting the folded hits.
GROUP_PAGE = 10_000
GROUP_FIELDS = ("group", "grouped")


def _sig(source: Mapping[str, Any]) -> bytes:
    raw = source.get("sig")
    return base64.b64decode(raw) if raw else b""


def read_clusters(ix: OpenSearchIndex) -> dedup.Clusters:
    """The groups as the documents hold them now."""
    members: dict[str, list[str]] = {}
    for s in ix.scan(["id", "grouped"], {"exists": {"field": "grouped"}}):
        members.setdefault(str(s["grouped"]), []).append(str(s["id"]))
    return dedup.Clusters(members.values())


def signatures(ix: OpenSearchIndex, ids: Iterable[str]) -> dict[str, bytes]:
    """``{id: signature}`` of those of ``ids`` that are indexed and have one."""
    wanted = sorted(set(ids))
    out: dict[str, bytes] = {}
    for start in range(0, len(wanted), BAND_CHUNK):
        query = {"terms": {"id": wanted[start : start + BAND_CHUNK]}}
        for s in ix.scan(["id", "sig"], query):
            sig = _sig(s)
            if sig:
                out[str(s["id"])] = sig
    return out


def neighbours(ix: OpenSearchIndex, seeds: Mapping[str, bytes]) -> dict[str, list[str]]:
    """The near-duplicates in the index of each of ``seeds`` (``{id: signature}``): the
    articles sharing a band with it whose signature passes :data:`searchkit.dedup.THRESHOLD`,
    as :func:`searchkit.dedup.similar_pairs` finds them among every signature."""
    by_band: dict[str, list[str]] = {}
    for seed, sig in seeds.items():
        for term in band_terms(sig):
            by_band.setdefault(term, []).append(seed)
    found: dict[str, set[str]] = {seed: set() for seed in seeds}
    terms = sorted(by_band)
    for start in range(0, len(terms), BAND_CHUNK):
        chunk = terms[start : start + BAND_CHUNK]
        for s in ix.scan(["id", "sig", "bands"], {"terms": {"bands": chunk}}):
            other, sig = str(s["id"]), _sig(s)
            if not sig:
                continue
            for seed in {x for t in s.get("bands", ()) for x in by_band.get(t, ())}:
                if seed != other and other not in found[seed] and dedup.similarity(seeds[seed], sig) >= dedup.THRESHOLD:
                    found[seed].add(other)
    return {seed: sorted(others) for seed, others in found.items()}


def labels(clusters: dedup.Clusters, ids: Iterable[str]) -> dict[str, dict[str, str | None]]:
    """The group fields each of ``ids`` should carry under ``clusters``."""
    out: dict[str, dict[str, str | None]] = {}
    for art_id in ids:
        key = clusters.key(art_id)
        out[art_id] = {"group": key or art_id, "grouped": key}
    return out


def regroup(ix: OpenSearchIndex, index: str, before: dedup.Clusters, changed: Iterable[str],
            deleted: Iterable[str]) -> dedup.Clusters:
    """Bring the groups in line with a write of ``changed`` (written as groups of their own)
    and ``deleted`` after the groups were ``before``; returns the new groups."""
    changed, gone = set(changed), set(deleted) - set(changed)
    touched = changed | gone
    for art_id in list(touched):
        touched.update(before.group(art_id))
    sigs = signatures(ix, touched - gone)
    near = neighbours(ix, sigs)
    after = before.updated(changed, gone, lambda art_id: near.get(art_id, ()))
    # Whose key may have changed: the touched articles and every member of their new groups.
    affected = set(touched - gone)
    for art_id in list(affected):
        affected.update(after.group(art_id))
    now = labels(after, affected)
    was = labels(before, affected - changed)
    was.update(labels(dedup.Clusters(), affected & changed))  # written as groups of their own
    ix.update_fields(index, {i: f for i, f in now.items() if was[i] != f})
    return after


def regroup_all(ix: OpenSearchIndex, index: str, sigs: Mapping[str, bytes]) -> dedup.Clusters:
    """Group every article of a new index (written as groups of their own) from its
    signatures, ``{id: signature}``."""
    clusters = dedup.group_all(dict(sigs))
    grouped = [i for g in clusters.groups() for i in g]
    ix.update_fields(index, labels(clusters, grouped))
    return clusters


# -- folding a search's hits --------------------------------------------------------------


def group_count_aggs(after: dict[str, Any] | None = None) -> dict[str, Any]:
    """An aggregation listing the groups among the matches with how many of each matched
    (a page of them; ``after``: the key to go on from)."""
    spec: dict[str, Any] = {"size": GROUP_PAGE, "sources": [{"g": {"terms": {"field": "grouped"}}}]}
    if after is not None:
        spec["after"] = after
    return {"groups": {"composite": spec}}


def matched_groups(first: dict[str, Any], more: Any) -> dict[str, int]:
    """``{group key: matching members}`` from the first page of :func:`group_count_aggs`
    and ``more(after_key)``, which answers the next page's aggregation."""
    out: dict[str, int] = {}
    page = first
    while True:
        buckets = page.get("buckets", [])
        for b in buckets:
            out[str(b["key"]["g"])] = int(b["doc_count"])
        after = page.get("after_key")
        if len(buckets) < GROUP_PAGE or after is None:
            return out
        page = more(after)


def fold_page(matched: int, groups: Mapping[str, int]) -> int:
    """How many hits ``matched`` articles make when each group is one: ``groups`` maps each
    group among the matches to how many of its members matched."""
    return matched - sum(groups.values()) + len(groups)


def members_in_order(hits: Iterator[dict[str, Any]]) -> tuple[list[str], list[int]]:
    """Ids and dates (``yyyymmdd``, 0: undated) of a group's matching members, in order."""
    ids: list[str] = []
    dates: list[int] = []
    for h in hits:
        ids.append(str(h["id"]))
        dates.append(int(h.get("date") or 0))
    return ids, dates
