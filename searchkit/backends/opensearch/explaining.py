"""Why an article scores what it does on the cluster: each scoring clause of a compiled
query run on that one article, so the parts are the scores the cluster itself gives."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from ..base import Compiled, RawContribution, RawExplanation
from .query import OSQuery, dsl_tree, filtered

if TYPE_CHECKING:  # pragma: no cover
    from .index import OpenSearchIndex

__all__ = ["explain"]


def explain(ix: OpenSearchIndex, compiled: Compiled, article_id: str, *, since: int | None = None,
            until: int | None = None, source: str | None = None) -> RawExplanation | None:
    """How ``compiled`` scores the indexed article ``article_id`` (``None``: not indexed).

    Every scoring clause is run on that one article (one multi-search); the rank counts
    the matches that score higher.
    """
    name = ix.require()
    try:
        doc = ix.request("reading an article", lambda: ix.client.get(index=name, id=article_id,
                                                                      _source_includes="day,topic"), absent=True)
    except ix.conn.os.NotFoundError:
        return None
    only = {"ids": {"values": [article_id]}}
    q: OSQuery = compiled.query
    leaves = [(f, t) for p in q.parts for f, t in p.terms]
    queries = [q.dsl, *(p.dsl for p in q.parts), *({"term": {f: t}} for f, t in leaves)]
    lines: list[dict[str, Any]] = []
    for dsl in queries:
        lines += [{"search_type": "dfs_query_then_fetch"},
                  {"size": 1, "_source": False, "query": {"bool": {"must": [dsl], "filter": [only]}}}]
    answers = ix.msearched(name, lines, what="scoring the parts of the query")

    def score(r: dict[str, Any]) -> float | None:
        hits = r["hits"]["hits"]
        return float(hits[0]["_score"] or 0.0) if hits else None

    scores = [score(r) for r in answers]
    total, part_scores, leaf_scores = scores[0], scores[1 : 1 + len(q.parts)], scores[1 + len(q.parts) :]
    present = {leaf for leaf, sc in zip(leaves, leaf_scores, strict=True) if sc is not None}
    parts = tuple(RawContribution(p.kind, p.field, p.text, p.boost, sc or 0.0,
                                  tuple(leaf for leaf in p.terms if leaf in present))
                  for p, sc in zip(q.parts, part_scores, strict=True))
    rank = None
    if total is not None:
        flt = filtered(q.dsl, since, until, source)
        inside = ix.count(compiled, since=since, until=until, source=source)
        if inside and ix.request("counting", lambda: ix.client.count(
                index=name, body={"query": {"bool": {"must": [flt], "filter": [only]}}}))["count"]:
            body = {"size": 0, "track_total_hits": True, "min_score": total * (1 + 1e-6) + 1e-9, "query": flt}
            res = ix.searched(name, body, what="ranking")
            rank = int(res["hits"]["total"]["value"]) + 1
    stored: dict[str, Any] = doc.get("_source", {})
    return RawExplanation(matches_query=total is not None, score=total or 0.0, rank=rank, day=stored.get("day"),
                          parts=parts, tree=dsl_tree(q.dsl),
                          topic=base64.b64decode(stored["topic"]) if stored.get("topic") else b"")
