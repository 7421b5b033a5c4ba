"""The only package that imports Whoosh: index layout, writing, searching.

Everything else speaks in articles, parsed queries and raw hits. Its modules:
``documents`` (schema, articles as term lists), ``compiler`` (parsed query to Whoosh
query), ``bulkeval`` (block-at-a-time evaluation), ``folding`` (top of the ranking,
near-duplicates), ``explaining`` (why a score), ``bulk`` (the segment writer),
``merging`` (the update merge policy), ``vocabulary`` (words for corrections).
:class:`SearchIndex` implements :class:`searchkit.backends.base.Index` (the records it
hands back are in :mod:`searchkit.backends.records`, shared with the OpenSearch backend)
and is put together from one part per job: ``store`` (generations, opening, reads
retried: the index layout is described there), ``writing`` (rebuilds, updates, the
second process's segment), ``searching`` (pages, counts, months, partial matches),
``tables`` (columns read once per searcher), ``grouping`` (near-duplicate groups),
``words`` (the vocabulary) and ``stats`` (what is indexed).
"""

from __future__ import annotations

from . import lean  # noqa: F401  - first: Whoosh without what it loads for nothing

# isort: split

from ..base import (
    FACETS,
    INDEX_FORMAT,
    Capability,
    Compiled,
    IndexMeta,
    Part,
    PartWriter,
    Placed,
    Ranking,
    RawHit,
    RawResults,
    SideWriter,
)
from . import packed  # noqa: F401  - registers what the posting blocks' pickles name
from .compiler import FUZZY_PREFIX, MAX_EXPANSION, MAX_PATTERN_WORDS, MIN_PREFIX
from .documents import counts_of, encode_positions, make_schema, positions_of, prepare_document
from .explaining import RawContribution, RawExplanation, explain_document, query_tree
from .searching import Searching
from .stats import Stats
from .store import NO_INDEX_YET
from .writing import Writing, write_part

__all__ = [
    "FACETS",
    "FUZZY_PREFIX",
    "INDEX_FORMAT",
    "MAX_EXPANSION",
    "MAX_PATTERN_WORDS",
    "MIN_PREFIX",
    "NO_INDEX_YET",
    "Compiled",
    "IndexMeta",
    "Part",
    "Placed",
    "Ranking",
    "RawContribution",
    "RawExplanation",
    "RawHit",
    "RawResults",
    "SearchIndex",
    "SideWriter",
    "counts_of",
    "encode_positions",
    "explain_document",
    "make_schema",
    "positions_of",
    "prepare_document",
    "query_tree",
    "write_part",
]


class SearchIndex(Writing, Searching, Stats):
    """The Whoosh index of one home: generations, writes under a lock, searches (an
    :class:`~searchkit.backends.base.Index`)."""

    capabilities = frozenset({Capability.PARALLEL_WRITE, Capability.PLACED, Capability.VOCABULARY})

    def remove_leftovers(self) -> None:
        """What a killed writer left behind goes, and the groups it did not save are saved
        (see :meth:`Grouping.save_missing_groups`); under the write lock."""
        super().remove_leftovers()
        self.save_missing_groups()

    def part_writer(self) -> PartWriter:
        """:func:`write_part`: a second process writes a segment of its own."""
        return write_part

