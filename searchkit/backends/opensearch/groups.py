"""Near-duplicate groups on the cluster: kept in the documents, found through their bands.

The embedded index keeps its groups in a file beside the index; a cluster keeps them in
the documents themselves, so that a search can fold them:

- ``sig``: the article's MinHash signature (:mod:`searchkit.text.dedup`), and ``bands``, its LSH
  bands as keyword terms. An update finds the candidate near-duplicates of the articles
  it wrote with one terms query on their bands, instead of reading every signature.
- ``group``: the group's key (its smallest id, :meth:`searchkit.text.dedup.Clusters.key`) on
  every member, the article's own id on an article in no group. OpenSearch's ``collapse``
  on it shows each group once, as its best-ranked member.
- ``grouped``: the group's key on members only, so the groups can be listed and the
  groups among a search's matches counted.

A document is written as a group of its own; the groups are then brought up to date (the
same groups around a centre as :meth:`searchkit.text.dedup.Clusters.updated` forms on the
embedded index) and only the documents whose key changed are updated.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ...text import dedup
from ..records import RawHit, iso_day
from .query import HELD, MAX_WINDOW, band_terms

if TYPE_CHECKING:  # pragma: no cover
    from .index import OpenSearchIndex

__all__ = ["Copies", "Keeper", "LazyClusters", "fold_page", "folded", "group_count_aggs", "labels", "raw_hit",
           "read_clusters", "regroup", "regroup_all", "without_groups_of"]

#: Band terms per terms query (OpenSearch refuses more than 65,536).
BAND_CHUNK = 16_384
#: Groups of matching articles read per request when counting the folded hits.
GROUP_PAGE = 10_000
#: How long a reader keeps the groups it read (another process may write meanwhile).
CLUSTERS_TTL = 2.0


def _sig(source: Mapping[str, Any]) -> bytes:
    raw = source.get("sig")
    # doc values give base64 without its padding
    return base64.b64decode(raw + "=" * (-len(raw) % 4)) if raw else b""


def read_clusters(ix: OpenSearchIndex) -> dedup.Clusters:
    """The groups as the documents hold them now."""
    return dedup.Clusters(_scan_groups(ix).values())


class LazyClusters(dedup.Clusters):
    """The groups on the cluster, read when first needed: one article's group by two small
    requests (``duplicates ID``, ``similar ID``), every group by a scan of the grouped
    articles (``duplicates``, regrouping)."""

    def __init__(self, ix: OpenSearchIndex) -> None:
        self._ix = ix
        self._all: dict[str, tuple[str, ...]] | None = None
        self._one: dict[str, tuple[str, ...]] = {}

    @property
    def _of(self) -> dict[str, tuple[str, ...]]:
        if self._all is None:
            self._all = dedup.Clusters(_scan_groups(self._ix).values())._of
        return self._all

    @_of.setter
    def _of(self, value: dict[str, tuple[str, ...]]) -> None:
        self._all = value

    def group(self, art_id: str) -> tuple[str, ...]:
        if self._all is not None:
            return super().group(art_id)
        found = self._one.get(art_id)
        if found is None:
            key = next((s.get("grouped") for s in self._ix.scan(["grouped"], {"term": {"id": art_id}})), None)
            members = [str(s["id"]) for s in self._ix.scan(["id"], {"term": {"grouped": key}})] if key else []
            found = self._one[art_id] = tuple(sorted(members)) if len(members) > 1 else ()
        return found

    def key(self, art_id: str) -> str | None:
        g = self.group(art_id)
        return g[0] if g else None


def _scan_groups(ix: OpenSearchIndex) -> dict[str, list[str]]:
    members: dict[str, list[str]] = {}
    for s in ix.scan(["id", "grouped"], {"exists": {"field": "grouped"}}):
        members.setdefault(str(s["grouped"]), []).append(str(s["id"]))
    return members


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
    articles sharing a band with it whose signature passes :data:`searchkit.text.dedup.THRESHOLD`,
    as :func:`searchkit.text.dedup.similar_pairs` finds them among every signature."""
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


