"""Which home an index on the cluster belongs to.

An index records the id of the home that built it (``_meta.searchkit.home``, the id in the
home's ``.searchkit-id``), and a home refuses an index another home recorded. An index
built by a searchkit older than that record holds none: it is claimed by the first home
whose own files it was built from, and refused to any other (:func:`claim`).

What tells a home's index from another's is the stamp each document keeps of the file it
was read from (``corpus/`` path, the file's time in nanoseconds and its size): the files of
the home that built the index have those very stamps, where a second home's files, even
copies of the same articles imported from the same feed, were written at other times.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...advice import INDEX, NEW_ALIAS
from ...errors import IndexTaken
from ...store.corpus import Corpus

if TYPE_CHECKING:
    from .index import OpenSearchIndex

__all__ = ["SAMPLE", "claim"]

#: How many of an unclaimed index's documents (the first by id) are compared with the home's files.
SAMPLE = 1000


def claim(ix: OpenSearchIndex, name: str, meta: dict[str, Any], home: str, corpus: Corpus) -> None:
    """Record ``home`` as the owner of ``name``, an index whose mapping's ``_meta`` (``meta``)
    names no home, when more than half of its first :data:`SAMPLE` documents were indexed
    from the home's files (``corpus``) as they are (an index holding no document is claimed too: it
    holds nobody's articles). Otherwise raise :class:`IndexTaken` naming the index and
    what to do, before anything is written: it may be another home's, whose articles
    a write of this one would replace."""
    stamps = _stamps(ix, name)
    same = sum(1 for path, stamp in stamps if path and corpus.stamp(path) == stamp.partition("+")[0])
    if stamps and same * 2 <= len(stamps):
        looked = f"{len(stamps):,} looked at" if len(stamps) < SAMPLE else f"the first {len(stamps):,}"
        raise IndexTaken(
            f"the index {name!r} behind the alias {ix.alias!r} was built by an older searchkit, which did not "
            f"record its home, and this home's files do not match its articles ({same:,} of {looked})",
            hint=f"give this home an alias of its own and build its index there: {NEW_ALIAS}, then "
                 f"{INDEX} (the old index is left "
                 "to the home that built it; delete it on the cluster once no home uses it)")
    own = dict(meta.get("searchkit") or {})
    own["home"] = home
    ix.request("recording the index's home", lambda: ix.conn.meta.indices.put_mapping(
        index=name, body={"_meta": {**meta, "searchkit": own}}))


def _stamps(ix: OpenSearchIndex, name: str) -> list[tuple[str, str]]:
    """``(path, stamp)`` of the first :data:`SAMPLE` documents of ``name`` by id (from doc values)."""
    body = {"size": SAMPLE, "sort": [{"id": "asc"}], "query": {"match_all": {}}, "_source": False,
            "stored_fields": "_none_", "docvalue_fields": ["path", "stamp"]}
    res = ix.request("reading whose index it is", lambda: ix.conn.meta.search(index=name, body=body))
    out = []
    for hit in res["hits"]["hits"]:
        fields = hit.get("fields", {})
        out.append((str((fields.get("path") or [""])[0]), str((fields.get("stamp") or [""])[0])))
    return out
