"""The news-archive features in OpenSearch's terms: facets, similar articles, arrival marks.

Each answers as the embedded index does (``searchkit.backends.whoosh``): facets count every match
per source (grouped by the lowercase key, shown as the first-indexed article spelled it),
year and month (undated articles as ``None``); a similar-articles query is the same key
words with the same weights, matching only articles that share enough of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ...query import similar
from ...text.highlight import MatchTerms
from ..base import Compiled
from ..records import facet_order, period
from .query import OSQuery

if TYPE_CHECKING:  # pragma: no cover
    from .index import OpenSearchIndex

__all__ = ["FIRST_INDEXED", "facet_aggs", "facet_counts", "restricted", "similar_dsl", "similar_query", "sources"]

#: Sources a facet lists at most (the embedded index lists every one; archives have hundreds).
MAX_SOURCES = 10_000
#: How each period facet divides a ``yyyymmdd`` date.
_DIVISOR = {"year": 10_000, "month": 100}
#: The first indexed first: the order the articles of a source are looked at for its
#: spelling, and ``stored()`` lists them in (``stats`` spells a source as the first does).
FIRST_INDEXED = ({"arrived": "asc"}, {"id": "asc"})
#: A source key's bucket's sub-aggregation: the article indexed first, whose spelling of the
#: source names the key, as the embedded index names it (in the facet and in ``stats``).
_FIRST_SPELLING = {"first": {"top_hits": {"size": 1, "_source": ["source"], "sort": list(FIRST_INDEXED)}}}


def sources(ix: OpenSearchIndex) -> dict[str, int]:
    """``{source as written: articles}`` for every source in the index (as the source facet
    shows them: each lowercase key spelled as the first-indexed article spelled it)."""
    name = ix.require()
    body = {"size": 0, "aggs": {"s": {"terms": {"field": "source_key", "size": MAX_SOURCES},
                                      "aggs": _FIRST_SPELLING}}}
    res = ix.request("listing sources", lambda: ix.client.search(index=name, body=body))
    out: dict[str, int] = {}
    for b in res["aggregations"]["s"]["buckets"]:
        src = _spelled(b)
        out[src] = out.get(src, 0) + int(b["doc_count"])
    return out


def _spelled(bucket: dict[str, Any]) -> str:
    """The source of a source key's bucket, as :data:`_FIRST_SPELLING` spells it (else the key)."""
    top = bucket["first"]["hits"]["hits"]
    return str((top[0]["_source"].get("source") if top else None) or bucket["key"])


def facet_aggs(names: Iterable[str]) -> dict[str, Any]:
    """Aggregations counting ``names`` (of :data:`FACETS`) over every match."""
    aggs: dict[str, Any] = {}
    for name in names:
        if name == "source":
            aggs["f_source"] = {"terms": {"field": "source_key", "size": MAX_SOURCES, "missing": ""},
                                "aggs": _FIRST_SPELLING}
        else:
            aggs[f"f_{name}"] = {"histogram": {"field": "date", "interval": _DIVISOR[name], "min_doc_count": 1}}
    return aggs