class Keeper:
    """The groups of one index on the cluster: read for a moment's reuse, brought up to
    date after each write (or after several, see :meth:`regroup_deferred`).

    While a write's groups are not yet up to date the index's mapping says so (``_meta``
    ``groups: behind``): a writer killed in between leaves that mark, and the next writer
    (:meth:`recover`, under the home's lock) groups every article again, as the embedded
    index recomputes a groups file older than its index.
    """

    def __init__(self, ix: OpenSearchIndex) -> None:
        self.ix = ix
        self._cached: tuple[float, dedup.Clusters] | None = None
        # writes applied with regroup=False: the groups before the first of them, and the
        # ids they changed and deleted
        self._deferred: tuple[dedup.Clusters, dict[str, None], list[str]] | None = None
        self._behind: tuple[float, bool] | None = None  # (when read, marked)
        self._marks = 0  # how many times this process marked or cleared the groups

    def clusters(self) -> dedup.Clusters:
        cached = self._cached
        if cached is not None and time.monotonic() - cached[0] < CLUSTERS_TTL:
            return cached[1]
        clusters = LazyClusters(self.ix)
        self._cached = (time.monotonic(), clusters)
        return clusters

    def forget(self) -> None:
        """Drop what is known of the groups (a new index replaced the old one)."""
        self._cached = None
        self._deferred = None
        self._behind = None

    def behind(self) -> bool:
        """Whether a write left the groups behind (the mark in ``_meta``), read at most
        once in :data:`CLUSTERS_TTL`: a search asks it every time."""
        seen = self._behind
        if seen is not None and time.monotonic() - seen[0] < CLUSTERS_TTL:
            return seen[1]
        marks = self._marks
        marked = self._marked()
        if marks == self._marks:  # not marked or cleared by this process meanwhile: keep it
            self._behind = (time.monotonic(), marked)
        return marked

    def before_write(self) -> None:
        """Note the groups as they are, before a write resets the written documents' groups."""
        if self._deferred is None:
            self._mark(behind=True)
            self._deferred = (read_clusters(self.ix), {}, [])
        self._cached = None

    def written(self, changed: Iterable[str], deleted: Iterable[str]) -> None:
        assert self._deferred is not None, "before_write() first"
        self._deferred[1].update(dict.fromkeys(changed))
        self._deferred[2].extend(deleted)

    def regroup_deferred(self) -> None:
        """Bring the groups up to date with the writes since the last regrouping."""
        if self._deferred is None:
            return
        before, changed, deleted = self._deferred
        name = self.ix.alias
        regroup(self.ix, name, before, changed, deleted)
        self.ix.refresh()
        self._deferred = None
        self._cached = None
        self._mark(behind=False)

    def recover(self) -> None:
        """Group every article again if a writer stopped before bringing the groups up to date."""
        if self._deferred is not None or not self._marked():
            return
        sigs = {str(s["id"]): sig for s in self.ix.scan(["id", "sig"], {"exists": {"field": "bands"}})
                if (sig := _sig(s))}
        clusters = dedup.group_all(sigs)
        now = labels(clusters, [i for g in clusters.groups() for i in g])
        was = {str(s["id"]): {"group": s.get("group"), "grouped": s.get("grouped")}
               for s in self.ix.scan(["id", "group", "grouped"], {"exists": {"field": "grouped"}})}
        fields = {i: f for i, f in now.items() if was.get(i) != f}
        fields.update({i: {"group": i, "grouped": None} for i in was if i not in now})
        self.ix.update_fields(self.ix.alias, fields)
        self.ix.refresh()
        self._cached = None
        self._mark(behind=False)

    def _mapping(self) -> tuple[str, dict[str, Any]]:
        """The concrete index behind the alias and its mapping's ``_meta``."""
        res = self.ix.request("reading the mapping", lambda: self.ix.client.indices.get_mapping(index=self.ix.alias))
        concrete, body = next(iter(res.items()))
        return concrete, dict(body["mappings"].get("_meta", {}))

    def _marked(self) -> bool:
        return self._mapping()[1].get("groups") == "behind"

    def _mark(self, *, behind: bool) -> None:
        concrete, meta = self._mapping()
        if (meta.get("groups") == "behind") != behind:
            if behind:
                meta["groups"] = "behind"
            else:
                meta.pop("groups", None)
            self.ix.request("marking the groups", lambda: self.ix.client.indices.put_mapping(
                index=concrete, body={"_meta": meta}))
        self._marks += 1
        self._behind = (time.monotonic(), behind)


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


