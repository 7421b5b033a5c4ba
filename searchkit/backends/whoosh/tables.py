"""Per-searcher tables: whole columns read once, the groups by document number, the
documents a date/source filter lets through."""

from __future__ import annotations

from array import array
from itertools import compress
from typing import Any

from ...text import dedup
from .columns import read_column
from .store import IndexStore

#: Past this many matches a search reads whole columns (ids, dates) once instead of a
#: value per document.
BIG_MATCH = 5000
#: A searcher that has read this share of its documents' values one by one (a file read
#: each, ~5× the cost per value of reading the whole column) reads whole columns from
#: then on: a long-lived engine pays for the columns once, a one-off search never more
#: than about twice what it would have paid (the ski-rental rule).
COLUMN_AFTER = 0.2


class Tables(IndexStore):
    """Values of every document, read once per searcher when that is cheaper than one by one."""

    def _filtered(self, s: Any, flt: Any) -> set[int]:
        """The documents a date/source filter lets through, kept for the searcher's life:
        one search counts many queries under the same filter (the query, its corrections,
        each word left out, the partial matches), and a date range at 100,000 articles
        takes tens of milliseconds to collect."""
        key = repr(flt)
        with self._mutex:
            if self._filters[0] is not s:
                self._filters = (s, {})
            hit = self._filters[1].get(key)
        if hit is None:
            hit = set(s.docs_for_query(flt))
            with self._mutex:
                if self._filters[0] is s:
                    if len(self._filters[1]) >= 16:
                        self._filters[1].clear()
                    self._filters[1][key] = hit
        return hit

    def _clustered(self, s: Any, clusters: dedup.Clusters) -> tuple[dict[int, str], dict[str, tuple[int, ...]],
                                                                     array[int]]:
        """``{docnum: group key}`` of every document in a group of near-duplicates,
        ``{group key: docnums}`` and each document's fold number (its own number, or for a
        grouped document one below zero that its group shares), once per searcher: see
        :func:`.folding.fold_clustered`."""
        with self._mutex:
            if self._tables[0] is not s:
                self._tables = (s, {})
            hit = self._tables[1].get("clustered")
            if hit is None or hit[0] is not clusters:
                # the keys looked up and the grouped documents picked out in C; a Python step
                # for the grouped documents only
                keys = clusters.keys_of(self._table(s, "id"))
                found = dict(zip(compress(range(len(keys)), keys), filter(None, keys), strict=True))
                lists: dict[str, list[int]] = {}
                for dn, k in found.items():
                    lists.setdefault(k, []).append(dn)
                # tuples of numbers, which the garbage collector stops visiting (see read_column)
                groups = {k: tuple(members) for k, members in lists.items()}
                # 8 bytes a document (a million articles: 8 MB), no object per value
                group_of = array("q", range(len(keys)))
                for n, members in enumerate(groups.values(), 1):
                    for dn in members:
                        group_of[dn] = -n
                hit = self._tables[1]["clustered"] = (clusters, (found, groups, group_of))
            return hit[1]

    def _whole_columns(self, s: Any, n: int) -> bool:
        """Whether to read whole columns for a match set of ``n`` documents: a big one, or
        once the searcher has read enough values one by one (see :data:`COLUMN_AFTER`)."""
        with self._mutex:
            if self._tables[0] is not s:
                self._tables = (s, {})
            tables = self._tables[1]
            paid = tables.get("read one by one", 0) + n
            tables["read one by one"] = paid
            return n > BIG_MATCH or "id" in tables or paid > COLUMN_AFTER * s.doc_count()

    def _table(self, s: Any, column: str) -> tuple[Any, ...]:
        """Every document's value of ``column``, read once per searcher: for match sets
        so big that reading them one by one (a file read each) costs more."""
        with self._mutex:
            if self._tables[0] is not s:
                self._tables = (s, {})
            table = self._tables[1].get(column)
            if table is None:
                table = self._tables[1][column] = read_column(s, column)
            return table