def facet_counts(names: Iterable[str], aggs: dict[str, Any]) -> dict[str, list[tuple[str | None, int]]]:
    """``{facet: [(value, articles)]}`` from the answer to :func:`facet_aggs`, in the
    embedded index's order: sources by count, periods by date, ``None`` last."""
    out: dict[str, list[tuple[str | None, int]]] = {}
    for name in names:
        buckets = aggs.get(f"f_{name}", {}).get("buckets", [])
        if name == "source":
            counts: list[tuple[str | None, int]] = []
            for b in buckets:
                counts.append((_spelled(b) if b["key"] else None, int(b["doc_count"])))
            out[name] = facet_order(name, counts)
        else:
            out[name] = facet_order(name, [(period(name, int(b["key"]) // _DIVISOR[name]), int(b["doc_count"]))
                                           for b in buckets])
    return out



def restricted(dsl: dict[str, Any], arrived_after: int | None, exclude: Iterable[str]) -> dict[str, Any]:
    """``dsl`` for the articles whose files were written after ``arrived_after`` (ns), if
    given, and none of the ids ``exclude``."""
    excluded = sorted(set(exclude))
    if not excluded and arrived_after is None:
        return dsl
    return {"bool": {"must": [dsl],
                     "filter": [{"range": {"arrived": {"gt": arrived_after}}}] if arrived_after is not None else [],
                     "must_not": [{"terms": {"id": excluded}}] if excluded else []}}


# -- similar articles -----------------------------------------------------------------------


def similar_query(ix: OpenSearchIndex, body: Sequence[tuple[str, ...]], title: Sequence[tuple[str, ...]], n: int,
                  *, copies: int = 1) -> Compiled | None:
    """A query for articles about the same thing as a text given as each word's candidate
    lemmas (see :meth:`searchkit.backends.base.Index.similar_query`): the key words of
    :func:`searchkit.query.similar.key_words`, their document frequencies asked in a few
    requests; ``None`` without enough."""
    key = similar.key_words(body, title, n, lambda keys: doc_frequencies(ix, keys), ix.doc_count(), copies,
                            lookup=ix.analyzer.known, held_by=lambda words: held_by(ix, words))
    if key is None:
        return None
    return Compiled(OSQuery(similar_dsl(key, ix.ranking.title_boost)),
                    MatchTerms(frozenset(lemma for spelt in key.spellings for lemma in spelt)),
                    searched_as=key.lemmas, readings=key.readings)


def doc_frequencies(ix: OpenSearchIndex, wanted: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """``{(field, lemma): articles}``: one ``filters`` aggregation per thousand, instead of
    a request per word."""
    keys = sorted(wanted)
    name = ix.alias
    out: dict[tuple[str, str], int] = {}
    for start in range(0, len(keys), 1000):
        part = keys[start : start + 1000]
        filters = {str(i): {"term": {f: lemma}} for i, (f, lemma) in enumerate(part)}
        res = ix.searched(name, {"size": 0, "aggs": {"df": {"filters": {"filters": filters}}}},
                          what="counting words", dfs=False)
        buckets = res["aggregations"]["df"]["buckets"]
        out.update({key: int(buckets[str(i)]["doc_count"]) for i, key in enumerate(part)})
    return out


def held_by(ix: OpenSearchIndex, words: Iterable[tuple[str, ...]]) -> dict[tuple[str, ...], int]:
    """``{spellings: articles}``: how many articles hold each word in any of its spellings,
    in any of :data:`~searchkit.query.similar.FIELDS`, each counted once (one request)."""
    keys = sorted(set(words))
    if not keys:
        return {}
    filters = {str(i): _holding(spelt) for i, spelt in enumerate(keys)}
    res = ix.searched(ix.alias, {"size": 0, "aggs": {"held": {"filters": {"filters": filters}}}},
                      what="counting words", dfs=False)
    buckets = res["aggregations"]["held"]["buckets"]
    return {spelt: int(buckets[str(i)]["doc_count"]) for i, spelt in enumerate(keys)}


def _holding(spellings: tuple[str, ...]) -> dict[str, Any]:
    """The articles holding a word in any field, in any of its ``spellings``."""
    return {"bool": {"should": [{"term": {f: lemma}} for f in similar.FIELDS for lemma in spellings]}}


def similar_dsl(key: similar.KeyWords, title_boost: float) -> dict[str, Any]:
    """``key``'s scoring clauses, matching only the articles that hold ``key.need`` of its words."""
    scored = [{"term": {f: {"value": lemma, "boost": boost}}} for f, lemma, boost in key.clauses(title_boost)]
    # (a word held in any field, in any spelling)
    held = [_holding(spelt) for spelt in key.spellings]
    return {"bool": {"should": scored, "filter": [{"bool": {"should": held, "minimum_should_match": key.need}}]}}