#: Group keys in one ``terms`` clause (OpenSearch's ``index.max_terms_count`` is 65,536).
TERMS_CHUNK = 65_536


def without_groups_of(ix: OpenSearchIndex, name: str, dsl: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """``dsl`` without the articles in a group that holds a match of ``other`` (the
    groups among its matches found by :func:`group_count_aggs`)."""
    def groups(after: dict[str, Any] | None) -> dict[str, Any]:
        # within the search's time (past it, fewer groups: a copy may be listed again)
        res = ix.searched(name, {"query": other, "size": 0, "aggs": group_count_aggs(after)},
                          what="finding the groups of the hits above", dfs=False, bounded=True)
        return dict(res.get("aggregations", {}).get("groups", {}))

    keys = sorted(matched_groups(groups(None), groups))
    if not keys:
        return dsl
    return {"bool": {"must": [dsl], "must_not": [{"terms": {"grouped": keys[i : i + TERMS_CHUNK]}}
                                                 for i in range(0, len(keys), TERMS_CHUNK)]}}


def fold_page(matched: int, groups: Mapping[str, int]) -> int:
    """How many hits ``matched`` articles make when each group is one: ``groups`` maps each
    group among the matches to how many of its members matched."""
    return matched - sum(groups.values()) + len(groups)


#: A shown hit's near-duplicates among the matches, best first, and the earliest date among
#: them and the hit (``None``: all undated).
Copies = dict[str, tuple[tuple[str, ...], str | None]]


def folded(ix: OpenSearchIndex, name: str, body: dict[str, Any], res: dict[str, Any]) -> tuple[int, Copies]:
    """For a search ``body`` collapsed on ``group`` with :func:`group_count_aggs` and its
    answer ``res``: the number of hits once each group is one, and the copies of the hits
    shown (the matching members of their groups, in the search's order, ties by id: one
    multi-search for the page). What the embedded index's folding gives."""
    matched = int(res["hits"]["total"]["value"])
    groups = matched_groups(res["aggregations"]["groups"], lambda after: ix.searched(
        name, {"query": body["query"], "size": 0, "aggs": group_count_aggs(after)},
        what="counting near-duplicates")["aggregations"]["groups"])
    shown = {h["_source"]["id"]: str(h["fields"]["group"][0]) for h in res["hits"]["hits"] if "fields" in h}
    keys = sorted({k for k in shown.values() if groups.get(k, 0) > 1})
    if not keys:
        return fold_page(matched, groups), {}
    order = body.get("sort") or ["_score", {"id": "asc"}]
    lines: list[dict[str, Any]] = []
    for key in keys:
        lines += [{"search_type": "dfs_query_then_fetch"},
                  {"query": {"bool": {"must": [body["query"]], "filter": [{"term": {"grouped": key}}]}},
                   "size": MAX_WINDOW, "sort": order, "_source": ["id", "date"]}]
    answers = ix.msearched(name, lines, what="listing near-duplicates")
    members = {key: [h["_source"] for h in r["hits"]["hits"]] for key, r in zip(keys, answers, strict=True)}
    copies: Copies = {}
    for art_id, key in shown.items():
        if key in members:
            days = [int(m.get("date") or 0) for m in members[key]]
            first = iso_day(min(d for d in days if d)) if any(days) else None
            copies[art_id] = (tuple(str(m["id"]) for m in members[key] if m["id"] != art_id), first)
    return fold_page(matched, groups), copies


def raw_hit(h: dict[str, Any], copies: Copies, bonus: float = 0.0) -> RawHit:
    """A search answer's hit with its near-duplicates (see :func:`folded`); ``bonus``:
    what each word held adds, for a partial-match query's hit (0: any other query's)."""
    s = h["_source"]
    dups, first = copies.get(s["id"], ((), s.get("day")))
    topic = s.get("topic")
    score, held = float(h.get("_score") or 0.0), None
    if bonus:  # a partial match: its score is its words' own, the count of them apart
        held = sum(1 for name in h.get("matched_queries", ()) if name.startswith(HELD))
        score -= bonus * held
    return RawHit(id=s["id"], title=s.get("title_text", ""), day=s.get("day"), source=s.get("source"),
                  path=s.get("path", ""), score=score, duplicates=dups, first_day=first or s.get("day"),
                  topic=base64.b64decode(topic) if topic else b"", held=held)
