"""What the index holds, article by article: ids, stored fields, sources, arrivals."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh import query

from .store import IndexStore, reported_as_damage, retried


class Stats(IndexStore):
    """Reads of the stored fields and columns of every indexed article."""

    def segment_count(self) -> int:
        """How many segments the live commit holds: merging keeps it small (few files to
        open, few term tables to search)."""
        return len(self._open()._segments())

    @retried
    def indexed(self) -> dict[str, tuple[str, str]]:
        """``{id: (path, stamp)}`` of every indexed article."""
        s = self.searcher()
        return {f["id"]: (f.get("path", ""), f.get("stamp", "")) for _, f in s.reader().iter_docs()}

    def stored(self) -> Iterator[dict[str, Any]]:
        """Stored fields of every indexed article (small: no bodies are stored). Read
        through a searcher of its own: the caller's loop runs between the reads, and
        other threads keep searching meanwhile."""
        s = self._read(lambda: self._open().searcher())
        try:
            with reported_as_damage():
                yield from (f for _, f in s.reader().iter_docs())
        finally:
            s.close()

    @retried
    def doc_count(self) -> int:
        return int(self.searcher().doc_count())

    @retried
    def path_of(self, article_id: str) -> str | None:
        s = self.searcher()
        docnum = s.document_number(id=article_id)
        return None if docnum is None else s.stored_fields(docnum).get("path")


    @retried
    def last_arrival(self) -> int:
        """When the newest indexed article arrived (ns), 0 for an empty index."""
        r = self.searcher().reader()
        if not r.doc_count():
            return 0
        col = r.column_reader("arrived")
        return max((col[dn] for dn in r.all_doc_ids()), default=0)


    @retried
    def sources(self) -> dict[str, int]:
        """``{source as written: articles}`` for every source in the index."""
        s = self.searcher()
        out: dict[str, int] = {}
        for key in list(s.reader().field_terms("source_key")):
            # Postings skip deleted documents; the lexicon's frequencies would not.
            docnums = list(s.docs_for_query(query.Term("source_key", key)))
            if docnums:
                name = s.stored_fields(docnums[0]).get("source") or key
                out[name] = out.get(name, 0) + len(docnums)
        return out
